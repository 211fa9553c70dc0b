// SPDX-License-Identifier: MIT
// The tools module (build/wasm/optim-tools.mjs) in Node, against numbers that do not come from
// the module: the golden values of optimizers.md § 4.1 (Adam forgets a rare, large gradient;
// AMSGrad keeps it) and § 4.2 (Reddi et al.'s counterexample, the table for C = 3, alpha 0.5,
// T = 3000), float64 loops of the Adam / AMSGrad formulas written here, and closed forms of
// gradient descent on the quadratic bowl for the range test and the tuner. Also: rejected
// configs arrive as Errors naming the field, and 20,000 of them leave the module working.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { loadTools } from './lib/optim.mjs';

const t = await loadTools();

/** The § 4.1 stream: 100,000 ones, the spike, 20,000 ones. Update SPIKE (1-based) is the spike. */
const SPIKE_TEXT = '1 x 100000, 100000 x 1, 1 x 20000';
const SPIKE = 100001;
const AFTER = 20000;

/** Half a unit in the last place of a float64 of magnitude |x|: the rounding of an iterate. */
function halfUlp(x) {
  const a = Math.abs(x);
  return a === 0 ? Number.MIN_VALUE : 2 ** (Math.floor(Math.log2(a)) - 53);
}

/** |actual - expected| <= tol, with a readable message. */
function near(actual, expected, tol, what) {
  assert.ok(
    Math.abs(actual - expected) <= tol,
    `${what}: ${actual} is not within ${tol} of ${expected} (off by ${actual - expected})`,
  );
}

/** Relative closeness: |actual - expected| <= rel * |expected|. */
function nearRel(actual, expected, rel, what) {
  near(actual, expected, rel * Math.abs(expected), what);
}

/** A printed golden number: within half a unit of its last printed digit (plus `extra`). */
function printed(actual, text, what, extra = 0) {
  const decimals = text.includes('.') ? text.length - text.indexOf('.') - 1 : 0;
  near(actual, Number(text), 0.5 * 10 ** -decimals + extra, what);
}

/** The gradients of a sequence text ("1 x 999, 100000 x 1"), parsed here. */
function expand(text) {
  const out = [];
  for (const item of text.split(',')) {
    const [value, count = '1'] = item.split(/[xX*]/).map((s) => s.trim());
    for (let i = 0; i < Number(count); i++) out.push(Number(value));
  }
  return out;
}

/**
 * PyTorch-form Adam (amsgrad: PyTorch's AMSGrad) on a 1-D linear stream, written from the
 * formulas: m_hat = m / (1 - b1^t), v_hat = v / (1 - b2^t) (AMSGrad: max of the raw v, corrected
 * with the current t), x_t = x_{t-1} - lr m_hat / (sqrt(v_hat) + eps). Returns the steps, the
 * iterates and the movements |x_t - x_{t-1}| (index t - 1 = update t).
 */
function adamLoop(gradients, { lr, beta1, beta2, eps, amsgrad = false }, x0 = 0) {
  let m = 0;
  let v = 0;
  let vMax = 0;
  let x = x0;
  const step = [];
  const xs = [];
  const movement = [];
  for (let k = 1; k <= gradients.length; k++) {
    const g = gradients[k - 1];
    m = beta1 * m + (1 - beta1) * g;
    v = beta2 * v + (1 - beta2) * g * g;
    vMax = Math.max(vMax, v);
    const mHat = m / (1 - beta1 ** k);
    const vHat = (amsgrad ? vMax : v) / (1 - beta2 ** k);
    const s = (lr * mHat) / (Math.sqrt(vHat) + eps);
    const next = x - s;
    step.push(s);
    movement.push(Math.abs(next - x));
    xs.push(next);
    x = next;
  }
  return { step, x: xs, movement };
}

/** A sequence stream of one method with the given hyperparameters. */
function sequenceRun(text, name, hyperparameters, extra = {}) {
  return t.runStream({
    optimizer: { name, hyperparameters },
    source: { name: 'sequence', params: { text } },
    ...extra,
  });
}

function sum(array, from, to) {
  let s = 0;
  for (let i = from; i < to; i++) s += array[i];
  return s;
}

function preset(name) {
  const found = t.streamMetadata().presets.find((p) => p.name === name);
  assert.ok(found, `no preset ${name}`);
  return found.config;
}

