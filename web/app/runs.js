// SPDX-License-Identifier: MIT
// The race's runs: one m.run per racer, recomputed only for the racers whose inputs changed
// (a colour is not an input; the selection is, since the selected racer records its state
// series and the others only their paths). Small races run on the page's thread at once; a
// large one goes to the Worker pool, one task per Worker with its share of the racers, and a
// newer race drops the tasks of the older one that have not started. Results replace the old
// ones all at once, so a frame never mixes two starts. No DOM.

import { errorText } from '../engine.js';
import { runConfig } from './schema.js';

/**
 * Steps (summed over the racers) that run on the page's thread: a few milliseconds of work,
 * less than the round trip to a Worker, so that a dragged start's paths follow in the same
 * frame. Anything larger runs in the Worker pool, on the other cores, while this thread draws.
 */
export const INLINE_STEPS = 20000;

/** Whether `count` runs of `steps` steps go to the Worker pool (when there is one). */
const pooled = (pool, count, steps) => !!pool && count * steps > INLINE_STEPS;

/**
 * `items` split into at most `parts` runs of consecutive items whose lengths differ by one at
 * most (the longer ones first).
 */
export function shares(items, parts) {
  const n = Math.max(1, Math.min(parts, items.length));
  const out = [];
  let from = 0;
  for (let k = 0; k < n; k++) {
    const size = Math.floor(items.length / n) + (k < items.length % n ? 1 : 0);
    out.push(items.slice(from, from + size));
    from += size;
  }
  return out.filter((g) => g.length);
}

/**
 * Whether racer i's run records its state series, not only its path: the selected racer's
 * while the state chart follows (`live`), and every racer for which needsState holds.
 */
const recordsState = (state, i, needsState, live = true) =>
  (live && i === state.selected) || needsState(state.racers[i], state);

/** The inputs of racer i's run, as a key: what has to change for it to run again. */
function runKey(state, i, needsState, live) {
  const r = state.racers[i];
  return JSON.stringify([
    state.fn,
    state.start,
    state.steps,
    state.noise,
    r.optimizer,
    r.schedule,
    recordsState(state, i, needsState, live),
  ]);
}

/**
 * The run config of racer i: the selected racer records its state series (the state chart
 * shows them) unless `live` is false (the chart waits for a drag's end), and so does a racer
 * for which needsState(racer, state) holds (the figure draws Lookahead's slow weights and
 * SWATS's switch; a chapter's caption reads every racer's series); the others record their
 * paths only.
 */
export function racerConfig(state, i, needsState = () => false, live = true) {
  const config = runConfig(state, state.racers[i]);
  return recordsState(state, i, needsState, live) ? config : { ...config, record: 'path' };
}

/**
 * createRuns({ engine, pool, needsState, view, live, onChange }): update(state) brings the
 * runs to `state`, catchUp(state) too when the last update was made while live() was false;
 * onChange(runs) is called whenever they change. view() gives the figure's
 * view ({ box, width, height } or null), sent with pooled runs so that the Workers prepare
 * the paths as the figure draws them; live() tells whether the selected racer's
 * state series are wanted now (not while the start is dragged: update again when it ends).
 * runs: { list: [{ result, error, key }], state (the state they were run for), pending (a
 * newer race is computing), ms }.
 */
