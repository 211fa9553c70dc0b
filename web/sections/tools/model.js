// SPDX-License-Identifier: MIT
// The learning-rate tools' pure parts: the configs of the core's range test (Smith 2017) and
// tuner from the state, the cyclical schedule the range test suggests, the tuner's table, and
// captions that state what was measured. No DOM, no engine: node tests run it.

import { runConfig, trainerConfig } from '../../app/schema.js';
import { formatNumber } from '../../i18n.js';
import './texts.js';

/** The racer's learning rate as the tuner sets it (Lookahead's: its inner method's). */
export function racerLr(racer) {
  let optimizer = racer.optimizer;
  while (optimizer.name === 'lookahead') optimizer = optimizer.hyperparameters.inner;
  return optimizer.hyperparameters.lr;
}

/**
 * The rangeTest config of racer `i` of the state: on the race (its surface, start, noise and
 * method) or on the tiny network (its data and size, the racer's method, the race's seed),
 * with the tools' ramp length. The ramp replaces the racer's schedule and learning rate.
 */
export function rangeTestConfig(state, i) {
  const racer = state.racers[i];
  const steps = state.tools.rangeSteps;
  if (state.tools.rangeOn === 'network') {
    const base = trainerConfig(state.mlp);
    const seed = state.noise.seed;
    return {
      trainer: {
        ...base,
        dataset: { ...base.dataset, seed },
        network: { ...base.network, seed },
        optimizer: structuredClone(racer.optimizer),
        seed,
      },
      steps,
    };
  }
  return { run: runConfig(state, racer), steps };
}

/**
 * What racer `i`'s range test depends on, as a key: a test is the one of a state when their
 * keys are equal.
 */
export const rangeKey = (s, i) =>
  JSON.stringify([
    i,
    s.tools.rangeOn,
    s.tools.rangeSteps,
    s.racers[i]?.optimizer,
    s.fn,
    s.start,
    s.noise,
    s.tools.rangeOn === 'network' ? s.mlp : null,
  ]);

/** The tune config of racer `i`: its race as it is set up, the tools' objective and budget. */
export function tuneConfig(state, i) {
  const { objective, tol, budget } = state.tools;
  return {
    run: runConfig(state, state.racers[i]),
    objective,
    ...(objective === 'steps_to_target' ? { tol } : {}),
    budget,
  };
}

/**
 * The cyclical schedule (Smith 2017, triangular) of a range test's suggested bounds over a race
 * of `steps` updates: two whole cycles (step_size_up = steps / 4). Null when the test
 * suggested nothing.
 */
export function cyclicalOf(result, steps) {
  const s = result?.suggested;
  if (!s || !(s.base_lr > 0) || !(s.max_lr > s.base_lr)) return null;
  return {
    name: 'cyclic',
    params: {
      base_lr: s.base_lr,
      max_lr: s.max_lr,
      step_size_up: Math.max(1, Math.floor(steps / 4)),
    },
  };
}

/** What a range test measured, in sentences of `lang` (t from i18n). */
export function rangeCaption(t, lang, result, label) {
  const f = (v) => formatNumber(v, 3);
  const lines = [];
  const n = result.steps;
  if (!n || result.lr_at_min === null) {
    lines.push(t(lang, 'rangeNothing', { racer: label, reason: result.divergence_reason || '' }));
    return lines;
  }
  lines.push(
    t(lang, 'rangeRamp', {
      racer: label,
      n,
      from: f(result.lr[0]),
      to: f(result.lr[n - 1]),
    }),
  );
  lines.push(
    t(lang, 'rangeLowest', {
      lr: f(result.lr_at_min),
      t: result.min_at,
      loss: f(result.smoothed[result.min_at - 1]),
    }),
  );
  if (result.diverged) {
    lines.push(
      t(lang, result.stopped_by_rule ? 'rangeStopped' : 'rangeBlewUp', {
        lr: f(result.diverged_lr),
        t: result.diverged_at,
        reason: result.divergence_reason,
      }),
    );
  } else if (result.min_at === n) {
    lines.push(t(lang, 'rangeStillFalling'));
  }
  lines.push(
    t(lang, 'rangeSuggested', {
      base: f(result.suggested.base_lr),
      max: f(result.suggested.max_lr),
    }),
  );
  return lines;
}

/**
 * The tuner's table: one row per racer, { label, now (its learning rate now), best (the best
 * rate, null when every run diverged), value (the best run's objective), runs (trials), diverged
 * (trials that diverged), reached (steps_to_target: whether the best run reached the target),
 * error }.
 */
export function tuneRows(labels, racers, outcomes) {
  return outcomes.map((o, i) => {
    const row = { label: labels[i], now: racerLr(racers[i]), error: o?.error ?? null };
    const r = o?.result;
    if (!r) return { ...row, best: null, value: null, runs: 0, diverged: 0, reached: false };
    const best = r.best === null || r.best === undefined ? null : r.trials[r.best];
    return {
      ...row,
      best: best ? best.lr : null,
      value: best ? best.objective : null,
      finalLoss: best ? best.final_loss : null,
      reached: !!best && best.reached_at !== null && best.reached_at !== undefined,
      runs: r.trials.length,
      diverged: r.trials.filter((trial) => trial.diverged).length,
    };
  });
}

/** What the tuner found, in sentences of `lang`. */
export function tuneCaption(t, lang, objective, rows) {
  const f = (v) => formatNumber(v, 3);
  const done = rows.filter((r) => r.best !== null);
  if (!done.length) return [t(lang, 'tuneNothing')];
  const lines = [];
  if (objective === 'steps_to_target') {
    const reached = done.filter((r) => r.reached).sort((a, b) => a.value - b.value);
    if (reached.length) {
      lines.push(
        t(lang, 'tuneFastest', {
          racer: reached[0].label,
          steps: reached[0].value,
          lr: f(reached[0].best),
        }),
      );
    }
    const never = done.filter((r) => !r.reached).map((r) => r.label);
    if (never.length) lines.push(t(lang, 'tuneNeverReached', { racers: never.join(', ') }));
  } else {
    const sorted = [...done].sort((a, b) => a.value - b.value);
    lines.push(
      t(lang, 'tuneLowest', {
        racer: sorted[0].label,
        loss: f(sorted[0].value),
        lr: f(sorted[0].best),
      }),
    );
  }
  const failed = rows.filter((r) => r.best === null).map((r) => r.label);
  if (failed.length) lines.push(t(lang, 'tuneNone', { racers: failed.join(', ') }));
  return lines;
}