describe('§ 4.1: Adam forgets a rare, large, informative gradient', () => {
  // PyTorch-form Adam, lr 1, beta2 0.999, eps 0, bias correction on.
  const adam = (beta1) => ({
    lr: 1,
    beta1,
    beta2: 0.999,
    eps: 0,
    bias_correction: true,
  });
  const runs = new Map();
  /** The spike run and the same run with the spike replaced by 1, once per beta1. */
  function pair(beta1) {
    if (!runs.has(beta1)) {
      const spike = sequenceRun(SPIKE_TEXT, 'adam', adam(beta1));
      const ones = sequenceRun(`1 x ${SPIKE + AFTER}`, 'adam', adam(beta1));
      runs.set(beta1, { spike, ones });
    }
    return runs.get(beta1);
  }

  test('the stream is the spec setting: 100,000 ones, one 100,000, 20,000 ones', () => {
    const { spike } = pair(0);
    assert.equal(spike.steps, SPIKE + AFTER);
    assert.equal(spike.diverged, false);
    assert.equal(spike.gradient[SPIKE - 2], 1);
    assert.equal(spike.gradient[SPIKE - 1], 100000);
    assert.equal(spike.gradient[SPIKE], 1);
    assert.ok(spike.lr.every((lr) => lr === 1));
    assert.deepEqual(spike.config.optimizer, {
      name: 'adam',
      hyperparameters: { ...adam(0), weight_decay: 0, amsgrad: false },
    });
  });

  for (const beta1 of [0, 0.9]) {
    test(`beta1 ${beta1}: every one of the first 100,000 steps moves exactly 1`, () => {
      const { spike } = pair(beta1);
      for (let i = 0; i < SPIKE - 1; i++) {
        near(spike.movement[i], 1, 1e-12, `movement of update ${i + 1}`);
      }
    });
  }

  test('the second moment at the spike is 10,000,000.999', () => {
    const { spike } = pair(0);
    nearRel(spike.state.v.values[SPIKE - 1], 10000000.999, 1e-12, 'v after the spike');
  });

  // The movement is |x_t - x_{t-1}| of float64 iterates near -1e5: on top of the exact step it
  // carries the rounding of x_t, up to half a unit in the last place of x (7.3e-12 there, more
  // than the 5e-12 of the printed digits); the slack allows two units.
  const slack = (run, i) => 2 * halfUlp(run.x[i]) + 2 * halfUlp(run.x[i - 1]);

  test('beta1 0: the spike moves 31.6227750221, the next step 3.16386e-4', () => {
    const { spike } = pair(0);
    const i = SPIKE - 1;
    nearRel(spike.movement[i], 31.6227750221, 1e-9, 'spike step');
    nearRel(spike.movement[i + 1], 3.16386e-4, 1e-5, 'step after the spike');
  });

  test('beta1 0.9: the spike moves 3.16256210719, the next step 2.84776', () => {
    const { spike } = pair(0.9);
    const i = SPIKE - 1;
    printed(spike.movement[i], '3.16256210719', 'spike step', slack(spike, i));
    printed(spike.movement[i + 1], '2.84776', 'step after the spike', slack(spike, i + 1));
  });

  // optimizers.md: "Over 20 000 further steps the run with the spike moves 14 684 eta less than
  // a run with the spike replaced by 1 (beta1 = 0: -14683.83; beta1 = 0.9: -14683.68)". Those
  // digits are the total movement from the spike's own update through the 20,000 after it
  // (the spike moves 31.6 or 3.16 instead of 1). Over the 20,000 after the spike alone the
  // difference is therefore golden - (spike step - 1): -14714.45 (beta1 0), -14685.84 (0.9).
  for (const [beta1, golden, spikeStep] of [
    [0, '-14683.83', 31.6227750221],
    [0.9, '-14683.68', 3.16256210719],
  ]) {
    test(`beta1 ${beta1}: from the spike on, the run moves ${golden} against all ones`, () => {
      const { spike, ones } = pair(beta1);
      const from = SPIKE - 1;
      const to = SPIKE + AFTER;
      // Every step of the all-ones run is 1: the comparison is against 20,001.
      near(sum(ones.movement, from, to), AFTER + 1, 1e-6, 'movement of the all-ones run');
      printed(sum(spike.movement, from, to) - sum(ones.movement, from, to), golden, 'difference');
      near(
        sum(spike.movement, from + 1, to) - sum(ones.movement, from + 1, to),
        Number(golden) - (spikeStep - 1),
        0.01,
        'difference without the spike step',
      );
    });
  }

  test('the steps agree with a float64 loop of the Adam formula (beta1 0 and 0.9)', () => {
    const gradients = expand(SPIKE_TEXT);
    for (const beta1 of [0, 0.9]) {
      const { spike } = pair(beta1);
      const loop = adamLoop(gradients, { ...adam(beta1) });
      // The iterates (not the movement, which is quantized by x's ulp) are compared.
      for (let i = 0; i < gradients.length; i++) {
        near(spike.x[i], loop.x[i], 1e-12 * Math.max(1, Math.abs(loop.x[i])), `x_${i + 1}`);
      }
    }
  });

  test('AMSGrad (torch, beta1 0, eps 0, lr 1): every step after the spike is 1/sqrt(v_max)', () => {
    const run = sequenceRun(SPIKE_TEXT, 'amsgrad', { lr: 1, beta1: 0, eps: 0, variant: 'torch' });
    assert.equal(run.steps, SPIKE + AFTER);
    // v after the 100,000 ones and the spike, by the recursion v = 0.999 v + 0.001 g^2.
    let v = 0;
    for (let k = 0; k < SPIKE - 1; k++) v = 0.999 * v + 0.001;
    const vSpike = 0.999 * v + 0.001 * 1e10;
    nearRel(vSpike, 10000000.999, 1e-12, 'v at the spike (spec)');
    // The spike's step is Adam's (v_max = v there).
    nearRel(run.movement[SPIKE - 1], 31.6227750221, 1e-9, 'spike step');
    // After it v decays (0.999 v + 0.001 < v), so v_max stays at vSpike, and the bias
    // correction 1 - 0.999^t is exactly 1 in float64 (0.999^t < 1e-43). Each unit gradient
    // therefore moves x by exactly 1/sqrt(vSpike) = 3.1623e-4, about 1/3162: 100 times less
    // than 1/31.6, the spike's step relative to its gradient.
    assert.equal(1 - 0.999 ** (SPIKE + 1), 1);
    const bound = 1 / Math.sqrt(vSpike);
    assert.ok(bound < 1 / 3162 && bound > 1 / 3163);
    const vMax = run.state.v_max.values;
    for (let i = SPIKE - 1; i < SPIKE + AFTER; i++) {
      nearRel(vMax[i], vSpike, 1e-12, `v_max after update ${i + 1}`);
    }
    for (let i = SPIKE; i < SPIKE + AFTER; i++) {
      const tol = 1e-12 * bound + halfUlp(run.x[i]) + halfUlp(run.x[i - 1]);
      assert.ok(
        run.movement[i] <= bound + tol,
        `update ${i + 1} moved ${run.movement[i]} > 1/sqrt(v_max) = ${bound}`,
      );
      near(run.movement[i], bound, tol, `movement of update ${i + 1}`);
    }
    // Adam has forgotten the spike by the end: its last step is back near 1.
    const adamLast = pair(0).spike.movement[SPIKE + AFTER - 1];
    assert.ok(adamLast > 0.98 && adamLast < 1, `Adam's last step ${adamLast}`);
  });
});

