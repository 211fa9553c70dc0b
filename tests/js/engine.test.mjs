// SPDX-License-Identifier: MIT
// The wasm module (build/wasm/optim.mjs) in Node: agreement with the native
// runner, seeded noise, errors, metadata, random hyperparameters, divergence,
// grids and function details.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { loadOptim, runNative } from './lib/optim.mjs';

const m = await loadOptim();

const METHODS = [
  'sgd',
  'sgd_momentum',
  'momentum_classic',
  'nag',
  'adagrad',
  'rmsprop',
  'adadelta',
  'adam',
  'adamax',
  'amsgrad',
  'adabound',
  'amsbound',
  'swats',
  'radam',
  'nadam',
  'nadam_dozat',
  'adamw',
  'sgdw',
  'lookahead',
];
const SCHEDULES = [
  'constant',
  'step',
  'multistep',
  'exponential',
  'inverse_sqrt',
  'cosine',
  'cosine_warm_restarts',
  'cyclic',
  'one_cycle',
  'linear_warmup',
  'exponential_warmup',
  'sequential',
  'chain',
];
const FUNCTIONS = [
  'quadratic',
  'rosenbrock',
  'beale',
  'himmelblau',
  'saddle',
  'rastrigin',
  'ackley',
  'styblinski_tang',
  'booth',
  'six_hump_camel',
  'goldstein_price',
  'twin_basin',
  'custom',
];

// shared/reference/conformance.md § 1.1, written out.
const DEFAULTS = {
  sgd: { lr: 0.001, weight_decay: 0.0 },
  sgd_momentum: { lr: 0.001, momentum: 0.9, dampening: 0.0, nesterov: false, weight_decay: 0.0 },
  momentum_classic: { lr: 0.001, momentum: 0.9 },
  nag: { lr: 0.001, momentum: 0.9 },
  adagrad: {
    lr: 0.01,
    lr_decay: 0.0,
    weight_decay: 0.0,
    initial_accumulator_value: 0.0,
    eps: 1e-10,
  },
  rmsprop: {
    lr: 0.01,
    alpha: 0.99,
    eps: 1e-8,
    weight_decay: 0.0,
    momentum: 0.0,
    centered: false,
  },
  adadelta: { lr: 1.0, rho: 0.9, eps: 1e-6, weight_decay: 0.0 },
  adam: {
    lr: 0.001,
    beta1: 0.9,
    beta2: 0.999,
    eps: 1e-8,
    weight_decay: 0.0,
    amsgrad: false,
    // Not in § 1.1: off, Reddi et al.'s generic Adam (optimizers.md § 4.2).
    bias_correction: true,
  },
  adamax: { lr: 0.002, beta1: 0.9, beta2: 0.999, eps: 1e-8, weight_decay: 0.0 },
  amsgrad: {
    lr: 0.001,
    beta1: 0.9,
    beta2: 0.999,
    eps: 1e-8,
    weight_decay: 0.0,
    variant: 'torch',
  },
  adabound: {
    lr: 0.001,
    beta1: 0.9,
    beta2: 0.999,
    final_lr: 0.1,
    gamma: 0.001,
    eps: 1e-8,
    weight_decay: 0.0,
    amsbound: false,
  },
  amsbound: {
    lr: 0.001,
    beta1: 0.9,
    beta2: 0.999,
    final_lr: 0.1,
    gamma: 0.001,
    eps: 1e-8,
    weight_decay: 0.0,
  },
  swats: { lr: 0.001, beta1: 0.9, beta2: 0.999, eps: 1e-9, switch_eps: 1e-9 },
  radam: {
    lr: 0.001,
    beta1: 0.9,
    beta2: 0.999,
    eps: 1e-8,
    weight_decay: 0.0,
    threshold: 5.0,
    decoupled_weight_decay: false,
  },
  nadam: {
    lr: 0.002,
    beta1: 0.9,
    beta2: 0.999,
    eps: 1e-8,
    weight_decay: 0.0,
    momentum_decay: 0.004,
    decoupled_weight_decay: false,
  },
  nadam_dozat: { lr: 0.002, beta1: 0.9, beta2: 0.999, eps: 1e-8 },
  adamw: {
    lr: 0.001,
    beta1: 0.9,
    beta2: 0.999,
    eps: 1e-8,
    weight_decay: 0.01,
    amsgrad: false,
    wd_mode: 'lr',
  },
  sgdw: { lr: 0.001, momentum: 0.0, weight_decay: 0.0, wd_mode: 'schedule' },
  lookahead: { k: 5, alpha: 0.5 },
};

