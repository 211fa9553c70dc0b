// SPDX-License-Identifier: MIT
// npm run bench: two benchmarks. First, one whole Adam run on Rosenbrock
// through the wasm module and through a hand-written JavaScript loop doing the
// same work (the same trajectory, loss, lr and state arrays), measured side by
// side in this process. Reported as a ratio against the JavaScript baseline of
// the same run, since the machines are shared and absolute times are noise.
// Then the playground's frame times in headless Chromium (tests/bench/frames.mjs).
import { spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const build = join(root, 'build', 'wasm');
if (!existsSync(join(build, 'optim.wasm'))) {
  console.error('bench: build/wasm/optim.wasm is missing: run npm run build:wasm first');
  process.exit(1);
}
const { default: createOptim } = await import(pathToFileURL(join(build, 'optim.mjs')).href);
const m = await createOptim({ wasmBinary: await readFile(join(build, 'optim.wasm')) });

const STEPS = 20000;
const LR = 0.02;
const config = {
  optimizer: { name: 'adam', hyperparameters: { lr: LR } },
  function: { name: 'rosenbrock' },
  start: [-1.2, 1],
  steps: STEPS,
};

/** Adam (PyTorch form) on Rosenbrock in plain JavaScript, recording what m.run records. */
function adamJs() {
  const [b1, b2, eps, a, b] = [0.9, 0.999, 1e-8, 1, 100];
  const trajectory = new Float64Array(2 * (STEPS + 1));
  const loss = new Float64Array(STEPS + 1);
  const lr = new Float64Array(STEPS);
  const mOut = new Float64Array(2 * STEPS);
  const vOut = new Float64Array(2 * STEPS);
  const eff = new Float64Array(2 * STEPS);
  const f = (x, y) => (a - x) ** 2 + b * (y - x * x) ** 2;
  let x = -1.2;
  let y = 1;
  let m0 = 0;
  let m1 = 0;
  let v0 = 0;
  let v1 = 0;
  trajectory[0] = x;
  trajectory[1] = y;
  loss[0] = f(x, y);
  for (let t = 1; t <= STEPS; t++) {
    const g0 = -2 * (a - x) - 4 * b * x * (y - x * x);
    const g1 = 2 * b * (y - x * x);
    m0 = b1 * m0 + (1 - b1) * g0;
    m1 = b1 * m1 + (1 - b1) * g1;
    v0 = b2 * v0 + (1 - b2) * g0 * g0;
    v1 = b2 * v1 + (1 - b2) * g1 * g1;
    const bc1 = 1 - b1 ** t;
    const sbc2 = Math.sqrt(1 - b2 ** t);
    const e0 = 1 / (Math.sqrt(v0) / sbc2 + eps);
    const e1 = 1 / (Math.sqrt(v1) / sbc2 + eps);
    x -= LR * (m0 / bc1) * e0;
    y -= LR * (m1 / bc1) * e1;
    trajectory[2 * t] = x;
    trajectory[2 * t + 1] = y;
    loss[t] = f(x, y);
    lr[t - 1] = LR;
    mOut.set([m0, m1], 2 * (t - 1));
    vOut.set([v0, v1], 2 * (t - 1));
    eff.set([LR * e0, LR * e1], 2 * (t - 1));
  }
  return { trajectory, loss, lr, mOut, vOut, eff };
}

function median(samples) {
  const s = [...samples].sort((p, q) => p - q);
  return s[Math.floor(s.length / 2)];
}

/** Interleaved repetitions so that both contenders see the same machine load. */
function measure(contenders, repetitions) {
  const times = Object.fromEntries(Object.keys(contenders).map((k) => [k, []]));
  for (let i = 0; i < repetitions; i++) {
    for (const [name, fn] of Object.entries(contenders)) {
      const start = performance.now();
      fn();
      times[name].push(performance.now() - start);
    }
  }
  return Object.fromEntries(Object.entries(times).map(([k, v]) => [k, median(v)]));
}

// Same numbers first: a benchmark of different work would mean nothing. Only
// the first 300 updates are compared: near the minimum, rounding noise in the
// gradient is amplified by Adam's normalisation and the two runs drift apart
// by design (conformance.md section 2).
const wasmRun = m.run(config);
const jsRun = adamJs();
let worst = 0;
for (let i = 0; i < 2 * 301; i++) {
  const d = Math.abs(wasmRun.trajectory[i] - jsRun.trajectory[i]);
  worst = Math.max(worst, d / Math.max(1, Math.abs(jsRun.trajectory[i])));
}
if (!(worst < 1e-9)) {
  console.error(`bench: the JavaScript baseline disagrees with the core (${worst})`);
  process.exit(1);
}

measure({ wasm: () => m.run(config), js: adamJs }, 5); // warm-up
const t = measure({ wasm: () => m.run(config), js: adamJs }, 21);
console.log(`Adam on Rosenbrock, ${STEPS} updates with all state recorded (median of 21)`);
console.log(`  JavaScript (baseline)  ${t.js.toFixed(2)} ms`);
console.log(`  wasm m.run             ${t.wasm.toFixed(2)} ms`);
console.log(`  wasm / JavaScript      ${(t.wasm / t.js).toFixed(2)}x the baseline's time`);

// The page's frame times, in its own process (it drives a browser).
console.log('');
const frames = spawnSync(process.execPath, [join(root, 'tests', 'bench', 'frames.mjs')], {
  stdio: 'inherit',
});
process.exitCode = frames.status ?? 1;
