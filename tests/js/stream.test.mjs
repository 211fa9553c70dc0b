// SPDX-License-Identifier: MIT
// The gradient-stream lab's page side (web/sections/stream/model.js, the stream slice of the
// state and its link keys) and the tour's two stream chapters, with the core's tools module:
// the configs follow the core's presets and the lab's inputs, the charts' thinning keeps every
// spike, and the captions state what the runs measured, checked against optimizers.md
// section 4 and closed forms derived here.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { loadOptim, loadTools } from './lib/optim.mjs';
import { defaultState, normalizeStream } from '../../web/app/schema.js';
import { parseHash, serializeState } from '../../web/app/url.js';
import { loadLanguage, t } from '../../web/i18n.js';
import { CHAPTERS } from '../../web/sections/tour/chapters.js';
import {
  chartData,
  endOf,
  movementBetween,
  spikeOf,
  streamCaption,
  streamConfigs,
  thin,
} from '../../web/sections/stream/model.js';

const m = await loadOptim();
const tools = await loadTools();
await loadLanguage('zh');
const presets = tools.streamMetadata().presets;

/** The lab's two runs for `stream` inputs, labelled as the page labels them. */
function runLab(stream) {
  return streamConfigs(presets, stream).map(({ method, config }) => ({
    method,
    label: method === 'adam' ? 'Adam' : 'AMSGrad',
    result: tools.runStream(config),
  }));
}

const stream = (values = {}) => ({ ...defaultState(m).stream, ...values });

describe('the lab’s runs', () => {
  test('Adam and AMSGrad on the typed sequence, with the lab’s beta1', () => {
    const configs = streamConfigs(presets, stream({ beta1: 0.9, text: '1 x 5, 10' }));
    assert.deepEqual(
      configs.map((c) => c.method),
      ['adam', 'amsgrad'],
    );
    for (const { config } of configs) {
      assert.equal(config.source.name, 'sequence');
      assert.equal(config.source.params.text, '1 x 5, 10');
      assert.equal(config.optimizer.hyperparameters.beta1, 0.9);
      assert.equal(config.optimizer.hyperparameters.eps, 0);
    }
  });

  test('Reddi’s problem takes C and steps, and the paper’s beta2 = 1 / (1 + C^2)', () => {
    const configs = streamConfigs(presets, stream({ source: 'reddi', C: 10, steps: 600 }));
    for (const { config } of configs) {
      assert.deepEqual(config.source, { name: 'reddi', params: { C: 10, steps: 600 } });
      assert.equal(config.optimizer.hyperparameters.beta2, 1 / 101);
    }
    const runs = configs.map(({ config }) => tools.runStream(config));
    assert.deepEqual(
      runs.map((r) => r.steps),
      [600, 600],
    );
  });

  test('the spike’s step is the closed form of bias-corrected Adam (beta1 0, eps 0)', () => {
    const [adam, amsgrad] = runLab(stream());
    const s = spikeOf(adam.result);
    // 999 gradients of 1, then 100000: v = 0.999 (1 - 0.999^999) + 0.001 * 1e10, corrected by
    // 1 - 0.999^1000; every earlier step is exactly 1 (v-hat = 1).
    const v = 0.999 * (1 - 0.999 ** 999) + 0.001 * 1e10;
    const step = 1e5 / Math.sqrt(v / (1 - 0.999 ** 1000));
    assert.equal(s.at, 1000);
    assert.equal(s.gradient, 1e5);
    assert.equal(s.typical, 1);
    assert.ok(Math.abs(s.step - step) <= 1e-9 * step, `${s.step} vs ${step}`);
    assert.ok(Math.abs(s.before - 999) < 1e-9);
    assert.ok(Math.abs(movementBetween(adam.result, 1, 999) - 999) < 1e-9);
    // AMSGrad's next unit step is 1 / sqrt(its v-hat_max), about 1 / sqrt(1.58e7) = 2.5e-4.
    assert.ok(spikeOf(amsgrad.result).next < 1e-3);
  });

  test('§4.1 in the lab: 31.6227750221 for the spike after 100000 ones', () => {
    const [adam] = runLab(stream({ text: '1 x 100000, 100000, 1 x 20000' }));
    const s = spikeOf(adam.result);
    assert.equal(s.at, 100001);
    assert.ok(Math.abs(s.step - 31.6227750221) < 1e-9 * 31.6227750221, String(s.step));
  });

  test('Reddi’s problem ends as in §4.2 (x0 = 0): Adam at +1, AMSGrad near -1', () => {
    const [adam, amsgrad] = runLab(stream({ source: 'reddi' })).map((r) => endOf(r.result));
    assert.equal(adam.x.toFixed(6), '1.000000');
    assert.equal(adam.averageRegret.toFixed(4), '0.6723');
    assert.equal(amsgrad.x.toFixed(6), '-0.993627');
    assert.equal(amsgrad.averageRegret.toFixed(4), '0.0124');
  });
});

describe('thinning for the charts', () => {
  test('a bucket keeps its largest value, so a single spike survives', () => {
    const values = new Float64Array(10000).fill(1);
    values[7777] = 5;
    const { t: at, y } = thin(values, values.length, 100);
    assert.equal(y.length, 100);
    assert.equal(Math.max(...y), 5);
    assert.equal(at[y.indexOf(5)], 7778);
  });

  test('short series stay whole; the axis is shared by both runs', () => {
    const a = { steps: 3, movement: new Float64Array([1, 2, 3]) };
    const b = { steps: 2, movement: new Float64Array([4, 5]) };
    assert.deepEqual(
      chartData([a, b], (r) => r.movement, 800),
      {
        x: [1, 2, 3],
        values: [
          [1, 2, 3],
          [4, 5, null],
        ],
      },
    );
  });
});

