// SPDX-License-Identifier: MIT
// Inputs generated from a schema table (app/schema.js LAB_FIELDS, MLP_FIELDS): one labelled
// field per entry, a number field, a select or a list of integers by the entry's type. A field
// shows the value it is given and sends what the user types to onText(key, value): a number
// field's text is read against the entry (readNumberText: text, 1e999, NaN and out-of-range
// values are refused with a message naming the field, and the store keeps the last valid
// value); the rest is checked where it is applied. onText returns a problem or null, shown
// beside the field.

import { readNumberText } from '../app/schema.js';
import { t } from '../i18n.js';
import { h } from './dom.js';

/** "16,16" <-> [16, 16] ('' <-> []); a part that is not a number reads as NaN. */
function listText(v) {
  return Array.isArray(v) ? v.join(',') : '';
}
function readList(text) {
  const trimmed = String(text).trim();
  if (!trimmed) return [];
  return trimmed.split(',').map((s) => (s.trim() === '' ? NaN : Number(s.trim())));
}

/**
 * Builds the fields of `fields` ({ key: entry }) with ids `${prefix}-${key}` (camelCase keys as
 * kebab-case: labelNoise -> label-noise). options: { prefix, group (the field name's prefix in
 * messages, 'lab'), choiceLabel(lang, key, choice), onText(key, value) }. Returns { element,
 * inputs, sync(values), problem(), relabel(lang) }.
 */
export function schemaFields(fields, { prefix, group, choiceLabel, onText }) {
  const inputs = {};
  const errors = {};
  const labels = {};
  const rows = [];
  const kebab = (key) => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
  for (const [key, entry] of Object.entries(fields)) {
    const id = `${prefix}-${kebab(key)}`;
    let input;
    if (entry.type === 'choice') {
      input = h(
        'select',
        { id },
        entry.choices.map((c) => h('option', { value: c, dataset: { choice: c } }, c)),
      );
    } else if (entry.type === 'integer list') {
      input = h('input', { id, type: 'text', spellcheck: false, inputMode: 'numeric' });
    } else {
      // Text, not type=number: a number field would hide what was typed (1e999 reads as ''),
      // and the message should quote it.
      input = h('input', {
        id,
        type: 'text',
        spellcheck: false,
        autocomplete: 'off',
        inputMode: entry.type === 'integer' ? 'numeric' : 'decimal',
      });
    }
    const field = `${group}.${key}`;
    const send = () => {
      let value;
      if (entry.type === 'choice') value = input.value;
      else if (entry.type === 'integer list') value = readList(input.value);
      else {
        const read = readNumberText(input.value, entry, field);
        if (read.error) return show(key, read.error);
        value = read.value;
      }
      show(key, onText(key, value));
    };
    input.addEventListener(entry.type === 'choice' ? 'change' : 'input', send);
    if (entry.type !== 'choice') input.addEventListener('change', send);
    labels[key] = h('span', { dataset: { label: entry.label } });
    errors[key] = h('span', { className: 'param-error', attrs: { 'aria-live': 'polite' } });
    rows.push(h('label', { className: 'lab-field', htmlFor: id }, labels[key], input, errors[key]));
    inputs[key] = input;
  }
  function show(key, message) {
    errors[key].textContent = message ?? '';
    inputs[key].toggleAttribute('aria-invalid', !!message);
    return message;
  }
  return {
    element: h('div', { className: 'lab-inputs' }, rows),
    inputs,
    /** Shows `values` in every field that is not being edited (focused or invalid). */
    sync(values) {
      for (const [key, entry] of Object.entries(fields)) {
        const input = inputs[key];
        const v = values[key];
        const text = entry.type === 'integer list' ? listText(v) : String(v);
        if (document.activeElement === input && input.value !== '' && entry.type !== 'choice') {
          continue;
        }
        if (input.value !== text) input.value = text;
        show(key, null);
      }
    },
    /** The first problem a field shows now (its text was not taken), or null. */
    problem() {
      return Object.values(errors).find((e) => e.textContent)?.textContent ?? null;
    },
    relabel(lang) {
      for (const [key, entry] of Object.entries(fields)) {
        labels[key].textContent = t(lang, entry.label);
        inputs[key].title = entry.hint ? t(lang, entry.hint) : '';
        if (entry.type === 'choice') {
          for (const o of inputs[key].options) o.textContent = choiceLabel(lang, key, o.value);
        }
      }
    },
  };
}
