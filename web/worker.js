// SPDX-License-Identifier: MIT
// A module worker that runs long ensembles off the page's thread (STYLE.md §4).
// Protocol: {type: 'ensemble', id, config} -> {type: 'progress', id, done, total} after each
// chunk, then {type: 'done', id, result} (typed arrays transferred) or {type: 'error', id,
// message}. To cancel, the page terminates this worker and starts a fresh one next time.
// {type: 'train', id, configs, steps, chunk, boundary: {index, width, height}} trains one
// m.Trainer per config, `chunk` steps each in turn, and posts {type: 'progress', id, done, total,
// snapshot} after each round (the new evaluations of every racer and the decision boundary of
// racer `index`), then {type: 'done', id, result} (see trainRace).
// {type: 'line-slice', id, config, paramsA, paramsB} -> {type: 'done', id, result: {alphas, train,
// test}}: the loss along the line from racer A's final parameters to racer B's (see lineSlice).

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

/** Steps per Trainer.run call in a training race. */
const TRAIN_CHUNK = 25;
/** The train loss whose first crossing the race reports (steps to reach it). */
export const TARGET_LOSS = 0.3;
/** Power iterations of the top Hessian eigenvalue at the end of a race. */
const EIGEN_ITERATIONS = 20;
/** The box radius of epsilon-sharpness at the end of a race, as in Keskar et al. (2017). */
export const SHARPNESS_EPSILON = 1e-3;
/** Points of the 1-D loss slices; alpha = 0 is the middle point of the random slice. */
const SLICE_POINTS = 41;
const HISTORY = ['evalSteps', 'trainLoss', 'testLoss', 'trainAccuracy', 'testAccuracy'];

/** The data's box, padded by 10%: where the decision boundary is drawn. */
function dataBox(data) {
  let xmin = Infinity;
  let xmax = -Infinity;
  let ymin = Infinity;
  let ymax = -Infinity;
  for (const { points } of [data.train, data.test]) {
    for (let i = 0; i + 1 < points.length; i += 2) {
      xmin = Math.min(xmin, points[i]);
      xmax = Math.max(xmax, points[i]);
      ymin = Math.min(ymin, points[i + 1]);
      ymax = Math.max(ymax, points[i + 1]);
    }
  }
  if (!(xmax > xmin)) [xmin, xmax] = [xmin - 1, xmin + 1];
  if (!(ymax > ymin)) [ymin, ymax] = [ymin - 1, ymin + 1];
  const px = 0.1 * (xmax - xmin);
  const py = 0.1 * (ymax - ymin);
  return { xmin: xmin - px, xmax: xmax + px, ymin: ymin - py, ymax: ymax + py };
}

/** Entries [from, end) of a Trainer's evaluation history, as plain arrays. */
function historySlice(h, from) {
  return Object.fromEntries(HISTORY.map((k) => [k, Array.from(h[k].subarray(from))]));
}

/** A slice of the core ({alphas, train, test}) as plain Float64Arrays. */
function sliceArrays(slice) {
  return {
    alphas: Float64Array.from(slice.alphas),
    train: Float64Array.from(slice.train),
    test: Float64Array.from(slice.test),
  };
}

/**
 * A training race: one m.Trainer per config (same data, initialization and shuffling seeds
 * are the caller's business), `chunk` steps each in turn, `progress(done, total, snapshot)`
 * after each round. Every Trainer is deleted at the end, also on an error. The result: data,
 * box, and per racer the evaluation history, final metrics, top Hessian eigenvalue,
 * epsilon-sharpness (SHARPNESS_EPSILON), steps to train loss < TARGET_LOSS (null if never), the
 * decision boundary on the box, the final parameters and the loss along a filter-normalized
 * random direction (seed `sliceSeed`, the same for every racer; alpha in [-1, 1]).
 */
export function trainRace(
  m,
  { configs, steps, chunk = TRAIN_CHUNK, boundary = {}, sliceSeed = 0 },
  progress,
) {
  const width = boundary.width ?? 80;
  const height = boundary.height ?? 80;
  const index = Math.min(Math.max(0, boundary.index ?? 0), configs.length - 1);
  const trainers = [];
  try {
    for (const config of configs) trainers.push(new m.Trainer(config));
    const data = trainers[0].data();
    const box = dataBox(data);
    const sent = trainers.map(() => 0);
    const snapshot = () => ({
      racers: trainers.map((tr, i) => {
        const h = tr.history();
        const part = historySlice(h, sent[i]);
        sent[i] = h.evalSteps.length;
        return part;
      }),
      index,
      boundary: trainers[index]?.boundary(box, width, height) ?? null,
    });
    progress?.(0, steps, { ...snapshot(), data, box, width, height });
    for (let done = 0; done < steps; ) {
      const k = Math.min(chunk, steps - done);
      for (const tr of trainers) tr.run(k);
      done += k;
      progress?.(done, steps, snapshot());
    }
    const racers = trainers.map((tr) => {
      const h = tr.history();
      const last = h.evalSteps.length - 1;
      const hit = h.trainLoss.findIndex((v) => v < TARGET_LOSS);
      const trainLoss = h.trainLoss[last];
      const testLoss = h.testLoss[last];
      return {
        history: historySlice(h, 0),
        evalStep: h.evalSteps[last],
        trainLoss,
        testLoss,
        trainAccuracy: h.trainAccuracy[last],
        testAccuracy: h.testAccuracy[last],
        gap: testLoss - trainLoss,
        eigenvalue: tr.topEigenvalue(EIGEN_ITERATIONS, 1),
        sharpness: tr.sharpness(SHARPNESS_EPSILON, 1),
        stepsToTarget: hit >= 0 ? h.evalSteps[hit] : null,
        boundary: tr.boundary(box, width, height),
        params: Float64Array.from(tr.params()),
        slice: sliceArrays(tr.randomSlice({ seed: sliceSeed, points: SLICE_POINTS, radius: 1 })),
      };
    });
    return {
      steps,
      data,
      box,
      width,
      height,
      target: TARGET_LOSS,
      epsilon: SHARPNESS_EPSILON,
      sliceSeed,
      racers,
    };
  } finally {
    for (const tr of trainers) tr.delete();
  }
}

/**
 * The loss along the line (1 - alpha) * paramsA + alpha * paramsB, alpha in [-0.5, 1.5]
 * (Goodfellow et al. 2015), on the data of racer A's config: a Trainer built from `config`
 * gets A's final parameters and is deleted again, also on an error.
 */
export function lineSlice(m, { config, paramsA, paramsB }) {
  const tr = new m.Trainer(config);
  try {
    tr.setParams(paramsA);
    return sliceArrays(tr.lineSlice(paramsB, { points: SLICE_POINTS, from: -0.5, to: 1.5 }));
  } finally {
    tr.delete();
  }
}

self.addEventListener('message', async (event) => {
  const { type, id, config } = event.data ?? {};
  if (type === 'line-slice') {
    try {
      const result = lineSlice(await engine(), event.data);
      self.postMessage({ type: 'done', id, result });
    } catch (err) {
      self.postMessage({
        type: 'error',
        id,
        message: err instanceof Error ? err.message : String(err),
      });
    }
    return;
  }
  if (type === 'train') {
    try {
      const m = await engine();
      const result = trainRace(m, event.data, (done, total, snapshot) =>
        self.postMessage({ type: 'progress', id, done, total, snapshot }),
      );
      self.postMessage({ type: 'done', id, result });
    } catch (err) {
      self.postMessage({
        type: 'error',
        id,
        message: err instanceof Error ? err.message : String(err),
      });
    }
    return;
  }
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
