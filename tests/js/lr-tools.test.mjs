// SPDX-License-Identifier: MIT
// The learning-rate tools' page side (web/sections/tools/model.js, the tools slice of the state
// and its link key), with the core's tools module: the range test and the tuner get the race
// (or the network) as it is set up, the suggested bounds become a cyclical schedule of two
// whole cycles that the core accepts, and the table and captions report what the runs gave.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { loadOptim, loadTools } from './lib/optim.mjs';
import { setRacerLr } from '../../web/app/actions.js';
import { defaultState, normalizeTools, runConfig } from '../../web/app/schema.js';
import { parseHash, serializeState } from '../../web/app/url.js';
import { t } from '../../web/i18n.js';
import {
  cyclicalOf,
  racerLr,
  rangeCaption,
  rangeTestConfig,
  tuneCaption,
  tuneConfig,
  tuneRows,
} from '../../web/sections/tools/model.js';

const m = await loadOptim();
const tools = await loadTools();

/** The default race on the quadratic bowl (a = 1, b = 10: lambda_max = 10), 100 steps. */
function bowl() {
  return parseHash('v=1&fn=quadratic&steps=100&r=sgd(lr=0.01)&r=adam(lr=0.01)', m).state;
}

describe('the range test', () => {
  test('runs the selected racer on the race as set up; the ramp replaces its lr', () => {
    const state = bowl();
    const config = rangeTestConfig(state, 0);
    assert.deepEqual(config, { run: runConfig(state, state.racers[0]), steps: 200 });
    const result = tools.rangeTest(config);
    assert.equal(result.config.kind, 'run');
    // The default ramp runs from 1e-3 to 1e2 times the method's page rate: five decades.
    const ratio = result.lr[result.steps - 1] / result.lr[0];
    assert.ok(Math.abs(ratio - 1e5) < 1e-6 * 1e5, String(ratio));
  });

  test('on the network, with the race’s seed and the racer’s method', () => {
    const state = bowl();
    state.tools = { ...state.tools, rangeOn: 'network', rangeSteps: 20 };
    const config = rangeTestConfig(state, 1);
    assert.equal(config.trainer.optimizer.name, 'adam');
    assert.equal(config.trainer.seed, state.noise.seed);
    assert.equal(config.steps, 20);
    const result = tools.rangeTest(config);
    assert.equal(result.config.kind, 'trainer');
    assert.ok(result.steps >= 1 && result.steps <= 20);
  });

  test('gradient descent on the bowl blows up past 2/lambda_max, and the caption says so', () => {
    const state = bowl();
    state.tools.rangeSteps = 400;
    // A ramp up to 100: the bowl's largest curvature is 10, so rates above 0.2 diverge.
    const config = { ...rangeTestConfig(state, 0), lr_min: 1e-4, lr_max: 100 };
    const result = tools.rangeTest(config);
    assert.equal(result.diverged, true);
    assert.ok(result.diverged_lr > 0.2, String(result.diverged_lr));
    const lines = rangeCaption(t, 'en', result, 'SGD');
    assert.match(lines[0], /^SGD’s learning rate rose from 0\.0001 to /);
    assert.match(lines.join(' '), /(past the stop rule|blew up) at lr = /);
    assert.match(lines.at(-1), /^Suggested cyclical bounds: base_lr = /);
  });

  test('the bounds become two whole cyclical cycles over the race, which the core accepts', () => {
    const state = bowl();
    const result = tools.rangeTest({ ...rangeTestConfig(state, 0), lr_min: 1e-4, lr_max: 100 });
    const schedule = cyclicalOf(result, state.steps);
    assert.deepEqual(schedule, {
      name: 'cyclic',
      params: {
        base_lr: result.suggested.base_lr,
        max_lr: result.suggested.max_lr,
        step_size_up: 25,
      },
    });
    assert.equal(result.suggested.max_lr, 4 * result.suggested.base_lr);
    const normalized = m.normalizeSchedule(schedule);
    assert.equal(normalized.params.step_size_down, null);
    assert.equal(cyclicalOf({ suggested: { base_lr: null, max_lr: null } }, 100), null);
    assert.equal(cyclicalOf(null, 100), null);
  });
});

