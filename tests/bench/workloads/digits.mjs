// SPDX-License-Identifier: MIT
// Workload h (issue 15 item 4): the handwritten-digits network 64-32-32-10 (tanh, softmax
// cross-entropy) on the training split of data/digits/digits.csv.gz (1797 images, the core's
// stratified split with test_fraction 0.3), Adam (lr 0.01). Three tables:
//  - one epoch with mini-batches of 32, in ms per epoch;
//  - full batch, in steps per second;
//  - the top Hessian eigenvalue by 20 power iterations at the parameters after the epochs of
//    the first table, in ms.
// wasm: m.Trainer.run(k) with eval_every at its maximum (no evaluation inside the timed steps)
// and trainer.topEigenvalue(iterations, seed) (exact Hessian-vector products, R-operator);
// TensorFlow.js (cpu and wasm backends, float32): the same network from the trainer's initial
// parameters on the trainer's own training split (trainer.data()), tf.train.adam with the
// same hyperparameters, and for the eigenvalue Hessian-vector products by double backprop
// (tf.grads of the gradient's dot product with v) in the same power iteration.
// Checks, against the wasm row (the first row of each table is the reference):
//  - one epoch (mini-batches): the same batches. The core shuffles with std::mt19937_64
//    seeded by the config's seed and its own Fisher-Yates (src/run/trainer.cpp,
//    src/core/rng.hpp); the generator is reproduced here (BigInt), so TF.js takes the same
//    batches in the same order from the same start. Every update's batch loss (all epochs,
//    warm-up included) and the full-data loss after the last epoch must agree within 1e-3
//    relative (float32 tolerance; measured: about 1e-5).
//  - full batch: the same path from the same start; the same check.
//  - eigenvalue: the same parameters, the same start vector (the core's Rng normal draws,
//    reproduced) and the same number of iterations, so the same sequence of vectors: within
//    1e-3 relative (measured: about 1e-6).
// Full-data losses are computed here in float64 from each contender's parameters.
// Fairness: the TF.js rows are given the permutations before the timing (the core shuffles
// inside its timed run(k)), a small advantage to TF.js. TensorFlow.js 4.22 cannot
// differentiate its own gradients of tanh and exp (see twiceDifferentiable): its double
// backprop runs them as custom gradients, which costs it about 20% here; with its own ops it
// is faster but wrong (it drops terms of the Hessian). TF.js cpu is left out of the
// eigenvalue table (about 10 s per call, 8x its wasm backend).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { ROOT } from '../lib/contenders.mjs';
import { relDiff, timeIt, toRate } from '../lib/measure.mjs';
import { makeTable, tryRow } from '../lib/report.mjs';

export const SIZES = [64, 32, 32, 10];
const CLASSES = SIZES.at(-1);
const BATCH = 32;
const HP = { lr: 0.01 };
const EIGEN_SEED = 1;
const TOL = 1e-3;

/** data/digits/digits.csv.gz as the trainer takes it: 64 pixels per image, then the labels. */
export async function readDigits() {
  const text = gunzipSync(await readFile(join(ROOT, 'data', 'digits', 'digits.csv.gz'))).toString();
  const rows = text.trim().split('\n');
  const images = new Uint8Array(rows.length * 64);
  const labels = new Uint8Array(rows.length);
  rows.forEach((line, i) => {
    const row = line.split(',').map(Number);
    if (row.length !== 65) throw new Error(`digits.csv.gz line ${i + 1}: ${row.length} values`);
    images.set(row.slice(0, 64), 64 * i);
    labels[i] = row[64];
  });
  return { images, labels };
}

/**
 * std::mt19937_64 (fully specified by the C++ standard) with the core's Rng conversions
 * (src/core/rng.hpp): uniform() from the top 53 bits, normal() by Marsaglia's polar method.
 */
