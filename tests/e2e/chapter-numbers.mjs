// SPDX-License-Identifier: MIT
// Test helpers (not a test file): the numbers each lecture chapter's caption must quote at its
// preset, computed here from runs of the core made by the test itself (build/wasm), with
// readings written for the test, not taken from the tour's caption code. A caption is checked
// by comparing every number it contains, in order, with this list: a number read from the
// wrong run, the wrong step or the wrong series, or one the run does not support, fails.
//
// Each entry takes { state, racers: [{ label, result }] } (result: the core's RunResult with
// every state series recorded) and returns the expected numbers, plus words the caption must
// contain (`says`).

import assert from 'node:assert/strict';
import { streamConfigs } from '../../web/sections/stream/model.js';
import { rangeTestConfig } from '../../web/sections/tools/model.js';

/** The core's run of every racer of a page state, with every state series recorded. */
export function runAll(m, state) {
  return state.racers.map((racer) =>
    m.run({
      optimizer: racer.optimizer,
      schedule: racer.schedule ?? null,
      function: state.fn,
      start: state.start,
      steps: state.steps,
      noise: state.noise,
      record: 'all',
    }),
  );
}

/** The tools module's runs of a page state's gradient-stream lab: [Adam's, AMSGrad's]. */
export function runStreams(tools, state) {
  const presets = tools.streamMetadata().presets;
  return streamConfigs(presets, state.stream).map(({ config }) => tools.runStream(config));
}

/** The tools module's range test of a page state's selected racer. */
export function runRange(tools, state) {
  return tools.rangeTest(rangeTestConfig(state, state.selected));
}

// ---------------------------------------------------------------------------
// readings of a run

/** Last loss. */
const fin = (r) => r.loss[r.loss.length - 1];
/** Number of updates. */
const updates = (r) => r.loss.length - 1;
/** Iterate t as [x, y] (the last one for t = -1). */
const point = (r, t = -1) => {
  const k = t < 0 ? r.trajectory.length / 2 - 1 : t;
  return [r.trajectory[2 * k], r.trajectory[2 * k + 1]];
};
const dist = (a, b) => Math.hypot(a[0] - b[0], a[1] - b[1]);
/** First iterate whose loss is at most f, or null. */
const reaches = (r, f) => {
  const k = r.loss.findIndex((v) => v <= f);
  return k < 0 ? null : k;
};
/** Coordinate 0 of state series `name`, one value per update (index 0 is update 1). */
function col(r, name) {
  const s = r.state?.[name];
  assert.ok(s, `series ${name} recorded`);
  return s.values.filter((_, k) => k % s.width === 0);
}
/** First update (1-based) whose coordinate 0 of `name` is at least 1, or null. */
const switched = (r, name) => {
  const k = col(r, name).findIndex((v) => v >= 1);
  return k < 0 ? null : k + 1;
};
const argmin = (a) => a.reduce((best, v, k) => (v < a[best] ? k : best), 0);
const argmax = (a) => a.reduce((best, v, k) => (v > a[best] ? k : best), 0);

/** Which twin-basin well is within 0.5 of the end point: 'sharp', 'flat' or null. */
function well(state, r) {
  const p = state.fn.params ?? {};
  const half = (p.distance ?? 4) / 2;
  const [x, y] = point(r);
  const u = x - (p.shift_x ?? 0);
  const v = y - (p.shift_y ?? 0);
  if (Math.hypot(u + half, v) < 0.5) return 'sharp';
  if (Math.hypot(u - half, v) < 0.5) return 'flat';
  return null;
}

/** The endings on the twin basin: numbers and words. */
function wells(state, racers) {
  return {
    numbers: racers.map(({ result }) => fin(result)),
    says: racers.map(({ label, result }) => {
      const w = well(state, result);
      return `${label} ends in ${w ? `the ${w}` : 'neither'} minimum`;
    }),
  };
}

/** Peaks (local maxima) of a learning-rate sequence, as updates. */
function peaks(lr) {
  const out = [];
  for (let k = 1; k < lr.length - 1; k++)
    if (lr[k] > lr[k - 1] && lr[k] >= lr[k + 1]) out.push(k + 1);
  return out;
}

// ---------------------------------------------------------------------------
// the chapters at their presets

