// SPDX-License-Identifier: MIT
// Properties of the link codec (web/app/url.js through web/app/schema.js) on
// hashes no valid state would write: random bytes and text, and random links
// built from the grammar with valid and invalid values. Reading never throws;
// what it reads writes back to a link that reads again cleanly to the same
// state; and a value the page does not take as written is named in an alert.
// LINK_RUNS=5000 node --test tests/js/link-codec.test.mjs: more runs.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { loadOptim } from './lib/optim.mjs';
import {
  LAB_FIELDS,
  MAX_SEED,
  MAX_STEPS,
  PALETTE,
  defaultRacer,
  defaultState,
} from '../../web/app/schema.js';
import { parseHash, serializeState } from '../../web/app/url.js';

const m = await loadOptim();
const RUNS = Number(process.env.LINK_RUNS ?? 100);
const METHODS = m.methods();
const FUNCTIONS = m.functions();

/** The number a link token means, read independently of the page: JS decimal syntax only. */
function numberOf(text) {
  const t = text.trim();
  return /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t) ? Number(t) : NaN;
}

/** Whether a field is `field`, below it or above it ("r[0]" and "r[0].lr" go together). */
function related(a, b) {
  const below = (x, y) => x.startsWith(`${y}.`) || x.startsWith(`${y}[`);
  return a === b || below(a, b) || below(b, a);
}

/** Whether an alert names `field`, a field below it or the section it is in. */
function named(errors, field) {
  return errors.some((e) => related(e.field, field));
}

/** parse(h) never throws; serialize(parse(h)) reads back to the same state with no alert. */
function assertStable(hash) {
  const { state, errors } = parseHash(hash, m);
  assert.ok(Array.isArray(errors));
  for (const e of errors) {
    assert.equal(typeof e.field, 'string');
    assert.ok(typeof e.message === 'string' && e.message.length > 0);
  }
  const again = serializeState(state, m);
  const back = parseHash(`#${again}`, m);
  assert.deepEqual(back.errors, [], `${JSON.stringify(hash)} -> ${again}`);
  assert.deepEqual(back.state, state, `${JSON.stringify(hash)} -> ${again}`);
  assert.equal(serializeState(back.state, m), again);
  return { state, errors };
}

// ---------------------------------------------------------------------------
// generators

const junkNumber = fc.oneof(
  fc.double().map(String),
  fc.double({ noNaN: true }).map((x) => (Number.isFinite(x) ? x.toExponential(3) : String(x))),
  fc.integer({ min: -10, max: 200000 }).map(String),
  fc.stringOf(fc.constantFrom(...'0123456789.eE+- ,x_'), { maxLength: 12 }),
  fc.constantFrom('', ' ', '1.', '.5', '-0', '+3', '1e3', '0x10', '1_000', 'Infinity', 'NaN', '٣'),
  fc.string({ maxLength: 8 }),
);
const numberList = (n) =>
  fc.array(junkNumber, { minLength: n, maxLength: n }).map((a) => a.join(','));

