// SPDX-License-Identifier: MIT
// The lecture tour's chapters, in the order of Hung-yi Lee's "New Optimizers for Deep Learning":
// each chapter is a state (a link without `v=1`), the update rules it shows, a short text in
// English and Chinese, and a caption that reads the runs on the screen, so that the caption
// says what the race did, also when a student changes a knob and the race contradicts the
// lecture. Pure: no DOM.
//
// caption(view): view = { lang, racers: [{ label, result }], state }, racers[i] the run of
// state.racers[i] (result null while it is missing). A caption never throws: with no result it
// says so, with fewer or other racers it speaks of the ones there are.

import { t } from '../../i18n.js';
import { streamCaption } from '../stream/model.js';
import { rangeCaption } from '../tools/model.js';
import { distance, endPoint, finalLoss, formatNumber, pointAt, series, stepsTo } from './model.js';

// ---------------------------------------------------------------------------
// reading a view

/** The English or the Chinese text. */
const say = (lang, en, zh) => (lang === 'zh' ? zh : en);

/** A number for a caption: formatNumber, '∞' for an overflow, '–' for a missing value. */
function num(x, digits = 3) {
  if (typeof x !== 'number' || Number.isNaN(x)) return '–';
  if (!Number.isFinite(x)) return x > 0 ? '∞' : '−∞';
  return formatNumber(x, digits);
}

/** A point [x, y] as "(x, y)". */
const at = (p) => (p ? `(${num(round(p[0]))}, ${num(round(p[1]))})` : '–');

/** A coordinate for a caption: values below 5e-4 in size read as 0. */
const round = (v) => (Math.abs(v) < 5e-4 ? 0 : v);

/**
 * The racers that have a result, each as { label, result, index, spec }: spec is the racer of
 * the state at the same place (null when the state has none).
 */
function runs(view) {
  const specs = view?.state?.racers ?? [];
  return (view?.racers ?? [])
    .map((r, index) => ({
      label: r?.label ?? `#${index + 1}`,
      result: r?.result ?? null,
      index,
      spec: specs[index] ?? null,
    }))
    .filter((r) => r.result && r.result.loss && r.result.loss.length > 0);
}

/** The optimizer's name of a run ('lookahead' for Lookahead, whatever its inner method). */
const method = (r) => r?.spec?.optimizer?.name ?? null;

/** A hyperparameter of a run's optimizer, or `fallback`. */
const hyper = (r, key, fallback = null) => r?.spec?.optimizer?.hyperparameters?.[key] ?? fallback;

/** The schedule's name of a run, or null for a constant learning rate. */
const scheduleOf = (r) => r?.spec?.schedule?.name ?? null;

/** The first run whose method is one of `names` (and passes `test`), or null. */
const first = (list, names, test = () => true) =>
  list.find((r) => names.includes(method(r)) && test(r)) ?? null;

/** The caption when no racer has a result. */
const noRuns = (lang) => say(lang, 'No racer has a result to read yet.', '还没有可以读取的结果。');

/** Number of updates of a run. */
const updates = (result) => Math.max(0, (result?.loss?.length ?? 1) - 1);

/** State series `name` at update t (1-based), coordinate i, or null. */
function valueAt(result, name, t, i = 0) {
  const s = series(result, name);
  if (!s || t < 1) return null;
  const k = (t - 1) * s.width + i;
  return k < s.values.length ? s.values[k] : null;
}

/** The first update t whose value of series `name` (coordinate 0) passes `test`, or null. */
function firstUpdate(result, name, test) {
  const s = series(result, name);
  if (!s) return null;
  for (let t = 1; t * s.width <= s.values.length; t++) {
    if (test(s.values[(t - 1) * s.width])) return t;
  }
  return null;
}

/** Number of updates recorded in series `name`. */
function seriesLength(result, name) {
  const s = series(result, name);
  return s ? Math.floor(s.values.length / s.width) : 0;
}

/** "label ends at f = …" or "label diverged at update n". */
function ending(lang, r) {
  if (r.result.diverged) {
    return say(
      lang,
      `${r.label} diverged at update ${num(r.result.divergedAt)}`,
      `${r.label} 在第 ${num(r.result.divergedAt)} 步发散`,
    );
  }
  return say(
    lang,
    `${r.label} ends at f = ${num(finalLoss(r.result))}`,
    `${r.label} 最后 f = ${num(finalLoss(r.result))}`,
  );
}

/** "label ends at (x, y), f = …" or "label diverged at update n". */
function placed(lang, r) {
  if (r.result.diverged) return ending(lang, r);
  const p = at(endPoint(r.result));
  const f = num(finalLoss(r.result));
  return say(lang, `${r.label} ends at ${p}, f = ${f}`, `${r.label} 停在 ${p}，f = ${f}`);
}

/** The endings of all runs joined into one clause. */
const endings = (lang, list) => list.map((r) => ending(lang, r)).join(say(lang, '; ', '；'));

/** The learning rate of update t (1-based) of a run, or null. */
const lrAt = (result, t) =>
  result?.lr && t >= 1 && t <= result.lr.length ? result.lr[t - 1] : null;

/** Whether a run's loss ever rose above its start loss by a factor (a blow-up). */
function blewUp(result) {
  if (result.diverged) return true;
  const f0 = result.loss[0];
  const f = finalLoss(result);
  return !Number.isFinite(f) || f > Math.max(10 * Math.abs(f0), Math.abs(f0) + 1);
}

/** Updates of a run at which its learning rate jumped up (a restart or the start of a cycle). */
function lrJumps(result) {
  const out = [];
  const lr = result?.lr ?? [];
  for (let k = 1; k < lr.length; k++) if (lr[k] > lr[k - 1] * 1.5) out.push(k + 1);
  return out;
}

/** Updates of a run at which its learning rate has a local maximum (peaks of a cycle). */
function lrPeaks(result) {
  const out = [];
  const lr = result?.lr ?? [];
  for (let k = 1; k < lr.length - 1; k++) {
    if (lr[k] > lr[k - 1] && lr[k] >= lr[k + 1]) out.push(k + 1);
  }
  return out;
}

/** The smallest and largest learning rate of a run, or null. */
function lrRange(result) {
  const lr = result?.lr ?? [];
  if (!lr.length) return null;
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of lr) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  return [lo, hi];
}

/** A list of at most `n` numbers, with "…" when it is longer. */
const few = (list, n = 4) =>
  list
    .slice(0, n)
    .map((v) => num(v))
    .join(', ') + (list.length > n ? ', …' : '');

/**
 * Where a run ends on the twin-basin surface: 'sharp' or 'flat' within 0.5 of that well's
 * centre (the lab's rule for "elsewhere"), 'elsewhere', or 'diverged'.
 */
function basin(state, result) {
  if (result.diverged) return 'diverged';
  const p = state?.fn?.params ?? {};
  const d = p.distance ?? 4;
  const e = endPoint(result);
  if (!e) return 'elsewhere';
  const u = e[0] - (p.shift_x ?? 0);
  const v = e[1] - (p.shift_y ?? 0);
  if (Math.hypot(u + d / 2, v) < 0.5) return 'sharp';
  if (Math.hypot(u - d / 2, v) < 0.5) return 'flat';
  return 'elsewhere';
}

const BASIN_WORDS = {
  en: {
    sharp: 'the sharp minimum',
    flat: 'the flat minimum',
    elsewhere: 'neither minimum',
    diverged: 'nowhere (it diverged)',
  },
  zh: {
    sharp: '尖锐的极小值',
    flat: '平坦的极小值',
    elsewhere: '两个极小值之外',
    diverged: '发散',
  },
};

/** "label: the flat minimum (f = …)" for every run on the twin-basin surface. */
function basins(lang, state, list) {
  const words = BASIN_WORDS[lang] ?? BASIN_WORDS.en;
  return list
    .map((r) => {
      const b = basin(state, r.result);
      const f = b === 'diverged' ? '' : ` (f = ${num(finalLoss(r.result), 4)})`;
      return say(lang, `${r.label} ends in ${words[b]}${f}`, `${r.label} 停在${words[b]}${f}`);
    })
    .join(say(lang, '; ', '；'));
}

// ---------------------------------------------------------------------------
// Adam's first steps (the warm-up chapter)

/** Methods whose step is scaled per coordinate by √v: their step is about η long at most. */
const ADAPTIVE = new Set(['adam', 'adamw', 'amsgrad', 'nadam', 'radam', 'adamax', 'adabound']);

/** Updates whose lengths the warm-up chapter sums. */
const FIRST_STEPS = 10;

/** The total length and the longest of the first `n` steps of a run: [total, longest]. */
function firstMoves(result, n) {
  let total = 0;
  let longest = 0;
  const last = Math.min(n, updates(result));
  for (let t = 1; t <= last; t++) {
    const d = distance(pointAt(result, t - 1), pointAt(result, t));
    total += d;
    longest = Math.max(longest, d);
  }
  return [total, longest];
}

/** "Adam's first 10 steps moved it … in all (the longest …); with warm-up …" and the ends. */
function firstSteps(lang, plain, warm) {
  const [a, la] = firstMoves(plain.result, FIRST_STEPS);
  const [b, lb] = firstMoves(warm.result, FIRST_STEPS);
  const eta = hyper(plain, 'lr');
  return say(
    lang,
    `${plain.label}\u2019s first ${FIRST_STEPS} steps moved it ${num(a)} in all, the longest ${num(la)} (η = ${num(eta)}); ${warm.label}\u2019s ${num(b)}, the longest ${num(lb)}. ${endings(lang, [plain, warm])}.`,
    `${plain.label} 的前 ${FIRST_STEPS} 步一共移动 ${num(a)}，最长的一步 ${num(la)}（η = ${num(eta)}）；${warm.label} 一共 ${num(b)}，最长 ${num(lb)}。${endings(lang, [plain, warm])}。`,
  );
}

// ---------------------------------------------------------------------------
// Lookahead's chapters

/** How often Lookahead pulled its weights back (its `synced` series). */
function syncCount(result) {
  const s = series(result, 'synced');
  let n = 0;
  if (s) for (const v of s.values) if (v >= 1) n++;
  return n;
}

/** How often a run's x crossed `mid` (between the twin basin's wells) from one step to the next. */
function crossings(result, mid) {
  const n = result.trajectory.length / 2;
  let count = 0;
  for (let t = 1; t < n; t++) {
    const a = result.trajectory[2 * t - 2] - mid;
    const b = result.trajectory[2 * t] - mid;
    if ((a < 0 && b >= 0) || (a >= 0 && b < 0)) count++;
  }
  return count;
}

// ---------------------------------------------------------------------------
// the custom double well of the momentum and noise chapters

/** f = (x² − 1)² + 0.3x + y²: a shallow minimum near x = 0.96, the global one near x = −1.04. */
const DOUBLE_WELL = '(x^2-1)^2+0.3*x+y^2';

