// SPDX-License-Identifier: MIT
// The MLP trainer through the wasm module: the one bound class, run in chunks.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadOptim } from './lib/optim.mjs';

const m = await loadOptim();

const config = {
  dataset: { name: 'two_moons', n: 200, seed: 3 },
  network: { hidden: [16, 16], activation: 'tanh', seed: 1 },
  optimizer: { name: 'adam', hyperparameters: { lr: 0.01 } },
  batch_size: 32,
  seed: 5,
};

test('training in chunks equals training in one call, bit for bit', () => {
  const a = new m.Trainer(config);
  const b = new m.Trainer(config);
  try {
    a.run(60);
    a.run(40);
    b.run(100);
    assert.deepEqual(a.params(), b.params());
    const history = a.history();
    assert.equal(history.steps, 100);
    assert.equal(history.batchLoss.length, 100);
    assert.equal(history.evalSteps.length, history.trainLoss.length);
    assert.deepEqual(history.trainLoss, b.history().trainLoss);
  } finally {
    a.delete();
    b.delete();
  }
});

test('adam learns two moons; data, boundary and the top eigenvalue', () => {
  const t = new m.Trainer({ ...config, batch_size: 0 });
  try {
    t.run(400);
    const h = t.history();
    assert.ok(h.trainLoss.at(-1) < 0.5 * h.trainLoss[0], `loss ${h.trainLoss.at(-1)}`);
    assert.ok(h.trainAccuracy.at(-1) > 0.9, `accuracy ${h.trainAccuracy.at(-1)}`);
    const { train, test: held } = t.data();
    assert.equal(train.points.length, 2 * train.labels.length);
    assert.equal(train.labels.length + held.labels.length, 200);
    const grid = t.boundary({ xmin: -2, xmax: 2, ymin: -2, ymax: 2 }, 20, 10);
    assert.ok(grid instanceof Float32Array);
    assert.equal(grid.length, 200);
    assert.ok(grid.every((p) => p >= 0 && p <= 1));
    const lambda = t.topEigenvalue(20, 0);
    assert.ok(Number.isFinite(lambda) && lambda > 0, `eigenvalue ${lambda}`);
  } finally {
    t.delete();
  }
});

test('invalid input arrives as an Error naming the field; the module stays usable', () => {
  assert.throws(
    () => new m.Trainer({ ...config, network: { hidden: [16, 999] } }),
    (e) => e instanceof Error && e.message.startsWith('network.hidden[1]'),
  );
  const t = new m.Trainer(config);
  try {
    assert.throws(() => t.run(-1), /outside \[0, 1000000\]/);
    assert.throws(
      () => t.boundary({ xmin: 1, xmax: 0, ymin: 0, ymax: 1 }, 10, 10),
      /box.xmax: must be greater than xmin/,
    );
    assert.throws(() => t.boundary({ xmin: 0, xmax: 1, ymin: 0, ymax: 1 }, 1, 10), /width/);
    t.run(10);
    assert.equal(t.history().steps, 10);
  } finally {
    t.delete();
  }
  assert.throws(() => t.run(1), /deleted/);
});

test('sharpness and loss slices of a trained network, measured across trainers', () => {
  const full = { ...config, batch_size: 0 };
  const a = new m.Trainer(full);
  const b = new m.Trainer({ ...full, optimizer: { name: 'sgd_momentum' } });
  try {
    a.run(150);
    b.run(150);
    const lossA = a.history().trainLoss.at(-1);
    const testA = a.history().testLoss.at(-1);
    const line = a.lineSlice(b.params(), { points: 9, from: -0.5, to: 1.5 });
    assert.equal(line.alphas.length, 9);
    assert.equal(line.alphas[2], 0);
    assert.equal(line.alphas[6], 1);
    // The same parameters on the same data: the same numbers, bit for bit.
    assert.equal(line.train[2], lossA);
    assert.equal(line.test[2], testA);
    assert.equal(line.train[6], b.history().trainLoss.at(-1));

    const slice = a.randomSlice({ seed: 3, points: 21, radius: 1 });
    assert.equal(slice.train.length, 21);
    assert.equal(slice.train[10], lossA);
    assert.deepEqual(a.randomSlice({ seed: 3, points: 21, radius: 1 }), slice);
    assert.ok(slice.train.every(Number.isFinite) && slice.test.every(Number.isFinite));
    assert.equal(a.randomSlice({}).alphas.length, 41);

    const s = a.sharpness(1e-3, 0);
    assert.ok(Number.isFinite(s) && s >= 0, `sharpness ${s}`);
    assert.ok(a.sharpness(1e-2, 0) >= s);

    // b measured at a's solution is a's measurement.
    b.setParams(a.params());
    assert.equal(b.sharpness(1e-3, 0), s);
    assert.deepEqual(b.randomSlice({ seed: 3, points: 21, radius: 1 }), slice);
  } finally {
    a.delete();
    b.delete();
  }
});

test('sharpness, slices and setParams reject bad input with a named error', () => {
  const t = new m.Trainer(config);
  try {
    const n = t.params().length;
    assert.throws(() => t.setParams([1, 2]), /params: expected \d+ values/);
    assert.throws(() => t.setParams(new Float64Array(n).fill(NaN)), /params\[0\]/);
    assert.throws(() => t.setParams('abc'), /params: must be an array/);
    assert.throws(() => t.sharpness(0, 0), /epsilon = 0 is outside/);
    assert.throws(() => t.sharpness(NaN, 0), /epsilon/);
    assert.throws(() => t.randomSlice({ radius: -1 }), /radius/);
    assert.throws(() => t.randomSlice({ points: 1 }), /points/);
    assert.throws(() => t.randomSlice({ evil: 1 }), /unknown key 'evil'/);
    assert.throws(() => t.lineSlice([1], {}), /entries/);
    assert.throws(() => t.lineSlice(t.params(), { from: 1, to: 0 }), /to/);
    assert.throws(() => m.normalizeTrainerConfig({ dataset: { n: 5 } }), /dataset\.n/);
    assert.throws(
      () => m.normalizeTrainerConfig({ optimizer: { name: 'adam' }, network: { hidden: [0] } }),
      /network\.hidden\[0\]/,
    );
    // Still usable after the errors.
    t.run(5);
    assert.equal(t.history().steps, 5);
    assert.equal(
      m.normalizeTrainerConfig({ optimizer: { name: 'adam' } }).network.activation,
      'tanh',
    );
  } finally {
    t.delete();
  }
});
