// SPDX-License-Identifier: MIT
// Every label and message of the page, one dictionary per language (en, zh), in the terms of
// Hung-yi Lee's lecture "New Optimizers for Deep Learning" (动量, 自适应学习率, 预热, ...).

export const LANGUAGES = ['en', 'zh'];

const en = {
  title: 'Optimizer Playground',
  tagline: 'Deep-learning optimizers racing over a loss surface',
  language: 'Language',
  copyLink: 'Copy link',
  copied: 'Copied',
  copyManual: 'Press Ctrl+C to copy',
  shareLink: 'Link to this experiment',
  helpButton: 'Keyboard shortcuts',
  helpTitle: 'Keyboard shortcuts',
  helpClose: 'Close',
  keySpace: 'Space',
  keyPlay: 'play / pause',
  keyStep: 'one step back / forward',
  keyReset: 'back to step 0',
  keyHelp: 'this help',
  keyEscape: 'close this help',
  helpMouse:
    'Click or drag on the surface to move the start point. Wheel: zoom around the pointer. ' +
    'Shift + drag or middle drag: pan. On a touch screen: one finger moves the start point, ' +
    'two fingers zoom and pan.',
  loading: 'Loading the WebAssembly core…',
  loadFailed: 'The playground could not start: {message}',
  figureLabel: 'Loss surface {fn} with the paths of {n} optimizers',
  figureHint: 'Click or drag: start point · wheel: zoom · Shift+drag: pan',
  resetView: 'Reset view',
  readout: 'x = {x}, y = {y}, f = {f}',
  legendStart: 'start point',
  legendCurrent: 'current step',
  legendMinimum: 'minimum',
  legendLog: 'colour: log(1 + f − f_min)',
  legendLinear: 'colour: f',
  playback: 'Playback',
  play: 'Play',
  pause: 'Pause',
  stepBack: 'Step back',
  stepForward: 'Step forward',
  reset: 'Back to step 0',
  speed: 'Speed',
  speedValue: '{n} steps/s',
  scrubber: 'Step',
  stepLabel: 'step {s} / {n}',
  surface: 'Surface',
  function: 'Function',
  expression: 'Expression f(x, y)',
  expressionHint: 'x, y, + − * / ^, sin cos tan exp log sqrt abs tanh pow(a, b), pi, e',
  steps: 'Steps',
  noise: 'Gradient noise',
  noiseLevel: 'Noise level σ',
  noiseSeed: 'Seed',
  newSeed: 'New seed',
  racers: 'Racers',
  racersHint: 'Click a card to show its internal state in the chart.',
  addRacer: 'Add racer',
  duplicate: 'Duplicate',
  remove: 'Remove',
  method: 'Method',
  colour: 'Colour',
  moreSettings: 'More settings',
  schedule: 'Learning-rate schedule',
  scheduleNone: 'none (constant learning rate)',
  innerMethod: 'Inner optimizer',
  preset: 'Preset',
  presetKeep: 'as in the link',
  presetWarmupCosine: 'warm-up, then cosine annealing',
  presetWarmupConstant: 'warm-up, then constant',
  presetWarmupTimesCosine: 'warm-up × cosine annealing',
  presetWarmupTimesStep: 'warm-up × step decay',
  milestonesHint: 'steps, separated by commas',
  auto: 'auto',
  racerStatus: 'f = {f} at step {s}',
  racerDiverged: 'diverged at step {k}',
  racerError: 'cannot run: {message}',
  racerSelected: 'shown in the state chart',
  charts: 'Charts',
  chartLoss: 'Loss',
  chartLr: 'Learning rate',
  chartState: 'Internal state of',
  stateSeries: 'Quantity',
  axisStep: 'step',
  axisLoss: 'f, log scale',
  axisLossShifted: 'f − f* (f* = {f}), log scale',
  axisLossSigned: 'f, symmetric log scale (asinh)',
  axisLr: 'η_t, log scale',
  coordX: '{name} (x)',
  coordY: '{name} (y)',
  fastX: 'fast weights (x)',
  fastY: 'fast weights (y)',
  threshold: 'threshold {v}',
  switchAt: 'switch to SGD at step {k}',
  noSwitch: 'no switch to SGD yet',
  surfaceNotFinite:
    'The function has no finite value anywhere in this view (NaN or infinite everywhere): nothing to draw. Change the expression or the view.',
  seriesMissing: '{racer} does not report {series}; its own quantity is shown',
  racerComputing: 'computing…',
  rectifiedFrom: 'adaptive step from step {k}',
  band: 'band',
  noState: 'No internal state to show.',
  captionLead: '{a} reaches f = {fa} at step {s}',
  captionLeadLive: 'step {s}: {a} leads with f = {fa}',
  captionLastLive: '{b} is last with f = {fb}',
  captionLast: '{b} stalls at f = {fb}',
  captionLastMoving: '{b} is highest, at f = {fb} and still going down',
  captionOne: '{a}: f = {fa} at step {s} of {n}',
  captionDiverged: '{a} diverged at step {k}',
  captionAtMin: '{a} is at the minimum (f = {fa}) at step {s}',
  captionNone: 'No racer could run; see the message above.',
  fineprint:
    'Do not pick an optimizer from a 2-D picture: each racer has its own learning rate, and ' +
    'the ranking changes with the surface, the start point and the tuning. On real networks, ' +
    'compare them on your task.',
  linkProblems: 'This link has problems; the rest of it loaded:',
  invalidValue: '{message}',
  dismiss: 'Dismiss',
  expressionError: 'Expression: {message}',
  // The sharp vs flat minima lab (lab.js)
  labTitle: 'Sharp vs flat minima',
  labIntro:
    'Every racer runs many times from random starts; the table shows where the runs end and ' +
    'the generalization gap on a test surface shifted from the training surface by the offset.',
  labUseSurface: 'Race on the sharp and flat surface',
  labSurfaceOwn:
    'The race’s surface has fewer than two minima to compare, so the lab measures the race’s racers on {fn}.',
  labSurfaceRace: 'The lab measures the race’s racers on the race’s surface, {fn}.',
  labRuns: 'Runs per racer',
  labNoise: 'Gradient noise σ',
  labOffset: 'Test shift in x',
  labEpsilon: 'ε (sharpness box)',
  labRun: 'Run ensemble',
  labCancel: 'Cancel',
  labProgress: 'Ensemble progress',
  labNeedMinima:
    'This surface has no known minima to compare; choose the sharp and flat surface or one with listed minima.',
  labRunning: 'Running: {done} / {total} runs per racer…',
  labDone: 'Done in {s} s.',
  labCancelled: 'Cancelled after {done} / {total} runs per racer.',
  labWorkerFailed: 'The worker could not run: {message}',
  labSharp: 'sharp minimum',
  labFlat: 'flat minimum',
  labMinimumN: 'minimum {n}',
  labRacer: 'Racer',
  labElsewhere: 'elsewhere',
  labDiverged: 'diverged',
  labMeanGap: 'mean gap (runs in a minimum)',
  labMedianGap: 'median gap (runs in a minimum)',
  labElsewhereNote:
    '“Elsewhere”: the run ended farther than {r} from every listed minimum (it had not converged to one). The gaps are those of the runs that ended in a minimum.',
  labResultsCaption: 'Where {n} runs per racer ended; generalization gap = test loss − train loss',
  labMinimaCaption: 'At each minimum of {fn}',
  labEndpointsCaption:
    'Where each racer of the race above ended after {steps} steps, measured there (test surface shifted by {dx} in x, ε = {eps})',
  labEndpointsCaptionOwn:
    'Where each racer ends after {steps} steps on this surface from its start ({x}, {y}), measured there (test surface shifted by {dx} in x, ε = {eps})',
  labEndpoint: 'endpoint',
  labNearest: 'nearest minimum',
  labNearestAt: '{name}, {d} away',
  labEndpointDiverged: 'diverged at update {step}',
  labMinimum: 'Minimum',
  labTrainLoss: 'train loss',
  labTestLoss: 'test loss',
  labGap: 'generalization gap',
  labEigen: 'Hessian eigenvalues',
  labSharpness: 'ε-sharpness',
  labCaption:
    'Of the runs ({n} per racer) that ended in a minimum, this share ended in {where}: {list}.',
  labCaptionItem: '{racer} {p} ({k} of {of})',
  labTheSharp: 'the sharp minimum',
  labListSep: ', ',
  labCaptionMost: 'In this run {most} ended in {where} most often and {least} least often.',
  labCaptionTie: 'In this run every racer ended in {where} equally often.',
  labCaptionNever: 'No run of {list} ended in a minimum.',
  labCaptionAstray: 'Ended elsewhere (farther than {r} from every minimum) or diverged: {list}.',
  labCaptionAstrayItem: '{racer} {p} elsewhere, {d} diverged',
  labSectionTitle: 'Train and test loss: a cross-section',
  labMapTitle: 'Train and test contours',
  labLegendTrain: 'train loss',
  labLegendTest: 'test loss (train surface shifted)',
  labMarkSharp: 'sharp',
  labMarkFlat: 'flat',
  labMarkN: 'min {n}',
  labPicturesCaption:
    'Left: the loss along {line} (axis: {axis}); right: contours of both surfaces. The test ' +
    'surface is the train surface shifted by {dx} in x.',
  labLine_minima: 'the line through the first two minima',
  labLine_minimum: 'the horizontal line through the minimum',
  labLine_start: 'the horizontal line through the start (this surface lists no minima)',
  labPicturesGaps: 'Generalization gap at each minimum: {list}.',
  labPicturesGap: '{where} {gap}',
  labPicturesEndpoints: 'Dots: where the last ensemble’s {n} runs per racer ended.',
  labGapTitle: 'Distribution of the generalization gap',
  labGapCaption:
    'Each dot is one run’s generalization gap (test loss − train loss at its endpoint, test ' +
    'surface shifted by {dx} in x), {n} runs per racer; box: quartiles, bar: median.',
  labGapLeftOut:
    '{n} runs that ended elsewhere (farther than {r} from every minimum) or diverged are not shown.',
  // The tiny neural network (mlp.js)
  mlpTitle: 'Tiny neural network',
  mlpIntro:
    'Every racer trains the same small neural network from the same initialization on the same ' +
    'data (same seeds for the data, the weights and the mini-batches), in a background worker. ' +
    'The table compares training loss, test loss, accuracy, the generalization gap and the ' +
    'sharpness (top Hessian eigenvalue and ε-sharpness) where each optimizer ended; below it, ' +
    '1-D loss slices show the landscape around the solutions.',
  mlpDataset: 'Dataset',
  mlpData_two_moons: 'two moons',
  mlpData_two_spirals: 'two spirals',
  mlpData_circles: 'circles',
  mlpData_xor: 'XOR',
  mlpData_blobs: 'Gaussian blobs',
  mlpHidden: 'Hidden layers',
  mlpHiddenHint: 'Widths of the hidden layers, separated by commas, e.g. 16,16',
  mlpActivation: 'Activation',
  mlpBatch: 'Batch size (0 = full batch)',
  mlpBatchHint: '0 trains on the full batch; otherwise mini-batches of this size',
  mlpSteps: 'Steps',
  mlpTrain: 'Train',
  mlpProgress: 'Training progress',
  mlpRunning: 'Training: step {done} / {total}…',
  mlpDone: 'Done in {s} s.',
  mlpCancelled: 'Cancelled at step {done} / {total}.',
  mlpBadSteps: 'Steps: enter an integer from {min} to {max}.',
  mlpPoints: 'Points n',
  mlpNoise: 'Dataset noise',
  mlpLabelNoise: 'Label noise',
  mlpTestFraction: 'Test fraction',
  mlpLossChart: 'Training loss and test loss (dashed)',
  mlpAccuracyChart: 'Training accuracy and test accuracy (dashed)',
  mlpGapLive: 'Generalization gap (test loss − training loss) at step {step}: {list}',
  mlpTrainOf: '{racer} train',
  mlpTestOf: '{racer} test',
  mlpBoundary: 'Decision boundary',
  mlpBoundaryOf: 'Decision boundary of {racer} over the data',
  mlpPreviewNote:
    'Before training: the data (filled: training points, rings: test points) and the decision boundary of the initial network, the same for every racer.',
  mlpBoundaryNote:
    'Colour: the predicted probability of class 1. Filled dots: training data; rings: test data.',
  mlpShow: 'Racer',
  mlpResultsCaption:
    'After {steps} steps; generalization gap = test loss − training loss; sharpness: top Hessian eigenvalue (20 power iterations) and ε-sharpness (Keskar et al. 2017, ε = {epsilon}: the largest rise of the training loss in a box of radius ε, relative to 1 + loss, in %)',
  mlpTrainLoss: 'training loss',
  mlpTestLoss: 'test loss',
  mlpTrainAccuracy: 'training accuracy',
  mlpTestAccuracy: 'test accuracy',
  mlpGap: 'generalization gap',
  mlpEigen: 'sharpness λmax',
  mlpSharpness: 'ε-sharpness (%)',
  mlpStepsTo: 'steps to training loss < {target}',
  mlpCaptionRun: 'In this run ({n} racers, {steps} steps):',
  mlpCaptionGap: '{racer} had the smallest generalization gap ({gap});',
  mlpCaptionEigen: '{racer} ended at the sharpest point (top Hessian eigenvalue {value}).',
  mlpCaptionSame: 'The racer with the smallest gap was also the sharpest here.',
  mlpCaptionDiffer: 'The racer with the smallest gap was not the sharpest here.',
  mlpCaptionSharpness: '{racer} had the largest ε-sharpness ({value} % at ε = {epsilon}).',
  mlpSliceRandom: 'Loss along a random direction',
  mlpSliceRandomNote:
    'Training loss (solid) and test loss (dashed) at the solution + α·d, with d a filter-normalized random direction (Li et al. 2018), drawn with the same seed for every racer; α = 0 is the solution.',
  mlpSliceLine: 'Loss on the line between two solutions',
  mlpSliceA: 'Racer A (α = 0)',
  mlpSliceB: 'Racer B (α = 1)',
  mlpLineTrain: 'training loss',
  mlpLineTest: 'test loss',
  mlpLineBusy: 'Computing the line slice…',
  mlpLineSame: 'Choose two different racers for A and B.',
  mlpSliceNone: 'No finite training loss along the direction in this run.',
  mlpSliceOne:
    'Along this direction the training loss rose by {rise} at radius 1 (mean of α = ±1) for {racer}.',
  mlpSliceMost:
    'Along this direction the training loss rose most at radius 1 (mean of α = ±1) for {most} ({rise}) and least for {least} ({low}): by this slice, {most} sits in the sharper minimum.',
  mlpSliceAgrees: 'The ε-sharpness in the table ranks the same racer as the sharpest.',
  mlpSliceDisagrees: 'The ε-sharpness in the table ranks a different racer as the sharpest.',
  mlpLineBarrier:
    'From {a} (α = 0) to {b} (α = 1) the training loss peaks at {value} at α = {alpha}, a barrier of {barrier} above the higher end.',
  mlpLineNoBarrier:
    'From {a} (α = 0) to {b} (α = 1) the training loss never rises above the higher end: no barrier between the two solutions.',
  mlpLineTestEnds: 'Test loss: {ta} at {a}, {tb} at {b}.',
};

