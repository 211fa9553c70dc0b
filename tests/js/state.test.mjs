// SPDX-License-Identifier: MIT
// web/state.js with the wasm module in Node: defaults, round trips of random
// valid states built from the module's metadata, a table of malformed links,
// and random text as a hash (never throws, always usable, fast).

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { loadOptim } from './lib/optim.mjs';
import {
  EMBED_PARTS,
  MAX_EXPRESSION,
  MAX_HASH,
  MAX_RACERS,
  MAX_STEPS,
  PALETTE,
  VERSION,
  LAB_FIELDS,
  MLP_STEPS,
  defaultLab,
  defaultMlp,
  defaultRacer,
  defaultState,
  defaultDigits,
  defaultStream,
  defaultTools,
  normalizeLab,
  normalizeMlp,
  runConfig,
  CHAPTER_ID,
  QUESTIONS,
} from '../../web/app/schema.js';
import { parseHash, serializeState } from '../../web/app/url.js';

const m = await loadOptim();
// STATE_RUNS=5000 node --test tests/js/state.test.mjs: more runs of the property tests.

const METHODS = m.methods();
const SCHEDULES = m.schedules();
const FUNCTIONS = m.functions();
const method = (name) => METHODS.find((d) => d.name === name);
const fnMeta = (name) => FUNCTIONS.find((d) => d.name === name);
const stringParam = (d) => d.params.find((p) => p.type === 'string');

/** The learning rates new racers start with (web/state.js DEFAULT_LR). */
const RACER_LR = {
  sgd: 0.002,
  sgd_momentum: 0.002,
  momentum_classic: 0.002,
  nag: 0.002,
  adagrad: 0.5,
  rmsprop: 0.01,
  adadelta: 1,
  adam: 0.02,
  adamax: 0.05,
  amsgrad: 0.02,
  adabound: 0.02,
  amsbound: 0.02,
  swats: 0.02,
  radam: 0.003,
  nadam: 0.02,
  nadam_dozat: 0.02,
  adamw: 0.02,
  sgdw: 0.002,
};

// ---------------------------------------------------------------------------
// helpers

/** Parses and asserts the state is usable: it serializes, re-parses cleanly and runs. */
function parseUsable(hash, lang) {
  const { state, errors } = parseHash(hash, m, lang);
  assertUsable(state, errors);
  return { state, errors };
}

function assertUsable(state, errors) {
  assert.ok(Array.isArray(errors));
  for (const e of errors) {
    assert.deepEqual(Object.keys(e).sort(), ['field', 'message']);
    assert.equal(typeof e.field, 'string');
    assert.equal(typeof e.message, 'string');
    assert.ok(e.message.length > 0);
  }
  assert.ok(state.racers.length >= 1 && state.racers.length <= MAX_RACERS);
  assert.ok(state.selected >= 0 && state.selected < state.racers.length);
  const again = parseHash(serializeState(state, m), m, state.lang);
  assert.deepEqual(again.errors, []);
  assert.deepEqual(again.state, state);
}

/** The racers of a state can all run, in the exact config runConfig builds. */
function assertRuns(state) {
  for (const racer of state.racers) {
    const result = m.run({ ...runConfig(state, racer), steps: Math.min(state.steps, 50) });
    assert.ok(result.steps >= 0);
  }
}

const fields = (errors) => errors.map((e) => e.field);

function assertField(errors, field) {
  assert.ok(
    fields(errors).includes(field),
    `expected an error for ${field}, got ${JSON.stringify(errors, null, 1)}`,
  );
}

/** Does value v lie in the valid range of parameter p (metadata)? */
function inRange(p, v) {
  if (v === null) return p.nullable;
  if (p.type === 'integer' && !Number.isInteger(v)) return false;
  return (
    typeof v === 'number' &&
    Number.isFinite(v) &&
    (p.min === null || v > p.min || (p.minInclusive && v === p.min)) &&
    (p.max === null || v < p.max || (p.maxInclusive && v === p.max))
  );
}

const normalizes = (f) => {
  try {
    f();
    return true;
  } catch {
    return false;
  }
};

// ---------------------------------------------------------------------------
// arbitraries from the module's metadata

/** A number or integer inside the parameter's soft (slider) range and its valid range. */
function numberArb(p) {
  const lo = p.softMin ?? p.min ?? -10;
  const hi = p.softMax ?? p.max ?? 10;
  let arb;
  if (p.type === 'integer') {
    arb = fc.integer({ min: Math.ceil(lo), max: Math.min(Math.floor(hi), 2 ** 31 - 1) });
  } else if (p.scale === 'log' && lo > 0) {
    arb = fc.double({ min: Math.log(lo), max: Math.log(hi), noNaN: true }).map(Math.exp);
  } else {
    arb = fc.double({ min: lo, max: hi, noNaN: true });
  }
  const edges = [lo, hi, p.default].filter((v) => typeof v === 'number');
  return fc.oneof(arb, fc.constantFrom(...edges)).filter((v) => inRange(p, v));
}

function valueArb(p) {
  let arb;
  switch (p.type) {
    case 'boolean':
      arb = fc.boolean();
      break;
    case 'choice':
      arb = fc.constantFrom(...p.choices);
      break;
    case 'integer list':
      arb = fc
        .uniqueArray(fc.integer({ min: Math.max(p.min ?? 0, 0), max: 1000 }), { maxLength: 4 })
        .map((a) => a.sort((x, y) => x - y));
      break;
    case 'string':
      arb = expressionArb;
      break;
    default:
      arb = numberArb(p);
  }
  return p.nullable ? fc.oneof(fc.constant(null), arb) : arb;
}

/** Random values for some optional parameters and every required one. */
function paramsArb(params, special = {}) {
  const model = Object.fromEntries(params.map((p) => [p.name, special[p.name] ?? valueArb(p)]));
  const requiredKeys = params.filter((p) => p.required).map((p) => p.name);
  return fc.record(model, { requiredKeys });
}

/** Expressions of the custom function's grammar, with spaces, ',', '(', ')', '+' and '^'. */
const expressionArb = fc
  .letrec((tie) => ({
    expr: fc.oneof(
      { maxDepth: 4, depthIdentifier: 'expr' },
      tie('leaf'),
      tie('binary'),
      tie('call'),
      tie('pow'),
      tie('negative'),
    ),
    leaf: fc.oneof(
      fc.constantFrom('x', 'y', 'pi', 'e', 'x ', ' y'),
      fc.integer({ min: 0, max: 100 }).map(String),
      fc.double({ min: 0, max: 10, noNaN: true }).map((v) => v.toFixed(3)),
    ),
    binary: fc
      .tuple(tie('expr'), fc.constantFrom('+', '-', '*', '/', '^', ' + ', ' * '), tie('expr'))
      .map(([a, op, b]) => `(${a})${op}(${b})`),
    call: fc
      .tuple(fc.constantFrom('sin', 'cos', 'tan', 'exp', 'log', 'sqrt', 'abs', 'tanh'), tie('expr'))
      .map(([f, a]) => `${f}(${a})`),
    pow: fc.tuple(tie('expr'), tie('expr')).map(([a, b]) => `pow(${a}, ${b})`),
    negative: tie('expr').map((a) => `-${a}`),
  }))
  .expr.filter((s) => s.length <= MAX_EXPRESSION);

const hasParam = (type) => (d) => d.params.some((p) => p.type === type);

function optimizerArb(allowWrapper) {
  const choices = METHODS.filter((d) => allowWrapper || !hasParam('optimizer')(d));
  return fc.constantFrom(...choices).chain((d) => {
    const special = {};
    for (const p of d.params) if (p.type === 'optimizer') special[p.name] = optimizerArb(false);
    return paramsArb(d.params, special).map((hyperparameters) => ({
      name: d.name,
      hyperparameters,
    }));
  });
}

