// SPDX-License-Identifier: MIT
// What the sharp vs flat lab shows, from the core's numbers: which surface it uses, the basins
// and their measures, the pooled ensemble joined back into one result, the gap statistics of
// the runs that ended in a minimum, and the captions that say what this run measured. Nothing
// here touches the DOM; the core is called for measures only.

import { functionInfo } from '../../app/meta.js';
import { formatNumber, t } from '../../i18n.js';

/** The lab's own surface when the race's has fewer than two minima to compare. */
export const LAB_FUNCTION = 'twin_basin';
/** Runs per pooled ensemble task: small enough for a smooth progress bar. */
export const CHUNK = 50;
/** The core's basin radius (src/run/ensemble.hpp): a run ends "in" a minimum within it. */
export const BASIN_RADIUS = 0.5;
const ARRAYS = { endpoints: 2, trainLoss: 1, testLoss: 1, gap: 1, basin: 1 };

/**
 * The surface the lab measures: the race's when it lists at least two minima (a basin count
 * then compares something), else the twin basin with its defaults. { fn, info, own } with own
 * true for the lab's own surface.
 */
export function labSurface(engine, state) {
  const race = functionInfo(engine, state.fn);
  if (race.minima.length >= 2) return { fn: race.function, info: race, own: false };
  const info = functionInfo(engine, { name: LAB_FUNCTION });
  return { fn: info.function, info, own: true };
}

/**
 * Metrics at each minimum and the basins' labels: on the twin basin, "sharp" is the minimum
 * whose Hessian has the larger top eigenvalue, "flat" the other; elsewhere "minimum k".
 */
export function describeBasins(engine, fn, minima, offset, epsilon) {
  const basins = minima.map((p) => ({
    point: [p.x, p.y],
    metrics: engine.endpointMetrics({
      function: fn,
      point: [p.x, p.y],
      test_offset: [offset, 0],
      epsilon,
    }),
    kind: null,
  }));
  if (fn.name === LAB_FUNCTION && basins.length === 2) {
    const top = (b) => b.metrics.hessian_eigenvalues[1];
    const sharp = top(basins[0]) >= top(basins[1]) ? 0 : 1;
    basins[sharp].kind = 'sharp';
    basins[1 - sharp].kind = 'flat';
  }
  return basins;
}

export function basinLabel(lang, basin, k) {
  if (basin.kind === 'sharp') return t(lang, 'labSharp');
  if (basin.kind === 'flat') return t(lang, 'labFlat');
  return t(lang, 'labMinimumN', { n: k + 1 });
}

/** Short names of the minima on the pictures. */
export function markLabel(lang, basin, k) {
  if (basin.kind === 'sharp') return t(lang, 'labMarkSharp');
  if (basin.kind === 'flat') return t(lang, 'labMarkFlat');
  return t(lang, 'labMarkN', { n: k + 1 });
}

/** The chunks [from, count] of an ensemble of `runs` runs. */
export function chunks(runs) {
  const out = [];
  for (let a = 0; a < runs; a += CHUNK) out.push([a, Math.min(CHUNK, runs - a)]);
  return out;
}

/**
 * The parts of a pooled ensemble (m.ensemble results of chunks(runs), in order) joined into
 * the result of one whole call: the core seeds run r with seed + r, whichever chunk runs it.
 */
export function joinEnsemble(parts, runs) {
  const result = {
    runs,
    minima: parts[0].minima,
    racers: parts[0].racers.map((r) => ({
      basinCounts: r.basinCounts.map(() => 0),
      other: 0,
      diverged: 0,
      ...Object.fromEntries(
        Object.entries(ARRAYS).map(([k, w]) => [k, new r[k].constructor(runs * w)]),
      ),
    })),
  };
  let at = 0;
  for (const part of parts) {
    part.racers.forEach((r, i) => {
      const out = result.racers[i];
      r.basinCounts.forEach((c, k) => (out.basinCounts[k] += c));
      out.other += r.other;
      out.diverged += r.diverged;
      for (const [k, w] of Object.entries(ARRAYS)) out[k].set(r[k], at * w);
    });
    at += part.racers[0].basin.length;
  }
  return result;
}