const zh = {
  title: '优化器演练场',
  tagline: '深度学习优化器在损失曲面上赛跑',
  language: '语言',
  copyLink: '复制链接',
  copied: '已复制',
  copyManual: '请按 Ctrl+C 复制',
  shareLink: '本实验的链接',
  helpButton: '快捷键',
  helpTitle: '快捷键',
  helpClose: '关闭',
  keySpace: '空格',
  keyPlay: '播放 / 暂停',
  keyStep: '后退 / 前进一步',
  keyReset: '回到第 0 步',
  keyHelp: '打开本帮助',
  keyEscape: '关闭本帮助',
  helpMouse:
    '在曲面上点击或拖动可移动起点。滚轮：以指针为中心缩放。Shift + 拖动或中键拖动：平移。' +
    '触屏：单指移动起点，双指缩放和平移。',
  loading: '正在加载 WebAssembly 核心……',
  loadFailed: '演练场无法启动：{message}',
  figureLabel: '损失曲面 {fn}，以及 {n} 个优化器的路径',
  figureHint: '点击或拖动：起点 · 滚轮：缩放 · Shift+拖动：平移',
  resetView: '重置视图',
  readout: 'x = {x}，y = {y}，f = {f}',
  legendStart: '起点',
  legendCurrent: '当前步',
  legendMinimum: '极小值点',
  legendLog: '颜色：log(1 + f − f_min)',
  legendLinear: '颜色：f',
  playback: '播放控制',
  play: '播放',
  pause: '暂停',
  stepBack: '后退一步',
  stepForward: '前进一步',
  reset: '回到第 0 步',
  speed: '速度',
  speedValue: '每秒 {n} 步',
  scrubber: '步数',
  stepLabel: '第 {s} / {n} 步',
  surface: '损失曲面',
  function: '函数',
  expression: '表达式 f(x, y)',
  expressionHint: 'x、y、+ − * / ^、sin cos tan exp log sqrt abs tanh pow(a, b)、pi、e',
  steps: '步数',
  noise: '梯度噪声',
  noiseLevel: '噪声强度 σ',
  noiseSeed: '随机种子',
  newSeed: '换一个种子',
  racers: '参赛优化器',
  racersHint: '点击卡片，可在图表中查看它的内部状态。',
  addRacer: '添加优化器',
  duplicate: '复制',
  remove: '删除',
  method: '方法',
  colour: '颜色',
  moreSettings: '更多设置',
  schedule: '学习率调度',
  scheduleNone: '无（固定学习率）',
  innerMethod: '内部优化器',
  preset: '预设',
  presetKeep: '保持链接中的设置',
  presetWarmupCosine: '先预热，再余弦退火',
  presetWarmupConstant: '先预热，再保持不变',
  presetWarmupTimesCosine: '预热 × 余弦退火',
  presetWarmupTimesStep: '预热 × 阶梯衰减',
  milestonesHint: '步数，用逗号分隔',
  auto: '自动',
  racerStatus: '第 {s} 步：f = {f}',
  racerDiverged: '在第 {k} 步发散',
  racerError: '无法运行：{message}',
  racerSelected: '内部状态显示在图表中',
  charts: '图表',
  chartLoss: '损失',
  chartLr: '学习率',
  chartState: '内部状态：',
  stateSeries: '物理量',
  axisStep: '步数',
  axisLoss: 'f，对数坐标',
  axisLossShifted: 'f − f*（f* = {f}），对数坐标',
  axisLossSigned: 'f，对称对数坐标 (asinh)',
  axisLr: 'η_t，对数坐标',
  coordX: '{name}（x）',
  coordY: '{name}（y）',
  fastX: '快权重（x）',
  fastY: '快权重（y）',
  threshold: '阈值 {v}',
  switchAt: '第 {k} 步切换到 SGD',
  noSwitch: '尚未切换到 SGD',
  surfaceNotFinite:
    '函数在当前视图中处处不是有限值（NaN 或无穷大），无法绘制。请修改表达式或视图。',
  seriesMissing: '{racer} 没有 {series} 这个量，显示它自己的量',
  racerComputing: '计算中…',
  rectifiedFrom: '从第 {k} 步起使用自适应步长',
  band: '区间',
  noState: '没有可显示的内部状态。',
  captionLead: '{a} 在第 {s} 步达到 f = {fa}',
  captionLeadLive: '第 {s} 步：{a} 领先，f = {fa}',
  captionLastLive: '{b} 落后，f = {fb}',
  captionLast: '{b} 停滞在 f = {fb}',
  captionLastMoving: '{b} 最高，f = {fb}，仍在下降',
  captionOne: '{a}：第 {s} / {n} 步，f = {fa}',
  captionDiverged: '{a} 在第 {k} 步发散',
  captionAtMin: '{a} 在第 {s} 步到达极小值点（f = {fa}）',
  captionNone: '没有优化器能运行，请看上方的提示。',
  fineprint:
    '不要凭一张二维图挑选优化器：每个优化器都有自己的学习率，排名会随曲面、起点和调参而改变。' +
    '在真实网络上，请在你自己的任务上比较。',
  linkProblems: '此链接有问题，其余部分已载入：',
  invalidValue: '{message}',
  dismiss: '关闭',
  expressionError: '表达式：{message}',
  // 尖锐与平坦极小值实验（lab.js）
  labTitle: '尖锐极小值与平坦极小值',
  labIntro:
    '每个优化器从随机起点运行多次；表格显示这些运行停在哪里，以及在按偏移量平移的测试曲面上的泛化差距。',
  labUseSurface: '在尖锐/平坦曲面上比赛',
  labSurfaceOwn: '比赛曲面上可比较的极小值少于两个，因此实验在{fn}上测量比赛中的各优化器。',
  labSurfaceRace: '实验在比赛曲面（{fn}）上测量比赛中的各优化器。',
  labRuns: '每个优化器的运行次数',
  labNoise: '梯度噪声 σ',
  labOffset: '测试曲面 x 方向平移',
  labEpsilon: 'ε（尖锐度邻域）',
  labRun: '运行集成实验',
  labCancel: '取消',
  labProgress: '集成实验进度',
  labNeedMinima: '此曲面没有已知的极小值可供比较；请选择尖锐/平坦曲面或有已知极小值的函数。',
  labRunning: '运行中：每个优化器 {done} / {total} 次…',
  labDone: '用时 {s} 秒。',
  labCancelled: '已取消，每个优化器完成 {done} / {total} 次。',
  labWorkerFailed: '后台线程无法运行：{message}',
  labSharp: '尖锐极小值',
  labFlat: '平坦极小值',
  labMinimumN: '极小值 {n}',
  labRacer: '优化器',
  labElsewhere: '其他位置',
  labDiverged: '发散',
  labMeanGap: '平均泛化差距（停在极小值的运行）',
  labMedianGap: '泛化差距中位数（停在极小值的运行）',
  labElsewhereNote:
    '“其他位置”：运行终点与每个已知极小值的距离都超过 {r}（没有收敛到极小值）。泛化差距只统计停在极小值的运行。',
  labResultsCaption: '每个优化器 {n} 次运行的终点；泛化差距 = 测试损失 − 训练损失',
  labMinimaCaption: '{fn} 的各个极小值处',
  labEndpointsCaption:
    '上方比赛中各优化器在 {steps} 步后的终点，以及在终点处的测量（测试曲面沿 x 平移 {dx}，ε = {eps}）',
  labEndpointsCaptionOwn:
    '各优化器从此曲面的起点 ({x}, {y}) 运行 {steps} 步后的终点，以及在终点处的测量（测试曲面沿 x 平移 {dx}，ε = {eps}）',
  labEndpoint: '终点',
  labNearest: '最近的极小值',
  labNearestAt: '{name}，距离 {d}',
  labEndpointDiverged: '在第 {step} 次更新时发散',
  labMinimum: '极小值',
  labTrainLoss: '训练损失',
  labTestLoss: '测试损失',
  labGap: '泛化差距',
  labEigen: 'Hessian 特征值',
  labSharpness: 'ε-尖锐度',
  labCaption: '在停在极小值的运行中（每个优化器共 {n} 次），停在{where}的比例：{list}。',
  labCaptionItem: '{racer} {p}（{of} 次中 {k} 次）',
  labTheSharp: '尖锐极小值',
  labListSep: '，',
  labCaptionNever: '{list} 没有一次运行停在极小值。',
  labCaptionAstray: '停在其他位置（与每个极小值的距离都超过 {r}）或发散：{list}。',
  labCaptionAstrayItem: '{racer} 其他位置 {p}，发散 {d}',
  labCaptionMost: '本次运行中，{most} 停在{where}的次数最多，{least} 最少。',
  labCaptionTie: '本次运行中，各优化器停在{where}的次数相同。',
  labSectionTitle: '训练损失与测试损失：截面',
  labMapTitle: '训练与测试曲面的等高线',
  labLegendTrain: '训练损失',
  labLegendTest: '测试损失（平移后的训练曲面）',
  labMarkSharp: '尖锐',
  labMarkFlat: '平坦',
  labMarkN: '极小值 {n}',
  labPicturesCaption:
    '左：沿{line}的损失（横轴：{axis}）；右：两个曲面的等高线。测试曲面是训练曲面沿 x 方向平移 {dx}。',
  labLine_minima: '穿过前两个极小值的直线',
  labLine_minimum: '穿过极小值的水平线',
  labLine_start: '穿过起点的水平线（此曲面没有已知的极小值）',
  labPicturesGaps: '各极小值处的泛化差距：{list}。',
  labPicturesGap: '{where} {gap}',
  labPicturesEndpoints: '点：上一次集成实验中每个优化器 {n} 次运行的终点。',
  labGapTitle: '泛化差距的分布',
  labGapCaption:
    '每个点是一次运行的泛化差距（终点处的测试损失 − 训练损失，测试曲面沿 x 方向平移 {dx}），每个优化器 {n} 次运行；方框：四分位数，竖线：中位数。',
  labGapLeftOut: '{n} 次停在其他位置（与每个极小值的距离都超过 {r}）或发散的运行未画出。',
  // 小型神经网络（mlp.js）
  mlpTitle: '小型神经网络',
  mlpIntro:
    '每个优化器在同样的数据上、从同样的初始化训练同一个小型神经网络（数据、权重和小批量使用相同的随机种子），在后台线程中运行。' +
    '表格比较各优化器终点的训练损失、测试损失、准确率、泛化差距和锐度（Hessian 最大特征值与 ε-尖锐度）；下方的一维损失切片展示解附近的损失地形。',
  mlpDataset: '数据集',
  mlpData_two_moons: '双月形',
  mlpData_two_spirals: '双螺旋',
  mlpData_circles: '同心圆',
  mlpData_xor: '异或 (XOR)',
  mlpData_blobs: '高斯团簇',
  mlpHidden: '隐藏层',
  mlpHiddenHint: '各隐藏层的宽度，用逗号分隔，例如 16,16',
  mlpActivation: '激活函数',
  mlpBatch: '批量大小（0 = 全批量）',
  mlpBatchHint: '0 表示全批量训练；否则使用此大小的小批量',
  mlpSteps: '步数',
  mlpTrain: '训练',
  mlpProgress: '训练进度',
  mlpRunning: '训练中：第 {done} / {total} 步…',
  mlpDone: '用时 {s} 秒。',
  mlpCancelled: '已在第 {done} / {total} 步取消。',
  mlpBadSteps: '步数：请输入 {min} 到 {max} 之间的整数。',
  mlpPoints: '样本点数 n',
  mlpNoise: '数据噪声',
  mlpLabelNoise: '标签噪声',
  mlpTestFraction: '测试集比例',
  mlpLossChart: '训练损失与测试损失（虚线）',
  mlpAccuracyChart: '训练准确率与测试准确率（虚线）',
  mlpGapLive: '第 {step} 步的泛化差距（测试损失 − 训练损失）：{list}',
  mlpTrainOf: '{racer} 训练',
  mlpTestOf: '{racer} 测试',
  mlpBoundary: '决策边界',
  mlpBoundaryOf: '{racer} 在数据上的决策边界',
  mlpPreviewNote:
    '训练之前：数据（实心点：训练集，空心圈：测试集）和初始网络的决策边界，所有优化器都相同。',
  mlpBoundaryNote: '颜色：预测为类别 1 的概率。实心点：训练数据；空心圈：测试数据。',
  mlpShow: '优化器',
  mlpResultsCaption:
    '训练 {steps} 步后；泛化差距 = 测试损失 − 训练损失；锐度：Hessian 最大特征值（20 次幂迭代）与 ε-尖锐度（Keskar 等 2017，ε = {epsilon}：半径为 ε 的盒子内训练损失的最大增量，相对于 1 + 损失，以 % 计）',
  mlpTrainLoss: '训练损失',
  mlpTestLoss: '测试损失',
  mlpTrainAccuracy: '训练准确率',
  mlpTestAccuracy: '测试准确率',
  mlpGap: '泛化差距',
  mlpEigen: '锐度 λmax',
  mlpSharpness: 'ε-尖锐度（%）',
  mlpStepsTo: '训练损失 < {target} 所需步数',
  mlpCaptionRun: '本次运行（{n} 个优化器，{steps} 步）：',
  mlpCaptionGap: '{racer} 的泛化差距最小（{gap}）；',
  mlpCaptionEigen: '{racer} 停在最尖锐的点（Hessian 最大特征值 {value}）。',
  mlpCaptionSame: '泛化差距最小的优化器在这里也是最尖锐的。',
  mlpCaptionDiffer: '泛化差距最小的优化器在这里并不是最尖锐的。',
  mlpCaptionSharpness: '{racer} 的 ε-尖锐度最大（ε = {epsilon} 时为 {value} %）。',
  mlpSliceRandom: '沿随机方向的损失',
  mlpSliceRandomNote:
    '训练损失（实线）与测试损失（虚线）在 解 + α·d 处的取值，d 为滤波器归一化的随机方向（Li 等 2018），所有优化器使用相同的随机种子；α = 0 即为解。',
  mlpSliceLine: '两个解之间连线上的损失',
  mlpSliceA: '优化器 A（α = 0）',
  mlpSliceB: '优化器 B（α = 1）',
  mlpLineTrain: '训练损失',
  mlpLineTest: '测试损失',
  mlpLineBusy: '正在计算连线切片…',
  mlpLineSame: '请为 A 和 B 选择两个不同的优化器。',
  mlpSliceNone: '本次运行中沿该方向没有有限的训练损失。',
  mlpSliceOne: '沿该方向，{racer} 的训练损失在半径 1 处（α = ±1 的平均）上升了 {rise}。',
  mlpSliceMost:
    '沿该方向，训练损失在半径 1 处（α = ±1 的平均）上升最多的是 {most}（{rise}），最少的是 {least}（{low}）：按此切片，{most} 位于更尖锐的极小值。',
  mlpSliceAgrees: '表格中的 ε-尖锐度也将同一个优化器排为最尖锐。',
  mlpSliceDisagrees: '表格中的 ε-尖锐度将另一个优化器排为最尖锐。',
  mlpLineBarrier:
    '从 {a}（α = 0）到 {b}（α = 1），训练损失在 α = {alpha} 处达到峰值 {value}，比较高的一端高出 {barrier}（势垒）。',
  mlpLineNoBarrier:
    '从 {a}（α = 0）到 {b}（α = 1），训练损失始终不超过较高的一端：两个解之间没有势垒。',
  mlpLineTestEnds: '测试损失：{a} 处为 {ta}，{b} 处为 {tb}。',
};