// § 1.2: the defaults of the optional schedule parameters.
const SCHEDULE_DEFAULTS = {
  step: { gamma: 0.1 },
  multistep: { gamma: 0.1 },
  cosine: { eta_min: 0 },
  cosine_warm_restarts: { t_mult: 1, eta_min: 0 },
  cyclic: { step_size_up: 2000, step_size_down: null, mode: 'triangular', gamma: 1.0 },
  one_cycle: {
    pct_start: 0.3,
    anneal_strategy: 'cos',
    div_factor: 25,
    final_div_factor: 1e4,
    three_phase: false,
  },
  linear_warmup: { warmup_steps: 5, start_factor: 1 / 3 },
};

// ---------------------------------------------------------------------------
// helpers

/** A method spec with every default, except lookahead's required inner optimizer. */
function defaultSpec(name) {
  return name === 'lookahead'
    ? { name, hyperparameters: { inner: { name: 'adam' } } }
    : { name, hyperparameters: {} };
}

/** Does value v lie in the valid range of parameter p (metadata)? */
function inRange(p, v) {
  if (v === null) return p.nullable;
  switch (p.type) {
    case 'boolean':
      return typeof v === 'boolean';
    case 'choice':
      return p.choices.includes(v);
    case 'string':
      return typeof v === 'string' && [...v].length <= p.maxLength;
    case 'integer list':
      return Array.isArray(v) && v.every((x) => inRange({ ...p, type: 'integer' }, x));
    case 'integer':
      if (!Number.isInteger(v)) return false;
    // fall through: an integer is also checked as a number
    case 'number':
      return (
        typeof v === 'number' &&
        Number.isFinite(v) &&
        (p.min === null || v > p.min || (p.minInclusive && v === p.min)) &&
        (p.max === null || v < p.max || (p.maxInclusive && v === p.max))
      );
    default:
      return false;
  }
}

/** Native state {name: [[x, y], ...] | [...]} as {name: {width, values}}. */
function nativeState(state) {
  return Object.fromEntries(
    Object.entries(state).map(([name, rows]) => {
      const width = Array.isArray(rows[0]) ? rows[0].length : 1;
      return [name, { width, values: width === 1 ? rows : rows.flat() }];
    }),
  );
}

/**
 * Asserts that two flat arrays with `width` interleaved columns agree: bit for
 * bit when `exact`, else |a - b| <= rtol * (largest |b| in the same column).
 * The scale is the column's magnitude, not |b| itself, because an element-wise
 * relative error is meaningless for values that are rounding noise around 0
 * (e.g. a momentum buffer of 1e-15 after convergence). Returns true when the
 * arrays are bit-identical.
 */
function assertAgree(actual, expected, width, what, { exact = false, rtol = 1e-12 } = {}) {
  assert.equal(actual.length, expected.length, `${what}: length`);
  const scale = new Array(width).fill(0);
  expected.forEach((v, k) => (scale[k % width] = Math.max(scale[k % width], Math.abs(v))));
  let identical = true;
  for (let k = 0; k < expected.length; k += 1) {
    const a = actual[k];
    const b = expected[k];
    if (Object.is(a, b)) continue;
    identical = false;
    const where = `${what}[${Math.floor(k / width)}]${width > 1 ? `[${k % width}]` : ''}`;
    assert.ok(!exact, `${where}: ${a} and ${b} should be bit-identical`);
    assert.ok(
      Math.abs(a - b) <= rtol * scale[k % width],
      `${where}: ${a} vs ${b} differ by more than ${rtol} relative (scale ${scale[k % width]})`,
    );
  }
  return identical;
}

/** Compares a wasm result with the native runner's JSON; returns true if bit-identical. */
function assertSameRun(w, n, label, options) {
  assert.equal(w.steps, n.steps, `${label}: steps`);
  assert.equal(w.diverged, n.diverged, `${label}: diverged`);
  assert.equal(w.divergedAt, n.diverged_at, `${label}: divergedAt`);
  assert.equal(w.divergenceReason, n.divergence_reason, `${label}: divergenceReason`);
  assert.deepEqual(w.config, n.config, `${label}: normalized config`);
  let same = assertAgree(w.trajectory, n.trajectory.flat(), w.dim, `${label} trajectory`, options);
  same = assertAgree(w.loss, n.f, 1, `${label} loss`, options) && same;
  same = assertAgree(w.lr, n.lr, 1, `${label} lr`, options) && same;
  const ns = nativeState(n.state);
  assert.deepEqual(Object.keys(w.state).sort(), Object.keys(ns).sort(), `${label}: state names`);
  for (const [name, series] of Object.entries(w.state)) {
    assert.equal(series.width, ns[name].width, `${label}: state ${name} width`);
    const values = ns[name].values.map((v) => (v === null ? NaN : v));
    same = assertAgree(series.values, values, series.width, `${label} ${name}`, options) && same;
  }
  return same;
}