const methodArb = fc.constantFrom(...METHODS.map((d) => d.name));
/** A racer from the grammar: method(name=value, ...)*schedule@colour, values valid or not. */
const racerArb = methodArb.chain((name) => {
  const params = METHODS.find((d) => d.name === name).params.map((p) => p.name);
  const pair = fc.tuple(
    fc.constantFrom(...params, 'bogus', 'inner'),
    fc.oneof(junkNumber, methodArb),
  );
  return fc
    .tuple(
      fc.array(pair, { maxLength: 3 }),
      fc.option(fc.constantFrom('cosine(t_max=100)', 'step', 'exponential(gamma=2)', 'cyclic()')),
      fc.option(fc.constantFrom('e6194b', 'zzzzzz', '12345')),
    )
    .map(([pairs, schedule, colour]) => {
      let text = pairs.length ? `${name}(${pairs.map(([k, v]) => `${k}=${v}`).join(',')})` : name;
      if (schedule) text += `*${schedule}`;
      if (colour) text += `@${colour}`;
      return text;
    });
});
const entryArb = fc.oneof(
  fc.constant('v=1'),
  racerArb.map((r) => `r=${encodeURIComponent(r)}`),
  fc.constantFrom(...FUNCTIONS.map((d) => d.name), 'nope').map((f) => `fn=${f}`),
  fc
    .tuple(fc.constantFrom('a', 'b', 'c', 'expression'), junkNumber)
    .map(([k, v]) => `fp=${k}:${v}`),
  fc.constantFrom('x^2+y^2', 'sin(', '2x', '').map((e) => `expr=${encodeURIComponent(e)}`),
  fc.constantFrom('steps', 'noise', 'seed', 'sel').chain((k) => junkNumber.map((v) => `${k}=${v}`)),
  numberList(2).map((v) => `start=${v}`),
  numberList(4).map((v) => `view=${v}`),
  fc.constantFrom('en', 'zh', 'fr').map((v) => `lang=${v}`),
  fc.constantFrom('m', 'v', 'nothing').map((v) => `series=${v}`),
  fc
    .tuple(fc.constantFrom(...Object.keys(LAB_FIELDS), 'bogus'), junkNumber)
    .map(([k, v]) => `lab=${k}:${v}`),
  fc
    .tuple(fc.constantFrom('n', 'noise', 'batch', 'steps', 'hidden', 'dataset'), junkNumber)
    .map(([k, v]) => `mlp=${k}:${v}`),
);
const structuredArb = fc.array(entryArb, { maxLength: 8 }).map((e) => e.join('&'));
const bytesArb = fc.uint8Array({ maxLength: 200 }).map((bytes) => {
  // Some as raw Latin-1 text, some percent-encoded (which may be invalid UTF-8).
  const raw = String.fromCharCode(...bytes);
  const percent = [...bytes].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');
  return bytes.length % 2 ? raw : percent;
});

// ---------------------------------------------------------------------------