/** Method labels; the English ones come from the core's metadata. */
const methods = {
  en: { sgd_momentum: 'SGDM (momentum)' },
  zh: {
    sgd: 'SGD（随机梯度下降）',
    sgd_momentum: '带动量的 SGD (SGDM)',
    momentum_classic: '经典动量',
    nag: 'NAG（Nesterov 动量）',
    adagrad: 'Adagrad（自适应学习率）',
    rmsprop: 'RMSProp',
    adadelta: 'Adadelta',
    adam: 'Adam',
    adamax: 'Adamax',
    amsgrad: 'AMSGrad',
    adabound: 'AdaBound',
    amsbound: 'AMSBound',
    swats: 'SWATS（先 Adam 后 SGDM）',
    radam: 'RAdam',
    nadam: 'NAdam',
    nadam_dozat: 'NAdam（固定动量）',
    adamw: 'AdamW（解耦权重衰减）',
    sgdw: 'SGDW（解耦权重衰减）',
    lookahead: 'Lookahead（快慢权重）',
  },
};

/** Short names for captions, legends and the chart legend. */
const shortMethods = {
  en: { sgd_momentum: 'SGDM', momentum_classic: 'Momentum', nag: 'NAG', nadam_dozat: 'NAdam-c' },
  zh: { sgd_momentum: 'SGDM', momentum_classic: '经典动量', nag: 'NAG', nadam_dozat: 'NAdam-c' },
};

