// SPDX-License-Identifier: MIT
// The "sharp vs flat minima" lab: the page's racers run many times from random starts in a Web
// Worker (worker.js); a table shows where they end, and the generalization gap on a test surface
// shifted from the training one. Two pictures show both surfaces (Keskar et al. 2017, Fig. 1)
// and where the runs ended; a strip plot shows the distribution of the gap per racer. Every
// sentence states what this run measured: nothing staged.

import { h } from './controls.js';
import { LAB_FIELDS, runConfig } from './state.js';
import { createWorkerJob } from './worker-job.js';
import { formatNumber, functionLabel, methodShort, t } from './i18n.js';
import {
  basinContours,
  crossSection,
  drawBasinMap,
  drawCrossSection,
  onSectionLine,
  TEST_COLOUR,
} from './render/basins.js';
import { drawGapStrips } from './render/gaps.js';
import { fitBox, viewMap } from './render/view.js';

const RUNS = LAB_FIELDS.runs;
/** The inputs, in the order of getInputs() (state.js LAB_FIELDS has the same keys). */
const INPUT_IDS = {
  runs: 'lab-runs',
  noise: 'lab-noise',
  offset: 'lab-offset',
  epsilon: 'lab-epsilon',
};
/** The sizes of the pictures when the page has not laid them out yet (CSS pixels). */
const PICTURE = { width: 360, height: 200 };

const percent = (count, runs) => (runs > 0 ? (100 * count) / runs : 0);
const formatPercent = (p) => `${p.toFixed(1)}%`;
const roundPercent = (p) => `${Math.round(p)}%`;

