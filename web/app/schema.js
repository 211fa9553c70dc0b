// SPDX-License-Identifier: MIT
// The experiment's inputs, one table per group: the race's plain fields, the lab's and the
// network's inputs. An entry gives the field's place in the state, its link key, type, range,
// default and label; from the tables come the inputs of the lab and network sections, their
// checks and messages, the link's encoding (app/url.js) and the store's check of every change
// (checkState). Racers and functions are checked by the core against its metadata. Pure: no
// DOM, no globals.

import { errorMessage, hasOwn, linkNumber, MAX_QUOTE, quote } from './grammar.js';
import {
  DEFAULT_FUNCTION,
  DEFAULT_METHOD,
  defaultOptimizer,
  errorPath,
  firstRacers,
  functionInfo,
  meta,
} from './meta.js';
import { same } from './store.js';

export const VERSION = 1;
export const MAX_RACERS = 12;
export const MAX_STEPS = 100000;
export const MAX_HASH = 16384;
export const MAX_EXPRESSION = 500;
export const MAX_SEED = 4294967295;

/** Twelve distinguishable colours (Sasha Trubetskoy's list); racer i gets PALETTE[i % 12]. */
export const PALETTE = Object.freeze([
  '#e6194b',
  '#3cb44b',
  '#4363d8',
  '#f58231',
  '#911eb4',
  '#42d4f4',
  '#f032e6',
  '#bfef45',
  '#fabed4',
  '#469990',
  '#dcbeff',
  '#9a6324',
]);

/**
 * The race's plain fields, by link key: `path` in the state, type, range, default, `label`
 * (i18n key). v, fn, fp, expr and r are read with the core's help (app/url.js).
 */
/** The questions a link may ask about its race: who ends lowest, who ends farthest away. */
export const QUESTIONS = Object.freeze(['lowest', 'farthest']);
/** A chapter's id: what `ch=` may hold (whether the chapter exists is the tour's check). */
export const CHAPTER_ID = /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/;

export const RACE_FIELDS = Object.freeze({
  lang: { path: ['lang'], type: 'choice', choices: ['en', 'zh'] },
  view: { path: ['view'], type: 'box' },
  start: { path: ['start'], type: 'point' },
  steps: { path: ['steps'], type: 'integer', min: 1, max: MAX_STEPS, default: 300, label: 'steps' },
  noise: { path: ['noise', 'level'], type: 'number', min: 0, default: 0, label: 'noiseLevel' },
  seed: {
    path: ['noise', 'seed'],
    type: 'integer',
    min: 0,
    max: MAX_SEED,
    default: 1,
    label: 'noiseSeed',
  },
  sel: { path: ['selected'], type: 'integer', min: 0, default: 0 },
  series: { path: ['series'], type: 'series', default: null, label: 'stateSeries' },
  // The learning-rate chart's axis (logarithmic only when some rate is positive).
  lrscale: {
    path: ['lrScale'],
    type: 'choice',
    choices: ['log', 'linear'],
    default: 'log',
    label: 'lrScale',
  },
  // Whose state the state chart shows: the selected racer's, or every racer's (one quantity
  // overlaid, such as Adagrad's against RMSProp's effective learning rate).
  overlay: {
    path: ['overlay'],
    type: 'choice',
    choices: ['selected', 'all'],
    default: 'selected',
    label: 'stateOverlay',
  },
  // The lecture chapter shown beside the race (sections/tour): an id, checked there.
  ch: { path: ['chapter'], type: 'chapter', default: null },
  // A predict-then-reveal question on the race (sections/tour/model.js), or none.
  ask: { path: ['ask'], type: 'choice', choices: QUESTIONS, default: null, none: 'none' },
});

/**
 * The sharp vs flat lab's inputs, in link order. runs is the lab's own range; epsilon's range
 * is the core's (endpointMetrics).
 */
export const LAB_FIELDS = Object.freeze({
  runs: { type: 'integer', min: 100, max: 1000, default: 200, label: 'labRuns' },
  noise: { type: 'number', min: 0, default: 0, label: 'labNoise' },
  offset: { type: 'number', default: 0.5, label: 'labOffset' },
  epsilon: {
    type: 'number',
    min: 0,
    minOpen: true,
    max: 1,
    default: 0.001,
    label: 'labEpsilon',
  },
});

