// SPDX-License-Identifier: MIT
// Workload b: the lab's ensemble, 1000 seeds x 8 racers x 2000 steps on the twin basin, wall
// time. The config is the one web/lab.js sends; in Chromium it runs in the site's module
// Worker (dist/worker.js, in chunks of 50 runs, as the page does), in Node as one m.ensemble
// call, natively as one run_ensemble. Check: every racer's basin counts equal the reference's.
import { timeIt } from '../lib/measure.mjs';
import { makeTable, medianOf } from '../lib/report.mjs';

/** Eight of the page's methods, with their default hyperparameters. */
const RACERS = ['sgd', 'sgd_momentum', 'nag', 'adagrad', 'rmsprop', 'adam', 'nadam', 'radam'];

function counts(racers) {
  return racers.map((r) => ({
    basinCounts: Array.from(r.basinCounts),
    other: r.other,
    diverged: r.diverged,
  }));
}

export async function run(ctx) {
  const { m, quick, reps, browser, native } = ctx;
  const runs = ctx.sizes.ensembleRuns ?? (quick ? 100 : 1000);
  const steps = ctx.sizes.ensembleSteps ?? 2000;
  const info = m.functionInfo({ name: 'twin_basin' });
  const config = {
    function: info.function,
    racers: RACERS.map((name) => ({ optimizer: m.normalizeOptimizer({ name }), schedule: null })),
    steps,
    runs,
    seed: 1,
    start: { box: info.domain },
    test_offset: [0.5, 0],
  };
  const ref = JSON.stringify(counts(m.ensemble(config).racers));
  const check = (racers) => {
    const same = JSON.stringify(counts(racers)) === ref;
    return { ok: same, check: same ? 'basin counts equal' : 'basin counts differ' };
  };
  const opts = { warmup: 1, repetitions: reps, minSampleMs: 0 };
  const rows = [];
  if (browser) {
    const r = await browser.time('ensembleWorker', { config }, opts);
    rows.push({
      contender: 'wasm, Chromium: dist/worker.js (as the page)',
      samples: r.samples,
      ...check(r.result),
    });
  }
  const r = await timeIt(() => m.ensemble(config).racers, opts);
  rows.push({ contender: 'wasm, Node: m.ensemble', samples: r.samples, ...check(r.result) });
  if (native.available) {
    const out = native.run({ kind: 'ensemble', config, repetitions: reps, warmup: 1 });
    rows.push({
      contender: 'native: run_ensemble',
      samples: out.samples_ms,
      ...check(out.result.racers),
    });
  }
  const table = makeTable({
    id: 'ensemble',
    title: `b) Ensemble: ${runs} seeds x ${RACERS.length} racers x ${steps} steps on twin_basin`,
    unit: 'ms',
    higherIsBetter: false,
    rows,
    notes: [
      `Racers: ${RACERS.join(', ')} (default hyperparameters); starts uniform over the domain.`,
    ],
  });
  const chromium = medianOf(table, 'wasm, Chromium: dist/worker.js (as the page)');
  table.target = {
    text: `${1000} seeds ≤ 1 s in a Chromium Worker`,
    met: chromium !== undefined && runs === 1000 ? chromium <= 1000 : null,
    detail:
      chromium !== undefined
        ? `${(chromium / 1000).toFixed(2)} s for ${runs} seeds`
        : 'no Chromium row',
  };
  return [table];
}