/** Schedules; those holding a schedule list (sequential, chain) only while depth > 0. */
function scheduleArb(depth) {
  const choices = SCHEDULES.filter((d) => depth > 0 || !hasParam('schedule list')(d));
  return fc
    .constantFrom(...choices)
    .chain((d) => {
      const list = d.params.find((p) => p.type === 'schedule list');
      if (!list) return paramsArb(d.params).map((params) => ({ name: d.name, params }));
      return fc.array(scheduleArb(depth - 1), { minLength: 1, maxLength: 3 }).chain((items) => {
        const special = { [list.name]: fc.constant(items) };
        // Milestones between the schedules of a sequence: one fewer, strictly increasing.
        const milestones = d.params.find((p) => p.type === 'integer list');
        if (milestones) {
          special[milestones.name] = fc
            .uniqueArray(fc.integer({ min: 1, max: 1000 }), {
              minLength: items.length - 1,
              maxLength: items.length - 1,
            })
            .map((a) => a.sort((x, y) => x - y));
        }
        return paramsArb(d.params, special).map((params) => ({ name: d.name, params }));
      });
    })
    .filter((spec) => normalizes(() => m.normalizeSchedule(spec)));
}

const colorArb = fc.oneof(
  fc.constant(null),
  fc.integer({ min: 0, max: 0xffffff }).map((n) => `#${n.toString(16).padStart(6, '0')}`),
);

const racerArb = fc
  .record({
    optimizer: optimizerArb(true),
    schedule: fc.oneof(fc.constant(null), scheduleArb(2)),
    color: colorArb,
  })
  // Some combinations are invalid (nesterov needs dampening 0): the core decides.
  .filter((r) => normalizes(() => m.normalizeOptimizer(r.optimizer)))
  .map((r) => ({
    optimizer: m.normalizeOptimizer(r.optimizer),
    schedule: r.schedule && m.normalizeSchedule(r.schedule),
    color: r.color,
  }));

const racersArb = fc.oneof(
  fc.constant(null), // the default racers
  fc
    .array(racerArb, { minLength: 1, maxLength: MAX_RACERS })
    .map((rs) => rs.map((r, i) => ({ ...r, color: r.color ?? PALETTE[i % PALETTE.length] }))),
);

const functionArb = fc
  .constantFrom(...FUNCTIONS)
  .chain((d) => paramsArb(d.params).map((params) => ({ name: d.name, params })))
  .filter((spec) => normalizes(() => m.functionInfo(spec)))
  .map((spec) => m.functionInfo(spec));

const finite = fc.double({ noNaN: true, noDefaultInfinity: true });
const orderedPair = fc
  .tuple(finite, finite)
  .map(([a, b]) => (a < b ? [a, b] : [b, a]))
  .filter(([a, b]) => a < b);

/** The lab's inputs (web/sections/lab): runs 100..1000, noise >= 0, any offset, epsilon in (0, 1]. */
const labArb = fc.record({
  runs: fc.oneof(fc.constant(200), fc.integer({ min: 100, max: 1000 })),
  noise: fc.oneof(
    fc.constant(0),
    fc.double({ min: 0, max: 10, noNaN: true }).map((v) => v + 0),
  ),
  offset: fc.oneof(
    fc.constant(0.5),
    finite.map((v) => v + 0),
  ),
  epsilon: fc.oneof(fc.constant(0.001), fc.double({ min: Number.MIN_VALUE, max: 1, noNaN: true })),
});

/** The network's inputs, inside the ranges web/optim.d.ts documents for TrainerConfig. */
const mlpArb = fc.record({
  dataset: fc.constantFrom('two_moons', 'two_spirals', 'circles', 'xor', 'blobs'),
  n: fc.integer({ min: 10, max: 2000 }),
  noise: fc.double({ min: 0, max: 1, noNaN: true }).map((v) => v + 0),
  labelNoise: fc.constantFrom(0, 0.05, 0.1, 0.5),
  testFraction: fc.constantFrom(0, 0.2, 0.3, 0.5),
  hidden: fc.array(fc.integer({ min: 1, max: 128 }), { maxLength: 4 }),
  activation: fc.constantFrom('tanh', 'relu'),
  batch: fc.integer({ min: 0, max: 10 }),
  steps: fc.integer({ min: 1, max: 5000 }),
});

/**
 * The gradient-stream lab's inputs: a source, C >= 2, steps 1..1e6, beta1 in [0, 1), and a text
 * of the sequence's characters (its grammar is the core's, not the link's).
 */
const streamArb = fc.record({
  source: fc.constantFrom('sequence', 'reddi'),
  C: fc.oneof(fc.constant(3), fc.double({ min: 2, max: 1e6, noNaN: true })),
  steps: fc.integer({ min: 1, max: 1000000 }),
  beta1: fc.oneof(
    fc.constant(0),
    fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }).map((v) => v + 0),
  ),
  text: fc.oneof(
    fc.constant('1 x 999, 100000 x 1, 1 x 1000'),
    fc.stringMatching(/^[0-9eE+\-.,xX*\u00d7 ]{0,40}$/),
  ),
});

/** The learning-rate tools' inputs, inside TOOL_FIELDS' ranges. */
const toolsArb = fc.record({
  rangeOn: fc.constantFrom('race', 'network'),
  rangeSteps: fc.integer({ min: 2, max: 100000 }),
  objective: fc.constantFrom('final_loss', 'steps_to_target'),
  tol: fc.oneof(fc.constant(0.001), fc.double({ min: Number.MIN_VALUE, max: 1e6, noNaN: true })),
  budget: fc.integer({ min: 11, max: 1000 }),
});

/** The digits section's inputs, inside DIGIT_FIELDS' ranges. */
const digitsArb = fc.record({
  seeds: fc.integer({ min: 1, max: 10 }),
  steps: fc.integer({ min: 1, max: 5000 }),
  batch: fc.integer({ min: 0, max: 10000 }),
  labelNoise: fc.double({ min: 0, max: 1, noNaN: true }).map((v) => v + 0),
  trainSize: fc.integer({ min: 0, max: 10000 }),
  loss: fc.constantFrom('cross_entropy', 'mse'),
  rates: fc.constantFrom('digits', 'race'),
});

const stateArb = fc
  .record({
    lang: fc.constantFrom('en', 'zh'),
    info: functionArb,
    view: fc.oneof(fc.constant(null), fc.tuple(orderedPair, orderedPair)),
    start: fc.oneof(fc.constant(null), fc.tuple(finite, finite)),
    steps: fc.oneof(fc.constant(300), fc.integer({ min: 1, max: MAX_STEPS })),
    level: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 100, noNaN: true })),
    seed: fc.oneof(
      fc.constant(1),
      fc.tuple(fc.nat(0xffff), fc.nat(0xffff)).map(([hi, lo]) => hi * 0x10000 + lo),
    ),
    racers: racersArb,
    sel: fc.nat(),
    series: fc.constantFrom(null, 'm', 'v', 'v_max', 'effective_lr', 'rho', 'lookahead_point'),
    lrScale: fc.constantFrom('log', 'linear'),
    overlay: fc.constantFrom('selected', 'all'),
    chapter: fc.oneof(fc.constant(null), fc.stringMatching(CHAPTER_ID)),
    ask: fc.constantFrom(null, ...QUESTIONS),
    embed: fc.record({ on: fc.boolean(), hide: fc.subarray([...EMBED_PARTS]), lock: fc.boolean() }),
    lab: fc.oneof(fc.constant(null), labArb),
    mlp: fc.oneof(fc.constant(null), mlpArb),
    stream: fc.oneof(fc.constant(null), streamArb),
    tools: fc.oneof(fc.constant(null), toolsArb),
    digits: fc.oneof(fc.constant(null), digitsArb),
  })
  .map((r) => {
    const racers = r.racers ?? defaultState(m).racers;
    return {
      lang: r.lang,
      fn: r.info.function,
      view: r.view && {
        xmin: r.view[0][0],
        xmax: r.view[0][1],
        ymin: r.view[1][0],
        ymax: r.view[1][1],
      },
      start: r.start ?? r.info.start,
      steps: r.steps,
      noise: { level: r.level, seed: r.seed },
      racers,
      selected: r.sel % racers.length,
      series: r.series,
      lrScale: r.lrScale,
      overlay: r.overlay,
      chapter: r.chapter,
      ask: r.ask,
      lab: r.lab ?? defaultLab(),
      embed: r.embed,
      mlp: r.mlp ?? defaultMlp(m),
      stream: r.stream ?? defaultStream(),
      tools: r.tools ?? defaultTools(),
      digits: r.digits ?? defaultDigits(),
    };
  });

