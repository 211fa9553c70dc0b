// SPDX-License-Identifier: MIT
// Racers' names in legends, captions and tables: the method's short name, then what tells
// racers apart, so that four "SGDM"s under four schedules read as four: the schedule ("SGDM ·
// CLR"), weight decay as L2 in the gradient ("Adam + L2") or decoupled ("Adam + decoupled";
// AdamW's and SGDW's own names say it), moments without bias correction ("Adam
// (uncorrected)"), and, when two racers still share a name, the first hyperparameter they
// differ in ("SGDM η=0.01"), or else their number ("SGDM #3"). Pure: no DOM.

import { formatNumber, methodShort } from '../i18n.js';

/** Short names of the schedules for legends (the full names are i18n.js scheduleLabel). */
const SHORT_SCHEDULES = {
  en: {
    constant: 'constant',
    step: 'step decay',
    multistep: 'multistep',
    exponential: 'exp. decay',
    inverse_sqrt: '1/√t',
    cosine: 'cosine',
    cosine_warm_restarts: 'SGDR',
    cyclic: 'CLR',
    one_cycle: 'one-cycle',
    linear_warmup: 'warm-up',
    exponential_warmup: 'exp. warm-up',
    sequential: 'sequential',
    chain: 'chain',
  },
  zh: {
    constant: '常数',
    step: '阶梯衰减',
    multistep: '多阶段衰减',
    exponential: '指数衰减',
    inverse_sqrt: '1/√t',
    cosine: '余弦',
    cosine_warm_restarts: 'SGDR',
    cyclic: 'CLR',
    one_cycle: '单周期',
    linear_warmup: '预热',
    exponential_warmup: '指数预热',
    sequential: '依次',
    chain: '组合',
  },
};

/** Symbols of the hyperparameters a name may show. */
const SYMBOLS = {
  lr: 'η',
  momentum: 'μ',
  beta1: 'β1',
  beta2: 'β2',
  eps: 'ε',
  weight_decay: 'λ',
};

export function scheduleShort(lang, name) {
  return SHORT_SCHEDULES[lang]?.[name] ?? SHORT_SCHEDULES.en[name] ?? name;
}

/** Methods whose weight decay is decoupled from the gradient by definition. */
const DECOUPLED = new Set(['adamw', 'sgdw']);

/**
 * How the racer's weight decay shows in its name: ' + L2' for a penalty added to the gradient,
 * ' + decoupled' for decay outside it asked of a method that has the choice, '' otherwise
 * (AdamW's and SGDW's names say it).
 */
function decaySuffix(lang, racer) {
  const h = racer.optimizer.hyperparameters ?? {};
  if (!(h.weight_decay > 0) || DECOUPLED.has(racer.optimizer.name)) return '';
  if (h.decoupled_weight_decay === true) return lang === 'zh' ? ' + 解耦衰减' : ' + decoupled';
  return ' + L2';
}

/** ' (uncorrected)' for an Adam-family racer whose moments are not bias-corrected. */
function biasSuffix(lang, racer) {
  if (racer.optimizer.hyperparameters?.bias_correction !== false) return '';
  return lang === 'zh' ? '（无偏差修正）' : ' (uncorrected)';
}

/** The first hyperparameter (in the method's order) whose value differs within `group`. */
function differing(group, methodsByName) {
  const first = group[0].racer.optimizer;
  const names = (methodsByName.get(first.name)?.params ?? []).map((p) => p.name);
  const keys = names.length ? names : Object.keys(first.hyperparameters ?? {});
  return keys.find((key) => {
    const values = group.map(({ racer }) => racer.optimizer.hyperparameters?.[key]);
    return (
      values.every((v) => typeof v === 'number') && values.some((v) => !Object.is(v, values[0]))
    );
  });
}

/**
 * racers: the store's racers ({ optimizer: { name, hyperparameters }, schedule }).
 * Returns one name per racer, distinct whenever the racers are.
 */
export function racerLabels(lang, racers, methodsByName) {
  const names = racers.map((racer) => {
    let name = methodShort(lang, methodsByName.get(racer.optimizer.name), racer.optimizer.name);
    name += decaySuffix(lang, racer) + biasSuffix(lang, racer);
    if (racer.schedule && racer.schedule.name !== 'constant') {
      name += ` · ${scheduleShort(lang, racer.schedule.name)}`;
    }
    return name;
  });
  const groups = new Map();
  names.forEach((name, i) => {
    if (!groups.has(name)) groups.set(name, []);
    groups.get(name).push({ racer: racers[i], i });
  });
  for (const group of groups.values()) {
    if (group.length < 2) continue;
    const sameMethod = group.every(
      ({ racer }) => racer.optimizer.name === group[0].racer.optimizer.name,
    );
    const key = sameMethod ? differing(group, methodsByName) : undefined;
    for (const { racer, i } of group) {
      names[i] += key
        ? ` ${SYMBOLS[key] ?? key}=${formatNumber(racer.optimizer.hyperparameters[key])}`
        : ` #${i + 1}`;
    }
  }
  // Two racers may differ in a second hyperparameter only: their numbers tell them apart.
  const seen = new Map();
  names.forEach((name) => seen.set(name, (seen.get(name) ?? 0) + 1));
  return names.map((name, i) => (seen.get(name) > 1 ? `${name} #${i + 1}` : name));
}