/** Bit-identity of every array of two wasm results. */
function bitIdentical(a, b) {
  const bytes = (x) => Buffer.from(x.buffer, x.byteOffset, x.byteLength);
  if (Object.keys(a.state).join() !== Object.keys(b.state).join()) return false;
  return (
    a.steps === b.steps &&
    ['trajectory', 'loss', 'lr'].every((k) => bytes(a[k]).equals(bytes(b[k]))) &&
    Object.keys(a.state).every((k) => bytes(a.state[k].values).equals(bytes(b.state[k].values)))
  );
}

// ---------------------------------------------------------------------------

describe('wasm and native give the same runs', () => {
  // Polynomials: with a constant lr no transcendental function is involved and
  // both builds should agree bit for bit. Ackley and the cos-based schedules
  // call libm, whose results may differ by an ulp between glibc and the wasm libc.
  const polynomial = ['rosenbrock', 'himmelblau', 'beale'];
  const functions = [...polynomial, 'ackley'];
  const schedules = [
    { name: 'cosine', params: { t_max: 100, eta_min: 1e-5 } },
    { name: 'one_cycle', params: { max_lr: 0.002, total_steps: 100 } },
    {
      name: 'sequential',
      params: {
        schedules: [
          { name: 'linear_warmup', params: { warmup_steps: 10 } },
          { name: 'cosine', params: { t_max: 90 } },
        ],
        milestones: [10],
      },
    },
  ];
  const variants = [
    ...METHODS.filter((n) => n !== 'lookahead').map((name) => ({ name })),
    {
      name: 'lookahead',
      hyperparameters: { inner: { name: 'adam', hyperparameters: { lr: 0.01 } } },
    },
    { name: 'lookahead', hyperparameters: { k: 3, alpha: 0.8, inner: { name: 'nag' } } },
  ];

  variants.forEach((optimizer, i) => {
    const label = optimizer.hyperparameters?.inner
      ? `lookahead(${optimizer.hyperparameters.inner.name})`
      : optimizer.name;
    test(`${label} on ${functions.join(', ')}, with and without a schedule`, () => {
      functions.forEach((fn, j) => {
        for (const schedule of [null, schedules[(i + j) % schedules.length]]) {
          const config = { optimizer, schedule, function: { name: fn }, steps: 100 };
          const exact = schedule === null && polynomial.includes(fn);
          const where = `${label}/${fn}/${schedule?.name ?? 'constant'}`;
          assertSameRun(m.run(config), runNative(config), where, { exact });
        }
      });
    });
  });
});

describe('seeded noise', () => {
  const base = {
    optimizer: { name: 'adam', hyperparameters: { lr: 0.02 } },
    function: { name: 'himmelblau' },
    start: [0.5, -1],
    steps: 200,
  };
  const noisy = { ...base, noise: { level: 0.5, seed: 42 } };

  test('the same seed gives a bit-identical run, twice in wasm', () => {
    const a = m.run(noisy);
    const b = m.run(noisy);
    assert.equal(a.steps, 200);
    assert.ok(bitIdentical(a, b));
  });

  test('wasm and native agree on a noisy run', (t) => {
    const same = assertSameRun(m.run(noisy), runNative(noisy), 'noisy');
    t.diagnostic(`native and wasm noisy runs bit-identical: ${same}`);
  });

  test('another seed gives another trajectory; noise changes the run', () => {
    const a = m.run(noisy);
    const other = m.run({ ...base, noise: { level: 0.5, seed: 43 } });
    assert.notDeepEqual(Array.from(other.trajectory), Array.from(a.trajectory));
    // The first update already differs: the noise enters the first gradient.
    assert.ok(other.trajectory[2] !== a.trajectory[2] || other.trajectory[3] !== a.trajectory[3]);
    assert.notDeepEqual(Array.from(m.run(base).trajectory), Array.from(a.trajectory));
  });

  test('noise level 0 is identical to a run without noise', () => {
    const quiet = m.run({ ...base, noise: { level: 0, seed: 42 } });
    assert.ok(bitIdentical(quiet, m.run(base)));
    assert.ok(bitIdentical(quiet, m.run({ ...base, noise: null })));
  });
});

/** A config whose hyperparameters refer back to the config. */
function selfReferencing() {
  const config = { optimizer: { name: 'adam' }, function: { name: 'rosenbrock' } };
  config.optimizer.hyperparameters = { lr: config };
  return config;
}

