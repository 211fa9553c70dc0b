// SPDX-License-Identifier: MIT
// A module worker of the page's pool (engine.js createPool), with its own instance of the core.
// Protocol: {id, type, ...} -> {id, type: 'progress', ...} any number of times, then
// {id, type: 'done', result} (typed arrays transferred) or {id, type: 'error', message}.
// Types:
// - 'run' {configs, view}: one m.run per config, in order -> [{result} | {error}] (the race;
//   with a view, each result carries the figure's track in it).
// - 'ensemble' {config, from, count}: runs [from, from + count) of an m.ensemble (its chunk of
//   a pooled ensemble: the core seeds run r with seed + r, so chunks join to one whole call).
// - 'train' {configs, steps, chunk, boundary, sliceSeed}: a training race (trainRace), with a
//   progress message carrying a snapshot after each round.
// - 'network-preview' {config, boundary}: the data and the decision boundary before training.
// - 'line-slice' {config, paramsA, paramsB}: the loss along the line between two solutions.
// - 'digits' {config, steps}: one network trained on the handwritten digits (data/digits.csv.gz,
//   fetched and decompressed here once) -> its history, final numbers, top Hessian eigenvalue,
//   epsilon-sharpness and up to MAX_MISSED misclassified test digits.
// - 'digits-slice' {config, paramsA, paramsB}: 'line-slice' on the digits.
// - 'tool' {call, config}: one call of the core's tools module ('rangeTest' or 'tune'), loaded
//   in this Worker the first time (the single file has none: an error says so).
// - 'stats': {wasmBytes, trainers}: this Worker's core memory and its Trainers not deleted.

import { fromModule } from './engine.js';
import { prepareTrack } from './render/paths.js';
import { viewKey, viewMap } from './render/view.js';
import { parseDigits } from './sections/digits/data.js';
import { loadTools } from './tools.js';

/** The tools module's calls a 'tool' message may make. */
const TOOL_CALLS = ['rangeTest', 'tune'];

/** @type {Promise<import('./optim.d.ts').OptimModule> | null} */
let enginePromise = null;

/**
 * What the page sends first ({type: 'init', module | wasm, single}): its compiled core (whose
 * machine code this Worker's instance shares), or the single file's wasm; and whether the page
 * is the single file.
 */
let wasmModule = null;
let wasmBinary = null;
let single = false;

