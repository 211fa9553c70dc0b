// SPDX-License-Identifier: MIT
// The surface panel and the racer cards, built from the core's metadata (m.methods(),
// m.schedules(), m.functions()). Controls report edits through callbacks; a callback returns
// an error message (shown next to the control, nothing applied) or null. Cards are rebuilt
// only when their structure changes, so a slider being dragged keeps its focus.

import {
  choiceLabel,
  formatNumber,
  functionLabel,
  methodLabel,
  paramLabel,
  scheduleLabel,
  t,
} from './i18n.js';

/** Slider positions of a number control. */
const SLIDER_MAX = 1000;
/** Shown on the card itself besides lr (Lookahead's own); the rest sit under "More settings". */
const LOOKAHEAD_PRIMARY = new Set(['k', 'alpha']);
/** Methods offered as Lookahead's inner optimizer (not Lookahead itself). */
const NOT_INNER = new Set(['lookahead']);

let uid = 0;
const nextId = (prefix) => `${prefix}-${++uid}`;

/** document.createElement with properties, attributes ({attrs}) and children; text only. */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  const { attrs, dataset, ...rest } = props;
  Object.assign(el, rest);
  for (const [k, v] of Object.entries(attrs ?? {})) el.setAttribute(k, v);
  Object.assign(el.dataset, dataset ?? {});
  for (const c of children.flat()) {
    if (c !== null && c !== undefined && c !== false) {
      el.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
  }
  return el;
}

// ---------------------------------------------------------------------------------------------
// number controls: a range (log scale where the metadata says so) and an exact number field

function sliderScale(meta, value) {
  const lo = meta.softMin ?? meta.min ?? 0;
  let hi = meta.softMax ?? meta.max ?? Math.max(1, (Number.isFinite(value) ? value : 1) * 10);
  if (!(hi > lo)) hi = lo + 1;
  const log = meta.scale === 'log' && lo > 0;
  const integer = meta.type === 'integer';
  const toValue = (p) => {
    const u = p / SLIDER_MAX;
    if (log) return Number((lo * Math.pow(hi / lo, u)).toPrecision(3));
    const v = lo + u * (hi - lo);
    if (integer) return Math.round(v);
    const decimals = Math.max(0, -Math.floor(Math.log10((hi - lo) / SLIDER_MAX)));
    return Number(v.toFixed(Math.min(decimals, 12)));
  };
  const toPosition = (v) => {
    if (!Number.isFinite(v)) return 0;
    const u = log ? Math.log(v / lo) / Math.log(hi / lo) : (v - lo) / (hi - lo);
    return Math.round(Math.min(Math.max(u, 0), 1) * SLIDER_MAX);
  };
  return { toValue, toPosition };
}

/** The text of a value in a number field: exact (String), '' for null. */
const fieldText = (v) => (v === null || v === undefined ? '' : String(v));

/**
 * A labelled range + number pair for a 'number' or 'integer' parameter. onValue(v) returns an
 * error message or null. Returns the element; el.sync(v) shows a value without emitting.
 */