describe('link codec properties', () => {
  test('random bytes and text: parse never throws, and what it reads is stable', () => {
    fc.assert(
      fc.property(fc.oneof(bytesArb, fc.fullUnicodeString({ maxLength: 200 })), (hash) => {
        assertStable(hash);
        assertStable(`#v=1&${hash}`);
      }),
      { numRuns: RUNS },
    );
  });

  test('random links from the grammar: parse never throws, and what it reads is stable', () => {
    fc.assert(
      fc.property(structuredArb, (hash) => {
        assertStable(hash);
      }),
      { numRuns: RUNS },
    );
  });

  test('a plain number field the page does not take as written is named', () => {
    const fields = {
      steps: { n: 1, ok: ([v]) => Number.isInteger(v) && v >= 1 && v <= MAX_STEPS },
      noise: { n: 1, ok: ([v]) => v >= 0 },
      seed: { n: 1, ok: ([v]) => Number.isInteger(v) && v >= 0 && v <= MAX_SEED },
      sel: { n: 1, ok: ([v]) => v === 0 || v === 1 },
      start: { n: 2, ok: () => true },
      view: { n: 4, ok: ([a, b, c, d]) => a < b && c < d },
    };
    const read = {
      steps: (s) => [s.steps],
      noise: (s) => [s.noise.level],
      seed: (s) => [s.noise.seed],
      sel: (s) => [s.selected],
      start: (s) => s.start,
      view: (s) => s.view && [s.view.xmin, s.view.xmax, s.view.ymin, s.view.ymax],
    };
    const arb = fc
      .constantFrom(...Object.keys(fields))
      .chain((k) => fc.tuple(fc.constant(k), numberList(fields[k].n)));
    fc.assert(
      fc.property(arb, ([key, text]) => {
        const hash = `v=1&r=sgd&r=adam&${key}=${encodeURIComponent(text)}`;
        const { state, errors } = assertStable(hash);
        if (named(errors, key)) return;
        // Taken silently: exactly the numbers written, and valid ones.
        const wanted = text.split(',').map(numberOf);
        assert.ok(wanted.every(Number.isFinite) && fields[key].ok(wanted), hash);
        // == and not Object.is: a written -0 may stay -0 (start) or become 0 (steps).
        assert.ok(
          read[key](state).every((v, i) => v === wanted[i]),
          `${hash}: ${read[key](state)}`,
        );
        assert.equal(state.racers.length, 2, hash);
      }),
      { numRuns: RUNS * 2 },
    );
  });

  test('a hyperparameter or lab value the page does not take as written is named', () => {
    const numeric = METHODS.flatMap((d) =>
      d.params
        .filter((p) => p.type === 'number' || p.type === 'integer')
        .map((p) => [d.name, p.name]),
    );
    const racer = fc.tuple(fc.constantFrom(...numeric), junkNumber).map(([[method, param], v]) => ({
      hash: `v=1&r=${method}(${param}=${encodeURIComponent(v)})`,
      field: `r[0].${param}`,
      text: v,
      get: (s) => s.racers[0].optimizer.hyperparameters[param],
      method,
    }));
    const lab = fc.tuple(fc.constantFrom(...Object.keys(LAB_FIELDS)), junkNumber).map(([k, v]) => ({
      hash: `v=1&lab=${k}:${encodeURIComponent(v)}`,
      field: `lab.${k}`,
      text: v,
      get: (s) => s.lab[k],
    }));
    fc.assert(
      fc.property(fc.oneof(racer, lab), (c) => {
        const { state, errors } = assertStable(c.hash);
        if (c.method) assert.equal(state.racers[0].optimizer.name, c.method, c.hash);
        if (named(errors, c.field) || (c.method && named(errors, 'r[0]'))) return;
        const wanted = numberOf(c.text);
        assert.ok(Number.isFinite(wanted), `${c.hash} was taken silently`);
        assert.ok(c.get(state) === wanted, `${c.hash}: ${c.get(state)}`); // -0 == 0
      }),
      { numRuns: RUNS * 2 },
    );
  });

  test('a valid value from another state replaces its field and nothing else, silently', () => {
    const valid = fc.record({
      steps: fc.integer({ min: 1, max: MAX_STEPS }),
      noise: fc.double({ min: 0, max: 100, noNaN: true }),
      seed: fc.integer({ min: 0, max: MAX_SEED }),
      racer: methodArb,
    });
    fc.assert(
      fc.property(valid, valid, fc.constantFrom('steps', 'noise', 'seed', 'racer'), (a, b, k) => {
        const write = (s) => {
          const state = defaultState(m);
          state.steps = s.steps;
          state.noise = { level: s.noise + 0, seed: s.seed };
          state.racers = [{ ...defaultState(m).racers[0] }];
          state.racers[0] = parseHash(`v=1&r=${s.racer}`, m).state.racers[0];
          return state;
        };
        const base = write(a);
        const mixed = write({ ...a, [k]: b[k] });
        const link = new URLSearchParams(serializeState(base, m).replaceAll('+', '%2B'));
        const other = new URLSearchParams(serializeState(mixed, m).replaceAll('+', '%2B'));
        const key = k === 'racer' ? 'r' : k;
        if (other.has(key)) link.set(key, other.get(key));
        else link.delete(key);
        const { state, errors } = parseHash(link.toString().replaceAll('+', '%20'), m);
        assert.deepEqual(errors, []);
        assert.deepEqual(state, mixed);
      }),
      { numRuns: RUNS },
    );
  });

  test('a bare method in a link takes every default without an alert', () => {
    // Omitted parameters take the core's defaults (the link writes the card's learning rate
    // when it differs), and Lookahead's inner method is the racer card's.
    const cardInner = defaultRacer(m, 'lookahead').optimizer.hyperparameters.inner;
    for (const { name } of METHODS) {
      const { state, errors } = parseHash(`v=1&r=sgd&r=${name}`, m);
      assert.deepEqual(errors, [], name);
      const racer = state.racers[1];
      assert.equal(racer.color, PALETTE[1]);
      if (name === 'lookahead') {
        assert.deepEqual(racer.optimizer.hyperparameters.inner, cardInner);
        assert.deepEqual(racer.optimizer, defaultRacer(m, 'lookahead').optimizer);
      } else {
        assert.deepEqual(racer.optimizer, m.normalizeOptimizer({ name }), name);
      }
    }
  });
});
