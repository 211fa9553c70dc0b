// SPDX-License-Identifier: MIT
// The gradient-stream lab (#stream): Adam beside AMSGrad on one 1-D stream of gradients, a typed
// sequence or Reddi et al.'s online problem (optimizers.md section 4), run by the core's tools
// module. Its inputs are the store's (state.stream, in the link as stream= and seq=); the tools
// module loads when the section comes near the viewport or a chapter shows it. Every sentence
// states what these runs measured.

import * as actions from '../../app/actions.js';
import { LATER } from '../../app/frame.js';
import { STREAM_FIELDS, STREAM_TEXT } from '../../app/schema.js';
import { errorText } from '../../engine.js';
import { formatNumber, methodLabel, t } from '../../i18n.js';
import { loadTools } from '../../tools.js';
import { axisStyle, chartTheme, h } from '../../ui/dom.js';
import { schemaFields } from '../../ui/form.js';
import uPlot from '../../vendor/uPlot.esm.js';
import { chartData, streamCaption, streamConfigs } from './model.js';

/** Adam's and AMSGrad's colours in the lab's charts. */
const COLOURS = ['#e6194b', '#4363d8'];
/** Points per chart line: about the pixels a chart covers. */
const CHART_POINTS = 800;
const CHART_HEIGHT = 180;

/** A positive value for a log axis, else a gap. */
const positive = (v) => (v !== null && v > 0 ? v : null);

/** One uPlot chart in `el`, recreated when its series or scale change. */
function streamChart(el) {
  let u = null;
  let key = '';
  return {
    update({ x, values, labels, log, xLabel, raw }) {
      const data = [x, ...values.map((col) => (log ? col.map(positive) : col))];
      const th = chartTheme();
      const k = JSON.stringify([labels, log, xLabel, th]);
      if (u && k === key) {
        u.setData(data);
        return;
      }
      u?.destroy();
      key = k;
      const axis = axisStyle(th);
      u = new uPlot(
        {
          width: Math.max(200, Math.floor(el.clientWidth || 320)),
          height: CHART_HEIGHT,
          legend: { show: true, live: true },
          cursor: { y: false, drag: { x: false, y: false }, points: { size: 5 } },
          scales: { x: { time: false }, y: log ? { distr: 3, log: 10 } : { auto: true } },
          axes: [
            { ...axis, size: 28 },
            {
              ...axis,
              size: 60,
              values: (_, s) => s.map((v) => (v === null ? '' : formatNumber(v, 2))),
            },
          ],
          series: [
            { label: xLabel, value: (_, v) => (v === null ? '–' : String(Math.round(v))) },
            ...labels.map((label, i) => ({
              label,
              stroke: COLOURS[i],
              width: 1.5,
              points: { show: false },
              value: (_, v, __, idx) => {
                const value = idx === null || idx === undefined ? v : (raw?.[i]?.[idx] ?? v);
                return value === null || value === undefined ? '–' : formatNumber(value, 4);
              },
            })),
          ],
        },
        data,
        el,
      );
    },
    resize() {
      if (u)
        u.setSize({
          width: Math.max(200, Math.floor(el.clientWidth || 320)),
          height: CHART_HEIGHT,
        });
    },
  };
}

