// SPDX-License-Identifier: MIT
// The page's pure parts in Node, without a browser: the store, the actions, the store's check,
// the chart data, the race's and the lab's captions and the pooled ensemble's join, against the
// real wasm core.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { loadOptim } from './lib/optim.mjs';
import { loadLanguage } from '../../web/i18n.js';
import * as actions from '../../web/app/actions.js';
import { addOrder, meta } from '../../web/app/meta.js';
import {
  checkState,
  defaultRacer,
  defaultState,
  MAX_RACERS,
  PALETTE,
} from '../../web/app/schema.js';
import { createStore, same } from '../../web/app/store.js';
import { createFrameLoop, COMMIT, DRAW } from '../../web/app/frame.js';
import {
  INLINE_STEPS,
  WARM_BUSY_MS,
  WARM_POOL_ROUNDS,
  WARM_ROUNDS,
  WARM_STEPS,
  createRuns,
  racerConfig,
  shares,
  warmUp,
} from '../../web/app/runs.js';
import { decimate, project } from '../../web/render/paths.js';
import { viewKey, viewMap } from '../../web/render/view.js';
import {
  MAX_POINTS,
  onAxis,
  overlayData,
  overlayViews,
  raceData,
  racerSeries,
  stepAxis,
} from '../../web/sections/charts/model.js';
import { raceCaption, stillDescending } from '../../web/sections/race/model.js';
import {
  basinGaps,
  chunks,
  joinEnsemble,
  labCaption,
  labSurface,
  SPREAD,
  spreadCaption,
  spreadSettings,
  spreadSummary,
} from '../../web/sections/lab/model.js';
import { evalEvery, nearestIndex, sliceRise } from '../../web/sections/network/model.js';

const m = await loadOptim();

/** Distance from (x, y) to the segment from (ax, ay) to (bx, by). */
function toSegment(x, y, ax, ay, bx, by) {
  const dx = bx - ax;
  const dy = by - ay;
  const square = dx * dx + dy * dy;
  const u = square > 0 ? Math.min(1, Math.max(0, ((x - ax) * dx + (y - ay) * dy) / square)) : 0;
  return Math.hypot(x - ax - u * dx, y - ay - u * dy);
}

/**
 * Asserts that a decimated path ({ poly, at } of `points`) starts at the path's start, that
 * at[k] is the last kept point at or before point k, and that every point lies within 1.6 px
 * (the 0.75 px grid of dropped points, diagonally, plus the 0.5 px simplification) of the line
 * the figure draws: the kept points, then the path's exact last point (render/paths.js trace).
 */
function assertDrawnNear(points, poly, at) {
  const n = points.length / 2;
  const line = [...poly, points[2 * n - 2], points[2 * n - 1]];
  const m = line.length / 2;
  assert.ok(Math.abs(points[0] - poly[0]) < 1e-3 && Math.abs(points[1] - poly[1]) < 1e-3);
  assert.equal(at[0], 0);
  for (let k = 1; k < n; k++) assert.ok(at[k] >= at[k - 1] && at[k] <= at[k - 1] + 1);
  for (let k = 0; k < n; k++) {
    let best = Infinity;
    for (let i = Math.max(0, at[k] - 10); i < Math.min(m - 1, at[k] + 2); i++) {
      const d = toSegment(
        points[2 * k],
        points[2 * k + 1],
        line[2 * i],
        line[2 * i + 1],
        line[2 * i + 2],
        line[2 * i + 3],
      );
      best = Math.min(best, d);
    }
    assert.ok(best <= 1.6, `point ${k} is ${best} px from the drawn line`);
  }
}

const M = meta(m);

/** A store whose commits run when flush() of the returned frame queue is called. */
function manualStore(initial, check) {
  const queue = [];
  const store = createStore(initial, { check, schedule: (f) => queue.push(f) });
  return { store, frame: () => queue.splice(0).forEach((f) => f()) };
}