export function coreRng(seed) {
  const N = 312;
  const mt = new BigUint64Array(N);
  mt[0] = BigInt.asUintN(64, BigInt(seed));
  for (let i = 1; i < N; i++) {
    const p = mt[i - 1];
    mt[i] = BigInt.asUintN(64, 6364136223846793005n * (p ^ (p >> 62n)) + BigInt(i));
  }
  let index = N;
  const upper = 0xffffffff80000000n;
  const lower = 0x7fffffffn;
  const next = () => {
    if (index >= N) {
      for (let i = 0; i < N; i++) {
        const x = (mt[i] & upper) | (mt[(i + 1) % N] & lower);
        let xa = x >> 1n;
        if (x & 1n) xa ^= 0xb5026f5aa96619e9n;
        mt[i] = mt[(i + 156) % N] ^ xa;
      }
      index = 0;
    }
    let y = mt[index++];
    y ^= (y >> 29n) & 0x5555555555555555n;
    y ^= (y << 17n) & 0x71d67fffeda60000n;
    y ^= (y << 37n) & 0xfff7eee000000000n;
    y ^= y >> 43n;
    return BigInt.asUintN(64, y);
  };
  const uniform = () => Number(next() >> 11n) * 2 ** -53;
  let spare = null;
  const normal = () => {
    if (spare !== null) {
      const s = spare;
      spare = null;
      return s;
    }
    let u, v, s;
    do {
      u = 2 * uniform() - 1;
      v = 2 * uniform() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const factor = Math.sqrt((-2 * Math.log(s)) / s);
    spare = v * factor;
    return u * factor;
  };
  return { next, uniform, normal };
}

/**
 * The core's mini-batch order (Trainer::next_batch): `epochs` successive in-place Fisher-Yates
 * shuffles of one permutation of 0..n-1, one per epoch (batch <= n).
 */
export function corePermutations(n, seed, epochs) {
  const rng = coreRng(seed);
  const order = Int32Array.from({ length: n }, (_, i) => i);
  const out = [];
  for (let e = 0; e < epochs; e++) {
    for (let k = n - 1; k > 0; k--) {
      const j = Math.min(k, Math.floor(rng.uniform() * (k + 1)));
      [order[k], order[j]] = [order[j], order[k]];
    }
    out.push(Int32Array.from(order));
  }
  return out;
}

/** The core's power-iteration start (top_hessian_eigenvalue): seeded normals, normalized. */
export function coreStartVector(size, seed) {
  const rng = coreRng(seed);
  const v = Float64Array.from({ length: size }, () => rng.normal());
  const norm = Math.hypot(...v);
  return v.map((a) => a / norm);
}

/**
 * Mean softmax cross-entropy log sum_k exp(z_k) - z_y over all points, in float64, of flat
 * parameters in the core's layout (per layer: weights out x in column-major, so index
 * in * out + o, then the biases); hidden layers tanh.
 */
export function fullLoss(params, data) {
  const n = data.labels.length;
  let total = 0;
  const acts = SIZES.map((w) => new Float64Array(w));
  for (let p = 0; p < n; p++) {
    acts[0].set(data.points.subarray(64 * p, 64 * p + 64));
    let offset = 0;
    for (let l = 1; l < SIZES.length; l++) {
      const nin = SIZES[l - 1];
      const nout = SIZES[l];
      const input = acts[l - 1];
      const out = acts[l];
      const b = offset + nin * nout;
      for (let o = 0; o < nout; o++) out[o] = params[b + o];
      for (let i = 0; i < nin; i++) {
        const v = input[i];
        if (v === 0) continue;
        const col = offset + i * nout;
        for (let o = 0; o < nout; o++) out[o] += params[col + o] * v;
      }
      if (l < SIZES.length - 1) for (let o = 0; o < nout; o++) out[o] = Math.tanh(out[o]);
      offset = b + nout;
    }
    const z = acts.at(-1);
    const max = Math.max(...z);
    let sum = 0;
    for (let k = 0; k < CLASSES; k++) sum += Math.exp(z[k] - max);
    total += max + Math.log(sum) - z[data.labels[p]];
  }
  return total / n;
}

/** TensorFlow.js weights [in, out] and biases (float32) from flat parameters (core layout). */
function tfLayers(tf, params) {
  const layers = [];
  let offset = 0;
  for (let l = 1; l < SIZES.length; l++) {
    const nin = SIZES[l - 1];
    const nout = SIZES[l];
    const w = tf.tensor2d(Float32Array.from(params.subarray(offset, offset + nin * nout)), [
      nin,
      nout,
    ]);
    offset += nin * nout;
    const b = tf.tensor1d(Float32Array.from(params.subarray(offset, offset + nout)));
    offset += nout;
    layers.push(w, b);
  }
  return layers;
}

/** The logits (n x 10) of the network [w1, b1, w2, b2, ...] on x; hidden layers `tanh`. */
function tfLogits(tf, vars, x, tanh = tf.tanh) {
  let a = x;
  for (let i = 0; i < vars.length; i += 2) {
    a = tf.add(tf.matMul(a, vars[i]), vars[i + 1]);
    if (i + 2 < vars.length) a = tanh(a);
  }
  return a;
}

/** Mean softmax cross-entropy of the network on x with one-hot y (tf.logSoftmax). */
function tfLoss(tf, vars, x, y) {
  return tf.neg(tf.mean(tf.sum(tf.mul(y, tf.logSoftmax(tfLogits(tf, vars, x))), 1)));
}

/**
 * tanh and exp that TensorFlow.js can differentiate twice. Its gradients of ops that save
 * their output (Tanh, Exp, Sigmoid, LogSoftmax, Max, ...) read a copy of the output that is
 * not connected to the tape, so a gradient of such a gradient silently lacks those terms (or
 * fails); ops that save their inputs (MatMul, Log, Square, ...) are fine. So: the same
 * kernels as custom gradients that save the input and recompute the function from it.
 */
function twiceDifferentiable(tf) {
  const tanh = tf.customGrad((x, save) => {
    save([x]);
    return {
      value: tf.tanh(x),
      gradFunc: (dy, [xs]) => tf.mul(dy, tf.sub(1, tf.square(tanh(xs)))),
    };
  });
  const exp = tf.customGrad((x, save) => {
    save([x]);
    return { value: tf.exp(x), gradFunc: (dy, [xs]) => tf.mul(dy, exp(xs)) };
  });
  return { tanh, exp };
}

/**
 * The same loss, twice differentiable (see twiceDifferentiable; tf.logSumExp's Max has no
 * such gradient either): log sum exp(z - c) + c - z_y with a shift c (n x 1) that is a
 * constant to the tape.
 */
function tfLoss2(tf, ops, vars, x, y, c) {
  const z = tfLogits(tf, vars, x, ops.tanh);
  const lse = tf.add(tf.log(tf.sum(ops.exp(tf.sub(z, c)), 1, true)), c);
  return tf.mean(tf.sub(tf.squeeze(lse, [1]), tf.sum(tf.mul(y, z), 1)));
}

/** The training split as float32 tensors: x (n x 64) and one-hot labels (n x 10). */
function tfData(tf, data) {
  const n = data.labels.length;
  const onehot = new Float32Array(n * CLASSES);
  for (let p = 0; p < n; p++) onehot[p * CLASSES + data.labels[p]] = 1;
  return {
    x: tf.tensor2d(Float32Array.from(data.points), [n, 64]),
    y: tf.tensor2d(onehot, [n, CLASSES]),
  };
}

/**
 * A TensorFlow.js trainer from `init`: run(k) updates, taking mini-batches of `batch` in the
 * order of `orders` (one permutation per epoch, the last partial batch dropped as the core
 * does) or the full batch (batch 0); losses() reads every update's batch loss afterwards.
 */
function tfTrainer(tf, data, init, batch, orders) {
  const vars = tfLayers(tf, init).map((t) => tf.variable(t));
  const { x, y } = tfData(tf, data);
  const n = data.labels.length;
  const opt = tf.train.adam(HP.lr, 0.9, 0.999, 1e-8);
  const costs = [];
  let epoch = -1;
  let cursor = n;
  return {
    run(k) {
      for (let s = 0; s < k; s++) {
        if (!batch) {
          costs.push(opt.minimize(() => tfLoss(tf, vars, x, y), true, vars));
          continue;
        }
        if (cursor + batch > n) {
          epoch += 1;
          cursor = 0;
        }
        const idx = tf.tensor1d(orders[epoch].subarray(cursor, cursor + batch), 'int32');
        cursor += batch;
        costs.push(
          opt.minimize(() => tfLoss(tf, vars, tf.gather(x, idx), tf.gather(y, idx)), true, vars),
        );
        idx.dispose();
      }
      vars[0].dataSync(); // wait for the backend
    },
    params: () => Float64Array.from(vars.flatMap((v) => [...v.dataSync()])),
    losses: () => Float64Array.from(costs.map((c) => c.dataSync()[0])),
    dispose() {
      opt.dispose();
      tf.dispose([x, y, ...vars, ...costs]);
    },
  };
}

/**
 * Power iteration for the top Hessian eigenvalue in TensorFlow.js: `iterations` exact
 * Hessian-vector products by double backprop (the gradient of g(p) . v, with g by tf.grads),
 * from the start vector `v0` (flat, core layout), all on the backend; one read at the end.
 */
function tfTopEigenvalue(tf, params, data, v0, iterations) {
  const result = tf.tidy(() => {
    const { x, y } = tfData(tf, data);
    const ps = tfLayers(tf, params);
    let v = tfLayers(tf, v0);
    // The shift: each point's largest logit at `params`, computed off the tape.
    const c = tf.max(tfLogits(tf, ps, x), 1, true);
    const ops = twiceDifferentiable(tf);
    const loss = (...vars) => tfLoss2(tf, ops, vars, x, y, c);
    let lambda = tf.scalar(0);
    for (let it = 0; it < iterations; it++) {
      const next = tf.tidy(() => {
        const hv = tf.grads((...qs) => {
          const g = tf.grads(loss)(qs);
          return tf.addN(g.map((gi, i) => tf.sum(tf.mul(gi, v[i]))));
        })(ps);
        const rayleigh = tf.addN(hv.map((h, i) => tf.sum(tf.mul(h, v[i]))));
        const norm = tf.sqrt(tf.addN(hv.map((h) => tf.sum(tf.square(h)))));
        return [rayleigh, ...hv.map((h) => tf.div(h, norm))];
      });
      tf.dispose([lambda, ...v]);
      [lambda, ...v] = next;
    }
    return lambda;
  });
  const value = result.dataSync()[0];
  result.dispose();
  return value;
}

/** Largest relative difference between a[i] and b[i]. */
function maxRelDiff(a, b) {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, relDiff(a[i], b[i]));
  return worst;
}

