// SPDX-License-Identifier: MIT
// The handwritten-digits section (#digits): the page's racers trained on the UCI digits
// (64-32-32-10, softmax and cross-entropy, or squared error) over several seeds in the Worker
// pool, with progress and cancel: a table of train and test accuracy, the generalization gap,
// the top Hessian eigenvalue and epsilon-sharpness (mean ± standard deviation over seeds), the
// accuracy curves, and the selected racer's misclassified test digits. The digits are fetched
// by the Workers when the section first trains. Every sentence states what these runs measured.

import * as actions from '../../app/actions.js';
import { runBatch } from '../../app/batch.js';
import { racerLabels } from '../../app/labels.js';
import { methodPage } from '../../app/meta.js';
import { DIGIT_FIELDS } from '../../app/schema.js';
import { same } from '../../app/store.js';
import { errorText } from '../../engine.js';
import { formatNumber, t } from '../../i18n.js';
import { axisStyle, chartTheme, h } from '../../ui/dom.js';
import { schemaFields } from '../../ui/form.js';
import uPlot from '../../vendor/uPlot.esm.js';
import {
  absoluteNote,
  accuracyCurves,
  batchJobs,
  digitsCaption,
  digitsJobs,
  MEASURES,
  SMALL_BATCH,
  sliceLine,
  summarize,
} from './model.js';

const CHART_HEIGHT = 200;
/** The text key of each choice of DIGIT_FIELDS. */
const CHOICE_LABELS = Object.freeze({
  cross_entropy: 'digitsLossCe',
  mse: 'digitsLossMse',
  digits: 'digitsRatesDigits',
  race: 'digitsRatesRace',
});
/** Pixels per pixel of a misclassified digit. */
const DIGIT_SCALE = 4;

/** An 8 x 8 digit (pixel values 0..16) as a canvas, dark ink on light. */
function digitCanvas(pixels) {
  const canvas = h('canvas', { width: 8, height: 8, className: 'digit' });
  canvas.style.width = canvas.style.height = `${8 * DIGIT_SCALE}px`;
  const ctx = canvas.getContext('2d');
  const image = ctx.createImageData(8, 8);
  for (let i = 0; i < 64; i++) {
    const v = 255 - Math.round((255 * pixels[i]) / 16);
    image.data.set([v, v, v, 255], 4 * i);
  }
  ctx.putImageData(image, 0, 0);
  return canvas;
}

const formatMeasure = (key, v) =>
  key.endsWith('Accuracy') ? `${formatNumber(100 * v, 3)}%` : formatNumber(v, 3);

/** A results table: one row per racer (or batch size), each measure as mean ± sd. */
function fillTable(table, l, seeds, rows) {
  const f = formatMeasure;
  table.replaceChildren(
    h('caption', {}, t(l, 'digitsTableCaption', { n: seeds })),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { scope: 'col' }, t(l, 'digitsRacer')),
        h('th', { scope: 'col' }, t(l, 'digitsLr')),
        MEASURES.map((k) => h('th', { scope: 'col' }, t(l, `digits_${k}`))),
      ),
    ),
    h(
      'tbody',
      {},
      rows.map((row) =>
        h(
          'tr',
          {},
          h('th', { scope: 'row' }, row.label),
          h('td', { className: 'num' }, row.lr === undefined ? '–' : formatNumber(row.lr, 3)),
          MEASURES.map((k) =>
            h(
              'td',
              { className: 'num' },
              row[k].n ? `${f(k, row[k].mean)} ± ${f(k, row[k].sd)}` : '–',
            ),
          ),
        ),
      ),
    ),
  );
}