describe('store', () => {
  test('changes coalesce into one commit; a watcher sees each change of its slice once', () => {
    const { store, frame } = manualStore({ a: 1, b: { c: 2 } });
    const seen = [];
    store.watch(
      (s) => s.b,
      (v, old) => seen.push([v.c, old?.c]),
    );
    assert.deepEqual(seen, [[2, undefined]], 'called at once with the state');
    store.update((s) => void (s.b.c = 3));
    store.update((s) => void (s.b.c = 4));
    store.update((s) => void (s.a = 5));
    assert.equal(store.get().b.c, 4, 'get() gives the latest accepted state');
    assert.deepEqual(seen.length, 1, 'no call before the frame');
    frame();
    assert.deepEqual(seen, [
      [2, undefined],
      [4, 2],
    ]);
    store.update((s) => void (s.a = 6));
    frame();
    assert.equal(seen.length, 2, 'a change of another slice does not call it');
  });

  test('a rejected change returns its problems and changes nothing', () => {
    const check = (next) => ({
      state: next,
      errors: next.n < 0 ? [{ field: 'n', message: 'n: must be >= 0' }] : [],
    });
    const { store, frame } = manualStore({ n: 1 }, check);
    assert.deepEqual(
      store.update((s) => ({ ...s, n: -1 })),
      [{ field: 'n', message: 'n: must be >= 0' }],
    );
    assert.equal(store.get().n, 1);
    assert.deepEqual(
      store.update((s) => ({ ...s, n: 2 })),
      [],
    );
    frame();
    assert.equal(store.get().n, 2);
    assert.throws(() => {
      store.get().n = 3;
    }, TypeError);
  });

  test('same() tells -0 from 0 and compares typed arrays by value', () => {
    assert.equal(same({ a: [1, { b: 0 }] }, { a: [1, { b: 0 }] }), true);
    assert.equal(same(0, -0), false);
    assert.equal(same(new Float64Array([1, 2]), new Float64Array([1, 2])), true);
    assert.equal(same([1], { 0: 1 }), false);
  });

  test('the frame loop runs the commit before drawing, and work asked for during it joins it', () => {
    let pending = null;
    const loop = createFrameLoop({ schedule: (cb) => (pending = cb) });
    const order = [];
    loop.request('draw', DRAW, () => order.push('draw'));
    loop.request('commit', COMMIT, () => {
      order.push('commit');
      loop.request('draw2', DRAW, () => order.push('draw2'));
      loop.request('commit2', COMMIT, () => order.push('commit2'));
    });
    pending(0);
    assert.deepEqual(order, ['commit', 'draw', 'draw2']);
    pending(16);
    assert.deepEqual(order, ['commit', 'draw', 'draw2', 'commit2']);
  });
});