/** Expected numbers (in caption order) and phrases, by chapter id. */
export const CHAPTER_NUMBERS = {
  'sgd-lr': ({ state, racers: [slow, right, wild] }) => {
    const lambda = Math.max(state.fn.params.a, state.fn.params.b);
    assert.ok(fin(wild.result) > 10 * wild.result.loss[0], 'the largest η blows up');
    return {
      numbers: [
        lambda,
        2,
        2 / lambda,
        fin(slow.result),
        updates(slow.result),
        1e-6,
        reaches(right.result, 1e-6),
        fin(wild.result),
        updates(wild.result),
      ],
      says: [`${wild.label} blew up`],
    };
  },
  momentum: ({ racers: [sgd, sgdm] }) => ({
    numbers: [...point(sgd.result), fin(sgd.result), ...point(sgdm.result), fin(sgdm.result)],
    says: [`${sgdm.label} kept its speed`],
  }),
  'adagrad-rmsprop': ({ racers }) => ({
    numbers: racers.flatMap(({ result }) => {
      const e = col(result, 'effective_lr');
      const mid = Math.max(2, Math.round(e.length / 10));
      return [e[0], 1, e[mid - 1], mid, e[e.length - 1], e.length];
    }),
    says: [`${racers[0].label}\u2019s effective rate`, 'keeps shrinking', 'levels off'],
  }),
  'adam-bias': ({ racers: [corrected, raw] }) => {
    const a = dist(point(corrected.result, 0), point(corrected.result, 1));
    const b = dist(point(raw.result, 0), point(raw.result, 1));
    return {
      numbers: [
        a,
        b,
        b / a,
        ...point(corrected.result),
        fin(corrected.result),
        ...point(raw.result),
        fin(raw.result),
      ],
    };
  },
  'sharp-flat': ({ state, racers }) => {
    const w = wells(state, racers);
    return { numbers: [...state.start, ...w.numbers, state.lab.runs], says: w.says };
  },
  swats: ({ racers: [swats, adam] }) => {
    const t = switched(swats.result, 'phase');
    return {
      numbers: [t - 1, t, col(swats.result, 'sgd_lr')[t - 1], fin(swats.result), fin(adam.result)],
      says: ['switched to SGD'],
    };
  },
  amsgrad: ({ racers }) => ({
    numbers: racers.flatMap(({ result }) => {
      const e = col(result, 'effective_lr');
      const low = argmin(e);
      return [e[low], low + 1, e[e.length - 1], e.length, point(result)[0]];
    }),
    says: [`${racers[0].label}\u2019s effective rate on x fell`, 'recovered', 'stayed'],
  }),
  adabound: ({ racers: [bound, adam] }) => {
    const lo = col(bound.result, 'lower');
    const hi = col(bound.result, 'upper');
    const e = col(bound.result, 'effective_lr');
    const ea = col(adam.result, 'effective_lr');
    return {
      numbers: [
        lo[0],
        hi[0],
        1,
        lo[lo.length - 1],
        hi[hi.length - 1],
        lo.length,
        e[e.length - 1],
        ea[ea.length - 1],
        fin(bound.result),
        fin(adam.result),
      ],
    };
  },
  cyclical: ({ racers: [clr, plain] }) => {
    const lr = clr.result.lr;
    const p = peaks(lr);
    return {
      numbers: [
        Math.min(...lr),
        Math.max(...lr),
        ...p.slice(0, 4),
        p[1] - p[0],
        fin(clr.result),
        fin(plain.result),
      ],
    };
  },
  sgdr: ({ racers: [sgdr, plain] }) => {
    const lr = sgdr.result.lr;
    const restarts = [];
    for (let k = 1; k < lr.length; k++) if (lr[k] > 1.5 * lr[k - 1]) restarts.push(k + 1);
    return {
      numbers: [
        ...restarts.slice(0, 4),
        Math.min(...lr),
        Math.max(...lr),
        fin(sgdr.result),
        fin(plain.result),
      ],
      says: ['restarts η at updates'],
    };
  },
  'one-cycle': ({ racers: [one, plain] }) => {
    const lr = one.result.lr;
    const top = argmax(lr);
    return {
      numbers: [lr[0], lr[top], top + 1, lr[lr.length - 1], fin(one.result), fin(plain.result)],
    };
  },
  warmup: ({ state, racers: [plain, warm, adam, adamWarm] }) => {
    assert.equal(plain.result.diverged, true, 'SGDM without warm-up diverges');
    const lr = warm.result.lr;
    const top = Math.max(...lr);
    // Adam's first ten steps: their total length and the longest.
    const first = (r) => {
      const d = [];
      for (let t = 1; t <= 10; t++) d.push(dist(point(r, t - 1), point(r, t)));
      return [d.reduce((a, b) => a + b, 0), Math.max(...d)];
    };
    return {
      numbers: [
        plain.result.divergedAt,
        lr[0],
        top,
        lr.findIndex((v) => v >= 0.999 * top) + 1,
        fin(warm.result),
        10,
        ...first(adam.result),
        state.racers[2].optimizer.hyperparameters.lr,
        ...first(adamWarm.result),
        fin(adam.result),
        fin(adamWarm.result),
      ],
      says: ['blew up', 'stays stable'],
    };
  },
  radam: ({ racers }) => ({
    numbers: racers
      .filter(({ result }) => result.state?.rectified)
      .flatMap(({ result }) => {
        const t = switched(result, 'rectified');
        return [t - 1, t, col(result, 'rho')[t - 1]];
      }),
  }),
  'radam-swats': ({ racers: [radam, swats] }) => {
    const tr = switched(radam.result, 'rectified');
    const ts = switched(swats.result, 'phase');
    return {
      numbers: [tr - 1, tr, fin(radam.result), ts - 1, ts, fin(swats.result)],
    };
  },
  lookahead: ({ racers: [la, sgdm] }) => ({
    numbers: [
      col(la.result, 'synced').filter((v) => v >= 1).length,
      fin(la.result),
      sgdm.result.divergedAt,
    ],
    says: [`${sgdm.label} diverged`],
  }),
  'lookahead-basins': ({ state, racers }) => {
    const w = wells(state, racers);
    const mid = state.fn.params?.shift_x ?? 0;
    // Steps whose x is on the other side of the middle from the step before.
    const crossings = ({ result }) => {
      let n = 0;
      for (let t = 1; t < result.trajectory.length / 2; t++) {
        const before = result.trajectory[2 * t - 2] < mid;
        if (before !== result.trajectory[2 * t] < mid) n++;
      }
      return n;
    };
    return {
      numbers: [
        state.noise.level,
        ...w.numbers,
        col(racers[0].result, 'synced').filter((v) => v >= 1).length,
        ...racers.map(crossings),
      ],
      says: w.says,
    };
  },
  nag: ({ racers }) => ({
    numbers: racers.flatMap(({ result }) => [1e-3, reaches(result, 1e-3), fin(result)]),
  }),
  nadam: ({ racers: [nadam, adam] }) => {
    assert.equal(reaches(adam.result, 1e-3), null, 'Adam does not reach 0.001');
    return {
      numbers: [1e-3, reaches(nadam.result, 1e-3), fin(nadam.result), 1e-3, fin(adam.result)],
      says: [`${adam.label} did not reach`],
    };
  },
  adamw: ({ racers: [l2, w, sgd, sgdw] }) => {
    const same = dist(point(sgd.result), point(sgdw.result));
    assert.ok(same < 1e-3, `SGD + L2 and SGDW end ${same} apart`);
    return {
      numbers: [
        ...point(l2.result),
        ...point(w.result),
        dist(point(l2.result), point(w.result)),
        ...point(sgd.result),
      ],
      says: ['end at the same point'],
    };
  },
  noise: ({ state, racers }) => ({
    numbers: [
      state.noise.level,
      state.noise.seed,
      ...racers.flatMap(({ result }) => {
        let t = 0;
        while (result.trajectory[2 * t] >= 0) t++;
        assert.ok(point(result)[0] < 0, 'ends in the left well');
        return [t, fin(result)];
      }),
    ],
    says: ['crossed into the deeper left well'],
  }),
  summary: ({ state, racers }) => {
    const w = wells(state, racers);
    const within = racers.flatMap(({ result }) => {
      const f = fin(result);
      return [1, reaches(result, f + 0.01 * Math.max(Math.abs(f), 1e-3))];
    });
    return { numbers: [...w.numbers, ...within], says: w.says };
  },
};

