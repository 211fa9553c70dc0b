// SPDX-License-Identifier: MIT
// The gradient-stream lab's pure parts: the two runs of a stream (Adam beside AMSGrad, from the
// core's presets of optimizers.md section 4), what a run measured (the spike and the steps
// around it, where x ends, the regret), the caption that states it, and the charts' data,
// thinned to the pixels they cover. No DOM, no engine: node tests run it.

import { formatNumber } from '../../i18n.js';
import './texts.js';

/** The two methods the lab runs, in order: the method that forgets, the one that keeps. */
export const STREAM_METHODS = Object.freeze(['adam', 'amsgrad']);

const clone = (v) => JSON.parse(JSON.stringify(v));

/**
 * The runStream configs of a state's stream lab (state.stream), from the metadata's presets:
 * rare_spike_* for a typed sequence (its text), reddi_* for Reddi et al.'s problem (C and
 * steps, with the paper's beta2 = 1 / (1 + C^2)); beta1 for both methods.
 * @returns {{method: string, config: object}[]}
 */
export function streamConfigs(presets, stream) {
  const prefix = stream.source === 'reddi' ? 'reddi_' : 'rare_spike_';
  return STREAM_METHODS.map((method) => {
    const preset = presets.find((p) => p.name === prefix + method);
    if (!preset) throw new Error(`the core has no stream preset ${prefix + method}`);
    const config = clone(preset.config);
    config.optimizer.hyperparameters.beta1 = stream.beta1;
    if (stream.source === 'reddi') {
      config.source.params = { C: stream.C, steps: stream.steps };
      config.optimizer.hyperparameters.beta2 = 1 / (1 + stream.C * stream.C);
    } else {
      config.source.params = { ...config.source.params, text: stream.text };
    }
    return { method, config };
  });
}

/**
 * The largest gradient of a run by magnitude (the first when tied) and the movements around it:
 * { at (the update, 1-based), gradient, typical (the median |g| of the run), step (its
 * movement), next (the following update's movement, NaN at the end), before (the total
 * movement of the updates before it) }. Null for an empty run.
 */
export function spikeOf(result) {
  const n = result.steps;
  if (!n) return null;
  let at = 0;
  for (let i = 1; i < n; i++) {
    if (Math.abs(result.gradient[i]) > Math.abs(result.gradient[at])) at = i;
  }
  let before = 0;
  for (let i = 0; i < at; i++) before += result.movement[i];
  const sorted = Array.from(result.gradient.subarray(0, n), Math.abs).sort((a, b) => a - b);
  return {
    at: at + 1,
    gradient: result.gradient[at],
    typical: sorted[Math.floor((n - 1) / 2)],
    step: result.movement[at],
    next: at + 1 < n ? result.movement[at + 1] : NaN,
    before,
  };
}

/** Total movement of updates from..to (1-based, inclusive). */
export function movementBetween(result, from, to) {
  let sum = 0;
  for (let i = Math.max(1, from); i <= Math.min(to, result.steps); i++)
    sum += result.movement[i - 1];
  return sum;
}

/** Where a run ends: { x (the last point), averageRegret (NaN without regret), steps }. */
export function endOf(result) {
  const n = result.steps;
  return {
    steps: n,
    x: n ? result.x[n - 1] : result.start,
    averageRegret: result.averageRegret.length ? result.averageRegret[n - 1] : NaN,
  };
}

/**
 * Up to `width` points standing for `values` (a Float64Array, index t - 1 = update t): the
 * updates in each bucket of ceil(n / width) are represented by the one of largest value, so
 * that a spike is never thinned away. Returns { t: update numbers, y }.
 */
export function thin(values, n, width) {
  const bucket = Math.max(1, Math.ceil(n / Math.max(1, width)));
  const t = [];
  const y = [];
  for (let start = 0; start < n; start += bucket) {
    let best = start;
    const end = Math.min(n, start + bucket);
    for (let i = start + 1; i < end; i++) if (values[i] > values[best]) best = i;
    t.push(best + 1);
    y.push(values[best]);
  }
  return { t, y };
}

/**
 * One chart's data from the runs: every run's `pick(result)` series thinned on one shared axis
 * of update numbers (each run's own thinning, aligned by bucket). Returns { x, values }.
 */