describe('the race runs', () => {
  test('shares() splits racers into consecutive runs of near-equal length', () => {
    assert.deepEqual(shares([0, 1, 2, 3, 4], 2), [
      [0, 1, 2],
      [3, 4],
    ]);
    assert.deepEqual(shares([7, 9], 4), [[7], [9]]);
    assert.deepEqual(shares([], 2), []);
    for (const n of [1, 5, 12]) {
      for (const parts of [1, 2, 3, 4]) {
        const items = Array.from({ length: n }, (_, i) => i);
        const out = shares(items, parts);
        assert.deepEqual(out.flat(), items, `${n} in ${parts}`);
        const sizes = out.map((g) => g.length);
        assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 1, `${n} in ${parts}: ${sizes}`);
        assert.equal(out.length, Math.min(n, parts));
      }
    }
  });

  test("a pooled run carries the figure's track for the view it was sent with", async () => {
    globalThis.self ??= { addEventListener() {}, postMessage() {} };
    const { runAll } = await import('../../web/worker.js');
    const state = defaultState(m);
    const config = racerConfig(state, 0);
    const view = { box: { xmin: -2, xmax: 2, ymin: -1, ymax: 3 }, width: 400, height: 400 };
    const [{ result }] = runAll(m, [config], view);
    assert.equal(result.track.view, viewKey(view));
    const { points, poly, at } = result.track;
    // The run's points in canvas pixels: x from the left, y from the top of the view.
    const direct = m.run(config);
    const n = direct.trajectory.length / 2;
    assert.equal(points.length, 2 * n);
    for (let k = 0; k < n; k++) {
      const x = ((direct.trajectory[2 * k] + 2) / 4) * 400;
      const y = ((3 - direct.trajectory[2 * k + 1]) / 4) * 400;
      assert.ok(Math.abs(points[2 * k] - x) < 1e-3 && Math.abs(points[2 * k + 1] - y) < 1e-3);
    }
    // What is drawn is fewer segments, and every point of the run lies close to them.
    assert.ok(poly.length < points.length, 'decimated');
    assertDrawnNear(points, poly, at);
    assert.equal(runAll(m, [config], null)[0].result.track, undefined, 'no view, no track');
  });

  test('a path that runs back and forth along one line is drawn with its excursions', () => {
    // 0 -> 10 -> -5 -> 3 on one horizontal line, then on to 4: the drawn line must reach 10 and
    // -5, not go straight from 0 to 4.
    const xs = [0, 10, -5, 3, 4];
    const points = new Float64Array(xs.flatMap((x) => [100 + 20 * x, 50]));
    const { poly, at } = decimate(points);
    assertDrawnNear(points, poly, at);
    const drawn = [...poly].filter((_, k) => k % 2 === 0);
    assert.equal(Math.max(...drawn), 300);
    assert.equal(Math.min(...drawn), 0);
  });

  test('a large race goes to the pool as one task per Worker and comes back in racer order', async () => {
    let state = defaultState(m);
    for (let i = 0; i < 4; i++) state = actions.addRacer(state, m);
    state = { ...state, steps: Math.ceil((INLINE_STEPS + 1) / state.racers.length) + 10 };
    const sent = [];
    const pool = {
      size: 2,
      task(message) {
        sent.push(message);
        const promise = Promise.resolve(message.configs.map((c) => ({ result: m.run(c) })));
        return { promise, drop() {}, cancel() {} };
      },
    };
    const published = [];
    const view = { box: { xmin: -2, xmax: 2, ymin: -1, ymax: 3 }, width: 400, height: 400 };
    const runs = createRuns({
      engine: m,
      pool,
      view: () => view,
      onChange: (r) => published.push(r),
    });
    runs.update(state);
    await new Promise((resolve) => setTimeout(resolve, 0));
    assert.equal(sent.length, 2);
    // Every pooled task carries the figure's view: its Worker prepares the tracks.
    assert.deepEqual(
      sent.map((msg) => msg.view),
      [view, view],
    );
    assert.deepEqual(
      sent.map((msg) => msg.configs.length),
      [Math.ceil(state.racers.length / 2), Math.floor(state.racers.length / 2)],
    );
    const last = published.at(-1);
    assert.equal(last.pending, false);
    assert.equal(last.list.length, state.racers.length);
    state.racers.forEach((_, i) => {
      const direct = m.run(racerConfig(state, i));
      assert.deepEqual(last.list[i].result.trajectory, direct.trajectory, `racer ${i}`);
    });
  });
});