describe('invalid input arrives as an Error and the module stays usable', () => {
  const reference = {
    optimizer: { name: 'adam', hyperparameters: { lr: 0.01 } },
    function: { name: 'rosenbrock' },
    steps: 50,
  };
  const expected = m.run(reference);
  const native = runNative(reference);
  const rosen = { name: 'rosenbrock' };
  const sgdSpec = { name: 'sgd' };
  const withOpt = (name, hyperparameters) => ({
    optimizer: { name, hyperparameters },
    function: rosen,
  });

  /** [label, config, parts the message must contain] */
  const cases = [
    [
      'adam beta1 1.5',
      withOpt('adam', { beta1: 1.5 }),
      ['optimizer.hyperparameters.beta1', 'adam', 'beta1', '1.5', '[0, 1)'],
    ],
    [
      'sgd lr -1',
      withOpt('sgd', { lr: -1 }),
      ['optimizer.hyperparameters.lr', 'sgd', 'lr', '-1', '(0, inf)'],
    ],
    [
      'rmsprop alpha 1',
      withOpt('rmsprop', { alpha: 1 }),
      ['optimizer.hyperparameters.alpha', 'rmsprop', 'alpha', '1', '[0, 1)'],
    ],
    [
      'adabound gamma 1',
      withOpt('adabound', { gamma: 1 }),
      ['optimizer.hyperparameters.gamma', 'adabound', 'gamma', '1', '(0, 1)'],
    ],
    [
      'radam threshold 3',
      withOpt('radam', { threshold: 3 }),
      ['optimizer.hyperparameters.threshold', 'radam', 'threshold', '3', '[4, inf)'],
    ],
    [
      'swats eps 0',
      withOpt('swats', { eps: 0 }),
      ['optimizer.hyperparameters.eps', 'swats', 'eps', '0', '(0, inf)'],
    ],
    [
      'lookahead k 0',
      withOpt('lookahead', { k: 0, inner: { name: 'sgd' } }),
      ['optimizer.hyperparameters.k', 'lookahead', 'k', '0', '[1, 1000000]'],
    ],
    [
      'lookahead inner adam beta2 1',
      withOpt('lookahead', { inner: { name: 'adam', hyperparameters: { beta2: 1 } } }),
      ['optimizer.hyperparameters.inner.hyperparameters.beta2', 'adam', 'beta2', '1', '[0, 1)'],
    ],
    [
      'cosine t_max 0',
      { ...withOpt('sgd', {}), schedule: { name: 'cosine', params: { t_max: 0 } } },
      ['schedule.params.t_max', 'cosine', 't_max', '0', '[1, 1e+09]'],
    ],
    [
      'rosenbrock b 0',
      { optimizer: { name: 'sgd' }, function: { name: 'rosenbrock', params: { b: 0 } } },
      ['function.params.b', 'rosenbrock', 'b', '0', '(0, inf)'],
    ],
    [
      'nesterov with dampening',
      withOpt('sgd_momentum', { nesterov: true, dampening: 0.5 }),
      ['optimizer.hyperparameters.nesterov', 'sgd_momentum', 'dampening = 0.5'],
    ],
    [
      'lookahead inside lookahead',
      withOpt('lookahead', { inner: { name: 'lookahead', hyperparameters: { inner: sgdSpec } } }),
      ['optimizer.hyperparameters.inner.name', 'lookahead'],
    ],
    ['unknown method', withOpt('adamx', {}), ['optimizer.name', "'adamx'", 'adam']],
    [
      'unknown schedule',
      { ...withOpt('sgd', {}), schedule: { name: 'warmup' } },
      ['schedule.name', "'warmup'"],
    ],
    [
      'unknown function',
      { optimizer: { name: 'sgd' }, function: { name: 'sphere' } },
      ['function.name', "'sphere'"],
    ],
    ['unknown top-level key', { ...withOpt('sgd', {}), stpes: 10 }, ['stpes', 'unknown key']],
    [
      'unknown hyperparameter',
      withOpt('adam', { momentum: 0.9 }),
      ['optimizer.hyperparameters.momentum', 'adam', "'momentum'"],
    ],
    [
      'unknown schedule parameter',
      { ...withOpt('sgd', {}), schedule: { name: 'cosine', params: { t_max: 9, tmax: 9 } } },
      ['schedule.params.tmax', 'cosine', "'tmax'"],
    ],
    ['unknown optimizer key', { optimizer: { name: 'sgd', lr: 0.1 }, function: rosen }, ['lr']],
    [
      'required schedule parameter missing',
      { ...withOpt('sgd', {}), schedule: { name: 'cosine' } },
      ['schedule.params.t_max', 'required'],
    ],
    ['lookahead without inner', withOpt('lookahead', {}), ['inner', 'required']],
    [
      'steps beyond one_cycle total_steps',
      {
        ...withOpt('sgd', {}),
        schedule: { name: 'one_cycle', params: { max_lr: 0.1, total_steps: 50 } },
        steps: 51,
      },
      ['steps', '51', '50'],
    ],
    ['lr as a string', withOpt('adam', { lr: '0.1' }), ['optimizer.hyperparameters.lr', 'adam']],
    [
      'boolean as a number',
      withOpt('adam', { amsgrad: 1 }),
      ['optimizer.hyperparameters.amsgrad', 'boolean'],
    ],
    [
      'choice not in the list',
      withOpt('amsgrad', { variant: 'keras' }),
      ['optimizer.hyperparameters.variant', 'amsgrad', 'torch', 'paper'],
    ],
    ['hyperparameters as an array', withOpt('adam', []), ['optimizer.hyperparameters']],
    ['optimizer as a string', { optimizer: 'adam', function: rosen }, ['optimizer']],
    ['steps as a string', { ...withOpt('sgd', {}), steps: '100' }, ['steps']],
    ['steps not an integer', { ...withOpt('sgd', {}), steps: 1.5 }, ['steps', '1.5']],
    ['steps too many', { ...withOpt('sgd', {}), steps: 100001 }, ['steps', '100001']],
    ['start of one number', { ...withOpt('sgd', {}), start: [1] }, ['start']],
    ['negative noise', { ...withOpt('sgd', {}), noise: { level: -1 } }, ['noise.level']],
    ['optimizer missing', { function: rosen }, ['optimizer', 'required']],
    ['a number as config', 5, ['configuration', 'object']],
    ['a string as config', 'adam', ['configuration', 'object']],
    ['an array as config', [], ['configuration', 'object']],
    ['null as config', null, ['configuration', 'object']],
    ['undefined config', undefined, ['configuration', 'object']],
    // Values JSON.stringify would hide or turn into null.
    ['lr Infinity', withOpt('adam', { lr: Infinity }), ['optimizer.hyperparameters.lr', 'inf']],
    ['lr NaN', withOpt('adam', { lr: NaN }), ['optimizer.hyperparameters.lr', 'adam', 'nan']],
    ['start with NaN', { ...withOpt('sgd', {}), start: [1, NaN] }, ['start', '[1, nan]']],
    [
      'a function as a value',
      withOpt('adam', { lr: () => 0.1 }),
      ['optimizer.hyperparameters.lr', 'function'],
    ],
    ['a BigInt as a value', { ...withOpt('sgd', {}), steps: 10n }, ['steps', 'bigint']],
    ['a Symbol as a value', withOpt('sgd', { lr: Symbol('lr') }), ['lr', 'symbol']],
    ['a config that contains itself', selfReferencing(), ['nested too deeply']],
  ];

  for (const [label, config, parts] of cases) {
    test(label, () => {
      assert.throws(
        () => m.run(config),
        (e) => {
          assert.ok(e instanceof Error, `not an Error: ${e}`);
          for (const part of parts) {
            assert.ok(e.message.includes(part), `"${e.message}" does not contain "${part}"`);
          }
          return true;
        },
      );
      // The module still works and gives the same (correct) result.
      const again = m.run(reference);
      assert.ok(bitIdentical(again, expected), 'a valid run after the error differs');
      assertSameRun(again, native, 'after the error', { exact: true });
    });
  }

  test('the native runner rejects the same input with exit 1 and a one-line message', () => {
    assert.throws(
      () => runNative(withOpt('adam', { beta1: 1.5 })),
      (e) =>
        e instanceof Error &&
        /^optim-run: -: optimizer\.hyperparameters\.beta1: adam: beta1 = 1\.5 .*\[0, 1\)$/.test(
          e.message,
        ),
    );
  });
});