describe('§ 4.2: the counterexample of Reddi et al. (C = 3, alpha 0.5, T = 3000)', () => {
  const C = 3;
  const ALPHA = 0.5;
  const T = 3000;

  test('the presets: beta1 0, beta2 1/(1 + C^2), eps 0, alpha/sqrt(t), no bias correction', () => {
    for (const name of ['reddi_adam', 'reddi_amsgrad']) {
      const config = preset(name);
      const hp = config.optimizer.hyperparameters;
      assert.equal(hp.lr, ALPHA);
      assert.equal(hp.beta1, 0);
      assert.equal(hp.beta2, 1 / (1 + C * C));
      assert.equal(hp.eps, 0);
      assert.deepEqual(config.schedule, { name: 'inverse_sqrt', params: {} });
      assert.deepEqual(config.source, { name: 'reddi', params: { C, steps: T } });
    }
    assert.equal(preset('reddi_adam').optimizer.hyperparameters.bias_correction, false);
    assert.equal(preset('reddi_amsgrad').optimizer.hyperparameters.variant, 'paper');
  });

  // optimizers.md § 4.2 table: final x / average regret.
  const TABLE = [
    ['reddi_adam', 1, '1.000000', '0.6748'],
    ['reddi_adam', 0, '1.000000', '0.6723'],
    ['reddi_adam', -1, '1.000000', '0.6685'],
    ['reddi_amsgrad', 1, '-0.993627', '0.0274'],
    ['reddi_amsgrad', 0, '-0.993627', '0.0124'],
    ['reddi_amsgrad', -1, '-0.993627', '0.0104'],
  ];
  for (const [name, start, finalX, averageRegret] of TABLE) {
    test(`${name}, x0 = ${start}: final x ${finalX}, average regret ${averageRegret}`, () => {
      const r = t.runStream({ ...preset(name), start });
      assert.equal(r.steps, T);
      assert.equal(r.diverged, false);
      printed(r.x[T - 1], finalX, 'final x');
      printed(r.averageRegret[T - 1], averageRegret, 'average regret');
    });
  }

  /**
   * The paper's generic Adam (no bias correction, no eps) and AMSGrad (v_hat = max(v_hat, v))
   * with beta1 0 on f_t(x) = C x (t mod 3 = 1), else -x, projected onto [-1, 1]; regret against
   * x* = -1: sum of f_t(x_{t-1}) - f_t(-1).
   */
  function reddiLoop(amsgrad, x0, steps) {
    const beta2 = 1 / (1 + C * C);
    let v = 0;
    let vHat = 0;
    let x = x0;
    let regret = 0;
    const xs = [];
    const regrets = [];
    for (let k = 1; k <= steps; k++) {
      const g = k % 3 === 1 ? C : -1;
      regret += g * x - g * -1;
      v = beta2 * v + (1 - beta2) * g * g;
      vHat = Math.max(vHat, v);
      const step = ((ALPHA / Math.sqrt(k)) * g) / Math.sqrt(amsgrad ? vHat : v);
      x = Math.min(1, Math.max(-1, x - step));
      xs.push(x);
      regrets.push(regret);
    }
    return { x: xs, regret: regrets };
  }

  for (const [name, amsgrad] of [
    ['reddi_adam', false],
    ['reddi_amsgrad', true],
  ]) {
    for (const start of [1, 0, -1, 0.3]) {
      test(`${name}, x0 = ${start}: x and regret follow a JS loop of the paper's form`, () => {
        const r = t.runStream({ ...preset(name), start });
        const loop = reddiLoop(amsgrad, start, T);
        for (let i = 0; i < 30; i++) {
          near(r.x[i], loop.x[i], 1e-12, `x_${i + 1}`);
          near(r.regret[i], loop.regret[i], 1e-12, `regret_${i + 1}`);
          near(r.averageRegret[i], loop.regret[i] / (i + 1), 1e-12, `average regret_${i + 1}`);
        }
        for (let i = 30; i < T; i++) near(r.x[i], loop.x[i], 1e-9, `x_${i + 1}`);
        near(r.regret[T - 1], loop.regret[T - 1], 1e-6, 'final regret');
      });
    }
  }
});