const functions = {
  en: { custom: 'Custom expression' },
  zh: {
    quadratic: '二次碗形函数',
    rosenbrock: 'Rosenbrock 函数（香蕉形山谷）',
    beale: 'Beale 函数',
    himmelblau: 'Himmelblau 函数（四个极小值）',
    saddle: '鞍点',
    rastrigin: 'Rastrigin 函数（众多局部极小值）',
    ackley: 'Ackley 函数',
    styblinski_tang: 'Styblinski–Tang 函数',
    booth: 'Booth 函数',
    six_hump_camel: '六峰驼背函数',
    goldstein_price: 'Goldstein–Price 函数',
    twin_basin: '尖锐与平坦极小值（双井曲面）',
    custom: '自定义表达式',
  },
};

const schedules = {
  zh: {
    constant: '常数',
    step: '阶梯衰减',
    multistep: '多阶段衰减',
    exponential: '指数衰减',
    inverse_sqrt: '平方根倒数衰减',
    cosine: '余弦退火',
    cosine_warm_restarts: '带热重启的余弦退火 (SGDR)',
    cyclic: '循环学习率 (CLR)',
    one_cycle: '单周期 (one-cycle)',
    linear_warmup: '线性预热',
    exponential_warmup: '指数预热',
    sequential: '依次执行 (sequential)',
    chain: '相乘组合 (chain)',
  },
};