function engine() {
  enginePromise ??= (async () => {
    const { default: createOptim } = await import('./optim.mjs');
    if (wasmModule) return fromModule(createOptim, wasmModule);
    if (wasmBinary) return createOptim({ wasmBinary });
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

const errorText = (err) => (err instanceof Error ? err.message : String(err));

/** The digits: { images (64 bytes each), labels }, fetched once. */
let digitsPromise = null;
function loadDigits() {
  if (single) {
    return Promise.reject(
      new Error('the digits need the served page; this single file does not carry them'),
    );
  }
  digitsPromise ??= (async () => {
    const url = new URL('./data/digits.csv.gz', import.meta.url);
    const response = await fetch(url);
    if (!response.ok) throw new Error(`the digits ${url} did not load: HTTP ${response.status}`);
    const text = await new Response(
      response.body.pipeThrough(new DecompressionStream('gzip')),
    ).text();
    return parseDigits(text);
  })().catch((err) => {
    digitsPromise = null;
    throw err;
  });
  return digitsPromise;
}

/** Misclassified test digits a result carries at most. */
export const MAX_MISSED = 24;

/** One digits network trained for `steps`: what the page's digits section shows. */
export function trainDigits(m, { config, steps }, digits) {
  const tr = newTrainer(m, config, digits);
  try {
    tr.run(steps);
    const h = tr.history();
    const last = h.evalSteps.length - 1;
    const predicted = tr.predictions().test;
    const test = tr.data().test;
    const missed = [];
    for (let i = 0; i < predicted.length && missed.length < MAX_MISSED; i++) {
      if (predicted[i] !== test.labels[i]) {
        missed.push({
          pixels: Float64Array.from(test.points.subarray(64 * i, 64 * i + 64)),
          label: test.labels[i],
          predicted: predicted[i],
        });
      }
    }
    let wrong = 0;
    for (let i = 0; i < predicted.length; i++) if (predicted[i] !== test.labels[i]) wrong += 1;
    return {
      history: historySlice(h, 0),
      trainLoss: h.trainLoss[last],
      testLoss: h.testLoss[last],
      trainAccuracy: h.trainAccuracy[last],
      testAccuracy: h.testAccuracy[last],
      gap: h.testLoss[last] - h.trainLoss[last],
      eigenvalue: tr.topEigenvalue(EIGEN_ITERATIONS, 1),
      sharpness: tr.sharpness(SHARPNESS_EPSILON, 1),
      testSize: predicted.length,
      wrong,
      missed,
      params: Float64Array.from(tr.params()),
    };
  } finally {
    deleteTrainer(tr);
  }
}

/** Trainers made and not yet deleted (the page's memory soak test reads it: 'stats'). */
let liveTrainers = 0;
function newTrainer(m, config, digits) {
  const tr = new m.Trainer(config, digits);
  liveTrainers += 1;
  return tr;
}
function deleteTrainer(tr) {
  tr.delete();
  liveTrainers -= 1;
}

/** The buffers of every typed array in `value` (a result to transfer). */
function buffersOf(value, out = new Set()) {
  if (ArrayBuffer.isView(value)) out.add(value.buffer);
  else if (value && typeof value === 'object')
    for (const v of Object.values(value)) buffersOf(v, out);
  return out;
}

/**
 * One m.run per config: [{ result } | { error }] (a rejected config does not stop the rest).
 * With a view { box, width, height }, each result carries the figure's track of its path in
 * that view (result.track, render/paths.js prepareTrack; track.view its viewKey), so that the
 * page's thread does not project and decimate long paths.
 */
export function runAll(m, configs, view = null) {
  const map = view && viewMap(view.box, view.width, view.height);
  return configs.map((config) => {
    try {
      const result = m.run(config);
      if (map) result.track = { ...prepareTrack(result, map), view: viewKey(view) };
      return { result };
    } catch (err) {
      return { error: errorText(err) };
    }
  });
}

const ARRAYS = ['endpoints', 'trainLoss', 'testLoss', 'gap', 'basin'];
/** Values per run of each typed array of a racer's ensemble result. */
export const ENSEMBLE_WIDTH = { endpoints: 2, trainLoss: 1, testLoss: 1, gap: 1, basin: 1 };
export const ENSEMBLE_ARRAYS = ARRAYS;

/** Runs [from, from + count) of the ensemble `config` (whose seed is that of run 0). */
export function ensembleChunk(m, config, from, count) {
  return m.ensemble({ ...config, runs: count, seed: (config.seed ?? 1) + from });
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
    for (const config of configs) trainers.push(newTrainer(m, config));
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
    for (const tr of trainers) deleteTrainer(tr);
  }
}

/**
 * The loss along the line (1 - alpha) * paramsA + alpha * paramsB, alpha in [-0.5, 1.5]
 * (Goodfellow et al. 2015), on the data of racer A's config: a Trainer built from `config`
 * gets A's final parameters and is deleted again, also on an error.
 */
export function lineSlice(m, { config, paramsA, paramsB }, digits) {
  const tr = newTrainer(m, config, digits);
  try {
    tr.setParams(paramsA);
    return sliceArrays(tr.lineSlice(paramsB, { points: SLICE_POINTS, from: -0.5, to: 1.5 }));
  } finally {
    deleteTrainer(tr);
  }
}

/** The data and the decision boundary of a network before its first step. */
export function networkPreview(m, { config, boundary = {} }) {
  const tr = newTrainer(m, config);
  try {
    const data = tr.data();
    const box = dataBox(data);
    const width = boundary.width ?? 80;
    const height = boundary.height ?? 80;
    return { data, box, width, height, grid: tr.boundary(box, width, height) };
  } finally {
    deleteTrainer(tr);
  }
}

const HANDLERS = {
  run: (m, msg) => runAll(m, msg.configs, msg.view ?? null),
  ensemble: (m, msg) => ensembleChunk(m, msg.config, msg.from, msg.count),
  train: (m, msg, progress) => trainRace(m, msg, progress),
  'network-preview': (m, msg) => networkPreview(m, msg),
  'line-slice': (m, msg) => lineSlice(m, msg),
  digits: async (m, msg) => trainDigits(m, msg, await loadDigits()),
  'digits-slice': async (m, msg) => lineSlice(m, msg, await loadDigits()),
  tool: async (m, msg) => {
    if (single) {
      throw new Error('the tools of this section need the served page; this single file has none');
    }
    if (!TOOL_CALLS.includes(msg.call)) throw new Error(`worker: unknown tool ${String(msg.call)}`);
    const tools = await loadTools();
    return tools[msg.call](msg.config);
  },
  // What this Worker holds: its core's memory and the Trainers not deleted.
  stats: (m) => ({ wasmBytes: m.HEAP8.byteLength, trainers: liveTrainers }),
};

self.addEventListener('message', async (event) => {
  const msg = event.data ?? {};
  const { id, type } = msg;
  if (type === 'init') {
    wasmModule = msg.module ?? null;
    wasmBinary = msg.wasm ?? null;
    single = !!msg.single;
    return;
  }
  const handler = Object.hasOwn(HANDLERS, type) ? HANDLERS[type] : null;
  if (!handler) {
    self.postMessage({
      type: 'error',
      id,
      message: `worker: unknown message type ${String(type)}`,
    });
    return;
  }
  try {
    const m = await engine();
    const result = await handler(m, msg, (done, total, snapshot) =>
      self.postMessage({ type: 'progress', id, done, total, snapshot }),
    );
    self.postMessage({ type: 'done', id, result }, [...buffersOf(result)]);
  } catch (err) {
    self.postMessage({ type: 'error', id, message: errorText(err) });
  }
});
