// SPDX-License-Identifier: MIT
// The "tiny neural network" section: every racer of the page trains the same small MLP (same
// data, same initialization, same shuffling) in a Web Worker (worker.js, m.Trainer); live loss
// and accuracy curves with the generalization gap, the decision boundary of one racer, a table
// with the final losses, accuracies, gap, top Hessian eigenvalue and epsilon-sharpness, and 1-D
// loss slices around the solutions (a filter-normalized random direction, and the line between
// two racers). Captions state what this run measured.

import uPlot from '../../vendor/uPlot.esm.js';
import * as actions from '../../app/actions.js';
import { LATER } from '../../app/frame.js';
import { MLP_FIELDS, trainerConfig } from '../../app/schema.js';
import { CancelledError, errorText } from '../../engine.js';
import { formatNumber, methodShort, t } from '../../i18n.js';
import { download, h } from '../../ui/dom.js';
import { networkCsv } from '../export/model.js';
import { schemaFields } from '../../ui/form.js';
import { evalEvery, lineSliceCaption, mlpCaption, randomSliceCaption, shown } from './model.js';

/** Steps per Trainer.run call in the worker: a progress message after each round. */
const CHUNK = 25;
/** The decision boundary's grid. */
const GRID = 80;
/** Height of every chart of the section, in CSS pixels. */
const CHART_HEIGHT = 220;
/** Class 0 and class 1: soft colours for the probability map, strong ones for the points. */
const SOFT = [
  [158, 202, 225],
  [253, 190, 133],
];
const STRONG = ['#2b6cb0', '#c05621'];

/** Draws the probability grid and the points on `canvas` (CSS size taken from its box). */
function drawBoundary(canvas, view) {
  const ctx = canvas.getContext('2d');
  const size = canvas.width;
  ctx.clearRect(0, 0, size, size);
  if (!view?.grid) return;
  const { grid, width, height, box, data } = view;
  const cells = new ImageData(width, height);
  for (let i = 0; i < width * height; i++) {
    const p = Math.min(1, Math.max(0, grid[i]));
    for (let c = 0; c < 3; c++) cells.data[4 * i + c] = SOFT[0][c] + (SOFT[1][c] - SOFT[0][c]) * p;
    cells.data[4 * i + 3] = 255;
  }
  const tmp = new OffscreenCanvas(width, height);
  tmp.getContext('2d').putImageData(cells, 0, 0);
  ctx.imageSmoothingEnabled = true;
  ctx.drawImage(tmp, 0, 0, size, size);
  if (!data) return;
  const px = (x) => ((x - box.xmin) / (box.xmax - box.xmin)) * size;
  const py = (y) => ((box.ymax - y) / (box.ymax - box.ymin)) * size;
  const r = Math.max(2.5, size / 110);
  ctx.lineWidth = Math.max(1, size / 300);
  for (const [set, hollow] of [
    [data.train, false],
    [data.test, true],
  ]) {
    for (let i = 0; i < set.labels.length; i++) {
      const colour = STRONG[set.labels[i] > 0.5 ? 1 : 0];
      ctx.beginPath();
      ctx.arc(px(set.points[2 * i]), py(set.points[2 * i + 1]), r, 0, 2 * Math.PI);
      if (hollow) {
        ctx.strokeStyle = colour;
        ctx.stroke();
      } else {
        ctx.fillStyle = colour;
        ctx.fill();
        ctx.strokeStyle = 'rgba(255, 255, 255, 0.8)';
        ctx.stroke();
      }
    }
  }
}

/**
 * A uPlot line chart in `el`, rebuilt when its options change and updated in place otherwise.
 * draw({ series, data, xLabel, y: 'log' | 'unit', marks }) where series are { label, stroke,
 * dash? }, data [x, ...ys], and marks vertical lines { x, label } drawn over the plot.
 */