describe('metadata', () => {
  test('methods, schedules and functions are listed in order', () => {
    assert.deepEqual(
      m.methods().map((x) => x.name),
      METHODS,
    );
    assert.deepEqual(
      m.schedules().map((x) => x.name),
      SCHEDULES,
    );
    assert.deepEqual(
      m.functions().map((x) => x.name),
      FUNCTIONS,
    );
  });

  test('every parameter default lies in its own valid range', () => {
    const groups = [
      ['method', m.methods()],
      ['schedule', m.schedules()],
      ['function', m.functions()],
    ];
    for (const [kind, list] of groups) {
      for (const item of list) {
        for (const p of item.params) {
          const where = `${kind} ${item.name}.${p.name}`;
          if (p.required) {
            assert.equal(p.default, null, `${where}: a required parameter has no default`);
            continue;
          }
          assert.ok(inRange(p, p.default), `${where}: default ${p.default} outside ${p.range}`);
          if (p.type === 'number' || p.type === 'integer') {
            assert.ok(p.softMin <= p.softMax, `${where}: soft range`);
            assert.ok(['linear', 'log'].includes(p.scale), `${where}: scale`);
          }
          if (p.type === 'string') {
            // Free text: a length limit, no range.
            assert.ok(Number.isInteger(p.maxLength) && p.maxLength > 0, `${where}: maxLength`);
            assert.equal(p.range, undefined, `${where}: a string has no range`);
          }
        }
      }
    }
  });

  test('§ 1.1 defaults equal the metadata and the normalized spec', () => {
    for (const meta of m.methods()) {
      const fromMeta = Object.fromEntries(
        meta.params.filter((p) => !p.required).map((p) => [p.name, p.default]),
      );
      assert.deepEqual(fromMeta, DEFAULTS[meta.name], `${meta.name} metadata`);
      const normalized = m.normalizeOptimizer(defaultSpec(meta.name)).hyperparameters;
      delete normalized.inner;
      assert.deepEqual(normalized, DEFAULTS[meta.name], `${meta.name} normalizeOptimizer`);
    }
    for (const meta of m.schedules()) {
      const fromMeta = Object.fromEntries(
        meta.params.filter((p) => !p.required).map((p) => [p.name, p.default]),
      );
      assert.deepEqual(fromMeta, SCHEDULE_DEFAULTS[meta.name] ?? {}, `${meta.name} metadata`);
    }
    assert.equal(m.schedules().find((s) => s.name === 'cyclic').absolute, true);
    assert.equal(m.schedules().find((s) => s.name === 'one_cycle').absolute, true);
  });

  test('a run with every default is accepted by every method', () => {
    for (const name of METHODS) {
      const r = m.run({ optimizer: defaultSpec(name), function: { name: 'himmelblau' }, steps: 5 });
      assert.equal(r.steps, 5, name);
      const meta = m.methods().find((x) => x.name === name);
      for (const s of meta.state) assert.ok(s in r.state, `${name}: state series ${s}`);
    }
  });

  test('every state series has a description', () => {
    const series = m.series();
    for (const meta of m.methods()) {
      for (const s of meta.state) assert.ok(series[s]?.label, `${meta.name}: series ${s}`);
    }
  });
});

