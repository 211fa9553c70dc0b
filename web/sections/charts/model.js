// SPDX-License-Identifier: MIT
// The data of the three charts, built from the runs: loss and learning rate of every racer,
// and the selected racer's internal state. A long race is reduced to at most MAX_POINTS points
// per series: each bucket of steps keeps its smallest and its largest value, in the order they
// came, so spikes stay visible. Every plotted value keeps its true value beside it for the
// legend (a log axis shows 1e-44 at its floor, the legend says 1e-44). Pure: no DOM.

import { chartView } from '../../app/meta.js';
import { racerLabels } from '../../app/labels.js';
import { formatNumber, seriesLabel, t } from '../../i18n.js';

/** State series not offered on their own: drawn as the AdaBound band or as marks. */
const FOLDED = new Set(['lower', 'upper', 'phase', 'rectified', 'synced']);
/** Points of a series, at most (two per bucket of steps). */
export const MAX_POINTS = 4096;
/**
 * The magnitudes an axis shows: uPlot's tick steps go from 1e-32 to 1e32 and its log-axis
 * splitting loops without end near those ends (seen at 1e-24). Below 1e-20 lies rounding
 * noise anyway; a diverging run's values are cut at 1e20.
 */
const LOG_FLOOR = 1e-20;
const CEIL = 1e20;

/**
 * The steps shown for a race of n steps: { x, size } with every step (size 1) when there are
 * few, else two x per bucket of `size` steps (its start and its middle).
 */
export function stepAxis(n) {
  if (n + 1 <= MAX_POINTS) return { x: Array.from({ length: n + 1 }, (_, i) => i), size: 1 };
  const size = Math.ceil((n + 1) / (MAX_POINTS / 2));
  const buckets = Math.ceil((n + 1) / size);
  const x = new Array(2 * buckets);
  for (let j = 0; j < buckets; j++) {
    x[2 * j] = j * size;
    x[2 * j + 1] = Math.min(j * size + size / 2, n);
  }
  return { x, size };
}

/**
 * One series on `axis`: the value at step k is values[(k - from) * width + coord] - shift for
 * k in [from, from + count), none elsewhere (and where it is not finite). With buckets, each
 * keeps its smallest and largest value in their order. Returns an Array (null for none).
 */
export function onAxis(axis, n, values, { from = 0, width = 1, coord = 0, shift = 0 } = {}) {
  const { x, size } = axis;
  const out = new Array(x.length).fill(null);
  const count = values ? values.length / width : 0;
  const last = Math.min(n, from + count - 1);
  const at = (k) => values[(k - from) * width + coord] - shift;
  if (size === 1) {
    for (let k = from; k <= last; k++) {
      const v = at(k);
      if (Number.isFinite(v)) out[k] = v;
    }
    return out;
  }
  for (let j = 0; 2 * j < x.length; j++) {
    let lo = Infinity;
    let hi = -Infinity;
    let loAt = -1;
    let hiAt = -1;
    const end = Math.min((j + 1) * size - 1, last);
    for (let k = Math.max(j * size, from); k <= end; k++) {
      const v = values[(k - from) * width + coord] - shift;
      if (!Number.isFinite(v)) continue;
      if (v < lo) {
        lo = v;
        loAt = k;
      }
      if (v > hi) {
        hi = v;
        hiAt = k;
      }
    }
    if (loAt < 0) continue;
    const [first, second] = loAt <= hiAt ? [lo, hi] : [hi, lo];
    out[2 * j] = first;
    out[2 * j + 1] = second;
  }
  return out;
}

/** A copy of the columns for plotting: clamped to [-CEIL, CEIL]. */
function bounded(columns) {
  return columns.map((col) =>
    col.map((v) => (v === null ? null : v > CEIL ? CEIL : v < -CEIL ? -CEIL : v)),
  );
}