describe('the default stream (rare_spike_adam): "1 x 999, 100000 x 1, 1 x 1000"', () => {
  test('its setting: Adam, lr 1, beta1 0, beta2 0.999, eps 0, bias correction', () => {
    const config = preset('rare_spike_adam');
    assert.equal(config.source.params.text, '1 x 999, 100000 x 1, 1 x 1000');
    assert.equal(config.source.params.repeat, 1);
    assert.equal(config.start, 0);
    assert.equal(config.schedule, null);
    assert.deepEqual(config.optimizer.hyperparameters, {
      lr: 1,
      beta1: 0,
      beta2: 0.999,
      eps: 0,
      weight_decay: 0,
      amsgrad: false,
      bias_correction: true,
    });
  });

  for (const [name, amsgrad] of [
    ['rare_spike_adam', false],
    ['rare_spike_amsgrad', true],
  ]) {
    test(`${name}: the movement equals a float64 loop of the formula, element-wise`, () => {
      const config = preset(name);
      const r = t.runStream(config);
      const gradients = expand(config.source.params.text);
      assert.equal(gradients.length, 2000);
      assert.equal(r.steps, gradients.length);
      assert.deepEqual(Array.from(r.gradient), gradients);
      const { lr, beta1, beta2, eps } = config.optimizer.hyperparameters;
      const loop = adamLoop(gradients, { lr, beta1, beta2, eps, amsgrad });
      for (let i = 0; i < gradients.length; i++) {
        nearRel(r.movement[i], loop.movement[i], 1e-12, `movement of update ${i + 1}`);
        nearRel(r.x[i], loop.x[i], 1e-12, `x_${i + 1}`);
      }
      // The spike at update 1000 moves tens, not 100,000; the ones before it move 1.
      near(r.movement[998], 1, 1e-12, 'update 999');
      assert.ok(r.movement[999] > 20 && r.movement[999] < 40, `spike ${r.movement[999]}`);
    });
  }
});

