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
