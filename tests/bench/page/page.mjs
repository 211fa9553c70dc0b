// SPDX-License-Identifier: MIT
// In Chromium, for tests/bench/run.mjs: the wasm core as the page loads it (dist/engine.js
// loadEngine), the hand-written JavaScript of tests/bench/js, and the site's pool of Workers
// (dist/engine.js createPool), each timed here. window.bench.time(task, args, warmup, repetitions) -> { samples, result }.
import { createPool, loadEngine } from '../../../dist/engine.js';
import { COLOUR_TABLE } from '../../../dist/render/landscape.js';
import { chunks, joinEnsemble } from '../../../dist/sections/lab/model.js';
import { rosenbrockPath } from '../js/paths.mjs';
import { contours, heatMap } from '../js/landscape.mjs';
import { wasmHeat, heatSummary, segmentCounts, pathSummary } from '../js/shared.mjs';

const m = await loadEngine();

/** Pools of the site's Workers (dist/worker.js) by size, kept between timed calls. */
const pools = new Map();

/** One ensemble split over a pool of `size` Workers, in chunks, as the lab runs it. */
async function pooledEnsemble(config, size) {
  let pool = pools.get(size);
  if (!pool) {
    pool = createPool({ size, url: new URL('../../../dist/worker.js', import.meta.url) });
    pools.set(size, pool);
  }
  const parts = await Promise.all(
    chunks(config.runs).map(
      ([from, count]) => pool.task({ type: 'ensemble', config, from, count }).promise,
    ),
  );
  return joinEnsemble(parts, config.runs);
}

/** The m.Trainer of the MLP rows, kept between timed calls (keyed by its config). */
let trainer = null;
let trainerKey = '';

function trainerFor(config, trainSteps = 0) {
  const key = JSON.stringify([config, trainSteps]);
  if (trainerKey !== key) {
    trainer?.delete();
    trainer = null;
    trainer = new m.Trainer(config);
    trainer.run(trainSteps);
    trainerKey = key;
  }
  return trainer;
}

const TASKS = {
  trainerRun: ({ config, steps }) => {
    trainerFor(config).run(steps);
    return null;
  },
  trainerParams: ({ config }) => Array.from(trainerFor(config).params()),
  eigenWasm: ({ config, trainSteps, iterations, seed }) =>
    trainerFor(config, trainSteps).topEigenvalue(iterations, seed),
  pathWasm: ({ config }) => pathSummary(m.run(config)),
  pathJs: ({ method, hp, start, steps }) => pathSummary(rosenbrockPath(method, hp, start, steps)),
  heatWasm: ({ config }) => heatSummary(wasmHeat(m, config, COLOUR_TABLE)),
  heatJs: ({ name, box, width, height }) =>
    heatSummary(heatMap(name, box, width, height, COLOUR_TABLE)),
  contoursWasm: ({ config }) => segmentCounts(m.landscape(config)),
  contoursJs: ({ name, box, width, height, levels }) =>
    segmentCounts(contours(name, box, width, height, levels)),
  ensembleWorker: async ({ config, workers = 1 }) => {
    const r = await pooledEnsemble(config, workers);
    return r.racers.map((x) => ({
      basinCounts: x.basinCounts,
      other: x.other,
      diverged: x.diverged,
    }));
  },
};

window.bench = {
  call: (task, args) => TASKS[task](args),
  /**
   * As tests/bench/lib/measure.mjs timeIt: milliseconds per call of `task`. warmup 0 (with
   * minWarmupMs and minSampleMs 0): no untimed call, for a task already warm.
   */
  async time(task, args, warmup, repetitions, minSampleMs = 20, minWarmupMs = 200) {
    const fn = TASKS[task];
    if (!fn) throw new Error(`bench page: unknown task ${task}`);
    let result;
    let last = 0;
    const start = performance.now();
    for (let i = 0; i < warmup || performance.now() - start < minWarmupMs; i++) {
      const t0 = performance.now();
      result = await fn(args);
      last = performance.now() - t0;
    }
    const inner =
      last >= minSampleMs ? 1 : Math.min(1000, Math.ceil(minSampleMs / Math.max(last, 0.01)));
    const samples = [];
    for (let i = 0; i < repetitions; i++) {
      const t0 = performance.now();
      for (let k = 0; k < inner; k++) result = await fn(args);
      samples.push((performance.now() - t0) / inner);
    }
    return { samples, result };
  },
};
document.body.dataset.ready = 'true';