function median(sorted) {
  if (!sorted.length) return NaN;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * The gaps of a racer's runs that ended in a minimum (a run elsewhere has not converged: its
 * gap says nothing about a minimum), sorted, with their mean and median: { values, mean,
 * median, n }.
 */
export function basinGaps(racer) {
  const values = [];
  for (let r = 0; r < racer.basin.length; r++) {
    if (racer.basin[r] >= 0 && Number.isFinite(racer.gap[r])) values.push(racer.gap[r]);
  }
  values.sort((a, b) => a - b);
  const mean = values.length ? values.reduce((s, v) => s + v, 0) / values.length : NaN;
  return { values, mean, median: median(values), n: values.length };
}

const percent = (count, of) => (of > 0 ? (100 * count) / of : 0);
const roundPercent = (p) => `${Math.round(p)}%`;

/**
 * The caption: what this run measured. Of each racer's runs that ended in a minimum, the
 * share that ended in the basin of interest (the sharp one, else minimum 1), and which racer
 * had the largest and smallest share; racers whose runs never ended in a minimum are named
 * apart, and so is every racer with runs elsewhere (farther than the basin radius from every
 * minimum) or diverged.
 */
export function labCaption(lang, run) {
  const { result, basins, labels } = run;
  if (!result.racers.length || !basins.length) return '';
  const k = basinOfInterest(basins);
  const where =
    basins[k].kind === 'sharp' ? t(lang, 'labTheSharp') : basinLabel(lang, basins[k], k);
  const sep = t(lang, 'labListSep');
  const inMinima = result.racers.map((r) => r.basinCounts.reduce((s, c) => s + c, 0));
  const ranked = result.racers.flatMap((r, i) =>
    inMinima[i] > 0 ? [{ i, share: percent(r.basinCounts[k], inMinima[i]) }] : [],
  );
  const sentences = [];
  if (ranked.length) {
    const list = ranked.map(({ i, share }) =>
      t(lang, 'labCaptionItem', {
        racer: labels[i],
        p: roundPercent(share),
        k: result.racers[i].basinCounts[k],
        of: inMinima[i],
      }),
    );
    sentences.push(t(lang, 'labCaption', { n: result.runs, where, list: list.join(sep) }));
  }
  if (ranked.length >= 2) {
    const shares = ranked.map((r) => r.share);
    const max = Math.max(...shares);
    const min = Math.min(...shares);
    // Every racer at the extreme is named: ties are stated, not broken by order.
    const named = (v) =>
      ranked
        .filter((r) => r.share === v)
        .map((r) => labels[r.i])
        .join(sep);
    sentences.push(
      max === min
        ? t(lang, 'labCaptionTie', { where })
        : t(lang, 'labCaptionMost', { most: named(max), least: named(min), where }),
    );
  }
  const never = result.racers.flatMap((_, i) => (inMinima[i] === 0 ? [labels[i]] : []));
  if (never.length) sentences.push(t(lang, 'labCaptionNever', { list: never.join(sep) }));
  const astray = result.racers.flatMap((r, i) =>
    r.other + r.diverged > 0
      ? [
          t(lang, 'labCaptionAstrayItem', {
            racer: labels[i],
            p: roundPercent(percent(r.other, result.runs)),
            d: roundPercent(percent(r.diverged, result.runs)),
          }),
        ]
      : [],
  );
  if (astray.length) {
    sentences.push(
      t(lang, 'labCaptionAstray', { r: formatNumber(BASIN_RADIUS), list: astray.join(sep) }),
    );
  }
  return sentences.join(' ');
}

/** The minimum nearest to `point` among `basins`: { nearest (index, -1 if none), distance }. */
export function nearestBasin(basins, point) {
  let nearest = -1;
  let distance = Infinity;
  basins.forEach((b, k) => {
    const d = Math.hypot(point[0] - b.point[0], point[1] - b.point[1]);
    if (d < distance) [distance, nearest] = [d, k];
  });
  return { nearest, distance };
}