/** Whether the state's surface is the double well (so "x < 0" means the deeper, left well). */
const onDoubleWell = (state) =>
  state?.fn?.name === 'custom' &&
  String(state.fn.params?.expression ?? state.fn.params?.expr ?? '').replaceAll(' ', '') ===
    DOUBLE_WELL;

/** The first iterate of a run left of x = 0 (in the deeper well of the double well), or null. */
function firstLeft(result) {
  const n = result.trajectory.length / 2;
  for (let t = 0; t < n; t++) if (result.trajectory[2 * t] < 0) return t;
  return null;
}

// ---------------------------------------------------------------------------
// the chapters of the gradient-stream lab

/**
 * A stream chapter's caption: what the gradient-stream lab's runs measured (view.stream =
 * { stream: the lab's inputs, runs: [{ label, result }] }, absent while the lab computes).
 */
function streamChapterCaption(view) {
  const lang = view?.lang ?? 'en';
  const runs = view?.stream?.runs;
  if (!Array.isArray(runs) || runs.length !== 2 || !runs.every((r) => r?.result)) {
    return say(
      lang,
      'The gradient-stream lab below the race is computing this chapter\u2019s runs.',
      '比赛下方的梯度序列实验正在计算本章的运行。',
    );
  }
  return streamCaption(t, lang, view.stream.stream, runs).join(' ');
}

/**
 * A range-test chapter's caption: what the learning-rate tools' range test of the selected
 * racer measured (view.range = { result, label }, absent while it runs).
 */
function rangeChapterCaption(view) {
  const lang = view?.lang ?? 'en';
  const range = view?.range;
  if (!range?.result) {
    return say(
      lang,
      'The range test below the race is computing this chapter\u2019s run.',
      '比赛下方的学习率工具正在计算本章的范围测试。',
    );
  }
  return rangeCaption(t, lang, range.result, range.label).join(' ');
}

// ---------------------------------------------------------------------------
// the chapters

/** @type {Array<object>} the lecture's chapters, in order */
/** A chapter's caption: the step at which each racer first reached f ≤ 0.001, and its end. */
function reachedCaption(view) {
  const { lang } = view;
  const list = runs(view);
  if (!list.length) return noRuns(lang);
  const parts = list.map((r) => {
    const t = stepsTo(r.result, 1e-3);
    return t === null
      ? say(
          lang,
          `${r.label} did not reach f ≤ 0.001 (${ending(lang, r)})`,
          `${r.label} 没有达到 f ≤ 0.001（${ending(lang, r)}）`,
        )
      : say(
          lang,
          `${r.label} reached f ≤ 0.001 at step ${t} (${ending(lang, r)})`,
          `${r.label} 在第 ${t} 步达到 f ≤ 0.001（${ending(lang, r)}）`,
        );
  });
  return parts.join(say(lang, '; ', '；')) + say(lang, '.', '。');
}

