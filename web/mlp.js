// SPDX-License-Identifier: MIT
// The "tiny neural network" section: every racer of the page trains the same small MLP (same
// data, same initialization, same shuffling) in a Web Worker (worker.js, m.Trainer); live loss
// curves, the decision boundary of one racer, and a table with the final losses, accuracies,
// generalization gap and top Hessian eigenvalue. Captions state what this run measured.

import uPlot from './vendor/uPlot.esm.js';
import { h } from './controls.js';
import { createWorkerJob } from './worker-job.js';
import { formatNumber, methodShort, t } from './i18n.js';

export const DATASETS = ['two_moons', 'two_spirals', 'circles', 'xor', 'blobs'];
const STEPS = { min: 1, max: 5000, initial: 300 };
/** Points of the dataset (the core splits them into train and test). */
const POINTS = 200;
/** Steps per Trainer.run call in the worker: a progress message after each round. */
const CHUNK = 25;
/** The decision boundary's grid. */
const GRID = 80;
/** Class 0 and class 1: soft colours for the probability map, strong ones for the points. */
const SOFT = [
  [158, 202, 225],
  [253, 190, 133],
];
const STRONG = ['#2b6cb0', '#c05621'];

/** A full evaluation every this many steps: the largest of 5..1 that divides `steps`. */
export function evalEvery(steps) {
  return [5, 4, 3, 2, 1].find((d) => steps % d === 0);
}

/** "16, 16" -> [16, 16]; "" -> [] (no hidden layer). The core validates the widths. */
export function parseHidden(text) {
  const trimmed = text.trim();
  if (!trimmed) return [];
  return trimmed.split(',').map((s) => (s.trim() === '' ? NaN : Number(s.trim())));
}

/** Indices of the entries equal to the extreme (max if `largest`) of the finite values. */
function extremes(values, largest) {
  const finite = values.filter(Number.isFinite);
  if (!finite.length) return [];
  const v = largest ? Math.max(...finite) : Math.min(...finite);
  return values.map((x, i) => (x === v ? i : -1)).filter((i) => i >= 0);
}

/** The caption: which racer had the smallest gap and which the largest top eigenvalue. */
export function mlpCaption(lang, result, labels) {
  if (!result?.racers.length) return '';
  const sep = t(lang, 'labListSep');
  const gaps = result.racers.map((r) => r.gap);
  const eig = result.racers.map((r) => r.eigenvalue);
  const g = extremes(gaps, false);
  const e = extremes(eig, true);
  const sentences = [t(lang, 'mlpCaptionRun', { n: result.racers.length, steps: result.steps })];
  if (g.length) {
    sentences.push(
      t(lang, 'mlpCaptionGap', {
        racer: g.map((i) => labels[i]).join(sep),
        gap: formatNumber(gaps[g[0]]),
      }),
    );
  }
  if (e.length) {
    sentences.push(
      t(lang, 'mlpCaptionEigen', {
        racer: e.map((i) => labels[i]).join(sep),
        value: formatNumber(eig[e[0]]),
      }),
    );
  }
  if (g.length && e.length && result.racers.length > 1) {
    const same = g.some((i) => e.includes(i));
    sentences.push(t(lang, same ? 'mlpCaptionSame' : 'mlpCaptionDiffer'));
  }
  return sentences.join(' ');
}

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
 * Mounts the section after `after`. `engine` gives the methods' labels; `getState()` the page's
 * state (racers, selected racer, seed, language). Returns { update() }: call it after every
 * state change.
 */
