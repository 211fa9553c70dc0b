// SPDX-License-Identifier: MIT
// The learning-rate tools (#tools): the range test (Smith 2017) of the selected racer, on the
// race's surface or on the tiny network, with one click to race its suggested bounds as a
// cyclical schedule; and the tuner, which searches every racer's learning rate for a stated
// objective and budget and puts the rates found into the racers (and so the link). Both run in
// the Worker pool with the core's tools module, loaded there when first asked for. Every
// sentence states what was measured.

import * as actions from '../../app/actions.js';
import { runBatch } from '../../app/batch.js';
import { racerLabels } from '../../app/labels.js';
import { TOOL_FIELDS } from '../../app/schema.js';
import { CancelledError, errorText } from '../../engine.js';
import { formatNumber, t } from '../../i18n.js';
import { axisStyle, chartTheme, h } from '../../ui/dom.js';
import { schemaFields } from '../../ui/form.js';
import uPlot from '../../vendor/uPlot.esm.js';
import {
  cyclicalOf,
  racerLr,
  rangeCaption,
  rangeKey,
  rangeTestConfig,
  tuneCaption,
  tuneConfig,
  tuneRows,
} from './model.js';

const CHOICES = {
  race: 'toolsRangeOnRace',
  network: 'toolsRangeOnNetwork',
  final_loss: 'toolsObjectiveFinal',
  steps_to_target: 'toolsObjectiveSteps',
};
const CHART_HEIGHT = 200;

/** Labels of a log axis: its powers of ten only (uPlot also splits between them). */
function decadeLabels(_, splits) {
  return splits.map((v) => {
    if (!(v > 0)) return '';
    const e = Math.log10(v);
    return Math.abs(e - Math.round(e)) < 1e-9 ? formatNumber(v, 1) : '';
  });
}

/** Loss and smoothed loss against the learning rate (log axes), the bounds marked. */
function drawRange(el, result, lang, colour, old) {
  old?.destroy();
  const n = result.steps;
  if (!n) return null;
  const th = chartTheme();
  const positive = (v) => (v > 0 && Number.isFinite(v) ? v : null);
  const axis = axisStyle(th);
  const marks = [
    [result.suggested?.base_lr, 'base_lr'],
    [result.suggested?.max_lr, 'max_lr'],
  ].filter(([v]) => v > 0);
  return new uPlot(
    {
      width: Math.max(240, Math.floor(el.clientWidth || 360)),
      height: CHART_HEIGHT,
      scales: { x: { time: false, distr: 3, log: 10 }, y: { distr: 3, log: 10 } },
      cursor: { y: false, drag: { x: false, y: false } },
      axes: [
        { ...axis, values: decadeLabels },
        { ...axis, size: 60, values: decadeLabels },
      ],
      series: [
        { label: t(lang, 'rangeAxis'), value: (_, v) => (v === null ? '–' : formatNumber(v, 3)) },
        { label: t(lang, 'rangeLoss'), stroke: th.grid, width: 1, points: { show: false } },
        { label: t(lang, 'rangeSmoothed'), stroke: colour, width: 2, points: { show: false } },
      ],
      hooks: {
        draw: [
          (u) => {
            const { ctx } = u;
            const { top, height } = u.bbox;
            const dpr = devicePixelRatio || 1;
            ctx.save();
            ctx.setLineDash([5 * dpr, 4 * dpr]);
            ctx.strokeStyle = th.text;
            ctx.fillStyle = th.text;
            ctx.font = `${11 * dpr}px system-ui, sans-serif`;
            for (const [v, label] of marks) {
              const x = u.valToPos(v, 'x', true);
              ctx.beginPath();
              ctx.moveTo(x, top);
              ctx.lineTo(x, top + height);
              ctx.stroke();
              ctx.fillText(label, x + 3 * dpr, top + 12 * dpr);
            }
            ctx.restore();
          },
        ],
      },
    },
    [
      Array.from(result.lr.slice(0, n)),
      Array.from(result.loss.slice(0, n), positive),
      Array.from(result.smoothed.slice(0, n), positive),
    ],
    el,
  );
}