/** Parameter labels: '<method>.<name>' first, then '<name>'. */
const params = {
  en: {
    lr: 'learning rate η',
    momentum: 'momentum μ',
    dampening: 'dampening τ',
    nesterov: 'Nesterov',
    weight_decay: 'weight decay',
    lr_decay: 'learning-rate decay',
    initial_accumulator_value: 'initial accumulator',
    eps: 'ε',
    'rmsprop.alpha': 'smoothing α',
    centered: 'centred',
    rho: 'ρ',
    beta1: 'β₁',
    beta2: 'β₂',
    amsgrad: 'AMSGrad',
    variant: 'variant',
    final_lr: 'final learning rate',
    gamma: 'γ',
    amsbound: 'AMSBound',
    switch_eps: 'switch tolerance',
    threshold: 'ρ threshold',
    decoupled_weight_decay: 'decoupled weight decay',
    momentum_decay: 'momentum decay ψ',
    wd_mode: 'decay scaled by',
    k: 'sync period k',
    'lookahead.alpha': 'slow step α',
    inner: 'inner optimizer',
    a: 'a',
    b: 'b',
    angle: 'rotation (degrees)',
    'quadratic.a': 'curvature along x (a)',
    'quadratic.b': 'curvature along y (b)',
    'rosenbrock.a': 'minimum at (a, a²): a',
    'rosenbrock.b': 'valley steepness b',
    'rastrigin.A': 'ripple amplitude A',
    'ackley.a': 'funnel depth a',
    'ackley.b': 'funnel steepness b',
    'ackley.c': 'bump frequency c',
    'twin_basin.distance': 'distance between the wells',
    'twin_basin.sharp_width': 'sharp well: width',
    'twin_basin.flat_width': 'flat well: width',
    'twin_basin.sharp_depth': 'sharp well: depth',
    'twin_basin.flat_depth': 'flat well: depth',
    'twin_basin.confinement': 'curvature of the bowl',
    'twin_basin.shift_x': 'shift in x',
    'twin_basin.shift_y': 'shift in y',
    'custom.expression': 'expression f(x, y)',
    step_size: 'every (steps)',
    milestones: 'milestones',
    t_max: 'period T_max',
    eta_min: 'minimum η_min',
    t_0: 'first period T_0',
    t_mult: 'period factor T_mult',
    base_lr: 'base learning rate',
    max_lr: 'maximum learning rate',
    step_size_up: 'steps up',
    step_size_down: 'steps down',
    mode: 'mode',
    total_steps: 'total steps',
    pct_start: 'share rising',
    anneal_strategy: 'annealing',
    div_factor: 'initial divisor',
    final_div_factor: 'final divisor',
    three_phase: 'three phases',
    warmup_steps: 'warm-up steps',
    start_factor: 'start factor',
    tau: 'time constant τ',
    schedules: 'schedules',
  },
  zh: {
    lr: '学习率 η',
    momentum: '动量 μ',
    dampening: '阻尼',
    nesterov: 'Nesterov 动量',
    weight_decay: '权重衰减',
    lr_decay: '学习率衰减',
    initial_accumulator_value: '累加器初值',
    eps: 'ε',
    'rmsprop.alpha': '平滑系数 α',
    centered: '中心化',
    rho: 'ρ',
    beta1: 'β₁',
    beta2: 'β₂',
    amsgrad: 'AMSGrad',
    variant: '变体',
    final_lr: '最终学习率',
    gamma: 'γ',
    amsbound: 'AMSBound',
    switch_eps: '切换容差',
    threshold: 'ρ 阈值',
    decoupled_weight_decay: '解耦权重衰减',
    momentum_decay: '动量衰减 ψ',
    wd_mode: '衰减乘以',
    k: '同步周期 k',
    'lookahead.alpha': '慢权重步长 α',
    inner: '内部优化器',
    angle: '旋转角（度）',
    'quadratic.a': 'x 方向曲率 (a)',
    'quadratic.b': 'y 方向曲率 (b)',
    'rosenbrock.a': '极小值位置 (a, a²)：a',
    'rosenbrock.b': '山谷陡度 b',
    'rastrigin.A': '波纹幅度 A',
    'ackley.a': '漏斗深度 a',
    'ackley.b': '漏斗陡度 b',
    'ackley.c': '起伏频率 c',
    'twin_basin.distance': '两个井的间距',
    'twin_basin.sharp_width': '尖锐井：宽度',
    'twin_basin.flat_width': '平坦井：宽度',
    'twin_basin.sharp_depth': '尖锐井：深度',
    'twin_basin.flat_depth': '平坦井：深度',
    'twin_basin.confinement': '外围碗形的曲率',
    'twin_basin.shift_x': 'x 方向平移',
    'twin_basin.shift_y': 'y 方向平移',
    'custom.expression': '表达式 f(x, y)',
    step_size: '间隔（步）',
    milestones: '里程碑',
    t_max: '周期 T_max',
    eta_min: '最小值 η_min',
    t_0: '首个周期 T_0',
    t_mult: '周期倍数 T_mult',
    base_lr: '基础学习率',
    max_lr: '最大学习率',
    step_size_up: '上升步数',
    step_size_down: '下降步数',
    mode: '模式',
    total_steps: '总步数',
    pct_start: '上升比例',
    anneal_strategy: '退火方式',
    div_factor: '初始除数',
    final_div_factor: '最终除数',
    three_phase: '三阶段',
    warmup_steps: '预热步数',
    start_factor: '起始比例',
    tau: '时间常数 τ',
    schedules: '子调度',
  },
};

