// SPDX-License-Identifier: MIT
// The three charts (uPlot): loss and learning rate of every racer, and the internal state of
// the selected one (its quantity chosen in the select, kept in the link). The data comes from
// model.js; a chart is created again only when its series change (count, colours, scale),
// otherwise setData, at most once per frame. A click on a chart seeks the race to that step.

import uPlot from '../../vendor/uPlot.esm.js';
import * as actions from '../../app/actions.js';
import { LATER, TEXT } from '../../app/frame.js';
import { racerLabels } from '../../app/labels.js';
import { formatNumber, t } from '../../i18n.js';
import { axisStyle, chartTheme, h } from '../../ui/dom.js';
import {
  lossOffset,
  overlayData,
  overlayViews,
  pickView,
  raceData,
  racerSeries,
  stateData,
  stateViews,
  stepAxis,
} from './model.js';

/** Time per frame for the race's series (seriesReady). */
const SERIES_MS = 6;

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

// ---------------------------------------------------------------------------------------------
// charts

function height(width) {
  return width < 480 ? 150 : 180;
}

function options({ width, series, log, asinh, theme, xLabel, band, decor, raw, onSeek }) {
  const axis = axisStyle(theme);
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
      { label: xLabel, value: (u, v) => (v === null ? '–' : String(Math.round(v))) },
      ...series.map((s, i) => ({
        label: s.label,
        stroke: s.colour,
        width: s.width ?? 1.75,
        dash: s.dash,
        spanGaps: false,
        points: { show: false },
        // The true value, not the one plotted (a log axis floors, a long race is bucketed).
        value: (u, v, si, idx) => {
          const value = idx === null || idx === undefined ? v : (raw()[i]?.[idx] ?? v);
          return value === null || value === undefined ? '–' : formatNumber(value);
        },
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
  for (const { x, label, colour } of marks) {
    const px = u.valToPos(x, 'x', true);
    if (!(px >= left && px <= left + width)) continue;
    ctx.strokeStyle = colour ?? theme.text;
    ctx.fillStyle = colour ?? theme.text;
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
  let raw = [];
  return {
    update(spec) {
      decor = { lines: spec.lines ?? [], marks: spec.marks ?? [] };
      raw = spec.raw ?? [];
      const data = [spec.x, ...spec.values];
      const k = JSON.stringify([
        spec.series.map((s) => [s.label, s.colour, s.dash ?? null, s.width ?? null]),
        spec.log,
        spec.asinh ?? false,
        spec.xLabel,
        spec.band,
        spec.theme,
      ]);
      // uPlot draws in a microtask after the call that changed it; batch() draws at once, so
      // that the drawing counts in the frame task that asked for it (and in its budget).
      if (u && k === key) {
        u.batch(() => u.setData(data));
        return;
      }
      u?.destroy();
      key = k;
      const width = Math.max(200, Math.floor(el.clientWidth || 300));
      u = new uPlot(
        options({ ...spec, width, decor: () => decor, raw: () => raw, onSeek }),
        data,
        (plot, init) => {
          el.appendChild(plot.root);
          plot.batch(init);
        },
      );
    },
    cursor(step) {
      if (!u || !u.data[0].length) return;
      const left = u.valToPos(Math.min(step, u.data[0].at(-1)), 'x');
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
    /**
     * race: raceData(); theme: {text, grid}. The updates of the loss and learning-rate charts
     * as [name, update()], to be run now or spread over frames.
     */
    raceUpdates(race, lang, theme) {
      const xLabel = t(lang, 'axisStep');
      const { x, series } = race;
      const { values, raw, log, asinh } = race.loss;
      const lr = race.lr;
      return [
        ['loss', () => charts.loss.update({ x, series, values, raw, log, asinh, xLabel, theme })],
        [
          'lr',
          () =>
            charts.lr.update({
              x,
              series,
              values: lr.values,
              raw: lr.raw,
              log: lr.log,
              marks: lr.marks,
              xLabel,
              theme,
            }),
        ],
      ];
    },
    /** st: stateData() or overlayData(). The state chart's update as [name, update()]. */
    stateUpdate(st, lang, theme) {
      return ['state', () => charts.state.update({ ...st, xLabel: t(lang, 'axisStep'), theme })];
    },
    /** Moves the cursor of chart `name` to `step`. */
    cursorOf(name, step) {
      charts[name].cursor(step);
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

/**
 * Mounts the charts in #chart-loss, #chart-lr and #chart-state with the state chart's
 * quantity select #state-series. They follow the runs, the racers, the selection, the chosen
 * quantity, the language and the colour scheme, and their cursors follow the playback step.
 */
export function mountCharts(app) {
  const { store, M, ctx, frame } = app;
  const $ = (id) => document.getElementById(id);
  const charts = createCharts(
    { loss: $('chart-loss'), lr: $('chart-lr'), state: $('chart-state') },
    { onSeek: (step) => app.playback.seek(step) },
  );
  let theme = chartTheme();
  let drawnKey = null;

  $('state-series').addEventListener('change', (e) =>
    store.update((s) => actions.setSeries(s, e.target.value || null)),
  );
  $('state-all').addEventListener('change', (e) =>
    store.update((s) => actions.setOverlay(s, e.target.checked ? 'all' : 'selected')),
  );
  for (const scale of ['log', 'linear']) {
    $(`lr-${scale}`).addEventListener('click', () =>
      store.update((s) => actions.setLrScale(s, scale)),
    );
  }

  function update() {
    const state = store.get();
    const runs = app.runs.current;
    if (runs.list.length !== state.racers.length) return;
    const key = [
      runs.version,
      JSON.stringify([
        state.racers,
        state.selected,
        state.series,
        state.lrScale,
        state.overlay,
        state.lang,
        theme,
      ]),
    ];
    if (drawnKey && drawnKey[0] === key[0] && drawnKey[1] === key[1]) return;
    drawnKey = key;
    // Each chart's data and drawing is a task of its own in the frame loop: LATER work moves
    // to the next frame once a frame has run for its budget, and twelve long series are tens
    // of milliseconds per chart.
    // A drag that starts before they have run puts them off: the drag's end draws the charts.
    // A task that returns true runs again in the next frame (the race's series, run by run).
    const later = (name, fn) =>
      frame.request(name, LATER, () => {
        if (!app.dragging?.()) return fn();
        drawnKey = null;
        return false;
      });
    const draw = ([name, fn]) =>
      later(`chart-${name}`, () => {
        fn();
        charts.cursorOf(name, Math.floor(app.player.step));
      });
    later('charts-state', () => draw(updateState(state, runs)));
    later('charts-race', () => {
      if (!seriesReady(state, runs)) return true;
      updateRace(state, runs).forEach(draw);
      return false;
    });
  }

  /**
   * Each run's loss and learning-rate series on the charts' axis (model.js racerSeries), kept
   * per result: a race of long runs reads every step of 24 arrays, tens of milliseconds, so
   * they are computed SERIES_MS at a time (at least one run per frame) before the charts draw.
   */
  const seriesCache = new WeakMap();
  const cached = (result, n, offset) => {
    const hit = seriesCache.get(result);
    return hit && hit.n === n && Object.is(hit.offset, offset) ? hit.series : null;
  };
  const cachedSeries = (result, axis, n, offset) => {
    if (!result) return racerSeries(result, axis, n, offset);
    let series = cached(result, n, offset);
    if (!series) {
      series = racerSeries(result, axis, n, offset);
      seriesCache.set(result, { n, offset, series });
    }
    return series;
  };
  /** Computes the missing series for SERIES_MS at most; true when none is missing. */
  function seriesReady(state, runs) {
    const t0 = performance.now();
    const n = state.steps;
    const { offset } = lossOffset(runs.list, app.functionInfo().minima, state.lang);
    const axis = stepAxis(n);
    let computed = 0;
    for (const { result } of runs.list) {
      if (!result || cached(result, n, offset)) continue;
      if (computed > 0 && performance.now() - t0 > SERIES_MS) return false;
      cachedSeries(result, axis, n, offset);
      computed += 1;
    }
    return true;
  }

  /** The state chart's select and note; returns its update. */
  function updateState(state, runs) {
    const lang = state.lang;
    const racer = state.racers[state.selected];
    const run = runs.list[state.selected];
    const all = state.overlay === 'all';
    const views = all
      ? overlayViews(runs.list, lang, ctx.seriesInfo)
      : stateViews(run?.result, lang, ctx.seriesInfo);
    const { view, missing } = pickView(M, racer.optimizer.name, views, state.series);
    const select = $('state-series');
    select.replaceChildren(...views.map((v) => h('option', { value: v.id }, v.label)));
    select.value = view ?? '';
    select.disabled = views.length === 0;
    $('state-all').checked = all;
    const labels = racerLabels(lang, state.racers, M.methods);
    const name = all ? t(lang, 'stateAllRacers') : labels[state.selected];
    $('state-racer').textContent = name;
    $('state-racer').style.setProperty('--racer', all ? 'var(--accent)' : racer.color);
    const st = all
      ? overlayData(runs.list, state.racers, labels, view, lang)
      : stateData(run, racer, view, lang, ctx.seriesInfo);
    // A racer with a phase series (SWATS) that never switched says so.
    const noSwitch = !all && !!run?.result?.state.phase && !st.marks.some((mk) => mk.switch);
    const without = all && view && st.without.length ? st.without.map((i) => labels[i]) : [];
    $('state-note').textContent = [
      missing ? t(lang, 'seriesMissing', { series: missing, racer: name }) : '',
      without.length ? t(lang, 'seriesWithout', { series: view, racers: without.join(', ') }) : '',
      ...st.lines.map((l) => l.label),
      ...st.marks.map((mk) => mk.label),
      noSwitch ? t(lang, 'noSwitch') : '',
      views.length ? '' : t(lang, 'noState'),
    ]
      .filter(Boolean)
      .join(' · ');
    return charts.stateUpdate(st, lang, theme);
  }

  /** The loss and learning-rate charts' notes; returns their updates. */
  function updateRace(state, runs) {
    const lang = state.lang;
    const info = app.functionInfo();
    const race = raceData(
      runs.list,
      state.racers,
      M.methods,
      info.minima,
      lang,
      state.steps,
      state.lrScale,
      cachedSeries,
    );
    for (const scale of ['log', 'linear']) {
      $(`lr-${scale}`).setAttribute('aria-pressed', String(state.lrScale === scale));
    }
    $('loss-note').textContent = race.loss.label;
    $('lr-note').textContent = race.lr.label;
    app.hook.lrMarks = race.lr.marks;
    return charts.raceUpdates(race, lang, theme);
  }
  // While the start is dragged, the figure has the frames: the charts follow when the drag
  // ends, as the caption and the cards' lines do.
  const request = () => {
    if (!app.dragging?.()) frame.request('charts', LATER, update);
  };
  store.watch(
    (s) => [s.racers, s.selected, s.series, s.lrScale, s.overlay, s.lang, s.steps],
    request,
  );
  app.events.on('runs', request);
  app.events.on('drag-end', request);
  app.events.on('step', (step) => frame.request('chart-cursor', TEXT, () => charts.cursor(step)));
  matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => {
    theme = chartTheme();
    request();
  });
  new ResizeObserver(() => charts.resize()).observe($('chart-loss'));
  return { charts };
}