function numberControl({ meta, value, label, onValue, lang }) {
  const id = nextId('p');
  const scale = sliderScale(meta, value);
  const range = h('input', {
    type: 'range',
    min: '0',
    max: String(SLIDER_MAX),
    step: '1',
    attrs: { 'aria-label': label },
    dataset: { param: meta.name },
  });
  const number = h('input', {
    type: 'number',
    id,
    step: 'any',
    inputMode: 'decimal',
    dataset: { param: meta.name },
  });
  if (meta.nullable) number.placeholder = t(lang, 'auto');
  const error = h('span', { className: 'param-error', attrs: { 'aria-live': 'polite' } });
  const el = h(
    'div',
    { className: 'param number' },
    h('label', { htmlFor: id }, label),
    range,
    number,
    error,
  );
  let shown = value;

  const report = (message) => {
    error.textContent = message ?? '';
    number.toggleAttribute('aria-invalid', !!message);
    el.classList.toggle('invalid', !!message);
  };
  const emit = (v) => {
    if (Object.is(v, shown)) return report(null);
    const message = onValue(v);
    report(message);
    if (!message) shown = v;
  };
  range.addEventListener('input', () => {
    const v = scale.toValue(Number(range.value));
    number.value = fieldText(v);
    emit(v);
  });
  const fromField = () => {
    const text = number.value.trim();
    if (text === '' && meta.nullable) return emit(null);
    const v = Number(text);
    if (text === '' || !Number.isFinite(v)) {
      return report(
        `${label}: ${text === '' ? 'a number is needed' : `"${text}" is not a number`}`,
      );
    }
    range.value = String(scale.toPosition(v));
    emit(v);
  };
  number.addEventListener('input', fromField);
  number.addEventListener('change', fromField);

  el.sync = (v) => {
    shown = v;
    if (document.activeElement !== number) number.value = fieldText(v);
    if (document.activeElement !== range) range.value = String(scale.toPosition(v ?? NaN));
    if (document.activeElement !== number) report(null);
  };
  el.sync(value);
  return el;
}

function booleanControl({ meta, value, label, onValue }) {
  const box = h('input', { type: 'checkbox', checked: !!value, dataset: { param: meta.name } });
  const el = h('div', { className: 'param boolean' }, h('label', {}, box, ' ', label));
  box.addEventListener('change', () => {
    const message = onValue(box.checked);
    if (message) box.checked = !box.checked;
  });
  el.sync = (v) => {
    box.checked = !!v;
  };
  return el;
}

function choiceControl({ meta, value, label, onValue, lang }) {
  const id = nextId('p');
  const select = h(
    'select',
    { id, dataset: { param: meta.name } },
    meta.choices.map((c) => h('option', { value: c }, choiceLabel(lang, c))),
  );
  select.value = value;
  select.addEventListener('change', () => onValue(select.value));
  const el = h('div', { className: 'param choice' }, h('label', { htmlFor: id }, label), select);
  el.sync = (v) => {
    if (document.activeElement !== select) select.value = v;
  };
  return el;
}

/** "100, 200" <-> [100, 200] for 'integer list' parameters. */
function listControl({ meta, value, label, onValue, lang }) {
  const id = nextId('p');
  const input = h('input', {
    type: 'text',
    id,
    inputMode: 'numeric',
    placeholder: t(lang, 'milestonesHint'),
    dataset: { param: meta.name },
  });
  const error = h('span', { className: 'param-error', attrs: { 'aria-live': 'polite' } });
  const el = h(
    'div',
    { className: 'param list' },
    h('label', { htmlFor: id }, label),
    input,
    error,
  );
  input.addEventListener('change', () => {
    const parts = input.value.split(',').map((s) => s.trim());
    const list = parts.filter((s) => s !== '').map(Number);
    const message = list.some((v) => !Number.isInteger(v))
      ? `${label}: whole numbers separated by commas`
      : onValue(list);
    error.textContent = message ?? '';
    input.toggleAttribute('aria-invalid', !!message);
  });
  el.sync = (v) => {
    if (document.activeElement !== input) input.value = Array.isArray(v) ? v.join(', ') : '';
  };
  el.sync(value);
  return el;
}

// ---------------------------------------------------------------------------------------------
// schedules: defaults that fit the run, and presets for the list-valued ones