const choices = {
  zh: {
    torch: 'PyTorch',
    paper: '论文原版',
    lr: '学习率',
    schedule: '调度系数',
    triangular: '三角',
    triangular2: '三角（幅度减半）',
    exp_range: '指数衰减幅度',
    cos: '余弦',
    linear: '线性',
  },
  en: { lr: 'learning rate', schedule: 'schedule factor', cos: 'cosine' },
};

/** Internal-state series; English labels come from m.series(). */
const series = {
  en: {
    effective_lr: 'effective learning rate',
    slow_weights: 'slow weights φ',
    rho: 'ρ_t',
    mu: 'μ_t',
    rectification: 'rectification r_t',
  },
  zh: {
    effective_lr: '有效学习率',
    g_avg: '梯度均值',
    lookahead_point: '前瞻点',
    lower: '下界',
    upper: '上界',
    m: '一阶矩 m（动量）',
    mu: 'μ_t',
    phase: '阶段',
    projected_lr: '投影 SGD 学习率 γ_k',
    rectification: '修正项 r_t',
    rectified: '已修正',
    rho: 'ρ_t',
    sgd_lr: 'SGD 学习率 Λ',
    sgd_lr_estimate: 'SGD 学习率估计',
    slow_weights: '慢权重 φ',
    synced: '已同步',
    u: 'u',
    v: '二阶矩 v',
    v_max: 'v 的最大值',
    velocity: '速度 v',
    w: 'SGD 速度 w',
  },
};

