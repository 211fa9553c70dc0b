// SPDX-License-Identifier: MIT
// The handwritten-digits section's pure parts: the trainer configs of the page's racers over
// several seeds, the summary of their results (mean and spread over seeds), the accuracy
// curves and the caption that states what these runs measured. No DOM, no engine.

import { formatNumber } from '../../i18n.js';
import './texts.js';

/** The hidden layers of the digits network: 64-32-32-10. */
export const DIGITS_HIDDEN = Object.freeze([32, 32]);
/** Evaluations of the loss and accuracy over a training run. */
const EVALUATIONS = 50;

/**
 * `optimizer` ({ name, hyperparameters }) at its method's learning rate for the digits,
 * digitsLr(name) (a number, or undefined for a method that has none: its own lr stays), and
 * likewise every optimizer among its hyperparameters (Lookahead's inner method). A copy.
 */
export function atDigitsRate(optimizer, digitsLr) {
  const hyperparameters = {};
  for (const [k, v] of Object.entries(optimizer.hyperparameters ?? {})) {
    hyperparameters[k] = v && typeof v === 'object' ? atDigitsRate(v, digitsLr) : v;
  }
  const lr = digitsLr(optimizer.name);
  if (lr !== undefined && 'lr' in hyperparameters) hyperparameters.lr = lr;
  return { ...structuredClone(optimizer), hyperparameters };
}

/**
 * The learning rate `optimizer` trains with: its lr, or that of the optimizer among its
 * hyperparameters (Lookahead's inner method); undefined when none has one.
 */
export function rateOf(optimizer) {
  const hp = optimizer.hyperparameters ?? {};
  if (typeof hp.lr === 'number') return hp.lr;
  for (const v of Object.values(hp)) {
    if (v && typeof v === 'object') {
      const lr = rateOf(v);
      if (lr !== undefined) return lr;
    }
  }
  return undefined;
}

/**
 * The trainer configs of every racer and seed: [{ racer, seed, config }], seeds 1..n. Seed s
 * sets the split, the label noise, the initialization and the batches, the same for every
 * racer, so that racers differ only by their method and schedule. With the section's rates
 * 'digits', each method trains at digitsLr(name) (the core's page.digitsLr) instead of the
 * racer's 2-D rate; its schedule stays (an absolute schedule sets its own rates).
 */
export function digitsJobs(state, digitsLr = () => undefined) {
  const d = state.digits;
  const jobs = [];
  state.racers.forEach((racer, i) => {
    const optimizer =
      d.rates === 'digits' ? atDigitsRate(racer.optimizer, digitsLr) : racer.optimizer;
    for (let seed = 1; seed <= d.seeds; seed++) {
      jobs.push({
        racer: i,
        seed,
        config: {
          dataset: { name: 'digits', seed, label_noise: d.labelNoise, train_size: d.trainSize },
          network: { hidden: [...DIGITS_HIDDEN], loss: d.loss, seed },
          optimizer: structuredClone(optimizer),
          schedule: racer.schedule ? structuredClone(racer.schedule) : null,
          batch_size: d.batch,
          seed,
          eval_every: Math.max(1, Math.floor(d.steps / EVALUATIONS)),
        },
      });
    }
  });
  return jobs;
}

/** Whether `schedule` or a schedule inside it (sequential, chain) is absolute (isAbsolute(name)). */
function hasAbsolute(schedule, isAbsolute) {
  if (!schedule || typeof schedule !== 'object') return false;
  if (typeof schedule.name === 'string' && isAbsolute(schedule.name)) return true;
  return Object.values(schedule).some((v) => hasAbsolute(v, isAbsolute));
}

/**
 * The sentence that names the racers whose schedule sets its rates itself (cyclic, one-cycle:
 * isAbsolute(name)) when the section trains at the digits rates, or null: those racers train
 * at their schedule's 2-D rates.
 */
export function absoluteNote(t, lang, state, labels, isAbsolute) {
  if (state.digits.rates !== 'digits') return null;
  const names = labels.filter((_, i) => hasAbsolute(state.racers[i]?.schedule, isAbsolute));
  return names.length ? t(lang, 'digitsAbsolute', { racers: names.join(', ') }) : null;
}

/** The small batch of the batch-size experiment when the section trains at full batch. */
export const SMALL_BATCH = 32;

/**
 * The batch-size experiment (Keskar et al. 2017) for racer `i`: the section's mini-batch size
 * (or SMALL_BATCH when it is full batch) against full batch, over the seeds, at the rate
 * digitsJobs gives it. Jobs as
 * digitsJobs's, with `racer` 0 for the small batch and 1 for full batch: [{ racer, seed,
 * config }], and the small batch's size.
 */
export function batchJobs(state, i, digitsLr = () => undefined) {
  const small = state.digits.batch > 0 ? state.digits.batch : SMALL_BATCH;
  const one = { ...state, racers: [state.racers[i]] };
  const jobs = [small, 0].flatMap((batch, group) =>
    digitsJobs({ ...one, digits: { ...state.digits, batch } }, digitsLr).map((job) => ({
      ...job,
      racer: group,
    })),
  );
  return { jobs, small };
}

/** Mean and sample standard deviation of the finite values: { mean, sd, n } (NaN when none). */
export function spread(values) {
  const v = values.filter(Number.isFinite);
  const n = v.length;
  if (!n) return { mean: NaN, sd: NaN, n: 0 };
  const mean = v.reduce((a, b) => a + b, 0) / n;
  const sd = n > 1 ? Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1)) : 0;
  return { mean, sd, n };
}

