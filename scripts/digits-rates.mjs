// SPDX-License-Identifier: MIT
// Derives each method's learning rate on the handwritten digits (the core's MethodPage
// digits_lr, src/optim/optimizers.cpp): every method with an lr trains the digits section's
// default network (64-32-32-10, softmax cross-entropy, batches of 32, 500 steps) at each rate
// of the grid, over seeds 1..3. Its rate is the one with the best mean test accuracy among
// those whose next larger rate still trains (mean test accuracy >= 50%): a rate at the edge
// of divergence would make the default table depend on luck. Prints one line per method.
//
//   node scripts/digits-rates.mjs [method,method,...]   (after npm run build:wasm)

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { loadOptim, ROOT } from '../tests/js/lib/optim.mjs';
import { parseDigits } from '../web/sections/digits/data.js';

const GRID = [0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3];
const SEEDS = [1, 2, 3];
const STEPS = 500;
const TRAINS = 0.5;

const m = await loadOptim();
const digits = parseDigits(
  gunzipSync(await readFile(join(ROOT, 'data', 'digits', 'digits.csv.gz'))).toString(),
);
const wanted = process.argv[2]?.split(',');
const methods = m
  .methods()
  .filter((d) => d.params.some((p) => p.name === 'lr'))
  .filter((d) => !wanted || wanted.includes(d.name));

/** Mean test accuracy of `name` at `lr` over the seeds (a diverged run counts as 0). */
function accuracy(name, lr) {
  let sum = 0;
  for (const seed of SEEDS) {
    const tr = new m.Trainer(
      {
        dataset: { name: 'digits', seed },
        network: { hidden: [32, 32], loss: 'cross_entropy', seed },
        optimizer: { name, hyperparameters: { lr } },
        batch_size: 32,
        seed,
        eval_every: STEPS,
      },
      digits,
    );
    try {
      tr.run(STEPS);
      const h = tr.history();
      const last = h.testAccuracy.length - 1;
      if (Number.isFinite(h.trainLoss[last])) sum += h.testAccuracy[last];
    } finally {
      tr.delete();
    }
  }
  return sum / SEEDS.length;
}

for (const d of methods) {
  const acc = GRID.map((lr) => accuracy(d.name, lr));
  let best = -1;
  for (let i = 0; i + 1 < GRID.length; i++) {
    if (acc[i + 1] >= TRAINS && (best < 0 || acc[i] > acc[best])) best = i;
  }
  const row = GRID.map((lr, i) => `${lr}:${(100 * acc[i]).toFixed(1)}%`).join(' ');
  console.log(`${d.name.padEnd(18)} digits_lr ${best < 0 ? 'none' : GRID[best]}   ${row}`);
}