function median(sorted) {
  if (!sorted.length) return NaN;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Mean and median of the finite values of `values`. */
function stats(values) {
  const finite = Array.from(values).filter(Number.isFinite);
  finite.sort((a, b) => a - b);
  const mean = finite.length ? finite.reduce((s, v) => s + v, 0) / finite.length : NaN;
  return { mean, median: median(finite), n: finite.length };
}

/**
 * Metrics at each minimum and the basins' labels: on twin_basin, "sharp" is the minimum whose
 * Hessian has the larger top eigenvalue, "flat" the other; elsewhere "minimum k".
 */
export function describeBasins(m, fn, minima, offset, epsilon) {
  const basins = minima.map((p) => ({
    point: [p.x, p.y],
    metrics: m.endpointMetrics({
      function: fn,
      point: [p.x, p.y],
      test_offset: [offset, 0],
      epsilon,
    }),
    kind: null,
  }));
  if (fn.name === 'twin_basin' && basins.length === 2) {
    const top = (b) => b.metrics.hessian_eigenvalues[1];
    const sharp = top(basins[0]) >= top(basins[1]) ? 0 : 1;
    basins[sharp].kind = 'sharp';
    basins[1 - sharp].kind = 'flat';
  }
  return basins;
}

function basinLabel(lang, basin, k) {
  if (basin.kind === 'sharp') return t(lang, 'labSharp');
  if (basin.kind === 'flat') return t(lang, 'labFlat');
  return t(lang, 'labMinimumN', { n: k + 1 });
}

/**
 * The caption: what this run measured, from the numbers. Names the basin of interest (the sharp
 * one, else minimum 1), every racer's share in it, and which racer ended there most and least.
 */
export function labCaption(lang, run) {
  const { result, basins, labels } = run;
  if (!result.racers.length || !basins.length) return '';
  let k = basins.findIndex((b) => b.kind === 'sharp');
  if (k < 0) k = 0;
  const where =
    basins[k].kind === 'sharp' ? t(lang, 'labTheSharp') : basinLabel(lang, basins[k], k);
  const shares = result.racers.map((r) => percent(r.basinCounts[k], result.runs));
  const parts = shares.map((p, i) =>
    i === 0
      ? t(lang, 'labCaptionFirst', { racer: labels[i], p: roundPercent(p), where })
      : t(lang, 'labCaptionNext', { racer: labels[i], p: roundPercent(p) }),
  );
  const sentences = [
    t(lang, 'labCaption', { n: result.runs, where, list: parts.join(t(lang, 'labListSep')) }),
  ];
  if (shares.length >= 2) {
    const max = Math.max(...shares);
    const min = Math.min(...shares);
    // Every racer at the extreme is named: ties are stated, not broken by order.
    const named = (v) => labels.filter((_, i) => shares[i] === v).join(t(lang, 'labListSep'));
    if (max === min) {
      sentences.push(t(lang, 'labCaptionTie', { where }));
    } else {
      sentences.push(t(lang, 'labCaptionMost', { most: named(max), least: named(min), where }));
    }
  }
  return sentences.join(' ');
}

/**
 * Mounts the lab after the charts. `engine` is the wasm module (for metadata and
 * endpointMetrics; the ensemble itself runs in the worker), `getState()` the page's state,
 * `useSurface(name)` switches the surface through the page's state-change path.
 * `onChange()` is called after every edit of an input by the user (for the share link).
 * Returns { update(), getInputs(), setInputs(partial) }: call update() after every state change
 * (language, function, racers); getInputs() gives { runs, noise, offset, epsilon } as the
 * inputs hold them (NaN for an empty or unreadable one), setInputs(values) sets the inputs it
 * is given (numbers) without calling onChange.
 */
export function mountLab(engine, { getState, useSurface, after, onChange = () => {} }) {
  const methodsByName = new Map(engine.methods().map((d) => [d.name, d]));
  const functionsByName = new Map(engine.functions().map((d) => [d.name, d]));

  const text = (key) => h('span', { dataset: { lab: key } });
  const field = (id, key, props) =>
    h('label', { className: 'lab-field', htmlFor: id }, text(key), h('input', { id, ...props }));

  const title = h('h2', { id: 'lab-title' });
  const intro = h('p', { className: 'hint' });
  const useButton = h('button', { id: 'lab-use-surface', type: 'button', className: 'small' });
  const runsField = field('lab-runs', 'labRuns', {
    type: 'number',
    min: String(RUNS.min),
    max: String(RUNS.max),
    step: '1',
    value: String(RUNS.default),
    inputMode: 'numeric',
  });
  const noiseField = field('lab-noise', 'labNoise', {
    type: 'number',
    min: '0',
    step: 'any',
    value: '0',
    inputMode: 'decimal',
  });
  const offsetField = field('lab-offset', 'labOffset', {
    type: 'number',
    step: 'any',
    value: String(LAB_FIELDS.offset.default),
    inputMode: 'decimal',
  });
  const epsilonField = field('lab-epsilon', 'labEpsilon', {
    type: 'number',
    min: '0',
    max: '1',
    step: 'any',
    value: String(LAB_FIELDS.epsilon.default),
    inputMode: 'decimal',
  });
  const runButton = h('button', { id: 'lab-run', type: 'button', className: 'primary' });
  const cancelButton = h('button', { id: 'lab-cancel', type: 'button', disabled: true });
  const progress = h('progress', { id: 'lab-progress', max: 1, value: 0 });
  const status = h('p', {
    id: 'lab-status',
    className: 'lab-status',
    attrs: { 'aria-live': 'polite' },
  });
  const caption = h('p', { id: 'lab-caption', className: 'caption' });
  const results = h('table', { id: 'lab-results', className: 'lab-table' });
  const minimaTable = h('table', { id: 'lab-minima', className: 'lab-table' });
  const endpointsTable = h('table', { id: 'lab-endpoints', className: 'lab-table' });
  const sectionCanvas = h('canvas', { id: 'lab-section', className: 'lab-canvas' });
  const mapCanvas = h('canvas', { id: 'lab-map', className: 'lab-canvas' });
  const gapCanvas = h('canvas', { id: 'lab-gaps', className: 'lab-canvas lab-gaps' });
  const legendTrain = h('span', { className: 'lab-key lab-key-train' });
  const legendTest = h('span', { className: 'lab-key lab-key-test' });
  legendTest.style.setProperty('--test-colour', TEST_COLOUR);
  const picturesCaption = h('p', { id: 'lab-pictures-caption', className: 'caption' });
  const gapCaption = h('p', { id: 'lab-gap-caption', className: 'caption' });
  const gapFigure = h(
    'figure',
    { id: 'lab-gap-figure', className: 'lab-figure', hidden: true },
    h('h3', { dataset: { lab: 'labGapTitle' } }),
    gapCanvas,
    gapCaption,
  );
  const pictures = h(
    'div',
    { className: 'lab-figures' },
    h(
      'figure',
      { className: 'lab-figure' },
      h('h3', { dataset: { lab: 'labSectionTitle' } }),
      sectionCanvas,
    ),
    h(
      'figure',
      { className: 'lab-figure' },
      h('h3', { dataset: { lab: 'labMapTitle' } }),
      mapCanvas,
    ),
  );

  const section = h(
    'section',
    { id: 'lab', className: 'lab panel', attrs: { 'aria-labelledby': 'lab-title' } },
    h('div', { className: 'panel-head' }, title, useButton),
    intro,
    h('div', { className: 'lab-inputs' }, runsField, noiseField, offsetField, epsilonField),
    pictures,
    h('p', { className: 'lab-legend' }, legendTrain, legendTest),
    picturesCaption,
    h('div', { className: 'lab-scroll' }, endpointsTable),
    h('div', { className: 'lab-actions' }, runButton, cancelButton, progress),
    status,
    caption,
    h('div', { className: 'lab-scroll' }, results),
    gapFigure,
    h('div', { className: 'lab-scroll' }, minimaTable),
  );
  after.after(section);

  const input = (id) => section.querySelector(`#${id}`);
  const job = createWorkerJob();
  /** The last finished run: what the tables show (re-rendered on a language switch). */
  let last = null;
  /** What the status line says: a key and its values, so that it follows the language. */
  let statusMessage = null;
  const hook = {
    running: false,
    done: 0,
    total: 0,
    result: null,
    basins: null,
    ms: NaN,
    // What the pictures last drew: points of the cross-section, contour segments and endpoints
    // of the map, dots of the gap plot.
    pictures: { section: 0, segments: 0, endpoints: 0, gaps: 0 },
    // Each racer's endpoint in the race above and the measures there (measureEndpoints).
    endpoints: null,
  };
  window.__lab = hook;

  const lang = () => getState().lang;
  const fnInfo = () => engine.functionInfo(getState().fn);

  function setStatus(key, vars = {}) {
    statusMessage = key ? { key, vars } : null;
    status.textContent = key ? t(lang(), key, vars) : '';
  }

  /** Reads and checks the inputs: { runs, noise, offset, epsilon } or { error }. */
  function readInputs() {
    const runs = Number(input('lab-runs').value);
    const noise = Number(input('lab-noise').value);
    const offset = Number(input('lab-offset').value);
    const epsilon = Number(input('lab-epsilon').value);
    if (!(Number.isInteger(runs) && runs >= RUNS.min && runs <= RUNS.max)) {
      return { error: t(lang(), 'labBadRuns', { min: RUNS.min, max: RUNS.max }) };
    }
    if (!(Number.isFinite(noise) && noise >= 0)) return { error: t(lang(), 'labBadNoise') };
    if (!Number.isFinite(offset)) return { error: t(lang(), 'labBadOffset') };
    if (!(epsilon > 0 && epsilon <= 1)) return { error: t(lang(), 'labBadEpsilon') };
    return { runs, noise, offset, epsilon };
  }

  function setRunning(running) {
    hook.running = running;
    runButton.disabled = running || fnInfo().minima.length === 0;
    cancelButton.disabled = !running;
    section.setAttribute('aria-busy', String(running));
  }

  function run() {
    const inputs = readInputs();
    if (inputs.error) {
      statusMessage = null;
      status.textContent = inputs.error;
      return;
    }
    const state = getState();
    const info = fnInfo();
    if (!info.minima.length) return;
    const labels = state.racers.map((r) =>
      methodShort(lang(), methodsByName.get(r.optimizer.name)),
    );
    const config = {
      function: info.function,
      racers: state.racers.map((r) => ({ optimizer: r.optimizer, schedule: r.schedule })),
      steps: state.steps,
      runs: inputs.runs,
      seed: state.noise.seed,
      start: { box: info.domain },
      test_offset: [inputs.offset, 0],
      ...(inputs.noise > 0 ? { noise: { level: inputs.noise } } : {}),
    };
    let basins;
    try {
      basins = describeBasins(engine, info.function, info.minima, inputs.offset, inputs.epsilon);
    } catch (err) {
      statusMessage = null;
      status.textContent = err instanceof Error ? err.message : String(err);
      return;
    }
    const t0 = performance.now();
    progress.max = inputs.runs;
    progress.value = 0;
    hook.done = 0;
    hook.total = inputs.runs;
    setRunning(true);
    setStatus('labRunning', { done: 0, total: inputs.runs });
    job.start(
      { type: 'ensemble', config },
      {
        onProgress(msg) {
          progress.max = msg.total;
          progress.value = msg.done;
          hook.done = msg.done;
          hook.total = msg.total;
          setStatus('labRunning', { done: msg.done, total: msg.total });
        },
        onDone(result) {
          hook.ms = performance.now() - t0;
          runsFinished += 1;
          last = {
            result,
            basins,
            racers: state.racers.map((r) => ({ name: r.optimizer.name, color: r.color })),
            labels,
            fn: info.function,
            offset: inputs.offset,
            steps: state.steps,
            noise: inputs.noise,
          };
          hook.result = result;
          hook.basins = basins.map((b) => ({ kind: b.kind, point: b.point, metrics: b.metrics }));
          setRunning(false);
          setStatus('labDone', { s: (hook.ms / 1000).toFixed(2) });
          renderResults();
        },
        onError(message) {
          setRunning(false);
          statusMessage = null;
          status.textContent = message;
        },
        onCrash(message) {
          setRunning(false);
          statusMessage = null;
          status.textContent = t(lang(), 'labWorkerFailed', { message });
        },
      },
    );
  }

  function cancel() {
    if (!hook.running) return;
    job.cancel();
    setRunning(false);
    setStatus('labCancelled', { done: hook.done, total: hook.total });
  }

  runButton.addEventListener('click', run);
  for (const id of Object.values(INPUT_IDS)) {
    input(id).addEventListener('input', () => {
      if (id === 'lab-offset') requestPictures();
      if (id === 'lab-offset' || id === 'lab-epsilon') requestEndpoints();
      onChange();
    });
  }
  cancelButton.addEventListener('click', cancel);
  useButton.addEventListener('click', () => useSurface('twin_basin'));

  function cell(tag, content, props = {}) {
    return h(tag, props, content);
  }

  let renderedLang = null;
  function renderResults() {
    const l = lang();
    renderedLang = l;
    if (!last) {
      results.replaceChildren();
      minimaTable.replaceChildren();
      caption.textContent = '';
      return;
    }
    const { result, basins, racers } = last;
    const labels = racers.map((r) => methodShort(l, methodsByName.get(r.name)));
    const names = basins.map((b, k) => basinLabel(l, b, k));

    results.replaceChildren(
      h('caption', {}, t(l, 'labResultsCaption', { n: result.runs })),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          cell('th', t(l, 'labRacer'), { scope: 'col' }),
          names.map((n) => cell('th', n, { scope: 'col' })),
          cell('th', t(l, 'labElsewhere'), { scope: 'col' }),
          cell('th', t(l, 'labDiverged'), { scope: 'col' }),
          cell('th', t(l, 'labMeanGap'), { scope: 'col' }),
          cell('th', t(l, 'labMedianGap'), { scope: 'col' }),
        ),
      ),
      h(
        'tbody',
        {},
        result.racers.map((r, i) => {
          const gap = stats(r.gap);
          const swatch = h('span', { className: 'lab-swatch', attrs: { 'aria-hidden': 'true' } });
          swatch.style.background = racers[i].color;
          return h(
            'tr',
            { dataset: { racer: racers[i].name } },
            h('th', { scope: 'row' }, swatch, labels[i]),
            r.basinCounts.map((c, k) =>
              cell('td', formatPercent(percent(c, result.runs)), {
                className: 'num',
                dataset: { basin: basins[k].kind ?? String(k), count: String(c) },
              }),
            ),
            cell('td', formatPercent(percent(r.other, result.runs)), {
              className: 'num',
              dataset: { basin: 'elsewhere', count: String(r.other) },
            }),
            cell('td', formatPercent(percent(r.diverged, result.runs)), {
              className: 'num',
              dataset: { basin: 'diverged', count: String(r.diverged) },
            }),
            cell('td', formatNumber(gap.mean), { className: 'num' }),
            cell('td', formatNumber(gap.median), { className: 'num' }),
          );
        }),
      ),
    );

    minimaTable.replaceChildren(
      h(
        'caption',
        {},
        t(l, 'labMinimaCaption', {
          fn: functionLabel(l, functionsByName.get(last.fn.name)),
        }),
      ),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ['labMinimum', 'labTrainLoss', 'labTestLoss', 'labGap', 'labEigen', 'labSharpness'].map(
            (key) => cell('th', t(l, key), { scope: 'col' }),
          ),
        ),
      ),
      h(
        'tbody',
        {},
        basins.map((b, k) => {
          const mt = b.metrics;
          return h(
            'tr',
            { dataset: { basin: b.kind ?? String(k) } },
            h(
              'th',
              { scope: 'row' },
              `${names[k]} (${formatNumber(b.point[0])}, ${formatNumber(b.point[1])})`,
            ),
            cell('td', formatNumber(mt.train_loss), { className: 'num' }),
            cell('td', formatNumber(mt.test_loss), { className: 'num' }),
            cell('td', formatNumber(mt.gap), { className: 'num' }),
            cell('td', mt.hessian_eigenvalues.map((v) => formatNumber(v)).join(', '), {
              className: 'num',
            }),
            cell(
              'td',
              mt.epsilon_sharpness === null ? '–' : `${formatNumber(mt.epsilon_sharpness)}%`,
              {
                className: 'num',
                dataset: { value: String(mt.epsilon_sharpness) },
              },
            ),
          );
        }),
      ),
    );
    caption.textContent = labCaption(l, { result, basins, labels });
    renderGaps();
    requestPictures();
  }

  /** The distribution of the gap per racer, from the last run's per-run gaps. */
  function renderGaps() {
    gapFigure.hidden = !last;
    if (!last) return;
    const l = lang();
    const { result, racers } = last;
    const rows = result.racers.map((r, i) => ({
      label: methodShort(l, methodsByName.get(racers[i].name)),
      colour: racers[i].color,
      gaps: r.gap,
    }));
    hook.pictures.gaps = drawGapStrips(gapCanvas, rows, theme());
    gapCanvas.setAttribute('role', 'img');
    gapCanvas.setAttribute('aria-label', t(l, 'labGapTitle'));
    const diverged = result.racers.reduce((sum, r) => sum + r.diverged, 0);
    gapCaption.textContent = [
      t(l, 'labGapCaption', { n: result.runs, dx: formatNumber(last.offset) }),
      diverged ? t(l, 'labGapDiverged', { n: diverged }) : '',
    ]
      .filter(Boolean)
      .join(' ');
  }

  function theme() {
    const css = getComputedStyle(document.documentElement);
    return {
      text: css.getPropertyValue('--chart-text').trim() || '#666',
      grid: css.getPropertyValue('--chart-grid').trim() || 'rgba(128,128,128,0.2)',
      accent: css.getPropertyValue('--accent').trim() || '#3451d1',
    };
  }

  // --- the two pictures of train and test surface ------------------------------------------------

  let picturesKey = null;
  /** Finished ensembles: a new one redraws the map's endpoints. */
  let runsFinished = 0;
  let picturesFrame = 0;
  /** Redraws the pictures on the next frame (inputs fire faster than frames). */
  function requestPictures() {
    if (picturesFrame) return;
    picturesFrame = requestAnimationFrame(() => {
      picturesFrame = 0;
      drawPictures();
    });
  }

  /** Short names of the minima on the pictures. */
  function markLabel(l, basin, k) {
    if (basin.kind === 'sharp') return t(l, 'labMarkSharp');
    if (basin.kind === 'flat') return t(l, 'labMarkFlat');
    return t(l, 'labMarkN', { n: k + 1 });
  }

  /** Draws the cross-section and the map for the current surface and test offset. */
  function drawPictures() {
    const state = getState();
    if (!state) return;
    const l = lang();
    const offsetValue = Number(input('lab-offset').value);
    // While the offset is being typed and unreadable, the pictures keep the last one.
    if (input('lab-offset').value === '' || !Number.isFinite(offsetValue)) return;
    const info = fnInfo();
    const width = Math.round(mapCanvas.clientWidth || PICTURE.width);
    const height = Math.round(mapCanvas.clientHeight || PICTURE.height);
    const key = JSON.stringify([info.function, offsetValue, width, height, l, runsFinished]);
    if (key === picturesKey) return;
    picturesKey = key;
    const colours = theme();
    const fn = info.function;
    let basins;
    let section;
    let contours;
    try {
      basins = describeBasins(engine, fn, info.minima, offsetValue, 1e-3);
      section = crossSection(engine, fn, info, offsetValue);
      const box = fitBox(info.domain, width / height);
      contours = basinContours(
        engine,
        fn,
        box,
        offsetValue,
        fn.name === 'twin_basin' ? 'linear' : 'log',
      );
    } catch (err) {
      picturesCaption.textContent = err instanceof Error ? err.message : String(err);
      return;
    }
    const along = section.axis === 'x' ? 0 : 1;
    const marks = basins.map((b, k) => ({
      at: b.point[along],
      x: b.point[0],
      y: b.point[1],
      train: b.metrics.train_loss,
      test: b.metrics.test_loss,
      label: markLabel(l, b, k),
    }));
    // The cross-section marks the minima on its line; the map marks all of them.
    const onLine = marks.filter((mark) => onSectionLine(section, mark.x, mark.y));
    hook.pictures.section = drawCrossSection(sectionCanvas, section, onLine, colours);
    // Endpoints only of a run on this very surface.
    const sameSurface = last && JSON.stringify(last.fn) === JSON.stringify(fn);
    const points = sameSurface
      ? last.result.racers.map((r, i) => ({ endpoints: r.endpoints, colour: last.racers[i].color }))
      : [];
    const map = viewMap(contours.box, width, height);
    const drawn = drawBasinMap(mapCanvas, map, contours, offsetValue, marks, points, colours);
    hook.pictures.segments = drawn.segments;
    hook.pictures.endpoints = drawn.endpoints;
    sectionCanvas.setAttribute('role', 'img');
    sectionCanvas.setAttribute('aria-label', t(l, 'labSectionTitle'));
    mapCanvas.setAttribute('role', 'img');
    mapCanvas.setAttribute('aria-label', t(l, 'labMapTitle'));
    const gaps = basins
      .map((b, k) =>
        t(l, 'labPicturesGap', { where: markLabel(l, b, k), gap: formatNumber(b.metrics.gap) }),
      )
      .join(t(l, 'labListSep'));
    picturesCaption.textContent = [
      t(l, 'labPicturesCaption', {
        line: t(l, `labLine_${section.line.through}`),
        dx: formatNumber(offsetValue),
        axis: section.axis,
      }),
      gaps ? t(l, 'labPicturesGaps', { list: gaps }) : '',
      sameSurface ? t(l, 'labPicturesEndpoints', { n: last.result.runs }) : '',
    ]
      .filter(Boolean)
      .join(' ');
  }
  new ResizeObserver(() => {
    picturesKey = null;
    requestPictures();
    if (last) renderGaps();
  }).observe(mapCanvas);

  /** The inputs as they are: numbers, NaN where one is empty or unreadable. */
  function getInputs() {
    const read = (id) => {
      const text = input(id).value.trim();
      return text === '' ? NaN : Number(text);
    };
    return Object.fromEntries(Object.entries(INPUT_IDS).map(([key, id]) => [key, read(id)]));
  }

  /** Sets the inputs named in `values` (numbers); onChange is not called. */
  function setInputs(values) {
    for (const [key, id] of Object.entries(INPUT_IDS)) {
      if (values && Object.prototype.hasOwnProperty.call(values, key)) {
        input(id).value = String(values[key]);
      }
    }
    requestPictures();
  }

  // --- the race's endpoints ----------------------------------------------------------------------

  /**
   * Where each racer of the race above ended, measured there: train and test loss, gap, Hessian
   * eigenvalues and epsilon-sharpness (m.endpointMetrics), and the nearest known minimum. The
   * racers run again here recording only their paths (the same numbers as the race).
   */
  function measureEndpoints() {
    const state = getState();
    const inputs = readInputs();
    if (inputs.error) return null;
    const minima = fnInfo().minima;
    const basins = describeBasins(engine, state.fn, minima, inputs.offset, inputs.epsilon);
    const rows = state.racers.map((racer) => {
      const row = { name: racer.optimizer.name, color: racer.color, metrics: null, error: null };
      try {
        const r = engine.run({ ...runConfig(state, racer), record: 'path' });
        if (r.diverged) return { ...row, divergedAt: r.divergedAt };
        const point = [r.trajectory[2 * r.steps], r.trajectory[2 * r.steps + 1]];
        const metrics = engine.endpointMetrics({
          function: state.fn,
          point,
          test_offset: [inputs.offset, 0],
          epsilon: inputs.epsilon,
        });
        let nearest = -1;
        let best = Infinity;
        basins.forEach((b, k) => {
          const d = Math.hypot(point[0] - b.point[0], point[1] - b.point[1]);
          if (d < best) [best, nearest] = [d, k];
        });
        return { ...row, point, metrics, nearest, distance: best, steps: r.steps };
      } catch (err) {
        return { ...row, error: err instanceof Error ? err.message : String(err) };
      }
    });
    return { rows, basins, steps: state.steps, offset: inputs.offset, epsilon: inputs.epsilon };
  }

  let endpoints = null;
  let endpointsTimer = 0;
  /** Measures the endpoints a moment after the last change (dragging fires many). */
  function requestEndpoints() {
    clearTimeout(endpointsTimer);
    endpointsTimer = setTimeout(() => {
      endpoints = measureEndpoints();
      hook.endpoints = endpoints;
      renderEndpoints();
    }, 150);
  }

  function renderEndpoints() {
    const l = lang();
    if (!endpoints) {
      endpointsTable.replaceChildren();
      return;
    }
    const { rows, basins } = endpoints;
    const names = basins.map((b, k) => basinLabel(l, b, k));
    const num = (v) => cell('td', formatNumber(v), { className: 'num' });
    endpointsTable.replaceChildren(
      h(
        'caption',
        {},
        t(l, 'labEndpointsCaption', {
          steps: endpoints.steps,
          dx: formatNumber(endpoints.offset),
          eps: formatNumber(endpoints.epsilon),
        }),
      ),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          [
            'labRacer',
            'labEndpoint',
            'labNearest',
            'labTrainLoss',
            'labTestLoss',
            'labGap',
            'labEigen',
            'labSharpness',
          ].map((key) => cell('th', t(l, key), { scope: 'col' })),
        ),
      ),
      h(
        'tbody',
        {},
        rows.map((r) => {
          const swatch = h('span', { className: 'lab-swatch', attrs: { 'aria-hidden': 'true' } });
          swatch.style.background = r.color;
          const head = h('th', { scope: 'row' }, swatch, methodShort(l, methodsByName.get(r.name)));
          if (!r.metrics) {
            const text = r.error ?? t(l, 'labEndpointDiverged', { step: r.divergedAt });
            return h('tr', { dataset: { racer: r.name } }, head, cell('td', text, { colSpan: 7 }));
          }
          const mt = r.metrics;
          return h(
            'tr',
            { dataset: { racer: r.name } },
            head,
            cell('td', `(${formatNumber(r.point[0])}, ${formatNumber(r.point[1])})`, {
              className: 'num',
            }),
            cell(
              'td',
              r.nearest < 0
                ? '–'
                : t(l, 'labNearestAt', {
                    name: names[r.nearest],
                    d: formatNumber(r.distance),
                  }),
            ),
            num(mt.train_loss),
            num(mt.test_loss),
            num(mt.gap),
            cell('td', mt.hessian_eigenvalues.map((v) => formatNumber(v)).join(', '), {
              className: 'num',
            }),
            cell(
              'td',
              mt.epsilon_sharpness === null ? '–' : `${formatNumber(mt.epsilon_sharpness)}%`,
              { className: 'num' },
            ),
          );
        }),
      ),
    );
  }

  /** Texts, the surface button and the run button's state, from the page's current state. */
  function update() {
    if (!getState()) return;
    const l = lang();
    for (const el of section.querySelectorAll('[data-lab]')) el.textContent = t(l, el.dataset.lab);
    title.textContent = t(l, 'labTitle');
    intro.textContent = t(l, 'labIntro');
    useButton.textContent = t(l, 'labUseSurface');
    useButton.hidden = getState().fn.name === 'twin_basin';
    runButton.textContent = t(l, 'labRun');
    cancelButton.textContent = t(l, 'labCancel');
    progress.setAttribute('aria-label', t(l, 'labProgress'));
    const usable = fnInfo().minima.length > 0;
    runButton.disabled = hook.running || !usable;
    runButton.title = usable ? '' : t(l, 'labNeedMinima');
    if (!usable && !hook.running) setStatus('labNeedMinima');
    else if (statusMessage?.key === 'labNeedMinima') setStatus(null);
    else if (statusMessage) setStatus(statusMessage.key, statusMessage.vars);
    if (l !== renderedLang) renderResults();
    legendTrain.textContent = t(l, 'labLegendTrain');
    legendTest.textContent = t(l, 'labLegendTest');
    requestPictures();
    requestEndpoints();
  }

  update();
  return { update, getInputs, setInputs };
}