/** Columns for a log axis: values below the smallest positive one (or 1e-20) at that floor. */
function floored(columns) {
  let floor = Infinity;
  for (const col of columns) for (const v of col) if (v > 0 && v < floor) floor = v;
  floor = Math.max(floor, LOG_FLOOR);
  return bounded(columns).map((col) => col.map((v) => (v === null || v >= floor ? v : floor)));
}

/** True when every value present is > 0 and there is at least one (a log axis fits). */
function allPositive(columns) {
  let any = false;
  for (const col of columns) {
    for (const v of col) {
      if (v === null) continue;
      if (!(v > 0)) return false;
      any = true;
    }
  }
  return any;
}

/** Some value is > 0 (a log axis can show something). */
function somePositive(columns) {
  return columns.some((col) => col.some((v) => v > 0));
}

/** What the loss chart plots: f − f* for a known minimum f*, else f (signed: asinh axis). */
export function lossOffset(runs, minima, lang) {
  if (minima.length > 0) {
    const fstar = Math.min(...minima.map((p) => p.f));
    return fstar === 0
      ? { offset: 0, label: t(lang, 'axisLoss') }
      : { offset: fstar, label: t(lang, 'axisLossShifted', { f: formatNumber(fstar) }) };
  }
  let low = Infinity;
  for (const run of runs) {
    if (!run.result) continue;
    for (const f of run.result.loss) if (f < low) low = f;
  }
  // No known minimum and values below zero (a saddle, a custom surface): f itself on a
  // symmetric log (asinh) axis, which shows both signs and many decades.
  return low < 0
    ? { offset: 0, label: t(lang, 'axisLossSigned'), signed: true }
    : { offset: 0, label: t(lang, 'axisLoss') };
}

/**
 * One run's loss (less `offset`) and learning rate on `axis` (stepAxis(n)): { loss, lr }, the
 * part of raceData that reads every step. A race of long runs has it computed run by run.
 */
export function racerSeries(result, axis, n, offset) {
  return {
    loss: onAxis(axis, n, result?.loss, { shift: offset }),
    // lr[t - 1] is the learning rate of update t: shown at step t.
    lr: onAxis(axis, n, result?.lr, { from: 1 }),
  };
}

/**
 * Loss and learning-rate data for every racer (seriesOf(result, axis, n, offset): racerSeries,
 * or the same from a cache): { x, series, loss, lr } where loss and lr are
 * { label, values (plotted), raw (true values), log, asinh }.
 */
export function raceData(
  runs,
  racers,
  methodsByName,
  minima,
  lang,
  n,
  lrScale = 'log',
  seriesOf = racerSeries,
) {
  const axis = stepAxis(n);
  const { offset, label, signed } = lossOffset(runs, minima, lang);
  const labels = racerLabels(lang, racers, methodsByName);
  const series = racers.map((racer, i) => ({ label: labels[i], colour: racer.color }));
  const each = runs.map(({ result }) => seriesOf(result, axis, n, offset));
  const lossRaw = each.map((s) => s.loss);
  const lrRaw = each.map((s) => s.lr);
  const lossLog = !signed && somePositive(lossRaw);
  const lrLog = lrScale !== 'linear' && somePositive(lrRaw);
  return {
    x: axis.x,
    series,
    loss: {
      label,
      raw: lossRaw,
      values: lossLog ? floored(lossRaw) : bounded(lossRaw),
      log: lossLog,
      asinh: !!signed,
    },
    lr: {
      label: t(lang, lrLog ? 'axisLr' : 'axisLrLinear'),
      raw: lrRaw,
      values: lrLog ? floored(lrRaw) : bounded(lrRaw),
      log: lrLog,
      marks: scheduleMarks(runs, racers, lang),
    },
  };
}

/** At most this many schedule marks on the learning-rate chart. */
const MAX_MARKS = 16;

