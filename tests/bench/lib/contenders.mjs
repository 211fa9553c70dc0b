// SPDX-License-Identifier: MIT
// Loading the contenders in Node: the wasm core as the page loads it (dist/optim.mjs with its
// optim.wasm read from disk), the native core (tests/bench/native programs built by CMake), the
// bench driver compiled to wasm (build/wasm/bench-core.cjs), and TensorFlow.js (tfjs-core with its cpu and wasm backends, from node_modules, offline).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire, register } from 'node:module';
import { dirname, isAbsolute, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** The wasm module from `dir` (dist/ by default: the files the page loads). */
export async function loadWasm(dir = join(ROOT, 'dist')) {
  for (const f of ['optim.mjs', 'optim.wasm']) {
    if (!existsSync(join(dir, f))) {
      throw new Error(`${join(dir, f)} is missing: run npm run build:wasm first`);
    }
  }
  const { default: createOptim } = await import(pathToFileURL(join(dir, 'optim.mjs')).href);
  return createOptim({ wasmBinary: await readFile(join(dir, 'optim.wasm')) });
}

/**
 * Runs one job of the bench driver (tests/bench/native/core.cpp) with `command args job`;
 * returns { samples_ms, result }.
 */
function driver(label, command, args) {
  return {
    available: true,
    run(job) {
      const r = spawnSync(command, [...args, JSON.stringify(job)], {
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
      });
      if (r.status !== 0) {
        throw new Error(`${label} ${job.kind} failed (${r.status}): ${r.stderr || r.error}`);
      }
      return JSON.parse(r.stdout);
    },
  };
}

/**
 * The native contender: runs build-dir/bench_core with one job, returns
 * { samples_ms, result }. `available` is false (with `reason`) when it was not built.
 */
export function nativeRunner(buildDir) {
  const dir = isAbsolute(buildDir) ? buildDir : join(ROOT, buildDir);
  const exe = join(dir, 'bench_core');
  if (!existsSync(exe)) {
    return {
      available: false,
      reason:
        `${exe} is missing: run npm run build:native (or point --native=DIR or ` +
        'OPTIM_BENCH_NATIVE at a CMake build directory with the bench_core target)',
    };
  }
  return { ...driver('bench_core', exe, []), exe };
}

/**
 * The same driver compiled to wasm with the core's flags (build/wasm/bench-core.cjs, built by
 * npm run build:wasm), run by Node in a process of its own per job as the native one is: the
 * engine's wasm build against its native build, timed by the same code. `available` is false
 * (with `reason`) when it was not built.
 */
export function wasmDriverRunner(dir = join(ROOT, 'build/wasm')) {
  const script = join(dir, 'bench-core.cjs');
  if (!existsSync(script) || !existsSync(join(dir, 'bench-core.wasm'))) {
    return {
      available: false,
      reason: `${script} is missing: run npm run build:wasm`,
    };
  }
  return { ...driver('bench-core.cjs', process.execPath, [script]), script };
}

let tfPromise = null;

/**
 * TensorFlow.js with the cpu and wasm backends. The packages' CommonJS bundles hold no
 * gradient definitions (the union package registers them); those are loaded from tfjs-core's
 * ES-module sources through resolution hooks (tf-hooks.mjs). The wasm backend's binaries are
 * read from node_modules by path: nothing is fetched.
 */
export function loadTf() {
  tfPromise ??= (async () => {
    register('./tf-hooks.mjs', import.meta.url);
    const require = createRequire(import.meta.url);
    // tfjs prints advice to install tfjs-node when it starts in Node: not wanted here.
    const log = console.log;
    const warn = console.warn;
    console.log = console.warn = () => {};
    try {
      const tf = require('@tensorflow/tfjs-core');
      require('@tensorflow/tfjs-backend-cpu');
      const wasm = require('@tensorflow/tfjs-backend-wasm');
      await import('@tensorflow/tfjs-core/dist/register_all_gradients.js');
      const dir = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'));
      wasm.setWasmPaths(`${join(dir, 'dist')}/`);
      // Production mode, as a page would ship: no debug checks, no console advice.
      tf.enableProdMode();
      await tf.setBackend('cpu');
      await tf.ready();
      return tf;
    } finally {
      console.log = log;
      console.warn = warn;
    }
  })();
  return tfPromise;
}

/** Switches TensorFlow.js to `name` ('cpu' | 'wasm') or throws. */
export async function useTfBackend(tf, name) {
  const ok = await tf.setBackend(name);
  await tf.ready();
  if (!ok || tf.getBackend() !== name)
    throw new Error(`TensorFlow.js backend ${name} did not load`);
}
