// SPDX-License-Identifier: MIT
// runBatch (web/app/batch.js): tasks on a pool as one job, with outcomes in order whatever
// order the tasks settle in, progress per settled task, failures kept, and cancel.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runBatch } from '../../web/app/batch.js';
import { CancelledError } from '../../web/engine.js';

/** A pool whose tasks settle when the test says: settle(k, value | Error). */
function fakePool() {
  const tasks = [];
  return {
    tasks,
    task(message) {
      let resolve;
      let reject;
      const promise = new Promise((res, rej) => {
        resolve = res;
        reject = rej;
      });
      const task = { message, resolve, reject, cancelled: false };
      tasks.push(task);
      return {
        promise,
        cancel() {
          task.cancelled = true;
          reject(new CancelledError());
        },
      };
    },
  };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

test('outcomes in message order, progress per task, a failure kept', async () => {
  const pool = fakePool();
  const progress = [];
  let outcomes = null;
  runBatch(pool, ['a', 'b', 'c'], {
    onProgress: (done, total) => progress.push([done, total]),
    onDone: (o) => {
      outcomes = o;
    },
  });
  assert.deepEqual(
    pool.tasks.map((t) => t.message),
    ['a', 'b', 'c'],
  );
  pool.tasks[2].resolve(3);
  pool.tasks[0].reject(new Error('no'));
  await tick();
  assert.equal(outcomes, null);
  pool.tasks[1].resolve(2);
  await tick();
  assert.deepEqual(progress, [
    [1, 3],
    [2, 3],
    [3, 3],
  ]);
  assert.deepEqual(outcomes, [{ error: 'no', cancelled: false }, { result: 2 }, { result: 3 }]);
});

test('cancel cancels every task and calls nothing after', async () => {
  const pool = fakePool();
  let calls = 0;
  const batch = runBatch(pool, ['a', 'b'], { onProgress: () => calls++, onDone: () => calls++ });
  pool.tasks[0].resolve(1);
  await tick();
  assert.equal(calls, 1);
  batch.cancel();
  await tick();
  assert.deepEqual(
    pool.tasks.map((t) => t.cancelled),
    [true, true],
  );
  assert.equal(calls, 1);
});

test('no messages: done at once', () => {
  let outcomes = null;
  runBatch(fakePool(), [], { onDone: (o) => (outcomes = o) });
  assert.deepEqual(outcomes, []);
});