describe('warming the core up', () => {
  test('every racer runs WARM_ROUNDS times, its path only, at most WARM_STEPS steps', async () => {
    let state = defaultState(m);
    state = actions.addRacer(state, m);
    state = { ...state, steps: WARM_STEPS * 5 };
    const runs = [];
    const engine = { run: (config) => runs.push(config) };
    const tasks = [];
    const waits = [];
    let busy = false;
    const done = warmUp({
      engine,
      state,
      later: (fn, ms = 0) => {
        tasks.push(fn);
        waits.push(ms);
      },
      busy: () => busy,
      sliceMs: Infinity,
    });
    assert.equal(runs.length, 0, 'nothing runs before its task');
    // While busy (a drag), a task runs nothing and looks again WARM_BUSY_MS later.
    busy = true;
    tasks.shift()();
    assert.equal(runs.length, 0);
    assert.equal(tasks.length, 1);
    assert.equal(waits.at(-1), WARM_BUSY_MS);
    busy = false;
    while (tasks.length) tasks.shift()();
    assert.equal(await done, WARM_ROUNDS * state.racers.length);
    assert.equal(runs.length, WARM_ROUNDS * state.racers.length);
    state.racers.forEach((_, i) => {
      const want = { ...racerConfig(state, i), record: 'path', steps: WARM_STEPS };
      const mine = runs.filter((c) => JSON.stringify(c) === JSON.stringify(want));
      assert.equal(mine.length, WARM_ROUNDS, `racer ${i}`);
    });
  });

  test('a race that runs in the pool warms each Worker up too, with the figure\u2019s view', async () => {
    const view = { box: { xmin: -2, xmax: 2, ymin: -1, ymax: 3 }, width: 400, height: 300 };
    const sent = [];
    const pool = {
      size: 2,
      task(message) {
        sent.push(message);
        return { promise: Promise.resolve([]) };
      },
    };
    const warm = (steps) => {
      const state = { ...defaultState(m), steps };
      const tasks = [];
      const done = warmUp({
        engine: { run: () => null },
        state,
        later: (fn) => tasks.push(fn),
        sliceMs: Infinity,
        pool,
        view: () => view,
      });
      tasks.shift()();
      return { state, done };
    };
    const small = warm(100);
    await small.done;
    assert.equal(sent.length, 0, 'a race that runs on the page\u2019s thread warms no Worker');
    const large = warm(Math.ceil(INLINE_STEPS / 5) + 1);
    assert.equal(await large.done, WARM_ROUNDS * large.state.racers.length);
    assert.equal(sent.length, WARM_POOL_ROUNDS * pool.size);
    for (const msg of sent) {
      assert.equal(msg.type, 'run');
      assert.deepEqual(msg.view, view);
      assert.equal(msg.configs.length, large.state.racers.length);
      assert.ok(msg.configs.every((c) => c.record === 'path' && c.steps === WARM_STEPS));
    }
  });

  test('a slice runs at least one run, and a race shorter than WARM_STEPS keeps its steps', async () => {
    const state = { ...defaultState(m), steps: 50 };
    const runs = [];
    const tasks = [];
    const done = warmUp({
      engine: {
        run: (config) => {
          runs.push(config);
          throw new Error('rejected');
        },
      },
      state,
      later: (fn) => tasks.push(fn),
      sliceMs: 0,
    });
    tasks.shift()();
    assert.equal(runs.length, 1, 'one run in a slice of no time');
    while (tasks.length) tasks.shift()();
    assert.equal(
      await done,
      WARM_ROUNDS * state.racers.length,
      'a rejected config does not stop it',
    );
    assert.ok(runs.every((c) => c.steps === 50));
  });
});

describe('runs after a drag', () => {
  test('catchUp records the selected racer\u2019s state once a drag has ended, and only then', () => {
    const state = defaultState(m);
    let dragging = true;
    const published = [];
    const runs = createRuns({
      engine: m,
      live: () => !dragging,
      onChange: (r) => published.push(r),
    });
    const selected = () => published.at(-1).list[state.selected].result;
    runs.update(state);
    assert.deepEqual(Object.keys(selected().state), [], 'paths only while dragging');
    runs.catchUp(state);
    assert.equal(published.length, 1, 'still dragging: nothing to catch up');
    dragging = false;
    runs.catchUp(state);
    assert.equal(published.length, 2);
    const direct = m.run(racerConfig(state, state.selected));
    assert.ok(Object.keys(direct.state).length > 0);
    assert.deepEqual(Object.keys(selected().state), Object.keys(direct.state));
    runs.catchUp(state);
    runs.update(state);
    runs.catchUp(state);
    assert.equal(published.length, 3, 'caught up: only the explicit update publishes');
  });
});

