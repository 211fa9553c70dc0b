// SPDX-License-Identifier: MIT
// The Embind boundary under a million rejected calls: every bound function rejects bad input
// with an Error and leaks nothing (stack pointer, wasm memory, Embind handles), on the main
// thread and in a worker thread at the same time, and a valid call of each works afterwards.
// Before the boundary returned its failures (bindings.cpp guard, boundary.js), each rejected
// call leaked 16 bytes of the 5 MiB shadow stack and the module died after about 327,500.

import assert from 'node:assert/strict';
import fc from 'fast-check';
import { describe, test } from 'node:test';
import { Worker } from 'node:worker_threads';
import { loadOptim } from './lib/optim.mjs';
import { INFALLIBLE, guardedNames, rejectedCalls, soak, validCalls } from './lib/boundary-soak.mjs';

const m = await loadOptim();
const CALLS = 1_000_000;

/** soak() in a worker thread with its own module instance: resolves with its result. */
function soakInWorker(total) {
  const source = `
    import { parentPort, workerData } from 'node:worker_threads';
    import { loadOptim } from ${JSON.stringify(new URL('./lib/optim.mjs', import.meta.url).href)};
    import { soak, validCalls } from ${JSON.stringify(new URL('./lib/boundary-soak.mjs', import.meta.url).href)};
    const m = await loadOptim();
    const result = soak(m, workerData.total);
    parentPort.postMessage({ ...result, valid: validCalls(m) });
  `;
  const worker = new Worker(new URL(`data:text/javascript,${encodeURIComponent(source)}`), {
    workerData: { total },
  });
  return new Promise((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the worker exited with code ${code}`)));
  });
}

describe('the wasm boundary', () => {
  test('every guarded binding has a rejected call in the soak, or takes no bad input', () => {
    const trainer = new m.Trainer({ optimizer: { name: 'adam' }, dataset: { n: 40 } });
    try {
      const covered = [...Object.keys(rejectedCalls(m, trainer)), ...INFALLIBLE].sort();
      // `new m.Trainer` is the guarded factory behind the constructor.
      const bound = [...guardedNames(m), 'Trainer'].sort();
      assert.deepEqual(covered, bound);
    } finally {
      trainer.delete();
    }
  });

  test('a rejected call throws an Error with the core message and frees its stack', () => {
    const sp = m.stackSave();
    assert.throws(
      () =>
        m.run({
          optimizer: { name: 'adam', hyperparameters: { lr: -1 } },
          function: { name: 'rosenbrock' },
        }),
      (e) =>
        e instanceof Error && /^optimizer\.hyperparameters\.lr: adam: lr = -1 /.test(e.message),
    );
    assert.equal(m.stackSave(), sp);
  });

  test('a getter that throws inside a call leaves the stack where it was', () => {
    const sp = m.stackSave();
    const config = {
      get optimizer() {
        throw new RangeError('from a getter');
      },
    };
    assert.throws(() => m.run(config), { name: 'RangeError', message: 'from a getter' });
    assert.equal(m.stackSave(), sp);
    assert.equal(validCalls(m).trainerSteps, 3);
  });

  test(`${CALLS} rejected calls on the main thread and ${CALLS} in a worker, then valid ones`, async () => {
    const worker = soakInWorker(CALLS);
    const here = soak(m, CALLS);
    assert.ok(here.calls >= CALLS);
    const valid = { run: 12, evaluate: 0, grid: 12, trainerSteps: 3 };
    assert.deepEqual(validCalls(m), valid);
    const there = await worker;
    assert.ok(there.calls >= CALLS);
    assert.deepEqual(there.valid, valid);
  });
});

describe('configs read as one JSON text', () => {
  test('jsonTextOf: the JSON text of plain data, null for what JSON would change', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        // -0 is not JSON data (JSON.stringify writes 0); from_js keeps it.
        const hasNegativeZero =
          JSON.stringify(v, (k, x) => (Object.is(x, -0) ? 'NZ' : x)) !== JSON.stringify(v);
        const text = m.jsonTextOf(v);
        assert.equal(text, hasNegativeZero ? null : JSON.stringify(v));
      }),
    );
    assert.equal(m.jsonTextOf({ a: 1, b: undefined, c: [undefined] }), '{"a":1,"c":[null]}');
    assert.equal(m.jsonTextOf(new Float64Array([1.5, 2])), '[1.5,2]');
    assert.equal(m.jsonTextOf(JSON.parse('{"__proto__":{"x":1}}')), '{"__proto__":{"x":1}}');
    const cycle = { a: 1 };
    cycle.self = cycle;
    let deep = 1;
    for (let i = 0; i < 40; i++) deep = [deep];
    const notPlain = [NaN, Infinity, -Infinity, -0, () => 1, Symbol('s'), 10n, cycle, deep];
    for (const v of notPlain) assert.equal(m.jsonTextOf({ x: [v] }), null, String(v));
    assert.equal(m.jsonTextOf(new DataView(new ArrayBuffer(2))), '{}');
  });

  test('the core reads a config the same way from the text and field by field', () => {
    // weight_decay -0 (a valid value, equal to 0) makes the config not plain: field by field.
    const adam = (hp) => ({ name: 'adam', hyperparameters: hp });
    const slow = (hp) => adam({ ...hp, weight_decay: -0 });
    const message = (f) => {
      try {
        f();
      } catch (e) {
        return e.message;
      }
      return 'accepted';
    };
    for (const hp of [{ lr: 0.02, beta1: 0.5 }, { lr: 3 }, { lr: 2 ** 53 + 2 }, { eps: 1e-320 }]) {
      const a = message(() => m.normalizeOptimizer(adam(hp)));
      const b = message(() => m.normalizeOptimizer(slow(hp)));
      assert.equal(a, b, JSON.stringify(hp));
    }
    const look = (k, inner) => ({ name: 'lookahead', hyperparameters: { k, alpha: 0.5, inner } });
    for (const k of [5, 5.5, 2 ** 53 + 2, 1e300]) {
      const a = message(() => m.normalizeOptimizer(look(k, adam({ lr: 0.05 }))));
      const b = message(() => m.normalizeOptimizer(look(k, slow({ lr: 0.05 }))));
      assert.equal(a === 'accepted', b === 'accepted', String(k));
      if (a !== 'accepted') assert.equal(a, b, String(k));
    }
    const run = (optimizer) =>
      m.run({
        optimizer,
        schedule: { name: 'cosine', params: { t_max: 40 } },
        function: { name: 'rosenbrock' },
        start: [-1.2, 1],
        steps: 50,
      });
    const fast = run(adam({ lr: 0.02 }));
    const field = run(slow({ lr: 0.02 }));
    assert.deepEqual(fast.trajectory, field.trajectory);
    assert.deepEqual(fast.config.schedule, field.config.schedule);
  });
});