/**
 * The gradient-stream lab's inputs, in link order (stream=source:reddi,C:3,...; the sequence's
 * text has its own key, seq=). The lab runs Adam beside AMSGrad (the core's presets of
 * optimizers.md section 4) on one stream: a typed gradient sequence or Reddi et al.'s online
 * problem. The text's grammar and the ranges of C and steps are the core's (runStream checks
 * them again and names the column of a bad text).
 */
export const STREAM_FIELDS = Object.freeze({
  source: {
    type: 'choice',
    choices: Object.freeze(['sequence', 'reddi']),
    default: 'sequence',
    label: 'streamSource',
  },
  C: { type: 'number', min: 2, default: 3, label: 'streamC' },
  steps: { type: 'integer', min: 1, max: 1000000, default: 3000, label: 'streamSteps' },
  beta1: { type: 'number', min: 0, max: 1, maxOpen: true, default: 0, label: 'streamBeta1' },
});
/** The sequence's text: the core's default, and its longest text (kMaxSequenceLength). */
export const STREAM_TEXT = Object.freeze({
  default: '1 x 999, 100000 x 1, 1 x 1000',
  maxLength: 10000,
  // Digits, signs, points, exponents, the repeat signs x X * and U+00D7, commas and spaces.
  chars: /^[0-9eE+\-.,xX*\u00d7 \t]*$/,
});

/**
 * The learning-rate tools' inputs, in link order (tools=rangeOn:network,...): the range test
 * (Smith 2017) of the selected racer, on the race's surface or on the tiny network, with its
 * ramp's length; and the tuner of every racer's learning rate, for an objective (the final
 * loss, or the steps to reach f* + tol), with a budget of runs per racer. Ranges are the core's
 * (range_test.hpp, tune.hpp).
 */
export const TOOL_FIELDS = Object.freeze({
  rangeOn: {
    type: 'choice',
    choices: Object.freeze(['race', 'network']),
    default: 'race',
    label: 'toolsRangeOn',
  },
  rangeSteps: { type: 'integer', min: 2, max: 100000, default: 200, label: 'toolsRangeSteps' },
  objective: {
    type: 'choice',
    choices: Object.freeze(['final_loss', 'steps_to_target']),
    default: 'final_loss',
    label: 'toolsObjective',
  },
  tol: { type: 'number', min: 0, minOpen: true, default: 0.001, label: 'toolsTol' },
  budget: { type: 'integer', min: 11, max: 1000, default: 25, label: 'toolsBudget' },
});

/**
 * The handwritten-digits section's inputs, in link order (digits=seeds:5,steps:800,...): the
 * page's racers trained on the UCI digits (64-32-32-10, softmax) over several seeds, with the
 * mini-batch size (0: full batch), label noise on the training set, the training-set size
 * (0: the whole split), the loss, and the learning rates (each method's rate for the digits
 * from the core's metadata, or the racer's own from the race). Ranges are the core's trainer config's, except seeds and
 * steps, the page's own.
 */
export const DIGIT_FIELDS = Object.freeze({
  seeds: { type: 'integer', min: 1, max: 10, default: 3, label: 'digitsSeeds' },
  steps: { type: 'integer', min: 1, max: 5000, default: 500, label: 'digitsSteps' },
  batch: { type: 'integer', min: 0, max: 10000, default: 32, label: 'digitsBatch' },
  labelNoise: { type: 'number', min: 0, max: 1, default: 0, label: 'digitsLabelNoise' },
  trainSize: { type: 'integer', min: 0, max: 10000, default: 0, label: 'digitsTrainSize' },
  loss: {
    type: 'choice',
    choices: Object.freeze(['cross_entropy', 'mse']),
    default: 'cross_entropy',
    label: 'digitsLoss',
  },
  rates: {
    type: 'choice',
    choices: Object.freeze(['digits', 'race']),
    default: 'digits',
    label: 'digitsRates',
  },
});