/** Total movement of a stream run over updates from..to (1-based, inclusive). */
const moved = (r, from, to) => {
  let sum = 0;
  for (let t = from; t <= to; t++) sum += r.movement[t - 1];
  return sum;
};

/**
 * Expected numbers of the gradient-stream chapters, from the lab's two runs ([Adam, AMSGrad],
 * the tools module's stream results).
 */
export const STREAM_NUMBERS = {
  'rare-gradient': ([adam, ams]) => {
    const n = adam.steps;
    const g = Array.from(adam.gradient.subarray(0, n));
    const at = g.reduce((best, v, k) => (Math.abs(v) > Math.abs(g[best]) ? k : best), 0) + 1;
    const sorted = g.map(Math.abs).sort((a, b) => a - b);
    const typical = sorted[Math.floor((n - 1) / 2)];
    const before = moved(adam, 1, at - 1);
    return {
      numbers: [
        at,
        g[at - 1],
        Math.abs(g[at - 1]) / typical,
        adam.movement[at - 1],
        adam.movement[at - 1] / (before / (at - 1)),
        at - 1,
        before,
        adam.movement[at],
        ams.movement[at],
        n - at,
        adam.movement[n - 1],
        ams.movement[ams.steps - 1],
        moved(adam, 1, n),
        moved(ams, 1, ams.steps),
      ],
      says: ['has forgotten the spike'],
    };
  },
  reddi: (runs) => ({
    numbers: [
      ...runs.flatMap((r) => [r.x[r.steps - 1], r.steps, r.averageRegret[r.steps - 1]]),
      -1,
    ],
    says: ['AMSGrad ends nearer the best point'],
  }),
};

