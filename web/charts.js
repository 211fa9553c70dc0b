// SPDX-License-Identifier: MIT
// The three charts (uPlot): loss and learning rate of every racer, and the internal state of
// the selected one. Chart data is built here from the runs; a chart is created again only
// when its series change (count, colours, scale), otherwise setData.

import uPlot from './vendor/uPlot.esm.js';
import { formatNumber, methodShort, seriesLabel, t } from './i18n.js';

/** State series not offered on their own: drawn as the AdaBound band or as marks. */
const FOLDED = new Set(['lower', 'upper', 'phase', 'rectified', 'synced']);
/** The view a method's state chart opens with. */
const DEFAULT_VIEW = {
  sgd_momentum: 'm',
  momentum_classic: 'velocity',
  nag: 'velocity',
  sgdw: 'velocity',
  radam: 'rho',
  lookahead: 'slow_weights',
};

// ---------------------------------------------------------------------------------------------
// data

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
 * The magnitudes an axis shows: uPlot's tick steps go from 1e-32 to 1e32 and its log-axis
 * splitting loops without end near those ends (seen at 1e-24). Below 1e-20 lies rounding
 * noise anyway; a diverging run's values are cut at 1e20.
 */
const LOG_FLOOR = 1e-20;
const CEIL = 1e20;

/** Clamps every value to [-CEIL, CEIL], in place. */
function bounded(columns) {
  for (const col of columns) {
    for (let i = 0; i < col.length; i++) {
      if (col[i] > CEIL) col[i] = CEIL;
      else if (col[i] < -CEIL) col[i] = -CEIL;
    }
  }
  return columns;
}

/** Values by step 0..n (null where a racer has none), for a log axis: smaller ones -> floor. */
function positive(columns) {
  let floor = Infinity;
  for (const col of columns) for (const v of col) if (v > 0 && v < floor) floor = v;
  if (!Number.isFinite(floor)) return false;
  floor = Math.max(floor, LOG_FLOOR);
  for (const col of bounded(columns)) {
    for (let i = 0; i < col.length; i++) if (col[i] !== null && !(col[i] >= floor)) col[i] = floor;
  }
  return true;
}

const column = (n) => new Array(n + 1).fill(null);

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

/** Axis options of a log axis: labels, ticks and grid at powers of ten only. */
function decades(most, axis) {
  const filter = decadeFilter(most);
  return { filter, grid: { ...axis.grid, filter }, ticks: { ...axis.ticks, filter } };
}

/**
 * Log- and asinh-axis ticks: 0 and ± powers of ten only, thinned to at most about `most`
 * of them.
 */
function decadeFilter(most) {
  const decade = (v) => {
    const e = Math.log10(Math.abs(v));
    return Math.abs(e - Math.round(e)) < 1e-6 ? Math.round(e) : null;
  };
  return (u, splits) => {
    const count = splits.filter((v) => v === 0 || decade(v) !== null).length;
    const every = Math.max(1, Math.ceil(count / most));
    return splits.map((v) => {
      if (v === 0) return v;
      const k = decade(v);
      return k !== null && k % every === 0 ? v : null;
    });
  };
}

/** Loss and learning-rate data for every racer. */
export function raceData(runs, racers, methodsByName, minima, lang, n) {
  const x = Array.from({ length: n + 1 }, (_, i) => i);
  const { offset, label, signed } = lossOffset(runs, minima, lang);
  const series = racers.map((racer) => ({
    label: methodShort(lang, methodsByName.get(racer.optimizer.name)),
    colour: racer.color,
  }));
  const loss = runs.map(({ result }) => {
    const col = column(n);
    if (result) {
      for (let k = 0; k < result.loss.length && k <= n; k++) {
        const f = result.loss[k] - offset;
        col[k] = Number.isFinite(f) ? f : null;
      }
    }
    return col;
  });
  bounded(loss);
  const lr = runs.map(({ result }) => {
    const col = column(n);
    if (result) for (let k = 0; k < result.lr.length && k < n; k++) col[k + 1] = result.lr[k];
    return col;
  });
  return {
    x,
    series,
    loss: { label, values: loss, log: !signed && positive(loss), asinh: !!signed },
    lr: { label: t(lang, 'axisLr'), values: lr, log: positive(bounded(lr)) },
  };
}