export function mountMlp(engine, { getState, after }) {
  const methodsByName = new Map(engine.methods().map((d) => [d.name, d]));
  const text = (key) => h('span', { dataset: { mlp: key } });
  const field = (id, key, control) =>
    h('label', { className: 'lab-field', htmlFor: id }, text(key), control);

  const title = h('h2', { id: 'mlp-title' });
  const intro = h('p', { className: 'hint' });
  const dataset = h(
    'select',
    { id: 'mlp-dataset' },
    DATASETS.map((d) => h('option', { value: d, dataset: { mlpDataset: d } })),
  );
  const hidden = h('input', { id: 'mlp-hidden', type: 'text', value: '16,16', spellcheck: false });
  const activation = h(
    'select',
    { id: 'mlp-activation' },
    ['tanh', 'relu'].map((a) => h('option', { value: a }, a)),
  );
  const batch = h('input', {
    id: 'mlp-batch',
    type: 'number',
    min: '0',
    step: '1',
    value: '0',
    inputMode: 'numeric',
  });
  const steps = h('input', {
    id: 'mlp-steps',
    type: 'number',
    min: String(STEPS.min),
    max: String(STEPS.max),
    step: '1',
    value: String(STEPS.initial),
    inputMode: 'numeric',
  });
  const trainButton = h('button', { id: 'mlp-train', type: 'button', className: 'primary' });
  const cancelButton = h('button', { id: 'mlp-cancel', type: 'button', disabled: true });
  const progress = h('progress', { id: 'mlp-progress', max: 1, value: 0 });
  const status = h('p', {
    id: 'mlp-status',
    className: 'lab-status',
    attrs: { 'aria-live': 'polite' },
  });
  const chartEl = h('div', { id: 'mlp-chart', className: 'mlp-chart' });
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

  const section = h(
    'section',
    { id: 'mlp', className: 'lab mlp panel', attrs: { 'aria-labelledby': 'mlp-title' } },
    h('div', { className: 'panel-head' }, title),
    intro,
    h(
      'div',
      { className: 'lab-inputs' },
      field('mlp-dataset', 'mlpDataset', dataset),
      field('mlp-hidden', 'mlpHidden', hidden),
      field('mlp-activation', 'mlpActivation', activation),
      field('mlp-batch', 'mlpBatch', batch),
      field('mlp-steps', 'mlpSteps', steps),
    ),
    h('div', { className: 'lab-actions' }, trainButton, cancelButton, progress),
    status,
    h(
      'div',
      { className: 'mlp-figures' },
      h('div', { className: 'mlp-figure' }, h('h3', { dataset: { mlp: 'mlpLossChart' } }), chartEl),
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
  );
  after.after(section);

  const job = createWorkerJob();
  let statusMessage = null;
  /** The run on screen: racers (name, colour), curves, data, boundaries, result when done. */
  let run = null;
  let plot = null;
  let plotKey = '';
  const hook = { running: false, done: 0, total: 0, result: null, ms: NaN };
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
    section.setAttribute('aria-busy', String(running));
  }

  /** Reads the inputs: { dataset, hidden, activation, batch, steps } or { error }. */
  function readInputs() {
    const n = Number(steps.value);
    const b = Number(batch.value);
    if (!(Number.isInteger(n) && n >= STEPS.min && n <= STEPS.max)) {
      return { error: t(lang(), 'mlpBadSteps', { min: STEPS.min, max: STEPS.max }) };
    }
    if (!(Number.isInteger(b) && b >= 0)) return { error: t(lang(), 'mlpBadBatch') };
    return {
      dataset: dataset.value,
      hidden: parseHidden(hidden.value),
      activation: activation.value,
      batch: b,
      steps: n,
    };
  }

  // --- the loss chart ---------------------------------------------------------------------------

  function chartData() {
    const xs = new Set();
    for (const c of run.curves) for (const s of c.evalSteps) xs.add(s);
    const x = [...xs].sort((a, b) => a - b);
    const at = new Map(x.map((s, i) => [s, i]));
    const values = [];
    for (const c of run.curves) {
      for (const key of ['trainLoss', 'testLoss']) {
        const ys = new Array(x.length).fill(null);
        c.evalSteps.forEach((s, i) => {
          const v = c[key][i];
          ys[at.get(s)] = Number.isFinite(v) && v > 0 ? v : null;
        });
        values.push(ys);
      }
    }
    return [x, ...values];
  }

  function drawChart() {
    if (!run) {
      plot?.destroy();
      plot = null;
      plotKey = '';
      return;
    }
    const l = lang();
    const series = run.racers.flatMap((r) => [
      { label: t(l, 'mlpTrainOf', { racer: labelOf(r.name) }), stroke: r.color },
      { label: t(l, 'mlpTestOf', { racer: labelOf(r.name) }), stroke: r.color, dash: [6, 4] },
    ]);
    const data = chartData();
    const key = JSON.stringify([series, l]);
    if (plot && key === plotKey) {
      plot.setData(data);
      return;
    }
    plot?.destroy();
    plotKey = key;
    const styles = getComputedStyle(section);
    const axis = {
      stroke: styles.color,
      grid: { stroke: 'rgba(128, 128, 128, 0.2)', width: 1 },
      ticks: { stroke: 'rgba(128, 128, 128, 0.2)', width: 1 },
      font: '11px system-ui, sans-serif',
    };
    const width = Math.max(240, Math.floor(chartEl.clientWidth || 480));
    plot = new uPlot(
      {
        width,
        height: 240,
        legend: { show: true, live: true },
        cursor: { y: false, drag: { x: false, y: false }, points: { size: 5 } },
        scales: { x: { time: false }, y: { distr: 3, log: 10 } },
        axes: [
          { ...axis, size: 28 },
          {
            ...axis,
            size: 56,
            values: (u, splits) => splits.map((v) => (v === null ? '' : formatNumber(v, 2))),
          },
        ],
        series: [
          { label: t(l, 'axisStep'), value: (u, v) => (v === null ? '–' : String(v)) },
          ...series.map((s) => ({
            ...s,
            width: 1.5,
            spanGaps: true,
            points: { show: false },
            value: (u, v) => (v === null || v === undefined ? '–' : formatNumber(v)),
          })),
        ],
      },
      data,
      chartEl,
    );
  }

  // --- the decision boundary --------------------------------------------------------------------

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
    boundaryNote.textContent = run ? t(l, 'mlpBoundaryNote') : '';
    drawBoundary(canvas, run && grid ? { ...run.view, grid } : null);
  }

  function fillViewSelect() {
    const l = lang();
    const racers = run?.racers ?? [];
    const chosen = viewSelect.value;
    viewSelect.replaceChildren(
      ...racers.map((r, i) => h('option', { value: String(i) }, `${i + 1}. ${labelOf(r.name)}`)),
    );
    if (chosen && Number(chosen) < racers.length) viewSelect.value = chosen;
    viewSelect.disabled = !racers.length;
    viewSelect.setAttribute('aria-label', t(l, 'mlpShow'));
  }

  // --- the run ----------------------------------------------------------------------------------

  function train() {
    const inputs = readInputs();
    if (inputs.error) {
      setError(inputs.error);
      return;
    }
    const state = getState();
    const seed = state.noise?.seed ?? 1;
    const configs = state.racers.map((r) => ({
      dataset: { name: inputs.dataset, n: POINTS, seed },
      network: { hidden: inputs.hidden, activation: inputs.activation, seed },
      optimizer: r.optimizer,
      schedule: r.schedule,
      batch_size: inputs.batch,
      seed,
      eval_every: evalEvery(inputs.steps),
    }));
    const index = Math.min(Math.max(0, state.selected ?? 0), configs.length - 1);
    const t0 = performance.now();
    run = {
      racers: state.racers.map((r) => ({ name: r.optimizer.name, color: r.color })),
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
      steps: inputs.steps,
    };
    hook.result = null;
    results.replaceChildren();
    caption.textContent = '';
    fillViewSelect();
    viewSelect.value = String(index);
    drawChart();
    drawView();
    const current = run;

    progress.max = inputs.steps;
    progress.value = 0;
    hook.done = 0;
    hook.total = inputs.steps;
    setRunning(true);
    setStatus('mlpRunning', { done: 0, total: inputs.steps });
    job.start(
      {
        type: 'train',
        configs,
        steps: inputs.steps,
        chunk: CHUNK,
        boundary: { index, width: GRID, height: GRID },
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
          setStatus('mlpRunning', { done: msg.done, total: msg.total });
          drawChart();
          drawView();
        },
        onDone(result) {
          hook.ms = performance.now() - t0;
          current.result = result;
          hook.result = result;
          setRunning(false);
          setStatus('mlpDone', { s: (hook.ms / 1000).toFixed(2) });
          renderResults();
          drawView();
        },
        onError(message) {
          setRunning(false);
          setError(message);
        },
        onCrash(message) {
          setRunning(false);
          setError(t(lang(), 'labWorkerFailed', { message }));
        },
      },
    );
  }

  function cancel() {
    if (!hook.running) return;
    job.cancel();
    setRunning(false);
    setStatus('mlpCancelled', { done: hook.done, total: hook.total });
  }

  trainButton.addEventListener('click', train);
  cancelButton.addEventListener('click', cancel);
  viewSelect.addEventListener('change', drawView);
  addEventListener('resize', () => {
    if (!plot) return;
    const width = Math.max(240, Math.floor(chartEl.clientWidth || 480));
    if (width !== plot.width) plot.setSize({ width, height: 240 });
  });

  // --- the table --------------------------------------------------------------------------------

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
    results.replaceChildren(
      h('caption', {}, t(l, 'mlpResultsCaption', { steps: result.steps, target: result.target })),
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
            'mlpStepsTo',
          ].map((key) =>
            h('th', { scope: 'col' }, t(l, key, { target: formatNumber(result.target) })),
          ),
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

  /** Texts from the page's current state (language). */
  function update() {
    if (!getState()) return;
    const l = lang();
    for (const el of section.querySelectorAll('[data-mlp]')) el.textContent = t(l, el.dataset.mlp);
    for (const el of dataset.options) el.textContent = t(l, `mlpData_${el.value}`);
    title.textContent = t(l, 'mlpTitle');
    intro.textContent = t(l, 'mlpIntro');
    hidden.title = t(l, 'mlpHiddenHint');
    batch.title = t(l, 'mlpBatchHint');
    trainButton.textContent = t(l, 'mlpTrain');
    cancelButton.textContent = t(l, 'labCancel');
    progress.setAttribute('aria-label', t(l, 'mlpProgress'));
    if (statusMessage) setStatus(statusMessage.key, statusMessage.vars);
    if (l !== renderedLang) {
      renderResults();
      fillViewSelect();
      drawChart();
      drawView();
    }
  }

  update();
  return { update };
}
