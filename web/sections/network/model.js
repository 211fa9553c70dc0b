// SPDX-License-Identifier: MIT
// What the tiny network section says about a training race, from its numbers: the captions of
// the results table and of the two loss slices, and the helpers they need. Pure: no DOM.

import { formatNumber, t } from '../../i18n.js';

/** A full evaluation every this many steps: the largest of 5..1 that divides `steps`. */
export function evalEvery(steps) {
  return [5, 4, 3, 2, 1].find((d) => steps % d === 0);
}

/** Indices of the entries equal to the extreme (max if `largest`) of the finite values. */
export function extremes(values, largest) {
  const finite = values.filter(Number.isFinite);
  if (!finite.length) return [];
  const v = largest ? Math.max(...finite) : Math.min(...finite);
  return values.map((x, i) => (x === v ? i : -1)).filter((i) => i >= 0);
}

/** The value shown in a readout: formatNumber, or "–" when not finite (e.g. no test set). */
export function shown(v) {
  return Number.isFinite(v) ? formatNumber(v) : '–';
}

/**
 * The caption: which racer had the smallest gap, which the largest top eigenvalue and which the
 * largest epsilon-sharpness, and whether the smallest gap went with the sharpest point.
 */
export function mlpCaption(lang, result, labels) {
  if (!result?.racers.length) return '';
  const sep = t(lang, 'labListSep');
  const gaps = result.racers.map((r) => r.gap);
  const eig = result.racers.map((r) => r.eigenvalue);
  const sharp = result.racers.map((r) => r.sharpness);
  const g = extremes(gaps, false);
  const e = extremes(eig, true);
  const s = extremes(sharp, true);
  const names = (indices) => indices.map((i) => labels[i]).join(sep);
  const sentences = [t(lang, 'mlpCaptionRun', { n: result.racers.length, steps: result.steps })];
  if (g.length) {
    sentences.push(t(lang, 'mlpCaptionGap', { racer: names(g), gap: formatNumber(gaps[g[0]]) }));
  }
  if (e.length) {
    sentences.push(t(lang, 'mlpCaptionEigen', { racer: names(e), value: formatNumber(eig[e[0]]) }));
  }
  if (s.length) {
    sentences.push(
      t(lang, 'mlpCaptionSharpness', {
        racer: names(s),
        value: formatNumber(sharp[s[0]]),
        epsilon: formatNumber(result.epsilon),
      }),
    );
  }
  if (g.length && e.length && result.racers.length > 1) {
    const same = g.some((i) => e.includes(i));
    sentences.push(t(lang, same ? 'mlpCaptionSame' : 'mlpCaptionDiffer'));
  }
  return sentences.join(' ');
}

/** The index of the entry of `alphas` nearest to `alpha`. */
export function nearestIndex(alphas, alpha) {
  let best = 0;
  for (let i = 1; i < alphas.length; i++) {
    if (Math.abs(alphas[i] - alpha) < Math.abs(alphas[best] - alpha)) best = i;
  }
  return best;
}

/**
 * How much the training loss of a random-direction slice rises at its ends (alpha = -radius and
 * +radius) over its value at alpha = 0, averaged over the two ends.
 */
export function sliceRise({ alphas, train }) {
  const mid = nearestIndex(alphas, 0);
  return (train[0] + train[train.length - 1]) / 2 - train[mid];
}

/** The caption of the random-direction slices: the largest and smallest rise at radius 1. */
export function randomSliceCaption(lang, result, labels) {
  if (!result?.racers.length) return '';
  const sep = t(lang, 'labListSep');
  const rises = result.racers.map((r) => sliceRise(r.slice));
  const most = extremes(rises, true);
  const least = extremes(rises, false);
  const names = (indices) => indices.map((i) => labels[i]).join(sep);
  if (!most.length) return t(lang, 'mlpSliceNone');
  if (result.racers.length === 1 || most.some((i) => least.includes(i))) {
    return t(lang, 'mlpSliceOne', { racer: names(most), rise: formatNumber(rises[most[0]]) });
  }
  const sentences = [
    t(lang, 'mlpSliceMost', {
      most: names(most),
      rise: formatNumber(rises[most[0]]),
      least: names(least),
      low: formatNumber(rises[least[0]]),
    }),
  ];
  const sharpest = extremes(
    result.racers.map((r) => r.sharpness),
    true,
  );
  if (sharpest.length) {
    const same = most.some((i) => sharpest.includes(i));
    sentences.push(t(lang, same ? 'mlpSliceAgrees' : 'mlpSliceDisagrees'));
  }
  return sentences.join(' ');
}

/**
 * The caption of the line slice from racer A (alpha = 0) to racer B (alpha = 1): the highest
 * training loss between them over the higher end (a barrier, Goodfellow et al. 2015) or none.
 */
export function lineSliceCaption(lang, slice, labelA, labelB) {
  const { alphas, train, test } = slice;
  const ia = nearestIndex(alphas, 0);
  const ib = nearestIndex(alphas, 1);
  let peak = ia;
  for (let i = ia; i <= ib; i++) if (train[i] > train[peak]) peak = i;
  const ends = Math.max(train[ia], train[ib]);
  const barrier = train[peak] - ends;
  const sentences = [
    barrier > 0
      ? t(lang, 'mlpLineBarrier', {
          a: labelA,
          b: labelB,
          value: formatNumber(train[peak]),
          alpha: formatNumber(alphas[peak], 2),
          barrier: formatNumber(barrier),
        })
      : t(lang, 'mlpLineNoBarrier', { a: labelA, b: labelB }),
  ];
  if (Number.isFinite(test[ia]) && Number.isFinite(test[ib])) {
    sentences.push(
      t(lang, 'mlpLineTestEnds', {
        a: labelA,
        b: labelB,
        ta: formatNumber(test[ia]),
        tb: formatNumber(test[ib]),
      }),
    );
  }
  return sentences.join(' ');
}