/**
 * Expected numbers of the range-test chapter at its preset, from the core's range test (the
 * ramp stops by the rule once the smoothed loss has risen far enough past its minimum).
 */
export function rangeNumbers(r) {
  const n = r.steps;
  assert.equal(r.stopped_by_rule, true, 'the range test stops by its rule');
  const low = r.min_at;
  return {
    numbers: [
      r.lr[0],
      r.lr[n - 1],
      n,
      r.smoothed[low - 1],
      r.lr_at_min,
      low,
      r.diverged_lr,
      r.diverged_at,
      r.lr_at_min / 40,
      r.lr_at_min / 10,
    ],
  };
}

// ---------------------------------------------------------------------------
// reading a caption

/** Numbers in a text: decimals and exponents not glued to a word (L2, t_0). */
const NUMBER = /(?<![\w.])-?\d+(?:\.\d+)?(?:e-?\d+)?/g;

/** The numbers a caption states, with the racers' labels (which may hold numbers) taken out. */
export function captionNumbers(caption, labels) {
  let text = caption.replaceAll('\u2212', '-');
  for (const label of [...labels].sort((a, b) => b.length - a.length)) {
    text = text.replaceAll(label, '\u00a7');
  }
  return [...text.matchAll(NUMBER)].map((m) => Number(m[0]));
}

/**
 * Whether a caption's number c states the run's value e: equal, within the rounding of three
 * significant digits, or 0 for a value below 5e-4 in size (coordinates read as 0).
 */
export function states(c, e) {
  if (typeof e !== 'number' || !Number.isFinite(e)) return false;
  if (c === e) return true;
  if (c === 0) return Math.abs(e) < 5e-4;
  return Math.abs(c - e) <= 5.01e-3 * Math.abs(e);
}

/**
 * Asserts that a chapter's caption quotes exactly the expected numbers, in order (in any order
 * with `anyOrder`, for a language whose sentences put them otherwise), and the phrases `says`
 * (English; skipped with `anyOrder`).
 */
export function assertCaption(id, caption, labels, expected, { anyOrder = false } = {}) {
  const byValue = (a, b) => a - b;
  const got = captionNumbers(caption, labels);
  const want = expected.numbers;
  if (anyOrder) {
    got.sort(byValue);
    want.sort(byValue);
  }
  assert.equal(
    got.length,
    want.length,
    `${id}: the caption states ${got.length} numbers (${got}), the run gives ${want.length} (${want}): ${caption}`,
  );
  got.forEach((c, k) =>
    assert.ok(
      states(c, want[k]),
      `${id}: number ${k + 1} of the caption is ${c}, the run's is ${want[k]}: ${caption}`,
    ),
  );
  if (anyOrder) return;
  for (const words of expected.says ?? []) {
    assert.ok(caption.includes(words), `${id}: "${words}" in: ${caption}`);
  }
}