describe('rejected configs', () => {
  const adam = { name: 'adam', hyperparameters: { lr: 1, beta1: 0, eps: 0 } };
  const BAD_TEXT = '1 x 999, , 3';
  // The second comma is where a number was expected.
  const BAD_COLUMN = BAD_TEXT.lastIndexOf(',') + 1;

  /** Each rejected call and the field its message must start with. */
  const REJECTED = [
    [
      'source.params.text',
      () =>
        t.runStream({ optimizer: adam, source: { name: 'sequence', params: { text: BAD_TEXT } } }),
    ],
    ['source.name', () => t.runStream({ optimizer: adam, source: { name: 'nope' } })],
    ['start', () => t.runStream({ optimizer: adam, source: { name: 'reddi' }, start: 2 })],
    ['bogus', () => t.runStream({ optimizer: adam, source: { name: 'reddi' }, bogus: 1 })],
    [
      'source.params.bogus',
      () =>
        t.normalizeStreamConfig({
          optimizer: adam,
          source: { name: 'reddi', params: { bogus: 1 } },
        }),
    ],
    ['source.bogus', () => t.runStream({ optimizer: adam, source: { name: 'reddi', bogus: 1 } })],
    [
      'bogus',
      () =>
        t.rangeTest({
          run: { optimizer: { name: 'sgd' }, function: { name: 'quadratic' } },
          bogus: 1,
        }),
    ],
    [
      'lr_max',
      () =>
        t.normalizeRangeTestConfig({
          run: { optimizer: { name: 'sgd' }, function: { name: 'quadratic' } },
          lr_min: 1,
          lr_max: 0.5,
        }),
    ],
    [
      'bogus',
      () =>
        t.tune({ run: { optimizer: { name: 'sgd' }, function: { name: 'quadratic' } }, bogus: 1 }),
    ],
    [
      'budget',
      () =>
        t.normalizeTuneConfig({
          run: { optimizer: { name: 'sgd' }, function: { name: 'quadratic' } },
          grid: 11,
          budget: 5,
        }),
    ],
  ];

  test('a bad sequence text names source.params.text and the column', () => {
    assert.equal(BAD_COLUMN, 10);
    assert.throws(REJECTED[0][1], (e) => {
      assert.ok(e instanceof Error);
      assert.match(e.message, /^source\.params\.text: /);
      assert.match(e.message, new RegExp(`\\bcolumn ${BAD_COLUMN}\\b`));
      return true;
    });
  });

  test('an unknown source, a reddi start outside [-1, 1], unknown keys: each named', () => {
    assert.throws(
      REJECTED[1][1],
      (e) => e instanceof Error && /^source\.name: .*'nope'/.test(e.message),
    );
    assert.throws(
      REJECTED[2][1],
      (e) => e instanceof Error && /^start: .*\[-1, 1\]/.test(e.message),
    );
    for (const [field, call] of REJECTED.slice(3)) {
      assert.throws(call, (e) => {
        assert.ok(e instanceof Error, `${field}: not an Error`);
        assert.ok(
          e.message.startsWith(`${field}: `),
          `expected "${field}: ...", got "${e.message}"`,
        );
        return true;
      });
    }
  });

  test('20,000 rejected calls leave the stack, the handles and the module as they were', () => {
    const hasStack = typeof t.stackSave === 'function';
    const hasHandles = typeof t.count_emval_handles === 'function';
    const sp = hasStack ? t.stackSave() : 0;
    const handles = hasHandles ? t.count_emval_handles() : 0;
    for (let i = 0; i < 20000; i++) {
      const [field, call] = REJECTED[i % REJECTED.length];
      try {
        call();
        assert.fail(`call ${i} (${field}) was accepted`);
      } catch (e) {
        if (!(e instanceof Error) || !e.message.startsWith(`${field}: `)) throw e;
      }
    }
    if (hasStack) assert.equal(t.stackSave(), sp);
    if (hasHandles) assert.equal(t.count_emval_handles(), handles);
    const r = sequenceRun(SPIKE_TEXT, 'adam', { lr: 1, beta1: 0, beta2: 0.999, eps: 0 });
    nearRel(r.movement[SPIKE - 1], 31.6227750221, 1e-9, 'spike step after the soak');
  });
});