describe('random hyperparameters (fast-check)', () => {
  const methods = m.methods();
  const functions = m.functions();

  const paramArb = (p) => {
    switch (p.type) {
      case 'boolean':
        return fc.boolean();
      case 'choice':
        return fc.constantFrom(...p.choices);
      case 'integer':
        return fc.integer({ min: Math.ceil(p.softMin), max: Math.floor(p.softMax) });
      case 'number': {
        const arb =
          p.scale === 'log' && p.softMin > 0
            ? fc
                .double({ min: Math.log(p.softMin), max: Math.log(p.softMax), noNaN: true })
                .map(Math.exp)
            : fc.double({ min: p.softMin, max: p.softMax, noNaN: true });
        return arb.filter((v) => inRange(p, v));
      }
      default:
        throw new Error(`no arbitrary for ${p.type}`);
    }
  };
  // The one cross-parameter rule: sgd_momentum's nesterov needs momentum > 0 and dampening 0.
  const crossRules = (h) =>
    h.nesterov ? { ...h, dampening: 0, momentum: h.momentum > 0 ? h.momentum : 0.5 } : h;
  const specArb = (meta) =>
    fc
      .record(
        Object.fromEntries(
          meta.params.filter((p) => p.type !== 'optimizer').map((p) => [p.name, paramArb(p)]),
        ),
      )
      .map((hyperparameters) => ({
        name: meta.name,
        hyperparameters: crossRules(hyperparameters),
      }));
  const plainArb = fc.oneof(...methods.filter((x) => x.name !== 'lookahead').map(specArb));
  const lookaheadArb = fc
    .tuple(specArb(methods.find((x) => x.name === 'lookahead')), plainArb)
    .map(([spec, inner]) => ({
      name: 'lookahead',
      hyperparameters: { ...spec.hyperparameters, inner },
    }));
  const optimizerArb = fc.oneof(
    { arbitrary: plainArb, weight: 9 },
    { arbitrary: lookaheadArb, weight: 1 },
  );
  const functionArb = fc
    .constantFrom(...functions)
    .chain((f) =>
      fc
        .tuple(
          fc.double({ min: f.domain.xmin, max: f.domain.xmax, noNaN: true }),
          fc.double({ min: f.domain.ymin, max: f.domain.ymax, noNaN: true }),
        )
        .map((start) => ({ function: { name: f.name }, start })),
    );

  test('a 50-step run completes with finite numbers or reports where it diverged', () => {
    const steps = 50;
    fc.assert(
      fc.property(optimizerArb, functionArb, (optimizer, where) => {
        const r = m.run({ optimizer, ...where, steps });
        if (r.diverged) {
          assert.ok(Number.isInteger(r.divergedAt), 'divergedAt is an integer');
          assert.ok(r.divergedAt >= 1 && r.divergedAt <= steps, `divergedAt ${r.divergedAt}`);
          assert.equal(r.steps, r.divergedAt - 1);
          assert.ok(r.divergenceReason.length > 0);
        } else {
          assert.equal(r.divergedAt, null);
          assert.equal(r.steps, steps);
        }
        assert.equal(r.trajectory.length, (r.steps + 1) * 2);
        assert.equal(r.loss.length, r.steps + 1);
        assert.equal(r.lr.length, r.steps);
        const finite = (name, a) =>
          a.forEach((v, k) => assert.ok(Number.isFinite(v), `${name}[${k}] = ${v}`));
        finite('trajectory', r.trajectory);
        finite('loss', r.loss);
        finite('lr', r.lr);
        for (const [name, s] of Object.entries(r.state)) {
          assert.ok(s.width === 1 || s.width === 2, `${name} width ${s.width}`);
          assert.equal(s.values.length, r.steps * s.width, `${name} length`);
          finite(name, s.values);
        }
      }),
      { numRuns: 300 },
    );
  });

  // Every bounded number or integer parameter, with a value outside its range.
  const bounded = methods.flatMap((meta) =>
    meta.params
      .filter((p) => (p.type === 'number' || p.type === 'integer') && (p.min ?? p.max) !== null)
      .map((p) => ({ method: meta.name, p })),
  );
  const outsideArb = ({ p }) => {
    const arbs = [];
    if (p.min !== null) arbs.push(fc.double({ min: p.min - 1e6, max: p.min, noNaN: true }));
    if (p.max !== null) arbs.push(fc.double({ min: p.max, max: p.max + 1e6, noNaN: true }));
    if (p.type === 'integer') {
      arbs.push(fc.double({ min: p.softMin, max: p.softMax, noNaN: true }));
    }
    return fc.oneof(...arbs).filter((v) => !inRange(p, v));
  };

  test('a value outside the valid range is rejected with an Error naming the parameter', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...bounded).chain((b) => fc.tuple(fc.constant(b), outsideArb(b))),
        ([{ method, p }, value]) => {
          const spec = defaultSpec(method);
          spec.hyperparameters[p.name] = value;
          assert.throws(
            () => m.run({ optimizer: spec, function: { name: 'booth' }, steps: 3 }),
            (e) =>
              e instanceof Error &&
              e.message.startsWith(`optimizer.hyperparameters.${p.name}: ${method}: ${p.name}`),
          );
        },
      ),
      { numRuns: 200 },
    );
    // ...and the module still works.
    assert.equal(m.run({ optimizer: { name: 'sgd' }, function: { name: 'booth' } }).steps, 200);
  });
});

