// SPDX-License-Identifier: MIT
// The page's one animation-frame loop. Work is requested by name for the next frame and runs
// once per frame, in order of priority: the store's commit first, then what depends on it
// (computing, drawing, text). Work requested while a frame runs joins that frame when its
// priority comes later than the work running, else the next frame. A task that returns true
// asks to run again in the next frame (playback).

/** Priorities: lower runs first. */
export const COMMIT = 0;
export const COMPUTE = 1;
export const DRAW = 2;
export const TEXT = 3;
/**
 * Work that may wait for a later frame (charts, tables, the lab's pictures): once a frame has
 * run for BUDGET_MS, the rest of it moves to the next frame, so that one frame never holds
 * the main thread for long. One such task runs in every frame that has one.
 */
export const LATER = 4;
export const BUDGET_MS = 12;

/**
 * createFrameLoop({ schedule, clock }) -> { request(name, priority, fn), running }.
 * `schedule(cb)` asks for a frame (default requestAnimationFrame); cb(now) runs it; clock()
 * gives the time in ms (default performance.now).
 */
export function createFrameLoop({ schedule, clock = () => performance.now() } = {}) {
  const raf = schedule ?? ((cb) => requestAnimationFrame(cb));
  /** name -> { priority, fn }: what the next frame (or the one running) will do. */
  const queue = new Map();
  /** Requested during a frame at or before the priority running: for the next frame. */
  const deferred = new Map();
  let pending = false;
  let current = null; // the priority of the task running, while a frame runs

  function frame(now) {
    pending = false;
    const start = clock();
    let later = 0;
    for (;;) {
      let next = null;
      for (const entry of queue) if (!next || entry[1].priority < next[1].priority) next = entry;
      if (!next) break;
      const [name, task] = next;
      if (task.priority >= LATER && later > 0 && clock() - start > BUDGET_MS) break;
      if (task.priority >= LATER) later += 1;
      queue.delete(name);
      current = task.priority;
      try {
        if (task.fn(now) === true && !deferred.has(name)) deferred.set(name, task);
      } finally {
        current = null;
      }
    }
    for (const [name, task] of deferred) queue.set(name, task);
    deferred.clear();
    if (queue.size) ask();
  }

  function ask() {
    if (pending) return;
    pending = true;
    raf(frame);
  }

  return {
    /** Runs fn(now) in the next frame (once, however often it is requested before). */
    request(name, priority, fn) {
      const task = { priority, fn };
      if (current !== null && priority <= current) {
        deferred.set(name, task);
        return;
      }
      queue.set(name, task);
      if (current === null) ask();
    },
    get running() {
      return current !== null;
    },
  };
}