/** Mounts the lab in #stream. Returns { ready } (its markup is in place). */
export function mountStream(app) {
  const { store, frame, M } = app;
  const lang = () => store.get().lang;
  const section = document.getElementById('stream');

  // --- the markup ---------------------------------------------------------------------------
  const title = h('h2', { id: 'stream-title' });
  const intro = h('p', { className: 'hint' });
  const fields = schemaFields(STREAM_FIELDS, {
    prefix: 'stream',
    group: 'stream',
    choiceLabel: (l, key, c) => t(l, c === 'reddi' ? 'streamSourceReddi' : 'streamSourceSequence'),
    onText: (key, value) => {
      const errors = store.update((s) => actions.setStreamInput(s, key, value));
      return app.alerts.input(errors[0]?.message ?? null);
    },
  });
  const textInput = h('input', {
    id: 'stream-text',
    type: 'text',
    spellcheck: false,
    autocomplete: 'off',
    maxLength: STREAM_TEXT.maxLength,
  });
  const textLabel = h('span');
  const textError = h('span', { className: 'param-error', attrs: { 'aria-live': 'polite' } });
  const textRow = h(
    'label',
    { className: 'lab-field stream-text', htmlFor: 'stream-text' },
    textLabel,
    textInput,
    textError,
  );
  fields.element.append(textRow);
  fields.element.dataset.editable = '';
  const sendText = () => {
    const errors = store.update((s) => actions.setStreamInput(s, 'text', textInput.value));
    textError.textContent = errors[0]?.message ?? '';
    textInput.toggleAttribute('aria-invalid', !!errors.length);
  };
  textInput.addEventListener('change', sendText);
  textInput.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') sendText();
  });

  const status = h('p', {
    id: 'stream-status',
    className: 'hint',
    attrs: { 'aria-live': 'polite' },
  });
  const caption = h('ul', { id: 'stream-caption', className: 'caption' });
  const chartBox = (id) => h('div', { id, className: 'stream-chart' });
  const heads = {
    movement: h('h3'),
    x: h('h3'),
    second: h('h3'),
    regret: h('h3'),
  };
  const boxes = {
    movement: chartBox('stream-movement'),
    x: chartBox('stream-x'),
    second: chartBox('stream-second'),
    regret: chartBox('stream-regret'),
  };
  const figures = Object.fromEntries(
    Object.keys(boxes).map((k) => [
      k,
      h('figure', { className: 'stream-figure' }, heads[k], boxes[k]),
    ]),
  );
  section.replaceChildren(
    title,
    intro,
    fields.element,
    status,
    caption,
    h('div', { className: 'stream-charts' }, Object.values(figures)),
  );
  const charts = Object.fromEntries(Object.keys(boxes).map((k) => [k, streamChart(boxes[k])]));

  // --- the runs -------------------------------------------------------------------------------
  let tools = null;
  let loading = null;
  let runs = null; // [{ method, result }] of the inputs `ranFor` (their JSON)
  let ranFor = '';
  let error = null;

  function load() {
    loading ??= loadTools().then(
      (module) => {
        tools = module;
        render();
      },
      (err) => {
        loading = null;
        error = errorText(err);
        render();
      },
    );
    render();
  }

  function run(stream) {
    ranFor = JSON.stringify(stream);
    runs = null;
    error = null;
    try {
      const presets = tools.streamMetadata().presets;
      runs = streamConfigs(presets, stream).map(({ method, config }) => ({
        method,
        result: tools.runStream(config),
      }));
    } catch (err) {
      error = errorText(err);
    }
  }

  function render() {
    const state = store.get();
    const l = state.lang;
    const stream = state.stream;
    title.textContent = t(l, 'streamTitle');
    intro.textContent = t(l, 'streamIntro');
    textLabel.textContent = t(l, 'streamText');
    fields.relabel(l);
    fields.sync(stream);
    if (document.activeElement !== textInput && textInput.value !== stream.text) {
      textInput.value = stream.text;
      textError.textContent = '';
      textInput.removeAttribute('aria-invalid');
    }
    const reddi = stream.source === 'reddi';
    textRow.hidden = reddi;
    fields.inputs.C.closest('label').hidden = !reddi;
    fields.inputs.steps.closest('label').hidden = !reddi;
    figures.regret.hidden = !reddi;
    heads.movement.textContent = t(l, 'streamMovement');
    heads.x.textContent = t(l, 'streamX');
    heads.second.textContent = t(l, 'streamSecond');
    heads.regret.textContent = t(l, 'streamRegret');

    if (!tools) {
      status.textContent = error ?? t(l, 'streamLoading');
      section.dataset.state = error ? 'error' : 'loading';
      return;
    }
    if (ranFor !== JSON.stringify(stream)) {
      run(stream);
      app.stream = { stream, runs };
      app.events.emit('stream', app.stream);
    }
    if (error || !runs) {
      status.textContent = error;
      caption.replaceChildren();
      section.dataset.state = 'error';
      return;
    }
    status.textContent = '';
    const labelled = runs.map((r) => ({ ...r, label: methodLabel(l, M.methods.get(r.method)) }));
    const labels = labelled.map((r) => r.label);
    caption.replaceChildren(
      ...streamCaption(t, l, stream, labelled).map((line) => h('li', {}, line)),
    );
    const results = runs.map((r) => r.result);
    const xLabel = t(l, 'axisStep');
    const data = (pick) => chartData(results, pick, CHART_POINTS);
    charts.movement.update({ ...data((r) => r.movement), labels, log: true, xLabel });
    charts.x.update({ ...data((r) => r.x), labels, log: false, xLabel });
    charts.second.update({
      ...data((r) => (r.state.v_max ?? r.state.v)?.values),
      labels: [`${labels[0]} v`, `${labels[1]} v̂`],
      log: true,
      xLabel,
    });
    if (reddi)
      charts.regret.update({ ...data((r) => r.averageRegret), labels, log: false, xLabel });
    section.dataset.state = 'ready';
    section.dataset.steps = String(results[0].steps);
  }

  store.watch(
    (s) => [s.stream, s.lang],
    () => frame.request('stream', LATER, render),
  );
  // The tools module loads when the section comes near the viewport, or at once for a chapter
  // that shows it.
  const observer = new IntersectionObserver(
    (entries) => {
      if (entries.some((e) => e.isIntersecting)) {
        observer.disconnect();
        load();
      }
    },
    { rootMargin: '400px' },
  );
  observer.observe(section);
  // A chapter about streams (the tour's `stream` chapters) loads it at once.
  app.events.on('stream-wanted', load);
  if (app.wantStream) load();
  window.addEventListener('resize', () => Object.values(charts).forEach((c) => c.resize()));
  render();
  return { ready: Promise.resolve(), load };
}
