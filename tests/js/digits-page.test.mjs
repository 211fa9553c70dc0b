// SPDX-License-Identifier: MIT
// The digits section's page side (web/sections/digits): the vendored file read as the Workers
// read it, one trainer config per racer and seed (the seed, not the racer, sets the split, the
// initialization and the batches), the summary's mean and standard deviation, the averaged
// curves, the caption, and the digits slice of the state in the link.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { loadOptim, ROOT } from './lib/optim.mjs';
import { defaultState, normalizeDigits } from '../../web/app/schema.js';
import { parseHash, serializeState } from '../../web/app/url.js';
import { t } from '../../web/i18n.js';
import { parseDigits } from '../../web/sections/digits/data.js';
import {
  absoluteNote,
  accuracyCurves,
  batchJobs,
  digitsCaption,
  digitsJobs,
  rateOf,
  sliceLine,
  spread,
  summarize,
} from '../../web/sections/digits/model.js';

const m = await loadOptim();
const text = gunzipSync(await readFile(join(ROOT, 'data', 'digits', 'digits.csv.gz'))).toString();
const digits = parseDigits(text);

/** What the Worker's 'digits' handler measures, on the core directly. */
function train(job, steps) {
  const tr = new m.Trainer(job.config, digits);
  try {
    tr.run(steps);
    const h = tr.history();
    const last = h.evalSteps.length - 1;
    return {
      history: {
        evalSteps: h.evalSteps,
        testAccuracy: h.testAccuracy,
        trainAccuracy: h.trainAccuracy,
      },
      trainLoss: h.trainLoss[last],
      testLoss: h.testLoss[last],
      trainAccuracy: h.trainAccuracy[last],
      testAccuracy: h.testAccuracy[last],
      gap: h.testLoss[last] - h.trainLoss[last],
      eigenvalue: tr.topEigenvalue(20, 1),
      sharpness: tr.sharpness(1e-3, 1),
      testLabels: Array.from(tr.data().test.labels),
    };
  } finally {
    tr.delete();
  }
}

describe('the digits file as the Workers read it', () => {
  test('1797 images of 64 pixels 0..16, labels 0..9 with 174 to 183 of each', () => {
    assert.equal(digits.labels.length, 1797);
    assert.equal(digits.images.length, 1797 * 64);
    const counts = new Array(10).fill(0);
    for (const y of digits.labels) counts[y] += 1;
    assert.ok(
      counts.every((c) => c >= 174 && c <= 183),
      String(counts),
    );
  });

  test('a damaged line is refused with its number', () => {
    assert.throws(() => parseDigits('0,'.repeat(64) + '3\n1,2,3'), /line 2 is not 64 pixels/);
    assert.throws(() => parseDigits('0,'.repeat(64) + '12'), /line 1/);
  });
});

describe('training the racers on the digits', () => {
  const state = parseHash(
    'v=1&r=adam(lr=0.01)&r=sgd_momentum(lr=0.05)&digits=seeds:2,steps:150',
    m,
  ).state;
  const jobs = digitsJobs(state);
  const results = jobs.map((job) => ({ result: train(job, state.digits.steps) }));

  test('one config per racer and seed, each accepted by the core', () => {
    assert.deepEqual(
      jobs.map((j) => [j.racer, j.seed]),
      [
        [0, 1],
        [0, 2],
        [1, 1],
        [1, 2],
      ],
    );
    for (const j of jobs) {
      const c = m.normalizeTrainerConfig(j.config);
      assert.equal(c.dataset.name, 'digits');
      assert.deepEqual(c.network.hidden, [32, 32]);
      assert.equal(c.batch_size, 32);
      assert.equal(c.eval_every, 3);
    }
  });

  test('a seed gives every racer the same split; seeds differ', () => {
    assert.deepEqual(results[0].result.testLabels, results[2].result.testLabels);
    assert.notDeepEqual(results[0].result.testLabels, results[1].result.testLabels);
  });

  test('the summary is the mean and sample standard deviation over seeds', () => {
    const rows = summarize(['Adam', 'SGDM'], jobs, results);
    for (const [racer, row] of rows.entries()) {
      const mine = results.filter((_, k) => jobs[k].racer === racer).map((r) => r.result);
      for (const key of ['testAccuracy', 'gap', 'eigenvalue']) {
        const [a, b] = mine.map((r) => r[key]);
        assert.ok(Math.abs(row[key].mean - (a + b) / 2) < 1e-12, key);
        // Two values: the sample standard deviation is |a - b| / sqrt(2).
        assert.ok(Math.abs(row[key].sd - Math.abs(a - b) / Math.SQRT2) < 1e-12, key);
      }
      assert.equal(row.runs, 2);
    }
    assert.deepEqual(spread([NaN, 1, 3]), { mean: 2, sd: Math.SQRT2, n: 2 });
    assert.deepEqual(spread([]).n, 0);
  });

  test('curves average the seeds; the caption names what was measured', () => {
    const curves = accuracyCurves(jobs, results, 2);
    assert.deepEqual(curves.x, Array.from(results[0].result.history.evalSteps));
    const i = curves.x.length - 1;
    const expected = (results[0].result.testAccuracy + results[1].result.testAccuracy) / 2;
    assert.ok(Math.abs(curves.values[0][0][i] - expected) < 1e-12);
    const rows = summarize(['Adam', 'SGDM'], jobs, results);
    const lines = digitsCaption(t, 'en', 2, rows);
    const best = rows[0].testAccuracy.mean >= rows[1].testAccuracy.mean ? 'Adam' : 'SGDM';
    assert.match(lines[0], new RegExp(`^Over 2 seeds, ${best} reached the highest test accuracy`));
    assert.match(lines[1], /^The largest generalization gap was /);
    // A failed racer is said, not dropped.
    const failed = summarize(['Adam', 'SGDM'], jobs, [
      results[0],
      results[1],
      { error: 'boom' },
      { error: 'boom' },
    ]);
    assert.match(digitsCaption(t, 'en', 2, failed).at(-1), /^SGDM could not train: boom$/);
  });

  test('Adam reaches 95% test accuracy on the digits at the section’s defaults', () => {
    const s = parseHash('v=1&r=adam(lr=0.01)&digits=seeds:1', m).state;
    const [job] = digitsJobs(s);
    const r = train(job, s.digits.steps);
    assert.ok(r.testAccuracy >= 0.95, String(r.testAccuracy));
  });
});