export const CHAPTERS = [
  {
    id: 'sgd-lr',
    title: { en: 'SGD and the learning rate', zh: 'SGD 与学习率' },
    link: 'fn=quadratic&steps=100&r=sgd(lr=0.01)&r=sgd(lr=0.1)&r=sgd(lr=0.21)',
    ask: 'lowest',
    question: {
      en: 'Three SGDs with η = 0.01, 0.1 and 0.21: which one ends lowest?',
      zh: '学习率 η = 0.01、0.1、0.21 的三个 SGD，哪一个最后的 loss 最低？',
    },
    tex: [
      { method: 'sgd' },
      '\\text{stable on } \\tfrac12 \\lambda x^2 \\iff |1 - \\eta\\lambda| < 1 \\iff \\eta < 2/\\lambda',
    ],
    text: {
      en: 'SGD steps against the gradient by η times its size. Too small an η crawls; on a bowl whose steepest curvature is λ, every step multiplies the error along that direction by 1 − ηλ, so beyond η = 2/λ each step overshoots farther than the last and the run blows up.',
      zh: 'SGD 沿梯度反方向走 η 倍梯度大小的一步。η 太小就走得很慢；在最大曲率为 λ 的碗里，每一步把那个方向上的误差乘上 1 − ηλ，所以 η 超过 2/λ 时每一步都越冲越远，训练就发散了。',
    },
    look: {
      en: 'The loss chart (log scale): the small η descends slowly, the middle one straight down, the largest one climbs. On the figure the largest η zig-zags across the narrow y direction.',
      zh: '看 loss 图（对数坐标）：小 η 下降得慢，中间的直线下降，最大的反而往上爬。图上最大的 η 在窄的 y 方向来回震荡。',
    },
    try: {
      en: 'Set the last racer to η = 0.19: just under 2/λ it still converges, zig-zagging; then change b of the bowl and watch the bound 2/λ move.',
      zh: '把最后一个 racer 改成 η = 0.19：刚好小于 2/λ，它会一边震荡一边收敛；再改变碗的参数 b，看 2/λ 这个界如何移动。',
    },
    caption(view) {
      const { lang, state } = view;
      const list = runs(view);
      if (!list.length) return noRuns(lang);
      const p = state?.fn?.name === 'quadratic' ? (state.fn.params ?? {}) : null;
      const lambda = p ? Math.max(p.a ?? 1, p.b ?? 10) : null;
      const bound = lambda ? 2 / lambda : null;
      const head = bound
        ? say(
            lang,
            `The steepest curvature here is λ = ${num(lambda)}, so SGD is stable only for η < 2/λ = ${num(bound)}. `,
            `这里最大的曲率 λ = ${num(lambda)}，所以 SGD 只有在 η < 2/λ = ${num(bound)} 时才稳定。`,
          )
        : '';
      const parts = list.map((r) => {
        const eta = method(r) === 'sgd' && !scheduleOf(r) ? lrAt(r.result, 1) : null;
        const name =
          eta === null || r.label.includes('η') ? r.label : `${r.label} (η = ${num(eta)})`;
        if (blewUp(r.result)) {
          return say(
            lang,
            `${name} blew up: f = ${num(finalLoss(r.result))} after ${updates(r.result)} steps`,
            `${name} 发散了：${updates(r.result)} 步后 f = ${num(finalLoss(r.result))}`,
          );
        }
        const t = stepsTo(r.result, 1e-6);
        if (t !== null) {
          return say(
            lang,
            `${name} reached f ≤ 1e-6 at step ${t}`,
            `${name} 在第 ${t} 步达到 f ≤ 1e-6`,
          );
        }
        return say(
          lang,
          `${name} only got to f = ${num(finalLoss(r.result))} in ${updates(r.result)} steps`,
          `${name} 走了 ${updates(r.result)} 步只到 f = ${num(finalLoss(r.result))}`,
        );
      });
      return head + parts.join(say(lang, '; ', '；')) + say(lang, '.', '。');
    },
  },

  {
    id: 'momentum',
    title: { en: 'SGD with momentum', zh: 'SGD with Momentum (SGDM)' },
    link: `fn=custom&expr=${DOUBLE_WELL.replaceAll('+', '%2B')}&view=-2.5,2.5,-1.5,1.5&start=2,0.5&r=sgd(lr=0.01)&r=sgd_momentum(lr=0.01)`,
    ask: 'lowest',
    question: {
      en: 'SGD and SGDM start on the right of a shallow local minimum: which one ends lower?',
      zh: 'SGD 和 SGDM 都从一个浅的局部极小值右边出发，谁最后更低？',
    },
    tex: [{ method: 'sgd' }, { method: 'sgd_momentum' }],
    text: {
      en: 'SGD stops wherever the gradient is about zero, so it settles in the first local minimum it meets. Momentum adds the previous movement to the step: like a ball rolling downhill, SGDM keeps speed when the slope vanishes and can roll over a small bump into a deeper minimum.',
      zh: 'SGD 在梯度接近零的地方就停下来，所以会停在遇到的第一个局部极小值。Momentum 把之前的移动加进这一步：像一颗往下滚的球，梯度消失时 SGDM 还保有速度，可以翻过小山丘到更深的极小值。',
    },
    look: {
      en: 'The figure: SGD stops in the right-hand dip, SGDM overshoots it, climbs the bump and ends in the left, deeper well. The state chart shows SGDM\u2019s momentum m.',
      zh: '看图：SGD 停在右边的凹处，SGDM 冲过它、爬过山丘，停在左边更深的谷底。状态图显示 SGDM 的动量 m。',
    },
    try: {
      en: 'Lower SGDM\u2019s momentum to 0.5 or its η to 0.002: it no longer has the speed to pass the bump.',
      zh: '把 SGDM 的 momentum 降到 0.5 或 η 降到 0.002：它就没有足够的速度翻过山丘了。',
    },
    caption(view) {
      const { lang } = view;
      const list = runs(view);
      if (!list.length) return noRuns(lang);
      const plain = first(list, ['sgd']);
      const heavy = first(list, ['sgd_momentum', 'momentum_classic', 'nag']);
      if (!plain || !heavy) return endings(lang, list) + say(lang, '.', '。');
      const a = plain.result;
      const b = heavy.result;
      if (a.diverged || b.diverged) return endings(lang, [plain, heavy]) + say(lang, '.', '。');
      const fa = finalLoss(a);
      const fb = finalLoss(b);
      const where = (r) =>
        say(
          lang,
          `at ${at(endPoint(r.result))}, f = ${num(finalLoss(r.result))}`,
          `${at(endPoint(r.result))}，f = ${num(finalLoss(r.result))}`,
        );
      if (fb < fa - 0.01 * Math.max(1, Math.abs(fa))) {
        return say(
          lang,
          `${plain.label} stopped where the gradient vanished, ${where(plain)}; ${heavy.label} kept its speed, rolled past that minimum and ends ${where(heavy)}.`,
          `${plain.label} 停在梯度消失的地方：${where(plain)}；${heavy.label} 保持速度，越过那个极小值，最后停在 ${where(heavy)}。`,
        );
      }
      if (fa < fb - 0.01 * Math.max(1, Math.abs(fb))) {
        return say(
          lang,
          `This time ${heavy.label} did not pass: it ends ${where(heavy)}, above ${plain.label} (${where(plain)}).`,
          `这次 ${heavy.label} 没有越过去：它停在 ${where(heavy)}，比 ${plain.label}（${where(plain)}）还高。`,
        );
      }
      return say(
        lang,
        `This time both end in the same place: ${plain.label} ${where(plain)}, ${heavy.label} ${where(heavy)}; momentum made no difference.`,
        `这次两者停在同一处：${plain.label} ${where(plain)}，${heavy.label} ${where(heavy)}；momentum 没有带来差别。`,
      );
    },
  },

  {
    id: 'adagrad-rmsprop',
    title: { en: 'Adagrad and RMSProp', zh: 'Adagrad 与 RMSProp' },
    link: 'fn=quadratic&steps=2000&noise=1&series=effective_lr&overlay=all&r=adagrad(lr=0.5)&r=rmsprop(lr=0.05)',
    tex: [{ method: 'adagrad' }, { method: 'rmsprop' }],
    text: {
      en: 'Adagrad divides η by the root of the sum of all past squared gradients: the sum only grows, so its effective learning rate shrinks forever, even where the run still needs to move. RMSProp replaces the sum by a moving average, which forgets old gradients, so its effective rate settles at the level of the recent gradients.',
      zh: 'Adagrad 把 η 除以过去所有梯度平方和的平方根：这个和只会变大，所以它的有效学习率会一直变小，即使还需要继续前进。RMSProp 把总和换成移动平均，会忘掉旧的梯度，所以有效学习率会稳定在最近梯度的水平。',
    },
    look: {
      en: 'The state chart overlays both racers\u2019 effective learning rates (x solid, y dashed): Adagrad\u2019s curves keep falling, RMSProp\u2019s level off. The gradient noise keeps the gradients from vanishing.',
      zh: '状态图把两个 racer 的有效学习率画在一起（x 实线，y 虚线）：Adagrad 的曲线一直下降，RMSProp 的趋于平稳。梯度噪声让梯度不会消失。',
    },
    try: {
      en: 'Set the noise to 0: the gradients shrink near the minimum and RMSProp\u2019s effective rate grows again, while Adagrad\u2019s still only falls.',
      zh: '把噪声设为 0：接近极小值时梯度变小，RMSProp 的有效学习率会再次变大，而 Adagrad 的仍然只会下降。',
    },
    caption(view) {
      const { lang } = view;
      const list = runs(view);
      if (!list.length) return noRuns(lang);
      const parts = list
        .filter((r) => seriesLength(r.result, 'effective_lr') >= 3)
        .slice(0, 3)
        .map((r) => {
          const n = seriesLength(r.result, 'effective_lr');
          const mid = Math.max(2, Math.round(n / 10));
          const e1 = valueAt(r.result, 'effective_lr', 1);
          const em = valueAt(r.result, 'effective_lr', mid);
          const en = valueAt(r.result, 'effective_lr', n);
          const trend =
            en < 0.5 * em
              ? say(lang, 'it keeps shrinking', '一直在变小')
              : en > 2 * em
                ? say(lang, 'it grows again', '又变大了')
                : say(lang, 'it levels off', '趋于稳定');
          return say(
            lang,
            `${r.label}\u2019s effective rate on x is ${num(e1)} at step 1, ${num(em)} at step ${mid} and ${num(en)} at step ${n}: ${trend}`,
            `${r.label} 在 x 上的有效学习率：第 1 步 ${num(e1)}，第 ${mid} 步 ${num(em)}，第 ${n} 步 ${num(en)}：${trend}`,
          );
        });
      if (!parts.length) return endings(lang, list) + say(lang, '.', '。');
      return parts.join(say(lang, '; ', '；')) + say(lang, '.', '。');
    },
  },

  {
    id: 'adam-bias',
    title: { en: 'Adam and its bias correction', zh: 'Adam 与偏差修正' },
    link: 'fn=styblinski_tang&start=-1,-1&steps=200&sel=1&series=effective_lr&r=adam(lr=0.5)&r=adam(lr=0.5,bias_correction=false)',
    ask: 'lowest',
    question: {
      en: 'Adam with and without bias correction, same η, from inside the deepest basin: which ends lowest?',
      zh: '有和没有偏差修正的 Adam，同样的 η，都从最深的谷里出发：谁最后最低？',
    },
    tex: [
      { method: 'adam' },
      '\\text{without correction, step 1: } \\eta\\,\\frac{(1-\\beta_1) g_1}{\\sqrt{(1-\\beta_2) g_1^2}} = \\eta\\,\\frac{1-\\beta_1}{\\sqrt{1-\\beta_2}}\\,\\mathrm{sign}(g_1)',
    ],
    text: {
      en: 'Adam is RMSProp plus momentum: m averages the gradients, v their squares. Both start at 0, so early on they are far too small; dividing by 1 − β₁ᵗ and 1 − β₂ᵗ corrects that. Without the correction the first step is (1 − β₁)/√(1 − β₂) ≈ 3.16 times η for the defaults, and the early steps stay too long until v fills up: here they carry Adam out of the deepest basin.',
      zh: 'Adam 就是 RMSProp 加上 momentum：m 是梯度的平均，v 是梯度平方的平均。两者都从 0 开始，所以一开始都太小；除以 1 − β₁ᵗ 和 1 − β₂ᵗ 就是在修正这个偏差。没有修正时，默认参数下第一步是 η 的 (1 − β₁)/√(1 − β₂) ≈ 3.16 倍，之后的步伐在 v 累积起来之前也一直太长：在这里它们把 Adam 带出了最深的谷。',
    },
    look: {
      en: 'The first steps on the figure: the uncorrected Adam overshoots the minimum at (−2.9, −2.9) and lands in another basin. The state chart shows its effective learning rate: far above η at the start, falling as v fills up.',
      zh: '看图上的最初几步：没有修正的 Adam 冲过 (−2.9, −2.9) 的极小值，落到另一个谷里。状态图显示它的有效学习率：一开始远大于 η，随着 v 累积而下降。',
    },
    try: {
      en: 'Set β₂ = 0.99 on the uncorrected racer: (1 − β₁)/√(1 − β₂) becomes 1, its first step matches the corrected one and it stays in the deep basin.',
      zh: '把没有修正的 racer 的 β₂ 设为 0.99：(1 − β₁)/√(1 − β₂) 变成 1，它的第一步就和有修正的一样，也会留在最深的谷里。',
    },
    caption(view) {
      const { lang } = view;
      const list = runs(view).filter((r) => updates(r.result) >= 1);
      if (!list.length) return noRuns(lang);
      const step1 = (r) => distance(pointAt(r.result, 0), pointAt(r.result, 1));
      const corrected = list.find((r) => method(r) === 'adam' && hyper(r, 'bias_correction', true));
      const raw = list.find(
        (r) => method(r) === 'adam' && hyper(r, 'bias_correction', true) === false,
      );
      if (!corrected || !raw) {
        return (
          list
            .map((r) =>
              say(
                lang,
                `${r.label}\u2019s first step is ${num(step1(r))} long`,
                `${r.label} 的第一步长 ${num(step1(r))}`,
              ),
            )
            .join(say(lang, '; ', '；')) + say(lang, '.', '。')
        );
      }
      const a = step1(corrected);
      const b = step1(raw);
      return say(
        lang,
        `The first step of ${corrected.label} is ${num(a)} long, that of ${raw.label} ${num(b)}: ${num(b / a)} times as long. ${placed(lang, corrected)}; ${placed(lang, raw)}.`,
        `${corrected.label} 的第一步长 ${num(a)}，${raw.label} 的第一步长 ${num(b)}，是前者的 ${num(b / a)} 倍。${placed(lang, corrected)}；${placed(lang, raw)}。`,
      );
    },
  },

  {
    id: 'sharp-flat',
    title: { en: 'Adam vs SGDM: sharp and flat minima', zh: 'Adam 与 SGDM：尖锐与平坦的极小值' },
    link: 'fn=twin_basin&start=-3,2&lab=runs:500,noise:0.3&r=sgd_momentum(lr=0.05)&r=adam(lr=0.05)',
    ask: 'farthest',
    question: {
      en: 'From the edge of the sharp well, which racer ends farthest from its start?',
      zh: '从尖锐谷的边上出发，哪个 racer 最后离起点最远？',
    },
    tex: [{ method: 'sgd_momentum' }, { method: 'adam' }],
    text: {
      en: 'The lecture\u2019s summary of practice: Adam trains fast but can be unstable and often ends with a larger generalization gap; SGDM is slower and more stable and tends to end in flatter minima, where a shift of the loss surface between training and test costs little. This surface has a sharp well on the left and a flat one on the right, of about equal depth.',
      zh: '课程对实践经验的总结：Adam 训练快，但可能不稳定，泛化差距常常较大；SGDM 较慢较稳定，倾向于停在平坦的极小值，训练和测试之间 loss 曲面的偏移在那里代价很小。这个曲面左边是尖锐的谷，右边是平坦的谷，深度差不多。',
    },
    look: {
      en: 'The figure: where each racer ends. One race is one start, not evidence: the Sharp vs flat minima lab below runs each racer from hundreds of random starts (Run ensemble) and counts how often it ends in each well, with the generalization gap; Run over settings repeats that for three noise levels, two run lengths and three seeds and gives each racer\u2019s range of shares, so that the claim is read with its spread.',
      zh: '看图：每个 racer 停在哪里。一次比赛只是一个起点，不是证据：下方的「尖锐与平坦极小值」实验（Run ensemble）从几百个随机起点运行每个 racer，统计它停在每个谷的次数以及泛化差距；「在多组设定下运行」对三种噪声、两种步数和三个种子重复这个实验，给出每个 racer 比例的范围，让结论带着它的离散程度来读。',
    },
    try: {
      en: 'Run the ensemble in the lab and compare the sharp shares; then Run over settings: does SGDM have the smaller sharp share in every ensemble, or only in some? Lower SGDM\u2019s η to 0.01 and see whether it still escapes the sharp well.',
      zh: '在实验区运行 ensemble，比较落在尖锐谷的比例；再点「在多组设定下运行」：SGDM 是在每个集成实验里都更少落在尖锐谷，还是只在其中一些？把 SGDM 的 η 降到 0.01，看它是否还能逃出尖锐的谷。',
    },
    caption(view) {
      const { lang, state } = view;
      const list = runs(view);
      if (!list.length) return noRuns(lang);
      if (state?.fn?.name !== 'twin_basin') return endings(lang, list) + say(lang, '.', '。');
      const runsCount = state?.lab?.runs;
      const tail = runsCount
        ? say(
            lang,
            ` That is one start; Run ensemble repeats it from ${num(runsCount)} random starts.`,
            `这只是一个起点；Run ensemble 会从 ${num(runsCount)} 个随机起点重复。`,
          )
        : '';
      return (
        say(lang, `In this race from ${at(state.start)}: `, `这次从 ${at(state.start)} 出发：`) +
        basins(lang, state, list) +
        say(lang, '.', '。') +
        tail
      );
    },
  },

  {
    id: 'swats',
    title: { en: 'SWATS: from Adam to SGD', zh: 'SWATS：先 Adam 再 SGD' },
    link: 'fn=beale&steps=1000&sel=0&series=phase&r=swats(lr=0.05,switch_eps=0.00001)&r=adam(lr=0.05)',
    tex: [{ method: 'swats' }],
    text: {
      en: 'SWATS (Keskar & Socher 2017) tries to get the best of both teams: start with Adam for speed, then switch to SGD for the end of training. At every Adam step it projects the step on the gradient to estimate an SGD learning rate γ; once the running average of γ stops changing (within switch_eps) it switches, with that average as SGD\u2019s learning rate Λ.',
      zh: 'SWATS（Keskar & Socher 2017）想两边的好处都拿到：开始用 Adam 求快，之后切换到 SGD 来结束训练。每一步 Adam 都把步伐投影到梯度上，估计一个 SGD 学习率 γ；当 γ 的移动平均不再变化（差距小于 switch_eps）时就切换，用这个平均作为 SGD 的学习率 Λ。',
    },
    look: {
      en: 'The state chart shows the phase (0 Adam, 1 SGD); the figure marks the switch on SWATS\u2019s path. Choose the series sgd_lr to see Λ.',
      zh: '状态图显示阶段（0 为 Adam，1 为 SGD）；图上在 SWATS 的路径上标出了切换点。选择 sgd_lr 序列可以看到 Λ。',
    },
    try: {
      en: 'Set switch_eps back to its default 1e-9: on this surface SWATS never switches and stays Adam.',
      zh: '把 switch_eps 改回默认的 1e-9：在这个曲面上 SWATS 永远不会切换，一直是 Adam。',
    },
    caption(view) {
      const { lang } = view;
      const list = runs(view);
      if (!list.length) return noRuns(lang);
      const s = first(list, ['swats']);
      if (!s) return endings(lang, list) + say(lang, '.', '。');
      const others = list.filter((r) => r !== s);
      const rest = others.length
        ? say(lang, ` ${endings(lang, others)}.`, `${endings(lang, others)}。`)
        : '';
      const t = firstUpdate(s.result, 'phase', (v) => v >= 1);
      if (t === null) {
        const eps = hyper(s, 'switch_eps');
        return (
          say(
            lang,
            `Here ${s.label} did not switch in ${updates(s.result)} steps: it stayed Adam; raise switch_eps (now ${num(eps)}). ${ending(lang, s)}.`,
            `这次 ${s.label} 在 ${updates(s.result)} 步内没有切换，一直是 Adam；调大 switch_eps（现在是 ${num(eps)}）。${ending(lang, s)}。`,
          ) + rest
        );
      }
      const lambda = valueAt(s.result, 'sgd_lr', t);
      return (
        say(
          lang,
          `${s.label} ran Adam for ${t - 1} updates and switched to SGD at update ${t}, with Λ = ${num(lambda)}; ${ending(lang, s)}.`,
          `${s.label} 先用 Adam 走了 ${t - 1} 步，在第 ${t} 步切换到 SGD，Λ = ${num(lambda)}；${ending(lang, s)}。`,
        ) + rest
      );
    },
  },

  {
    id: 'rare-gradient',
    title: { en: 'Adam forgets a rare, large gradient', zh: 'Adam 会忘记罕见的大梯度' },
    stream: true,
    link: 'steps=300&r=adam(beta1=0)&r=amsgrad(beta1=0)&seq=1%20x%20999,%20100000,%201%20x%2030000',
    tex: [{ method: 'adam' }, { method: 'amsgrad' }],
    text: {
      en: 'The lecture\u2019s case for AMSGrad, on one coordinate. Among many small, uninformative gradients of 1 comes one of 100000 that carries the information. Adam\u2019s step is m\u0302/\u221av\u0302, so with \u03b2\u2081 = 0 the spike moves x only about \u221a(1/(1 \u2212 \u03b2\u2082)) \u2248 31.6 normal steps at most, not 100000; and v forgets it after some 16000 steps (ln 10\u2077 / \u2212ln 0.999), when the small gradients take over again. AMSGrad keeps the largest v: its steps stay small for good.',
      zh: '课上支持 AMSGrad 的论证，在一维上演示。许多为 1 的小梯度（没有信息）之中，有一个 100000 的大梯度带着信息。Adam 的步长是 m\u0302/\u221av\u0302，所以 \u03b2\u2081 = 0 时这个大梯度最多只让 x 移动约 \u221a(1/(1 \u2212 \u03b2\u2082)) \u2248 31.6 个正常步长，而不是 100000；而且大约 16000 步（ln 10\u2077 / \u2212ln 0.999）之后 v 就忘了它，小梯度又占了上风。AMSGrad 保留最大的 v：它的步长从此一直很小。',
    },
    look: {
      en: 'The gradient-stream lab below the race: the movement chart (log) shows Adam\u2019s one large step at the spike, then tiny steps that climb back to 1 as v decays, while AMSGrad\u2019s stay down; the chart of v beside v\u0302 shows why.',
      zh: '比赛下方的梯度序列实验：移动距离图（对数）显示 Adam 在大梯度处的一大步，之后的步长很小，随着 v 衰减又回升到 1；AMSGrad 的则一直很小。v 与 v\u0302 的图说明了原因。',
    },
    try: {
      en: 'Set \u03b2\u2081 of both to 0.9: momentum spreads the spike over the next steps (the spike\u2019s own step falls to about 3.16). Or shorten the tail to 1 x 1000: Adam has not forgotten yet.',
      zh: '把两者的 \u03b2\u2081 设为 0.9：动量把大梯度分摊到之后的几步（大梯度那一步降到约 3.16）。或把尾部缩短为 1 x 1000：Adam 还没有忘记。',
    },
    caption: streamChapterCaption,
  },

  {
    id: 'amsgrad',
    title: { en: 'AMSGrad: never forget a large gradient', zh: 'AMSGrad：不忘记大的梯度' },
    link: 'fn=custom&expr=-0.1*x-2*tanh(20*(x-1))%2By^2&view=-2.5,2.5,-1.2,1.2&start=-2,0.5&steps=600&series=effective_lr&overlay=all&r=adam(lr=0.02,beta2=0.99)&r=amsgrad(lr=0.02,beta2=0.99)',
    tex: [{ method: 'adam' }, { method: 'amsgrad' }],
    text: {
      en: 'Adam\u2019s v is a moving average, so a few large, informative gradients are forgotten after about 1/(1 − β₂) steps and the many small ones take over again. AMSGrad keeps the largest v seen so far: its effective learning rate can only fall, never recover. Here a steep cliff at x = 1 gives a short burst of large gradients.',
      zh: 'Adam 的 v 是移动平均，少数大而有信息的梯度大约 1/(1 − β₂) 步后就被忘掉，许多小梯度又占了上风。AMSGrad 保留到目前为止最大的 v：它的有效学习率只会下降，不会回升。这里 x = 1 处的陡坡会带来一小段大的梯度。',
    },
    look: {
      en: 'The state chart overlays both effective learning rates (x solid): both drop at the cliff; Adam\u2019s climbs back, AMSGrad\u2019s stays down. On the figure Adam travels farther after the cliff.',
      zh: '状态图把两者的有效学习率画在一起（x 实线）：两者在陡坡处都骤降；Adam 的回升，AMSGrad 的一直停在低处。图上 Adam 在陡坡之后走得更远。',
    },
    try: {
      en: 'Set β₂ back to 0.999 on both: Adam then also remembers the burst for the whole run, and the two behave alike.',
      zh: '把两者的 β₂ 都改回 0.999：Adam 在整个过程中也会记得那段大梯度，两者表现相近。',
    },
    caption(view) {
      const { lang } = view;
      const list = runs(view).filter((r) => seriesLength(r.result, 'effective_lr') > 0);
      if (!list.length) return noRuns(lang);
      const parts = list.slice(0, 3).map((r) => {
        const n = seriesLength(r.result, 'effective_lr');
        let low = Infinity;
        let lowAt = 1;
        for (let t = 1; t <= n; t++) {
          const e = valueAt(r.result, 'effective_lr', t);
          if (e < low) {
            low = e;
            lowAt = t;
          }
        }
        const last = valueAt(r.result, 'effective_lr', n);
        const how =
          last > 3 * low
            ? say(lang, `recovered to ${num(last)}`, `回升到 ${num(last)}`)
            : say(lang, `stayed at ${num(last)}`, `停在 ${num(last)}`);
        return say(
          lang,
          `${r.label}\u2019s effective rate on x fell to ${num(low)} at step ${lowAt} and ${how} by step ${n}, ending at x = ${num(endPoint(r.result)?.[0])}`,
          `${r.label} 在 x 上的有效学习率在第 ${lowAt} 步降到 ${num(low)}，到第 ${n} 步${how}，最后 x = ${num(endPoint(r.result)?.[0])}`,
        );
      });
      return parts.join(say(lang, '; ', '；')) + say(lang, '.', '。');
    },
  },

  {
    id: 'reddi',
    title: {
      en: 'Reddi et al.: where Adam does not converge',
      zh: 'Reddi 等人：Adam 不收敛的例子',
    },
    stream: true,
    link: 'steps=300&r=adam(beta1=0)&r=amsgrad(beta1=0)&stream=source:reddi',
    tex: [{ method: 'amsgrad' }],
    text: {
      en: 'Reddi, Kale and Kumar built an online problem where Adam goes to the worst point. The loss is C\u00b7x every third step and \u2212x otherwise, with x kept in [\u22121, 1]; over three steps that sums to (C \u2212 2)x, so the best point is x* = \u22121. The large gradient C is rare, and with \u03b2\u2082 = 1/(1 + C\u00b2) Adam forgets it at once: the two steps of \u22121 push x up more than the one of C pulls it down. AMSGrad keeps the largest v, and converges to \u22121.',
      zh: 'Reddi、Kale 和 Kumar 构造了一个在线问题，让 Adam 走向最差的点。每三步中有一步损失是 C\u00b7x，其余两步是 \u2212x，x 限制在 [\u22121, 1]；三步之和是 (C \u2212 2)x，所以最优点是 x* = \u22121。大梯度 C 很少出现，而 \u03b2\u2082 = 1/(1 + C\u00b2) 时 Adam 立刻就忘了它：两步 \u22121 把 x 往上推的比一步 C 往下拉的更多。AMSGrad 保留最大的 v，收敛到 \u22121。',
    },
    look: {
      en: 'In the gradient-stream lab below the race: x_t (Adam climbs to +1, AMSGrad goes to near \u22121) and the average regret (Adam\u2019s stays high, AMSGrad\u2019s falls towards 0).',
      zh: '比赛下方的梯度序列实验：x_t（Adam 升到 +1，AMSGrad 走到 \u22121 附近）和平均遗憾（Adam 的一直很高，AMSGrad 的趋向 0）。',
    },
    try: {
      en: 'Raise C to 10 (\u03b2\u2082 follows as 1/(1 + C\u00b2)), or give both \u03b2\u2081 = 0.9, and read where each ends.',
      zh: '把 C 提高到 10（\u03b2\u2082 随之为 1/(1 + C\u00b2)），或把两者的 \u03b2\u2081 设为 0.9，看看各自停在哪里。',
    },
    caption: streamChapterCaption,
  },

  {
    id: 'adabound',
    title: { en: 'AdaBound: a shrinking band', zh: 'AdaBound：逐渐收窄的范围' },
    link: 'fn=quadratic&steps=1000&sel=0&r=adabound(lr=0.02,gamma=0.01)&r=adam(lr=0.02)',
    tex: [{ method: 'adabound' }],
    text: {
      en: 'AdaBound clips Adam\u2019s per-coordinate learning rate into a band [η_l(t), η_u(t)] that starts wide (Adam) and closes around final_lr (SGD with momentum). The lecture remarks that the band is a hand-made rule and not very adaptive any more.',
      zh: 'AdaBound 把 Adam 每个坐标的学习率限制在一个范围 [η_l(t), η_u(t)] 内：一开始很宽（就是 Adam），之后收窄到 final_lr 附近（就是 SGDM）。课程提到，这个范围是人为设定的规则，已经不太“自适应”了。',
    },
    look: {
      en: 'The state chart of AdaBound: its band (lower and upper bound) and its effective learning rate, pressed against the bound once the gradients get small. Adam\u2019s effective rate, by contrast, grows as its gradients vanish.',
      zh: '看 AdaBound 的状态图：上下界组成的范围，以及梯度变小后贴在边界上的有效学习率。相对地，Adam 的有效学习率会随着梯度消失而变大。',
    },
    try: {
      en: 'Set gamma back to its default 0.001: the band closes ten times more slowly and in 1000 steps AdaBound is still mostly Adam.',
      zh: '把 gamma 改回默认值 0.001：范围收窄的速度慢十倍，1000 步内 AdaBound 基本上还是 Adam。',
    },
    caption(view) {
      const { lang } = view;
      const list = runs(view);
      if (!list.length) return noRuns(lang);
      const b = list.find(
        (r) => seriesLength(r.result, 'lower') > 0 && seriesLength(r.result, 'upper') > 0,
      );
      if (!b) return endings(lang, list) + say(lang, '.', '。');
      const n = seriesLength(b.result, 'lower');
      const lo1 = valueAt(b.result, 'lower', 1);
      const hi1 = valueAt(b.result, 'upper', 1);
      const lo = valueAt(b.result, 'lower', n);
      const hi = valueAt(b.result, 'upper', n);
      const e = valueAt(b.result, 'effective_lr', n);
      const adam = list.find((r) => r !== b && method(r) === 'adam');
      const ea = adam
        ? valueAt(adam.result, 'effective_lr', seriesLength(adam.result, 'effective_lr'))
        : null;
      const cmp =
        adam && ea !== null
          ? say(
              lang,
              `, where ${adam.label}\u2019s is ${num(ea)}`,
              `，而 ${adam.label} 的是 ${num(ea)}`,
            )
          : '';
      return say(
        lang,
        `${b.label}\u2019s band was [${num(lo1)}, ${num(hi1)}] at step 1 and is [${num(lo)}, ${num(hi)}] at step ${n}; its effective rate on x ends at ${num(e)}${cmp}. ${endings(lang, list)}.`,
        `${b.label} 的范围在第 1 步是 [${num(lo1)}, ${num(hi1)}]，第 ${n} 步是 [${num(lo)}, ${num(hi)}]；它在 x 上的有效学习率最后是 ${num(e)}${cmp}。${endings(lang, list)}。`,
      );
    },
  },

  {
    id: 'lr-range',
    title: {
      en: 'Is there a best learning rate? The range test',
      zh: '有没有最好的学习率？范围测试',
    },
    range: true,
    link: 'steps=300&tools=rangeSteps:300&r=sgd_momentum(lr=0.002)',
    tex: [
      '\\eta_t = \\eta_{\\min} \\left(\\frac{\\eta_{\\max}}{\\eta_{\\min}}\\right)^{\\frac{t-1}{T-1}},\\quad t = 1, \\dots, T',
    ],
    text: {
      en: 'The lecture asks whether there might be a best learning rate. Smith\u2019s range test measures it in one run: η rises exponentially from very small to very large, one step each; at first the loss hardly moves, then it falls fastest, and past some η it rises and the run blows up. A tenth of the η where the smoothed loss is lowest is a safe top for a cyclical range, and a quarter of that its bottom.',
      zh: '课程问：会不会有一个最好的学习率？Smith 的范围测试用一次运行来测量：η 每一步按指数从很小升到很大；一开始 loss 几乎不动，接着下降得最快，超过某个 η 后 loss 上升，训练发散。平滑后的 loss 最低处的 η 的十分之一，可以作为循环学习率范围的上限，再取它的四分之一作为下限。',
    },
    look: {
      en: 'The learning-rate tools below the race: the loss and its smoothed curve against η on a log axis, the suggested bounds marked. The caption says where the smoothed loss was lowest and where the run stopped.',
      zh: '看比赛下方的学习率工具：loss 和平滑后的 loss 对 η 的曲线（对数坐标），并标出建议的范围。说明文字给出平滑 loss 最低的位置以及运行在哪里停止。',
    },
    try: {
      en: 'Press “Race SGDM on these bounds (cyclical)”: the racer gets a cyclical schedule between the suggested bounds. Then set Range test steps to 1000: a slower ramp finds a somewhat different η.',
      zh: '按「让 SGDM 用这组边界（循环学习率）比赛」：这个 racer 会得到一个在建议范围内的循环学习率。再把「范围测试步数」设为 1000：更慢的升温会找到稍有不同的 η。',
    },
    caption: rangeChapterCaption,
  },

  {
    id: 'cyclical',
    title: { en: 'Cyclical learning rate', zh: '循环学习率 (Cyclical LR)' },
    link: 'steps=300&lrscale=linear&r=sgd_momentum(lr=0.002)*cyclic(base_lr=0.0005,max_lr=0.003,step_size_up=50)&r=sgd_momentum(lr=0.002)',
    tex: [{ schedule: 'cyclic' }],
    text: {
      en: 'Instead of one learning rate, Smith\u2019s cyclical learning rate moves η up and down between a small and a large value in a triangle wave: the large values explore and can leave a poor region, the small ones converge.',
      zh: 'Smith 的循环学习率不是用一个固定的学习率，而是让 η 以三角波在小值和大值之间来回：大的学习率用来探索、离开不好的区域，小的学习率用来收敛。',
    },
    look: {
      en: 'The learning-rate chart (linear axis): the triangle wave of SGDM · CLR beside the flat line of the plain SGDM; the loss chart below it.',
      zh: '看学习率图（线性坐标）：SGDM · CLR 的三角波与普通 SGDM 的水平线；下方是 loss 图。',
    },
    try: {
      en: 'Set step_size_up to 25: the cycles are twice as short; or mode=triangular2 to halve the peak every cycle.',
      zh: '把 step_size_up 改成 25：周期缩短一半；或设 mode=triangular2，让每个周期的峰值减半。',
    },
    caption(view) {
      const { lang } = view;
      const list = runs(view);
      if (!list.length) return noRuns(lang);
      const c = list.find((r) => scheduleOf(r) === 'cyclic');
      if (!c) return endings(lang, list) + say(lang, '.', '。');
      const range = lrRange(c.result);
      const peaks = lrPeaks(c.result);
      const period = peaks.length >= 2 ? peaks[1] - peaks[0] : null;
      const shape = peaks.length
        ? say(
            lang,
            `, peaking at updates ${few(peaks)}${period ? ` (a period of ${period})` : ''}`,
            `，在第 ${few(peaks)} 步达到峰值${period ? `（周期 ${period}）` : ''}`,
          )
        : '';
      return say(
        lang,
        `${c.label} moves η between ${num(range?.[0])} and ${num(range?.[1])}${shape}. ${endings(lang, list)}.`,
        `${c.label} 的 η 在 ${num(range?.[0])} 和 ${num(range?.[1])} 之间变化${shape}。${endings(lang, list)}。`,
      );
    },
  },

  {
    id: 'sgdr',
    title: { en: 'SGDR: warm restarts', zh: 'SGDR：热重启' },
    link: 'steps=300&lrscale=linear&r=sgd_momentum(lr=0.002)*cosine_warm_restarts(t_0=50,t_mult=2)&r=sgd_momentum(lr=0.002)',
    tex: [{ schedule: 'cosine_warm_restarts' }],
    text: {
      en: 'SGDR (Loshchilov & Hutter) lowers η along a half cosine and then restarts it at the top, each cycle t_mult times as long as the last. Every restart is a burst of exploration, every cosine tail a careful descent.',
      zh: 'SGDR（Loshchilov & Hutter）让 η 沿半个余弦下降，然后重新回到最高点，每个周期是前一个的 t_mult 倍长。每次重启都是一阵探索，每段余弦的尾巴是细致的下降。',
    },
    look: {
      en: 'The learning-rate chart: the restarts are marked; the loss chart shows a bump after each restart.',
      zh: '看学习率图：重启的位置有标记；loss 图上每次重启后会有一个小突起。',
    },
    try: {
      en: 'Set t_mult to 1: equal cycles of t_0 steps; or t_0 to 100 for fewer restarts.',
      zh: '把 t_mult 设为 1：每个周期都是 t_0 步；或把 t_0 设为 100，重启次数变少。',
    },
    caption(view) {
      const { lang } = view;
      const list = runs(view);
      if (!list.length) return noRuns(lang);
      const s = list.find((r) => scheduleOf(r) === 'cosine_warm_restarts');
      if (!s) return endings(lang, list) + say(lang, '.', '。');
      const jumps = lrJumps(s.result);
      const range = lrRange(s.result);
      const restarts = jumps.length
        ? say(lang, `restarts η at updates ${few(jumps)}`, `在第 ${few(jumps)} 步重启 η`)
        : say(
            lang,
            `does not restart within ${updates(s.result)} steps`,
            `在 ${updates(s.result)} 步内没有重启`,
          );
      return say(
        lang,
        `${s.label} ${restarts}, between ${num(range?.[0])} and ${num(range?.[1])}. ${endings(lang, list)}.`,
        `${s.label} ${restarts}，η 在 ${num(range?.[0])} 和 ${num(range?.[1])} 之间。${endings(lang, list)}。`,
      );
    },
  },

  {
    id: 'one-cycle',
    title: { en: 'One-cycle', zh: '单周期 (One-cycle)' },
    link: 'steps=300&lrscale=linear&r=sgd_momentum(lr=0.002)*one_cycle(max_lr=0.003,total_steps=300)&r=sgd_momentum(lr=0.002)',
    tex: [{ schedule: 'one_cycle' }],
    text: {
      en: 'One-cycle (Smith) runs a single cycle over the whole training: η warms up from max_lr/25 to max_lr during the first 30% of the steps, then anneals to almost zero. The warm-up part explores, the long decay converges.',
      zh: 'One-cycle（Smith）在整个训练中只跑一个周期：前 30% 的步数里 η 从 max_lr/25 升到 max_lr，然后退火到几乎为零。升温阶段探索，长长的下降阶段收敛。',
    },
    look: {
      en: 'The learning-rate chart: the peak is marked; compare the two loss curves at the end.',
      zh: '看学习率图：峰值处有标记；比较两条 loss 曲线的结尾。',
    },
    try: {
      en: 'Set pct_start to 0.1: a short warm-up and a long decay; or max_lr to 0.004, near where SGDM diverges on this surface.',
      zh: '把 pct_start 设为 0.1：升温短、下降长；或把 max_lr 设为 0.004，接近 SGDM 在这个曲面上发散的地方。',
    },
    caption(view) {
      const { lang } = view;
      const list = runs(view);
      if (!list.length) return noRuns(lang);
      const o = list.find((r) => scheduleOf(r) === 'one_cycle');
      if (!o || !o.result.lr?.length) return endings(lang, list) + say(lang, '.', '。');
      const lr = o.result.lr;
      let peak = 0;
      for (let k = 1; k < lr.length; k++) if (lr[k] > lr[peak]) peak = k;
      return say(
        lang,
        `${o.label} starts at η = ${num(lr[0])}, peaks at ${num(lr[peak])} at update ${peak + 1} and ends at ${num(lr[lr.length - 1])}. ${endings(lang, list)}.`,
        `${o.label} 从 η = ${num(lr[0])} 开始，第 ${peak + 1} 步达到峰值 ${num(lr[peak])}，最后是 ${num(lr[lr.length - 1])}。${endings(lang, list)}。`,
      );
    },
  },

  {
    id: 'warmup',
    title: { en: 'Warm-up', zh: '预热 (Warm-up)' },
    link: 'noise=1&r=sgd_momentum(lr=0.0035)&r=sgd_momentum(lr=0.0035)*linear_warmup(warmup_steps=50,start_factor=0.01)&r=adam(lr=0.05)&r=adam(lr=0.05)*linear_warmup(warmup_steps=50,start_factor=0.01)',
    tex: [{ schedule: 'linear_warmup' }],
    text: {
      en: 'Warm-up starts with a small learning rate and raises it over the first steps (ResNet trained its first epochs at 0.01 before 0.1; Transformers warm up too). At the start the gradients are large and, for adaptive methods, v is estimated from few samples: a full-size step then can throw training off. Here, under gradient noise, SGDM shows the blow-up: its step grows with the steep gradient at the start of Rosenbrock. Adam races beside it with and without warm-up: in 2-D each of its steps is at most about η per coordinate, so its first steps cannot blow up, and warm-up only makes them shorter.',
      zh: '预热是先用小的学习率，在最初的几步里再慢慢调大（ResNet 前几个 epoch 用 0.01，之后才用 0.1；Transformer 也用预热）。开始时梯度很大，对自适应方法来说 v 也只用很少的样本估计：这时全尺寸的一步可能让训练失控。这里在梯度噪声下用 SGDM 展示发散：在 Rosenbrock 起点的陡坡上，它的步长随梯度变大。旁边的 Adam 有和没有预热：在二维上它每一步在每个坐标上最多约 η 长，所以头几步不会爆掉，预热只是让它们更短。',
    },
    look: {
      en: 'The loss chart: SGDM without warm-up explodes within the first steps; the learning-rate chart shows the warm-up ramps and marks their end. On the figure, Adam\u2019s first steps without warm-up are short already; with warm-up they are shorter still.',
      zh: '看 loss 图：没有预热的 SGDM 在最初几步就爆掉了；学习率图显示预热的斜坡，并标出预热结束的位置。图上没有预热的 Adam 头几步本来就很短，有预热时更短。',
    },
    try: {
      en: 'Lower both η to 0.002: without warm-up SGDM is stable too and warm-up only makes it slower. Or raise both Adam η to 0.5: Adam\u2019s first steps grow with η, not with the gradient.',
      zh: '把两个 η 都降到 0.002：没有预热的 SGDM 也稳定了，预热只是让它变慢。或者把两个 Adam 的 η 都调到 0.5：Adam 的头几步随 η 变长，而不是随梯度变长。',
    },
    caption(view) {
      const { lang } = view;
      const list = runs(view);
      if (!list.length) return noRuns(lang);
      const warming = (r) => ['linear_warmup', 'exponential_warmup'].includes(scheduleOf(r));
      const w = list.find((r) => warming(r) && !ADAPTIVE.has(method(r)));
      const plain = list.find((r) => r !== w && !scheduleOf(r) && method(r) === method(w));
      const adam = list.find((r) => method(r) === 'adam' && !scheduleOf(r));
      const adamWarm = list.find((r) => method(r) === 'adam' && warming(r));
      const tail = adam && adamWarm ? ` ${firstSteps(lang, adam, adamWarm)}` : '';
      if (!w || !w.result.lr?.length) return endings(lang, list) + say(lang, '.', '。') + tail;
      const lr = w.result.lr;
      const top = lrRange(w.result)?.[1];
      const reach = lr.findIndex((v) => v >= 0.999 * top);
      const ramp = say(
        lang,
        `${w.label} ramps η from ${num(lr[0])} to ${num(top)} by update ${reach + 1}`,
        `${w.label} 把 η 从 ${num(lr[0])} 升到 ${num(top)}（第 ${reach + 1} 步）`,
      );
      if (!plain)
        return `${ramp}${say(lang, '; ', '；')}${ending(lang, w)}${say(lang, '.', '。')}${tail}`;
      const pb = blewUp(plain.result);
      const wb = blewUp(w.result);
      if (pb && !wb) {
        return (
          say(
            lang,
            `${plain.label} with the full η from the first step blew up (${ending(lang, plain)}); ${ramp} and stays stable: ${ending(lang, w)}.`,
            `${plain.label} 第一步就用全部的 η，结果发散了（${ending(lang, plain)}）；${ramp}，保持稳定：${ending(lang, w)}。`,
          ) + tail
        );
      }
      if (pb && wb) {
        return (
          say(
            lang,
            `Both blew up: ${endings(lang, [plain, w])}; warm-up is not enough for this η.`,
            `两者都发散了：${endings(lang, [plain, w])}；对这个 η 来说预热不够。`,
          ) + tail
        );
      }
      return (
        say(
          lang,
          `This time ${plain.label} is stable without warm-up too: ${endings(lang, [plain, w])}; ${ramp}.`,
          `这次 ${plain.label} 没有预热也很稳定：${endings(lang, [plain, w])}；${ramp}。`,
        ) + tail
      );
    },
  },

  {
    id: 'radam',
    title: { en: 'RAdam: rectify the early steps', zh: 'RAdam：修正开头的步伐' },
    link: 'steps=20&sel=0&series=rho&r=radam(lr=0.003,threshold=4)&r=radam(lr=0.003)&r=adam(lr=0.003)',
    tex: [
      { method: 'radam' },
      '\\rho_\\infty = \\frac{2}{1-\\beta_2} - 1,\\quad \\rho_t = \\rho_\\infty - \\frac{2t\\beta_2^t}{1-\\beta_2^t}',
    ],
    text: {
      en: 'RAdam (Liu et al. 2020) explains warm-up by the variance of Adam\u2019s adaptive rate, which is huge while v is estimated from few gradients. ρ_t measures how many gradients the estimate effectively averages; while ρ_t ≤ 4 (the paper; PyTorch uses 5) RAdam takes plain momentum steps, afterwards Adam steps scaled by the rectification r_t.',
      zh: 'RAdam（Liu 等 2020）用 Adam 自适应学习率的方差来解释预热：v 只用很少的梯度估计时，方差非常大。ρ_t 衡量这个估计相当于平均了多少个梯度；当 ρ_t ≤ 4（论文；PyTorch 用 5）时，RAdam 走普通的 momentum 步，之后才走乘上修正项 r_t 的 Adam 步。',
    },
    look: {
      en: 'The state chart shows ρ_t of the first RAdam with its threshold line; choose the series rectified to see from which step each RAdam adapts.',
      zh: '状态图显示第一个 RAdam 的 ρ_t 与门槛线；选择 rectified 序列可以看到每个 RAdam 从哪一步开始自适应。',
    },
    try: {
      en: 'Set β₂ = 0.99 on a RAdam: ρ_∞ becomes 199 and ρ_t passes the threshold at the same early steps; set threshold=10 to take more momentum steps.',
      zh: '把某个 RAdam 的 β₂ 设为 0.99：ρ_∞ 变成 199，ρ_t 仍然在差不多的早期跨过门槛；把 threshold 设为 10，会多走几步 momentum。',
    },
    caption(view) {
      const { lang } = view;
      const list = runs(view).filter((r) => seriesLength(r.result, 'rectified') > 0);
      if (!list.length) {
        const all = runs(view);
        return all.length ? endings(lang, all) + say(lang, '.', '。') : noRuns(lang);
      }
      const parts = list.slice(0, 3).map((r) => {
        const t = firstUpdate(r.result, 'rectified', (v) => v >= 1);
        const th = hyper(r, 'threshold');
        const name = r.label.includes('threshold') ? r.label : `${r.label} (threshold ${num(th)})`;
        if (t === null) {
          return say(
            lang,
            `${r.label} never rectified in ${updates(r.result)} steps (threshold ${num(th)})`,
            `${r.label} 在 ${updates(r.result)} 步内都没有开始修正（门槛 ${num(th)}）`,
          );
        }
        return say(
          lang,
          `${name} took ${t - 1} momentum steps and adapted from update ${t}, where ρ_t = ${num(valueAt(r.result, 'rho', t), 4)}`,
          `${name} 先走了 ${t - 1} 步 momentum，从第 ${t} 步开始自适应，此时 ρ_t = ${num(valueAt(r.result, 'rho', t), 4)}`,
        );
      });
      return parts.join(say(lang, '; ', '；')) + say(lang, '.', '。');
    },
  },

  {
    id: 'radam-swats',
    title: { en: 'RAdam vs SWATS', zh: 'RAdam 与 SWATS' },
    link: 'fn=beale&steps=1000&sel=1&series=phase&r=radam(lr=0.01)&r=swats(lr=0.05,switch_eps=0.00001)',
    tex: [{ method: 'radam' }, { method: 'swats' }],
    text: {
      en: 'The two combine Adam and SGDM in opposite orders. RAdam fears Adam\u2019s unstable start, so it begins with momentum steps and becomes Adam; SWATS fears Adam\u2019s poor ending, so it begins with Adam and becomes SGD.',
      zh: '两者以相反的顺序结合 Adam 和 SGDM。RAdam 担心 Adam 开头不稳定，所以先走 momentum 再变成 Adam；SWATS 担心 Adam 结尾不好，所以先用 Adam 再变成 SGD。',
    },
    look: {
      en: 'The state chart: SWATS\u2019s phase; select RAdam and the series rectified to see its change the other way.',
      zh: '看状态图：SWATS 的阶段；选择 RAdam 和 rectified 序列，看它朝相反方向的转变。',
    },
    try: {
      en: 'Raise RAdam\u2019s η to 0.05: its un-adapted momentum steps follow Beale\u2019s large gradients and the run diverges before ρ_t passes the threshold.',
      zh: '把 RAdam 的 η 提高到 0.05：它未经自适应的 momentum 步会跟着 Beale 的大梯度走，在 ρ_t 跨过门槛之前就发散了。',
    },
    caption(view) {
      const { lang } = view;
      const list = runs(view);
      if (!list.length) return noRuns(lang);
      const r = first(list, ['radam']);
      const s = first(list, ['swats']);
      const parts = [];
      if (r) {
        const t = firstUpdate(r.result, 'rectified', (v) => v >= 1);
        parts.push(
          t === null
            ? say(
                lang,
                `${r.label} never became adaptive; ${ending(lang, r)}`,
                `${r.label} 一直没有变成自适应；${ending(lang, r)}`,
              )
            : say(
                lang,
                `${r.label} took ${t - 1} momentum steps, then Adam steps from update ${t}; ${ending(lang, r)}`,
                `${r.label} 先走 ${t - 1} 步 momentum，从第 ${t} 步起走 Adam 步；${ending(lang, r)}`,
              ),
        );
      }
      if (s) {
        const t = firstUpdate(s.result, 'phase', (v) => v >= 1);
        parts.push(
          t === null
            ? say(
                lang,
                `${s.label} never switched, it stayed Adam; ${ending(lang, s)}`,
                `${s.label} 没有切换，一直是 Adam；${ending(lang, s)}`,
              )
            : say(
                lang,
                `${s.label} took ${t - 1} Adam steps, then SGD from update ${t}; ${ending(lang, s)}`,
                `${s.label} 先走 ${t - 1} 步 Adam，从第 ${t} 步起变成 SGD；${ending(lang, s)}`,
              ),
        );
      }
      if (!parts.length) return endings(lang, list) + say(lang, '.', '。');
      return parts.join(say(lang, '. ', '。')) + say(lang, '.', '。');
    },
  },

  {
    id: 'lookahead',
    title: { en: 'Lookahead: k steps forward, 1 step back', zh: 'Lookahead：往前 k 步，退后 1 步' },
    link: 'sel=0&series=slow_weights&r=lookahead(inner=sgd_momentum(lr=0.0037))&r=sgd_momentum(lr=0.0037)',
    tex: [{ method: 'lookahead' }],
    text: {
      en: 'Lookahead wraps any optimizer: the inner "fast" weights take k steps, then the "slow" weights move only a fraction α of the way towards them and the fast weights restart from there. If the k steps went somewhere bad, the step back limits the damage: the lecture calls it more stable, and the slow weights average out the zig-zag.',
      zh: 'Lookahead 可以包住任何优化器：内层的“快”权重先走 k 步，然后“慢”权重只朝它们移动 α 的比例，快权重再从那里重新出发。如果这 k 步走到不好的地方，退后一步就限制了损害：课程说它更稳定，慢权重也把来回震荡平均掉了。',
    },
    look: {
      en: 'The figure: Lookahead\u2019s slow path (dashed) and its fast path snapping back every k steps; the state chart shows the slow weights. The plain SGDM with the same η blows up.',
      zh: '看图：Lookahead 的慢路径（虚线），以及每 k 步被拉回来的快路径；状态图显示慢权重。用同样 η 的普通 SGDM 发散了。',
    },
    try: {
      en: 'Lower both η to 0.002: plain SGDM is stable too and ends lower than Lookahead, which moves more slowly; set alpha=1 and Lookahead becomes its inner SGDM.',
      zh: '把两个 η 都降到 0.002：普通 SGDM 也稳定了，而且比走得较慢的 Lookahead 更低；把 alpha 设为 1，Lookahead 就等于内层的 SGDM。',
    },
    caption(view) {
      const { lang } = view;
      const list = runs(view);
      if (!list.length) return noRuns(lang);
      const la = first(list, ['lookahead']);
      if (!la) return endings(lang, list) + say(lang, '.', '。');
      const syncs = syncCount(la.result);
      const others = list.filter((r) => r !== la);
      const unstable = others.filter((r) => blewUp(r.result));
      const head = say(
        lang,
        `${la.label} pulled its weights back ${syncs} times; ${ending(lang, la)}`,
        `${la.label} 拉回了 ${syncs} 次权重；${ending(lang, la)}`,
      );
      if (!others.length) return head + say(lang, '.', '。');
      if (!blewUp(la.result) && unstable.length) {
        return (
          head +
          say(
            lang,
            `, while ${endings(lang, unstable)}: the steps back kept the same η stable.`,
            `，而 ${endings(lang, unstable)}：退后的那一步让同样的 η 保持稳定。`,
          )
        );
      }
      return head + say(lang, `; ${endings(lang, others)}.`, `；${endings(lang, others)}。`);
    },
  },

  {
    id: 'lookahead-basins',
    title: {
      en: 'Lookahead on the twin basin: fast and slow weights',
      zh: 'Lookahead 在双谷曲面上：快权重与慢权重',
    },
    link: 'fn=twin_basin&start=-3,2&steps=1000&noise=1&sel=0&series=slow_weights&r=lookahead(inner=sgd_momentum(lr=0.05))&r=sgd_momentum(lr=0.05)',
    tex: [{ method: 'lookahead' }],
    text: {
      en: 'The lecture also says that Lookahead\u2019s step back looks for a flatter minimum and avoids dangerous exploration. Here Lookahead around SGDM and the plain SGDM start at the edge of the sharp well of the twin basin, with gradient noise: the fast weights jitter with the noise, while the slow weights move only a fraction α towards them every k steps and so average the jitter out.',
      zh: '课程还说 Lookahead 退后的那一步会去找更平坦的极小值，并避免危险的探索。这里包着 SGDM 的 Lookahead 和普通的 SGDM 都从双谷曲面尖锐谷的边上出发，并加上梯度噪声：快权重随噪声抖动，而慢权重每 k 步只朝它们移动 α 的一部分，因此把抖动平均掉了。',
    },
    look: {
      en: 'The figure: Lookahead\u2019s slow path (dashed) beside its fast path and the SGDM\u2019s. The caption says where each ended and how often each crossed between the wells; whether Lookahead found the flatter minimum is what the run says, not the slide.',
      zh: '看图：Lookahead 的慢权重路径（虚线）、它的快权重路径以及 SGDM 的路径。说明文字给出每个 racer 停在哪里、在两个谷之间穿越了几次；Lookahead 有没有找到更平坦的极小值，由这次运行说了算，而不是投影片。',
    },
    try: {
      en: 'Change the seed or set the noise to 3: the paths change, the averaging stays. Then run the lab\u2019s ensemble over many starts to see where each ends most often.',
      zh: '换一个种子，或把噪声设为 3：路径会变，平均的效果不变。再运行实验区的 ensemble，看每个 racer 最常停在哪里。',
    },
    caption(view) {
      const { lang, state } = view;
      const list = runs(view);
      if (!list.length) return noRuns(lang);
      const sigma = state?.noise?.level ?? 0;
      const head =
        sigma > 0
          ? say(lang, `With gradient noise σ = ${num(sigma)}: `, `梯度噪声 σ = ${num(sigma)}：`)
          : '';
      const where =
        state?.fn?.name === 'twin_basin' ? basins(lang, state, list) : endings(lang, list);
      const la = first(list, ['lookahead']);
      const pulls = la
        ? say(
            lang,
            `${la.label} pulled its weights back ${syncCount(la.result)} times. `,
            `${la.label} 拉回了 ${syncCount(la.result)} 次权重。`,
          )
        : '';
      const mid = state?.fn?.params?.shift_x ?? 0;
      const crossed = list
        .filter((r) => !r.result.diverged)
        .map((r) =>
          say(
            lang,
            `${r.label} crossed between the wells ${crossings(r.result, mid)} times`,
            `${r.label} 在两个谷之间穿越了 ${crossings(r.result, mid)} 次`,
          ),
        )
        .join(say(lang, '; ', '；'));
      return (
        head +
        where +
        say(lang, '. ', '。') +
        pulls +
        (crossed ? crossed + say(lang, '.', '。') : '')
      );
    },
  },

  {
    id: 'nag',
    title: { en: 'NAG: look into the future', zh: 'NAG：看向未来' },
    link: 'fn=quadratic&fp=b:50&view=-5,1,-2,2.5&steps=100&sel=0&series=lookahead_point&r=nag(lr=0.01)&r=sgd_momentum(lr=0.01)',
    ask: 'lowest',
    question: {
      en: 'On a narrow valley (b = 50), which ends lower after 100 steps: NAG or SGDM?',
      zh: '在一个窄的山谷（b = 50）上，100 步之后谁更低：NAG 还是 SGDM？',
    },
    tex: [{ method: 'nag' }, { method: 'sgd_momentum' }],
    text: {
      en: 'Momentum keeps moving even when the slope ahead turns up. NAG (Nesterov) takes the gradient not where it stands but at the point momentum is about to carry it to, θ + μv: it sees the rise before it gets there and brakes earlier, which damps the zig-zag across a narrow valley.',
      zh: 'Momentum 即使前面的坡开始往上也会继续冲。NAG（Nesterov）不是在当前位置算梯度，而是在 momentum 即将把它带到的点 θ + μv 算：它在到达之前就看到上坡，提早刹车，减少了在窄山谷中的来回震荡。',
    },
    look: {
      en: 'The figure draws NAG\u2019s look-ahead point, where its next gradient is taken; compare its path with SGDM\u2019s zig-zag and the two loss curves.',
      zh: '图上画出了 NAG 的前瞻点，也就是它下一次计算梯度的地方；比较它的路径和 SGDM 的来回震荡，以及两条 loss 曲线。',
    },
    try: {
      en: 'Set b back to 10: the valley is wider and the two end closer together.',
      zh: '把 b 改回 10：山谷变宽，两者的结果更接近。',
    },
    caption: reachedCaption,
  },

  {
    id: 'nadam',
    title: { en: 'NAdam: Adam with Nesterov', zh: 'NAdam：Adam 加上 Nesterov' },
    link: 'fn=quadratic&fp=b:50&view=-5,1,-2,2.5&steps=100&sel=0&series=mu&r=nadam(lr=0.1)&r=adam(lr=0.1)',
    tex: [{ method: 'nadam' }, { method: 'adam' }],
    text: {
      en: 'NAdam (Dozat 2016) does to Adam what NAG does to momentum: the update uses the momentum of the next step, μ_{t+1} m_t, plus the current gradient, so Adam\u2019s momentum also brakes ahead of time.',
      zh: 'NAdam（Dozat 2016）对 Adam 所做的，就像 NAG 对 momentum 所做的：更新时用下一步的动量 μ_{t+1} m_t 加上当前的梯度，所以 Adam 的动量也会提前刹车。',
    },
    look: {
      en: 'The loss chart and the paths near the minimum: Adam circles around it longer. The state chart shows NAdam\u2019s μ_t.',
      zh: '看 loss 图和极小值附近的路径：Adam 在它周围绕得更久。状态图显示 NAdam 的 μ_t。',
    },
    try: {
      en: 'Lower both η to 0.02: the steps are too short to overshoot and the difference shrinks.',
      zh: '把两个 η 都降到 0.02：步伐太短不会冲过头，差别就变小了。',
    },
    caption: reachedCaption,
  },

  {
    id: 'adamw',
    title: { en: 'AdamW and SGDW: decoupled weight decay', zh: 'AdamW 与 SGDW：解耦的权重衰减' },
    link: 'fn=custom&expr=(x-3)^2%2B10*(y-3)^2&view=-1.5,4.5,-1.5,4&start=-1,-1&steps=1000&r=adam(lr=0.05,weight_decay=0.5)&r=adamw(lr=0.05,weight_decay=0.5)&r=sgd(lr=0.01,weight_decay=0.5)&r=sgdw(lr=0.01,weight_decay=0.005)',
    ask: 'farthest',
    question: {
      en: 'Adam + L2 or AdamW with the same λ: which ends farther from the start (and so nearer the loss\u2019s minimum at (3, 3))?',
      zh: '同样的 λ，Adam + L2 还是 AdamW 最后离起点更远（也就是离 loss 的极小值 (3, 3) 更近）？',
    },
    tex: [{ method: 'adam' }, { method: 'adamw' }, { method: 'sgdw' }],
    text: {
      en: 'L2 regularization adds λθ to the gradient. For SGD that is the same as shrinking θ by a fixed factor (weight decay), but Adam divides the gradient by √v̂, so the penalty is rescaled per coordinate: a coordinate with large gradients is hardly decayed. AdamW decouples the decay from the gradient and shrinks every coordinate alike.',
      zh: 'L2 正则化是在梯度上加 λθ。对 SGD 来说，这和把 θ 乘上一个固定比例缩小（weight decay）是一样的；但 Adam 会把梯度除以 √v̂，惩罚项在每个坐标上被重新缩放：梯度大的坐标几乎没有被衰减。AdamW 把衰减和梯度分开，每个坐标都同样地缩小。',
    },
    look: {
      en: 'The figure: Adam + L2, SGD + L2 and SGDW end at one point; AdamW ends elsewhere, on the diagonal, pulled evenly towards the origin.',
      zh: '看图：Adam + L2、SGD + L2 和 SGDW 停在同一点；AdamW 停在另一处，在对角线上，被均匀地拉向原点。',
    },
    try: {
      en: 'Set SGDW\u2019s λ to 0.01: SGD + L2 and SGDW coincide only when λ_W = η·λ_L2 (0.01 · 0.5 = 0.005).',
      zh: '把 SGDW 的 λ 设为 0.01：只有当 λ_W = η·λ_L2（0.01 × 0.5 = 0.005）时，SGD + L2 和 SGDW 才会重合。',
    },
    caption(view) {
      const { lang } = view;
      const list = runs(view);
      if (!list.length) return noRuns(lang);
      const l2 = first(
        list,
        ['adam'],
        (r) => hyper(r, 'weight_decay', 0) > 0 && !hyper(r, 'decoupled_weight_decay', false),
      );
      const w = first(list, ['adamw']);
      const sgd = first(list, ['sgd'], (r) => hyper(r, 'weight_decay', 0) > 0);
      const sgdw = first(list, ['sgdw']);
      const parts = [];
      if (l2 && w) {
        const d = distance(endPoint(l2.result), endPoint(w.result));
        parts.push(
          d > 0.05
            ? say(
                lang,
                `${l2.label} ends at ${at(endPoint(l2.result))}, ${w.label} at ${at(endPoint(w.result))}: ${num(d)} apart, so L2 inside Adam is not weight decay`,
                `${l2.label} 停在 ${at(endPoint(l2.result))}，${w.label} 停在 ${at(endPoint(w.result))}：相距 ${num(d)}，所以 Adam 里的 L2 不等于 weight decay`,
              )
            : say(
                lang,
                `${l2.label} and ${w.label} end only ${num(d)} apart, at ${at(endPoint(w.result))}: with these settings the two decays agree`,
                `${l2.label} 和 ${w.label} 的终点只相距 ${num(d)}，在 ${at(endPoint(w.result))}：在这组设定下两种衰减一致`,
              ),
        );
      }
      if (sgd && sgdw) {
        const d = distance(endPoint(sgd.result), endPoint(sgdw.result));
        parts.push(
          d < 1e-3
            ? say(
                lang,
                `${sgd.label} and ${sgdw.label} end at the same point ${at(endPoint(sgd.result))}`,
                `${sgd.label} 和 ${sgdw.label} 停在同一点 ${at(endPoint(sgd.result))}`,
              )
            : say(
                lang,
                `${sgd.label} and ${sgdw.label} end ${num(d)} apart`,
                `${sgd.label} 和 ${sgdw.label} 的终点相距 ${num(d)}`,
              ),
        );
      }
      if (!parts.length) return endings(lang, list) + say(lang, '.', '。');
      return parts.join(say(lang, '; ', '；')) + say(lang, '.', '。');
    },
  },

  {
    id: 'noise',
    title: { en: 'More randomness: gradient noise', zh: '更多的随机性：梯度噪声' },
    link: `fn=custom&expr=${DOUBLE_WELL.replaceAll('+', '%2B')}&view=-2.5,2.5,-1.5,1.5&start=1,0.5&steps=1000&noise=8&seed=3&r=sgd(lr=0.02)&r=sgd(lr=0.02)*cosine(t_max=1000)`,
    tex: [
      { method: 'sgd' },
      '\\tilde g_t = g_t + \\mathcal N(0, \\sigma^2 I)',
      { schedule: 'cosine' },
    ],
    text: {
      en: 'The lecture ends its list of tricks with more randomness: shuffling, dropout, and Gaussian noise added to the gradient help exploration, so training can leave a poor local minimum. With noise the run keeps moving; lowering η over time (here a cosine) quiets the noise so that it settles in the basin it found.',
      zh: '课程最后提到更多的随机性：打乱数据、dropout，以及在梯度上加高斯噪声，都能帮助探索，让训练离开不好的局部极小值。有噪声时训练会一直动；随时间降低 η（这里用余弦）会让噪声安静下来，停在找到的谷里。',
    },
    look: {
      en: 'The figure: both racers start in the shallow right-hand minimum; the noise kicks them over the bump into the deeper left well. The loss chart: the constant η keeps jittering, the cosine one settles.',
      zh: '看图：两个 racer 都从右边浅的极小值出发；噪声把它们踢过山丘，到达左边更深的谷。看 loss 图：固定 η 的一直在抖动，余弦的那个安定下来。',
    },
    try: {
      en: 'Set the noise to 0: SGD stays in the right-hand minimum. Change the seed: the same noise level gives another path (the seed fixes the noise).',
      zh: '把噪声设为 0：SGD 停在右边的极小值。改变 seed：同样的噪声强度会给出另一条路径（seed 决定噪声）。',
    },
    caption(view) {
      const { lang, state } = view;
      const list = runs(view);
      if (!list.length) return noRuns(lang);
      const sigma = state?.noise?.level ?? 0;
      const noise =
        sigma > 0
          ? say(
              lang,
              `With gradient noise σ = ${num(sigma)} (seed ${num(state.noise.seed)}): `,
              `梯度噪声 σ = ${num(sigma)}（seed ${num(state.noise.seed)}）：`,
            )
          : say(lang, 'Without gradient noise: ', '没有梯度噪声：');
      if (!onDoubleWell(state) || (state.start?.[0] ?? 0) <= 0)
        return noise + endings(lang, list) + say(lang, '.', '。');
      const parts = list.map((r) => {
        if (r.result.diverged) return ending(lang, r);
        const t = firstLeft(r.result);
        if (t === null) {
          return say(
            lang,
            `${r.label} stayed in the shallow right-hand minimum (f = ${num(finalLoss(r.result))})`,
            `${r.label} 留在右边浅的极小值（f = ${num(finalLoss(r.result))}）`,
          );
        }
        const endLeft = (endPoint(r.result)?.[0] ?? 0) < 0;
        return endLeft
          ? say(
              lang,
              `${r.label} crossed into the deeper left well at step ${t} and ends there at f = ${num(finalLoss(r.result))}`,
              `${r.label} 在第 ${t} 步越过山丘到左边更深的谷，最后 f = ${num(finalLoss(r.result))}`,
            )
          : say(
              lang,
              `${r.label} crossed to the left at step ${t} but the noise threw it back: it ends on the right at f = ${num(finalLoss(r.result))}`,
              `${r.label} 在第 ${t} 步越到左边，但又被噪声甩回右边：最后 f = ${num(finalLoss(r.result))}`,
            );
      });
      return noise + parts.join(say(lang, '; ', '；')) + say(lang, '.', '。');
    },
  },

  {
    id: 'summary',
    title: { en: 'Team SGD vs Team Adam', zh: 'SGD 队 vs Adam 队' },
    // The view adds the scoreboard of every other chapter's race (scoreboard.js).
    scoreboard: true,
    link: 'fn=twin_basin&start=-3,2&mlp=labelNoise:0.1,steps:1000&r=sgd_momentum(lr=0.05)&r=adam(lr=0.01)',
    tex: [{ method: 'sgd_momentum' }, { method: 'adam' }],
    text: {
      en: 'The lecture\u2019s summary: Team SGD (SGDM, NAG, SGDWM, with cyclical LR, SGDR, one-cycle, Lookahead) is slower but stable and generalizes well, the usual choice for computer vision; Team Adam (Adam, AMSGrad, AdaBound, RAdam, NAdam, AdamW, with warm-up) is fast, the usual choice for NLP, speech, GANs and reinforcement learning. SWATS and RAdam try to sit in between.',
      zh: '课程的总结：SGD 队（SGDM、NAG、SGDWM，配上循环学习率、SGDR、one-cycle、Lookahead）较慢但稳定，泛化好，常用于电脑视觉；Adam 队（Adam、AMSGrad、AdaBound、RAdam、NAdam、AdamW，配上预热）快，常用于 NLP、语音、GAN 和强化学习。SWATS 和 RAdam 则试着取两者之长。',
    },
    look: {
      en: 'The race and the scoreboard: where each team ends and how fast it gets there; the tiny network below trains both on a dataset with noisy labels (Train) and reports each one\u2019s generalization gap and sharpness.',
      zh: '看比赛和记分板：每队停在哪里、多快到达；下方的小型神经网络在有标签噪声的数据上训练两者（Train），并报告各自的泛化差距和尖锐度。',
    },
    try: {
      en: 'Add NAG and AdamW as racers and run the lab\u2019s ensemble: do the teams keep their places over hundreds of starts?',
      zh: '加入 NAG 和 AdamW 两个 racer，再运行实验区的 ensemble：在几百个起点上，两队的表现还一样吗？',
    },
    caption(view) {
      const { lang, state } = view;
      const list = runs(view);
      if (!list.length) return noRuns(lang);
      const speed = list
        .filter((r) => !r.result.diverged)
        .map((r) => {
          const f = finalLoss(r.result);
          const t = stepsTo(r.result, f + 0.01 * Math.max(Math.abs(f), 1e-3));
          return say(
            lang,
            `${r.label} was within 1% of its final loss at step ${t}`,
            `${r.label} 在第 ${t} 步就到了最终 loss 的 1% 以内`,
          );
        });
      const where =
        state?.fn?.name === 'twin_basin' ? basins(lang, state, list) : endings(lang, list);
      return (
        where +
        say(lang, '. ', '。') +
        (speed.length ? speed.join(say(lang, '; ', '；')) + say(lang, '.', '。') : '')
      );
    },
  },
];
