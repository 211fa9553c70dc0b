// SPDX-License-Identifier: MIT
// The tour's reading of a run: the numbers a chapter's caption quotes, and the answer to a
// chapter's question, computed from the runs on the screen (never stored). Pure: no DOM.
//
// A "racer" here is { label, result }: label the racer's short name (app/labels.js), result
// the core's RunResult (loss, trajectory, lr and, in a chapter, every state series).

import { QUESTIONS } from '../../app/schema.js';
import { formatNumber } from '../../i18n.js';

/** The kinds of question a link may ask (`ask=`): what the student predicts. */
export { QUESTIONS, formatNumber };

/** The last recorded loss of a run, or null for a run with none. */
export function finalLoss(result) {
  return result && result.loss.length ? result.loss[result.loss.length - 1] : null;
}

/** The first iterate t whose loss is at most `f`, or null when the run never gets there. */
export function stepsTo(result, f) {
  if (!result) return null;
  for (let t = 0; t < result.loss.length; t++) if (result.loss[t] <= f) return t;
  return null;
}

/** Iterate t of a run as [x, y] (the last recorded one when t is past the end), or null. */
export function pointAt(result, t = Infinity) {
  if (!result || result.trajectory.length < 2) return null;
  const n = result.trajectory.length / 2;
  const k = Math.min(Math.max(0, t), n - 1);
  return [result.trajectory[2 * k], result.trajectory[2 * k + 1]];
}

/** The end point of a run. */
export const endPoint = (result) => pointAt(result);

/** Euclidean distance between two points [x, y]. */
export const distance = (a, b) => Math.hypot(a[0] - b[0], a[1] - b[1]);

/**
 * A state series of a run by name, or null: { width, values } with values[(t - 1) * width + i]
 * coordinate i after update t (width 2 per coordinate, 1 for a scalar).
 */
export function series(result, name) {
  return result?.state?.[name] ?? null;
}

/**
 * The answer to question `kind` over `racers`: the index of the racer that ends lowest
 * ('lowest', diverged racers excluded), or whose end point lies farthest from the start
 * ('farthest'). null when no racer has a result. Ties go to the first racer.
 */
export function answerOf(kind, racers) {
  let best = null;
  let bestValue = null;
  racers.forEach(({ result }, i) => {
    if (!result || result.loss.length === 0) return;
    let value;
    if (kind === 'lowest') {
      if (result.diverged) return;
      value = -finalLoss(result);
    } else if (kind === 'farthest') {
      value = distance(pointAt(result, 0), endPoint(result));
    } else return;
    if (!Number.isFinite(value)) return;
    if (bestValue === null || value > bestValue) {
      best = i;
      bestValue = value;
    }
  });
  return best;
}