function createChart(el, section) {
  let plot = null;
  let key = '';
  const width = () => Math.max(240, Math.floor(el.clientWidth || 480));
  return {
    get plot() {
      return plot;
    },
    clear() {
      plot?.destroy();
      plot = null;
      key = '';
    },
    draw({ series, data, xLabel, y = 'log', marks = [] }) {
      const k = JSON.stringify([series, xLabel, y, marks]);
      if (plot && k === key) {
        plot.setData(data);
        return;
      }
      plot?.destroy();
      key = k;
      const styles = getComputedStyle(section);
      const axis = {
        stroke: styles.color,
        grid: { stroke: 'rgba(128, 128, 128, 0.2)', width: 1 },
        ticks: { stroke: 'rgba(128, 128, 128, 0.2)', width: 1 },
        font: '11px system-ui, sans-serif',
      };
      const drawMarks = (u) => {
        const ratio = devicePixelRatio || 1;
        const { ctx, bbox } = u;
        ctx.save();
        ctx.strokeStyle = styles.color;
        ctx.fillStyle = styles.color;
        ctx.lineWidth = ratio;
        ctx.setLineDash([3 * ratio, 3 * ratio]);
        ctx.font = `${Math.round(12 * ratio)}px system-ui, sans-serif`;
        for (const m of marks) {
          const x = u.valToPos(m.x, 'x', true);
          ctx.beginPath();
          ctx.moveTo(x, bbox.top);
          ctx.lineTo(x, bbox.top + bbox.height);
          ctx.stroke();
          ctx.fillText(m.label, x + 4 * ratio, bbox.top + 14 * ratio);
        }
        ctx.restore();
      };
      plot = new uPlot(
        {
          width: width(),
          height: CHART_HEIGHT,
          legend: { show: true, live: true },
          cursor: { y: false, drag: { x: false, y: false }, points: { size: 5 } },
          scales: {
            x: { time: false },
            y: y === 'log' ? { distr: 3, log: 10 } : { range: [0, 1] },
          },
          axes: [
            { ...axis, size: 28 },
            {
              ...axis,
              size: 56,
              values: (u, splits) => splits.map((v) => (v === null ? '' : formatNumber(v, 2))),
            },
          ],
          series: [
            { label: xLabel, value: (u, v) => (v === null ? '–' : formatNumber(v)) },
            ...series.map((s) => ({
              ...s,
              width: 1.5,
              spanGaps: true,
              points: { show: false },
              value: (u, v) => (v === null || v === undefined ? '–' : formatNumber(v)),
            })),
          ],
          hooks: marks.length ? { draw: [drawMarks] } : {},
        },
        data,
        el,
      );
    },
    resize() {
      if (plot && width() !== plot.width) plot.setSize({ width: width(), height: CHART_HEIGHT });
    },
  };
}

/** Positive finite losses for a log axis; anything else (NaN: no test set) is a gap. */
function positive(values) {
  return Array.from(values, (v) => (Number.isFinite(v) && v > 0 ? v : null));
}

/**
 * Mounts the section in #mlp. Its inputs show the store's (the link's) and every edit is an
 * action the core checks; before any training it shows the data and the decision boundary of
 * the initial network, then trains every racer of the race in the Worker pool.
 */