describe('actions and the store check', () => {
  const check = checkState(m);
  const apply = (state, action) => {
    const next = action(structuredClone(state));
    return check(structuredClone(next), state);
  };

  test('"Add racer" takes the metadata order, skipping methods already racing', () => {
    let s = defaultState(m);
    const racing = new Set(s.racers.map((r) => r.optimizer.name));
    const expected = addOrder(M).filter((n) => !racing.has(n));
    for (const name of expected.slice(0, MAX_RACERS - s.racers.length)) {
      s = actions.addRacer(s, m);
      assert.equal(s.racers.at(-1).optimizer.name, name);
      assert.ok(
        !s.racers.slice(0, -1).some((r) => r.color === s.racers.at(-1).color),
        'a free colour',
      );
    }
    assert.equal(s.racers.length, MAX_RACERS);
    assert.equal(actions.addRacer(s, m), s, 'no thirteenth racer');
  });

  test('removing the selected racer selects its neighbour and its own chart', () => {
    let s = { ...defaultState(m), selected: 4, series: 'v' };
    s = actions.removeRacer(s, 4);
    assert.equal(s.selected, 3);
    assert.equal(s.series, null);
    const kept = actions.removeRacer({ ...defaultState(m), selected: 0, series: 'm' }, 2);
    assert.equal(kept.series, 'm');
  });

  test('the check names the field, normalizes racers and keeps the last valid state', () => {
    const s = defaultState(m);
    let r = apply(s, (x) => actions.setSteps(x, 0));
    assert.match(r.errors[0].message, /^steps = "0" is not an integer in \[1, 100000\]/);
    r = apply(s, (x) =>
      actions.setRacerValue(x, 1, ['optimizer', 'hyperparameters', 'beta1'], 1.5),
    );
    assert.equal(r.errors[0].field, 'r[1]');
    assert.match(r.errors[0].message, /beta1 = 1\.5 is outside/);
    r = apply(s, (x) => actions.setRacerMethod(x, m, 2, 'lookahead'));
    assert.deepEqual(r.errors, []);
    assert.deepEqual(r.state.racers[2], { ...defaultRacer(m, 'lookahead'), color: PALETTE[2] });
    r = apply(s, (x) => actions.setSeries(x, 'no_such_series'));
    assert.equal(r.errors[0].field, 'series');
    r = apply(s, (x) => actions.setMlpInput(x, 'hidden', [16, 0]));
    assert.equal(r.errors[0].field, 'mlp.hidden');
    r = apply(s, (x) => actions.setLabInput(x, 'runs', 5000));
    assert.equal(r.errors[0].field, 'lab.runs');
  });
});

describe('chart data', () => {
  test('a long race keeps each bucket’s least and largest value, in their order', () => {
    const n = 100000;
    const axis = stepAxis(n);
    assert.ok(axis.x.length <= MAX_POINTS);
    assert.equal(axis.x[0], 0);
    const spike = 54321;
    const series = new Float64Array(n + 1).map((_, k) =>
      k === spike ? 1e6 : k === spike + 3 ? -5 : 1 / (k + 1),
    );
    const values = onAxis(axis, n, series);
    assert.ok(values.includes(1e6), 'the spike stays');
    assert.ok(values.includes(-5), 'the dip stays');
    const j = values.indexOf(1e6);
    assert.equal(values[j + 1], -5, 'in the order they came');
    const short = stepAxis(300);
    assert.equal(short.x.length, 301);
  });

  test('the plotted loss is floored for the log axis, the raw value is kept for the legend', () => {
    const loss = new Float64Array([1, 1e-10, 1e-44]);
    const runs = [{ result: { loss, lr: new Float64Array([0.1, 0.1]) } }];
    const racers = [{ optimizer: { name: 'sgd' }, color: '#000000' }];
    const d = raceData(runs, racers, M.methods, [{ x: 0, y: 0, f: 0 }], 'en', 2);
    assert.equal(d.loss.log, true);
    assert.equal(d.loss.raw[0][2], 1e-44);
    assert.ok(d.loss.values[0][2] >= 1e-20, 'plotted at the floor');
  });

  test('the series of each run can come from a cache: the same data', () => {
    // A long race (bucketed) on a surface whose minimum is f = 2: the loss is shifted by it.
    const n = 9000;
    const runs = [0.5, 2].map((rate) => ({
      result: {
        loss: Float64Array.from({ length: n + 1 }, (_, k) => 2 + Math.exp(-k / (rate * 1000))),
        lr: new Float64Array(n).fill(rate),
      },
    }));
    const racers = [
      { optimizer: { name: 'sgd' }, color: '#000000' },
      { optimizer: { name: 'adam' }, color: '#ff0000' },
    ];
    const minima = [{ x: 0, y: 0, f: 2 }];
    const asked = [];
    const seriesOf = (result, axis, steps, offset) => {
      asked.push([runs.findIndex((r) => r.result === result), axis.x.length, steps, offset]);
      return racerSeries(result, axis, steps, offset);
    };
    const cached = raceData(runs, racers, M.methods, minima, 'en', n, 'log', seriesOf);
    assert.deepEqual(asked, [
      [0, stepAxis(n).x.length, n, 2],
      [1, stepAxis(n).x.length, n, 2],
    ]);
    assert.deepEqual(cached, raceData(runs, racers, M.methods, minima, 'en', n));
    assert.equal(cached.loss.raw[0][0], 1, 'f - f* at the start');
  });
});