/** Mounts the section in #digits. Returns { ready }. */
export function mountDigits(app) {
  const { store, pool, M } = app;
  const lang = () => store.get().lang;
  const section = document.getElementById('digits');

  const title = h('h2', { id: 'digits-title' });
  const intro = h('p', { className: 'hint' });
  const fields = schemaFields(DIGIT_FIELDS, {
    prefix: 'digits',
    group: 'digits',
    choiceLabel: (l, key, c) => t(l, CHOICE_LABELS[c]),
    onText: (key, value) => {
      const errors = store.update((s) => actions.setDigitsInput(s, key, value));
      return app.alerts.input(errors[0]?.message ?? null);
    },
  });
  fields.element.dataset.editable = '';
  const run = h('button', { id: 'digits-run', type: 'button', dataset: { editable: '' } });
  const cancel = h('button', { id: 'digits-cancel', type: 'button', hidden: true });
  const status = h('p', {
    id: 'digits-status',
    className: 'hint',
    attrs: { 'aria-live': 'polite' },
  });
  const table = h('table', { id: 'digits-table', className: 'lab-table', hidden: true });
  const caption = h('ul', { id: 'digits-caption', className: 'caption' });
  const chartTitle = h('h3');
  const chart = h('div', { id: 'digits-chart' });
  const missedTitle = h('h3');
  const missed = h('div', { id: 'digits-missed', className: 'digits-missed' });
  const results = h(
    'div',
    { className: 'digits-results', hidden: true },
    h('figure', { className: 'stream-figure' }, chartTitle, chart),
    h('figure', { className: 'stream-figure' }, missedTitle, missed),
  );
  const batchPart = {
    title: h('h3'),
    run: h('button', { id: 'digits-batch-run', type: 'button', dataset: { editable: '' } }),
    status: h('p', {
      id: 'digits-batch-status',
      className: 'hint',
      attrs: { 'aria-live': 'polite' },
    }),
    table: h('table', { id: 'digits-batch-table', className: 'lab-table', hidden: true }),
    caption: h('ul', { id: 'digits-batch-caption', className: 'caption' }),
    sliceTitle: h('h3', { hidden: true }),
    slice: h('div', { id: 'digits-slice' }),
  };
  section.replaceChildren(
    title,
    intro,
    fields.element,
    h('div', { className: 'lab-actions' }, run, cancel),
    status,
    table,
    caption,
    results,
    batchPart.title,
    h('div', { className: 'lab-actions' }, batchPart.run),
    batchPart.status,
    batchPart.table,
    batchPart.caption,
    batchPart.sliceTitle,
    batchPart.slice,
  );

  // { jobs, outcomes, labels, state and inputs (what they ran for) } of the last training.
  let trained = null;
  let batch = null;
  let plot = null;
  const inputsOf = (s) => [s.digits, s.racers.map((r) => [r.optimizer, r.schedule])];
  const digitsLr = (name) => methodPage(M, name).digitsLr;
  const isAbsolute = (name) => M.schedules.get(name)?.absolute === true;

  function stop() {
    batch?.cancel();
    batch = null;
  }
  /**
   * Trains every job of `jobs` for `steps` steps in the pool, with progress in `line` and the
   * cancel button shown; onDone(outcomes) receives them in the jobs' order.
   */
  function train(jobs, steps, line, onDone) {
    stop();
    const progress = (done) => {
      line.textContent = t(lang(), 'digitsRunning', { done, total: jobs.length });
    };
    cancel.hidden = false;
    progress(0);
    const messages = jobs.map((job) => ({ type: 'digits', config: job.config, steps }));
    batch = runBatch(pool, messages, {
      onProgress: progress,
      onDone: (outcomes) => {
        batch = null;
        cancel.hidden = true;
        onDone(outcomes);
      },
    });
  }
  run.addEventListener('click', () => {
    const s = store.get();
    const jobs = digitsJobs(s, digitsLr);
    const labels = racerLabels(s.lang, s.racers, M.methods);
    section.dataset.state = 'running';
    train(jobs, s.digits.steps, status, (outcomes) => {
      trained = { jobs, outcomes, labels, state: s, inputs: inputsOf(s) };
      status.textContent = '';
      section.dataset.state = 'done';
      render();
    });
  });
  // The batch-size experiment (Keskar et al. 2017): { jobs, outcomes, labels, small, racer,
  // one (the state with the selected racer alone), slice, sliceError, inputs } of the last run.
  let compared = null;
  let slicePlot = null;
  batchPart.run.addEventListener('click', () => {
    const s = store.get();
    const i = s.selected;
    const { jobs, small } = batchJobs(s, i, digitsLr);
    const racer = racerLabels(s.lang, s.racers, M.methods)[i];
    section.dataset.batch = 'running';
    train(jobs, s.digits.steps, batchPart.status, (outcomes) => {
      const entry = {
        jobs,
        outcomes,
        small,
        racer,
        one: { ...s, racers: [s.racers[i]] },
        slice: null,
        sliceError: null,
        inputs: inputsOf(s),
      };
      // The loss on the line between the two solutions of the first seed.
      const a = outcomes[jobs.findIndex((j) => j.racer === 0)]?.result;
      const b = outcomes[jobs.findIndex((j) => j.racer === 1)]?.result;
      const finish = () => {
        compared = entry;
        batchPart.status.textContent = '';
        section.dataset.batch = 'done';
        render();
      };
      if (!a || !b) return finish();
      pool
        .task({
          type: 'digits-slice',
          config: jobs[0].config,
          paramsA: a.params,
          paramsB: b.params,
        })
        .promise.then(
          (slice) => {
            entry.slice = slice;
          },
          (err) => {
            entry.sliceError = errorText(err);
          },
        )
        .finally(finish);
    });
  });

  cancel.addEventListener('click', () => {
    stop();
    cancel.hidden = true;
    status.textContent = t(lang(), 'digitsCancelled');
    if (section.dataset.batch === 'running') {
      batchPart.status.textContent = t(lang(), 'digitsCancelled');
      section.dataset.batch = 'cancelled';
    } else section.dataset.state = 'cancelled';
  });

  function render() {
    const s = store.get();
    const l = s.lang;
    title.textContent = t(l, 'digitsTitle');
    intro.textContent = t(l, 'digitsIntro');
    fields.relabel(l);
    fields.sync(s.digits);
    run.textContent = t(l, 'digitsRun', { n: s.racers.length * s.digits.seeds });
    cancel.textContent = t(l, 'digitsCancel');
    renderBatch(s, l);
    if (!trained) {
      table.hidden = true;
      results.hidden = true;
      caption.replaceChildren();
      return;
    }
    const rows = summarize(trained.labels, trained.jobs, trained.outcomes);
    const seeds = Math.max(...trained.jobs.map((j) => j.seed));
    table.hidden = false;
    fillTable(table, l, seeds, rows);
    const lines = digitsCaption(t, l, seeds, rows);
    const note = absoluteNote(t, l, trained.state, trained.labels, isAbsolute);
    if (note) lines.push(note);
    if (!same(trained.inputs, inputsOf(s))) lines.push(t(l, 'digitsStale'));
    caption.replaceChildren(...lines.map((line) => h('li', {}, line)));

    results.hidden = false;
    chartTitle.textContent = t(l, 'digitsCurves');
    const curves = accuracyCurves(trained.jobs, trained.outcomes, trained.labels.length);
    const th = chartTheme();
    const axis = axisStyle(th);
    plot?.destroy();
    const colours = trained.jobs.length ? s.racers.map((r) => r.color) : [];
    plot = new uPlot(
      {
        width: Math.max(240, Math.floor(chart.clientWidth || 360)),
        height: CHART_HEIGHT,
        scales: { x: { time: false }, y: { range: [0, 1] } },
        cursor: { y: false, drag: { x: false, y: false } },
        axes: [
          axis,
          { ...axis, size: 50, values: (_, sp) => sp.map((v) => `${Math.round(100 * v)}%`) },
        ],
        series: [
          { label: t(l, 'axisStep') },
          ...trained.labels.flatMap((label, i) => [
            {
              label: `${label} ${t(l, 'digitsTest')}`,
              stroke: colours[i] ?? '#333',
              width: 1.75,
              points: { show: false },
            },
            {
              label: `${label} ${t(l, 'digitsTrain')}`,
              stroke: colours[i] ?? '#333',
              width: 1,
              dash: [4, 3],
              points: { show: false },
            },
          ]),
        ],
      },
      [curves.x, ...curves.values.flat()],
      chart,
    );

    // The selected racer's misclassified test digits, from its first seed.
    const racer = Math.min(s.selected, trained.labels.length - 1);
    const k = trained.jobs.findIndex((j) => j.racer === racer);
    const r = trained.outcomes[k]?.result;
    missedTitle.textContent = r
      ? t(l, 'digitsMissed', {
          racer: trained.labels[racer],
          wrong: r.wrong,
          n: r.testSize,
          shown: r.missed.length,
        })
      : t(l, 'digitsMissedNone', { racer: trained.labels[racer] });
    missed.replaceChildren(
      ...(r?.missed ?? []).map((d) =>
        h(
          'figure',
          { className: 'digit-cell' },
          digitCanvas(d.pixels),
          h('figcaption', {}, `${d.label} → ${d.predicted}`),
        ),
      ),
    );
  }

  function renderBatch(s, l) {
    const labels = racerLabels(l, s.racers, M.methods);
    batchPart.title.textContent = t(l, 'digitsBatchTitle');
    batchPart.run.textContent = t(l, 'digitsBatchRun', {
      racer: labels[s.selected] ?? '',
      small: s.digits.batch > 0 ? s.digits.batch : SMALL_BATCH,
    });
    batchPart.table.hidden = !compared;
    batchPart.sliceTitle.hidden = !compared?.slice;
    if (!compared) {
      batchPart.caption.replaceChildren();
      return;
    }
    const names = [t(l, 'digitsBatchSmall', { b: compared.small }), t(l, 'digitsBatchFull')];
    const rows = summarize(names, compared.jobs, compared.outcomes);
    const seeds = Math.max(...compared.jobs.map((j) => j.seed));
    fillTable(batchPart.table, l, seeds, rows);
    const lines = [
      t(l, 'digitsBatchOf', { racer: compared.racer }),
      ...digitsCaption(t, l, seeds, rows),
    ];
    const note = absoluteNote(t, l, compared.one, [compared.racer], isAbsolute);
    if (note) lines.push(note);
    if (compared.slice) lines.push(sliceLine(t, l, compared.slice));
    if (compared.sliceError)
      lines.push(t(l, 'digitsSliceFailed', { message: compared.sliceError }));
    if (!same(compared.inputs, inputsOf(s))) lines.push(t(l, 'digitsStale'));
    batchPart.caption.replaceChildren(...lines.map((line) => h('li', {}, line)));
    slicePlot?.destroy();
    slicePlot = null;
    if (!compared.slice) return;
    batchPart.sliceTitle.textContent = t(l, 'digitsSliceTitle', { b: compared.small });
    const th = chartTheme();
    const axis = axisStyle(th);
    const colour = s.racers[s.selected]?.color ?? '#333';
    slicePlot = new uPlot(
      {
        width: Math.max(240, Math.floor(batchPart.slice.clientWidth || 360)),
        height: CHART_HEIGHT,
        scales: { x: { time: false } },
        cursor: { y: false, drag: { x: false, y: false } },
        axes: [axis, { ...axis, size: 50 }],
        series: [
          { label: 'α' },
          { label: t(l, 'digitsTrain'), stroke: colour, width: 1.75, points: { show: false } },
          {
            label: t(l, 'digitsTest'),
            stroke: colour,
            width: 1,
            dash: [4, 3],
            points: { show: false },
          },
        ],
      },
      [
        Array.from(compared.slice.alphas),
        Array.from(compared.slice.train),
        Array.from(compared.slice.test),
      ],
      batchPart.slice,
    );
  }

  store.watch(
    (s) => [s.lang, s.digits, s.selected, s.racers],
    () => render(),
  );
  render();
  window.__digits = {
    get result() {
      return trained;
    },
    get batch() {
      return compared;
    },
  };
  return { ready: Promise.resolve() };
}