export function chartData(results, pick, width) {
  const n = Math.max(0, ...results.map((r) => r.steps));
  const bucket = Math.max(1, Math.ceil(n / Math.max(1, width)));
  const columns = results.map((r) => {
    const v = pick(r);
    return v ? thin(v, r.steps, Math.ceil(r.steps / bucket)) : { t: [], y: [] };
  });
  const x = [];
  for (let start = 0; start < n; start += bucket) x.push(start + 1);
  const values = columns.map(({ y }) => x.map((_, i) => (i < y.length ? y[i] : null)));
  return { x, values };
}

/**
 * What the runs measured, in sentences of `lang` (t from i18n): every number from the runs.
 * `runs` = [{ method, label, result }] in STREAM_METHODS order; `stream` the lab's inputs.
 */
export function streamCaption(t, lang, stream, runs) {
  const f = (v) => formatNumber(v, 4);
  const lines = [];
  const failed = runs.find((r) => r.result.diverged);
  if (failed) {
    lines.push(
      t(lang, 'streamDiverged', {
        racer: failed.label,
        t: failed.result.divergedAt,
        reason: failed.result.divergenceReason,
      }),
    );
  }
  if (stream.source === 'sequence') {
    const [adam, amsgrad] = runs.map((r) => ({ ...r, spike: spikeOf(r.result) }));
    if (!adam.spike) return lines;
    const s = adam.spike;
    if (Math.abs(s.gradient) > s.typical) {
      lines.push(
        t(lang, 'streamSpike', {
          t: s.at,
          g: f(s.gradient),
          ratio: f(Math.abs(s.gradient) / s.typical),
          adam: adam.label,
          step: f(s.step),
          stepRatio: f(s.step / (s.before / Math.max(1, s.at - 1))),
          before: f(s.before),
          n: s.at - 1,
        }),
      );
      if (Number.isFinite(s.next)) {
        lines.push(
          t(lang, 'streamAfter', {
            adam: adam.label,
            next: f(s.next),
            amsgrad: amsgrad.label,
            nextAms: f(amsgrad.spike?.next ?? NaN),
          }),
        );
        const n = adam.result.steps;
        const adamLast = adam.result.movement[n - 1];
        const amsLast = amsgrad.result.movement[amsgrad.result.steps - 1];
        if (n > s.at + 1) {
          lines.push(
            t(lang, 'streamLast', {
              later: n - s.at,
              adam: adam.label,
              adamLast: f(adamLast),
              amsgrad: amsgrad.label,
              amsLast: f(amsLast),
            }),
          );
          lines.push(
            t(lang, adamLast > 2 * amsLast ? 'streamForgot' : 'streamKept', {
              adam: adam.label,
              amsgrad: amsgrad.label,
            }),
          );
        }
      }
    } else {
      lines.push(t(lang, 'streamNoSpike', { g: f(s.gradient) }));
    }
    lines.push(
      t(lang, 'streamTotal', {
        adam: adam.label,
        adamTotal: f(movementBetween(adam.result, 1, adam.result.steps)),
        amsgrad: amsgrad.label,
        amsTotal: f(movementBetween(amsgrad.result, 1, amsgrad.result.steps)),
      }),
    );
  } else {
    const ends = runs.map((r) => ({ ...r, end: endOf(r.result) }));
    for (const r of ends) {
      lines.push(
        t(lang, 'streamReddiEnd', {
          racer: r.label,
          x: f(r.end.x),
          regret: f(r.end.averageRegret),
          steps: r.end.steps,
        }),
      );
    }
    const [adam, amsgrad] = ends;
    // Which method ends nearer the best point x* = -1, as measured.
    const key =
      Math.abs(adam.end.x + 1) > Math.abs(amsgrad.end.x + 1)
        ? 'streamReddiAmsgradNearer'
        : Math.abs(adam.end.x + 1) < Math.abs(amsgrad.end.x + 1)
          ? 'streamReddiAdamNearer'
          : 'streamReddiTie';
    lines.push(t(lang, key, { adam: adam.label, amsgrad: amsgrad.label }));
  }
  return lines;
}