// ---------------------------------------------------------------------------

describe('constants and defaults', () => {
  test('constants follow the contract', () => {
    assert.equal(VERSION, 1);
    assert.equal(MAX_RACERS, 12);
    assert.equal(MAX_STEPS, 100000);
    assert.equal(MAX_HASH, 16384);
    assert.equal(MAX_EXPRESSION, 500);
    assert.equal(PALETTE.length, 12);
    assert.equal(new Set(PALETTE).size, 12);
    for (const c of PALETTE) assert.match(c, /^#[0-9a-f]{6}$/);
  });

  test("the default state is a new user's first view", () => {
    const s = defaultState(m);
    assert.equal(s.lang, 'en');
    assert.deepEqual(s.fn, { name: 'rosenbrock', params: { a: 1, b: 100 } });
    assert.equal(s.view, null);
    assert.deepEqual(s.start, [-1.2, 1]);
    assert.equal(s.steps, 300);
    assert.deepEqual(s.noise, { level: 0, seed: 1 });
    assert.equal(s.selected, 0);
    assert.deepEqual(
      s.racers.map((r) => [r.optimizer.name, r.optimizer.hyperparameters.lr, r.color, r.schedule]),
      [
        ['sgd_momentum', 0.002, PALETTE[0], null],
        ['adam', 0.02, PALETTE[1], null],
        ['rmsprop', 0.01, PALETTE[2], null],
        ['adagrad', 0.5, PALETTE[3], null],
        ['sgd', 0.002, PALETTE[4], null],
      ],
    );
    for (const r of s.racers) assert.deepEqual(m.normalizeOptimizer(r.optimizer), r.optimizer);
    assert.equal(defaultState(m, 'zh').lang, 'zh');
    assert.equal(defaultState(m, 'zh-CN').lang, 'zh');
    assert.equal(defaultState(m, 'de').lang, 'en');
  });

  test('default states are fresh objects', () => {
    const a = defaultState(m);
    a.racers[0].optimizer.hyperparameters.lr = 99;
    a.start[0] = 99;
    a.fn.params.a = 99;
    assert.deepEqual(defaultState(m).racers[0].optimizer.hyperparameters.lr, 0.002);
    assert.deepEqual(defaultState(m).start, [-1.2, 1]);
    assert.equal(defaultState(m).fn.params.a, 1);
  });

  test('the default state has the hash v=1 (v=1&lang=zh in Chinese)', () => {
    assert.equal(serializeState(defaultState(m), m), 'v=1');
    assert.equal(serializeState(defaultState(m, 'zh'), m), 'v=1&lang=zh');
    // Written for a reader whose browser is Chinese: lang only when it is not zh.
    assert.equal(serializeState(defaultState(m, 'zh'), m, 'zh'), 'v=1');
    assert.equal(serializeState(defaultState(m, 'en'), m, 'zh-TW'), 'v=1&lang=en');
    assert.equal(parseHash('v=1&lang=en', m, 'zh').state.lang, 'en');
  });

  test("'', '#', 'v=1' and '#v=1' give the defaults without errors", () => {
    for (const hash of ['', '#', 'v=1', '#v=1', undefined, null]) {
      assert.deepEqual(parseHash(hash, m), { state: defaultState(m), errors: [] }, String(hash));
    }
    assert.deepEqual(parseHash('', m, 'zh'), { state: defaultState(m, 'zh'), errors: [] });
  });

  test("the contract's example reads without errors and writes back shorter", () => {
    const hash =
      '#v=1&lang=en&fn=rosenbrock&fp=a:1,b:100&view=-2,2,-1,3&start=-1.2,1&steps=300&noise=0.1' +
      '&seed=7&sel=1&r=adam(lr=0.02)@e6194b' +
      '&r=lookahead(k=5,alpha=0.5,inner=adam(lr=0.05))*cosine(t_max=300)@3cb44b';
    const { state, errors } = parseUsable(hash);
    assert.deepEqual(errors, []);
    assert.deepEqual(state.view, { xmin: -2, xmax: 2, ymin: -1, ymax: 3 });
    assert.deepEqual(state.noise, { level: 0.1, seed: 7 });
    assert.equal(state.selected, 1);
    assert.equal(state.racers[1].optimizer.hyperparameters.inner.hyperparameters.lr, 0.05);
    assert.deepEqual(state.racers[1].schedule, {
      name: 'cosine',
      params: { t_max: 300, eta_min: 0 },
    });
    assert.equal(
      serializeState(state, m),
      'v=1&view=-2,2,-1,3&noise=0.1&seed=7&sel=1' +
        '&r=adam(lr=0.02)&r=lookahead(inner=adam(lr=0.05))*cosine(t_max=300)',
    );
  });
});

test('the store, the schema, the link codec and the actions are pure: no DOM, no globals', async () => {
  const { readFile } = await import('node:fs/promises');
  const pure = ['grammar', 'meta', 'schema', 'url', 'actions', 'store', 'playback', 'events'];
  for (const name of pure) {
    const file = `web/app/${name}.js`;
    const source = (await readFile(new URL(`../../${file}`, import.meta.url), 'utf8'))
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/^\s*\/\/.*$/gm, '')
      .replace(/^import [^;]*;$/gm, '');
    for (const word of [
      'document',
      'window',
      'globalThis',
      'self',
      'navigator',
      'location',
      'localStorage',
      'eval',
      'Function',
      'innerHTML',
      'import',
      'setTimeout',
    ]) {
      assert.doesNotMatch(source, new RegExp(`(?<![\\w$.])${word}\\b`), `${file} uses ${word}`);
    }
  }
});

describe('defaultRacer', () => {
  test("every method: the core's defaults, the racer learning rate, colour by index", () => {
    METHODS.forEach((d, i) => {
      const r = defaultRacer(m, d.name, i);
      assert.equal(r.optimizer.name, d.name);
      assert.equal(r.schedule, null);
      assert.equal(r.color, PALETTE[i % 12]);
      assert.deepEqual(m.normalizeOptimizer(r.optimizer), r.optimizer);
      if (d.name === 'lookahead') {
        const { inner, k, alpha } = r.optimizer.hyperparameters;
        assert.deepEqual([k, alpha], [5, 0.5]);
        assert.deepEqual(
          inner,
          m.normalizeOptimizer({ name: 'adam', hyperparameters: { lr: 0.05 } }),
        );
      } else {
        assert.equal(r.optimizer.hyperparameters.lr, RACER_LR[d.name], d.name);
        const { lr: _, ...rest } = r.optimizer.hyperparameters;
        const { lr: __, ...core } = m.normalizeOptimizer({ name: d.name }).hyperparameters;
        assert.deepEqual(rest, core, `${d.name}: only lr differs from the core's defaults`);
      }
    });
    assert.equal(defaultRacer(m, 'adam', 13).color, PALETTE[1]);
    assert.equal(defaultRacer(m, 'adam').color, PALETTE[0]);
    assert.equal(defaultRacer(m, 'no_such_method', 2).optimizer.name, 'adam');
  });

  test('every default racer moves on Rosenbrock in 300 steps and does not diverge', () => {
    const state = defaultState(m);
    for (const d of METHODS) {
      const result = m.run(runConfig(state, defaultRacer(m, d.name, 0)));
      assert.equal(result.diverged, false, `${d.name} diverged: ${result.divergenceReason}`);
      assert.equal(result.steps, 300);
      const n = result.trajectory.length;
      const [x, y] = [result.trajectory[n - 2], result.trajectory[n - 1]];
      const moved = Math.hypot(x - state.start[0], y - state.start[1]);
      assert.ok(moved > 0.2, `${d.name} moved only ${moved}`);
      assert.ok(Math.abs(x) < 3 && Math.abs(y) < 3, `${d.name} left the surface: (${x}, ${y})`);
      assert.ok(result.loss[300] < result.loss[0] / 3, `${d.name}: loss ${result.loss[300]}`);
    }
  });
});