/** The state views a run offers: [{id, label}], its state series minus the folded ones. */
export function stateViews(result, lang, info) {
  if (!result) return [];
  return Object.keys(result.state)
    .filter((name) => !FOLDED.has(name))
    .map((id) => ({ id, label: seriesLabel(lang, id, info) }));
}

export function defaultView(methodName, views) {
  const preferred = DEFAULT_VIEW[methodName] ?? 'effective_lr';
  return views.some((v) => v.id === preferred) ? preferred : (views[0]?.id ?? null);
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
 */
export function stateData(run, racer, view, lang, info) {
  const result = run?.result;
  const n = result?.steps ?? 0;
  const x = Array.from({ length: n + 1 }, (_, i) => i);
  const empty = { x, series: [], values: [], log: false, lines: [], marks: [], band: null };
  if (!result || !view || !result.state[view]) return empty;
  const colour = racer.color;
  const name = seriesLabel(lang, view, info);
  const series = [];
  const values = [];
  const add = (label, col, style = {}) => {
    series.push({ label, colour, ...style });
    values.push(col);
  };
  const fromState = (key, coord) => {
    const s = result.state[key];
    const col = column(n);
    if (!s) return col;
    for (let tIdx = 1; tIdx <= n; tIdx++) {
      const v = s.values[(tIdx - 1) * s.width + coord];
      col[tIdx] = Number.isFinite(v) ? v : null;
    }
    return col;
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
  const own = values.length;

  let band = null;
  if (view === 'effective_lr' && result.state.lower && result.state.upper) {
    band = [values.length + 1, values.length + 2];
    add(seriesLabel(lang, 'upper', info), fromState('upper', 0), {
      colour: '#8a8a99',
      dash: [3, 3],
      width: 1,
    });
    add(seriesLabel(lang, 'lower', info), fromState('lower', 0), {
      colour: '#8a8a99',
      dash: [3, 3],
      width: 1,
    });
  }
  if (view === 'slow_weights') {
    const fast = (coord) => {
      const col = column(n);
      for (let k = 1; k <= n; k++) col[k] = result.trajectory[2 * k + coord];
      return col;
    };
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
    if (k !== null) marks.push({ x: k, label: t(lang, 'switchAt', { k }) });
  }
  const logged = values.slice(0, own).concat(band ? values.slice(own) : []);
  const log = allPositive(logged) && positive(logged);
  bounded(values);
  return { x, series, values, log, lines, marks, band };
}

// ---------------------------------------------------------------------------------------------
// charts

function height(width) {
  return width < 480 ? 150 : 180;
}

function options({ width, series, log, asinh, theme, xLabel, band, decor, onSeek }) {
  const axis = {
    stroke: theme.text,
    grid: { stroke: theme.grid, width: 1 },
    ticks: { stroke: theme.grid, width: 1 },
    font: '11px system-ui, sans-serif',
    labelFont: '11px system-ui, sans-serif',
  };
  return {
    width,
    height: height(width),
    pxAlign: 0,
    legend: { show: true, live: true },
    cursor: { y: false, drag: { x: false, y: false }, points: { size: 6 } },
    scales: {
      x: { time: false },
      y: log ? { distr: 3, log: 10 } : asinh ? { distr: 4, asinh: 1 } : { auto: true },
    },
    axes: [
      { ...axis, size: 28 },
      {
        ...axis,
        size: 60,
        ...(log || asinh ? decades(height(width) / 40, axis) : {}),
        values: (u, splits) => splits.map((v) => (v === null ? '' : formatNumber(v, 2))),
      },
    ],
    series: [
      { label: xLabel, value: (u, v) => (v === null ? '–' : String(v)) },
      ...series.map((s) => ({
        label: s.label,
        stroke: s.colour,
        width: s.width ?? 1.75,
        dash: s.dash,
        spanGaps: false,
        points: { show: false },
        value: (u, v) => (v === null || v === undefined ? '–' : formatNumber(v)),
      })),
    ],
    bands: band ? [{ series: band, fill: 'rgba(140, 140, 160, 0.18)' }] : [],
    hooks: {
      draw: [(u) => decor && drawDecor(u, decor(), theme)],
      ready: [
        (u) =>
          u.over.addEventListener('click', () => {
            if (u.cursor.left >= 0) onSeek(Math.round(u.posToVal(u.cursor.left, 'x')));
          }),
      ],
    },
  };
}

/** Horizontal lines (thresholds) and vertical marks (switch steps), with their labels. */
function drawDecor(u, { lines = [], marks = [] }, theme) {
  if (!lines.length && !marks.length) return;
  const { ctx } = u;
  const { left, top, width, height: h } = u.bbox;
  const dpr = devicePixelRatio || 1;
  ctx.save();
  ctx.setLineDash([5 * dpr, 4 * dpr]);
  ctx.lineWidth = dpr;
  ctx.strokeStyle = theme.text;
  ctx.fillStyle = theme.text;
  ctx.font = `${11 * dpr}px system-ui, sans-serif`;
  // uPlot leaves the alignment of its last axis label behind.
  ctx.textAlign = 'left';
  ctx.textBaseline = 'alphabetic';
  for (const { y, label } of lines) {
    const py = u.valToPos(y, 'y', true);
    if (!(py >= top && py <= top + h)) continue;
    ctx.beginPath();
    ctx.moveTo(left, py);
    ctx.lineTo(left + width, py);
    ctx.stroke();
    ctx.fillText(label, left + 4 * dpr, py - 4 * dpr);
  }
  for (const { x, label } of marks) {
    const px = u.valToPos(x, 'x', true);
    if (!(px >= left && px <= left + width)) continue;
    ctx.beginPath();
    ctx.moveTo(px, top);
    ctx.lineTo(px, top + h);
    ctx.stroke();
    const w = ctx.measureText(label).width;
    const tx = px + 4 * dpr + w <= left + width ? px + 4 * dpr : Math.max(left, px - 4 * dpr - w);
    ctx.fillText(label, tx, top + 12 * dpr);
  }
  ctx.restore();
}

/**
 * One chart in `el`: update({series, values, x, log, xLabel, band, lines, marks, theme})
 * creates it or sets its data; cursor(step) moves the cursor; resize().
 */
function chart(el, onSeek) {
  let u = null;
  let key = '';
  let decor = { lines: [], marks: [] };
  return {
    update(spec) {
      decor = { lines: spec.lines ?? [], marks: spec.marks ?? [] };
      const data = [spec.x, ...spec.values];
      const k = JSON.stringify([
        spec.series.map((s) => [s.label, s.colour, s.dash ?? null, s.width ?? null]),
        spec.log,
        spec.asinh ?? false,
        spec.xLabel,
        spec.band,
        spec.theme,
      ]);
      if (u && k === key) {
        u.setData(data);
        return;
      }
      u?.destroy();
      key = k;
      const width = Math.max(200, Math.floor(el.clientWidth || 300));
      u = new uPlot(options({ ...spec, width, decor: () => decor, onSeek }), data, el);
    },
    cursor(step) {
      if (!u || !u.data[0].length) return;
      const left = u.valToPos(Math.min(step, u.data[0].length - 1), 'x');
      if (Number.isFinite(left))
        u.setCursor({ left, top: u.bbox.height / (devicePixelRatio || 1) / 2 });
    },
    resize() {
      if (!u) return;
      const width = Math.max(200, Math.floor(el.clientWidth || 300));
      if (width !== u.width) u.setSize({ width, height: height(width) });
    },
  };
}

/** The three charts. onSeek(step) runs when a chart is clicked. */
export function createCharts({ loss, lr, state }, { onSeek }) {
  const charts = { loss: chart(loss, onSeek), lr: chart(lr, onSeek), state: chart(state, onSeek) };
  return {
    /** race: raceData(); st: stateData(); theme: {text, grid}. */
    update(race, st, lang, theme) {
      const xLabel = t(lang, 'axisStep');
      const { x, series } = race;
      const { values, log, asinh } = race.loss;
      charts.loss.update({ x, series, values, log, asinh, xLabel, theme });
      charts.lr.update({ x, series, values: race.lr.values, log: race.lr.log, xLabel, theme });
      charts.state.update({ ...st, xLabel, theme });
    },
    cursor(step) {
      charts.loss.cursor(step);
      charts.lr.cursor(step);
      charts.state.cursor(step);
    },
    resize() {
      charts.loss.resize();
      charts.lr.resize();
      charts.state.resize();
    },
  };
}