/** Mounts the tools in #tools. Returns { ready }. */
export function mountTools(app) {
  const { store, pool, M } = app;
  const lang = () => store.get().lang;
  const section = document.getElementById('tools');

  // --- the markup ---------------------------------------------------------------------------
  const title = h('h2', { id: 'tools-title' });
  const intro = h('p', { className: 'hint' });
  const fields = schemaFields(TOOL_FIELDS, {
    prefix: 'tools',
    group: 'tools',
    choiceLabel: (l, key, c) => t(l, CHOICES[c] ?? c),
    onText: (key, value) => {
      const errors = store.update((s) => actions.setToolInput(s, key, value));
      return app.alerts.input(errors[0]?.message ?? null);
    },
  });
  fields.element.dataset.editable = '';
  const range = {
    title: h('h3'),
    run: h('button', { id: 'range-run', type: 'button', dataset: { editable: '' } }),
    apply: h('button', {
      id: 'range-apply',
      type: 'button',
      hidden: true,
      dataset: { editable: '' },
    }),
    status: h('p', { id: 'range-status', className: 'hint', attrs: { 'aria-live': 'polite' } }),
    chart: h('div', { id: 'range-chart' }),
    caption: h('ul', { id: 'range-caption', className: 'caption' }),
  };
  const tune = {
    title: h('h3'),
    run: h('button', { id: 'tune-run', type: 'button', dataset: { editable: '' } }),
    cancel: h('button', { id: 'tune-cancel', type: 'button', hidden: true }),
    apply: h('button', {
      id: 'tune-apply',
      type: 'button',
      hidden: true,
      dataset: { editable: '' },
    }),
    status: h('p', { id: 'tune-status', className: 'hint', attrs: { 'aria-live': 'polite' } }),
    table: h('table', { id: 'tune-table', className: 'lab-table', hidden: true }),
    caption: h('ul', { id: 'tune-caption', className: 'caption' }),
  };
  section.replaceChildren(
    title,
    intro,
    fields.element,
    h(
      'div',
      { className: 'tools-parts' },
      h(
        'div',
        { className: 'tools-part' },
        range.title,
        h('div', { className: 'lab-actions' }, range.run, range.apply),
        range.status,
        range.chart,
        range.caption,
      ),
      h(
        'div',
        { className: 'tools-part' },
        tune.title,
        h('div', { className: 'lab-actions' }, tune.run, tune.cancel, tune.apply),
        tune.status,
        tune.table,
        tune.caption,
      ),
    ),
  );

  // --- the range test -----------------------------------------------------------------------
  // { result, racer (index), key (the inputs it ran for), label } of the last test.
  let tested = null;
  let rangeChart = null;
  let rangeTask = null;
  let rangeFor = null; // the key of the test running

  /** Range-tests the selected racer; its result is also published as app.range ('range'). */
  function runRange() {
    const s = store.get();
    const i = s.selected;
    const labels = racerLabels(s.lang, s.racers, M.methods);
    rangeTask?.drop();
    range.status.textContent = t(s.lang, 'rangeRunning', { racer: labels[i] });
    section.dataset.range = 'running';
    const task = pool.task({ type: 'tool', call: 'rangeTest', config: rangeTestConfig(s, i) });
    rangeTask = task;
    rangeFor = rangeKey(s, i);
    task.promise.then(
      (result) => {
        if (rangeTask !== task) return;
        rangeTask = null;
        tested = { result, racer: i, key: rangeKey(s, i) };
        app.range = tested;
        app.events.emit('range', tested);
        range.status.textContent = '';
        section.dataset.range = 'done';
        render();
      },
      (err) => {
        if (rangeTask !== task || err instanceof CancelledError) return;
        rangeTask = null;
        tested = null;
        range.status.textContent = errorText(err);
        section.dataset.range = 'error';
        render();
      },
    );
  }
  range.run.addEventListener('click', runRange);

  /**
   * A chapter that reads the range test (app.wantRange, set by the tour) has it run for the
   * state on the screen: at once, and again when what it depends on changes.
   */
  function rangeWanted() {
    const s = store.get();
    const key = rangeKey(s, s.selected);
    if (!app.wantRange || !s.racers[s.selected] || app.dragging?.()) return;
    if (tested?.key === key || (rangeTask && rangeFor === key)) return;
    runRange();
  }
  app.events.on('range-wanted', rangeWanted);
  app.events.on('drag-end', rangeWanted);
  store.watch((s) => rangeKey(s, s.selected), rangeWanted);
  range.apply.addEventListener('click', () => {
    const s = store.get();
    const schedule = tested && cyclicalOf(tested.result, s.steps);
    if (!schedule || !s.racers[tested.racer]) return;
    const errors = store.update((st) => actions.setRacerSchedule(st, tested.racer, schedule));
    app.alerts.input(errors[0]?.message ?? null);
  });

  // --- the tuner ----------------------------------------------------------------------------
  // { outcomes: [{ result } | { error }], labels, racers, objective } of the last tuning.
  let tuned = null;
  let batch = null;

  function stopTuning() {
    batch?.cancel();
    batch = null;
  }
  tune.run.addEventListener('click', () => {
    stopTuning();
    const s = store.get();
    const labels = racerLabels(s.lang, s.racers, M.methods);
    const progress = (done) => {
      tune.status.textContent = t(lang(), 'tuneRunning', { done, total: s.racers.length });
    };
    section.dataset.tune = 'running';
    tune.cancel.hidden = false;
    tuned = null;
    progress(0);
    render();
    const messages = s.racers.map((_, i) => ({
      type: 'tool',
      call: 'tune',
      config: tuneConfig(s, i),
    }));
    batch = runBatch(pool, messages, {
      onProgress: progress,
      onDone: (outcomes) => {
        batch = null;
        tune.cancel.hidden = true;
        tuned = { outcomes, labels, racers: s.racers, objective: s.tools.objective };
        tune.status.textContent = '';
        section.dataset.tune = 'done';
        render();
      },
    });
  });
  tune.cancel.addEventListener('click', () => {
    stopTuning();
    tune.cancel.hidden = true;
    tune.status.textContent = t(lang(), 'tuneCancelled');
    section.dataset.tune = 'cancelled';
  });
  tune.apply.addEventListener('click', () => {
    if (!tuned) return;
    const rows = tuneRows(tuned.labels, tuned.racers, tuned.outcomes);
    const errors = store.update((s) => {
      let next = s;
      rows.forEach((row, i) => {
        if (row.best !== null && next.racers[i]) next = actions.setRacerLr(next, i, row.best);
      });
      return next;
    });
    app.alerts.input(errors[0]?.message ?? null);
  });

  // --- rendering ----------------------------------------------------------------------------
  function render() {
    const s = store.get();
    const l = s.lang;
    const labels = racerLabels(l, s.racers, M.methods);
    title.textContent = t(l, 'toolsTitle');
    intro.textContent = t(l, 'toolsIntro');
    fields.relabel(l);
    fields.sync(s.tools);
    fields.inputs.tol.closest('label').hidden = s.tools.objective !== 'steps_to_target';

    range.title.textContent = t(l, 'rangeTitle');
    range.run.textContent = t(l, 'rangeRun', { racer: labels[s.selected] ?? '' });
    const current = tested && tested.key === rangeKey(s, tested.racer) && s.racers[tested.racer];
    const schedule = current ? cyclicalOf(tested.result, s.steps) : null;
    range.apply.hidden = !schedule;
    if (schedule) range.apply.textContent = t(l, 'rangeApply', { racer: labels[tested.racer] });
    if (tested) {
      const label = labels[tested.racer] ?? `#${tested.racer + 1}`;
      range.caption.replaceChildren(
        ...rangeCaption(t, l, tested.result, label).map((line) => h('li', {}, line)),
        ...(current ? [] : [h('li', {}, t(l, 'rangeStale'))]),
      );
      rangeChart = drawRange(
        range.chart,
        tested.result,
        l,
        s.racers[tested.racer]?.color ?? '#333',
        rangeChart,
      );
    } else {
      range.caption.replaceChildren();
    }

    tune.title.textContent = t(l, 'tuneTitle');
    tune.run.textContent = t(l, 'tuneRun');
    tune.cancel.textContent = t(l, 'tuneCancel');
    tune.apply.textContent = t(l, 'tuneApply');
    if (!tuned) {
      tune.table.hidden = true;
      tune.apply.hidden = true;
      tune.caption.replaceChildren();
      return;
    }
    // The rates now: the racers' own where they are still the racers that were tuned.
    const sameRacers = s.racers.length === tuned.racers.length;
    const rows = tuneRows(tuned.labels, tuned.racers, tuned.outcomes).map((row, i) =>
      sameRacers ? { ...row, now: racerLr(s.racers[i]) } : row,
    );
    const steps = tuned.objective === 'steps_to_target';
    const f = (v) => (v === null || v === undefined ? '–' : formatNumber(v, 4));
    tune.table.hidden = false;
    tune.table.replaceChildren(
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ['tuneRacer', 'tuneNow', 'tuneBest', steps ? 'tuneSteps' : 'tuneLoss', 'tuneRuns'].map(
            (k) => h('th', { scope: 'col' }, t(l, k)),
          ),
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
            h('td', {}, f(row.now)),
            ...(row.error
              ? [h('td', { colSpan: 3, className: 'tune-error' }, row.error)]
              : [
                  h('td', {}, f(row.best)),
                  h(
                    'td',
                    {},
                    steps && row.best !== null && !row.reached
                      ? t(l, 'tuneNotReached')
                      : f(row.value),
                  ),
                  h('td', {}, t(l, 'tuneRunsCell', { n: row.runs, d: row.diverged })),
                ]),
          ),
        ),
      ),
    );
    tune.caption.replaceChildren(
      ...tuneCaption(t, l, tuned.objective, rows).map((line) => h('li', {}, line)),
    );
    tune.apply.hidden = !sameRacers || !rows.some((r) => r.best !== null && r.best !== r.now);
  }

  // A dragged start changes the race in every frame: the section follows when the drag ends.
  let behind = false;
  store.watch(
    (s) => [s.lang, s.tools, s.selected, s.racers, s.steps, s.fn, s.start, s.noise, s.mlp],
    () => {
      behind = app.dragging?.() ?? false;
      if (!behind) render();
    },
  );
  app.events.on('drag-end', () => {
    if (behind) render();
    behind = false;
  });
  window.addEventListener('resize', () => {
    if (rangeChart)
      rangeChart.setSize({
        width: Math.max(240, Math.floor(range.chart.clientWidth || 360)),
        height: CHART_HEIGHT,
      });
  });
  render();
  // For tests: the last results.
  window.__tools = {
    get range() {
      return tested?.result ?? null;
    },
    get tune() {
      return tuned;
    },
  };
  rangeWanted();
  return { ready: Promise.resolve() };
}