describe('one quantity of every racer', () => {
  const config = (optimizer, record) => ({
    optimizer,
    function: { name: 'quadratic' },
    steps: 50,
    noise: { level: 1, seed: 3 },
    record,
  });
  const racers = [
    { optimizer: { name: 'adagrad' }, color: '#e6194b' },
    { optimizer: { name: 'rmsprop' }, color: '#3cb44b' },
    { optimizer: { name: 'sgd' }, color: '#4363d8' },
  ];
  const runs = [
    { result: m.run(config({ name: 'adagrad', hyperparameters: { lr: 0.5 } }, 'all')) },
    { result: m.run(config({ name: 'rmsprop', hyperparameters: { lr: 0.05 } }, 'all')) },
    { result: m.run(config({ name: 'sgd', hyperparameters: { lr: 0.05 } }, 'all')) },
  ];
  const labels = ['Adagrad', 'RMSProp', 'SGD'];

  test("each racer's series is its own run's, in its colour; a racer without it is named", () => {
    const d = overlayData(runs, racers, labels, 'v', 'en');
    // Adagrad and RMSProp keep a second moment v per coordinate; SGD has none.
    assert.deepEqual(
      d.series.map((s) => [s.label, s.colour.startsWith('#') ? s.colour : 'tint']),
      [
        ['Adagrad (x)', '#e6194b'],
        ['Adagrad (y)', 'tint'],
        ['RMSProp (x)', '#3cb44b'],
        ['RMSProp (y)', 'tint'],
      ],
    );
    assert.deepEqual(d.without, [2]);
    // [column of the chart, run, coordinate]
    for (const [column, run, coord] of [
      [0, runs[0], 0],
      [1, runs[0], 1],
      [3, runs[1], 1],
    ]) {
      const own = run.result.state.v.values;
      // Value t - 1 of a series is after update t: step t on the chart; step 0 has none.
      assert.equal(d.raw[column][0], null);
      for (const t of [1, 25, 50]) assert.equal(d.raw[column][t], own[(t - 1) * 2 + coord]);
    }
    assert.equal(d.log, true);
  });

  test('the quantities offered are those of any racer, each once', () => {
    const ids = overlayViews(runs, 'en', m.series()).map((v) => v.id);
    assert.equal(new Set(ids).size, ids.length);
    assert.ok(ids.includes('effective_lr'));
    for (const run of runs) {
      for (const name of Object.keys(run.result.state)) {
        if (!['lower', 'upper', 'phase', 'rectified', 'synced'].includes(name)) {
          assert.ok(ids.includes(name), name);
        }
      }
    }
  });
});

