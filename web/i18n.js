// SPDX-License-Identifier: MIT
// Every label and message of the page, one dictionary per language (English here, Chinese in
// i18n-zh.js, loaded by loadLanguage), in the terms of Hung-yi Lee's lecture "New Optimizers for
// Deep Learning" (动量, 自适应学习率, 预热, ...).

export const LANGUAGES = ['en', 'zh'];

const en = {
  title: 'Optimizer Playground',
  tagline: 'Deep-learning optimizers racing over a loss surface',
  language: 'Language',
  embed: 'Embed',
  tourOpen: 'Lecture',
  export: 'Export',
  exportPng: 'Figure (PNG)',
  exportStamp: 'with the link in a corner',
  exportJson: 'Runs (JSON)',
  exportCsv: 'Runs (CSV)',
  exportWebm: 'Video (WebM)',
  exportWebmStop: 'Stop recording',
  exportQr: 'QR code of the link',
  exportRunning: 'Computing every racer’s run with every series…',
  exportRecording: 'Recording the race as it plays…',
  exportFailed: 'Export failed: {error}',
  exportLabCsv: 'Runs (CSV)',
  exportNetworkCsv: 'Curves (CSV)',
  qrTitle: 'Scan to open this experiment',
  embedTitle: 'Embed this experiment in a course page',
  embedSize: 'Size',
  embedShow: 'Show',
  embedLock: 'Read-only (playback still works)',
  embedCopy: 'Copy the code',
  embedPreview: 'Preview',
  embedFrameTitle: 'Optimizer Playground',
  openFull: 'Open in the playground ↗',
  part_cards: 'racer cards',
  part_surface: 'surface panel',
  part_charts: 'charts',
  part_lab: 'sharp vs flat lab',
  part_network: 'tiny network',
  part_playback: 'playback controls',
  part_tour: 'tour text',
  part_digits: 'handwritten digits',
  part_stream: 'gradient-stream lab',
  part_tools: 'learning-rate tools',
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
  stateAll: 'every racer',
  stateOverlay: 'State chart shows',
  stateAllRacers: 'every racer',
  axisStep: 'step',
  axisLoss: 'f, log scale',
  axisLossShifted: 'f − f* (f* = {f}), log scale',
  axisLossSigned: 'f, symmetric log scale (asinh)',
  axisLr: 'η_t, log scale',
  axisLrLinear: 'η_t, linear scale',
  lrScale: 'Learning-rate axis',
  lrScaleLog: 'log',
  lrScaleLinear: 'linear',
  markRestart: 'restart',
  markPeak: 'peak',
  markWarmupEnd: 'warm-up ends',
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
  seriesWithout: '{series} is not a state of {racers}',
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
  labSpreadRun: 'Run over settings',
  labSpreadRunning: 'Over settings: {done} / {total} ensembles…',
  labSpreadDone: 'Over settings: done in {s} s.',
  labSpreadCancelled: 'Cancelled after {done} / {total} ensembles.',
  labSpreadTable:
    'Over settings: of the runs ({runs} per racer and ensemble) that ended in a minimum, the share that ended in {where}',
  labSpreadNoise: 'noise σ',
  labSpreadSteps: 'steps',
  labSpreadSeed: 'seed',
  labSpreadCaption:
    'Over {e} ensembles of {runs} runs per racer (gradient noise σ {noise}; {steps} steps; {seeds} seeds each), the share of the runs in a minimum that ended in {where} was: {list}.',
  labSpreadItem: '{racer} {min} to {max} (median {median})',
  labSpreadNone: '{racer} never ended in a minimum',
  labSpreadLowest: 'Smallest share in {where}: {list}.',
  labSpreadLowestItem: '{racer} in {k} of {e} ensembles',
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

/** Method labels; the English ones come from the core's metadata. */
const methods = {
  en: { sgd_momentum: 'SGDM (momentum)' },
};

/** Short names for captions, legends and the chart legend. */
const shortMethods = {
  en: { sgd_momentum: 'SGDM', momentum_classic: 'Momentum', nag: 'NAG', nadam_dozat: 'NAdam-c' },
};

const functions = {
  en: { custom: 'Custom expression' },
};

const schedules = {};

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
    bias_correction: 'bias correction',
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
};

const choices = {
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
};

const dictionaries = { en };
const tables = { methods, shortMethods, functions, schedules, params, choices, series };

/**
 * Loads the texts of `lang` once: Chinese is a module of its own (i18n-zh.js), so an English
 * page never downloads it. Every text of a language is looked up only after this resolved;
 * an unknown language loads nothing (its texts fall back to English).
 */
export async function loadLanguage(lang) {
  if (lang !== 'zh' || dictionaries.zh) return;
  const { default: zh } = await import('./i18n-zh.js');
  for (const [name, table] of Object.entries(tables)) table.zh = zh[name];
  dictionaries.zh = zh.ui;
}

/** The language for a navigator.language value: zh* -> zh, anything else -> en. */
export function browserLanguage(tag) {
  return typeof tag === 'string' && tag.toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

/**
 * Texts of sections that load after the first figure, in both languages, added by the
 * sections' own modules (addTexts), so that the first load carries only the page's texts.
 */
const later = { en: {}, zh: {} };

/** Adds a section's texts: { en: {key: text}, zh: {key: text} }. */
export function addTexts(texts) {
  Object.assign(later.en, texts.en);
  Object.assign(later.zh, texts.zh);
}

/** The message `key` in `lang` with {name} placeholders filled from `vars`. */
export function t(lang, key, vars = {}) {
  const text = dictionaries[lang]?.[key] ?? later[lang]?.[key] ?? en[key] ?? later.en[key] ?? key;
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