/**
 * The parts of the page an embedding can leave out (hide=), in link order: racer cards,
 * surface panel, charts, the lab, the network, the digits, the gradient-stream lab, the
 * learning-rate tools,
 * the playback controls, the tour's text.
 */
export const EMBED_PARTS = Object.freeze([
  'cards',
  'surface',
  'charts',
  'lab',
  'network',
  'digits',
  'stream',
  'tools',
  'playback',
  'tour',
]);

/** The embedding's fields: embed=1 (the figure fills the frame), hide=a,b, lock=1 (read-only). */
export function defaultEmbed() {
  return { on: false, hide: [], lock: false };
}

/** Training steps of the tiny network: the page's range, not a core setting. */
export const MLP_STEPS = Object.freeze({ min: 1, max: 5000, default: 300 });

/**
 * The tiny network's inputs, in link order: `config` is the field of the core's trainer config
 * it sets (null: the page's own), `page` a default of the page's where it differs from the
 * core's. Their ranges are the core's (normalizeTrainerConfig), except steps.
 */
export const MLP_FIELDS = Object.freeze({
  dataset: {
    type: 'choice',
    choices: ['two_moons', 'two_spirals', 'circles', 'xor', 'blobs'],
    config: ['dataset', 'name'],
    label: 'mlpDataset',
  },
  n: { type: 'integer', config: ['dataset', 'n'], label: 'mlpPoints' },
  noise: { type: 'number', config: ['dataset', 'noise'], label: 'mlpNoise' },
  labelNoise: { type: 'number', config: ['dataset', 'label_noise'], label: 'mlpLabelNoise' },
  testFraction: {
    type: 'number',
    config: ['dataset', 'test_fraction'],
    label: 'mlpTestFraction',
  },
  hidden: {
    type: 'integer list',
    config: ['network', 'hidden'],
    page: [16, 16],
    label: 'mlpHidden',
    hint: 'mlpHiddenHint',
  },
  activation: {
    type: 'choice',
    choices: ['tanh', 'relu'],
    config: ['network', 'activation'],
    label: 'mlpActivation',
  },
  batch: {
    type: 'integer',
    min: 0,
    config: ['batch_size'],
    label: 'mlpBatch',
    hint: 'mlpBatchHint',
  },
  steps: {
    type: 'integer',
    ...MLP_STEPS,
    config: null,
    page: MLP_STEPS.default,
    label: 'mlpSteps',
  },
});

// ---------------------------------------------------------------------------
// one field

/** Is `v` a value of number entry `entry` (type 'number' or 'integer', min, minOpen, max, maxOpen)? */
export function inRange(v, entry) {
  if (typeof v !== 'number' || !Number.isFinite(v)) return false;
  if (entry.type === 'integer' && !Number.isInteger(v)) return false;
  if (entry.min !== undefined && (entry.minOpen ? v <= entry.min : v < entry.min)) return false;
  return entry.max === undefined || (entry.maxOpen ? v < entry.max : v <= entry.max);
}

/** "an integer in [1, 100000]", "a finite number >= 0", ... */
export function rangeText(entry) {
  const what = entry.type === 'integer' ? 'an integer' : 'a finite number';
  if (entry.min === undefined) return what;
  if (entry.max === undefined) return `${what} ${entry.minOpen ? '>' : '>='} ${entry.min}`;
  return `${what} in ${entry.minOpen ? '(' : '['}${entry.min}, ${entry.max}${entry.maxOpen ? ')' : ']'}`;
}

/** The message for a value of `field` (a number, or the text typed) not in `entry`'s range. */
export function rangeMessage(field, entry, v) {
  const shown = typeof v === 'number' ? linkNumber(v) : v;
  return `${field} = ${quote(shown)} is not ${rangeText(entry)}`;
}

/**
 * The number a number input's text means, for `entry`: { value } or { error } naming `field`.
 * Refuses empty text, text that is not a number, 1e999 and values out of range.
 */