describe('captions', () => {
  test('a racer whose loss still falls is not said to stop', () => {
    const falling = {
      loss: new Float64Array(101).map((_, k) => 200 - k),
      steps: 100,
      diverged: false,
    };
    const flat = { loss: new Float64Array(101).fill(3), steps: 100, diverged: false };
    assert.equal(stillDescending(falling, 100), true);
    assert.equal(stillDescending(flat, 100), false);
    const text = raceCaption(
      'en',
      [{ result: falling }, { result: { ...flat, loss: flat.loss.map(() => 0.5) } }],
      ['A', 'B'],
      100,
      100,
      [],
    );
    assert.match(text, /A is highest, at f = 100 and still going down/);
    const stalled = raceCaption(
      'en',
      [{ result: flat }, { result: { ...flat, loss: flat.loss.map(() => 0.5) } }],
      ['A', 'B'],
      100,
      100,
      [],
    );
    assert.match(stalled, /A stalls at f = 3/);
  });

  test('the lab ranks shares among the runs that ended in a minimum, and names the rest', () => {
    const racer = (sharp, flat, other, diverged) => ({
      basinCounts: [sharp, flat],
      other,
      diverged,
    });
    const result = { runs: 100, racers: [racer(3, 1, 96, 0), racer(40, 60, 0, 0)] };
    const basins = [{ kind: 'sharp' }, { kind: 'flat' }];
    const text = labCaption('en', { result, basins, labels: ['SGD', 'Adam'] });
    assert.match(text, /SGD 75% \(3 of 4\), Adam 40% \(40 of 100\)/);
    assert.match(text, /SGD ended in the sharp minimum most often and Adam least often/);
    assert.match(text, /SGD 96% elsewhere, 0% diverged/);
    const gaps = basinGaps({
      basin: new Int32Array([0, -1, 1, -2]),
      gap: new Float64Array([1, 100, 3, NaN]),
    });
    assert.deepEqual(gaps.values, [1, 3]);
    assert.equal(gaps.mean, 2);
  });

  test('over settings: every σ, length and seed once, seeds apart by the runs', () => {
    const settings = spreadSettings(7, 200);
    assert.equal(settings.length, SPREAD.noise.length * SPREAD.steps.length * SPREAD.seeds);
    const keys = new Set(settings.map((s) => JSON.stringify(s)));
    assert.equal(keys.size, settings.length);
    assert.deepEqual([...new Set(settings.map((s) => s.seed))], [7, 207, 407]);
    assert.deepEqual(settings[0], { noise: SPREAD.noise[0], steps: SPREAD.steps[0], seed: 7 });
  });

  test('over settings: shares per ensemble, their range and who was lowest, as measured', async () => {
    const racer = (sharp, flat, other = 0) => ({ basinCounts: [sharp, flat], other, diverged: 0 });
    // Three ensembles of two racers: A 10%, 50%, none in a minimum; B 20%, 50%, 30%.
    const results = [
      { racers: [racer(1, 9), racer(2, 8)] },
      { racers: [racer(5, 5), racer(5, 5)] },
      { racers: [racer(0, 0, 10), racer(3, 7)] },
    ];
    const [a, b] = spreadSummary(results, 0);
    assert.deepEqual(a.shares, [10, 50, null]);
    assert.deepEqual([a.min, a.median, a.max, a.counted, a.lowest], [10, 30, 50, 2, 2]);
    assert.deepEqual(b.shares, [20, 50, 30]);
    assert.deepEqual([b.min, b.median, b.max, b.counted, b.lowest], [20, 30, 50, 3, 2]);
    const settings = spreadSettings(1, 10).slice(0, 3);
    const basins = [{ kind: 'sharp' }, { kind: 'flat' }];
    const inputs = { summary: [a, b], settings, runs: 10, labels: ['A', 'B'], basins };
    const text = spreadCaption('en', inputs);
    // The settings are those given: here σ 0 and 300 steps, three seeds.
    assert.match(
      text,
      /^Over 3 ensembles of 10 runs per racer \(gradient noise σ 0; 300 steps; 3 seeds each\)/,
    );
    assert.match(text, /A 10% to 50% \(median 30%\), B 20% to 50% \(median 30%\)\./);
    assert.match(text, /A in 2 of 3 ensembles, B in 2 of 3 ensembles\./);
    await loadLanguage('zh');
    const zh = spreadCaption('zh', inputs);
    assert.match(zh, /A 10% 到 50%（中位数 30%）/);
    const none = spreadSummary([{ racers: [racer(0, 0, 5)] }], 0);
    assert.match(
      spreadCaption('en', {
        summary: none,
        settings: settings.slice(0, 1),
        runs: 5,
        labels: ['A'],
        basins,
      }),
      /A never ended in a minimum/,
    );
  });

  test('the network section: evaluation period and slice helpers', () => {
    assert.equal(evalEvery(300), 5);
    assert.equal(evalEvery(7), 1);
    assert.equal(nearestIndex([-1, -0.5, 0, 0.5, 1], 0.4), 3);
    assert.equal(sliceRise({ alphas: [-1, 0, 1], train: [3, 1, 5] }), 3);
  });
});