/** The measures of a row, in table order. */
export const MEASURES = Object.freeze([
  'trainAccuracy',
  'testAccuracy',
  'gap',
  'eigenvalue',
  'sharpness',
]);

/**
 * One row per racer: { racer, label, lr (the rate it trained with, rateOf), runs (results that
 * arrived), failed (their errors), diverged (runs whose final loss is not finite), and each
 * measure's spread }.
 */
export function summarize(labels, jobs, outcomes) {
  return labels.map((label, racer) => {
    const mine = jobs
      .map((job, k) => ({ job, o: outcomes[k] }))
      .filter((x) => x.job.racer === racer);
    const results = mine.filter((x) => x.o?.result).map((x) => x.o.result);
    const row = {
      racer,
      label,
      lr: mine.length ? rateOf(mine[0].job.config.optimizer) : undefined,
      runs: results.length,
      failed: mine.filter((x) => x.o?.error).map((x) => x.o.error),
      diverged: results.filter((r) => !Number.isFinite(r.trainLoss)).length,
    };
    for (const key of MEASURES) row[key] = spread(results.map((r) => r[key]));
    return row;
  });
}

/**
 * The accuracy curves of every racer, averaged over its seeds: { x (steps), values (per racer
 * [test, train]) }. Runs of one racer share their evaluation steps.
 */
export function accuracyCurves(jobs, outcomes, racers) {
  const first = outcomes.find((o) => o?.result)?.result;
  if (!first) return { x: [], values: [] };
  const x = Array.from(first.history.evalSteps);
  const mean = (racer, key) =>
    x.map((_, i) => {
      const v = jobs
        .map((job, k) =>
          job.racer === racer ? outcomes[k]?.result?.history?.[key]?.[i] : undefined,
        )
        .filter(Number.isFinite);
      return v.length ? v.reduce((a, b) => a + b, 0) / v.length : null;
    });
  return {
    x,
    values: Array.from({ length: racers }, (_, r) => [
      mean(r, 'testAccuracy'),
      mean(r, 'trainAccuracy'),
    ]),
  };
}

const pct = (v) => `${formatNumber(100 * v, 3)}%`;
const pm = (s, f) => `${f(s.mean)} ± ${f(s.sd)}`;

/** What the runs measured, in sentences of `lang` (t from i18n). */
export function digitsCaption(t, lang, seeds, rows) {
  const lines = [];
  const ok = rows.filter((r) => r.testAccuracy.n > 0);
  const problems = rows.flatMap((r) => [
    ...(r.diverged
      ? [t(lang, 'digitsDiverged', { racer: r.label, k: r.diverged, n: r.runs })]
      : []),
    ...(r.failed.length ? [t(lang, 'digitsFailed', { racer: r.label, message: r.failed[0] })] : []),
  ]);
  if (!ok.length) return [t(lang, 'digitsNothing'), ...problems];
  const by = (key, dir) =>
    [...ok]
      .filter((r) => Number.isFinite(r[key].mean))
      .sort((a, b) => dir * (a[key].mean - b[key].mean));
  const best = by('testAccuracy', -1)[0];
  lines.push(
    t(lang, 'digitsBest', { n: seeds, racer: best.label, acc: pm(best.testAccuracy, pct) }),
  );
  const gaps = by('gap', -1);
  if (gaps.length > 1) {
    const f = (v) => formatNumber(v, 3);
    lines.push(
      t(lang, 'digitsGap', {
        big: gaps[0].label,
        bigGap: pm(gaps[0].gap, f),
        small: gaps.at(-1).label,
        smallGap: pm(gaps.at(-1).gap, f),
      }),
    );
  }
  const sharp = by('eigenvalue', -1);
  if (sharp.length > 1) {
    const f = (v) => formatNumber(v, 3);
    lines.push(
      t(lang, 'digitsSharp', {
        sharp: sharp[0].label,
        sharpL: pm(sharp[0].eigenvalue, f),
        flat: sharp.at(-1).label,
        flatL: pm(sharp.at(-1).eigenvalue, f),
      }),
    );
  }
  lines.push(...problems);
  return lines;
}

/**
 * The line between the small-batch solution (alpha 0) and the full-batch one (alpha 1), as a
 * sentence: the training loss at each end and its highest value between them (a barrier when
 * it rises above both ends).
 */
export function sliceLine(t, lang, slice) {
  const f = (v) => formatNumber(v, 3);
  const at = (alpha) => {
    let k = 0;
    for (let i = 1; i < slice.alphas.length; i++) {
      if (Math.abs(slice.alphas[i] - alpha) < Math.abs(slice.alphas[k] - alpha)) k = i;
    }
    return k;
  };
  const a = at(0);
  const b = at(1);
  let top = a;
  for (let i = Math.min(a, b); i <= Math.max(a, b); i++)
    if (slice.train[i] > slice.train[top]) top = i;
  const barrier = slice.train[top] > Math.max(slice.train[a], slice.train[b]);
  return t(lang, barrier ? 'digitsSliceBarrier' : 'digitsSliceNoBarrier', {
    small: f(slice.train[a]),
    large: f(slice.train[b]),
    top: f(slice.train[top]),
    alpha: f(slice.alphas[top]),
  });
}