test('divergence is a result: sgd with lr 1 on the kappa=10 bowl', () => {
  // f = (x^2 + 10 y^2)/2: y <- y - 10 y = -9 y, so |y| passes 1e12 at update 13.
  const r = m.run({
    optimizer: { name: 'sgd', hyperparameters: { lr: 1 } },
    function: { name: 'quadratic', params: { a: 1, b: 10 } },
    start: [-4, 2],
    steps: 50,
  });
  assert.equal(r.diverged, true);
  assert.equal(r.divergedAt, 13);
  assert.equal(r.steps, 12);
  assert.match(r.divergenceReason, /exceeds 1e\+12/);
  assert.equal(r.trajectory.length, 13 * 2);
  assert.equal(r.loss.length, 13);
  assert.equal(r.lr.length, 12);
  for (const [name, s] of Object.entries(r.state)) {
    assert.equal(s.values.length, 12 * s.width, name);
  }
  assert.equal(r.trajectory[2 * 12 + 1], 2 * (-9) ** 12);
  assert.ok(r.trajectory.every(Number.isFinite));
});

test('record "path" gives the same run without the state series', () => {
  const methods = [
    { name: 'adam' },
    { name: 'radam' },
    { name: 'lookahead', hyperparameters: { inner: { name: 'sgd_momentum' } } },
  ];
  for (const optimizer of methods) {
    const name = optimizer.name;
    const config = {
      optimizer,
      function: { name: 'rosenbrock' },
      start: [-1.2, 1],
      steps: 300,
      noise: { level: 0.3, seed: 4 },
    };
    const all = m.run(config);
    const path = m.run({ ...config, record: 'path' });
    assert.ok(Object.keys(all.state).length > 0, name);
    assert.deepEqual(Object.keys(path.state), [], name);
    assert.deepEqual(path.trajectory, all.trajectory, name);
    assert.deepEqual(path.loss, all.loss, name);
    assert.deepEqual(path.lr, all.lr, name);
    assert.equal(m.normalizeConfig(config).record, 'all');
    assert.equal(m.normalizeConfig({ ...config, record: 'path' }).record, 'path');
  }
  assert.throws(
    () => m.run({ optimizer: { name: 'sgd' }, function: { name: 'booth' }, record: 'none' }),
    /record: must be "all" or "path"/,
  );
});