describe('the tuner', () => {
  test('tunes each racer as set up, for the objective and budget of the tools', () => {
    const state = bowl();
    state.tools = { ...state.tools, objective: 'steps_to_target', tol: 0.01, budget: 15 };
    const config = tuneConfig(state, 1);
    assert.deepEqual(config, {
      run: runConfig(state, state.racers[1]),
      objective: 'steps_to_target',
      tol: 0.01,
      budget: 15,
    });
    const result = tools.tune(config);
    assert.equal(result.trials.length <= 15, true);
    assert.equal(
      tuneConfig({ ...state, tools: { ...state.tools, objective: 'final_loss' } }, 0).tol,
      undefined,
    );
  });

  test('the table: the best trial of each racer, errors kept, and the rates set by the action', () => {
    const state = bowl();
    state.racers.push({
      ...state.racers[0],
      schedule: { name: 'one_cycle', params: { max_lr: 0.1, total_steps: 100 } },
    });
    const outcomes = state.racers.map((_, i) => {
      try {
        return { result: tools.tune(tuneConfig(state, i)) };
      } catch (err) {
        return { error: err.message };
      }
    });
    const rows = tuneRows(['SGD', 'Adam', 'SGD · 1cycle'], state.racers, outcomes);
    assert.match(rows[2].error, /one_cycle|ignores the optimizer's lr/);
    assert.equal(rows[2].best, null);
    for (const i of [0, 1]) {
      const r = outcomes[i].result;
      const lowest = Math.min(...r.trials.filter((x) => !x.diverged).map((x) => x.final_loss));
      assert.equal(rows[i].value, lowest, 'the best trial has the lowest final loss');
      assert.equal(rows[i].best, r.trials.find((x) => x.final_loss === lowest && !x.diverged).lr);
      assert.equal(rows[i].runs, r.trials.length);
      assert.equal(rows[i].now, 0.01);
    }
    const lines = tuneCaption(t, 'en', 'final_loss', rows);
    const winner = rows[0].value <= rows[1].value ? rows[0] : rows[1];
    assert.match(lines[0], new RegExp(`^Tuned, ${winner.label} ends lowest`));
    assert.equal(lines[1], 'Every run diverged or failed: SGD · 1cycle.');
    // "Use the tuned rates": Lookahead's rate is its inner method's, as in the core.
    const next = setRacerLr(state, 1, rows[1].best);
    assert.equal(racerLr(next.racers[1]), rows[1].best);
    const la = parseHash('v=1&r=lookahead(inner=adam(lr=0.05))', m).state;
    assert.equal(racerLr(setRacerLr(la, 0, 0.3).racers[0]), 0.3);
  });
});

describe('the link', () => {
  test('tools= round-trips; defaults write nothing; bad entries are named', () => {
    const state = defaultState(m);
    state.tools = {
      rangeOn: 'network',
      rangeSteps: 50,
      objective: 'steps_to_target',
      tol: 0.01,
      budget: 40,
    };
    const hash = serializeState(state, m);
    assert.match(
      hash,
      /&tools=rangeOn:network,rangeSteps:50,objective:steps_to_target,tol:0\.01,budget:40/,
    );
    const read = parseHash(hash, m);
    assert.deepEqual(read.errors, []);
    assert.deepEqual(read.state.tools, state.tools);
    const bad = normalizeTools({ rangeOn: 'moon', budget: 5, tol: 0, x: 1 });
    assert.deepEqual(
      bad.errors.map((e) => e.field),
      ['tools.rangeOn', 'tools.budget', 'tools.tol', 'tools.x'],
    );
    assert.deepEqual(bad.tools, defaultState(m).tools);
  });
});
