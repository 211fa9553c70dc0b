// SPDX-License-Identifier: MIT
// Module resolution hooks for loading TensorFlow.js's ES-module sources in Node (registered by
// contenders.mjs loadTf). Its gradient definitions exist only in tfjs-core's dist/*.js modules,
// not in the CommonJS bundle that package.json's "main" points to, and those modules import
// each other without file extensions ("./ops/mul"), which Node's ES-module loader does not
// resolve. So: extensionless relative imports inside node_modules/@tensorflow get ".js" (or
// "/index.js"). The modules share the kernel and gradient registries with the CommonJS bundle
// through tfjs's global registry.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export async function resolve(specifier, context, next) {
  const parent = context.parentURL ?? '';
  if (parent.includes('/node_modules/@tensorflow/')) {
    if (specifier.startsWith('.') && !/\.(m?js|json|wasm)$/.test(specifier)) {
      const base = new URL(specifier, parent);
      for (const candidate of [`${base.href}.js`, `${base.href}/index.js`]) {
        if (existsSync(fileURLToPath(candidate))) return { url: candidate, shortCircuit: true };
      }
    }
  }
  return next(specifier, context);
}
