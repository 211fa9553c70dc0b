// SPDX-License-Identifier: MIT
// The texts of the gradient-stream lab, in English and Chinese, loaded with the section
// rather than with the page (i18n.js addTexts).

import { addTexts } from '../../i18n.js';

addTexts({
  en: {
    streamTitle: 'Gradient streams: Adam and AMSGrad',
    streamIntro:
      'One coordinate, gradients given one by one: a typed sequence (one rare, large gradient ' +
      'among small ones) or Reddi et al.’s online problem. Adam and AMSGrad run on the same ' +
      'stream; the charts show how far each update moved x, where x goes, and Adam’s v beside ' +
      'AMSGrad’s v_max.',
    streamSource: 'Stream',
    streamSourceSequence: 'typed gradient sequence',
    streamSourceReddi: 'Reddi et al.’s problem',
    streamText: 'Gradients (value x count, …)',
    streamC: 'C (Reddi)',
    streamSteps: 'Steps T (Reddi)',
    streamBeta1: 'β₁ of both',
    streamLoading: 'Loading the stream tools…',
    streamMovement: 'movement |x_t − x_{t−1}| per update (log)',
    streamX: 'x_t',
    streamSecond: 'Adam’s v_t and AMSGrad’s v̂_t (log)',
    streamRegret: 'average regret R_t / t',
    streamDiverged: '{racer} stopped at update {t}: {reason}.',
    streamSpike:
      'Update {t} has gradient {g}, {ratio} times the typical one. {adam} moved x by {step} ' +
      'there, {stepRatio} times its average step before; the {n} updates before it moved x by ' +
      '{before} in all.',
    streamAfter: 'The next update moved {adam} by {next} and {amsgrad} by {nextAms}.',
    streamLast:
      'At the last update, {later} updates after the spike, {adam} moves {adamLast} and {amsgrad} ' +
      '{amsLast}.',
    streamForgot: '{adam} has forgotten the spike; {amsgrad}’s v̂ still holds it.',
    streamKept:
      '{adam}’s step is still within a factor 2 of {amsgrad}’s: the spike still weighs on its v.',
    streamNoSpike: 'No gradient stands out from the others (the largest is {g}).',
    streamTotal: 'Over the whole stream {adam} moved {adamTotal} and {amsgrad} {amsTotal}.',
    streamReddiEnd: '{racer} ends at x = {x} after {steps} steps, average regret {regret}.',
    streamReddiAmsgradNearer:
      '{amsgrad} ends nearer the best point x* = −1 than {adam}, as Reddi et al. show.',
    streamReddiAdamNearer:
      'In this run {adam} ends nearer the best point x* = −1 than {amsgrad}: with these settings ' +
      'the counterexample does not show.',
    streamReddiTie: '{adam} and {amsgrad} end equally far from the best point x* = −1.',
  },
  zh: {
    streamTitle: '梯度序列：Adam 与 AMSGrad',
    streamIntro:
      '一维参数，梯度逐个给出：手写的序列（许多小梯度中有一个罕见的大梯度），或 Reddi 等人的在线问题。Adam 和 AMSGrad 在同一序列上运行；图表显示每次更新移动 x 的距离、x 的去向，以及 Adam 的 v 与 AMSGrad 的 v_max。',
    streamSource: '梯度序列',
    streamSourceSequence: '手写梯度序列',
    streamSourceReddi: 'Reddi 等人的问题',
    streamText: '梯度（值 x 次数, …）',
    streamC: 'C（Reddi）',
    streamSteps: '步数 T（Reddi）',
    streamBeta1: '两者的 β₁',
    streamLoading: '正在载入梯度序列工具…',
    streamMovement: '每次更新的移动 |x_t − x_{t−1}|（对数）',
    streamX: 'x_t',
    streamSecond: 'Adam 的 v_t 与 AMSGrad 的 v̂_t（对数）',
    streamRegret: '平均遗憾 R_t / t',
    streamDiverged: '{racer} 在第 {t} 次更新停止：{reason}。',
    streamSpike:
      '第 {t} 次更新的梯度为 {g}，是一般梯度的 {ratio} 倍。{adam} 在这一步移动了 {step}，是之前平均步长的 {stepRatio} 倍；之前的 {n} 次更新共移动 {before}。',
    streamAfter: '下一次更新 {adam} 移动 {next}，{amsgrad} 移动 {nextAms}。',
    streamLast:
      '最后一次更新（大梯度之后 {later} 次）{adam} 移动 {adamLast}，{amsgrad} 移动 {amsLast}。',
    streamForgot: '{adam} 已经忘记了那个大梯度；{amsgrad} 的 v̂ 仍然记得它。',
    streamKept: '{adam} 的步长仍在 {amsgrad} 的 2 倍以内：那个大梯度仍压着它的 v。',
    streamNoSpike: '没有哪个梯度明显大于其他梯度（最大为 {g}）。',
    streamTotal: '整个序列中 {adam} 共移动 {adamTotal}，{amsgrad} 共移动 {amsTotal}。',
    streamReddiEnd: '{racer} 在 {steps} 步后停在 x = {x}，平均遗憾 {regret}。',
    streamReddiAmsgradNearer: '{amsgrad} 比 {adam} 更接近最优点 x* = −1，与 Reddi 等人的结论一致。',
    streamReddiAdamNearer:
      '这次运行中 {adam} 比 {amsgrad} 更接近最优点 x* = −1：在这些设置下反例没有出现。',
    streamReddiTie: '{adam} 和 {amsgrad} 离最优点 x* = −1 一样远。',
  },
});