describe('runConfig', () => {
  test('builds the exact engine.run config, a copy of the state', () => {
    const { state } = parseUsable(
      'v=1&fn=quadratic&start=1,2&steps=40&noise=0.5&seed=9&r=adam*cosine(t_max=40)',
    );
    const config = runConfig(state, state.racers[0]);
    assert.deepEqual(config, {
      optimizer: state.racers[0].optimizer,
      schedule: state.racers[0].schedule,
      function: state.fn,
      start: [1, 2],
      steps: 40,
      noise: { level: 0.5, seed: 9 },
    });
    const normalized = m.normalizeConfig(config);
    assert.deepEqual(normalized.optimizer, config.optimizer);
    assert.deepEqual(normalized.function, config.function);
    assert.deepEqual(normalized.noise, config.noise);
    assert.equal(m.run(config).steps, 40);
    config.start[0] = 7;
    config.optimizer.hyperparameters.lr = 7;
    assert.deepEqual(state.start, [1, 2]);
    assert.notEqual(state.racers[0].optimizer.hyperparameters.lr, 7);
    assert.equal(runConfig(defaultState(m), defaultState(m).racers[0]).schedule, null);
  });
});

describe('round trips', () => {
  test('random valid states: parse(serialize(s)) = s, without errors', () => {
    fc.assert(
      fc.property(stateArb, fc.constantFrom('en', 'zh'), (state, lang) => {
        const hash = serializeState(state, m, lang);
        assert.ok(hash.startsWith('v=1'));
        const { state: back, errors } = parseHash(`#${hash}`, m, lang);
        assert.deepEqual(errors, [], hash);
        assert.deepEqual(back, state, hash);
        assert.equal(serializeState(back, m, lang), hash);
      }),
      { numRuns: Number(process.env.STATE_RUNS ?? 300) },
    );
  });

  test('the hash is readable: grammar characters are not escaped', () => {
    const { state } = parseUsable(
      'v=1&view=-2,2,-1,3&r=lookahead(inner=nag(lr=0.01))*sequential(schedules=[linear_warmup,' +
        'cosine(t_max=290)],milestones=[10])@123abc&r=amsgrad(eps=1e-7,variant=paper)',
    );
    const hash = serializeState(state, m);
    assert.equal(
      hash,
      'v=1&view=-2,2,-1,3&r=lookahead(inner=nag(lr=0.01))*sequential(schedules=[linear_warmup,' +
        'cosine(t_max=290)],milestones=[10])@123abc&r=amsgrad(eps=1e-7,variant=paper)',
    );
    assert.doesNotMatch(hash, /%2[89CA]|%3[AD]|%40|%5[BD]/);
    const custom = parseUsable(
      `v=1&fn=custom&expr=${encodeURIComponent('pow(x,2) + (y-1)^2/4')}&r=adam`,
    );
    assert.deepEqual(custom.errors, []);
    assert.equal(
      serializeState(custom.state, m),
      'v=1&fn=custom&expr=pow(x,2)%20%2B%20(y-1)^2/4&r=adam',
    );
  });

  test("a '+' typed into a link is a plus sign; a space is written %20 and read back", () => {
    const typed = parseUsable('v=1&fn=custom&expr=x^2+y^2');
    assert.deepEqual(typed.errors, []);
    assert.equal(typed.state.fn.params.expression, 'x^2+y^2');
    assert.equal(parseUsable('v=1&fn=custom&expr=x^2%2By^2').state.fn.params.expression, 'x^2+y^2');
    assert.equal(
      parseUsable('v=1&r=adam(lr=1e+2)').state.racers[0].optimizer.hyperparameters.lr,
      100,
    );
    const spaced = { ...typed.state, fn: { name: 'custom', params: { expression: 'x ^ 2 + y' } } };
    const hash = serializeState(spaced, m);
    assert.equal(hash, 'v=1&fn=custom&expr=x%20^%202%20%2B%20y');
    assert.equal(parseUsable(hash).state.fn.params.expression, 'x ^ 2 + y');
  });

  test('numbers keep every bit: -0, 5e-324, 1e21, 0.1 + 0.2', () => {
    const state = defaultState(m);
    state.start = [-0, 5e-324];
    state.view = { xmin: -1.7976931348623157e308, xmax: 1e21, ymin: 0.1 + 0.2, ymax: 1 };
    state.noise = { level: 1e-300, seed: 4294967295 };
    state.racers[0].optimizer.hyperparameters.weight_decay = -0;
    state.racers[1].optimizer.hyperparameters.lr = 0.1 + 0.2;
    const hash = serializeState(state, m);
    assert.match(hash, /start=-0,5e-324/);
    const { state: back, errors } = parseHash(hash, m);
    assert.deepEqual(errors, []);
    assert.deepEqual(back, state);
    assert.ok(Object.is(back.start[0], -0));
  });

  test('the custom expression: any text survives the URL, with the real core', () => {
    const custom = fnMeta('custom');
    assert.ok(custom, "the module has no 'custom' function yet: rebuild it (npm run build:wasm)");
    const param = stringParam(custom);
    assert.ok(param, "custom has a parameter of type 'string'");
    for (const expression of [
      'pow(x, 2) + (y - 1)^2',
      'sin(x)*cos(y) + 0.1*(x^2+y^2)',
      '-x + +y',
      'abs(x) / (1 + abs(y))',
    ]) {
      const state = defaultState(m);
      state.fn = m.functionInfo({ name: 'custom', params: { [param.name]: expression } }).function;
      state.start = m.functionInfo(state.fn).start;
      const hash = serializeState(state, m);
      assert.match(hash, /expr=/);
      const { state: back, errors } = parseHash(hash, m);
      assert.deepEqual(errors, [], hash);
      assert.deepEqual(back, state, hash);
    }
  });

  test('expression text with & # % + = unicode and grammar characters passes the codec unchanged', () => {
    // A module whose extra function "echo" accepts any expression: the codec alone is tested.
    const echo = {
      name: 'echo',
      label: 'Echo',
      formula: '',
      description: '',
      params: [
        { name: 'expression', type: 'string', default: 'x', required: false, nullable: false },
      ],
      domain: { xmin: -1, xmax: 1, ymin: -1, ymax: 1 },
      start: [0, 0],
      minima: [],
    };
    const engine = new Proxy(m, {
      get(target, key) {
        if (key === 'functions') return () => [...target.functions(), echo];
        if (key === 'functionInfo') {
          return (spec) => {
            if (spec.name !== 'echo') return target.functionInfo(spec);
            const { expression = 'x', ...rest } = spec.params ?? {};
            const unknown = Object.keys(rest)[0];
            if (unknown) throw new Error(`params.${unknown}: echo: unknown parameter`);
            return {
              function: { name: 'echo', params: { expression } },
              domain: echo.domain,
              start: echo.start,
              minima: [],
            };
          };
        }
        return target[key];
      },
    });
    const roundTrip = (expression) => {
      const state = defaultState(engine);
      state.fn = { name: 'echo', params: { expression } };
      state.start = [0, 0];
      const hash = serializeState(state, engine);
      const { state: back, errors } = parseHash(hash, engine);
      assert.deepEqual(errors, [], hash);
      assert.equal(back.fn.params.expression, expression, hash);
      assert.deepEqual(back, state);
      return hash;
    };
    const fixed = [
      'a(b),c=d[e]*f@g:h',
      'x+y & z # 100% ü 中文 😀',
      '%2528 %E0%A4%A %',
      '+ ++ a+b',
      '  spaces  ',
      '',
      'x\ny\t"\'<>`',
    ];
    for (const e of fixed) roundTrip(e);
    assert.match(roundTrip('pow(x,2)=[1]'), /expr=pow\(x,2\)=\[1\]/);
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.fullUnicodeString(),
          fc.stringOf(fc.constantFrom(...'()[],=*@:+&#%x 2')),
        ),
        (e) => {
          fc.pre(e.length <= MAX_EXPRESSION);
          roundTrip(e);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('malformed links: a named error, the default for that field, the rest kept', () => {
  test('a bad number', () => {
    let r = parseUsable('v=1&steps=50&r=sgd&r=adam(lr=0.0.2,beta1=0.8)@123456');
    assert.deepEqual(fields(r.errors), ['r[1].lr']);
    assert.match(r.errors[0].message, /0\.0\.2/);
    assert.equal(r.state.steps, 50);
    assert.equal(r.state.racers[0].optimizer.name, 'sgd');
    assert.deepEqual(r.state.racers[1], {
      optimizer: m.normalizeOptimizer({ name: 'adam', hyperparameters: { beta1: 0.8 } }),
      schedule: null,
      color: '#123456',
    });
    r = parseUsable(
      'v=1&r=adam(lr=,eps=1e-9)*cosine(t_max=3x,eta_min=-)&fn=quadratic&fp=a:2,b:1.2.3',
    );
    // t_max twice: its bad value, then "required" once it is dropped (so is the schedule).
    assert.deepEqual(fields(r.errors), [
      'fp.b',
      'r[0].lr',
      'r[0].schedule.t_max',
      'r[0].schedule.t_max',
    ]);
    assert.equal(r.state.fn.params.a, 2);
    assert.equal(r.state.racers[0].optimizer.hyperparameters.eps, 1e-9);
    assert.equal(r.state.racers[0].schedule, null);
    r = parseUsable('v=1&steps=abc&start=1,x&noise=1..2&seed=0x10&sel=one&view=1,2,3');
    for (const f of ['steps', 'start', 'noise', 'seed', 'sel', 'view']) assertField(r.errors, f);
    assert.deepEqual(r.state, defaultState(m));
  });

  test('out-of-range beta1: that field is named and its default used, the rest stays', () => {
    const { state, errors } = parseUsable(
      'v=1&r=sgd(lr=0.01)&r=adam(lr=0.03,beta1=1.5,beta2=0.99)*cosine(t_max=200)@123456&r=rmsprop',
    );
    assert.deepEqual(fields(errors), ['r[1].beta1']);
    assert.match(errors[0].message, /beta1/);
    assert.match(errors[0].message, /\[0, 1\)/);
    assert.equal(state.racers.length, 3);
    assert.equal(state.racers[0].optimizer.hyperparameters.lr, 0.01);
    assert.deepEqual(state.racers[1], {
      optimizer: m.normalizeOptimizer({ name: 'adam', hyperparameters: { lr: 0.03, beta2: 0.99 } }),
      schedule: m.normalizeSchedule({ name: 'cosine', params: { t_max: 200 } }),
      color: '#123456',
    });
    assert.deepEqual(state.racers[2].optimizer, m.normalizeOptimizer({ name: 'rmsprop' }));
  });

  test('nested fields: Lookahead inner and schedule lists', () => {
    let r = parseUsable('v=1&r=lookahead(k=3,inner=adam(beta1=2,lr=0.1))');
    assert.deepEqual(fields(r.errors), ['r[0].inner.beta1']);
    assert.equal(r.state.racers[0].optimizer.hyperparameters.k, 3);
    assert.equal(r.state.racers[0].optimizer.hyperparameters.inner.hyperparameters.lr, 0.1);
    assert.equal(r.state.racers[0].optimizer.hyperparameters.inner.hyperparameters.beta1, 0.9);

    // An omitted inner method takes the racer card's default, without an error.
    r = parseUsable('v=1&r=lookahead(k=3)');
    assert.deepEqual(fields(r.errors), []);
    assert.deepEqual(r.state.racers[0].optimizer, {
      ...defaultRacer(m, 'lookahead').optimizer,
      hyperparameters: { ...defaultRacer(m, 'lookahead').optimizer.hyperparameters, k: 3 },
    });

    r = parseUsable('v=1&r=lookahead');
    assert.deepEqual(r.errors, []);
    assert.deepEqual(r.state.racers[0], defaultRacer(m, 'lookahead'));

    r = parseUsable('v=1&r=lookahead(alpha=0.3,inner=nosuch(lr=1))');
    assert.deepEqual(fields(r.errors), ['r[0].inner.name']);
    assert.equal(r.state.racers[0].optimizer.hyperparameters.alpha, 0.3);
    assert.equal(r.state.racers[0].optimizer.hyperparameters.inner.name, 'adam');

    r = parseUsable(
      'v=1&r=adam*sequential(schedules=[linear_warmup(warmup_steps=0),cosine(t_max=100)],milestones=[10])',
    );
    assert.deepEqual(fields(r.errors), ['r[0].schedule.schedules[0].warmup_steps']);
    assert.deepEqual(
      r.state.racers[0].schedule.params.schedules.map((s) => s.name),
      ['linear_warmup', 'cosine'],
    );
    assert.equal(r.state.racers[0].schedule.params.schedules[0].params.warmup_steps, 5);

    // A bad entry of a required list: the list goes, and with it the schedule (second error).
    r = parseUsable('v=1&r=adam(lr=0.05)*multistep(milestones=[10,-1])');
    assert.deepEqual(fields(r.errors), ['r[0].schedule.milestones[1]', 'r[0].schedule.milestones']);
    assert.match(r.errors[1].message, /required/);
    assert.equal(r.state.racers[0].schedule, null);
    assert.equal(r.state.racers[0].optimizer.hyperparameters.lr, 0.05);
  });

  test('an unknown method becomes the default adam racer; its schedule and colour stay', () => {
    const { state, errors } = parseUsable('v=1&r=sgd&r=fancy(lr=1)*cosine(t_max=100)@00ff00');
    assert.deepEqual(fields(errors), ['r[1].name']);
    assert.match(errors[0].message, /fancy/);
    assert.deepEqual(state.racers[1].optimizer, defaultRacer(m, 'adam').optimizer);
    assert.equal(state.racers[1].schedule.name, 'cosine');
    assert.equal(state.racers[1].color, '#00ff00');
    assert.equal(state.racers[0].optimizer.name, 'sgd');
  });

  test('an unknown or incomplete schedule is dropped; the optimizer stays', () => {
    let r = parseUsable('v=1&r=adam(lr=0.05)*warp(x=1)@abcdef');
    assert.deepEqual(fields(r.errors), ['r[0].schedule.name']);
    assert.equal(r.state.racers[0].schedule, null);
    assert.equal(r.state.racers[0].optimizer.hyperparameters.lr, 0.05);
    assert.equal(r.state.racers[0].color, '#abcdef');
    r = parseUsable('v=1&r=adam*cosine');
    assert.deepEqual(fields(r.errors), ['r[0].schedule.t_max']);
    assert.equal(r.state.racers[0].schedule, null);
  });

  test('unknown keys are reported and ignored; repeated keys keep the first', () => {
    const { state, errors } = parseUsable('v=1&foo=bar&steps=50&steps=60&lr=1');
    assert.deepEqual(fields(errors), ['foo', 'steps', 'lr']);
    assert.match(errors[0].message, /unknown key "foo" ignored/);
    assert.equal(state.steps, 50);
  });

  test('13 racers: 12 kept and an error', () => {
    const hash = `v=1${'&r=sgd'.repeat(12)}&r=adam`;
    const { state, errors } = parseUsable(hash);
    assert.deepEqual(fields(errors), ['r']);
    assert.equal(state.racers.length, 12);
    assert.ok(state.racers.every((r) => r.optimizer.name === 'sgd'));
    assert.deepEqual(
      state.racers.map((r) => r.color),
      PALETTE,
    );
  });

  test('steps 1e9, negative seed, sel out of range, lang fr, inverted view', () => {
    const { state, errors } = parseUsable(
      'v=1&steps=1e9&seed=-1&sel=5&lang=fr&view=1,0,0,1&noise=-0.5&start=3,4',
    );
    assert.deepEqual(fields(errors).sort(), ['lang', 'noise', 'seed', 'sel', 'steps', 'view']);
    assert.deepEqual(state, { ...defaultState(m), start: [3, 4] });
    assert.equal(parseUsable('v=1&steps=100000&seed=4294967295').errors.length, 0);
    assertField(parseUsable('v=1&steps=100001').errors, 'steps');
    assertField(parseUsable('v=1&seed=4294967296').errors, 'seed');
    assertField(parseUsable('v=1&steps=2.5').errors, 'steps');
  });

  test('NaN and Infinity as text', () => {
    const { state, errors } = parseUsable(
      'v=1&noise=NaN&start=Infinity,0&view=-Infinity,1,0,1&steps=Infinity&fp=a:Infinity,b:NaN' +
        '&r=adam(lr=NaN,beta1=Infinity,eps=1e999)',
    );
    for (const f of [
      'noise',
      'start',
      'view',
      'steps',
      'fp.a',
      'fp.b',
      'r[0].lr',
      'r[0].beta1',
      'r[0].eps',
    ]) {
      assertField(errors, f);
    }
    assert.deepEqual(state.racers[0].optimizer, m.normalizeOptimizer({ name: 'adam' }));
    assert.deepEqual(state.fn, defaultState(m).fn);
  });

  test('unbalanced parentheses and brackets', () => {
    const cases = [
      'adam(lr=0.1',
      'adam)',
      'adam(lr=0.1))',
      'lookahead(inner=adam(lr=0.1)',
      'adam*multistep(milestones=[1,2)',
      'adam*multistep(milestones=[1,2]',
      '(((',
      ')))',
      'adam(=1)',
      'adam(lr=1,lr=2)',
      'lookahead(inner=adam(lr=1,lr=2))',
      'adam(lr=1,)',
      'adam**cosine(t_max=1)',
    ];
    for (const racer of cases) {
      const { state, errors } = parseUsable(`v=1&steps=77&r=sgd&r=${racer}`);
      assert.deepEqual(fields(errors), ['r[1]'], racer);
      assert.match(errors[0].message, /column \d+/);
      assert.equal(state.steps, 77);
      assert.equal(state.racers[0].optimizer.name, 'sgd');
      const name = racer.startsWith('lookahead') ? 'lookahead' : 'adam';
      assert.deepEqual(state.racers[1], defaultRacer(m, name, 1), racer);
    }
  });

  test('nesting 1000 deep is refused at depth 7, quickly', () => {
    for (const racer of [
      `${'la(i='.repeat(1000)}adam${')'.repeat(1000)}`,
      `lookahead(inner=${'a(b='.repeat(1000)}1${')'.repeat(1001)}`,
      `adam*multistep(milestones=${'['.repeat(1000)}1${']'.repeat(1000)})`,
      `adam(lr=${'['.repeat(1000)}`,
    ]) {
      const t0 = performance.now();
      const { errors } = parseUsable(`v=1&r=${racer}`);
      assert.ok(performance.now() - t0 < 100);
      assert.deepEqual(fields(errors), ['r[0]']);
      assert.match(errors[0].message, /nested deeper than 6/);
    }
    // Depth 6 itself is allowed.
    const ok =
      'adam*sequential(schedules=[sequential(schedules=[cosine(t_max=5)],milestones=[])],milestones=[])';
    assert.deepEqual(parseUsable(`v=1&r=${ok}`).errors, []);
  });

  test('a 100 kB or 1 MB hash is ignored with one error, quickly', () => {
    for (const size of [MAX_HASH + 1, 100_000, 1_000_000]) {
      const hash = `#v=1&steps=50&r=adam&x=${'a'.repeat(size)}`;
      const t0 = performance.now();
      const { state, errors } = parseUsable(hash);
      assert.ok(performance.now() - t0 < 50);
      assert.deepEqual(fields(errors), ['hash']);
      assert.deepEqual(state, defaultState(m));
    }
  });

  test('the slowest hash: 16 kB of racers full of bad fields is read without hanging', () => {
    const keys = Array.from({ length: 60 }, (_, i) => `k${i}=1`).join(',');
    const racer =
      `lookahead(${keys},inner=adam(${keys}))` +
      `*sequential(schedules=[cosine(${keys}),cosine(t_max=1)],milestones=[1])`;
    let hash = 'v=1';
    while (hash.length + racer.length + 3 <= MAX_HASH) hash += `&r=${racer}`;
    // A guard against a hang (some 0.3 s on a quiet machine), not a measure of speed.
    const t0 = performance.now();
    const { state, errors } = parseUsable(hash);
    assert.ok(performance.now() - t0 < 10_000);
    assert.equal(state.racers.length, 12);
    assert.equal(errors.length, 50);
  });

  test('invalid percent-encoding', () => {
    const { state, errors } = parseUsable(
      'v=1&steps=%E0%A4%A&%E0%A4%A=1&r=%E0%A4%A&r=adam(lr=%E0%A4%A)&r=sgd(lr=0.01)%ZZ&noise=%',
    );
    for (const f of ['steps', 'r[0]', 'r[1].lr', 'r[2]', 'noise']) assertField(errors, f);
    assert.equal(state.racers.length, 3);
    assert.equal(state.steps, 300);
  });

  test('a hostile value is an error of its field; the racer stays', () => {
    const { state, errors } = parseUsable(
      `v=1&r=adam(lr=${encodeURIComponent('javascript:alert(1)')},beta1=0.5)` +
        `&r=amsgrad(variant=${encodeURIComponent('<img src=x onerror="alert(1)">')})@00aa00` +
        `&r=lookahead(k=2,inner=${encodeURIComponent('<script>x</script>')})`,
    );
    assert.deepEqual(fields(errors), ['r[0].lr', 'r[1].variant', 'r[2].inner.name']);
    assert.equal(state.racers[0].optimizer.hyperparameters.beta1, 0.5);
    assert.equal(state.racers[1].color, '#00aa00');
    assert.equal(state.racers[2].optimizer.hyperparameters.k, 2);
    assert.deepEqual(
      state.racers[2].optimizer.hyperparameters.inner,
      defaultRacer(m, 'lookahead').optimizer.hyperparameters.inner,
    );
  });

  test('javascript: and <script> payloads in every position end up only in error messages', () => {
    const payloads = [
      'javascript:alert(1)',
      '<script>alert(1)</script>',
      '"><img src=x onerror=alert(1)>',
      "');alert(1);//",
    ];
    const positions = [
      (p) => `v=1&${p}=1`,
      (p) => `v=${p}`,
      (p) => `v=1&lang=${p}`,
      (p) => `v=1&fn=${p}`,
      (p) => `v=1&fp=${p}:1`,
      (p) => `v=1&fp=a:${p}`,
      (p) => `v=1&fn=custom&expr=${p}`,
      (p) => `v=1&expr=${p}`,
      (p) => `v=1&view=${p}`,
      (p) => `v=1&start=${p}`,
      (p) => `v=1&steps=${p}`,
      (p) => `v=1&noise=${p}`,
      (p) => `v=1&seed=${p}`,
      (p) => `v=1&sel=${p}`,
      (p) => `v=1&r=${p}`,
      (p) => `v=1&r=adam(${p}=1)`,
      (p) => `v=1&r=adam(lr=${p})`,
      (p) => `v=1&r=amsgrad(variant=${p})`,
      (p) => `v=1&r=lookahead(inner=${p})`,
      (p) => `v=1&r=adam*${p}`,
      (p) => `v=1&r=adam*cosine(t_max=${p})`,
      (p) => `v=1&r=adam@${p}`,
    ];
    for (const payload of payloads) {
      for (const position of positions) {
        for (const p of [payload, encodeURIComponent(payload)]) {
          const hash = position(p);
          const { state, errors } = parseUsable(hash);
          assert.ok(errors.length > 0, hash);
          const json = JSON.stringify(state);
          for (const bad of ['javascript', 'script', 'alert', 'onerror', '<', '>', "'"]) {
            assert.ok(!json.includes(bad), `${hash}: ${bad} in ${json}`);
          }
        }
      }
    }
  });

  test('a custom expression with a syntax error: error and the default expression', () => {
    const custom = fnMeta('custom');
    assert.ok(custom, "the module has no 'custom' function yet: rebuild it (npm run build:wasm)");
    const param = stringParam(custom);
    const fallback = m.functionInfo({ name: 'custom' }).function;
    for (const bad of [
      '(x',
      'x*',
      'x y',
      'sin(',
      '2x',
      '<script>',
      'x'.repeat(MAX_EXPRESSION + 1),
    ]) {
      const { state, errors } = parseUsable(
        `v=1&fn=custom&expr=${encodeURIComponent(bad)}&steps=42`,
      );
      assert.deepEqual(fields(errors), ['expr'], bad);
      assert.deepEqual(state.fn, fallback);
      assert.equal(typeof state.fn.params[param.name], 'string');
      assert.equal(state.steps, 42);
    }
    const good = parseUsable(`v=1&fn=custom&expr=${encodeURIComponent('x^2 + 3*y^2')}`);
    assert.deepEqual(good.errors, []);
  });

  test('functions: unknown name, bad and unknown params, expr without custom', () => {
    let r = parseUsable('v=1&fn=nope&fp=a:1&steps=20');
    assert.deepEqual(fields(r.errors), ['fn', 'fn']);
    assert.deepEqual(r.state.fn, defaultState(m).fn);
    assert.equal(r.state.steps, 20);
    r = parseUsable('v=1&fn=quadratic&fp=a:-1,b:20,zz:3');
    assert.deepEqual(fields(r.errors).sort(), ['fp.a', 'fp.zz']);
    assert.equal(r.state.fn.params.b, 20);
    assert.deepEqual(r.state.start, m.functionInfo(r.state.fn).start);
    r = parseUsable('v=1&fn=quadratic&fp=a:2,,b');
    assert.deepEqual(fields(r.errors), ['fp']);
    r = parseUsable('v=1&fn=beale&expr=x');
    assert.deepEqual(fields(r.errors), ['expr']);
    assert.equal(r.state.fn.name, 'beale');
  });

  test('a missing or unknown version is reported and the link read as v=1', () => {
    for (const [hash, what] of [
      ['steps=50', /no version/],
      ['v=2&steps=50', /"2" is not supported/],
    ]) {
      const { state, errors } = parseUsable(hash);
      assert.deepEqual(fields(errors), ['v']);
      assert.match(errors[0].message, what);
      assert.match(errors[0].message, /best effort/);
      assert.equal(state.steps, 50);
    }
  });

  test('bad colours', () => {
    const { state, errors } = parseUsable('v=1&r=adam@12345g&r=sgd@1234567&r=nag@&r=adam@ABCDEF');
    assert.deepEqual(fields(errors), ['r[0].color', 'r[1].color', 'r[2].color']);
    assert.deepEqual(
      state.racers.map((r) => r.color),
      [PALETTE[0], PALETTE[1], PALETTE[2], '#abcdef'],
    );
  });

  test('__proto__ and constructor as names do not reach any prototype', () => {
    const { state, errors } = parseUsable(
      'v=1&__proto__=1&fp=__proto__:1&r=adam(__proto__=adam,constructor=1)&r=__proto__(lr=1)' +
        '&r=adam*cosine(t_max=5,__proto__=1)',
    );
    for (const f of [
      '__proto__',
      'fp.__proto__',
      'r[0].__proto__',
      'r[0].constructor',
      'r[1].name',
    ]) {
      assertField(errors, f);
    }
    assert.equal(state.racers[2].schedule.name, 'cosine');
    assert.equal({}.lr, undefined);
    assert.equal(
      Object.getPrototypeOf(state.racers[0].optimizer.hyperparameters),
      Object.prototype,
    );
  });

  test('many problems: the list is capped with a count of the rest', () => {
    const { errors } = parseUsable(
      `v=1${Array.from({ length: 200 }, (_, i) => `&k${i}=1`).join('')}`,
    );
    assert.equal(errors.length, 50);
    assert.match(errors.at(-1).message, /151 more problems/);
  });
});

describe('random text as a hash', () => {
  const tokens = [
    'v=1',
    'v=',
    '&',
    '=',
    'r=',
    'adam',
    'lookahead',
    'inner=',
    'sgd',
    'cosine',
    'sequential',
    'schedules=',
    'milestones=',
    't_max=',
    'lr=',
    'beta1=',
    'k=',
    '(',
    ')',
    '[',
    ']',
    ',',
    '*',
    '@',
    'e6194b',
    ':',
    '%',
    '%E0%A4%A',
    '%28',
    '+',
    '-',
    '.',
    'e',
    '1',
    '0.02',
    '1e9',
    '-0',
    'NaN',
    'Infinity',
    'true',
    'null',
    'fn=',
    'custom',
    'quadratic',
    'fp=',
    'a:',
    'expr=',
    'x^2',
    'steps=',
    'noise=',
    'seed=',
    'sel=',
    'view=',
    'start=',
    'lang=',
    'lab=',
    'runs:',
    'offset:',
    'epsilon:',
    'mlp=',
    'hidden:',
    'dataset:',
    'n:',
    'batch:',
    'zh',
    '#',
    ' ',
    '__proto__',
  ];
  // Serialized valid states with a few characters inserted, deleted, replaced or cut.
  const editArb = fc.tuple(fc.nat(), fc.nat(3), fc.constantFrom(...'()[],=*@:%&+-.e0x# '));
  const mutatedArb = fc
    .tuple(stateArb, fc.array(editArb, { minLength: 1, maxLength: 6 }))
    .map(([state, edits]) => {
      let h = serializeState(state, m);
      for (const [at, op, c] of edits) {
        const i = at % (h.length + 1);
        if (op === 0) h = h.slice(0, i) + c + h.slice(i);
        else if (op === 1) h = h.slice(0, i) + h.slice(i + 1);
        else if (op === 2) h = h.slice(0, i) + c + h.slice(i + 1);
        else h = h.slice(0, i);
      }
      return h;
    });
  const hashArb = fc.oneof(
    mutatedArb,
    fc.string({ maxLength: 300 }),
    fc.fullUnicodeString({ maxLength: 300 }),
    fc.array(fc.constantFrom(...tokens), { maxLength: 200 }).map((t) => t.join('')),
    fc.array(fc.constantFrom(...tokens), { maxLength: 3000 }).map((t) => t.join('')),
  );

  test('never throws, stays usable, 200 runs in under 2 s', (t) => {
    let total = 0;
    fc.assert(
      fc.property(hashArb, (hash) => {
        const t0 = performance.now();
        const { state, errors } = parseHash(hash, m);
        total += performance.now() - t0;
        assertUsable(state, errors);
      }),
      { numRuns: Number(process.env.STATE_RUNS ?? 200) },
    );
    t.diagnostic(`the parses took ${total.toFixed(0)} ms`);
    assert.ok(total < 2000, `the parses took ${total.toFixed(0)} ms`);
  });
});

describe('the lab and network inputs in the link', () => {
  test('defaults: the lab as it mounts, the network as the core and the page set it', () => {
    assert.deepEqual(defaultLab(), { runs: 200, noise: 0, offset: 0.5, epsilon: 0.001 });
    assert.deepEqual(defaultState(m).lab, defaultLab());
    const mlp = defaultMlp(m);
    assert.deepEqual(Object.keys(mlp).sort(), [
      'activation',
      'batch',
      'dataset',
      'hidden',
      'labelNoise',
      'n',
      'noise',
      'steps',
      'testFraction',
    ]);
    // The page's own choices over the core's (which builds 32-32 networks).
    assert.deepEqual(mlp.hidden, [16, 16]);
    assert.equal(mlp.steps, MLP_STEPS.default);
    assert.equal(mlp.batch, 0, 'full batch');
    assert.equal(serializeState(defaultState(m), m), 'v=1', 'defaults are not written');
  });

  test('the network defaults are the core trainer defaults, but for hidden and steps', () => {
    const core = m.normalizeTrainerConfig({ optimizer: { name: 'adam' } });
    const mlp = defaultMlp(m);
    assert.equal(mlp.dataset, core.dataset.name);
    assert.equal(mlp.n, core.dataset.n);
    assert.equal(mlp.noise, core.dataset.noise);
    assert.equal(mlp.labelNoise, core.dataset.label_noise);
    assert.equal(mlp.testFraction, core.dataset.test_fraction);
    assert.equal(mlp.activation, core.network.activation);
    assert.equal(mlp.batch, core.batch_size);
    // A default network is valid for the core as it is.
    const { errors } = normalizeMlp(m, mlp);
    assert.deepEqual(errors, []);
  });

  test('only the changed inputs are written, readably, and read back', () => {
    const state = defaultState(m);
    state.lab.runs = 500;
    state.lab.offset = -0.25;
    state.mlp.dataset = 'circles';
    state.mlp.hidden = [8, 8, 8];
    state.mlp.activation = 'relu';
    state.mlp.batch = 32;
    const hash = serializeState(state, m);
    assert.equal(
      hash,
      'v=1&lab=runs:500,offset:-0.25&mlp=dataset:circles,hidden:[8,8,8],activation:relu,batch:32',
    );
    const { state: back, errors } = parseHash(`#${hash}`, m);
    assert.deepEqual(errors, []);
    assert.deepEqual(back, state);
    // No hidden layer at all is a network too.
    state.mlp.hidden = [];
    assert.match(serializeState(state, m), /hidden:\[\]/);
    assert.deepEqual(parseHash(serializeState(state, m), m).state.mlp.hidden, []);
  });

  test('a bad lab entry is named and takes its default; the others load', () => {
    const { state, errors } = parseUsable(
      'v=1&lab=runs:99,noise:-1,offset:x,epsilon:1.5,color:1&steps=40&mlp=n:300',
    );
    for (const f of ['lab.runs', 'lab.noise', 'lab.offset', 'lab.epsilon', 'lab.color']) {
      assertField(errors, f);
    }
    assert.deepEqual(state.lab, defaultLab());
    assert.equal(state.steps, 40, 'the rest of the link loads');
    assert.equal(state.mlp.n, 300);
    // The edges of the ranges are accepted: runs 100..1000, epsilon in (0, 1].
    const edges = parseUsable('v=1&lab=runs:1000,noise:0,epsilon:1,offset:-3');
    assert.deepEqual(edges.errors, []);
    assert.deepEqual(edges.state.lab, { runs: 1000, noise: 0, offset: -3, epsilon: 1 });
    const low = parseUsable('v=1&lab=runs:100,epsilon:0,offset:1e999');
    assert.deepEqual(fields(low.errors), ['lab.epsilon', 'lab.offset']);
    assert.equal(low.state.lab.runs, 100);
    assert.equal(low.state.lab.epsilon, LAB_FIELDS.epsilon.default);
    assert.equal(low.state.lab.offset, LAB_FIELDS.offset.default);
  });

  test('the network inputs are checked by the core, field by field', () => {
    // n outside 10..2000, a width outside 1..128, an unknown activation: named by the core.
    const { state, errors } = parseUsable(
      'v=1&mlp=n:9,hidden:[4,129],activation:sigmoid,dataset:xor,labelNoise:0.1,steps:0,depth:3',
    );
    for (const f of ['mlp.n', 'mlp.hidden', 'mlp.activation', 'mlp.steps', 'mlp.depth']) {
      assertField(errors, f);
    }
    const defaults = defaultMlp(m);
    assert.equal(state.mlp.n, defaults.n);
    assert.deepEqual(state.mlp.hidden, defaults.hidden);
    assert.equal(state.mlp.activation, defaults.activation);
    assert.equal(state.mlp.steps, defaults.steps);
    assert.equal(state.mlp.dataset, 'xor', 'the good entries stay');
    assert.equal(state.mlp.labelNoise, 0.1);
    assert.match(errors.find((e) => e.field === 'mlp.n').message, /\[10, 2000\]/);
    // Five hidden layers are one too many (at most 4); an unknown dataset is named.
    assertField(parseUsable('v=1&mlp=hidden:[1,2,3,4,5]').errors, 'mlp.hidden');
    assertField(parseUsable('v=1&mlp=dataset:mnist').errors, 'mlp.dataset');
    assert.deepEqual(parseUsable('v=1&mlp=n:10,hidden:[128,1,1,1]').errors, []);
  });

  test('syntax errors, repeats and hostile values', () => {
    for (const text of ['runs', 'runs:', 'runs:1,runs:2', ':', ',', 'runs:[[[[[[[[1]]]]]]]]']) {
      const { state, errors } = parseUsable(`v=1&lab=${encodeURIComponent(text)}&steps=7`);
      assert.ok(
        errors.some((e) => e.field.startsWith('lab')),
        `${text}: ${JSON.stringify(errors)}`,
      );
      assert.deepEqual(state.lab, defaultLab());
      assert.equal(state.steps, 7);
    }
    for (const text of ['hidden:[1,', 'n:adam(lr=1)', '__proto__:1', 'hidden:x', 'n:true']) {
      const { state, errors } = parseUsable(`v=1&mlp=${encodeURIComponent(text)}&steps=7`);
      assert.ok(
        errors.some((e) => e.field.startsWith('mlp')),
        `${text}: ${JSON.stringify(errors)}`,
      );
      assert.deepEqual(state.mlp, defaultMlp(m));
      assert.equal(state.steps, 7);
    }
    assertField(parseUsable('v=1&lab=runs:200&lab=runs:300').errors, 'lab');
    // A long list is read in linear time and rejected by the core as too many layers.
    const long = `v=1&mlp=hidden:[${new Array(4000).fill(1).join(',')}]`;
    const t0 = performance.now();
    assertField(parseUsable(long).errors, 'mlp.hidden');
    assert.ok(performance.now() - t0 < 500);
  });

  test('normalizeLab and normalizeMlp read what the inputs hold', () => {
    assert.deepEqual(normalizeLab({ runs: 300, noise: 0.1, offset: 0, epsilon: 0.01 }), {
      lab: { runs: 300, noise: 0.1, offset: 0, epsilon: 0.01 },
      errors: [],
    });
    const bad = normalizeLab({ runs: NaN, noise: 0.2 });
    assert.deepEqual(fields(bad.errors), ['lab.runs']);
    assert.equal(bad.lab.noise, 0.2);
    const mlp = normalizeMlp(m, { ...defaultMlp(m), hidden: [NaN], n: 50 });
    assert.deepEqual(fields(mlp.errors), ['mlp.hidden']);
    assert.equal(mlp.mlp.n, 50);
  });
});

describe('labels', () => {
  test('every parameter of every method, schedule and function has a label in both languages', async () => {
    const { paramLabel, functionLabel, loadLanguage } = await import('../../web/i18n.js');
    await loadLanguage('zh');
    for (const lang of ['en', 'zh']) {
      for (const list of [m.methods(), m.schedules(), m.functions()]) {
        for (const d of list) {
          for (const p of d.params) {
            const label = paramLabel(lang, d.name, p.name);
            // A one-letter symbol or, in English, a plain word may stand as it is.
            const plain = p.name.length === 1 || (lang === 'en' && /^[a-z]+$/.test(p.name));
            assert.ok(plain || label !== p.name, `${lang}: ${d.name}.${p.name} has no label`);
            // No raw snake_case identifier (T_max, a subscript, is maths).
            assert.doesNotMatch(
              label,
              /\b[a-z]+_[a-z]+\b/,
              `${lang}: ${d.name}.${p.name}: ${label}`,
            );
          }
        }
      }
      for (const f of m.functions()) {
        assert.doesNotMatch(functionLabel(lang, f), /\b[a-z]+_[a-z]+\b/, `${lang}: ${f.name}`);
      }
    }
    // The twin basin's name is Chinese in Chinese (it stayed English before).
    assert.match(
      functionLabel(
        'zh',
        m.functions().find((f) => f.name === 'twin_basin'),
      ),
      /尖锐/,
    );
  });
});

describe('the embedding in the link', () => {
  test('embed, hide and lock are read, checked and written back', () => {
    const r = parseHash('v=1&embed=1&hide=lab,cards,lab&lock=1', m);
    assert.deepEqual(r.errors, []);
    assert.deepEqual(r.state.embed, { on: true, hide: ['cards', 'lab'], lock: true });
    assert.equal(serializeState(r.state, m), 'v=1&embed=1&hide=cards,lab&lock=1');
    const bad = parseHash('v=1&embed=2&hide=lab,<script>&lock=yes', m);
    assert.deepEqual(
      bad.errors.map((e) => e.field),
      ['embed', 'lock', 'hide'],
    );
    assert.deepEqual(bad.state.embed, { on: false, hide: ['lab'], lock: false });
  });
});