export function readNumberText(text, entry, field) {
  const trimmed = String(text).trim();
  if (trimmed === '') return { error: `${field}: a number is needed` };
  const v = Number(trimmed);
  if (Number.isNaN(v)) return { error: `${field}: ${quote(trimmed)} is not a number` };
  if (!inRange(v, entry)) return { error: rangeMessage(field, entry, trimmed) };
  return { value: v + 0 }; // -0 + 0 is 0
}

// ---------------------------------------------------------------------------
// defaults

function normalizeLang(lang) {
  return String(lang).toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

/** The digits section's inputs when the link sets none. */
export function defaultDigits() {
  return Object.fromEntries(Object.entries(DIGIT_FIELDS).map(([k, e]) => [k, e.default]));
}

/** The learning-rate tools' inputs when the link sets none. */
export function defaultTools() {
  return Object.fromEntries(Object.entries(TOOL_FIELDS).map(([k, e]) => [k, e.default]));
}

/** The gradient-stream lab's inputs when the link sets none. */
export function defaultStream() {
  return {
    ...Object.fromEntries(Object.entries(STREAM_FIELDS).map(([k, e]) => [k, e.default])),
    text: STREAM_TEXT.default,
  };
}

/** The lab's inputs when the link sets none. */
export function defaultLab() {
  return Object.fromEntries(Object.entries(LAB_FIELDS).map(([k, e]) => [k, e.default]));
}

/** The tiny network's inputs -> the core's trainer config (any optimizer: not checked here). */
export function trainerConfig(mlp) {
  const config = { dataset: {}, network: {}, optimizer: { name: DEFAULT_METHOD } };
  for (const [key, entry] of Object.entries(MLP_FIELDS)) {
    if (!entry.config || !hasOwn(mlp, key)) continue;
    let o = config;
    for (const s of entry.config.slice(0, -1)) o = o[s];
    o[entry.config.at(-1)] = structuredClone(mlp[key]);
  }
  return config;
}

/** The inputs `keys` (those with a config field) read from a normalized trainer config. */
function readTrainerConfig(config, keys) {
  const values = {};
  for (const key of keys) {
    const path = MLP_FIELDS[key].config;
    const v = path ? path.reduce((o, s) => o?.[s], config) : undefined;
    if (v !== undefined) values[key] = Array.isArray(v) || ArrayBuffer.isView(v) ? [...v] : v;
  }
  return values;
}

const mlpDefaultsCache = new WeakMap();
/** The tiny network's inputs when the link sets none: the core's defaults, then the page's. */
export function defaultMlp(engine) {
  if (!mlpDefaultsCache.has(engine)) {
    const normalized = engine.normalizeTrainerConfig({ optimizer: { name: DEFAULT_METHOD } });
    const values = readTrainerConfig(normalized, Object.keys(MLP_FIELDS));
    for (const [key, entry] of Object.entries(MLP_FIELDS)) {
      if (entry.page !== undefined) values[key] = entry.page;
    }
    mlpDefaultsCache.set(engine, values);
  }
  return structuredClone(mlpDefaultsCache.get(engine));
}

/**
 * A new racer: the method's racer defaults (app/meta.js defaultOptimizer; Adam's for an
 * unknown method), no schedule, colour PALETTE[index % 12].
 */
export function defaultRacer(engine, methodName, index = 0) {
  const M = meta(engine);
  const name = M.methods.has(methodName) ? methodName : DEFAULT_METHOD;
  const i = Number.isInteger(index) ? index : 0;
  return {
    optimizer: defaultOptimizer(engine, name),
    schedule: null,
    color: PALETTE[((i % PALETTE.length) + PALETTE.length) % PALETTE.length],
  };
}

/**
 * The state of a new user's first view: the first racers of the core's metadata on
 * Rosenbrock from its suggested start, 300 steps, no noise; the lab's and the network's
 * defaults; no tour chapter, not embedded.
 * @param {import('../optim.d.ts').OptimModule} engine
 * @param {string} [lang] 'en' or 'zh' (any 'zh-*' is 'zh')
 */
export function defaultState(engine, lang = 'en') {
  const info = functionInfo(engine, { name: DEFAULT_FUNCTION });
  return {
    lang: normalizeLang(lang),
    fn: info.function,
    view: null,
    start: [info.start[0], info.start[1]],
    steps: RACE_FIELDS.steps.default,
    noise: { level: RACE_FIELDS.noise.default, seed: RACE_FIELDS.seed.default },
    racers: firstRacers(meta(engine)).map((name, i) => defaultRacer(engine, name, i)),
    selected: 0,
    series: null,
    lrScale: 'log',
    overlay: 'selected',
    chapter: null,
    ask: null,
    lab: defaultLab(),
    mlp: defaultMlp(engine),
    stream: defaultStream(),
    tools: defaultTools(),
    digits: defaultDigits(),
    embed: defaultEmbed(),
  };
}

/** The config of engine.run for one racer of the state. */
export function runConfig(state, racer) {
  return structuredClone({
    optimizer: racer.optimizer,
    schedule: racer.schedule ?? null,
    function: state.fn,
    start: state.start,
    steps: state.steps,
    noise: state.noise,
  });
}

// ---------------------------------------------------------------------------
// the lab's and the network's inputs

/**
 * Checks `values` (any subset of `table`'s keys, number, integer or choice entries) against the
 * table: { values (every default filled in), errors }, every bad or unknown entry reported as
 * field '<group>.<key>' and replaced by its default. `skip` lists keys checked elsewhere.
 */
function normalizeTable(table, group, values, skip = []) {
  const out = Object.fromEntries(Object.entries(table).map(([k, e]) => [k, e.default]));
  const errors = [];
  for (const [key, v] of Object.entries(values ?? {})) {
    if (skip.includes(key)) continue;
    const entry = hasOwn(table, key) ? table[key] : null;
    if (!entry) {
      errors.push({
        field: `${group}.${String(key).slice(0, MAX_QUOTE)}`,
        message: `unknown ${group} input ${quote(key)} ignored`,
      });
    } else if (entry.type === 'choice' ? entry.choices.includes(v) : inRange(v, entry)) {
      out[key] = entry.type === 'choice' ? v : v + 0; // -0 + 0 is 0
    } else {
      const message =
        entry.type === 'choice'
          ? `${group}.${key} = ${quote(String(v))} is not one of ${entry.choices.join(', ')}`
          : rangeMessage(`${group}.${key}`, entry, v);
      errors.push({ field: `${group}.${key}`, message: `${message}; using ${entry.default}` });
    }
  }
  return { values: out, errors };
}

/**
 * Checks the lab's inputs (`values`: any subset of LAB_FIELDS' keys): { lab, errors }, every
 * bad or unknown entry reported as field 'lab.<key>' and replaced by its default.
 */
export function normalizeLab(values) {
  const { values: lab, errors } = normalizeTable(LAB_FIELDS, 'lab', values);
  return { lab, errors };
}

/** Checks the digits section's inputs (any subset of DIGIT_FIELDS' keys): { digits, errors }. */
export function normalizeDigits(values) {
  const { values: digits, errors } = normalizeTable(DIGIT_FIELDS, 'digits', values);
  return { digits, errors };
}

/**
 * Checks the learning-rate tools' inputs (any subset of TOOL_FIELDS' keys): { tools, errors },
 * as normalizeLab does.
 */
export function normalizeTools(values) {
  const { values: tools, errors } = normalizeTable(TOOL_FIELDS, 'tools', values);
  return { tools, errors };
}

/**
 * Checks the gradient-stream lab's inputs (any subset of STREAM_FIELDS' keys and text):
 * { stream, errors }, every bad or unknown entry reported as field 'stream.<key>' and replaced
 * by its default. The text is checked for its length and characters here; its grammar by the
 * core when the lab runs it.
 */
export function normalizeStream(values) {
  const { values: table, errors } = normalizeTable(STREAM_FIELDS, 'stream', values, ['text']);
  const stream = { ...table, text: STREAM_TEXT.default };
  if (values && hasOwn(values, 'text')) {
    const v = values.text;
    if (typeof v !== 'string' || v.length > STREAM_TEXT.maxLength) {
      errors.push({
        field: 'stream.text',
        message: `stream.text: the sequence is not a text of at most ${STREAM_TEXT.maxLength} characters; using the default`,
      });
    } else if (!STREAM_TEXT.chars.test(v)) {
      const bad = [...v].find((c) => !STREAM_TEXT.chars.test(c));
      errors.push({
        field: 'stream.text',
        message: `stream.text: ${quote(bad)} has no place in a gradient sequence (numbers, x counts and commas); using the default`,
      });
    } else {
      stream.text = v;
    }
  }
  return { stream, errors };
}

/**
 * Checks the tiny network's inputs (any subset of MLP_FIELDS' keys) with the core's trainer
 * validation: { mlp, errors }, every bad or unknown entry reported as field 'mlp.<key>' with the
 * core's message and replaced by its default, the rest kept.
 */
export function normalizeMlp(engine, values) {
  const defaults = defaultMlp(engine);
  const mlp = structuredClone(defaults);
  const errors = [];
  const given = new Set();
  for (const [key, v] of Object.entries(values ?? {})) {
    if (!hasOwn(MLP_FIELDS, key)) {
      errors.push({
        field: `mlp.${key.slice(0, MAX_QUOTE)}`,
        message: `unknown network input ${quote(key)} ignored`,
      });
    } else if (!MLP_FIELDS[key].config) {
      const entry = MLP_FIELDS[key];
      if (inRange(v, entry)) mlp[key] = v + 0;
      else {
        errors.push({
          field: `mlp.${key}`,
          message: `${rangeMessage(`mlp.${key}`, entry, v)}; using ${entry.default}`,
        });
      }
    } else {
      mlp[key] = structuredClone(v);
      given.add(key);
    }
  }
  // The core names the first bad field; it takes its default and the core checks again.
  const byPath = new Map(
    Object.entries(MLP_FIELDS).flatMap(([k, e]) => (e.config ? [[e.config.join('.'), k]] : [])),
  );
  const tries = given.size + 1;
  for (let attempt = 0; attempt < tries; attempt += 1) {
    try {
      const normalized = engine.normalizeTrainerConfig(trainerConfig(mlp));
      Object.assign(mlp, readTrainerConfig(normalized, [...given]));
      return { mlp, errors };
    } catch (e) {
      const message = errorMessage(e);
      const segments = errorPath(message).filter((s) => typeof s === 'string');
      const key = byPath.get(segments.join('.'));
      if (!key || !given.has(key)) break;
      given.delete(key);
      const shown = Array.isArray(defaults[key]) ? `[${defaults[key]}]` : String(defaults[key]);
      errors.push({
        field: `mlp.${key}`,
        message: `${message.slice(message.indexOf(': ') + 2)}; using ${shown}`,
      });
      mlp[key] = structuredClone(defaults[key]);
    }
  }
  // Not repairable field by field (a core message without a known field): all defaults.
  errors.push({
    field: 'mlp',
    message: 'the network inputs could not be checked; using the defaults',
  });
  return { mlp: defaults, errors };
}

// ---------------------------------------------------------------------------
// the store's check

const isColour = (c) => typeof c === 'string' && /^#[0-9a-f]{6}$/.test(c);
const finite = (v) => typeof v === 'number' && Number.isFinite(v);

/** A plain race field: null when `v` is a value of it, else the problem. */
function checkPlain(key, v, state) {
  const entry = RACE_FIELDS[key];
  switch (entry.type) {
    case 'choice':
      return entry.choices.includes(v) || (v === null && entry.default === null)
        ? null
        : `${key}: ${quote(v)} is not one of ${entry.choices}`;
    case 'chapter':
      return v === null || (typeof v === 'string' && CHAPTER_ID.test(v))
        ? null
        : `${key}: ${quote(v)} is not a chapter id`;
    case 'box':
      return v === null ||
        (v && [v.xmin, v.xmax, v.ymin, v.ymax].every(finite) && v.xmin < v.xmax && v.ymin < v.ymax)
        ? null
        : `${key}: not four finite numbers with xmin < xmax and ymin < ymax`;
    case 'point':
      return Array.isArray(v) && v.length === 2 && v.every(finite)
        ? null
        : `${key}: not two finite numbers x, y`;
    case 'series':
      return v === null || (typeof v === 'string' && hasOwn(state.seriesNames, v))
        ? null
        : `${key}: ${quote(v)} is not a state series of the core`;
    default: {
      const range = key === 'sel' ? { ...entry, max: state.racers - 1 } : entry;
      return inRange(v, range) ? null : rangeMessage(key, range, v);
    }
  }
}

const getPath = (o, path) => path.reduce((x, k) => x?.[k], o);

/**
 * The store's check of a changed state (app/store.js): (next, prev) -> { state, errors }.
 * Only the slices that changed are checked; racers and the function are normalized by the
 * core, so the state holds every default filled in. Errors name the field.
 */
export function checkState(engine) {
  const M = meta(engine);
  return (next, prev) => {
    const errors = [];
    const state = next;
    const context = { racers: next.racers?.length ?? 0, seriesNames: M.series };
    for (const [key, entry] of Object.entries(RACE_FIELDS)) {
      const v = getPath(next, entry.path);
      if (prev && same(v, getPath(prev, entry.path))) continue;
      const problem = checkPlain(key, v, context);
      if (problem) errors.push({ field: key, message: problem });
    }
    if (!prev || !same(next.fn, prev.fn)) {
      try {
        state.fn = functionInfo(engine, next.fn).function;
      } catch (e) {
        errors.push({ field: 'fn', message: errorMessage(e) });
      }
    }
    if (!Array.isArray(next.racers) || next.racers.length < 1 || next.racers.length > MAX_RACERS) {
      errors.push({ field: 'r', message: `between 1 and ${MAX_RACERS} racers are needed` });
    } else {
      next.racers.forEach((racer, i) => {
        if (prev && same(racer, prev.racers?.[i])) return;
        try {
          racer.optimizer = engine.normalizeOptimizer(racer.optimizer);
          racer.schedule = racer.schedule ? engine.normalizeSchedule(racer.schedule) : null;
        } catch (e) {
          errors.push({ field: `r[${i}]`, message: `r[${i}]: ${errorMessage(e)}` });
        }
        if (!isColour(racer.color)) {
          errors.push({
            field: `r[${i}].color`,
            message: `r[${i}]: ${quote(racer.color)} is not a colour #rrggbb`,
          });
        }
      });
    }
    if (!prev || !same(next.lab, prev.lab)) {
      const { lab, errors: bad } = normalizeLab(next.lab);
      errors.push(...bad);
      state.lab = lab;
    }
    if (!prev || !same(next.mlp, prev.mlp)) {
      const { mlp, errors: bad } = normalizeMlp(engine, next.mlp);
      errors.push(...bad);
      state.mlp = mlp;
    }
    if (!prev || !same(next.digits, prev.digits)) {
      const { digits, errors: bad } = normalizeDigits(next.digits);
      errors.push(...bad);
      state.digits = digits;
    }
    if (!prev || !same(next.tools, prev.tools)) {
      const { tools, errors: bad } = normalizeTools(next.tools);
      errors.push(...bad);
      state.tools = tools;
    }
    if (!prev || !same(next.stream, prev.stream)) {
      const { stream, errors: bad } = normalizeStream(next.stream);
      errors.push(...bad);
      state.stream = stream;
    }
    if (!prev || !same(next.embed, prev.embed)) {
      const e = next.embed;
      const ok =
        e &&
        typeof e.on === 'boolean' &&
        typeof e.lock === 'boolean' &&
        Array.isArray(e.hide) &&
        e.hide.every((p) => EMBED_PARTS.includes(p));
      if (!ok)
        errors.push({
          field: 'embed',
          message: 'embed: not { on, hide, lock } of the known parts',
        });
    }
    return { state, errors };
  };
}

/** The hidden layers' text "16, 16" -> [16, 16] ('' -> []); NaN for a part that is no number. */
export function parseHidden(text) {
  const trimmed = String(text).trim();
  if (!trimmed) return [];
  return trimmed.split(',').map((s) => (s.trim() === '' ? NaN : Number(s.trim())));
}

export { linkNumber };
