// SPDX-License-Identifier: MIT
// Workload e: the lab's MLP 2-32-32-1 (tanh) on 400 points of two moons (test_fraction 0),
// Adam (lr 0.01) and SGD with momentum (lr 0.05, momentum 0.9), full batch and mini-batches of
// 32, in steps per second. wasm: m.Trainer.run(k) as web/worker.js drives it, with eval_every
// at its maximum so that the periodic full-data evaluation (loss and accuracy) is not timed;
// native: the same Trainer; JavaScript by hand (js/mlp.mjs) and TensorFlow.js (cpu and wasm
// backends) on the trainer's own points from its initial parameters.
// Check: every contender makes the same number of updates (warm-up + repetitions); then the
// full-data loss of its parameters, computed by js/mlp.mjs in float64, is compared: full batch
// from the same start follows the same path, so against the wasm loss (float64 contenders
// within 1e-6 relative; TF.js in float32 within 2%); mini-batches shuffle differently outside
// the core, so there the loss must have fallen by the core's decrease within ±50% (wasm and
// native share the core's shuffling and must agree within 1e-6).
import { Mlp, Trainer as JsTrainer } from '../js/mlp.mjs';
import { relDiff, timeIt, toRate } from '../lib/measure.mjs';
import { makeTable, tryRow } from '../lib/report.mjs';

export const SIZES = [2, 32, 32, 1];
export const BASE = {
  dataset: { name: 'two_moons', n: 400, test_fraction: 0, seed: 0 },
  network: { hidden: [32, 32], activation: 'tanh', seed: 1 },
  eval_every: 100000,
};
export const SETTINGS = [
  { method: 'adam', label: 'Adam', hp: { lr: 0.01 } },
  { method: 'sgd_momentum', label: 'SGDM', hp: { lr: 0.05, momentum: 0.9 } },
];

/** TensorFlow.js's layers (float32) from flat parameters in the core's layout (weights in x out). */
export function tfLayers(tf, params) {
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
    layers.push({ w, b });
  }
  return layers;
}

/** Mean binary cross-entropy softplus(z) - y z of the network `layers` on (x, y). */
export function tfLoss(tf, layers, x, y) {
  let a = x;
  layers.forEach(({ w, b }, i) => {
    a = tf.add(tf.matMul(a, w), b);
    if (i < layers.length - 1) a = tf.tanh(a);
  });
  return tf.mean(tf.sub(tf.softplus(a), tf.mul(y, a)));
}

/** Flat parameters (core layout) of TensorFlow.js layers. */
export function tfFlat(layers) {
  return Float64Array.from(layers.flatMap(({ w, b }) => [...w.dataSync(), ...b.dataSync()]));
}

/** A TensorFlow.js trainer: run(k) updates, params() in the core's layout. */
function tfTrainer(tf, data, init, setting, batch) {
  const layers = tfLayers(tf, init).map(({ w, b }) => ({ w: tf.variable(w), b: tf.variable(b) }));
  const vars = layers.flatMap(({ w, b }) => [w, b]);
  const n = data.labels.length;
  const x = tf.tensor2d(Float32Array.from(data.points), [n, 2]);
  const y = tf.tensor2d(Float32Array.from(data.labels), [n, 1]);
  const { lr } = setting.hp;
  const opt =
    setting.method === 'adam'
      ? tf.train.adam(lr, 0.9, 0.999, 1e-8)
      : tf.train.momentum(lr, setting.hp.momentum);
  const order = Int32Array.from({ length: n }, (_, i) => i);
  let cursor = n;
  let seed = 12345;
  const next = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 4294967296;
  return {
    run(k) {
      for (let s = 0; s < k; s++) {
        if (!batch) {
          opt.minimize(() => tfLoss(tf, layers, x, y), false, vars);
          continue;
        }
        if (cursor + batch > n) {
          for (let i = n - 1; i > 0; i--) {
            const j = Math.floor(next() * (i + 1));
            [order[i], order[j]] = [order[j], order[i]];
          }
          cursor = 0;
        }
        const idx = tf.tensor1d(order.subarray(cursor, cursor + batch), 'int32');
        cursor += batch;
        opt.minimize(() => tfLoss(tf, layers, tf.gather(x, idx), tf.gather(y, idx)), false, vars);
        idx.dispose();
      }
      layers[0].w.dataSync(); // wait for the backend
    },
    params: () => tfFlat(layers),
    dispose() {
      opt.dispose();
      tf.dispose([x, y, ...vars]);
    },
  };
}

