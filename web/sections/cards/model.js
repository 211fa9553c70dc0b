// SPDX-License-Identifier: MIT
// What the racer cards offer beyond the core's metadata: schedules whose required parameters
// fit the race (steps, learning rate), presets for the list-valued ones (warm-up then cosine,
// ...), and a readable summary of a schedule list. Pure: no DOM.

import { formatNumber, scheduleLabel } from '../../i18n.js';

/** A schedule spec with its required parameters filled to suit `steps` and learning rate `lr`. */
export function scheduleTemplate(name, steps, lr) {
  const third = Math.max(1, Math.round(steps / 3));
  const tenth = Math.max(1, Math.round(steps / 10));
  const p = {
    step: { step_size: third },
    multistep: { milestones: [Math.round(steps / 2), Math.round((3 * steps) / 4)] },
    exponential: { gamma: 0.99 },
    cosine: { t_max: steps },
    cosine_warm_restarts: { t_0: Math.max(1, Math.round(steps / 4)) },
    cyclic: {
      base_lr: Number((lr / 10).toPrecision(3)),
      max_lr: lr,
      step_size_up: Math.max(1, Math.round(steps / 6)),
    },
    one_cycle: { max_lr: lr, total_steps: steps },
    linear_warmup: { warmup_steps: tenth },
    exponential_warmup: { tau: Math.max(1, Math.round(steps / 20)) },
  }[name];
  if (name === 'sequential') return schedulePreset('warmup-cosine', steps);
  if (name === 'chain') return schedulePreset('warmup-x-cosine', steps);
  return { name, params: p ?? {} };
}

export const PRESETS = {
  sequential: [
    ['warmup-cosine', 'presetWarmupCosine'],
    ['warmup-constant', 'presetWarmupConstant'],
  ],
  chain: [
    ['warmup-x-cosine', 'presetWarmupTimesCosine'],
    ['warmup-x-step', 'presetWarmupTimesStep'],
  ],
};

export function schedulePreset(preset, steps) {
  const w = Math.max(1, Math.round(steps / 10));
  const warm = { name: 'linear_warmup', params: { warmup_steps: w, start_factor: 0.1 } };
  switch (preset) {
    case 'warmup-constant':
      return {
        name: 'sequential',
        params: { schedules: [warm, { name: 'constant', params: {} }], milestones: [w] },
      };
    case 'warmup-x-cosine':
      return {
        name: 'chain',
        params: { schedules: [warm, { name: 'cosine', params: { t_max: steps } }] },
      };
    case 'warmup-x-step':
      return {
        name: 'chain',
        params: {
          schedules: [
            warm,
            { name: 'step', params: { step_size: Math.max(1, Math.round(steps / 3)) } },
          ],
        },
      };
    default:
      return {
        name: 'sequential',
        params: {
          schedules: [warm, { name: 'cosine', params: { t_max: Math.max(1, steps - w) } }],
          milestones: [w],
        },
      };
  }
}

/** Which preset a sequential/chain spec is, or null (then the link's own list is kept). */
export function presetOf(schedule, steps) {
  for (const [preset] of PRESETS[schedule.name] ?? []) {
    if (
      JSON.stringify(schedulePreset(preset, steps).params.schedules.map((s) => s.name)) ===
      JSON.stringify(schedule.params.schedules?.map((s) => s.name))
    ) {
      return preset;
    }
  }
  return null;
}

/** "linear_warmup(warmup_steps=30) → cosine(t_max=270)": a readable summary of a list. */
export function describeList(schedule, lang, schedulesMeta) {
  const parts = (schedule.params.schedules ?? []).map((s) => {
    const meta = schedulesMeta.get(s.name);
    const args = Object.entries(s.params ?? {})
      .filter(([k, v]) => {
        const p = meta?.params.find((q) => q.name === k);
        return !p || JSON.stringify(p.default) !== JSON.stringify(v);
      })
      .map(([k, v]) => `${k}=${Array.isArray(v) ? `[${v}]` : formatNumber(v, 4)}`);
    return `${scheduleLabel(lang, meta, s.name)}${args.length ? ` (${args.join(', ')})` : ''}`;
  });
  const glue = schedule.name === 'chain' ? ' × ' : ' → ';
  const ms = schedule.params.milestones;
  return parts.join(glue) + (ms?.length ? `  [${ms.join(', ')}]` : '');
}