describe('the lab', () => {
  test('a pooled ensemble, joined, is the whole m.ensemble call bit for bit', () => {
    const info = m.functionInfo({ name: 'twin_basin' });
    const config = {
      function: info.function,
      racers: ['sgd_momentum', 'adam'].map((name) => ({
        optimizer: m.normalizeOptimizer({ name }),
        schedule: null,
      })),
      steps: 200,
      runs: 130,
      seed: 7,
      start: { box: info.domain },
      test_offset: [0.5, 0],
      noise: { level: 0.1 },
    };
    const whole = m.ensemble(config);
    const parts = chunks(config.runs).map(([from, count]) =>
      m.ensemble({ ...config, runs: count, seed: config.seed + from }),
    );
    const joined = joinEnsemble(parts, config.runs);
    for (const [i, r] of whole.racers.entries()) {
      const j = joined.racers[i];
      assert.deepEqual(j.basinCounts, Array.from(r.basinCounts));
      assert.equal(j.other, r.other);
      assert.equal(j.diverged, r.diverged);
      for (const k of ['endpoints', 'trainLoss', 'testLoss', 'gap', 'basin']) {
        assert.ok(same(j[k], r[k]), `${k} bit for bit`);
      }
    }
  });

  test('the lab measures the race’s surface when it has two minima, else the twin basin', () => {
    const s = defaultState(m);
    assert.deepEqual([labSurface(m, s).own, labSurface(m, s).fn.name], [true, 'twin_basin']);
    const himmelblau = { ...s, fn: m.functionInfo({ name: 'himmelblau' }).function };
    assert.deepEqual(
      [labSurface(m, himmelblau).own, labSurface(m, himmelblau).fn.name],
      [false, 'himmelblau'],
    );
  });
});

describe('the embedding', () => {
  test('messages are read field by field; a foreign API gets no reply, a bad request an error', async () => {
    const { readRequest, snippet } = await Promise.all([
      import('../../web/sections/embed/model.js'),
      import('../../web/sections/embed/dialog.js'),
    ]).then(([model, dialog]) => ({ ...model, snippet: dialog.snippet }));
    const api = 'optimizer-playground';
    assert.equal(readRequest('text'), null);
    assert.equal(readRequest({ api: 'other', version: 1, id: 1, type: 'play' }), null);
    assert.equal(readRequest(Object.create({ api })), null, 'only plain objects');
    assert.deepEqual(readRequest({ api, version: 1, id: 'a', type: 'play' }), {
      request: { id: 'a', type: 'play' },
    });
    assert.deepEqual(readRequest({ api, version: 1, id: 2, type: 'step' }).request, {
      id: 2,
      type: 'step',
      delta: 1,
    });
    assert.match(readRequest({ api, version: 2, id: 1, type: 'play' }).error, /version/);
    assert.equal(readRequest({ api, version: 1, id: {}, type: 'play' }).id, null);
    assert.match(readRequest({ api, version: 1, id: 1, type: 'constructor' }).error, /type/);
    assert.match(readRequest({ api, version: 1, id: 1, type: 'seek', step: 1.5 }).error, /integer/);
    assert.match(readRequest({ api, version: 1, id: 1, type: 'setState', hash: 5 }).error, /hash/);
    assert.match(
      readRequest({ api, version: 1, id: 1, type: 'setState', hash: 'x'.repeat(20000) }).error,
      /characters/,
    );
    // The snippet quotes what it holds: a link cannot break out of its attribute.
    const code = snippet('https://x.test/#v=1&expr="><script>', [640, 400], 'A "title"');
    assert.match(code, /src="https:\/\/x\.test\/#v=1&amp;expr=&quot;>&lt;script>"/);
    assert.doesNotMatch(code, /<script>/);
  });
});