const dictionaries = { en, zh };

/** The language for a navigator.language value: zh* -> zh, anything else -> en. */
export function browserLanguage(tag) {
  return typeof tag === 'string' && tag.toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

/** The message `key` in `lang` with {name} placeholders filled from `vars`. */
export function t(lang, key, vars = {}) {
  const text = dictionaries[lang]?.[key] ?? en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in vars ? String(vars[name]) : whole));
}

/** Label of a method: the translation, else the core's label, else its name. */
export function methodLabel(lang, meta, name = meta?.name) {
  return methods[lang]?.[name] ?? meta?.label ?? name;
}

/** Short label of a method for legends and captions ("SGDM", "Adam"). */
export function methodShort(lang, meta, name = meta?.name) {
  return shortMethods[lang]?.[name] ?? shortMethods.en[name] ?? meta?.label ?? name;
}

export function functionLabel(lang, meta, name = meta?.name) {
  return functions[lang]?.[name] ?? functions.en[name] ?? meta?.label ?? name;
}

export function scheduleLabel(lang, meta, name = meta?.name) {
  return schedules[lang]?.[name] ?? meta?.label ?? name;
}

/** Label of parameter `name` of method, function or schedule `owner`. */
export function paramLabel(lang, owner, name) {
  const table = params[lang] ?? {};
  return (
    table[`${owner}.${name}`] ??
    params.en[`${owner}.${name}`] ??
    table[name] ??
    params.en[name] ??
    name
  );
}

