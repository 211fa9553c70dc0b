// SPDX-License-Identifier: MIT
// The text that reads the live race: the caption under the figure ("Adam reaches f = 0.0012
// at step 300; SGD stops at f = 3.1") and the status line of each racer card.

import { lossAt } from '../../app/runs.js';
import { formatNumber, t } from '../../i18n.js';

/**
 * Whether a run's loss still went down over the last tenth of its first `step` steps (by more
 * than a thousandth of its size): then it has not stopped, whatever its value.
 */
export function stillDescending(result, step) {
  const s = Math.min(step, result.loss.length - 1);
  const back = Math.max(1, Math.round(s / 10));
  if (s - back < 0) return false;
  const now = result.loss[s];
  const before = result.loss[s - back];
  return before - now > 1e-3 * Math.max(Math.abs(before), Math.abs(now), 1e-300);
}

/** One status line per racer: runs are [{ result, error }] (app/runs.js). */
export function racerLines(lang, runs, step) {
  return runs.map(({ result, error }) => {
    if (error) return { text: t(lang, 'racerError', { message: error }), diverged: true };
    if (!result) return { text: t(lang, 'racerComputing') };
    if (result.diverged && step > result.steps) {
      return { text: t(lang, 'racerDiverged', { k: result.divergedAt }), diverged: true };
    }
    const s = Math.min(step, result.steps);
    return { text: t(lang, 'racerStatus', { f: formatNumber(lossAt(result, s)), s }) };
  });
}

/**
 * The caption at `step` of `steps`: who is lowest, who is highest, who diverged. labels[i] is
 * racer i's short name; minima are the function's known minima (to say "at the minimum").
 */
export function raceCaption(lang, runs, labels, step, steps, minima) {
  const alive = [];
  const gone = [];
  runs.forEach(({ result }, i) => {
    if (!result) return;
    if (result.diverged && step > result.steps) gone.push(i);
    else alive.push({ i, f: lossAt(result, step) });
  });
  const parts = [];
  if (alive.length) {
    alive.sort((a, b) => a.f - b.f);
    const best = alive[0];
    const worst = alive.at(-1);
    const fa = formatNumber(best.f);
    const fstar = minima.length ? Math.min(...minima.map((p) => p.f)) : null;
    const atMin = fstar !== null && best.f - fstar < 1e-4 * (1 + Math.abs(fstar));
    if (alive.length === 1 && runs.length === 1) {
      parts.push(t(lang, 'captionOne', { a: labels[best.i], fa, s: step, n: steps }));
    } else {
      const live = step < steps;
      const lead = atMin ? 'captionAtMin' : live ? 'captionLeadLive' : 'captionLead';
      parts.push(t(lang, lead, { a: labels[best.i], fa, s: step }));
      if (alive.length > 1) {
        const moving = stillDescending(runs[worst.i].result, step);
        const last = live ? 'captionLastLive' : moving ? 'captionLastMoving' : 'captionLast';
        parts.push(t(lang, last, { b: labels[worst.i], fb: formatNumber(worst.f) }));
      }
    }
  }
  for (const i of gone) {
    parts.push(t(lang, 'captionDiverged', { a: labels[i], k: runs[i].result.divergedAt }));
  }
  if (!parts.length) return t(lang, 'captionNone');
  return lang === 'zh' ? `${parts.join('；')}。` : `${parts.join('; ')}.`;
}