/** A schedule spec with its required parameters filled to suit `steps` and learning rate `lr`. */
export function scheduleTemplate(name, steps, lr) {
  const third = Math.max(1, Math.round(steps / 3));
  const tenth = Math.max(1, Math.round(steps / 10));
  const p = {
    step: { step_size: third },
    multistep: { milestones: [Math.round(steps / 2), Math.round((3 * steps) / 4)] },
    exponential: { gamma: 0.99 },
    cosine: { t_max: steps },
    cosine_warm_restarts: { t_0: Math.max(1, Math.round(steps / 4)) },
    cyclic: {
      base_lr: Number((lr / 10).toPrecision(3)),
      max_lr: lr,
      step_size_up: Math.max(1, Math.round(steps / 6)),
    },
    one_cycle: { max_lr: lr, total_steps: steps },
    linear_warmup: { warmup_steps: tenth },
    exponential_warmup: { tau: Math.max(1, Math.round(steps / 20)) },
  }[name];
  if (name === 'sequential') return schedulePreset('warmup-cosine', steps);
  if (name === 'chain') return schedulePreset('warmup-x-cosine', steps);
  return { name, params: p ?? {} };
}

const PRESETS = {
  sequential: [
    ['warmup-cosine', 'presetWarmupCosine'],
    ['warmup-constant', 'presetWarmupConstant'],
  ],
  chain: [
    ['warmup-x-cosine', 'presetWarmupTimesCosine'],
    ['warmup-x-step', 'presetWarmupTimesStep'],
  ],
};

export function schedulePreset(preset, steps) {
  const w = Math.max(1, Math.round(steps / 10));
  const warm = { name: 'linear_warmup', params: { warmup_steps: w, start_factor: 0.1 } };
  switch (preset) {
    case 'warmup-constant':
      return {
        name: 'sequential',
        params: { schedules: [warm, { name: 'constant', params: {} }], milestones: [w] },
      };
    case 'warmup-x-cosine':
      return {
        name: 'chain',
        params: { schedules: [warm, { name: 'cosine', params: { t_max: steps } }] },
      };
    case 'warmup-x-step':
      return {
        name: 'chain',
        params: {
          schedules: [
            warm,
            { name: 'step', params: { step_size: Math.max(1, Math.round(steps / 3)) } },
          ],
        },
      };
    default:
      return {
        name: 'sequential',
        params: {
          schedules: [warm, { name: 'cosine', params: { t_max: Math.max(1, steps - w) } }],
          milestones: [w],
        },
      };
  }
}

/** Which preset a sequential/chain spec is, or null (then the link's own list is kept). */
function presetOf(schedule, steps) {
  for (const [preset] of PRESETS[schedule.name] ?? []) {
    if (
      JSON.stringify(schedulePreset(preset, steps).params.schedules.map((s) => s.name)) ===
      JSON.stringify(schedule.params.schedules?.map((s) => s.name))
    ) {
      return preset;
    }
  }
  return null;
}

/** "linear_warmup(warmup_steps=30) → cosine(t_max=270)": a readable summary of a list. */
function describeList(schedule, lang, schedulesMeta) {
  const parts = (schedule.params.schedules ?? []).map((s) => {
    const meta = schedulesMeta.get(s.name);
    const args = Object.entries(s.params ?? {})
      .filter(([k, v]) => {
        const p = meta?.params.find((q) => q.name === k);
        return !p || JSON.stringify(p.default) !== JSON.stringify(v);
      })
      .map(([k, v]) => `${k}=${Array.isArray(v) ? `[${v}]` : formatNumber(v, 4)}`);
    return `${scheduleLabel(lang, meta, s.name)}${args.length ? ` (${args.join(', ')})` : ''}`;
  });
  const glue = schedule.name === 'chain' ? ' × ' : ' → ';
  const ms = schedule.params.milestones;
  return parts.join(glue) + (ms?.length ? `  [${ms.join(', ')}]` : '');
}

// ---------------------------------------------------------------------------------------------
// parameter lists

/**
 * Builds one control per parameter of `meta.params` whose current values are `values`.
 * edit(path, value) applies a change at `path` (an array of keys below `values`).
 * Returns { primary: [elements], more: [elements], sync(values) }.
 */
