// SPDX-License-Identifier: MIT
// Many independent tasks on the Worker pool (engine.js createPool) as one job: each task's
// outcome is kept in order, progress is counted as tasks settle, and the whole job can be
// cancelled. A task that fails does not stop the others: its outcome says why.

import { CancelledError } from '../engine.js';

const errorText = (err) => (err instanceof Error ? err.message : String(err));

/**
 * Queues every message of `messages` on `pool`. onProgress(done, total) runs as each task
 * settles; onDone(outcomes) once all have, outcomes[k] = { result } or { error, cancelled } of
 * message k. Neither runs after cancel(). Returns { cancel }.
 */
export function runBatch(pool, messages, { onProgress, onDone }) {
  const outcomes = new Array(messages.length).fill(null);
  let done = 0;
  let cancelled = false;
  const tasks = messages.map((message) => pool.task(message));
  tasks.forEach((task, k) =>
    task.promise
      .then(
        (result) => {
          outcomes[k] = { result };
        },
        (err) => {
          outcomes[k] = { error: errorText(err), cancelled: err instanceof CancelledError };
        },
      )
      .finally(() => {
        if (cancelled) return;
        done += 1;
        onProgress?.(done, tasks.length);
        if (done === tasks.length) onDone(outcomes);
      }),
  );
  if (!tasks.length) onDone(outcomes);
  return {
    cancel() {
      cancelled = true;
      for (const task of tasks) task.cancel();
    },
  };
}