describe('each method at its learning rate for the digits', () => {
  const methods = m.methods();
  const page = new Map(methods.map((d) => [d.name, d.page]));
  const digitsLr = (name) => page.get(name)?.digitsLr;

  test('every method with a learning rate has a digits rate it accepts', () => {
    for (const d of methods) {
      if (!d.params.some((p) => p.name === 'lr')) continue;
      const lr = d.page.digitsLr;
      assert.ok(Number.isFinite(lr) && lr > 0, d.name);
      m.normalizeOptimizer({ name: d.name, hyperparameters: { lr } });
    }
  });

  test('the jobs take the digits rates, Lookahead’s inner method too; "race" keeps the racers’', () => {
    const link = 'v=1&r=adam(lr=0.02)&r=sgd_momentum(lr=0.002)&r=lookahead(inner=sgd(lr=0.002))';
    const state = parseHash(`${link}&digits=seeds:1`, m).state;
    const before = structuredClone(state.racers);
    const jobs = digitsJobs(state, digitsLr);
    const lrs = jobs.map((j) => rateOf(j.config.optimizer));
    assert.deepEqual(lrs, [digitsLr('adam'), digitsLr('sgd_momentum'), digitsLr('sgd')]);
    assert.deepEqual(lrs, [0.01, 0.1, 0.3]);
    // Only the rate changes: every other hyperparameter is the racer's.
    const adam = jobs[0].config.optimizer.hyperparameters;
    assert.deepEqual({ ...adam, lr: 0.02 }, state.racers[0].optimizer.hyperparameters);
    assert.deepEqual(state.racers, before);
    const race = parseHash(`${link}&digits=seeds:1,rates:race`, m).state;
    assert.deepEqual(
      digitsJobs(race, digitsLr).map((j) => rateOf(j.config.optimizer)),
      [0.02, 0.002, 0.002],
    );
    // The batch-size experiment trains at the same rate.
    const { jobs: pair } = batchJobs(state, 1, digitsLr);
    assert.deepEqual(
      pair.map((j) => rateOf(j.config.optimizer)),
      [0.1, 0.1],
    );
    // The table's rate column reads the jobs.
    const rows = summarize(['Adam', 'SGDM', 'Lookahead'], jobs, []);
    assert.deepEqual(
      rows.map((r) => r.lr),
      [0.01, 0.1, 0.3],
    );
  });

  // At the race's 2-D rates SGD reached about 40% and Adagrad 13% here.
  test('at their digits rates, the first racers all reach 93% test accuracy (seed 1)', () => {
    const state = parseHash('v=1&digits=seeds:1', m).state;
    assert.equal(state.racers.length, 5);
    for (const job of digitsJobs(state, digitsLr)) {
      const r = train(job, state.digits.steps);
      assert.ok(r.testAccuracy >= 0.93, `${job.config.optimizer.name}: ${r.testAccuracy}`);
    }
  });

  test('a schedule that sets its own rates is named in the caption', () => {
    const absolute = new Set(
      m
        .schedules()
        .filter((d) => d.absolute)
        .map((d) => d.name),
    );
    assert.deepEqual([...absolute].sort(), ['cyclic', 'one_cycle']);
    const isAbsolute = (name) => absolute.has(name);
    const state = parseHash('v=1&r=adam&r=sgd_momentum&r=sgd&digits=seeds:1', m).state;
    state.racers[1].schedule = m.normalizeSchedule({
      name: 'one_cycle',
      params: { max_lr: 0.1, total_steps: 500 },
    });
    state.racers[2].schedule = m.normalizeSchedule({
      name: 'sequential',
      params: {
        schedules: [
          { name: 'cosine', params: { t_max: 100 } },
          { name: 'cyclic', params: { base_lr: 0.001, max_lr: 0.1, step_size_up: 50 } },
        ],
        milestones: [100],
      },
    });
    assert.equal(
      absoluteNote(t, 'en', state, ['Adam', 'SGDM', 'SGD'], isAbsolute),
      'SGDM, SGD: the schedule sets the learning rate itself (cyclic or one-cycle), so it trains at the schedule’s rates from the race, not at a rate for the digits.',
    );
    state.racers[1].schedule = state.racers[2].schedule = null;
    assert.equal(absoluteNote(t, 'en', state, ['Adam', 'SGDM', 'SGD'], isAbsolute), null);
    state.racers[1].schedule = m.normalizeSchedule({
      name: 'cyclic',
      params: { base_lr: 0.001, max_lr: 0.1, step_size_up: 50 },
    });
    state.digits.rates = 'race';
    assert.equal(absoluteNote(t, 'en', state, ['Adam', 'SGDM', 'SGD'], isAbsolute), null);
  });
});