function paramControls({ owner, params, values, edit, lang, ctx, depth = 0 }) {
  const primary = [];
  const more = [];
  const syncers = [];
  for (const meta of params) {
    const label = paramLabel(lang, owner, meta.name);
    const onValue = (v) => edit([meta.name], v);
    const value = values?.[meta.name];
    let el = null;
    if (meta.type === 'number' || meta.type === 'integer') {
      el = numberControl({ meta, value, label, onValue, lang });
    } else if (meta.type === 'boolean') {
      el = booleanControl({ meta, value, label, onValue });
    } else if (meta.type === 'choice') {
      el = choiceControl({ meta, value, label, onValue, lang });
    } else if (meta.type === 'integer list') {
      el = listControl({ meta, value, label, onValue, lang });
    } else if (meta.type === 'optimizer') {
      const inner = innerControls({ value, label, edit, lang, ctx, depth });
      primary.push(inner.head);
      more.push(...inner.more);
      primary.push(...inner.primary);
      syncers.push((vals) => inner.sync(vals?.[meta.name]));
      continue;
    }
    if (!el) continue;
    const isPrimary =
      depth === 0 &&
      (meta.name === 'lr' || (owner === 'lookahead' && LOOKAHEAD_PRIMARY.has(meta.name)));
    (isPrimary ? primary : more).push(el);
    syncers.push((vals) => el.sync(vals?.[meta.name]));
  }
  return { primary, more, sync: (vals) => syncers.forEach((s) => s(vals)) };
}

/** Lookahead's inner optimizer: a method select and the inner method's own controls. */
function innerControls({ value, label, edit, lang, ctx, depth }) {
  const id = nextId('inner');
  const current = value?.name;
  const select = h(
    'select',
    { id, className: 'inner-method' },
    ctx.methods
      .filter((d) => !NOT_INNER.has(d.name) || d.name === current)
      .map((d) => h('option', { value: d.name }, methodLabel(lang, d))),
  );
  select.value = current;
  select.addEventListener('change', () => edit(['inner'], { replace: select.value }));
  const head = h(
    'div',
    { className: 'param choice inner' },
    h('label', { htmlFor: id }, label),
    select,
  );
  const meta = ctx.methodsByName.get(current);
  const nested = meta
    ? paramControls({
        owner: current,
        params: meta.params,
        values: value.hyperparameters,
        edit: (path, v) => edit(['inner', 'hyperparameters', ...path], v),
        lang,
        ctx,
        depth: depth + 1,
      })
    : { primary: [], more: [], sync() {} };
  // The inner learning rate is the one a user tunes: keep it on the card.
  const lr = nested.more.find((el) => el.querySelector('[data-param="lr"]'));
  const more = nested.more.filter((el) => el !== lr);
  return {
    head,
    primary: [...nested.primary, ...(lr ? [lr] : [])],
    more,
    sync: (v) => nested.sync(v?.hyperparameters),
  };
}

// ---------------------------------------------------------------------------------------------
// racer cards

function structureKey(racer, lang, index, count) {
  const names = [];
  let spec = racer.optimizer;
  for (let d = 0; spec && d < 8; d++) {
    names.push(spec.name);
    spec = spec.hyperparameters?.inner;
  }
  const s = racer.schedule;
  const list = s?.params?.schedules ? JSON.stringify(s.params.schedules.map((x) => x.name)) : '';
  return [lang, index, count > 1, names.join('/'), s?.name ?? '', list].join('|');
}

/**
 * The racer list. handlers: edit(index, path, value) -> error | null (path below the racer,
 * e.g. ['optimizer', 'hyperparameters', 'lr']); method(index, name); schedule(index, spec);
 * colour(index, hex); duplicate(index); remove(index); select(index); add().
 */
