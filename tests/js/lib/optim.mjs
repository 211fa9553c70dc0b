// SPDX-License-Identifier: MIT
// Test helpers (not a test file): the wasm module from build/wasm, loaded once,
// and runs of the native runner build/native/optim-run.

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
export const OPTIM_RUN = join(ROOT, 'build', 'native', 'optim-run');
export const WASM_DIR = join(ROOT, 'build', 'wasm');

const modules = new Map();

/** build/wasm/NAME.mjs + NAME.wasm, created once per process. */
function loadModule(name) {
  if (!modules.has(name)) {
    modules.set(
      name,
      (async () => {
        const js = join(WASM_DIR, `${name}.mjs`);
        const wasm = join(WASM_DIR, `${name}.wasm`);
        for (const file of [js, wasm]) {
          if (!existsSync(file)) {
            throw new Error(`${file} not found; build the wasm modules first: npm run build:wasm`);
          }
        }
        const { default: create } = await import(pathToFileURL(js).href);
        // Node needs the bytes: the web build would try fetch() on a file path.
        return create({ wasmBinary: await readFile(wasm) });
      })(),
    );
  }
  return modules.get(name);
}

/**
 * The page's wasm module (build/wasm/optim.mjs + optim.wasm), created once per process. Rejects
 * with a clear message when the build is missing.
 * @returns {Promise<import('../../../web/optim.d.ts').OptimModule>}
 */
export function loadOptim() {
  return loadModule('optim');
}

/** The tools module (build/wasm/optim-tools.mjs + .wasm): streams, range tests, tuning. */
export function loadTools() {
  return loadModule('optim-tools');
}

/**
 * Runs a config with build/native/optim-run (config on standard input) and
 * returns its JSON: {config, steps, trajectory: [[x, y], ...], f, lr, state,
 * diverged, diverged_at, divergence_reason}. Throws an Error carrying
 * optim-run's message when it fails.
 * @param {object} config a run config (web/optim.d.ts RunConfig), or a document holding one
 * @param {string[]} args more arguments of optim-run (e.g. --run 1)
 */
export function runNative(config, args = []) {
  if (!existsSync(OPTIM_RUN)) {
    throw new Error(`${OPTIM_RUN} not found; build it first: npm run build:native`);
  }
  const out = spawnSync(OPTIM_RUN, ['-', ...args], {
    input: JSON.stringify(config),
    encoding: 'utf8',
    maxBuffer: 1 << 30,
  });
  if (out.error) throw new Error(`cannot run ${OPTIM_RUN}: ${out.error.message}`);
  if (out.status !== 0) {
    const how = out.signal ? `was killed by ${out.signal}` : `exited with status ${out.status}`;
    throw new Error(out.stderr.trim() || `optim-run ${how} and printed nothing`);
  }
  return JSON.parse(out.stdout);
}