/**
 * Where the racers' schedules change phase, read from the rates each run used (lr[t - 1] is
 * the rate of update t): SGDR's warm restarts (the rate jumps up), one-cycle's peak and the
 * end of a warm-up (the first step at the highest rate). [{ x (step), label, colour }].
 */
export function scheduleMarks(runs, racers, lang) {
  const marks = [];
  runs.forEach(({ result }, i) => {
    const schedule = racers[i]?.schedule?.name;
    const lr = result?.lr;
    if (!lr || lr.length < 2) return;
    const colour = racers[i].color;
    if (schedule === 'cosine_warm_restarts') {
      for (let k = 1; k < lr.length && marks.length < MAX_MARKS; k++) {
        if (lr[k] > lr[k - 1]) marks.push({ x: k + 1, label: t(lang, 'markRestart'), colour });
      }
    } else if (
      schedule === 'one_cycle' ||
      schedule === 'linear_warmup' ||
      schedule === 'exponential_warmup'
    ) {
      let peak = 0;
      for (let k = 1; k < lr.length; k++) if (lr[k] > lr[peak]) peak = k;
      if (peak > 0 && marks.length < MAX_MARKS) {
        const key = schedule === 'one_cycle' ? 'markPeak' : 'markWarmupEnd';
        marks.push({ x: peak + 1, label: t(lang, key), colour });
      }
    }
  });
  return marks;
}

/** The state views a run offers: [{ id, label }], its state series minus the folded ones. */
export function stateViews(result, lang, info) {
  if (!result) return [];
  return Object.keys(result.state)
    .filter((name) => !FOLDED.has(name))
    .map((id) => ({ id, label: seriesLabel(lang, id, info) }));
}

/** The state views of several runs together, each once, in the order first met. */
export function overlayViews(runs, lang, info) {
  const seen = new Map();
  for (const run of runs) {
    for (const v of stateViews(run?.result, lang, info)) if (!seen.has(v.id)) seen.set(v.id, v);
  }
  return [...seen.values()];
}

/**
 * The view the state chart shows: `chosen` when the run has it, else the method's own (the
 * core's metadata), else the effective learning rate, else the first. { view, missing } where
 * missing is `chosen` when the run does not report it.
 */
export function pickView(M, methodName, views, chosen) {
  const has = (id) => views.some((v) => v.id === id);
  if (chosen && has(chosen)) return { view: chosen, missing: null };
  const own = chartView(M, methodName) ?? 'effective_lr';
  const view = has(own) ? own : (views[0]?.id ?? null);
  return { view, missing: chosen && !has(chosen) ? chosen : null };
}

/** A lighter tint of '#rrggbb' for the y coordinate's line. */
function tint(hex, amount = 0.45) {
  const n = parseInt(hex.slice(1), 16);
  const mix = (c) => Math.round(c + (255 - c) * amount);
  return `rgb(${mix(n >> 16)} ${mix((n >> 8) & 255)} ${mix(n & 255)})`;
}

/**
 * The state chart of one run: view `id` as one series per coordinate, plus the AdaBound
 * band, RAdam's threshold, SWATS's switch, Lookahead's fast weights where they apply.
 * { x, series, values, raw, log, lines, marks, band }.
 */
