// SPDX-License-Identifier: MIT
// Workload f: the top Hessian eigenvalue by 20 power iterations at trained parameters (the MLP
// of workload e after 200 full-batch Adam steps), in ms. wasm: trainer.topEigenvalue(20, seed)
// (exact Hessian-vector products, R-operator); native: the same; JavaScript: finite
// differences of the hand-written gradient; TF.js: finite differences of tf.grads (float32:
// the difference step is 1e-2, since float32 gradients do not resolve smaller steps).
// Check: within 5% of the wasm value (power iteration from different start vectors has not
// fully converged after 20 iterations; finite differences add their own error).
import { Mlp, randomUnit, topEigenvalue } from '../js/mlp.mjs';
import { relDiff, timeIt } from '../lib/measure.mjs';
import { makeTable, tryRow } from '../lib/report.mjs';
import { BASE, SIZES, tfLayers, tfLoss } from './mlp.mjs';

const SEED = 1;
const TOLERANCE = 0.05;

/** Power iteration on central differences of TensorFlow.js gradients. */
function tfTopEigenvalue(tf, params, data, iterations, seed, h) {
  const n = data.labels.length;
  const x = tf.tensor2d(Float32Array.from(data.points), [n, 2]);
  const y = tf.tensor2d(Float32Array.from(data.labels), [n, 1]);
  const gradAt = (p) =>
    tf.tidy(() => {
      const layers = tfLayers(tf, p);
      const flat = layers.flatMap(({ w, b }) => [w, b]);
      const grads = tf.grads((...vars) => {
        const rebuilt = [];
        for (let i = 0; i < vars.length; i += 2) rebuilt.push({ w: vars[i], b: vars[i + 1] });
        return tfLoss(tf, rebuilt, x, y);
      })(flat);
      return Float64Array.from(tf.concat(grads.map((g) => tf.reshape(g, [-1]))).dataSync());
    });
  let v = randomUnit(params.length, seed);
  let lambda = 0;
  const probe = new Float64Array(params.length);
  for (let it = 0; it < iterations; it++) {
    for (let i = 0; i < probe.length; i++) probe[i] = params[i] + h * v[i];
    const gp = gradAt(probe);
    for (let i = 0; i < probe.length; i++) probe[i] = params[i] - h * v[i];
    const gm = gradAt(probe);
    const hv = gp.map((g, i) => (g - gm[i]) / (2 * h));
    lambda = hv.reduce((s, a, i) => s + a * v[i], 0);
    const norm = Math.hypot(...hv);
    if (!(norm > 0)) break;
    v = hv.map((a) => a / norm);
  }
  tf.dispose([x, y]);
  return lambda;
}

export async function run(ctx) {
  const { m, reps, native, tf, browser } = ctx;
  const iterations = ctx.sizes.eigenIterations ?? 20;
  const trainSteps = ctx.sizes.eigenTrainSteps ?? 200;
  const config = {
    ...BASE,
    optimizer: m.normalizeOptimizer({ name: 'adam', hyperparameters: { lr: 0.01 } }),
    batch_size: 0,
  };
  const trainer = new m.Trainer(config);
  const rows = [];
  let params;
  let data;
  try {
    trainer.run(trainSteps);
    params = trainer.params();
    data = trainer.data().train;
    const r = await timeIt(() => trainer.topEigenvalue(iterations, SEED), {
      warmup: 1,
      repetitions: reps,
    });
    rows.push({
      contender: 'wasm, Node: trainer.topEigenvalue (exact HVP)',
      samples: r.samples,
      value: r.result,
    });
  } finally {
    trainer.delete();
  }
  if (browser) {
    await tryRow(rows, 'wasm, Chromium: trainer.topEigenvalue', async () => {
      const t = await browser.time(
        'eigenWasm',
        { config, trainSteps, iterations, seed: SEED },
        { warmup: 1, repetitions: reps },
      );
      return { samples: t.samples, value: t.result };
    });
  }
  if (native.available) {
    await tryRow(rows, 'native: top_hessian_eigenvalue', () => {
      const out = native.run({
        kind: 'eigen',
        config,
        train_steps: trainSteps,
        iterations,
        seed: SEED,
        repetitions: reps,
        warmup: 1,
      });
      return { samples: out.samples_ms, value: out.result.eigenvalue };
    });
  }
  const mlp = new Mlp(SIZES, data.points, data.labels);
  let r = await timeIt(() => topEigenvalue(mlp, params, iterations, SEED), {
    warmup: 1,
    repetitions: reps,
  });
  rows.push({
    contender: 'JavaScript, Node: finite differences',
    samples: r.samples,
    value: r.result,
  });
  if (tf) {
    for (const backend of ['cpu', 'wasm']) {
      await tf.use(backend);
      r = await timeIt(() => tfTopEigenvalue(tf.tf, params, data, iterations, SEED, 1e-2), {
        warmup: 1,
        repetitions: reps,
        minSampleMs: 0,
      });
      rows.push({
        contender: `TF.js ${backend}, Node: finite differences of tf.grads`,
        samples: r.samples,
        value: r.result,
      });
    }
  }
  const ref = rows[0].value;
  for (const row of rows) {
    if (row.ok === false) continue; // crashed
    const d = relDiff(row.value, ref);
    row.ok = Number.isFinite(row.value) && d <= TOLERANCE;
    row.check = `λ = ${row.value.toPrecision(5)}, Δ ${(100 * d).toFixed(2)}%`;
  }
  const table = makeTable({
    id: 'eigen',
    title: `f) Top Hessian eigenvalue, ${iterations} power iterations, MLP 2-32-32-1 after ${trainSteps} Adam steps`,
    unit: 'ms',
    higherIsBetter: false,
    rows,
    notes: [`Check: within ${TOLERANCE * 100}% of the wasm value.`],
  });
  const wasm = table.rows[0].median;
  const js = table.rows.find((x) => x.contender.startsWith('JavaScript') && x.ok !== false)?.median;
  const tfw = table.rows.find(
    (x) => x.contender.startsWith('TF.js wasm') && x.ok !== false,
  )?.median;
  table.target = {
    text: 'wasm (Node) ≤ 0.1x hand-written JS (issue 5); ≥ 10x faster than TF.js wasm (issue 4)',
    met: js !== undefined ? wasm <= 0.1 * js && (tfw === undefined || wasm * 10 <= tfw) : null,
    detail: `wasm / JS = ${(wasm / js).toFixed(3)}x${tfw ? `, TF.js wasm / wasm = ${(tfw / wasm).toFixed(1)}x` : ''}`,
  };
  return [table];
}
