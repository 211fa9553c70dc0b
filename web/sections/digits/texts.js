// SPDX-License-Identifier: MIT
// The texts of the handwritten-digits section, in English and Chinese, loaded with the section
// rather than with the page (i18n.js addTexts).

import { addTexts } from '../../i18n.js';

addTexts({
  en: {
    digitsBatchTitle: 'Small against large batch (Keskar et al. 2017)',
    digitsBatchRun: 'Train {racer}: batches of {small} against full batch',
    digitsBatchSmall: 'batches of {b}',
    digitsBatchFull: 'full batch',
    digitsBatchOf: 'The selected racer, {racer}, trained both ways on every seed.',
    digitsSliceTitle:
      'Training (solid) and test (dashed) loss from the batch-{b} solution (α = 0) to the full-batch one (α = 1), first seed',
    digitsSliceBarrier:
      'On the line between the two solutions the training loss rises from {small} (batches) and {large} (full batch) to {top} at α = {alpha}: a barrier separates them.',
    digitsSliceNoBarrier:
      'On the line between the two solutions the training loss goes from {small} (batches) to {large} (full batch) without rising above both: no barrier between them.',
    digitsSliceFailed: 'The slice between the two solutions could not be computed: {message}',
    digitsTitle: 'Handwritten digits: the racers on real data',
    digitsIntro:
      'Every racer trains the same 64-32-32-10 network on the UCI handwritten digits (1797 images ' +
      'of 8 x 8 pixels, 30% held out for testing), once per seed: the seed sets the split, the ' +
      'initialization and the batches, the same for every racer. Each method trains at its own ' +
      'learning rate for the digits (the race’s rates are made for 2-D surfaces and underfit or ' +
      'diverge on a network), unless the racers’ rates are chosen below. The table gives the ' +
      'mean ± standard deviation over the seeds.',
    digitsSeeds: 'Seeds',
    digitsSteps: 'Training steps',
    digitsBatch: 'Batch size (0: full batch)',
    digitsLabelNoise: 'Label noise (training set)',
    digitsTrainSize: 'Training images (0: all)',
    digitsLoss: 'Loss',
    digitsLossCe: 'softmax cross-entropy',
    digitsLossMse: 'mean squared error',
    digitsRates: 'Learning rates',
    digitsRatesDigits: 'each method’s rate for the digits',
    digitsRatesRace: 'the racers’ rates from the race',
    digitsLr: 'learning rate',
    digitsAbsolute:
      '{racers}: the schedule sets the learning rate itself (cyclic or one-cycle), so it trains at the schedule’s rates from the race, not at a rate for the digits.',
    digitsRun: 'Train on the digits ({n} networks)',
    digitsCancel: 'Cancel',
    digitsRunning: 'Training: {done} / {total} networks done…',
    digitsCancelled: 'Training cancelled.',
    digitsTableCaption: 'At the end of training, over {n} seeds (mean ± standard deviation)',
    digitsRacer: 'Racer',
    digits_trainAccuracy: 'train accuracy',
    digits_testAccuracy: 'test accuracy',
    digits_gap: 'gap (test − train loss)',
    digits_eigenvalue: 'top Hessian eigenvalue',
    digits_sharpness: 'ε-sharpness (%)',
    digitsBest: 'Over {n} seeds, {racer} reached the highest test accuracy, {acc}.',
    digitsGap:
      'The largest generalization gap was {big}’s, {bigGap}; the smallest {small}’s, {smallGap}.',
    digitsSharp:
      'By the top Hessian eigenvalue, {sharp} ended sharpest ({sharpL}) and {flat} flattest ({flatL}).',
    digitsDiverged: '{racer} diverged in {k} of {n} runs.',
    digitsFailed: '{racer} could not train: {message}',
    digitsNothing: 'No network finished training.',
    digitsStale:
      'The inputs or the racers changed since this training; train again to measure them.',
    digitsCurves: 'Accuracy (test solid, train dashed; mean over seeds)',
    digitsTest: 'test',
    digitsTrain: 'train',
    digitsMissed:
      '{racer}, first seed: {wrong} of {n} test digits misclassified; the first {shown} (true → predicted):',
    digitsMissedNone: '{racer}: no result.',
  },
  zh: {
    digitsBatchTitle: '小批量与大批量（Keskar 等人 2017）',
    digitsBatchRun: '训练 {racer}：批量 {small} 对比全批量',
    digitsBatchSmall: '批量 {b}',
    digitsBatchFull: '全批量',
    digitsBatchOf: '所选优化器 {racer} 在每个种子上用两种方式训练。',
    digitsSliceTitle:
      '从批量 {b} 的解（α = 0）到全批量的解（α = 1）的训练 loss（实线）与测试 loss（虚线），第一个种子',
    digitsSliceBarrier:
      '在两个解之间的连线上，训练 loss 从 {small}（小批量）和 {large}（全批量）升到 α = {alpha} 处的 {top}：两者之间隔着一道壁垒。',
    digitsSliceNoBarrier:
      '在两个解之间的连线上，训练 loss 从 {small}（小批量）变到 {large}（全批量），没有高过两端：两者之间没有壁垒。',
    digitsSliceFailed: '无法计算两个解之间的切片：{message}',
    digitsTitle: '手写数字：在真实数据上比赛',
    digitsIntro:
      '每个优化器用每个随机种子训练同一个 64-32-32-10 网络，数据是 UCI 手写数字（1797 张 8 x 8 图像，30% 留作测试）：种子决定数据划分、初始化和小批量，对所有优化器都相同。每种方法使用它在手写数字上的学习率（竞赛的学习率是为二维曲面设定的，在网络上会欠拟合或发散），除非在下面选择各选手在竞赛中的学习率。表格给出各种子上的均值 ± 标准差。',
    digitsSeeds: '随机种子数',
    digitsSteps: '训练步数',
    digitsBatch: '批量大小（0：全批量）',
    digitsLabelNoise: '标签噪声（训练集）',
    digitsTrainSize: '训练图像数（0：全部）',
    digitsLoss: '损失函数',
    digitsLossCe: 'softmax 交叉熵',
    digitsLossMse: '均方误差',
    digitsRates: '学习率',
    digitsRatesDigits: '各方法在手写数字上的学习率',
    digitsRatesRace: '各选手在竞赛中的学习率',
    digitsLr: '学习率',
    digitsAbsolute:
      '{racers}：其学习率调度（循环或单周期）自己设定学习率，因此按竞赛中调度的学习率训练，而非手写数字的学习率。',
    digitsRun: '在手写数字上训练（{n} 个网络）',
    digitsCancel: '取消',
    digitsRunning: '训练中：已完成 {done} / {total} 个网络…',
    digitsCancelled: '已取消训练。',
    digitsTableCaption: '训练结束时，{n} 个种子上的均值 ± 标准差',
    digitsRacer: '优化器',
    digits_trainAccuracy: '训练准确率',
    digits_testAccuracy: '测试准确率',
    digits_gap: '差距（测试 − 训练 loss）',
    digits_eigenvalue: 'Hessian 最大特征值',
    digits_sharpness: 'ε-尖锐度（%）',
    digitsBest: '在 {n} 个种子上，{racer} 的测试准确率最高：{acc}。',
    digitsGap: '泛化差距最大的是 {big}：{bigGap}；最小的是 {small}：{smallGap}。',
    digitsSharp: '按 Hessian 最大特征值，{sharp} 最尖锐（{sharpL}），{flat} 最平坦（{flatL}）。',
    digitsDiverged: '{racer} 在 {n} 次运行中有 {k} 次发散。',
    digitsFailed: '{racer} 无法训练：{message}',
    digitsNothing: '没有网络完成训练。',
    digitsStale: '训练之后输入或优化器已改变；请重新训练以测量。',
    digitsCurves: '准确率（测试实线，训练虚线；各种子的均值）',
    digitsTest: '测试',
    digitsTrain: '训练',
    digitsMissed:
      '{racer}，第一个种子：{n} 个测试数字中有 {wrong} 个分错；前 {shown} 个（真实 → 预测）：',
    digitsMissedNone: '{racer}：没有结果。',
  },
});