export function stateData(run, racer, view, lang, info) {
  const result = run?.result;
  const n = result?.steps ?? 0;
  const axis = stepAxis(n);
  const empty = {
    x: axis.x,
    series: [],
    values: [],
    raw: [],
    log: false,
    lines: [],
    marks: [],
    band: null,
  };
  if (!result || !view || !result.state[view]) return empty;
  const colour = racer.color;
  const name = seriesLabel(lang, view, info);
  const series = [];
  const raw = [];
  const add = (label, col, style = {}) => {
    series.push({ label, colour, ...style });
    raw.push(col);
  };
  // Value t - 1 of a state series is after update t: shown at step t.
  const fromState = (key, coord) => {
    const s = result.state[key];
    return onAxis(axis, n, s?.values, { from: 1, width: s?.width ?? 1, coord });
  };
  const s = result.state[view];
  if (s.width === 2) {
    add(t(lang, 'coordX', { name }), fromState(view, 0), { width: 2 });
    add(t(lang, 'coordY', { name }), fromState(view, 1), {
      width: 2,
      colour: tint(colour),
      dash: [5, 3],
    });
  } else {
    add(name, fromState(view, 0), { width: 2 });
  }
  const own = raw.length;

  let band = null;
  if (view === 'effective_lr' && result.state.lower && result.state.upper) {
    band = [raw.length + 1, raw.length + 2];
    const grey = { colour: '#8a8a99', dash: [3, 3], width: 1 };
    add(seriesLabel(lang, 'upper', info), fromState('upper', 0), grey);
    add(seriesLabel(lang, 'lower', info), fromState('lower', 0), grey);
  }
  if (view === 'slow_weights') {
    const fast = (coord) =>
      onAxis(axis, n, result.trajectory.subarray(2), { from: 1, width: 2, coord });
    add(t(lang, 'fastX'), fast(0), { colour: '#8a8a99', width: 1 });
    add(t(lang, 'fastY'), fast(1), { colour: '#b5b5c0', width: 1, dash: [4, 3] });
  }

  const lines = [];
  const marks = [];
  if (view === 'rho') {
    const threshold = racer.optimizer.hyperparameters.threshold ?? 5;
    lines.push({ y: threshold, label: t(lang, 'threshold', { v: formatNumber(threshold) }) });
  }
  const firstOne = (key) => {
    const st = result.state[key];
    if (!st) return null;
    for (let k = 0; k < n; k++) if (st.values[k] === 1) return k + 1;
    return null;
  };
  if (result.state.rectified && view === 'rho') {
    const k = firstOne('rectified');
    if (k !== null) marks.push({ x: k, label: t(lang, 'rectifiedFrom', { k }) });
  }
  if (result.state.phase) {
    const k = firstOne('phase');
    if (k !== null) marks.push({ x: k, label: t(lang, 'switchAt', { k }), switch: true });
  }
  const logged = raw.slice(0, own).concat(band ? raw.slice(own) : []);
  const log = allPositive(logged);
  return {
    x: axis.x,
    series,
    raw,
    values: log ? floored(raw) : bounded(raw),
    log,
    lines,
    marks,
    band,
  };
}

/**
 * The state chart of every racer at once: view `view` of each run that reports it, in the
 * racer's colour (a per-coordinate series as x solid and y dashed in a lighter tint), so that
 * one quantity can be compared across racers. labels[i] names racer i. Same shape as
 * stateData, plus `without`: the racers whose run does not report the view.
 */
export function overlayData(runs, racers, labels, view, lang) {
  const n = Math.max(0, ...runs.map((run) => run?.result?.steps ?? 0));
  const axis = stepAxis(n);
  const series = [];
  const raw = [];
  const without = [];
  runs.forEach((run, i) => {
    const result = run?.result;
    const s = view ? result?.state?.[view] : null;
    if (!s) {
      without.push(i);
      return;
    }
    const colour = racers[i].color;
    const column = (coord) =>
      onAxis(axis, result.steps, s.values, { from: 1, width: s.width, coord });
    if (s.width === 2) {
      series.push({ label: t(lang, 'coordX', { name: labels[i] }), colour, width: 2 });
      raw.push(column(0));
      series.push({
        label: t(lang, 'coordY', { name: labels[i] }),
        colour: tint(colour),
        width: 2,
        dash: [5, 3],
      });
      raw.push(column(1));
    } else {
      series.push({ label: labels[i], colour, width: 2 });
      raw.push(column(0));
    }
  });
  const log = allPositive(raw);
  return {
    x: axis.x,
    series,
    raw,
    values: log ? floored(raw) : bounded(raw),
    log,
    lines: [],
    marks: [],
    band: null,
    without,
  };
}