export async function run(ctx) {
  const { m, quick, reps, tf } = ctx;
  const digits = await readDigits();
  const config = {
    dataset: { name: 'digits', seed: 1 },
    network: { hidden: SIZES.slice(1, -1), activation: 'tanh', seed: 1 },
    optimizer: m.normalizeOptimizer({ name: 'adam', hyperparameters: HP }),
    batch_size: BATCH,
    seed: 7,
    eval_every: 100000,
  };
  const probe = new m.Trainer(config, digits);
  const data = probe.data().train;
  const init = probe.params();
  probe.delete();
  const nTrain = data.labels.length;
  const perEpoch = Math.floor(nTrain / BATCH);
  const initialLoss = fullLoss(init, data);
  const tables = [];

  // --- one epoch of mini-batches of 32 ---
  // A fixed number of calls (warm-up included), one epoch each: every contender makes the
  // same updates on the same batches.
  const epochOpts = { warmup: 2, repetitions: reps, minSampleMs: 0, minWarmupMs: 0 };
  const epochs = epochOpts.warmup + epochOpts.repetitions;
  const orders = corePermutations(nTrain, config.seed, epochs);
  const rows = [];
  const trainer = new m.Trainer(config, digits);
  let eigenParams;
  try {
    const r = await timeIt(() => trainer.run(perEpoch), epochOpts);
    const h = trainer.history();
    if (h.steps !== epochs * perEpoch) throw new Error('wasm trainer step count');
    eigenParams = trainer.params();
    rows.push({
      contender: 'wasm, Node: m.Trainer.run',
      samples: r.samples,
      batchLosses: h.batchLoss,
      loss: fullLoss(eigenParams, data),
    });
  } finally {
    trainer.delete();
  }
  if (tf) {
    for (const backend of ['cpu', 'wasm']) {
      await tryRow(rows, `TF.js ${backend}, Node: optimizer.minimize`, async () => {
        await tf.use(backend);
        const t = tfTrainer(tf.tf, data, init, BATCH, orders);
        try {
          const r = await timeIt(() => t.run(perEpoch), epochOpts);
          return { samples: r.samples, batchLosses: t.losses(), loss: fullLoss(t.params(), data) };
        } finally {
          t.dispose();
        }
      });
    }
  }
  checkTraining(rows, initialLoss);
  const epochTable = makeTable({
    id: 'digits-epoch',
    title: `h) Digits 64-32-32-10 tanh, ${nTrain} training images, Adam ${JSON.stringify(HP)}, one epoch of mini-batches of ${BATCH} (${perEpoch} steps)`,
    unit: 'ms/epoch',
    higherIsBetter: false,
    rows: rows.map(({ batchLosses, ...row }) => row),
    notes: [
      `${epochs} epochs per contender (${epochOpts.warmup} untimed), each a sample; TF.js takes the core's batches in the core's order (its mt19937_64 shuffling reproduced) from the same start. ` +
        `Check: every batch loss and the full-data loss after all epochs (float64) within ${TOL} of the core's.`,
    ],
  });
  epochTable.target = speedTarget(epochTable, 'one epoch: wasm ≥ 4x TF.js wasm (issue 15)', 4);
  tables.push(epochTable);

  // --- full batch ---
  const steps = ctx.sizes.digitsFullSteps ?? (quick ? 3 : 10);
  const fullOpts = { warmup: 1, repetitions: reps, minSampleMs: 0, minWarmupMs: 0 };
  const total = (fullOpts.warmup + fullOpts.repetitions) * steps;
  const fullConfig = { ...config, batch_size: 0 };
  const fullRows = [];
  const full = new m.Trainer(fullConfig, digits);
  try {
    const r = await timeIt(() => full.run(steps), fullOpts);
    const h = full.history();
    if (h.steps !== total) throw new Error('wasm trainer step count');
    fullRows.push({
      contender: 'wasm, Node: m.Trainer.run',
      samples: toRate(r.samples, steps),
      batchLosses: h.batchLoss,
      loss: fullLoss(full.params(), data),
    });
  } finally {
    full.delete();
  }
  if (tf) {
    for (const backend of ['cpu', 'wasm']) {
      await tryRow(fullRows, `TF.js ${backend}, Node: optimizer.minimize`, async () => {
        await tf.use(backend);
        const t = tfTrainer(tf.tf, data, init, 0, null);
        try {
          const r = await timeIt(() => t.run(steps), fullOpts);
          return {
            samples: toRate(r.samples, steps),
            batchLosses: t.losses(),
            loss: fullLoss(t.params(), data),
          };
        } finally {
          t.dispose();
        }
      });
    }
  }
  checkTraining(fullRows, initialLoss);
  const fullTable = makeTable({
    id: 'digits-full',
    title: `h) Digits 64-32-32-10 tanh, ${nTrain} training images, Adam ${JSON.stringify(HP)}, full batch`,
    unit: 'steps/s',
    higherIsBetter: true,
    rows: fullRows.map(({ batchLosses, ...row }) => row),
    notes: [
      `${steps} steps per repetition, ${total} in all per contender, from the same start. ` +
        `Check: every step's loss and the full-data loss after all steps (float64) within ${TOL} of the core's.`,
    ],
  });
  // No target of its own: reported in the epoch table's summary line.
  const fullSpeed = speedTarget(fullTable, '', null);
  epochTable.target.detail += `; full batch: ${fullSpeed.detail}`;
  tables.push(fullTable);

  // --- top Hessian eigenvalue ---
  const iterations = ctx.sizes.digitsEigenIterations ?? 20;
  const eigenRows = [];
  const eigenTrainer = new m.Trainer(config, digits);
  try {
    eigenTrainer.setParams(eigenParams);
    const r = await timeIt(() => eigenTrainer.topEigenvalue(iterations, EIGEN_SEED), {
      warmup: 1,
      repetitions: reps,
    });
    eigenRows.push({
      contender: 'wasm, Node: trainer.topEigenvalue (R-operator)',
      samples: r.samples,
      value: r.result,
    });
  } finally {
    eigenTrainer.delete();
  }
  if (tf) {
    const v0 = coreStartVector(init.length, EIGEN_SEED);
    // Not the cpu backend: about 10 s per call here, 8x its wasm backend.
    await tryRow(eigenRows, 'TF.js wasm, Node: double backprop (tf.grads of g·v)', async () => {
      await tf.use('wasm');
      const r = await timeIt(() => tfTopEigenvalue(tf.tf, eigenParams, data, v0, iterations), {
        warmup: 1,
        repetitions: reps,
        minSampleMs: 0,
      });
      return { samples: r.samples, value: r.result };
    });
  }
  const ref = eigenRows[0].value;
  for (const row of eigenRows) {
    if (row.ok === false) continue; // crashed
    const d = relDiff(row.value, ref);
    row.ok = Number.isFinite(row.value) && (row === eigenRows[0] || d <= TOL);
    row.check = `λ = ${row.value.toPrecision(6)}${row === eigenRows[0] ? ' (reference)' : `, Δ ${d.toExponential(1)} (≤ ${TOL})`}`;
  }
  const eigenTable = makeTable({
    id: 'digits-eigen',
    title: `h) Digits 64-32-32-10: top Hessian eigenvalue, ${iterations} power iterations on the ${nTrain} training images, after ${epochs} epochs`,
    unit: 'ms',
    higherIsBetter: false,
    rows: eigenRows,
    notes: [
      "Same parameters (the wasm row's after the epochs above), same start vector (the core's seeded normals) and the same number of exact Hessian-vector products. " +
        'TF.js cpu is left out (about 10 s per call on a 2-core EPYC, 8x its wasm backend). ' +
        "TF.js's tanh and exp are custom gradients that recompute the function from the input: its own gradients of Tanh and Exp cannot be differentiated again (tests/bench/workloads/digits.mjs, twiceDifferentiable).",
    ],
  });
  eigenTable.target = speedTarget(eigenTable, 'eigenvalue: wasm ≥ 10x TF.js wasm (issue 15)', 10);
  tables.push(eigenTable);
  return tables;
}