export async function run(ctx) {
  const { m, quick, reps, native, tf, browser } = ctx;
  const tables = [];
  for (const setting of SETTINGS) {
    for (const batch of [0, 32]) {
      const steps = ctx.sizes.mlpSteps ?? (batch ? (quick ? 50 : 300) : quick ? 20 : 100);
      const config = {
        ...BASE,
        optimizer: m.normalizeOptimizer({ name: setting.method, hyperparameters: setting.hp }),
        batch_size: batch,
        seed: 7,
      };
      const probe = new m.Trainer(config);
      const data = probe.data().train;
      const init = probe.params();
      probe.delete();
      const judge = new Mlp(SIZES, data.points, data.labels);
      const initialLoss = judge.loss(init);
      // A fixed number of calls, warm-up included: every contender must make the same number
      // of updates for the loss check. One call of `steps` updates calls the hot kernels often
      // enough for V8 to compile them with its optimizing tier.
      const opts = { warmup: 1, repetitions: reps, minSampleMs: 0, minWarmupMs: 0 };
      const total = (opts.warmup + opts.repetitions) * steps;
      const rows = [];

      const trainer = new m.Trainer(config);
      let r;
      try {
        r = await timeIt(() => trainer.run(steps), opts);
        if (trainer.history().steps !== total) throw new Error('wasm trainer step count');
        rows.push({
          contender: 'wasm, Node: m.Trainer.run',
          samples: toRate(r.samples, steps),
          loss: judge.loss(trainer.params()),
        });
      } finally {
        trainer.delete();
      }
      const refLoss = rows[0].loss;
      if (browser) {
        await tryRow(rows, 'wasm, Chromium: m.Trainer.run', async () => {
          const t = await browser.time('trainerRun', { config, steps }, opts);
          const params = await browser.call('trainerParams', { config });
          return {
            samples: toRate(t.samples, steps),
            loss: judge.loss(Float64Array.from(params)),
            sameShuffle: true,
          };
        });
      }
      if (native.available) {
        await tryRow(rows, 'native: Trainer::run', () => {
          const out = native.run({ kind: 'train', config, steps, repetitions: reps, warmup: 1 });
          return {
            samples: toRate(out.samples_ms, steps),
            loss: judge.loss(Float64Array.from(out.result.params)),
            sameShuffle: true,
          };
        });
      }
      const js = new JsTrainer(
        new Mlp(SIZES, data.points, data.labels),
        Float64Array.from(init),
        setting.method,
        config.optimizer.hyperparameters,
        batch,
        11,
      );
      r = await timeIt(() => js.run(steps), opts);
      rows.push({
        contender: 'JavaScript, Node',
        samples: toRate(r.samples, steps),
        loss: judge.loss(js.params),
      });
      if (tf) {
        for (const backend of ['cpu', 'wasm']) {
          await tf.use(backend);
          const t = tfTrainer(tf.tf, data, init, setting, batch);
          try {
            r = await timeIt(() => t.run(steps), opts);
            rows.push({
              contender: `TF.js ${backend}, Node`,
              samples: toRate(r.samples, steps),
              loss: judge.loss(t.params()),
              float32: true,
            });
          } finally {
            t.dispose();
          }
        }
      }
      for (const row of rows) {
        if (row.ok === false) continue; // crashed
        const d = relDiff(row.loss, refLoss);
        if (row === rows[0]) {
          row.ok = row.loss < initialLoss;
          row.check = `loss ${initialLoss.toFixed(3)} → ${row.loss.toFixed(4)} (reference)`;
        } else if (!batch || row.sameShuffle) {
          const tol = row.float32 ? 0.02 : 1e-6;
          row.ok = d <= tol;
          row.check = `loss ${row.loss.toFixed(4)}, Δ ${d.toExponential(1)} (≤ ${tol})`;
        } else {
          // Own shuffling: the loss must fall by as much as the core's, within ±50%.
          const progress = (initialLoss - row.loss) / (initialLoss - refLoss);
          row.ok = progress >= 0.5 && progress <= 1.5;
          row.check = `loss ${row.loss.toFixed(4)}, ${(100 * progress).toFixed(0)}% of the core's decrease (own shuffling)`;
        }
      }
      const table = makeTable({
        id: `mlp-${setting.method}-${batch || 'full'}`,
        title: `e) MLP 2-32-32-1 tanh, 400 points, ${setting.label} ${JSON.stringify(setting.hp)}, ${batch ? `mini-batch ${batch}` : 'full batch'}`,
        unit: 'steps/s',
        higherIsBetter: true,
        rows,
        notes: [
          `${steps} steps per repetition, ${total} in all per contender; the full-data loss after them is computed in float64 by tests/bench/js/mlp.mjs. ` +
            'wasm: eval_every 100000, so no evaluation inside the timed steps.',
        ],
      });
      const wasm = table.rows[0].median;
      const others = table.rows.filter(
        (x) => /^(JavaScript|TF\.js)/.test(x.contender) && x.ok !== false,
      );
      const best = Math.max(...others.map((x) => x.median));
      const tfWasm = table.rows.find(
        (x) => x.contender === 'TF.js wasm, Node' && x.ok !== false,
      )?.median;
      table.target = {
        text: 'wasm (Node) ≥ 4x the best of hand-written JS and TF.js (issue 5); ≥ 4x TF.js wasm (issue 4)',
        met: Number.isFinite(best)
          ? wasm >= 4 * best && (tfWasm === undefined || wasm >= 4 * tfWasm)
          : null,
        detail: `wasm / best other = ${(wasm / best).toFixed(2)}x${tfWasm ? `, wasm / TF.js wasm = ${(wasm / tfWasm).toFixed(2)}x` : ''}`,
      };
      tables.push(table);
    }
  }
  return tables;
}
