// SPDX-License-Identifier: MIT
// Workload b: the lab's ensemble, 1000 seeds x 8 racers x 2000 steps on the twin basin, wall
// time. The config is the one the lab sends; in Chromium it runs in the site's pool of module
// Workers (dist/worker.js, in chunks of 50 runs, as the page does) of 1, 2 and 4 Workers,
// taking turns; in Node as one m.ensemble call, natively as one run_ensemble. Check: every
// racer's basin counts equal the reference's, whatever the pool size.
import { summary, timeIt } from '../lib/measure.mjs';
import { makeTable, medianOf } from '../lib/report.mjs';

/** Pool sizes measured in Chromium; the page sizes its pool to the machine (engine.js). */
const POOL_SIZES = [1, 2, 4];
/**
 * Rounds of the pool sizes taking turns: the pool's ratio to one Worker is the median of the
 * rounds' ratios, and a few seconds of the shared machine's load move one round's by 0.05.
 */
const POOL_ROUNDS = 9;
const poolRow = (n) => `wasm, Chromium: a pool of ${n} Worker${n > 1 ? 's' : ''} (dist/worker.js)`;

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
    // Each pool size is warmed up, then the sizes take turns, one sample each per round: the
    // machine is shared, and the pool's ratio to one Worker should compare samples taken
    // seconds apart, not blocks of them taken a minute apart.
    const pools = POOL_SIZES.map((workers) => ({ workers, samples: [], result: null }));
    for (const pool of pools) {
      await browser.time(
        'ensembleWorker',
        { config, workers: pool.workers },
        { ...opts, repetitions: 0 },
      );
    }
    for (let round = 0; round < Math.max(reps, POOL_ROUNDS); round++) {
      for (const pool of pools) {
        const r = await browser.time(
          'ensembleWorker',
          { config, workers: pool.workers },
          { warmup: 0, repetitions: 1, minSampleMs: 0, minWarmupMs: 0 },
        );
        pool.samples.push(...r.samples);
        pool.result = r.result;
      }
    }
    for (const pool of pools) {
      rows.push({ contender: poolRow(pool.workers), samples: pool.samples, ...check(pool.result) });
    }
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
      "The pool sizes take turns, one sample each per round; a pool's ratio to one Worker is " +
        "the median over the rounds of its sample over the one Worker's of the same round.",
    ],
  });
  const one = medianOf(table, poolRow(1));
  // A pool's ratio to one Worker: the median over rounds of its sample over one Worker's
  // sample of the same round (undefined if a pool's results disagree).
  const ratioOf = (workers) => {
    const row = (n) => table.rows.find((r) => r.contender === poolRow(n) && r.ok !== false);
    const [a, b] = [row(1), row(workers)];
    return a && b ? summary(b.samples.map((v, k) => v / a.samples[k])).median : undefined;
  };
  const [two, four] = [ratioOf(2), ratioOf(4)];
  table.target = {
    text: `1000 seeds ≤ 1 s in one Chromium Worker; a pool of 2 ≤ 0.55x one Worker`,
    met:
      one !== undefined && two !== undefined && runs === 1000 ? one <= 1000 && two <= 0.55 : null,
    detail:
      one !== undefined
        ? `${(one / 1000).toFixed(2)} s for ${runs} seeds in one Worker; pool of 2 / one = ${two?.toFixed(2)}x, pool of 4 / one = ${four?.toFixed(2)}x (medians of ${table.rows[0].samples.length} rounds' ratios)`
        : 'no Chromium row',
  };
  return [table];
}
