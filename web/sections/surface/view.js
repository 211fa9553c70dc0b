// SPDX-License-Identifier: MIT
// The surface panel: the function (every function of the core, or a custom expression), its
// parameters, the number of steps and the gradient noise with its seed. It shows the store's
// state and dispatches actions; a rejected value keeps the last valid one and says why.

import * as actions from '../../app/actions.js';
import { MAX_SEED, RACE_FIELDS, readNumberText } from '../../app/schema.js';
import { functionLabel, t } from '../../i18n.js';
import { paramControls } from '../../ui/controls.js';
import { h } from '../../ui/dom.js';

/**
 * The surface controls inside the existing elements #function, #function-params, #expression,
 * #steps, #noise-level, #noise-seed. handlers (each returns a problem's message or null):
 * fn(name); param(name, value); expression(text); steps(text); noise(text); seed(text);
 * newSeed().
 */
export function createSurfacePanel(els, handlers) {
  let paramsKey = '';
  let paramsSync = () => {};
  let expressionTimer = 0;

  els.fn.addEventListener('change', () => handlers.fn(els.fn.value));

  const sendExpression = () => {
    clearTimeout(expressionTimer);
    handlers.expression(els.expression.value);
  };
  els.expression.addEventListener('input', () => {
    clearTimeout(expressionTimer);
    expressionTimer = setTimeout(sendExpression, 400);
  });
  els.expression.addEventListener('change', sendExpression);

  /** A typed field: its text goes to `send`, which returns a problem (shown) or null. */
  const field = (input, send, { live = true } = {}) => {
    const go = () => input.toggleAttribute('aria-invalid', !!send(input.value));
    input.addEventListener('change', go);
    if (live) input.addEventListener('input', go);
  };
  field(els.steps, handlers.steps);
  field(els.seed, handlers.seed);

  // Noise level: the number field is exact; the slider is logarithmic from 0.01 to 100.
  const noiseFromSlider = (p) =>
    p <= 0 ? 0 : Number((10 ** (-2 + (4 * p) / 1000)).toPrecision(2));
  const sliderFromNoise = (v) => (v > 0 ? Math.round(((Math.log10(v) + 2) / 4) * 1000) : 0);
  els.noiseSlider.addEventListener('input', () => {
    const v = noiseFromSlider(Number(els.noiseSlider.value));
    els.noise.value = String(v);
    els.noise.toggleAttribute('aria-invalid', !!handlers.noise(String(v)));
  });
  field(els.noise, handlers.noise);
  els.newSeed.addEventListener('click', () => handlers.newSeed());

  const set = (input, text) => {
    if (document.activeElement !== input && input.value !== text) input.value = text;
  };

  return {
    render(state, lang, ctx) {
      // Function select: every function of the core, labels in the page's language.
      const optionsKey = lang;
      if (els.fn.dataset.key !== optionsKey) {
        els.fn.replaceChildren(
          ...ctx.functions.map((d) => h('option', { value: d.name }, functionLabel(lang, d))),
        );
        els.fn.dataset.key = optionsKey;
      }
      els.fn.value = state.fn.name;

      const meta = ctx.functionsByName.get(state.fn.name);
      const numeric = (meta?.params ?? []).filter(
        (p) => p.type === 'number' || p.type === 'integer',
      );
      const key = `${lang}|${state.fn.name}`;
      if (key !== paramsKey) {
        const controls = paramControls({
          owner: state.fn.name,
          params: numeric,
          values: state.fn.params,
          edit: (path, v) => handlers.param(path[0], v),
          lang,
          ctx,
          depth: 1,
        });
        els.params.replaceChildren(...controls.more);
        els.params.hidden = numeric.length === 0;
        paramsSync = controls.sync;
        paramsKey = key;
      } else {
        paramsSync(state.fn.params);
      }

      const custom = meta?.params.some((p) => p.type === 'string');
      els.expressionRow.hidden = !custom;
      if (custom) set(els.expression, String(state.fn.params.expression ?? ''));
      set(els.steps, String(state.steps));
      set(els.noise, String(state.noise.level));
      if (document.activeElement !== els.noiseSlider) {
        els.noiseSlider.value = String(sliderFromNoise(state.noise.level));
      }
      set(els.seed, String(state.noise.seed));
    },
  };
}

/** Mounts the surface panel (the elements of index.html's #surface-panel). */
export function mountSurface(app) {
  const { m, store, ctx } = app;
  const $ = (id) => document.getElementById(id);
  /** Applies an action; returns the first problem's message (shown by the control) or null. */
  const apply = (action) => {
    let errors;
    try {
      errors = store.update(action);
    } catch (err) {
      errors = [{ message: err instanceof Error ? err.message : String(err) }];
    }
    const message = errors.length ? errors[0].message : null;
    app.alerts.input(message);
    return message;
  };
  const panel = createSurfacePanel(
    {
      fn: $('function'),
      params: $('function-params'),
      expression: $('expression'),
      expressionRow: $('expression-row'),
      steps: $('steps'),
      noise: $('noise-level'),
      noiseSlider: $('noise-level-slider'),
      seed: $('noise-seed'),
      newSeed: $('new-seed'),
    },
    {
      fn: (name) => {
        const message = apply((s) => actions.setFunction(s, m, name));
        if (!message) app.playback.restart();
        return message;
      },
      param: (key, value) => apply((s) => actions.setFunctionParam(s, key, value)),
      expression: (text) => {
        const message = apply((s) => actions.setFunctionParam(s, 'expression', text));
        return message
          ? app.alerts.input(t(store.get().lang, 'expressionError', { message }))
          : null;
      },
      steps: (text) => {
        const read = readNumberText(text, RACE_FIELDS.steps, 'steps');
        return read.error
          ? app.alerts.input(read.error)
          : apply((s) => actions.setSteps(s, read.value));
      },
      noise: (text) => {
        const read = readNumberText(text, RACE_FIELDS.noise, 'noise');
        return read.error
          ? app.alerts.input(read.error)
          : apply((s) => actions.setNoiseLevel(s, read.value));
      },
      seed: (text) => {
        const read = readNumberText(text, RACE_FIELDS.seed, 'seed');
        return read.error
          ? app.alerts.input(read.error)
          : apply((s) => actions.setSeed(s, read.value));
      },
      newSeed: () => apply((s) => actions.setSeed(s, Math.floor(Math.random() * (MAX_SEED + 1)))),
    },
  );
  store.watch(
    (s) => [s.fn, s.steps, s.noise, s.lang],
    (_, __, state) => panel.render(state, state.lang, ctx),
  );
}
