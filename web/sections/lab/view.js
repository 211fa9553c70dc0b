// SPDX-License-Identifier: MIT
// The "sharp vs flat minima" lab: the race's racers on a surface with several minima (the
// race's own when it has them, else the twin basin), shown at once: the train and test surface
// (Keskar et al. 2017, Fig. 1) as a cross-section and a contour map, each minimum's measures,
// and each racer's endpoint measured there. "Run ensemble" runs every racer many times from
// random starts in the Worker pool; a table shows where the runs end, a strip plot the gap of
// every run that ended in a minimum. Every sentence states what this run measured.

import * as actions from '../../app/actions.js';
import { CancelledError, errorText } from '../../engine.js';
import { LATER } from '../../app/frame.js';
import { createRuns } from '../../app/runs.js';
import { LAB_FIELDS } from '../../app/schema.js';
import { racerLabels } from '../../app/labels.js';
import { formatNumber, functionLabel, t } from '../../i18n.js';
import {
  basinContours,
  crossSection,
  drawBasinMap,
  drawCrossSection,
  onSectionLine,
  TEST_COLOUR,
} from '../../render/basins.js';
import { drawGapStrips } from '../../render/gaps.js';
import { fitBox, viewMap } from '../../render/view.js';
import { chartTheme, download, h } from '../../ui/dom.js';
import { labCsv } from '../export/model.js';
import { schemaFields } from '../../ui/form.js';
import {
  BASIN_RADIUS,
  basinGaps,
  basinLabel,
  basinOfInterest,
  chunks,
  describeBasins,
  joinEnsemble,
  labCaption,
  labSurface,
  LAB_FUNCTION,
  markLabel,
  nearestBasin,
  spreadCaption,
  spreadSettings,
  spreadSummary,
} from './model.js';

/** Time per frame for measuring the racers' endpoints (ms): the rest waits for the next. */
const ENDPOINTS_BUDGET_MS = 8;
/** The sizes of the pictures when the page has not laid them out yet (CSS pixels). */
const PICTURE = { width: 360, height: 200 };

const percent = (count, runs) => (runs > 0 ? (100 * count) / runs : 0);
const formatPercent = (p) => `${p.toFixed(1)}%`;
const cell = (tag, content, props = {}) => h(tag, props, content);