export function createRacerList(list, addButton, handlers) {
  const open = new Set();
  let cards = [];
  addButton.addEventListener('click', () => handlers.add());

  function card(racer, index, count, lang, ctx, steps) {
    const methodMeta = ctx.methodsByName.get(racer.optimizer.name);
    const edit = (path, value) => {
      const full = ['optimizer', 'hyperparameters', ...path];
      if (path.at(-1) === 'inner' && value?.replace)
        return handlers.innerMethod(index, full, value.replace);
      return handlers.edit(index, full, value);
    };
    const methodId = nextId('method');
    const method = h(
      'select',
      { id: methodId, className: 'method', attrs: { 'aria-label': t(lang, 'method') } },
      ctx.methods.map((d) => h('option', { value: d.name }, methodLabel(lang, d))),
    );
    method.value = racer.optimizer.name;
    method.addEventListener('change', () => handlers.method(index, method.value));

    const colour = h('input', {
      type: 'color',
      className: 'swatch',
      value: racer.color,
      attrs: { 'aria-label': t(lang, 'colour') },
    });
    colour.addEventListener('input', () => handlers.colour(index, colour.value));

    const duplicate = h('button', {
      type: 'button',
      className: 'duplicate icon',
      title: t(lang, 'duplicate'),
      disabled: count >= ctx.maxRacers,
      attrs: { 'aria-label': t(lang, 'duplicate') },
    });
    duplicate.append(icon('duplicate'));
    duplicate.addEventListener('click', () => handlers.duplicate(index));
    const remove = h('button', {
      type: 'button',
      className: 'remove icon',
      title: t(lang, 'remove'),
      disabled: count <= 1,
      attrs: { 'aria-label': t(lang, 'remove') },
    });
    remove.append(icon('remove'));
    remove.addEventListener('click', () => handlers.remove(index));

    const params = paramControls({
      owner: racer.optimizer.name,
      params: methodMeta?.params ?? [],
      values: racer.optimizer.hyperparameters,
      edit,
      lang,
      ctx,
    });

    // Schedule: a select, then the schedule's own parameters.
    const scheduleId = nextId('schedule');
    const scheduleSelect = h(
      'select',
      { id: scheduleId, className: 'schedule' },
      h('option', { value: '' }, t(lang, 'scheduleNone')),
      ctx.schedules.map((d) => h('option', { value: d.name }, scheduleLabel(lang, d))),
    );
    scheduleSelect.value = racer.schedule?.name ?? '';
    const lr =
      racer.optimizer.hyperparameters.lr ??
      racer.optimizer.hyperparameters.inner?.hyperparameters?.lr ??
      0.01;
    scheduleSelect.addEventListener('change', () =>
      handlers.schedule(
        index,
        scheduleSelect.value ? scheduleTemplate(scheduleSelect.value, steps, lr) : null,
      ),
    );
    const scheduleParts = [
      h(
        'div',
        { className: 'param choice' },
        h('label', { htmlFor: scheduleId }, t(lang, 'schedule')),
        scheduleSelect,
      ),
    ];
    let scheduleSync = () => {};
    const s = racer.schedule;
    const sMeta = s && ctx.schedulesByName.get(s.name);
    if (s && sMeta) {
      const simple = sMeta.params.filter((p) => p.type !== 'schedule list');
      const sp = paramControls({
        owner: s.name,
        params: simple,
        values: s.params,
        edit: (path, v) => handlers.edit(index, ['schedule', 'params', ...path], v),
        lang,
        ctx,
        depth: 1,
      });
      if (sMeta.params.some((p) => p.type === 'schedule list')) {
        scheduleParts.push(listEditor(s, index, lang, ctx, steps, handlers));
      }
      scheduleParts.push(...sp.more);
      scheduleSync = (sch) => sp.sync(sch?.params);
    }

    const status = h('p', { className: 'racer-status' });
    const error = h('p', { className: 'racer-error', attrs: { 'aria-live': 'polite' } });
    const details = h(
      'details',
      { className: 'more', open: open.has(index) },
      h('summary', {}, t(lang, 'moreSettings')),
      h('div', { className: 'more-body' }, params.more, scheduleParts),
    );
    details.addEventListener('toggle', () => {
      if (details.open) open.add(index);
      else open.delete(index);
    });

    const li = h(
      'li',
      { className: 'racer', tabIndex: 0 },
      h('div', { className: 'racer-head' }, colour, method, duplicate, remove),
      status,
      h('div', { className: 'racer-params' }, params.primary),
      details,
      error,
    );
    li.addEventListener('click', (e) => {
      if (!e.target.closest('input, select, button, summary, label, details[open] .more-body')) {
        handlers.select(index);
      }
    });
    li.addEventListener('keydown', (e) => {
      if (e.target === li && (e.key === 'Enter' || e.key === ' ')) {
        e.preventDefault();
        handlers.select(index);
      }
    });
    li.sync = (r) => {
      params.sync(r.optimizer.hyperparameters);
      scheduleSync(r.schedule);
      if (document.activeElement !== colour) colour.value = r.color;
      li.style.setProperty('--racer', r.color);
    };
    li.status = status;
    li.error = error;
    li.sync(racer);
    return li;
  }

  function listEditor(schedule, index, lang, ctx, steps, handlers) {
    const id = nextId('preset');
    const presets = PRESETS[schedule.name] ?? [];
    const current = presetOf(schedule, steps);
    const select = h(
      'select',
      { id },
      current ? null : h('option', { value: '' }, t(lang, 'presetKeep')),
      presets.map(([value, key]) => h('option', { value }, t(lang, key))),
    );
    select.value = current ?? '';
    select.addEventListener('change', () => {
      if (select.value) handlers.schedule(index, schedulePreset(select.value, steps));
    });
    return h(
      'div',
      { className: 'param choice preset' },
      h('label', { htmlFor: id }, t(lang, 'preset')),
      select,
      h('p', { className: 'list-summary' }, describeList(schedule, lang, ctx.schedulesByName)),
    );
  }

  return {
    /** Shows the racers of `state`; ctx: {methods, methodsByName, schedules, schedulesByName, maxRacers}. */
    render(state, lang, ctx) {
      const count = state.racers.length;
      const next = state.racers.map((racer, i) => {
        const key =
          structureKey(racer, lang, i, count) + `|${count >= ctx.maxRacers}|${state.steps}`;
        const old = cards[i];
        if (old && old.dataset.key === key) {
          old.sync(racer);
          return old;
        }
        const el = card(racer, i, count, lang, ctx, state.steps);
        el.dataset.key = key;
        return el;
      });
      next.forEach((el, i) => {
        if (list.children[i] !== el) list.insertBefore(el, list.children[i] ?? null);
        el.classList.toggle('selected', i === state.selected);
        if (i === state.selected) el.setAttribute('aria-current', 'true');
        else el.removeAttribute('aria-current');
      });
      while (list.children.length > count) list.lastElementChild.remove();
      cards = next;
      addButton.disabled = count >= ctx.maxRacers;
    },
    /** Status lines: [{text, diverged}] per racer. */
    status(lines) {
      lines.forEach((line, i) => {
        const el = cards[i]?.status;
        if (el && el.textContent !== line.text) el.textContent = line.text;
        cards[i]?.classList.toggle('diverged', !!line.diverged);
      });
    },
    /** An error message on racer `index`'s card ('' clears it). */
    error(index, message) {
      const el = cards[index]?.error;
      if (el) el.textContent = message ?? '';
    },
    /** Racer `index` is being removed: the open "More settings" of later cards move up. */
    forget(index) {
      const kept = [...open].filter((i) => i !== index).map((i) => (i > index ? i - 1 : i));
      open.clear();
      kept.forEach((i) => open.add(i));
    },
  };
}

