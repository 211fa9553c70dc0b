// SPDX-License-Identifier: MIT
// Input controls built from the core's metadata: a labelled slider + exact number field for a
// number parameter (log scale where the metadata says so), a checkbox, a select, a list field,
// and the controls of a whole parameter list (with Lookahead's nested inner method). A control
// shows the value it is given and reports edits through onValue(v), which returns an error
// message (shown beside the control, the value not taken) or null. Typed text that is not a
// number is refused here with a message naming the field; ranges are the core's to check.

import { choiceLabel, methodLabel, paramLabel, t } from '../i18n.js';
import { h, nextId } from './dom.js';

/** Slider positions of a number control. */
const SLIDER_MAX = 1000;

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
  // Text, not type=number: a number field would hide what was typed (1e999 reads as '').
  const number = h('input', {
    type: 'text',
    id,
    inputMode: 'decimal',
    spellcheck: false,
    autocomplete: 'off',
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
      const what =
        text === ''
          ? 'a number is needed'
          : `${JSON.stringify(text.slice(0, 40))} is not a finite number`;
      return report(`${label}: ${what}`);
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

/**
 * Builds one control per parameter of `meta.params` whose current values are `values`.
 * edit(path, value) applies a change at `path` (an array of keys below `values`).
 * Returns { primary: [elements], more: [elements], sync(values) }.
 */
export function paramControls({ owner, params, values, edit, lang, ctx, depth = 0 }) {
  const primary = [];
  const more = [];
  const syncers = [];
  // A method without a learning rate of its own (Lookahead) shows its own numbers on the card.
  const hasLr = params.some((p) => p.name === 'lr');
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
    const isPrimary = depth === 0 && (meta.name === 'lr' || !hasLr);
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
    // A method that wraps another (has an optimizer parameter) cannot be the inner one.
    ctx.methods
      .filter((d) => !d.params.some((p) => p.type === 'optimizer') || d.name === current)
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