export function mountNetwork(app) {
  const { m, M, store, pool } = app;
  const getState = () => store.get();
  const methodsByName = M.methods;
  const text = (key) => h('span', { dataset: { mlp: key } });
  const field = (id, key, control) =>
    h('label', { className: 'lab-field', htmlFor: id }, text(key), control);

  const title = h('h2', { id: 'mlp-title' });
  const intro = h('p', { className: 'hint' });
  const fields = schemaFields(MLP_FIELDS, {
    prefix: 'mlp',
    group: 'mlp',
    choiceLabel: (l, key, c) => (key === 'dataset' ? t(l, `mlpData_${c}`) : c),
    onText: (key, value) => {
      const errors = store.update((s) => actions.setMlpInput(s, key, value));
      if (!errors.length) return app.alerts.input(null);
      // The core's own words, with its field path first.
      let message = errors[0].message;
      try {
        m.normalizeTrainerConfig(trainerConfig({ ...store.get().mlp, [key]: value }));
      } catch (err) {
        message = errorText(err);
      }
      return app.alerts.input(message);
    },
  });
  // The inputs take no edits on a locked page (embed lock=1).
  fields.element.dataset.editable = '';
  fields.element.inert = app.locked?.() ?? false;
  const trainButton = h('button', { id: 'mlp-train', type: 'button', className: 'primary' });
  const cancelButton = h('button', { id: 'mlp-cancel', type: 'button', disabled: true });
  const csvButton = h('button', { id: 'mlp-csv', type: 'button', disabled: true });
  const progress = h('progress', { id: 'mlp-progress', max: 1, value: 0 });
  const status = h('p', {
    id: 'mlp-status',
    className: 'lab-status',
    attrs: { 'aria-live': 'polite' },
  });
  const gapReadout = h('p', { id: 'mlp-gap', className: 'mlp-gap' });
  const chartEl = h('div', { id: 'mlp-chart', className: 'mlp-chart' });
  const accuracyEl = h('div', { id: 'mlp-accuracy-chart', className: 'mlp-chart' });
  const viewSelect = h('select', { id: 'mlp-view' });
  const canvas = h('canvas', {
    id: 'mlp-boundary',
    width: 480,
    height: 480,
    attrs: { role: 'img' },
  });
  const boundaryNote = h('p', { className: 'hint mlp-note' });
  const caption = h('p', { id: 'mlp-caption', className: 'caption' });
  const results = h('table', { id: 'mlp-results', className: 'lab-table' });
  const randomEl = h('div', { id: 'mlp-slice-random', className: 'mlp-chart' });
  const randomCaption = h('p', { id: 'mlp-slice-random-caption', className: 'caption' });
  const sliceA = h('select', { id: 'mlp-slice-a' });
  const sliceB = h('select', { id: 'mlp-slice-b' });
  const lineEl = h('div', { id: 'mlp-slice-line', className: 'mlp-chart' });
  const lineCaption = h('p', { id: 'mlp-slice-line-caption', className: 'caption' });
  const slices = h(
    'div',
    { className: 'mlp-figures mlp-slices', hidden: true },
    h(
      'div',
      { className: 'mlp-figure' },
      h('h3', { dataset: { mlp: 'mlpSliceRandom' } }),
      h('p', { className: 'hint mlp-note', dataset: { mlp: 'mlpSliceRandomNote' } }),
      randomEl,
      randomCaption,
    ),
    h(
      'div',
      { className: 'mlp-figure' },
      h('h3', { dataset: { mlp: 'mlpSliceLine' } }),
      h(
        'div',
        { className: 'lab-inputs' },
        field('mlp-slice-a', 'mlpSliceA', sliceA),
        field('mlp-slice-b', 'mlpSliceB', sliceB),
      ),
      lineEl,
      lineCaption,
    ),
  );

  const section = document.getElementById('mlp');
  section.replaceChildren(
    h('div', { className: 'panel-head' }, title),
    intro,
    fields.element,
    h('div', { className: 'lab-actions' }, trainButton, cancelButton, csvButton, progress),
    status,
    gapReadout,
    h(
      'div',
      { className: 'mlp-figures' },
      h(
        'div',
        { className: 'mlp-figure' },
        h('h3', { dataset: { mlp: 'mlpLossChart' } }),
        chartEl,
        h('h3', { dataset: { mlp: 'mlpAccuracyChart' } }),
        accuracyEl,
      ),
      h(
        'div',
        { className: 'mlp-figure' },
        h('h3', { dataset: { mlp: 'mlpBoundary' } }),
        field('mlp-view', 'mlpShow', viewSelect),
        canvas,
        boundaryNote,
      ),
    ),
    caption,
    h('div', { className: 'lab-scroll' }, results),
    slices,
  );

  /** The pool task of the race (or line slice, or preview) now running. */
  let task = null;
  let statusMessage = null;
  /**
   * The run on screen: racers (name, colour), their configs, curves, data, boundaries, the
   * result when done, and the line slice { a, b, alphas, train, test } (or { a, b, error }).
   */
  let run = null;
  const lossChart = createChart(chartEl, section);
  const accuracyChart = createChart(accuracyEl, section);
  const randomChart = createChart(randomEl, section);
  const lineChart = createChart(lineEl, section);
  /** Read by the browser tests: the race's progress and result, the line slice on screen. */
  const hook = {
    running: false,
    done: 0,
    total: 0,
    result: null,
    ms: NaN,
    races: 0,
    lineSlice: null,
    charts: { loss: lossChart, accuracy: accuracyChart, random: randomChart, line: lineChart },
    inputs: {
      get: () => structuredClone(store.get().mlp),
      set: (partial) => store.update((s) => ({ ...s, mlp: { ...s.mlp, ...partial } })),
    },
    preview: null,
  };
  window.__mlp = hook;

  const lang = () => getState().lang;
  const labelOf = (name) => methodShort(lang(), methodsByName.get(name));

  function setStatus(key, vars = {}) {
    statusMessage = key ? { key, vars } : null;
    status.textContent = key ? t(lang(), key, vars) : '';
  }

  function setError(message) {
    statusMessage = null;
    status.textContent = message;
  }

  function setRunning(running) {
    hook.running = running;
    trainButton.disabled = running;
    cancelButton.disabled = !running;
    csvButton.disabled = running || !run?.result;
    section.setAttribute('aria-busy', String(running));
  }

  /**
   * The trainer configs of the first `racers` racers from the store (all by default), checked
   * by the core before anything runs: { configs, steps, seed } or { error } (a field that shows
   * a problem, or the core's message).
   */
  function readConfigs(racers = Infinity) {
    const problem = fields.problem();
    if (problem) return { error: problem };
    const state = getState();
    const v = state.mlp;
    const seed = state.noise.seed;
    const base = trainerConfig(v);
    const configs = state.racers.slice(0, racers).map((r) => ({
      ...base,
      dataset: { ...base.dataset, seed },
      network: { ...base.network, seed },
      optimizer: r.optimizer,
      schedule: r.schedule,
      seed,
      eval_every: evalEvery(v.steps),
    }));
    try {
      for (const config of configs) m.normalizeTrainerConfig(config);
    } catch (err) {
      return { error: errorText(err) };
    }
    return { configs, steps: v.steps, seed };
  }

  // --- the live charts ----------------------------------------------------------------------------

  /** [steps, ...one series per racer and key] on the union of the racers' evaluation steps. */
  function curveData(keys, clean) {
    const xs = new Set();
    for (const c of run.curves) for (const s of c.evalSteps) xs.add(s);
    const x = [...xs].sort((a, b) => a - b);
    const at = new Map(x.map((s, i) => [s, i]));
    const values = [];
    for (const c of run.curves) {
      for (const key of keys) {
        const ys = new Array(x.length).fill(null);
        c.evalSteps.forEach((s, i) => {
          ys[at.get(s)] = clean(c[key][i]);
        });
        values.push(ys);
      }
    }
    return [x, ...values];
  }

  function drawCharts() {
    if (!run) {
      lossChart.clear();
      accuracyChart.clear();
      return;
    }
    const l = lang();
    const pair = (r) => [
      { label: t(l, 'mlpTrainOf', { racer: labelOf(r.name) }), stroke: r.color },
      { label: t(l, 'mlpTestOf', { racer: labelOf(r.name) }), stroke: r.color, dash: [6, 4] },
    ];
    const series = run.racers.flatMap(pair);
    lossChart.draw({
      series,
      xLabel: t(l, 'axisStep'),
      data: curveData(['trainLoss', 'testLoss'], (v) => (Number.isFinite(v) && v > 0 ? v : null)),
    });
    accuracyChart.draw({
      series,
      xLabel: t(l, 'axisStep'),
      y: 'unit',
      data: curveData(['trainAccuracy', 'testAccuracy'], (v) => (Number.isFinite(v) ? v : null)),
    });
  }

  /** The generalization gap of every racer at its latest evaluation. */
  function drawGap() {
    const l = lang();
    if (!run || !run.curves.some((c) => c.evalSteps.length)) {
      gapReadout.textContent = '';
      return;
    }
    const step = Math.max(...run.curves.map((c) => c.evalSteps.at(-1) ?? 0));
    const list = run.curves
      .map((c, i) => {
        const gap = c.testLoss.at(-1) - c.trainLoss.at(-1);
        return `${labelOf(run.racers[i].name)} ${shown(gap)}`;
      })
      .join(t(l, 'labListSep'));
    gapReadout.textContent = t(l, 'mlpGapLive', { step, list });
  }

  // --- the decision boundary ----------------------------------------------------------------------

  function drawView() {
    const i = Number(viewSelect.value);
    const grid = run?.result
      ? run.result.racers[i]?.boundary
      : i === run?.live.index
        ? run.live.grid
        : null;
    const racer = run?.racers[i];
    const l = lang();
    canvas.setAttribute(
      'aria-label',
      racer ? t(l, 'mlpBoundaryOf', { racer: labelOf(racer.name) }) : t(l, 'mlpBoundary'),
    );
    boundaryNote.textContent = run?.preview
      ? t(l, 'mlpPreviewNote')
      : run
        ? t(l, 'mlpBoundaryNote')
        : '';
    drawBoundary(canvas, run && grid ? { ...run.view, grid } : null);
  }

  /** Fills `select` with one option per racer of the run, keeping the choice or `fallback`. */
  function fillRacerSelect(select, fallback) {
    const racers = run?.racers ?? [];
    const chosen = select.value;
    select.replaceChildren(
      ...racers.map((r, i) => h('option', { value: String(i) }, `${i + 1}. ${labelOf(r.name)}`)),
    );
    if (chosen && Number(chosen) < racers.length) select.value = chosen;
    else if (fallback < racers.length) select.value = String(fallback);
    select.disabled = !racers.length;
  }

  function fillSelects() {
    fillRacerSelect(viewSelect, 0);
    viewSelect.setAttribute('aria-label', t(lang(), 'mlpShow'));
    fillRacerSelect(sliceA, 0);
    fillRacerSelect(sliceB, 1);
  }

  // --- the loss slices -----------------------------------------------------------------------------

  /** The random-direction slices of every racer: train solid, test dashed, in one chart. */
  function drawRandomSlices() {
    const result = run?.result;
    if (!result) {
      randomChart.clear();
      randomCaption.textContent = '';
      return;
    }
    const l = lang();
    const labels = run.racers.map((r) => labelOf(r.name));
    randomChart.draw({
      series: run.racers.flatMap((r, i) => [
        { label: t(l, 'mlpTrainOf', { racer: labels[i] }), stroke: r.color },
        { label: t(l, 'mlpTestOf', { racer: labels[i] }), stroke: r.color, dash: [6, 4] },
      ]),
      xLabel: 'α',
      data: [
        Array.from(result.racers[0].slice.alphas),
        ...result.racers.flatMap((r) => [positive(r.slice.train), positive(r.slice.test)]),
      ],
    });
    randomCaption.textContent = randomSliceCaption(l, result, labels);
  }

  function drawLineSlice() {
    const line = run?.line;
    const l = lang();
    if (!line?.alphas) {
      lineChart.clear();
      lineCaption.textContent = line?.error ?? (line ? t(l, 'mlpLineBusy') : '');
      return;
    }
    const a = labelOf(run.racers[line.a].name);
    const b = labelOf(run.racers[line.b].name);
    const colour = getComputedStyle(section).color;
    lineChart.draw({
      series: [
        { label: t(l, 'mlpLineTrain'), stroke: colour },
        { label: t(l, 'mlpLineTest'), stroke: colour, dash: [6, 4] },
      ],
      xLabel: 'α',
      data: [Array.from(line.alphas), positive(line.train), positive(line.test)],
      marks: [
        { x: 0, label: `A: ${a}` },
        { x: 1, label: `B: ${b}` },
      ],
    });
    lineCaption.textContent = lineSliceCaption(l, line, a, b);
  }

  /**
   * Asks the worker for the loss along the line between the chosen racers' final parameters,
   * on the data of racer A's config. Only between races: the worker runs one job at a time.
   */
  function requestLineSlice() {
    const result = run?.result;
    if (!result || hook.running) return;
    const a = Number(sliceA.value);
    const b = Number(sliceB.value);
    const current = run;
    hook.lineSlice = null;
    if (a === b || !result.racers[a] || !result.racers[b]) {
      current.line = { a, b, error: t(lang(), 'mlpLineSame') };
      drawLineSlice();
      return;
    }
    current.line = { a, b };
    drawLineSlice();
    const done = (line) => {
      if (run !== current) return;
      current.line = line;
      if (line.alphas) hook.lineSlice = line;
      drawLineSlice();
    };
    task?.drop();
    task = pool.task({
      type: 'line-slice',
      config: current.configs[a],
      // Copies: the result keeps its own parameters.
      paramsA: Float64Array.from(result.racers[a].params),
      paramsB: Float64Array.from(result.racers[b].params),
    });
    task.promise.then(
      (slice) => done({ a, b, ...slice }),
      (err) => {
        if (err instanceof CancelledError) return;
        done({ a, b, error: failure(err) });
      },
    );
  }

  // --- the run --------------------------------------------------------------------------------------

  function train() {
    const read = readConfigs();
    if (read.error) {
      setError(read.error);
      return;
    }
    const { configs, steps: total, seed } = read;
    const state = getState();
    const index = Math.min(Math.max(0, state.selected ?? 0), configs.length - 1);
    const t0 = performance.now();
    run = {
      racers: state.racers.map((r) => ({ name: r.optimizer.name, color: r.color })),
      configs,
      curves: state.racers.map(() => ({
        evalSteps: [],
        trainLoss: [],
        testLoss: [],
        trainAccuracy: [],
        testAccuracy: [],
      })),
      view: null,
      live: { index, grid: null },
      result: null,
      line: null,
      steps: total,
    };
    hook.result = null;
    hook.lineSlice = null;
    hook.races++;
    results.replaceChildren();
    caption.textContent = '';
    slices.hidden = true;
    fillSelects();
    viewSelect.value = String(index);
    drawCharts();
    drawGap();
    drawView();
    drawRandomSlices();
    drawLineSlice();
    const current = run;

    progress.max = total;
    progress.value = 0;
    hook.done = 0;
    hook.total = total;
    setRunning(true);
    setStatus('mlpRunning', { done: 0, total });
    task?.cancel();
    const mine = pool.task(
      {
        type: 'train',
        configs,
        steps: total,
        chunk: CHUNK,
        boundary: { index, width: GRID, height: GRID },
        sliceSeed: seed,
      },
      {
        onProgress(msg) {
          progress.max = msg.total;
          progress.value = msg.done;
          hook.done = msg.done;
          hook.total = msg.total;
          const snap = msg.snapshot;
          if (snap.data) {
            current.view = {
              data: snap.data,
              box: snap.box,
              width: snap.width,
              height: snap.height,
            };
          }
          snap.racers.forEach((part, i) => {
            for (const [k, v] of Object.entries(part)) current.curves[i][k].push(...v);
          });
          current.live = { index: snap.index, grid: snap.boundary };
          // Messages come faster than frames: the section redraws once per frame.
          app.frame.request('mlp-live', LATER, () => {
            if (run !== current) return;
            setStatus('mlpRunning', { done: hook.done, total: hook.total });
            drawCharts();
            drawGap();
            drawView();
          });
        },
      },
    );
    task = mine;
    mine.promise.then(
      (result) => {
        if (task !== mine) return;
        task = null;
        hook.ms = performance.now() - t0;
        current.result = result;
        hook.result = result;
        setRunning(false);
        setStatus('mlpDone', { s: (hook.ms / 1000).toFixed(2) });
        renderResults();
        drawView();
        slices.hidden = false;
        drawRandomSlices();
        requestLineSlice();
      },
      (err) => {
        if (task !== mine || err instanceof CancelledError) return;
        task = null;
        setRunning(false);
        setError(failure(err));
      },
    );
  }

  /** A failed task's message: the core's, or what happened to the Worker. */
  const failure = (err) =>
    err?.name === 'WorkerError'
      ? t(lang(), 'labWorkerFailed', { message: err.message })
      : errorText(err);

  function cancel() {
    if (!hook.running) return;
    task?.cancel();
    task = null;
    setRunning(false);
    setStatus('mlpCancelled', { done: hook.done, total: hook.total });
  }

  trainButton.addEventListener('click', train);
  // The last training's curves, one row per racer and evaluation (export/model.js networkCsv).
  csvButton.addEventListener('click', () => {
    if (!run?.result) return;
    const text = networkCsv(
      run.result,
      run.racers.map((r) => r.name),
    );
    download('network-curves.csv', text, 'text/csv');
  });
  cancelButton.addEventListener('click', cancel);
  viewSelect.addEventListener('change', drawView);
  sliceA.addEventListener('change', requestLineSlice);
  sliceB.addEventListener('change', requestLineSlice);
  addEventListener('resize', () => {
    for (const chart of [lossChart, accuracyChart, randomChart, lineChart]) chart.resize();
  });

  // --- the table ----------------------------------------------------------------------------------

  let renderedLang = null;
  function renderResults() {
    const l = lang();
    renderedLang = l;
    const result = run?.result;
    if (!result) {
      results.replaceChildren();
      caption.textContent = '';
      return;
    }
    const labels = run.racers.map((r) => labelOf(r.name));
    const num = (v, key) =>
      h('td', { className: 'num', dataset: { key, value: String(v) } }, formatNumber(v));
    const vars = { target: formatNumber(result.target), epsilon: formatNumber(result.epsilon) };
    results.replaceChildren(
      h('caption', {}, t(l, 'mlpResultsCaption', { steps: result.steps, ...vars })),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          [
            'labRacer',
            'mlpTrainLoss',
            'mlpTestLoss',
            'mlpTrainAccuracy',
            'mlpTestAccuracy',
            'mlpGap',
            'mlpEigen',
            'mlpSharpness',
            'mlpStepsTo',
          ].map((key) => h('th', { scope: 'col' }, t(l, key, vars))),
        ),
      ),
      h(
        'tbody',
        {},
        result.racers.map((r, i) => {
          const swatch = h('span', { className: 'lab-swatch', attrs: { 'aria-hidden': 'true' } });
          swatch.style.background = run.racers[i].color;
          return h(
            'tr',
            { dataset: { racer: run.racers[i].name } },
            h('th', { scope: 'row' }, swatch, labels[i]),
            num(r.trainLoss, 'trainLoss'),
            num(r.testLoss, 'testLoss'),
            num(r.trainAccuracy, 'trainAccuracy'),
            num(r.testAccuracy, 'testAccuracy'),
            num(r.gap, 'gap'),
            num(r.eigenvalue, 'eigenvalue'),
            num(r.sharpness, 'sharpness'),
            h(
              'td',
              {
                className: 'num',
                dataset: { key: 'stepsToTarget', value: String(r.stepsToTarget) },
              },
              r.stepsToTarget === null ? '-' : String(r.stepsToTarget),
            ),
          );
        }),
      ),
    );
    caption.textContent = mlpCaption(l, result, labels);
  }

  // --- before training: the data and the initial network -----------------------------------------

  /** Shows the data and the decision boundary of the first racer's network before a step. */
  function preview() {
    if (hook.running || run?.result) return Promise.resolve();
    // The preview shows the first racer's network before training: only its config is read
    // (checking twelve trainer configs costs a fresh page some 70 ms).
    const read = readConfigs(1);
    if (read.error) return Promise.resolve();
    const mine = pool.task({
      type: 'network-preview',
      config: read.configs[0],
      boundary: { width: GRID, height: GRID },
    });
    task?.drop();
    task = mine;
    return mine.promise.then(
      (p) => {
        if (task !== mine) return;
        task = null;
        hook.preview = { points: p.data.train.labels.length + p.data.test.labels.length };
        run = {
          racers: [],
          configs: read.configs,
          curves: [],
          view: { data: p.data, box: p.box, width: p.width, height: p.height },
          live: { index: 0, grid: p.grid },
          result: null,
          line: null,
          steps: 0,
          preview: true,
        };
        drawView();
      },
      (err) => {
        if (task === mine && !(err instanceof CancelledError)) setError(failure(err));
      },
    );
  }

  /** Texts from the page's current state (language). */
  function update() {
    const l = lang();
    for (const el of section.querySelectorAll('[data-mlp]')) el.textContent = t(l, el.dataset.mlp);
    fields.relabel(l);
    title.textContent = t(l, 'mlpTitle');
    intro.textContent = t(l, 'mlpIntro');
    trainButton.textContent = t(l, 'mlpTrain');
    cancelButton.textContent = t(l, 'labCancel');
    csvButton.textContent = t(l, 'exportNetworkCsv');
    progress.setAttribute('aria-label', t(l, 'mlpProgress'));
    if (statusMessage) setStatus(statusMessage.key, statusMessage.vars);
    if (l !== renderedLang) {
      renderResults();
      fillSelects();
      drawCharts();
      drawGap();
      drawView();
      drawRandomSlices();
      drawLineSlice();
    }
  }

  store.watch((s) => s.lang, update);
  store.watch(
    (s) => s.mlp,
    (mlp) => fields.sync(mlp),
  );
  let previewed = null;
  const ready = new Promise((resolve) => (previewed = resolve));
  store.watch(
    (s) => [s.mlp, s.noise.seed, s.racers[0].optimizer],
    () => {
      if (run?.preview || !run) {
        run = null;
        preview().finally(previewed);
      }
    },
  );
  return { hook, ready };
}
