// SPDX-License-Identifier: MIT
// The handwritten digits through the wasm trainer: the vendored file read as the page will read
// it, trainers on it in wasm against the same runs native (build/native/optim-train), and the
// errors of the digits' inputs.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { ROOT, loadOptim } from './lib/optim.mjs';

const m = await loadOptim();
const OPTIM_TRAIN = join(ROOT, 'build', 'native', 'optim-train');

/** data/digits/digits.csv.gz as the trainer takes it: 64 pixels per image, then the labels. */
async function readDigits() {
  const text = gunzipSync(await readFile(join(ROOT, 'data', 'digits', 'digits.csv.gz'))).toString();
  const rows = text
    .trim()
    .split('\n')
    .map((line) => line.split(',').map(Number));
  const images = new Uint8Array(rows.length * 64);
  const labels = new Uint8Array(rows.length);
  rows.forEach((row, i) => {
    assert.equal(row.length, 65, `line ${i + 1}`);
    images.set(row.slice(0, 64), 64 * i);
    labels[i] = row[64];
  });
  return { images, labels };
}

const digits = await readDigits();

/** The same run native: optim-train reads the job on standard input. */
function trainNative(job) {
  if (!existsSync(OPTIM_TRAIN)) {
    throw new Error(`${OPTIM_TRAIN} not found; build it first: npm run build:native`);
  }
  const out = spawnSync(OPTIM_TRAIN, [], {
    input: JSON.stringify({
      ...job,
      digits: { images: [...digits.images], labels: [...digits.labels] },
    }),
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  if (out.status !== 0) throw new Error(out.stderr.trim() || `optim-train: status ${out.status}`);
  return JSON.parse(out.stdout);
}

/** The same run in wasm, in two chunks, with the measures the job asks for. */
function trainWasm(job) {
  const t = new m.Trainer(job.config, digits);
  try {
    const first = Math.floor(job.steps / 3);
    t.run(first);
    t.run(job.steps - first);
    const h = t.history();
    const { eigenvalue: e, sharpness: s, random_slice: r } = job;
    return {
      batch_loss: h.batchLoss,
      train_loss: h.trainLoss,
      test_loss: h.testLoss,
      train_accuracy: h.trainAccuracy,
      test_accuracy: h.testAccuracy,
      params: t.params(),
      predict_test: t.predictions().test,
      eigenvalue: t.topEigenvalue(e.iterations, e.seed),
      sharpness: t.sharpness(s.epsilon, s.seed),
      random_slice: t.randomSlice(r),
    };
  } finally {
    t.delete();
  }
}

/**
 * Native and wasm run the same C++ with the same operations in the same order, but exp and log
 * come from different C libraries (glibc natively, musl in wasm) and may round differently by an
 * ulp; training carries such a difference along (so do the 2-D trainer's runs). Measured after
 * 300 Adam steps: losses 1e-15 apart relatively, parameters 6e-13. Values within 1e-9 relative
 * (plus 1e-12 absolute near 0) are the same run; a real divergence between the builds (an
 * uninitialized value, another order of sums, another split) is far larger.
 */
function assertClose(actual, expected, what) {
  const a = Array.from(actual);
  assert.equal(a.length, expected.length, `${what}: length`);
  let worst = 0;
  let same = true;
  a.forEach((x, i) => {
    const y = expected[i] ?? NaN; // JSON writes NaN as null
    same &&= Object.is(x, y);
    const diff = Math.abs(x - y) / (1e-12 + 1e-9 * Math.max(Math.abs(x), Math.abs(y)));
    worst = Math.max(worst, Number.isNaN(x) && Number.isNaN(y) ? 0 : diff);
  });
  assert.ok(worst <= 1, `${what}: differs from native by ${worst} x the tolerance`);
  return same;
}

const adam = { name: 'adam', hyperparameters: { lr: 0.003 } };
const measures = {
  eigenvalue: { iterations: 20, seed: 0 },
  sharpness: { epsilon: 1e-3, seed: 0 },
  random_slice: { seed: 0, points: 11, radius: 1 },
};

describe('the vendored digits', () => {
  test('1797 images of 64 pixels 0..16, ten classes', () => {
    assert.equal(digits.labels.length, 1797);
    assert.equal(digits.images.length, 1797 * 64);
    assert.ok(digits.images.every((v) => v <= 16));
    const counts = new Array(10).fill(0);
    for (const y of digits.labels) counts[y] += 1;
    assert.ok(
      counts.every((c) => c >= 170),
      `classes ${counts}`,
    );
  });
});

describe('the digits in wasm against native', () => {
  test('adam, mini-batches of 32, 300 steps: the same run, and a sensible accuracy', (t) => {
    const job = {
      config: {
        dataset: { name: 'digits', seed: 1 },
        network: { seed: 2 },
        optimizer: adam,
        batch_size: 32,
        seed: 3,
        eval_every: 50,
      },
      steps: 300,
      ...measures,
    };
    const wasm = trainWasm(job);
    const native = trainNative(job);
    const keys = ['batch_loss', 'train_loss', 'test_loss', 'train_accuracy', 'test_accuracy'];
    const same = [
      ...[...keys, 'params'].map((key) => assertClose(wasm[key], native[key], key)),
      assertClose([wasm.eigenvalue], [native.eigenvalue], 'top eigenvalue'),
      assertClose([wasm.sharpness], [native.sharpness], 'sharpness'),
      assertClose(wasm.random_slice.train, native.random_slice.train, 'random slice (train)'),
      assertClose(wasm.random_slice.test, native.random_slice.test, 'random slice (test)'),
    ];
    assert.deepEqual([...wasm.predict_test], native.predict_test);
    t.diagnostic(`wasm = native ${same.every(Boolean) ? 'bit for bit' : 'within 1e-9'}`);
    // About 7.6 epochs of the 1258 training images: test accuracy well above chance (10%).
    const accuracy = wasm.test_accuracy.at(-1);
    assert.ok(accuracy >= 0.9, `test accuracy ${accuracy}`);
    assert.ok(wasm.test_accuracy[0] < 0.3, `test accuracy at the start ${wasm.test_accuracy[0]}`);
    assert.ok(wasm.eigenvalue > 0, `top eigenvalue ${wasm.eigenvalue}`);
    assert.ok(wasm.sharpness >= 0, `sharpness ${wasm.sharpness}`);
  });

  test('squared error, relu, label noise, 600 training images, full batch: the same run', (t) => {
    const job = {
      config: {
        dataset: { name: 'digits', seed: 4, label_noise: 0.1, train_size: 600 },
        network: { hidden: [24], activation: 'relu', loss: 'mse', seed: 5 },
        optimizer: adam,
        eval_every: 20,
      },
      steps: 100,
      ...measures,
    };
    const wasm = trainWasm(job);
    const native = trainNative(job);
    const same = [
      ...['train_loss', 'test_loss', 'test_accuracy', 'params'].map((key) =>
        assertClose(wasm[key], native[key], key),
      ),
      assertClose([wasm.eigenvalue], [native.eigenvalue], 'top eigenvalue'),
      assertClose([wasm.sharpness], [native.sharpness], 'sharpness'),
    ];
    t.diagnostic(`wasm = native ${same.every(Boolean) ? 'bit for bit' : 'within 1e-9'}`);
    assert.ok(wasm.train_loss.at(-1) < wasm.train_loss[0], 'the loss goes down');
  });
});

describe('the digits through the boundary', () => {
  const config = {
    dataset: { name: 'digits', test_fraction: 0.25, label_noise: 0.2, seed: 7 },
    network: { hidden: [8] },
    optimizer: adam,
  };

  test('data, predictions and the normalized config', () => {
    const t = new m.Trainer(config, digits);
    try {
      const { train, test: held } = t.data();
      assert.equal(train.dim, 64);
      assert.equal(held.labels.length, Math.round(0.25 * 1797));
      assert.equal(train.labels.length + held.labels.length, 1797);
      assert.equal(held.points.length, 64 * held.labels.length);
      assert.ok(held.points.every((v) => v >= 0 && v <= 1));
      // Held-out images are pixels / 16 of images of the file, with their own labels.
      const first = Array.from(held.points.subarray(0, 64), (v) => v * 16);
      const match = digits.labels.findIndex((_, i) =>
        first.every((v, k) => v === digits.images[64 * i + k]),
      );
      assert.ok(match >= 0, 'the first test image is one of the file');
      const p = t.predictions();
      assert.ok(p.test instanceof Int32Array);
      assert.equal(p.test.length, held.labels.length);
      assert.equal(p.train.length, train.labels.length);
      const correct = p.test.filter((c, i) => c === held.labels[i]).length;
      assert.equal(correct / p.test.length, t.history().testAccuracy[0]);
      assert.throws(() => t.boundary({ xmin: 0, xmax: 1, ymin: 0, ymax: 1 }, 4, 4), /2 inputs/);
    } finally {
      t.delete();
    }
    const normalized = m.normalizeTrainerConfig(config);
    assert.deepEqual(normalized.dataset, {
      name: 'digits',
      train_size: 0,
      label_noise: 0.2,
      test_fraction: 0.25,
      seed: 7,
    });
    assert.equal(normalized.network.loss, 'cross_entropy');
    // The 2-D datasets also get a loss, and two moons' points are still row by row pairs.
    const moons = new m.Trainer({ optimizer: adam, network: { loss: 'mse' } });
    try {
      const { train } = moons.data();
      assert.equal(train.dim, 2);
      assert.equal(train.points.length, 2 * train.labels.length);
      moons.run(5);
      assert.equal(moons.history().steps, 5);
    } finally {
      moons.delete();
    }
  });

  test('missing or invalid images arrive as Errors naming the field', () => {
    assert.throws(() => new m.Trainer(config), /^Error: dataset: the digits dataset needs/);
    assert.throws(
      () => new m.Trainer({ optimizer: adam }, digits),
      /^Error: dataset: the two_moons points are generated/,
    );
    const cases = [
      [{ images: digits.images.subarray(1), labels: digits.labels }, /^images: needs 64/],
      [{ images: digits.images, labels: [] }, /^labels: needs 1 to 10000/],
      [{ labels: digits.labels }, /^images: needs 64/],
      [{ images: new Float64Array(64).fill(16.5), labels: [3] }, /^images\[0\]: 16\.5 is not/],
      [{ images: new Uint8Array(64), labels: [10] }, /^labels\[0\]: 10 is not a digit/],
      [{ images: new Uint8Array(128), labels: ['a', 1] }, /^labels\[0\]: nan is not/],
      ['images', /^labels: needs/],
    ];
    for (const [data, message] of cases) {
      assert.throws(
        () => new m.Trainer(config, data),
        (e) => e instanceof Error && message.test(e.message),
        String(message),
      );
    }
    assert.throws(
      () => new m.Trainer({ ...config, dataset: { name: 'digits', n: 100 } }, digits),
      /^Error: dataset\.n: unknown key 'n' in the digits dataset/,
    );
    assert.throws(
      () => new m.Trainer({ ...config, network: { loss: 'hinge' } }, digits),
      /^Error: network\.loss: unknown loss 'hinge'/,
    );
    // A few images are enough, and the module is still usable.
    const t = new m.Trainer(config, {
      images: digits.images.subarray(0, 64 * 40),
      labels: Array.from(digits.labels.subarray(0, 40)),
    });
    try {
      t.run(3);
      assert.equal(t.history().steps, 3);
      assert.equal(t.data().test.labels.length, 10);
    } finally {
      t.delete();
    }
  });
});