/** Small inline icons (SVG built with DOM calls; nothing parsed from text). */
function icon(name) {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 16 16');
  svg.setAttribute('width', '14');
  svg.setAttribute('height', '14');
  svg.setAttribute('aria-hidden', 'true');
  const path = document.createElementNS(ns, 'path');
  path.setAttribute(
    'd',
    name === 'remove' ? 'M4 4l8 8M12 4l-8 8' : 'M5.5 5.5h7v7h-7zM3.5 10.5v-7h7',
  );
  path.setAttribute('fill', 'none');
  path.setAttribute('stroke', 'currentColor');
  path.setAttribute('stroke-width', '1.6');
  path.setAttribute('stroke-linecap', 'round');
  path.setAttribute('stroke-linejoin', 'round');
  svg.append(path);
  return svg;
}

// ---------------------------------------------------------------------------------------------
// the surface panel

/**
 * The surface controls inside the existing elements #function, #function-params, #expression,
 * #steps, #noise-level, #noise-seed. handlers: fn(name); param(name, value) -> error | null;
 * expression(text) -> error | null; steps(n) -> error | null; noise({level?, seed?}).
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

  const integerField = (input, apply) => {
    const send = () => {
      const v = Number(input.value);
      if (input.value.trim() === '' || !Number.isInteger(v)) {
        input.setAttribute('aria-invalid', 'true');
        return;
      }
      const message = apply(v);
      input.toggleAttribute('aria-invalid', !!message);
    };
    input.addEventListener('change', send);
    input.addEventListener('input', () => {
      if (input.value.trim() !== '' && Number.isInteger(Number(input.value))) send();
    });
  };
  integerField(els.steps, (n) => handlers.steps(n));
  integerField(els.seed, (n) => handlers.noise({ seed: n }));

  // Noise level: the number field is exact; the slider is logarithmic from 0.01 to 100.
  const noiseFromSlider = (p) =>
    p <= 0 ? 0 : Number((10 ** (-2 + (4 * p) / 1000)).toPrecision(2));
  const sliderFromNoise = (v) => (v > 0 ? Math.round(((Math.log10(v) + 2) / 4) * 1000) : 0);
  els.noiseSlider.addEventListener('input', () => {
    const v = noiseFromSlider(Number(els.noiseSlider.value));
    els.noise.value = String(v);
    handlers.noise({ level: v });
  });
  const noiseField = () => {
    const v = Number(els.noise.value);
    if (els.noise.value.trim() === '' || !Number.isFinite(v) || v < 0) {
      els.noise.setAttribute('aria-invalid', 'true');
      return;
    }
    els.noise.removeAttribute('aria-invalid');
    els.noiseSlider.value = String(sliderFromNoise(v));
    handlers.noise({ level: v });
  };
  els.noise.addEventListener('input', noiseField);
  els.noise.addEventListener('change', noiseField);
  els.newSeed.addEventListener('click', () => {
    const seed = Math.floor(Math.random() * 4294967296);
    els.seed.value = String(seed);
    handlers.noise({ seed });
  });

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

// ---------------------------------------------------------------------------------------------
// share

/**
 * The "Copy link" button: copies url() with the Clipboard API; without permission it shows
 * the link selected in a read-only field (and tries the older copy command). label(key)
 * gives the button's text for 'copyLink', 'copied' or 'copyManual'.
 */
export function attachCopyLink(button, { url, label, fallback, field }) {
  let timer = 0;
  const text = button.querySelector('.label');
  const show = (key) => {
    text.textContent = label(key);
    button.classList.toggle('done', key === 'copied');
    clearTimeout(timer);
    timer = setTimeout(() => {
      text.textContent = label('copyLink');
      button.classList.remove('done');
    }, 2000);
  };
  button.addEventListener('click', async () => {
    const href = url();
    try {
      await navigator.clipboard.writeText(href);
      fallback.hidden = true;
      show('copied');
    } catch {
      fallback.hidden = false;
      field.value = href;
      field.focus();
      field.select();
      let copied = false;
      try {
        copied = document.execCommand('copy');
      } catch {
        copied = false;
      }
      show(copied ? 'copied' : 'copyManual');
    }
  });
}
