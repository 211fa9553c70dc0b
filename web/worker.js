// SPDX-License-Identifier: MIT
// A module worker that runs long ensembles off the page's thread (STYLE.md §4).
// Protocol: {type: 'ensemble', id, config} -> {type: 'progress', id, done, total} after each
// chunk, then {type: 'done', id, result} (typed arrays transferred) or {type: 'error', id,
// message}. To cancel, the page terminates this worker and starts a fresh one next time.

/** Runs per m.ensemble call: small enough for a smooth progress bar, large enough to be fast. */
const CHUNK = 50;
/** The core's default seed (src/run/ensemble.hpp). */
const DEFAULT_SEED = 1;
/** The core's default number of runs (optim.d.ts EnsembleConfig.runs). */
const DEFAULT_RUNS = 100;

/** @type {Promise<import('./optim.d.ts').OptimModule> | null} */
let enginePromise = null;

function engine() {
  enginePromise ??= (async () => {
    const { default: createOptim } = await import('./optim.mjs');
    const wasmUrl = new URL('./optim.wasm', import.meta.url).href;
    return createOptim({
      locateFile: (path, prefix) => (path.endsWith('.wasm') ? wasmUrl : prefix + path),
    });
  })().catch((err) => {
    enginePromise = null;
    throw err;
  });
  return enginePromise;
}

const ARRAYS = ['endpoints', 'trainLoss', 'testLoss', 'gap', 'basin'];
/** Values per run of each typed array of a racer's result. */
const WIDTH = { endpoints: 2, trainLoss: 1, testLoss: 1, gap: 1, basin: 1 };

/**
 * The ensemble in chunks of CHUNK runs. The core seeds run r with seed + r, so the chunk of runs
 * [a, a + n) is ensemble({...config, runs: n, seed: seed + a}); the joined result equals one
 * whole call. `progress(done, total)` is called after each chunk.
 */
export function chunkedEnsemble(m, config, progress = () => {}) {
  const total = config.runs ?? DEFAULT_RUNS;
  const seed = config.seed ?? DEFAULT_SEED;
  let result = null;
  for (let a = 0; a < total; a += CHUNK) {
    const n = Math.min(CHUNK, total - a);
    const part = m.ensemble({ ...config, runs: n, seed: seed + a });
    if (!result) {
      result = {
        runs: total,
        minima: part.minima,
        racers: part.racers.map((r) => ({
          basinCounts: r.basinCounts.map(() => 0),
          other: 0,
          diverged: 0,
          ...Object.fromEntries(ARRAYS.map((k) => [k, new r[k].constructor(total * WIDTH[k])])),
        })),
      };
    }
    part.racers.forEach((r, i) => {
      const out = result.racers[i];
      r.basinCounts.forEach((c, k) => (out.basinCounts[k] += c));
      out.other += r.other;
      out.diverged += r.diverged;
      for (const k of ARRAYS) out[k].set(r[k], a * WIDTH[k]);
    });
    progress(a + n, total);
  }
  return result;
}

self.addEventListener('message', async (event) => {
  const { type, id, config } = event.data ?? {};
  if (type !== 'ensemble') {
    self.postMessage({ type: 'error', id, message: `worker: unknown message type ${type}` });
    return;
  }
  try {
    const m = await engine();
    const result = chunkedEnsemble(m, config, (done, total) =>
      self.postMessage({ type: 'progress', id, done, total }),
    );
    const buffers = result.racers.flatMap((r) => ARRAYS.map((k) => r[k].buffer));
    self.postMessage({ type: 'done', id, result }, buffers);
  } catch (err) {
    self.postMessage({
      type: 'error',
      id,
      message: err instanceof Error ? err.message : String(err),
    });
  }
});