describe('captions', () => {
  test('the sequence: the spike, the next step and who forgot, from the runs', () => {
    const inputs = stream({ text: '1 x 999, 100000, 1 x 30000' });
    const runs = runLab(inputs);
    const lines = streamCaption(t, 'en', inputs, runs);
    const s = spikeOf(runs[0].result);
    assert.match(lines[0], /^Update 1000 has gradient 100000, 100000 times the typical one\./);
    assert.ok(lines[0].includes(`Adam moved x by ${Number(s.step.toPrecision(4))} there`));
    // 30000 steps after the spike v has decayed by 0.999^30000 ~ 1e-13: Adam's unit steps are
    // back near 1, while AMSGrad's v_max still holds about 1e7 (steps ~ 1/sqrt(1e7 / v-hat)).
    const adamLast = runs[0].result.movement[runs[0].result.steps - 1];
    const amsLast = runs[1].result.movement[runs[1].result.steps - 1];
    assert.ok(adamLast > 0.9 && adamLast <= 1 + 1e-12, String(adamLast));
    assert.ok(amsLast < 1e-2, String(amsLast));
    assert.match(lines.at(-2), /has forgotten the spike; AMSGrad’s v̂ still holds it\./);
  });

  test('the sequence without a spike says so; Chinese reads the same runs', () => {
    const inputs = stream({ text: '1 x 50' });
    const lines = streamCaption(t, 'en', inputs, runLab(inputs));
    assert.match(lines[0], /No gradient stands out/);
    const zh = streamCaption(t, 'zh', stream(), runLab(stream()));
    assert.match(zh[0], /^第 1000 次更新的梯度为 100000/);
  });

  test('Reddi: a run that contradicts the paper is said as measured', () => {
    const inputs = stream({ source: 'reddi' });
    const lines = streamCaption(t, 'en', inputs, runLab(inputs));
    assert.deepEqual(lines.slice(0, 2), [
      'Adam ends at x = 1 after 3000 steps, average regret 0.6723.',
      'AMSGrad ends at x = -0.9936 after 3000 steps, average regret 0.01245.',
    ]);
    assert.match(lines[2], /^AMSGrad ends nearer the best point/);
    // Swapped runs: the caption follows the numbers, not the paper.
    const swapped = runLab(inputs).reverse();
    assert.match(streamCaption(t, 'en', inputs, swapped)[2], /does not show/);
  });
});

describe('the tour’s stream chapters', () => {
  const streamChapters = CHAPTERS.filter((c) => c.stream);

  test('rare-gradient and reddi, around amsgrad, read the lab’s runs', () => {
    assert.deepEqual(
      streamChapters.map((c) => c.id),
      ['rare-gradient', 'reddi'],
    );
    const ids = CHAPTERS.map((c) => c.id);
    assert.equal(ids.indexOf('rare-gradient') + 1, ids.indexOf('amsgrad'));
    assert.equal(ids.indexOf('amsgrad') + 1, ids.indexOf('reddi'));
    for (const c of streamChapters) {
      const { state, errors } = parseHash(`v=1&${c.link}`, m);
      assert.deepEqual(errors, [], c.id);
      for (const lang of ['en', 'zh']) {
        const waiting = c.caption({ lang, racers: [], state });
        assert.match(waiting, lang === 'en' ? /is computing/ : /正在计算/);
        const runs = runLab(state.stream);
        const caption = c.caption({
          lang,
          racers: [],
          state,
          stream: { stream: state.stream, runs },
        });
        assert.equal(caption, streamCaption(t, lang, state.stream, runs).join(' '));
        assert.doesNotMatch(caption, /NaN|undefined|\{/, `${c.id} ${lang}`);
      }
    }
  });
});

describe('the link', () => {
  test('stream= and seq= round-trip; defaults write nothing', () => {
    const state = defaultState(m);
    assert.equal(serializeState(state, m), 'v=1');
    state.stream = stream({ source: 'reddi', C: 5, steps: 900, beta1: 0.5, text: '1e+5 x 2, -1' });
    const hash = serializeState(state, m);
    assert.match(hash, /&stream=source:reddi,C:5,steps:900,beta1:0\.5&seq=/);
    const read = parseHash(hash, m);
    assert.deepEqual(read.errors, []);
    assert.deepEqual(read.state.stream, state.stream);
  });

  test('a hostile or broken stream link is refused field by field; the rest loads', () => {
    const { state, errors } = parseHash(
      'v=1&steps=77&stream=source:evil,C:1,beta1:1,zzz:3&seq=<img src=x onerror=alert(1)>',
      m,
    );
    assert.equal(state.steps, 77);
    assert.deepEqual(state.stream, defaultState(m).stream);
    assert.deepEqual(errors.map((e) => e.field).sort(), [
      'stream.C',
      'stream.beta1',
      'stream.source',
      'stream.text',
      'stream.zzz',
    ]);
    const long = normalizeStream({ text: '1'.repeat(10001) });
    assert.deepEqual(
      long.errors.map((e) => e.field),
      ['stream.text'],
    );
  });
});