/**
 * Checks of a training table's rows against the first (wasm): every update's batch loss and
 * the final full-data loss within TOL, and the loss fell.
 */
function checkTraining(rows, initialLoss) {
  const ref = rows[0];
  for (const row of rows) {
    if (row.ok === false) continue; // crashed
    if (row === ref) {
      row.ok = row.loss < initialLoss;
      row.check = `loss ${initialLoss.toFixed(3)} → ${row.loss.toFixed(4)} (reference)`;
      continue;
    }
    const n = ref.batchLosses.length;
    const dBatch =
      row.batchLosses.length === n ? maxRelDiff(row.batchLosses, ref.batchLosses) : NaN;
    const dFinal = relDiff(row.loss, ref.loss);
    row.ok = dBatch <= TOL && dFinal <= TOL;
    row.check =
      `${n} batch losses, Δ ≤ ${dBatch.toExponential(1)}; ` +
      `loss ${row.loss.toFixed(4)}, Δ ${dFinal.toExponential(1)} (≤ ${TOL})`;
  }
}

/**
 * The verdict of a table against TF.js wasm: the wasm row at least `factor` times faster
 * (factor null: only the ratio is reported).
 */
function speedTarget(table, text, factor) {
  const wasm = table.rows[0];
  const tfWasm = table.rows.find((r) => r.contender.startsWith('TF.js wasm') && r.ok !== false);
  const tfCpu = table.rows.find((r) => r.contender.startsWith('TF.js cpu') && r.ok !== false);
  const speedup = (other) =>
    table.higherIsBetter ? wasm.median / other.median : other.median / wasm.median;
  const detail =
    wasm.ok === false || !tfWasm
      ? 'TF.js wasm not measured or disagrees'
      : `wasm / TF.js wasm = ${speedup(tfWasm).toFixed(2)}x` +
        (tfCpu ? `, wasm / TF.js cpu = ${speedup(tfCpu).toFixed(2)}x` : '') +
        (table.higherIsBetter ? `, wasm ${wasm.median.toFixed(0)} ${table.unit}` : '');
  return {
    text,
    met: factor === null || wasm.ok === false || !tfWasm ? null : speedup(tfWasm) >= factor,
    detail,
  };
}