describe('small against large batch', () => {
  test('the selected racer at the section’s batch and at full batch, on the same seeds', () => {
    const state = parseHash('v=1&r=adam&r=sgd_momentum&sel=1&digits=seeds:2,batch:64', m).state;
    const { jobs, small } = batchJobs(state, 1);
    assert.equal(small, 64);
    assert.deepEqual(
      jobs.map((j) => [j.racer, j.seed, j.config.batch_size, j.config.optimizer.name]),
      [
        [0, 1, 64, 'sgd_momentum'],
        [0, 2, 64, 'sgd_momentum'],
        [1, 1, 0, 'sgd_momentum'],
        [1, 2, 0, 'sgd_momentum'],
      ],
    );
    // A section at full batch compares against batches of 32.
    state.digits.batch = 0;
    assert.equal(batchJobs(state, 0).small, 32);
  });

  test('the slice between the solutions: a barrier only when the loss rises above both ends', () => {
    const alphas = [-0.5, 0, 0.5, 1, 1.5];
    const barrier = sliceLine(t, 'en', { alphas, train: [9, 1, 3, 2, 9], test: [0, 0, 0, 0, 0] });
    assert.equal(
      barrier,
      'On the line between the two solutions the training loss rises from 1 (batches) and 2 (full batch) to 3 at α = 0.5: a barrier separates them.',
    );
    const none = sliceLine(t, 'en', { alphas, train: [9, 2, 1.5, 1, 9], test: [0, 0, 0, 0, 0] });
    assert.match(none, /from 2 \(batches\) to 1 \(full batch\) without rising above both/);
    // On the core: the line from one trained network to another starts and ends at their losses.
    const s = parseHash('v=1&r=adam(lr=0.01)&digits=seeds:1,steps:60', m).state;
    const { jobs } = batchJobs(s, 0);
    const nets = jobs.map((job) => {
      const tr = new m.Trainer(job.config, digits);
      tr.run(60);
      return tr;
    });
    try {
      const line = nets[0].lineSlice(Float64Array.from(nets[1].params()), {
        points: 41,
        from: -0.5,
        to: 1.5,
      });
      const h0 = nets[0].history();
      const h1 = nets[1].history();
      const k0 = Array.from(line.alphas).indexOf(0);
      const k1 = Array.from(line.alphas).indexOf(1);
      assert.ok(Math.abs(line.train[k0] - h0.trainLoss.at(-1)) < 1e-9 * h0.trainLoss.at(-1));
      assert.ok(Math.abs(line.train[k1] - h1.trainLoss.at(-1)) < 1e-9 * h1.trainLoss.at(-1));
    } finally {
      for (const tr of nets) tr.delete();
    }
  });
});

describe('the link', () => {
  test('digits= round-trips; bad entries are named and replaced', () => {
    const state = defaultState(m);
    state.digits = {
      seeds: 5,
      steps: 800,
      batch: 0,
      labelNoise: 0.2,
      trainSize: 500,
      loss: 'mse',
      rates: 'race',
    };
    const hash = serializeState(state, m);
    assert.match(
      hash,
      /&digits=seeds:5,steps:800,batch:0,labelNoise:0\.2,trainSize:500,loss:mse,rates:race/,
    );
    assert.deepEqual(parseHash(hash, m).state.digits, state.digits);
    // A link from before the rates existed trains at the digits rates.
    assert.equal(parseHash('v=1&digits=seeds:2', m).state.digits.rates, 'digits');
    const bad = normalizeDigits({ seeds: 11, loss: 'hinge', batch: -1, rates: 'fast' });
    assert.deepEqual(
      bad.errors.map((e) => e.field),
      ['digits.seeds', 'digits.loss', 'digits.batch', 'digits.rates'],
    );
    assert.equal(bad.digits.rates, 'digits');
  });
});