describe('grid', () => {
  test('booth on a 3x2 grid, row 0 at the top', () => {
    const values = m.grid({
      function: { name: 'booth' },
      box: { xmin: -1, xmax: 1, ymin: 0, ymax: 2 },
      width: 3,
      height: 2,
    });
    // f = (x + 2y - 7)^2 + (2x + y - 5)^2 at x = -1, 0, 1; y = 2 (row 0), then y = 0.
    assert.ok(values instanceof Float32Array);
    assert.equal(values.length, 3 * 2);
    assert.deepEqual(Array.from(values), [16 + 25, 9 + 9, 4 + 1, 64 + 49, 49 + 25, 36 + 9]);
  });

  test('the default box is the function domain; values match evaluate()', () => {
    const info = m.functionInfo({ name: 'himmelblau' });
    const values = m.grid({ function: { name: 'himmelblau' }, width: 5, height: 4 });
    const { xmin, xmax, ymin, ymax } = info.domain;
    const x = xmin + (3 * (xmax - xmin)) / 4;
    const y = ymax - (2 * (ymax - ymin)) / 3;
    assert.equal(values[2 * 5 + 3], Math.fround(m.evaluate({ name: 'himmelblau' }, x, y).value));
  });

  test('invalid sizes are rejected', () => {
    const fn = { name: 'booth' };
    for (const [size, part] of [
      [{ width: 1, height: 2 }, 'width'],
      [{ width: 3, height: 0 }, 'height'],
      [{ width: 4097, height: 2 }, 'width'],
      [{ width: 2.5, height: 2 }, 'width'],
      [{ width: 3, height: -2 }, 'height'],
      [{ width: 4096, height: 4096 }, 'width * height'],
      [{ width: 3 }, 'height'],
      [{ width: '3', height: 2 }, 'width'],
    ]) {
      assert.throws(
        () => m.grid({ function: fn, ...size }),
        (e) => e instanceof Error && e.message.includes(part),
        JSON.stringify(size),
      );
    }
    assert.throws(
      () =>
        m.grid({ function: fn, box: { xmin: 1, xmax: 0, ymin: 0, ymax: 1 }, width: 2, height: 2 }),
      /xmax/,
    );
    assert.equal(m.grid({ function: fn, width: 2, height: 2 }).length, 4);
  });
});

describe('functionInfo and evaluate', () => {
  test('rosenbrock with a = 2 has its minimum at (2, 4)', () => {
    const info = m.functionInfo({ name: 'rosenbrock', params: { a: 2 } });
    assert.deepEqual(info.function, { name: 'rosenbrock', params: { a: 2, b: 100 } });
    assert.deepEqual(info.minima, [{ x: 2, y: 4, f: 0 }]);
    const { xmin, xmax, ymin, ymax } = info.domain;
    assert.ok(xmin < 2 && 2 < xmax && ymin < 4 && 4 < ymax, 'the domain shows the minimum');
    const at = m.evaluate({ name: 'rosenbrock', params: { a: 2 } }, 2, 4);
    assert.equal(at.value, 0);
    assert.ok(
      at.gradient.every((g) => g === 0),
      `gradient ${at.gradient}`,
    );
  });

  test('evaluate gives the hand-computed value, gradient and Hessian', () => {
    // f = (a - x)^2 + b (y - x^2)^2 with a = 2, b = 100 at (1, 2):
    //   f = 1 + 100 = 101
    //   df/dx = -2 (a - x) - 4 b x (y - x^2) = -2 - 400 = -402;  df/dy = 2 b (y - x^2) = 200
    //   d2f/dx2 = 2 - 4 b (y - x^2) + 8 b x^2 = 402;  d2f/dxdy = -4 b x = -400;  d2f/dy2 = 2 b = 200
    const r = m.evaluate({ name: 'rosenbrock', params: { a: 2 } }, 1, 2);
    assert.equal(r.value, 101);
    assert.deepEqual(r.gradient, [-402, 200]);
    assert.deepEqual(r.hessian, [
      [402, -400],
      [-400, 200],
    ]);
  });

  test('invalid function specs are rejected', () => {
    assert.throws(() => m.functionInfo({ name: 'rosenbrock', params: { b: -1 } }), /function|b/);
    assert.throws(() => m.evaluate({ name: 'nope' }, 0, 0), /unknown function 'nope'/);
  });
});

test('typed arrays read as arrays, undefined properties as absent', () => {
  const base = { optimizer: { name: 'sgd' }, function: { name: 'booth' }, steps: 3 };
  const plain = m.run({ ...base, start: [1, 2] });
  const typed = m.run({ ...base, start: Float64Array.of(1, 2) });
  assert.deepEqual(typed.trajectory, plain.trajectory);
  const withUndefined = m.run({ ...base, start: [1, 2], schedule: undefined, noise: undefined });
  assert.deepEqual(withUndefined.trajectory, plain.trajectory);
});