/** Mounts the lab in #lab. */
export function mountLab(app) {
  const { m, M, store, frame, pool } = app;
  const lang = () => store.get().lang;
  const section = document.getElementById('lab');

  // --- the markup ---------------------------------------------------------------------------
  const title = h('h2', { id: 'lab-title' });
  const intro = h('p', { className: 'hint' });
  const surfaceNote = h('p', { id: 'lab-surface', className: 'hint' });
  const useButton = h('button', { id: 'lab-use-surface', type: 'button', className: 'small' });
  const fields = schemaFields(LAB_FIELDS, {
    prefix: 'lab',
    group: 'lab',
    choiceLabel: (l, key, c) => c,
    onText: (key, value) => {
      const errors = store.update((s) => actions.setLabInput(s, key, value));
      return app.alerts.input(errors[0]?.message ?? null);
    },
  });
  // The inputs take no edits on a locked page (embed lock=1).
  fields.element.dataset.editable = '';
  fields.element.inert = app.locked?.() ?? false;
  const runButton = h('button', { id: 'lab-run', type: 'button', className: 'primary' });
  const spreadButton = h('button', { id: 'lab-spread-run', type: 'button' });
  const cancelButton = h('button', { id: 'lab-cancel', type: 'button', disabled: true });
  const csvButton = h('button', { id: 'lab-csv', type: 'button', disabled: true });
  const progress = h('progress', { id: 'lab-progress', max: 1, value: 0 });
  const status = h('p', {
    id: 'lab-status',
    className: 'lab-status',
    attrs: { 'aria-live': 'polite' },
  });
  const caption = h('p', { id: 'lab-caption', className: 'caption' });
  const results = h('table', { id: 'lab-results', className: 'lab-table' });
  const elsewhereNote = h('p', { id: 'lab-elsewhere', className: 'hint' });
  const minimaTable = h('table', { id: 'lab-minima', className: 'lab-table' });
  const spreadCaptionEl = h('p', { id: 'lab-spread-caption', className: 'caption' });
  const spreadTable = h('table', { id: 'lab-spread', className: 'lab-table', hidden: true });
  const endpointsTable = h('table', { id: 'lab-endpoints', className: 'lab-table' });
  const sectionCanvas = h('canvas', {
    id: 'lab-section',
    className: 'lab-canvas',
    attrs: { role: 'img' },
  });
  const mapCanvas = h('canvas', { id: 'lab-map', className: 'lab-canvas', attrs: { role: 'img' } });
  const gapCanvas = h('canvas', {
    id: 'lab-gaps',
    className: 'lab-canvas lab-gaps',
    attrs: { role: 'img' },
  });
  const legendTrain = h('span', { className: 'lab-key lab-key-train' });
  const legendTest = h('span', { className: 'lab-key lab-key-test' });
  legendTest.style.setProperty('--test-colour', TEST_COLOUR);
  const picturesCaption = h('p', { id: 'lab-pictures-caption', className: 'caption' });
  const gapCaption = h('p', { id: 'lab-gap-caption', className: 'caption' });
  const text = (key, tag = 'span') => h(tag, { dataset: { lab: key } });
  const gapFigure = h(
    'figure',
    { id: 'lab-gap-figure', className: 'lab-figure', hidden: true },
    text('labGapTitle', 'h3'),
    gapCanvas,
    gapCaption,
  );
  section.replaceChildren(
    h('div', { className: 'panel-head' }, title, useButton),
    intro,
    surfaceNote,
    fields.element,
    h(
      'div',
      { className: 'lab-figures' },
      h('figure', { className: 'lab-figure' }, text('labSectionTitle', 'h3'), sectionCanvas),
      h('figure', { className: 'lab-figure' }, text('labMapTitle', 'h3'), mapCanvas),
    ),
    h('p', { className: 'lab-legend' }, legendTrain, legendTest),
    picturesCaption,
    h('div', { className: 'lab-scroll' }, endpointsTable),
    h(
      'div',
      { className: 'lab-actions' },
      runButton,
      spreadButton,
      cancelButton,
      csvButton,
      progress,
    ),
    status,
    caption,
    h('div', { className: 'lab-scroll' }, results),
    elsewhereNote,
    gapFigure,
    h('div', { className: 'lab-scroll' }, minimaTable),
    spreadCaptionEl,
    h('div', { className: 'lab-scroll' }, spreadTable),
  );

  /** The last finished ensemble: what the tables show. */
  let last = null;
  /** The last finished run over settings: { settings, results, racers, basins, runs }. */
  let spread = null;
  /** Sets the status line when the running job is cancelled. */
  let onCancel = () => {};
  /** The racers' endpoints being measured (endpointsJob), or null. */
  let measuring = null;
  /** The status line as a key and its values, so that it follows the language. */
  let statusMessage = null;
  let tasks = [];
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
    // Each racer's endpoint on the lab's surface and the measures there.
    endpoints: null,
    surface: null,
    // The last run over settings: its settings, basin counts per racer and summary.
    spread: null,
  };
  window.__lab = hook;

  const surface = () => labSurface(m, store.get());
  const labelsOf = (racers, l) => racerLabels(l, racers, M.methods);

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
    runButton.disabled = running;
    spreadButton.disabled = running;
    cancelButton.disabled = !running;
    csvButton.disabled = running || !last;
    section.setAttribute('aria-busy', String(running));
  }

  // --- the ensemble ---------------------------------------------------------------------------
  /** The minima of the lab's surface with their measures, or null with the error shown. */
  function measureBasins(lab, fn, info) {
    try {
      return describeBasins(m, fn, info.minima, lab.offset, lab.epsilon);
    } catch (err) {
      setError(errorText(err));
      return null;
    }
  }

  function run() {
    const state = store.get();
    const { fn, info } = surface();
    const lab = state.lab;
    const basins = measureBasins(lab, fn, info);
    if (!basins) return;
    const config = ensembleConfig(state, fn, info, {
      noise: lab.noise,
      steps: state.steps,
      seed: state.noise.seed,
    });
    const t0 = performance.now();
    const parts = chunks(lab.runs);
    let done = 0;
    hook.done = 0;
    hook.total = lab.runs;
    const advance = startProgress(lab.runs, 'labRunning', 'labCancelled');
    tasks = parts.map(([from, count]) => pool.task({ type: 'ensemble', config, from, count }));
    const mine = tasks;
    for (const task of mine) {
      task.promise.then(
        (part) => {
          done += part.racers[0].basin.length;
          hook.done = done;
          advance(done);
        },
        () => {},
      );
    }
    Promise.all(mine.map((task) => task.promise)).then((results) => {
      if (tasks !== mine) return;
      tasks = [];
      const result = joinEnsemble(results, lab.runs);
      hook.ms = performance.now() - t0;
      last = {
        result,
        basins,
        racers: state.racers.map((r) => ({ ...r, name: r.optimizer.name })),
        fn,
        offset: lab.offset,
      };
      hook.result = result;
      hook.basins = basins.map((b) => ({ kind: b.kind, point: b.point, metrics: b.metrics }));
      setRunning(false);
      setStatus('labDone', { s: (hook.ms / 1000).toFixed(2) });
      renderResults();
      requestPictures();
    }, failed(mine));
  }

  /**
   * Shows a job of `total` parts as started: the progress bar, the status `runningKey`, and
   * `cancelledKey` if it is cancelled. Returns advance(done), which shows `done` parts done.
   */
  function startProgress(total, runningKey, cancelledKey) {
    let done = 0;
    progress.max = total;
    progress.value = 0;
    setRunning(true);
    setStatus(runningKey, { done, total });
    onCancel = () => setStatus(cancelledKey, { done, total });
    return (now) => {
      done = now;
      progress.value = now;
      setStatus(runningKey, { done, total });
    };
  }

  /** The handler of a job's failure: its other tasks are cancelled and the error shown. */
  const failed = (mine) => (err) => {
    if (tasks !== mine || err instanceof CancelledError) return;
    for (const task of mine) task.cancel();
    tasks = [];
    setRunning(false);
    setError(
      err?.name === 'WorkerError'
        ? t(lang(), 'labWorkerFailed', { message: err.message })
        : errorText(err),
    );
  };

  /** The ensemble config of the state's racers on the lab's surface for one setting. */
  function ensembleConfig(state, fn, info, { noise, steps, seed }) {
    return {
      function: fn,
      racers: state.racers.map((r) => ({ optimizer: r.optimizer, schedule: r.schedule })),
      steps,
      seed,
      start: { box: info.domain },
      test_offset: [state.lab.offset, 0],
      ...(noise > 0 ? { noise: { level: noise } } : {}),
    };
  }

  // --- the ensemble over settings (SPREAD) ----------------------------------------------------
  function runSpread() {
    const state = store.get();
    const { fn, info } = surface();
    const lab = state.lab;
    const basins = measureBasins(lab, fn, info);
    if (!basins) return;
    const settings = spreadSettings(state.noise.seed, lab.runs);
    const parts = chunks(lab.runs);
    const t0 = performance.now();
    let done = 0;
    const advance = startProgress(settings.length, 'labSpreadRunning', 'labSpreadCancelled');
    const groups = settings.map((setting) => {
      const config = ensembleConfig(state, fn, info, setting);
      return parts.map(([from, count]) => pool.task({ type: 'ensemble', config, from, count }));
    });
    tasks = groups.flat();
    const mine = tasks;
    const joined = groups.map((group) =>
      Promise.all(group.map((task) => task.promise)).then((results) => {
        if (tasks === mine) advance(++done);
        return joinEnsemble(results, lab.runs);
      }),
    );
    Promise.all(joined).then((results) => {
      if (tasks !== mine) return;
      tasks = [];
      spread = {
        settings,
        results,
        racers: state.racers.map((r) => ({ ...r, name: r.optimizer.name })),
        basins,
        runs: lab.runs,
      };
      hook.spread = {
        settings,
        counts: results.map((res) =>
          res.racers.map((r) => ({ basinCounts: [...r.basinCounts], other: r.other })),
        ),
        summary: spreadSummary(results, basinOfInterest(basins)),
      };
      setRunning(false);
      setStatus('labSpreadDone', { s: ((performance.now() - t0) / 1000).toFixed(2) });
      renderSpread();
    }, failed(mine));
  }

  function cancel() {
    if (!hook.running) return;
    const mine = tasks;
    tasks = [];
    for (const task of mine) task.cancel();
    setRunning(false);
    onCancel();
  }
  runButton.addEventListener('click', run);
  spreadButton.addEventListener('click', runSpread);
  // The last ensemble's runs, one row per racer and run (export/model.js labCsv).
  csvButton.addEventListener('click', () => {
    if (!last) return;
    // Names for a table, the same in every language: sharp, flat, or minimum_1, minimum_2, ...
    const names = last.basins.map((b, k) =>
      b.kind === 'sharp' || b.kind === 'flat' ? b.kind : `minimum_${k + 1}`,
    );
    const text = labCsv(
      last.result,
      last.racers.map((r) => r.name),
      names,
    );
    download(`lab-${last.fn.name}.csv`, text, 'text/csv');
  });
  cancelButton.addEventListener('click', cancel);
  useButton.addEventListener('click', () => {
    store.update((s) => actions.setFunction(s, m, LAB_FUNCTION));
    app.playback.restart();
  });

  // --- the tables -----------------------------------------------------------------------------
  function renderResults() {
    const l = lang();
    if (!last) {
      results.replaceChildren();
      minimaTable.replaceChildren();
      caption.textContent = '';
      elsewhereNote.textContent = '';
      gapFigure.hidden = true;
      return;
    }
    const { result, basins, racers } = last;
    const labels = labelsOf(racers, l);
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
          cell('th', t(l, 'labElsewhere'), {
            scope: 'col',
            title: t(l, 'labElsewhereNote', { r: formatNumber(BASIN_RADIUS) }),
          }),
          cell('th', t(l, 'labDiverged'), { scope: 'col' }),
          cell('th', t(l, 'labMeanGap'), { scope: 'col' }),
          cell('th', t(l, 'labMedianGap'), { scope: 'col' }),
        ),
      ),
      h(
        'tbody',
        {},
        result.racers.map((r, i) => {
          const gap = basinGaps(r);
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
            cell('td', formatNumber(gap.mean), { className: 'num', dataset: { n: String(gap.n) } }),
            cell('td', formatNumber(gap.median), { className: 'num' }),
          );
        }),
      ),
    );
    elsewhereNote.textContent = t(l, 'labElsewhereNote', { r: formatNumber(BASIN_RADIUS) });
    minimaTable.replaceChildren(
      h(
        'caption',
        {},
        t(l, 'labMinimaCaption', { fn: functionLabel(l, M.functions.get(last.fn.name)) }),
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
              { className: 'num', dataset: { value: String(mt.epsilon_sharpness) } },
            ),
          );
        }),
      ),
    );
    caption.textContent = labCaption(l, { result, basins, labels });
    renderGaps();
  }

  /** The run over settings: a row per ensemble, a column per racer, and its caption. */
  function renderSpread() {
    spreadTable.hidden = !spread;
    if (!spread) {
      spreadTable.replaceChildren();
      spreadCaptionEl.textContent = '';
      return;
    }
    const l = lang();
    const { settings, results, racers, basins, runs } = spread;
    const labels = labelsOf(racers, l);
    const k = basinOfInterest(basins);
    const where = basins[k].kind === 'sharp' ? t(l, 'labTheSharp') : basinLabel(l, basins[k], k);
    const summary = spreadSummary(results, k);
    spreadTable.replaceChildren(
      h('caption', {}, t(l, 'labSpreadTable', { runs, where })),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ['labSpreadNoise', 'labSpreadSteps', 'labSpreadSeed'].map((key) =>
            cell('th', t(l, key), { scope: 'col' }),
          ),
          labels.map((label) => cell('th', label, { scope: 'col' })),
        ),
      ),
      h(
        'tbody',
        {},
        settings.map((setting, e) =>
          h(
            'tr',
            {},
            cell('td', formatNumber(setting.noise), { className: 'num' }),
            cell('td', String(setting.steps), { className: 'num' }),
            cell('td', String(setting.seed), { className: 'num' }),
            summary.map((s) =>
              cell('td', s.shares[e] === null ? '–' : formatPercent(s.shares[e]), {
                className: 'num',
              }),
            ),
          ),
        ),
      ),
    );
    spreadCaptionEl.textContent = spreadCaption(l, { summary, settings, runs, labels, basins });
  }

  /** The distribution of the gap per racer, over its runs that ended in a minimum. */
  function renderGaps() {
    gapFigure.hidden = !last;
    if (!last) return;
    const l = lang();
    const { result, racers } = last;
    const labels = labelsOf(racers, l);
    const rows = result.racers.map((r, i) => ({
      label: labels[i],
      colour: racers[i].color,
      gaps: basinGaps(r).values,
    }));
    hook.pictures.gaps = drawGapStrips(gapCanvas, rows, chartTheme());
    gapCanvas.setAttribute('aria-label', t(l, 'labGapTitle'));
    const left = result.racers.reduce((sum, r) => sum + r.other + r.diverged, 0);
    gapCaption.textContent = [
      t(l, 'labGapCaption', { n: result.runs, dx: formatNumber(last.offset) }),
      left ? t(l, 'labGapLeftOut', { n: left, r: formatNumber(BASIN_RADIUS) }) : '',
    ]
      .filter(Boolean)
      .join(' ');
  }

  // --- the pictures ----------------------------------------------------------------------------
  let picturesKey = null;
  const requestPictures = () => frame.request('lab-pictures', LATER, drawPictures);
  /** What drawPictures has computed so far for the pictures of `key`. */
  let parts = null;
  /**
   * Draws the pictures; returns true to be run again in the next frame (not done yet). While
   * the race's start is dragged they wait for its end: only the figure changes then.
   */
  function drawPictures() {
    if (app.dragging?.()) return false;
    const state = store.get();
    const l = state.lang;
    const offset = state.lab.offset;
    const { fn, info } = surface();
    const width = Math.round(mapCanvas.clientWidth || PICTURE.width);
    const height = Math.round(mapCanvas.clientHeight || PICTURE.height);
    const sameSurface = !!last && JSON.stringify(last.fn) === JSON.stringify(fn);
    const key = JSON.stringify([
      fn,
      offset,
      width,
      height,
      l,
      sameSurface && hook.result ? last.result.runs : 0,
      hook.ms,
    ]);
    if (key === picturesKey) return false;
    // The minima's measures, the cross-section and the map's contours are computed one per
    // frame (each is tens of milliseconds in the core on a fresh page), then drawn in a frame
    // of their own.
    if (parts?.key !== key) parts = { key };
    try {
      if (!parts.basins) {
        parts.basins = describeBasins(m, fn, info.minima, offset, 1e-3);
        return true;
      }
      if (!parts.cut) {
        parts.cut = crossSection(m, fn, info, offset);
        return true;
      }
      if (!parts.contours) {
        parts.contours = basinContours(
          m,
          fn,
          fitBox(info.domain, width / height),
          offset,
          'linear',
        );
        return true;
      }
    } catch (err) {
      picturesKey = key;
      parts = null;
      picturesCaption.textContent = errorText(err);
      return false;
    }
    picturesKey = key;
    const { basins, cut, contours } = parts;
    parts = null;
    const colours = chartTheme();
    const along = cut.axis === 'x' ? 0 : 1;
    const marks = basins.map((b, k) => ({
      at: b.point[along],
      x: b.point[0],
      y: b.point[1],
      train: b.metrics.train_loss,
      test: b.metrics.test_loss,
      label: markLabel(l, b, k),
    }));
    // The cross-section marks the minima on its line; the map marks all of them.
    const onLine = marks.filter((mark) => onSectionLine(cut, mark.x, mark.y));
    hook.pictures.section = drawCrossSection(sectionCanvas, cut, onLine, colours);
    const points = sameSurface
      ? last.result.racers.map((r, i) => ({ endpoints: r.endpoints, colour: last.racers[i].color }))
      : [];
    const map = viewMap(contours.box, width, height);
    const drawn = drawBasinMap(mapCanvas, map, contours, offset, marks, points, colours);
    hook.pictures.segments = drawn.segments;
    hook.pictures.endpoints = drawn.endpoints;
    sectionCanvas.setAttribute('aria-label', t(l, 'labSectionTitle'));
    mapCanvas.setAttribute('aria-label', t(l, 'labMapTitle'));
    const gaps = basins
      .map((b, k) =>
        t(l, 'labPicturesGap', { where: markLabel(l, b, k), gap: formatNumber(b.metrics.gap) }),
      )
      .join(t(l, 'labListSep'));
    picturesCaption.textContent = [
      t(l, 'labPicturesCaption', {
        line: t(l, `labLine_${cut.line.through}`),
        dx: formatNumber(offset),
        axis: cut.axis,
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

  // --- the racers' endpoints -------------------------------------------------------------------
  // On the race's surface, the race's own runs; on the lab's own surface, the racers run again
  // there, from its start (in the Worker pool when long, like the race).
  const ownRuns = createRuns({
    engine: m,
    pool,
    onChange: requestEndpoints,
  });
  function endpointRuns() {
    const state = store.get();
    const { fn, info, own } = surface();
    if (!own) return { runs: app.runs.current, start: state.start, own };
    return { runs: ownRuns.current, start: info.start, own, fn };
  }
  function updateOwnRuns() {
    const state = store.get();
    const { fn, info, own } = surface();
    if (!own) return;
    // The racers record their paths only: none is selected here.
    ownRuns.update({ ...state, fn, start: [...info.start], selected: -1 });
  }

  /**
   * The measures of the racers' endpoints as a job done a few racers at a time: { total,
   * measure(i) (the row of racer i), done(rows) (the table's data) }, or null when the runs
   * do not match the racers yet. Each endpoint costs a few ms of exact Hessians and sharpness;
   * twelve racers at once held a frame for 50 ms.
   */
  function endpointsJob() {
    const state = store.get();
    const { fn, info, own } = surface();
    const { runs, start } = endpointRuns();
    if (runs.list.length !== state.racers.length || !runs.state) return null;
    const basins = describeBasins(m, fn, info.minima, state.lab.offset, state.lab.epsilon);
    const labels = labelsOf(state.racers, state.lang);
    const measure = (i) => {
      const racer = state.racers[i];
      const row = {
        name: racer.optimizer.name,
        label: labels[i],
        color: racer.color,
        metrics: null,
        error: null,
      };
      const { result, error } = runs.list[i];
      if (error) return { ...row, error };
      if (!result) return { ...row, pending: true };
      if (result.diverged) return { ...row, divergedAt: result.divergedAt };
      const point = [result.trajectory[2 * result.steps], result.trajectory[2 * result.steps + 1]];
      try {
        const metrics = m.endpointMetrics({
          function: fn,
          point,
          test_offset: [state.lab.offset, 0],
          epsilon: state.lab.epsilon,
        });
        return {
          ...row,
          point,
          metrics,
          ...nearestBasin(basins, point),
          steps: result.steps,
          trainLoss: result.loss[result.steps],
        };
      } catch (err) {
        return { ...row, error: errorText(err) };
      }
    };
    const done = (rows) => ({
      rows,
      basins,
      steps: state.steps,
      offset: state.lab.offset,
      epsilon: state.lab.epsilon,
      own,
      start,
    });
    return { total: state.racers.length, measure, done, rows: [] };
  }

  /** Measures the endpoints again, from the first racer: their inputs changed. */
  function requestEndpoints() {
    measuring = null;
    frame.request('lab-endpoints', LATER, renderEndpoints);
  }

  /**
   * Measures endpoints for up to ENDPOINTS_BUDGET_MS a frame, then draws their table; waits
   * for the end of a drag of the race's start (requested again then).
   */
  function renderEndpoints() {
    if (app.dragging?.()) return false;
    const t0 = performance.now();
    measuring ??= endpointsJob() ?? { total: 0, rows: [], done: () => null };
    const job = measuring;
    while (job.rows.length < job.total) {
      job.rows.push(job.measure(job.rows.length));
      if (job.rows.length < job.total && performance.now() - t0 > ENDPOINTS_BUDGET_MS) return true;
    }
    measuring = null;
    drawEndpoints(job.done(job.rows));
  }

  function drawEndpoints(endpoints) {
    hook.endpoints = endpoints;
    const l = lang();
    if (!endpoints) {
      endpointsTable.replaceChildren();
      return;
    }
    const { rows, basins } = endpoints;
    const names = basins.map((b, k) => basinLabel(l, b, k));
    const num = (v) => cell('td', formatNumber(v), { className: 'num' });
    const vars = {
      steps: endpoints.steps,
      dx: formatNumber(endpoints.offset),
      eps: formatNumber(endpoints.epsilon),
      x: formatNumber(endpoints.start[0]),
      y: formatNumber(endpoints.start[1]),
    };
    endpointsTable.replaceChildren(
      h(
        'caption',
        {},
        t(l, endpoints.own ? 'labEndpointsCaptionOwn' : 'labEndpointsCaption', vars),
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
          const head = h('th', { scope: 'row' }, swatch, r.label);
          if (!r.metrics) {
            const text = r.pending
              ? t(l, 'racerComputing')
              : (r.error ?? t(l, 'labEndpointDiverged', { step: r.divergedAt }));
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
                : t(l, 'labNearestAt', { name: names[r.nearest], d: formatNumber(r.distance) }),
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
              {
                className: 'num',
              },
            ),
          );
        }),
      ),
    );
  }

  // --- following the store ---------------------------------------------------------------------
  function renderTexts() {
    const state = store.get();
    const l = state.lang;
    for (const el of section.querySelectorAll('[data-lab]')) el.textContent = t(l, el.dataset.lab);
    title.textContent = t(l, 'labTitle');
    intro.textContent = t(l, 'labIntro');
    const { own, fn } = surface();
    hook.surface = { own, name: fn.name };
    surfaceNote.textContent = own
      ? t(l, 'labSurfaceOwn', { fn: functionLabel(l, M.functions.get(fn.name)) })
      : t(l, 'labSurfaceRace', { fn: functionLabel(l, M.functions.get(fn.name)) });
    useButton.textContent = t(l, 'labUseSurface');
    useButton.hidden = !own;
    runButton.textContent = t(l, 'labRun');
    spreadButton.textContent = t(l, 'labSpreadRun');
    cancelButton.textContent = t(l, 'labCancel');
    csvButton.textContent = t(l, 'exportLabCsv');
    progress.setAttribute('aria-label', t(l, 'labProgress'));
    legendTrain.textContent = t(l, 'labLegendTrain');
    legendTest.textContent = t(l, 'labLegendTest');
    fields.relabel(l);
    if (statusMessage) setStatus(statusMessage.key, statusMessage.vars);
  }
  store.watch(
    (s) => s.lab,
    (lab) => fields.sync(lab),
  );
  store.watch(
    (s) => [s.lang, s.fn],
    () => {
      renderTexts();
      renderResults();
      renderSpread();
    },
  );
  store.watch((s) => [s.fn, s.lab.offset, s.lang], requestPictures);
  store.watch(
    (s) => [s.fn, s.steps, s.noise, s.racers.map((r) => [r.optimizer, r.schedule])],
    updateOwnRuns,
  );
  store.watch(
    (s) => [
      s.fn,
      s.lab.offset,
      s.lab.epsilon,
      s.lang,
      s.racers.map((r) => [r.optimizer.name, r.color]),
    ],
    requestEndpoints,
  );
  app.events.on('runs', () => {
    if (!surface().own) requestEndpoints();
  });
  app.events.on('drag-end', () => {
    requestPictures();
    if (!surface().own) requestEndpoints();
  });
  return { hook, ready: Promise.resolve() };
}
