// SPDX-License-Identifier: MIT
// One background job at a time in the module worker (worker.js), for the lab sections: a job's
// messages carry its id, so a cancelled or replaced job's late messages are ignored; cancel
// terminates the worker and the next job starts a fresh one (STYLE §4).

export function createWorkerJob() {
  /** @type {Worker | null} */
  let worker = null;
  let jobId = 0;

  function stop() {
    worker?.terminate();
    worker = null;
  }

  return {
    /**
     * Posts `message` (with a fresh id) and routes the replies: onProgress(msg) for
     * {type: 'progress'}, onDone(result), onError(message) for an error the worker reported,
     * onCrash(message) when the worker itself failed (it is then discarded).
     */
    start(message, { onProgress, onDone, onError, onCrash }) {
      const id = ++jobId;
      worker ??= new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
      worker.onmessage = (event) => {
        const msg = event.data;
        if (msg.id !== id) return;
        if (msg.type === 'progress') onProgress(msg);
        else if (msg.type === 'done') onDone(msg.result);
        else if (msg.type === 'error') onError(msg.message);
      };
      worker.onerror = (event) => {
        event.preventDefault();
        stop();
        onCrash(event.message ?? '');
      };
      worker.postMessage({ ...message, id });
    },
    cancel() {
      jobId++;
      stop();
    },
  };
}