export function createRuns({
  engine,
  pool,
  needsState = () => false,
  view = () => null,
  live = () => true,
  onChange,
}) {
  let current = { list: [], state: null, pending: false, ms: 0, version: 0 };
  let generation = 0;
  let tasks = [];
  let lastLive = true; // whether the last update recorded what live() asks for

  function publish(next) {
    current = { ...next, version: current.version + 1 };
    onChange(current);
  }

  /** Drops the older race's tasks: queued ones never start, running ones finish unseen. */
  function cancelTasks() {
    for (const t of tasks) t.drop();
    tasks = [];
  }

  /** Brings the runs to `state`: recomputes the racers whose run inputs changed. */
  function update(state) {
    const now = live();
    lastLive = now;
    const config = (i) => racerConfig(state, i, needsState, now);
    const keys = state.racers.map((_, i) => runKey(state, i, needsState, now));
    const old = new Map(current.list.map((r) => [r.key, r]));
    const missing = keys.flatMap((key, i) => (old.has(key) ? [] : [i]));
    const generationNow = ++generation;
    cancelTasks();
    const assemble = (fresh) =>
      keys.map((key, i) => fresh.get(i) ?? old.get(key) ?? { result: null, error: null, key });
    if (!missing.length) {
      publish({ list: assemble(new Map()), state, pending: false, ms: 0 });
      return;
    }
    /** Runs racers `which` here: [i, { result, error, key }] each. */
    const here = (which) =>
      which.map((i) => {
        try {
          return [i, { result: engine.run(config(i)), error: null, key: keys[i] }];
        } catch (err) {
          return [i, { result: null, error: errorText(err), key: keys[i] }];
        }
      });
    if (!pooled(pool, missing.length, state.steps)) {
      const t0 = performance.now();
      const fresh = new Map(here(missing));
      publish({ list: assemble(fresh), state, pending: false, ms: performance.now() - t0 });
      return;
    }
    // The Worker pool: one task per Worker, each with its share of the racers (one message
    // each way per Worker, not per racer), joined when all are back.
    current = { ...current, pending: true };
    const t0 = performance.now();
    const mine = shares(missing, pool.size ?? 1).map((group) => {
      const task = pool.task({
        type: 'run',
        configs: group.map(config),
        // The Worker prepares each path as the figure draws it (projection and decimation):
        // work the page's thread would otherwise do in the frame that shows the paths.
        view: view(),
      });
      tasks.push(task);
      return task.promise.then(
        (results) =>
          group.map((i, k) => [
            i,
            { result: results[k].result ?? null, error: results[k].error ?? null, key: keys[i] },
          ]),
        (err) => {
          if (err?.name === 'CancelledError') throw err;
          return group.map((i) => [i, { result: null, error: errorText(err), key: keys[i] }]);
        },
      );
    });
    Promise.all(mine).then(
      (entries) => {
        if (generationNow !== generation) return;
        tasks = [];
        publish({
          list: assemble(new Map(entries.flat())),
          state,
          pending: false,
          ms: performance.now() - t0,
        });
      },
      () => {}, // cancelled: a newer race replaced this one
    );
  }

  /** Updates again when the last update left out what live() now wants (a drag has ended). */
  function catchUp(state) {
    if (!lastLive && live()) update(state);
  }

  return {
    update,
    catchUp,
    get current() {
      return current;
    },
  };
}

/**
 * Runs of each racer's config (its path only, at most WARM_STEPS steps) that warm the core up
 * before the first drag: V8 starts a WebAssembly function on baseline code and re-compiles it
 * once it has run enough, so the first moves of a drag on a fresh page took twice as long as
 * the later ones (the Workers share the page's compiled code: app/engine.js).
 */
export const WARM_ROUNDS = 10;
export const WARM_STEPS = 2000;

/** Rounds of warm-up runs in each Worker when the race runs in the pool. */
export const WARM_POOL_ROUNDS = 3;
/** While busy() holds, the warm-up looks again this much later. */
export const WARM_BUSY_MS = 100;

/**
 * warmUp({ engine, state, later, busy, sliceMs, pool, view }): runs every racer of `state`
 * WARM_ROUNDS times (each a run of at most WARM_STEPS steps, its result dropped), sliceMs at a
 * time (at least one run) in tasks of their own: later(fn, ms) calls fn in a later task (ms
 * from now, or at once). Nothing runs while busy() holds (a drag computes the runs anyway).
 * When the race runs in the pool, each Worker then runs those configs WARM_POOL_ROUNDS times
 * too, with the figure's view() (its own JavaScript, which prepares the tracks, starts cold).
 * Returns a promise of the runs made on the page's thread.
 */
export function warmUp({
  engine,
  state,
  later,
  busy = () => false,
  sliceMs = 4,
  pool = null,
  view = () => null,
}) {
  const configs = state.racers.map((_, i) => ({
    ...racerConfig(state, i),
    record: 'path',
    steps: Math.min(state.steps, WARM_STEPS),
  }));
  const total = WARM_ROUNDS * configs.length;
  let done = 0;
  const here = new Promise((resolve) => {
    const slice = () => {
      const t0 = performance.now();
      let ran = 0;
      while (done < total && !busy() && (ran === 0 || performance.now() - t0 < sliceMs)) {
        ran += 1;
        try {
          engine.run(configs[done % configs.length]);
        } catch {
          // A racer whose config the core rejects says so in the race; nothing to warm.
        }
        done += 1;
      }
      if (done >= total) resolve(done);
      else later(slice, busy() ? WARM_BUSY_MS : 0);
    };
    later(slice);
  });
  if (!pooled(pool, configs.length, state.steps)) return here;
  return here.then(async () => {
    for (let round = 0; round < WARM_POOL_ROUNDS; round++) {
      while (busy()) await new Promise((resolve) => later(resolve, WARM_BUSY_MS));
      const tasks = Array.from({ length: pool.size ?? 1 }, () =>
        pool.task({ type: 'run', configs, view: view() }).promise.catch(() => null),
      );
      await Promise.all(tasks);
    }
    return done;
  });
}

/** f of a run at `step` (its last value once it stopped), or null. */
export function lossAt(result, step) {
  if (!result || result.loss.length === 0) return null;
  return result.loss[Math.min(step, result.loss.length - 1)];
}