export function choiceLabel(lang, value) {
  return choices[lang]?.[value] ?? choices.en[value] ?? value;
}

/** Label of a state series: translation, else m.series() label, else the name. */
export function seriesLabel(lang, name, info) {
  return series[lang]?.[name] ?? series.en[name] ?? info?.[name]?.label ?? name;
}

/**
 * Sets the text of every element under `root` with data-i18n (textContent), data-i18n-label
 * (aria-label), data-i18n-title (title) or data-i18n-placeholder. Text only, never HTML.
 */
export function translatePage(root, lang) {
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(lang, el.dataset.i18n);
  for (const el of root.querySelectorAll('[data-i18n-label]')) {
    el.setAttribute('aria-label', t(lang, el.dataset.i18nLabel));
  }
  for (const el of root.querySelectorAll('[data-i18n-title]'))
    el.title = t(lang, el.dataset.i18nTitle);
  for (const el of root.querySelectorAll('[data-i18n-placeholder]')) {
    el.placeholder = t(lang, el.dataset.i18nPlaceholder);
  }
}

/** Three significant digits for display: 24.2, 3.18, 0.00118, 2.84e-7, -78.3. */
export function formatNumber(v, digits = 3) {
  if (v === null || v === undefined) return '–';
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e-4 && a < 1e6) return String(Number(v.toPrecision(digits)));
  return v
    .toExponential(digits - 1)
    .replace(/\.?0+e/, 'e')
    .replace('e+', 'e');
}