// Gradient descent on the quadratic bowl f = (a x^2 + b y^2) / 2 (angle 0): the Hessian is
// diag(a, b), lambda_max = b, and x_t = prod_s (1 - a lr_s) x_0, y_t = prod_s (1 - b lr_s) y_0.
const A = 1;
const B = 10;
const BOWL = { name: 'quadratic', params: { a: A, b: B } };
const LAMBDA_MAX = Math.max(A, B);

/** The loss after each update of gradient descent with the rates `lrs`, in closed form. */
function bowlLosses(lrs, [x0, y0]) {
  let px = 1;
  let py = 1;
  return lrs.map((lr) => {
    px *= 1 - A * lr;
    py *= 1 - B * lr;
    return 0.5 * (A * (px * x0) ** 2 + B * (py * y0) ** 2);
  });
}

describe('rangeTest: gradient descent on the quadratic bowl', () => {
  const LR_MIN = 1e-3;
  const LR_MAX = 10;
  const STEPS = 200;

  /** The ramp's rates, update t (1-based) at index t - 1: lr_min q^(t-1). */
  function ramp(steps = STEPS) {
    const q = (LR_MAX / LR_MIN) ** (1 / (steps - 1));
    return Array.from({ length: steps }, (_, k) => LR_MIN * q ** k);
  }

  function rangeTest(start, extra = {}) {
    return t.rangeTest({
      run: { optimizer: { name: 'sgd' }, function: BOWL, start },
      lr_min: LR_MIN,
      lr_max: LR_MAX,
      steps: STEPS,
      ...extra,
    });
  }

  /** The bounds documented in range_test.hpp, from the recorded smoothed losses. */
  function checkSuggestion(r) {
    let minAt = 1;
    for (let k = 1; k <= r.steps; k++) if (r.smoothed[k - 1] < r.smoothed[minAt - 1]) minAt = k;
    assert.equal(r.min_at, minAt);
    assert.equal(r.lr_at_min, r.lr[minAt - 1]);
    nearRel(r.suggested.max_lr, r.lr_at_min / 10, 1e-15, 'max_lr = lr_at_min / 10');
    nearRel(r.suggested.base_lr, r.suggested.max_lr / 4, 1e-15, 'base_lr = max_lr / 4');
  }

  test('from the default start it diverges above 2/lambda_max; ramp, losses and smoothing', () => {
    const start = [-4, 2];
    const r = rangeTest(start);
    assert.equal(r.config.config.start[0], start[0]);
    assert.equal(r.f_star, 0);
    assert.equal(r.start_loss, 0.5 * (A * 16 + B * 4));
    assert.equal(r.diverged, true);
    // While lr <= 2/lambda_max = 0.2 every |1 - lambda lr| <= 1: the loss, hence its smoothed
    // average, cannot rise, so neither the stop rule nor a blow-up can fire.
    assert.ok(r.diverged_lr > 2 / LAMBDA_MAX, `diverged_lr ${r.diverged_lr}`);
    const rates = ramp();
    assert.equal(r.lr.length, r.steps);
    for (let k = 0; k < r.steps; k++) nearRel(r.lr[k], rates[k], 1e-12, `lr_${k + 1}`);
    nearRel(r.diverged_lr, rates[r.diverged_at - 1], 1e-12, 'diverged_lr is the ramp rate');
    const losses = bowlLosses(rates.slice(0, r.steps), start);
    for (let k = 0; k < r.steps; k++) nearRel(r.loss[k], losses[k], 1e-10, `loss_${k + 1}`);
    // fastai's smoothing with bias correction, beta 0.98.
    let s = 0;
    for (let k = 1; k <= r.steps; k++) {
      s = 0.98 * s + 0.02 * r.loss[k - 1];
      nearRel(r.smoothed[k - 1], s / (1 - 0.98 ** k), 1e-12, `smoothed_${k}`);
    }
    checkSuggestion(r);
  });

  test('from the top eigenvector, it stops at the first ramp rate above 2/lambda_max', () => {
    // Start (0, 1): the loss is 5 y^2, multiplied by (1 - 10 lr)^2 per update, so with no
    // smoothing and stop_factor 1 the first rising loss is the first rate above 0.2.
    const r = rangeTest([0, 1], { smoothing: 0, stop_factor: 1 });
    const rates = ramp();
    const first = rates.findIndex((lr) => lr > 2 / LAMBDA_MAX) + 1;
    assert.equal(r.diverged, true);
    assert.equal(r.stopped_by_rule, true);
    assert.equal(r.diverged_at, first);
    assert.ok(r.diverged_lr > 2 / LAMBDA_MAX);
    assert.ok(r.lr[first - 2] <= 2 / LAMBDA_MAX);
    checkSuggestion(r);
    assert.equal(r.min_at, first - 1);
  });
});