// ---------------------------------------------------------------------------
// over settings

/**
 * "Run over settings": the lab's ensemble repeated for every gradient noise σ, run length and
 * seed below, so that a share is read with its spread. On the twin basin the shares follow
 * the basins' areas and move with the settings: one configuration proves little.
 */
export const SPREAD = Object.freeze({
  noise: Object.freeze([0, 0.3, 1]),
  steps: Object.freeze([300, 1000]),
  seeds: 3,
});

/**
 * The ensembles of a spread, in table order: { noise, steps, seed }. The core seeds run r of
 * an ensemble with seed + r, so seeds `runs` apart draw disjoint sets of starts.
 */
export function spreadSettings(seed, runs) {
  const out = [];
  for (const noise of SPREAD.noise) {
    for (const steps of SPREAD.steps) {
      for (let k = 0; k < SPREAD.seeds; k++) out.push({ noise, steps, seed: seed + k * runs });
    }
  }
  return out;
}

/** The basin the captions read: the sharp one, else the first. */
export function basinOfInterest(basins) {
  const k = basins.findIndex((b) => b.kind === 'sharp');
  return k < 0 ? 0 : k;
}

/**
 * What a spread measured, per racer: its share (in %) of the runs that ended in a minimum
 * which ended in basin k, for every ensemble of `results` (null when none ended in a
 * minimum), the least, median and largest of those shares, and in how many ensembles it had
 * the smallest share of all racers (ties count for each racer at the minimum).
 */
export function spreadSummary(results, k) {
  const shares = results.map((res) =>
    res.racers.map((r) => {
      const inMinima = r.basinCounts.reduce((s, c) => s + c, 0);
      return inMinima > 0 ? percent(r.basinCounts[k], inMinima) : null;
    }),
  );
  return results[0].racers.map((_, i) => {
    const mine = shares.map((s) => s[i]);
    const known = mine.filter((v) => v !== null).sort((a, b) => a - b);
    const lowest = shares.filter(
      (s) => s[i] !== null && s.every((v) => v === null || s[i] <= v),
    ).length;
    return {
      shares: mine,
      min: known.length ? known[0] : NaN,
      max: known.length ? known[known.length - 1] : NaN,
      median: median(known),
      lowest,
      counted: known.length,
    };
  });
}

/** The distinct values of `key` over `settings`, in their order. */
const distinct = (settings, key) => [...new Set(settings.map((s) => s[key]))];

/**
 * The spread's caption: each racer's range and median share in the basin of interest over
 * the ensembles, and how often each had the smallest share, as measured.
 */
export function spreadCaption(lang, { summary, settings, runs, labels, basins }) {
  const k = basinOfInterest(basins);
  const where =
    basins[k].kind === 'sharp' ? t(lang, 'labTheSharp') : basinLabel(lang, basins[k], k);
  const sep = t(lang, 'labListSep');
  const list = summary.map((s, i) =>
    s.counted
      ? t(lang, 'labSpreadItem', {
          racer: labels[i],
          min: roundPercent(s.min),
          max: roundPercent(s.max),
          median: roundPercent(s.median),
        })
      : t(lang, 'labSpreadNone', { racer: labels[i] }),
  );
  const sentences = [
    t(lang, 'labSpreadCaption', {
      e: settings.length,
      runs,
      noise: distinct(settings, 'noise')
        .map((v) => formatNumber(v))
        .join(sep),
      steps: distinct(settings, 'steps').join(sep),
      seeds: distinct(settings, 'seed').length,
      where,
      list: list.join(sep),
    }),
  ];
  if (summary.length >= 2) {
    sentences.push(
      t(lang, 'labSpreadLowest', {
        where,
        list: summary
          .map((s, i) =>
            t(lang, 'labSpreadLowestItem', { racer: labels[i], k: s.lowest, e: settings.length }),
          )
          .join(sep),
      }),
    );
  }
  return sentences.join(' ');
}