describe('tune: gradient descent on the quadratic bowl, final_loss', () => {
  const START = [-4, 2];
  const N = 50;
  const CONFIG = {
    run: { optimizer: { name: 'sgd' }, function: BOWL, start: START, steps: N },
    objective: 'final_loss',
    lr_min: 1e-3,
    lr_max: 1,
    grid: 11,
    budget: 25,
  };
  const finalLoss = (lr) => bowlLosses(Array(N).fill(lr), START)[N - 1];
  // Diverged: a coordinate beyond the default bound 1e12 after some update.
  const divergesAt = (lr) => {
    for (let k = 1; k <= N; k++) {
      const big = Math.max(
        Math.abs((1 - A * lr) ** k * START[0]),
        Math.abs((1 - B * lr) ** k * START[1]),
      );
      if (big > 1e12) return k;
    }
    return -1;
  };
  // d/dlr of the final loss is 0 where a^2 x0^2 (1 - a lr)^(2N-1) = b^2 y0^2 (b lr - 1)^(2N-1):
  // with rho = ((a x0)^2 / (b y0)^2)^(1 / (2N - 1)), lr* = (1 + rho) / (b + a rho) = 0.17943
  // here, not 1/lambda_max = 0.1 (for many steps it tends to 2/(a + b) = 0.1818). The final
  // loss is convex in lr, so unimodal in log lr.
  const rho = ((A * START[0]) ** 2 / (B * START[1]) ** 2) ** (1 / (2 * N - 1));
  const LR_STAR = (1 + rho) / (B + A * rho);

  const result = t.tune(CONFIG);

  test('the grid is lr_min (lr_max/lr_min)^(i/(grid-1)), the ends exactly as given', () => {
    const grid = result.trials.slice(0, CONFIG.grid);
    assert.ok(grid.every((trial) => trial.round === 0));
    assert.equal(grid[0].lr, CONFIG.lr_min);
    assert.equal(grid[CONFIG.grid - 1].lr, CONFIG.lr_max);
    const ratio = CONFIG.lr_max / CONFIG.lr_min;
    for (let i = 0; i < CONFIG.grid; i++) {
      const expected = CONFIG.lr_min * ratio ** (i / (CONFIG.grid - 1));
      nearRel(grid[i].lr, expected, 2 * Number.EPSILON, `grid point ${i}`);
    }
  });

  test('every trial has the closed-form final loss and divergence of gradient descent', () => {
    assert.equal(result.trials.length, CONFIG.budget);
    for (const trial of result.trials) {
      const at = divergesAt(trial.lr);
      assert.equal(trial.diverged, at >= 0, `lr ${trial.lr}`);
      if (at >= 0) {
        assert.equal(trial.diverged_at, at);
        assert.equal(trial.final_loss, null);
        assert.equal(trial.objective, null);
      } else {
        nearRel(trial.final_loss, finalLoss(trial.lr), 1e-9, `final loss at lr ${trial.lr}`);
        assert.equal(trial.objective, trial.final_loss);
      }
    }
  });

  test('the search replayed here with the closed-form losses tries the same rates', () => {
    // tune.hpp: refine around the best with the log-midpoints to its nearest tried neighbours,
    // the better-ranked neighbour's side first.
    const trials = [];
    const ratio = CONFIG.lr_max / CONFIG.lr_min;
    const evaluate = (lr, round) => {
      const diverged = divergesAt(lr) >= 0;
      trials.push({ lr, round, diverged, loss: diverged ? NaN : finalLoss(lr) });
    };
    const better = (a, b) =>
      a.diverged !== b.diverged
        ? !a.diverged
        : !a.diverged && a.loss !== b.loss
          ? a.loss < b.loss
          : a.lr < b.lr;
    const bestIndex = () => {
      let best = -1;
      trials.forEach((trial, i) => {
        if (!trial.diverged && (best < 0 || better(trial, trials[best]))) best = i;
      });
      return best;
    };
    for (let i = 0; i < CONFIG.grid; i++) {
      evaluate(
        i === 0
          ? CONFIG.lr_min
          : i === CONFIG.grid - 1
            ? CONFIG.lr_max
            : CONFIG.lr_min * ratio ** (i / (CONFIG.grid - 1)),
        0,
      );
    }
    for (let round = 1; trials.length < CONFIG.budget; round++) {
      const b = trials[bestIndex()];
      const below = trials.filter((x) => x.lr < b.lr).sort((p, q) => q.lr - p.lr)[0];
      const above = trials.filter((x) => x.lr > b.lr).sort((p, q) => p.lr - q.lr)[0];
      const sides = [below, above].filter(Boolean);
      if (sides.length === 2 && better(sides[1], sides[0])) sides.reverse();
      for (const side of sides) {
        if (trials.length >= CONFIG.budget) break;
        evaluate(Math.sqrt(side.lr * b.lr), round);
      }
    }
    assert.equal(result.trials.length, trials.length);
    result.trials.forEach((trial, i) => {
      nearRel(trial.lr, trials[i].lr, 1e-12, `lr of trial ${i}`);
      assert.equal(trial.round, trials[i].round, `round of trial ${i}`);
    });
  });

  test('the best rate is within (grid spacing)/2^rounds of lr* in log lr', () => {
    nearRel(LR_STAR, 0.179432, 1e-5, 'lr*');
    assert.ok(result.best >= 0);
    assert.equal(result.best_lr, result.trials[result.best].lr);
    const rounds = Math.max(...result.trials.map((trial) => trial.round));
    assert.equal(rounds, (CONFIG.budget - CONFIG.grid) / 2);
    const spacing = Math.log10(CONFIG.lr_max / CONFIG.lr_min) / (CONFIG.grid - 1);
    const off = Math.abs(Math.log10(result.best_lr / LR_STAR));
    assert.ok(off <= spacing / 2 ** rounds, `best_lr ${result.best_lr}, lr* ${LR_STAR}`);
    // Not within a factor 1.5 of 1/lambda_max: the best rate balances both directions.
    assert.ok(result.best_lr / (1 / LAMBDA_MAX) > 1.5);
  });

  test('order ranks finished runs by final loss (ties: smaller lr), then diverged runs', () => {
    const expected = result.trials
      .map((trial, i) => i)
      .sort((i, j) => {
        const a = result.trials[i];
        const b = result.trials[j];
        if (a.diverged !== b.diverged) return a.diverged ? 1 : -1;
        if (!a.diverged && a.final_loss !== b.final_loss) return a.final_loss - b.final_loss;
        return a.lr - b.lr;
      });
    assert.deepEqual(result.order, expected);
    assert.equal(result.order[0], result.best);
    assert.ok(result.trials.every((trial) => trial.reached_at === null));
    assert.equal(result.target, null);
  });

  test('the same config twice gives identical results', () => {
    assert.deepEqual(t.tune(CONFIG), result);
  });
});
