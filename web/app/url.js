// SPDX-License-Identifier: MIT
// The share link: the whole experiment in the URL hash (version 1), read into a state and
// written back through the schema (app/schema.js) and the core's metadata. Reading never throws
// on bad input: every problem becomes { field, message } and that field its default, the rest
// of the link is kept. Writing gives only what differs from the defaults. Pure: no DOM.
//
//   #v=1&lang=zh&fn=quadratic&fp=a:1,b:10&expr=<text>&view=xmin,xmax,ymin,ymax
//    &start=x,y&steps=300&noise=0.1&seed=7&sel=1&series=v_max&lrscale=linear
//    &r=<racer>&r=<racer>...
//    &lab=runs:500,noise:0.1,offset:0.3,epsilon:0.001
//    &stream=source:reddi,C:3,steps:3000,beta1:0.9&seq=<text>
//    &digits=seeds:5,steps:800,batch:0,labelNoise:0.2,trainSize:500,loss:mse
//    &tools=rangeOn:network,rangeSteps:100,objective:steps_to_target,tol:0.01,budget:40
//    &mlp=dataset:circles,n:300,noise:0.1,labelNoise:0.1,testFraction:0.3,
//         hidden:[16,16],activation:relu,batch:32,steps:500
// The grammar of racers and key:value lists is app/grammar.js. A '+' is a plus sign (people
// type links by hand: expr=x^2+y^2); a space is written %20.

import {
  GrammarError,
  isDigit,
  MAX_QUOTE,
  errorMessage,
  hasOwn,
  isObject,
  linkNumber,
  quote,
  readNumbers,
  readPairs,
  readRacer,
  unescapeGrammar,
  writeSpec,
  writeValue,
} from './grammar.js';
import {
  DEFAULT_FUNCTION,
  DEFAULT_METHOD,
  defaultOptimizer,
  fieldName,
  functionInfo,
  meta,
  normalizeRepairing,
  paramOf,
  stringParamOf,
} from './meta.js';
import {
  CHAPTER_ID,
  DIGIT_FIELDS,
  EMBED_PARTS,
  LAB_FIELDS,
  MAX_EXPRESSION,
  MAX_HASH,
  MAX_RACERS,
  MLP_FIELDS,
  PALETTE,
  RACE_FIELDS,
  STREAM_FIELDS,
  TOOL_FIELDS,
  VERSION,
  defaultEmbed,
  defaultRacer,
  defaultState,
  normalizeLab,
  normalizeMlp,
  normalizeDigits,
  normalizeStream,
  normalizeTools,
} from './schema.js';
import { same } from './store.js';

/** Reported problems per hash; the rest are counted in one last entry. */
const MAX_ERRORS = 50;
/** The embedding's keys (schema.js defaultEmbed). */
const EMBED_KEYS = ['embed', 'hide', 'lock'];
const KNOWN_KEYS = new Set([
  ...EMBED_KEYS,
  'v',
  'fn',
  'fp',
  'expr',
  'r',
  'lab',
  'mlp',
  'stream',
  'seq',
  'tools',
  'digits',
  ...Object.keys(RACE_FIELDS),
]);

/** Characters as the core counts them (code points), counting no further than MAX_EXPRESSION + 1. */
function codePoints(text) {
  let n = 0;
  for (const _ of text) if (++n > MAX_EXPRESSION) break;
  return n;
}

// ---------------------------------------------------------------------------
// parsed specs -> the core's specs, by the types in the core's metadata

const isSpecNode = (v) => isObject(v) && v.spec === true;

/** A bare name where the core wants an optimizer or a schedule is that spec with defaults. */
function toOptimizer(node, M) {
  const description = M.methods.get(node.name);
  const value = (v, type) => {
    if (isSpecNode(v)) return toOptimizer(v, M);
    if (type === 'optimizer' && typeof v === 'string') return { name: v, hyperparameters: {} };
    if (Array.isArray(v)) return v.map((x) => value(x, undefined));
    return v;
  };
  // Object.fromEntries defines own properties: a key "__proto__" stays a plain (unknown) key.
  const hyperparameters = Object.fromEntries(
    node.args.map(([k, v]) => [k, value(v, paramOf(description, k)?.type)]),
  );
  return { name: node.name, hyperparameters };
}

function toSchedule(node, M) {
  const description = M.schedules.get(node.name);
  const value = (v, type) => {
    if (isSpecNode(v)) return toSchedule(v, M);
    if (Array.isArray(v)) {
      return v.map((x) =>
        type === 'schedule list' && typeof x === 'string'
          ? { name: x, params: {} }
          : value(x, undefined),
      );
    }
    return v;
  };
  const params = Object.fromEntries(
    node.args.map(([k, v]) => [k, value(v, paramOf(description, k)?.type)]),
  );
  return { name: node.name, params };
}

// ---------------------------------------------------------------------------
// validation by the core

/** Strips the "optimizer." / "schedule." / "function." prefix a config-level message has. */
function localPath(segments, prefix) {
  return segments[0] === prefix ? segments.slice(1) : segments;
}

function resolveOptimizer(engine, M, node, field, errors) {
  const spec = toOptimizer(node, M);
  const report = (segments, message) => {
    const name = fieldName(localPath(segments, 'optimizer'), 'hyperparameters');
    errors.push({ field: name ? `${field}.${name}` : field, message });
  };
  // A missing required field (Lookahead's inner) takes the racer default's value.
  const fill = (root, path) => {
    let owner = root;
    for (const s of path.slice(0, -2)) owner = owner?.[s];
    if (!M.methods.has(owner?.name)) return undefined;
    const value = defaultOptimizer(engine, owner.name).hyperparameters[path.at(-1)];
    return value;
  };
  const value = normalizeRepairing((s) => engine.normalizeOptimizer(s), spec, report, fill);
  if (value) return value;
  // Unrepairable: the method's racer default, or Adam's for an unknown method.
  const name = M.methods.has(spec.name) ? spec.name : DEFAULT_METHOD;
  return defaultOptimizer(engine, name);
}

function resolveSchedule(engine, M, node, field, errors) {
  const spec = toSchedule(node, M);
  const report = (segments, message) => {
    const name = fieldName(localPath(segments, 'schedule'), 'params');
    errors.push({ field: name ? `${field}.${name}` : field, message });
  };
  // Required schedule parameters have no default: an unrepairable schedule is dropped.
  return normalizeRepairing((s) => engine.normalizeSchedule(s), spec, report);
}

function resolveColor(text, index, errors) {
  const fallback = PALETTE[index % PALETTE.length];
  if (text === null) return fallback;
  let ok = text.length === 6;
  for (let i = 0; ok && i < 6; i += 1) {
    const c = text[i].toLowerCase();
    ok = isDigit(c) || (c >= 'a' && c <= 'f');
  }
  if (ok) return `#${text.toLowerCase()}`;
  errors.push({
    field: `r[${index}].color`,
    message: `colour ${quote(text)} is not six hexadecimal digits rrggbb; using ${fallback}`,
  });
  return fallback;
}

function resolveRacer(engine, M, text, index, errors) {
  const field = `r[${index}]`;
  const parsed = readRacer(text);
  if (!parsed.ok) {
    const name = M.methods.has(parsed.name) ? parsed.name : DEFAULT_METHOD;
    errors.push({
      field,
      message: `${parsed.message}; using the default ${name} racer`,
    });
    return defaultRacer(engine, name, index);
  }
  const optimizer = resolveOptimizer(engine, M, parsed.optimizer, field, errors);
  const schedule = parsed.schedule
    ? resolveSchedule(engine, M, parsed.schedule, `${field}.schedule`, errors)
    : null;
  const color = resolveColor(parsed.color, index, errors);
  return { optimizer, schedule, color };
}

/** fn, fp and expr -> the core's normalized function spec (rosenbrock when unknown). */
function resolveFunction(engine, M, get, errors) {
  const fn = get('fn');
  const fp = get('fp');
  const expr = get('expr');
  const name = fn ?? DEFAULT_FUNCTION;
  const description = M.functions.get(name);
  const stringParam = stringParamOf(description);
  let params = {};
  if (fp !== undefined) {
    try {
      const pairs = readPairs(fp).filter(([k]) => {
        if (k !== stringParam?.name) return true;
        errors.push({ field: `fp.${k}`, message: `${k} is given in expr, not in fp; ignored` });
        return false;
      });
      params = Object.fromEntries(pairs); // own properties, even for "__proto__"
    } catch (e) {
      if (!(e instanceof GrammarError)) throw e;
      errors.push({
        field: 'fp',
        message: `${e.message}; the function's default parameters are used`,
      });
    }
  }
  if (expr !== undefined) {
    if (!stringParam) {
      errors.push({
        field: 'expr',
        message: `function ${quote(name)} takes no expression; expr ignored`,
      });
    } else if (codePoints(expr) > MAX_EXPRESSION) {
      errors.push({
        field: 'expr',
        message: `the expression has more than ${MAX_EXPRESSION} characters; using the default expression`,
      });
    } else {
      params[stringParam.name] = expr;
    }
  }
  const report = (segments, message) => {
    const path = localPath(segments, 'function');
    let field = 'fn';
    if (path[0] === 'params' && path.length > 1) {
      field = path[1] === stringParam?.name ? 'expr' : `fp.${fieldName(path.slice(1))}`;
    }
    errors.push({ field, message });
  };
  // A required parameter without a value (say, an expression the core does
  // not default) takes the default in the metadata.
  const fill = (root, path) => {
    const p = path.length === 2 && path[0] === 'params' ? paramOf(description, path[1]) : null;
    return p && p.default !== null && p.default !== undefined ? p.default : undefined;
  };
  const spec = { name, params };
  const info = normalizeRepairing((s) => functionInfo(engine, s), spec, report, fill);
  if (info) return info;
  if (name !== DEFAULT_FUNCTION && (fp !== undefined || expr !== undefined) && !description) {
    errors.push({
      field: 'fn',
      message: `the parameters of the unknown function ${quote(name)} are ignored`,
    });
  }
  return functionInfo(engine, { name: DEFAULT_FUNCTION });
}

/** A plain RACE_FIELDS key -> its value, or undefined (with an error) when bad. */
function readPlain(key, text, context, errors) {
  const entry = RACE_FIELDS[key];
  const bad = (what, fallback) => {
    errors.push({ field: key, message: `${key} = ${quote(text)} ${what}; using ${fallback}` });
    return undefined;
  };
  switch (entry.type) {
    case 'choice':
      if (entry.none !== undefined && text === entry.none) return null;
      return entry.choices.includes(text)
        ? text
        : bad(
            `is not one of ${[...entry.choices, ...(entry.none ? [entry.none] : [])].join(', ')}`,
            entry.default === null ? 'none' : (entry.default ?? context.lang),
          );
    case 'chapter':
      return CHAPTER_ID.test(text) ? text : bad('is not a chapter id', 'no chapter');
    case 'box': {
      const v = readNumbers(text, 4);
      return v && v.every(Number.isFinite) && v[0] < v[1] && v[2] < v[3]
        ? { xmin: v[0], xmax: v[1], ymin: v[2], ymax: v[3] }
        : bad(
            'is not four finite numbers xmin,xmax,ymin,ymax with xmin < xmax and ymin < ymax',
            "the function's domain",
          );
    }
    case 'series':
      return hasOwn(context.seriesNames, text)
        ? text
        : bad('is not a state series of the core', "the racer's own chart");
    case 'point': {
      const v = readNumbers(text, 2);
      return v && v.every(Number.isFinite)
        ? v
        : bad('is not two finite numbers x,y', "the function's start");
    }
    default: {
      const v = readNumbers(text, 1)?.[0];
      const max = key === 'sel' ? context.racers - 1 : entry.max;
      const integer = entry.type === 'integer';
      const ok =
        Number.isFinite(v) &&
        (!integer || Number.isInteger(v)) &&
        v >= entry.min &&
        (max === undefined || v <= max);
      if (ok) return integer ? v + 0 : v; // -0 + 0 is 0
      const range = max === undefined ? `>= ${entry.min}` : `in [${entry.min}, ${max}]`;
      return bad(`is not ${integer ? 'an integer' : 'a finite number'} ${range}`, entry.default);
    }
  }
}

/** A 0/1 flag of the link: true, false, or undefined (with an error) when bad. */
function readFlag(key, text, errors) {
  if (text === '1' || text === '0') return text === '1';
  errors.push({ field: key, message: `${key} = ${quote(text)} is not 0 or 1; using 0` });
  return undefined;
}

/** embed=1, hide=part,part, lock=1 -> the state's embed (schema.js defaultEmbed). */
function readEmbed(get, errors) {
  const embed = defaultEmbed();
  if (get('embed') !== undefined) embed.on = readFlag('embed', get('embed'), errors) ?? false;
  if (get('lock') !== undefined) embed.lock = readFlag('lock', get('lock'), errors) ?? false;
  const hide = get('hide');
  if (hide !== undefined) {
    for (const part of hide.split(',')) {
      const name = part.trim();
      if (!name) continue;
      if (!EMBED_PARTS.includes(name)) {
        errors.push({
          field: 'hide',
          message: `hide: ${quote(name)} is not a part of the page (${EMBED_PARTS.join(', ')}); ignored`,
        });
      } else if (!embed.hide.includes(name)) embed.hide.push(name);
    }
    embed.hide.sort((a, b) => EMBED_PARTS.indexOf(a) - EMBED_PARTS.indexOf(b));
  }
  return embed;
}

/** A lab= or mlp= value: key:value pairs, read as fp is. */
function readSection(key, text, errors) {
  try {
    return Object.fromEntries(readPairs(text)); // own properties, even for "__proto__"
  } catch (e) {
    if (!(e instanceof GrammarError)) throw e;
    errors.push({ field: key, message: `${key}: ${e.message}; the defaults are used` });
    return {};
  }
}

/** key:value pairs of the entries of `values` that differ from `defaults`, in `order`. */
function writeSection(values, defaults, order) {
  const pairs = [];
  for (const key of order) {
    if (values && hasOwn(values, key) && !same(values[key], defaults[key])) {
      pairs.push(`${key}:${writeValue(values[key], String)}`);
    }
  }
  return pairs.join(',');
}

/**
 * Reads a hash (with or without '#') into a usable state. Never throws on
 * bad input: every problem becomes {field, message} and that field its
 * default, the rest of the hash is kept. '' gives the defaults and no errors.
 */
export function parseHash(hash, engine, lang = 'en') {
  const errors = [];
  const state = defaultState(engine, lang);
  let text = typeof hash === 'string' ? hash : '';
  if (text.startsWith('#')) text = text.slice(1);
  if (text === '') return { state, errors };
  if (text.length > MAX_HASH) {
    errors.push({
      field: 'hash',
      message: `the link's state has ${text.length} characters, more than ${MAX_HASH}; it was ignored and the defaults loaded`,
    });
    return { state, errors };
  }
  let entries;
  try {
    // A '+' is a plus sign here, not URLSearchParams's space.
    entries = [...new URLSearchParams(text.replaceAll('+', '%2B'))];
  } catch (e) {
    errors.push({
      field: 'hash',
      message: `unreadable link (${errorMessage(e)}); the defaults were loaded`,
    });
    return { state, errors };
  }

  const M = meta(engine);
  const values = new Map();
  const racers = [];
  for (const [key, value] of entries) {
    if (key === 'r') racers.push(value);
    else if (!KNOWN_KEYS.has(key)) {
      errors.push({ field: key.slice(0, MAX_QUOTE), message: `unknown key ${quote(key)} ignored` });
    } else if (values.has(key)) {
      errors.push({
        field: key,
        message: `key ${quote(key)} given again; the first value is used`,
      });
    } else values.set(key, value);
  }
  const get = (key) => values.get(key);

  const v = get('v');
  if (v !== String(VERSION)) {
    errors.unshift({
      field: 'v',
      message:
        v === undefined
          ? `the link has no version (v=${VERSION}); it was read as version ${VERSION}, best effort`
          : `version ${quote(v)} is not supported; the link was read as version ${VERSION}, best effort`,
    });
  }

  const plain = (key, context) => {
    const text = get(key);
    return text === undefined ? undefined : readPlain(key, text, context, errors);
  };
  state.lang = plain('lang', state) ?? state.lang;

  const info = resolveFunction(engine, M, get, errors);
  state.fn = info.function;
  state.view = plain('view', state) ?? null;
  state.start = plain('start', state) ?? [info.start[0], info.start[1]];
  state.steps = plain('steps', state) ?? state.steps;
  state.noise.level = plain('noise', state) ?? state.noise.level;
  state.noise.seed = plain('seed', state) ?? state.noise.seed;

  if (racers.length > 0) {
    if (racers.length > MAX_RACERS) {
      errors.push({
        field: 'r',
        message: `${racers.length} racers given; only the first ${MAX_RACERS} are kept`,
      });
    }
    state.racers = racers
      .slice(0, MAX_RACERS)
      .map((text, i) => resolveRacer(engine, M, text, i, errors));
  }
  state.selected = plain('sel', { racers: state.racers.length }) ?? 0;
  state.series = plain('series', { seriesNames: M.series }) ?? null;
  state.lrScale = plain('lrscale', state) ?? state.lrScale;
  state.overlay = plain('overlay', state) ?? state.overlay;
  state.chapter = plain('ch', state) ?? null;
  state.ask = plain('ask', state) ?? null;
  state.embed = readEmbed(get, errors);
  if (get('lab') !== undefined) {
    const lab = normalizeLab(readSection('lab', get('lab'), errors));
    state.lab = lab.lab;
    errors.push(...lab.errors);
  }
  if (get('mlp') !== undefined) {
    const mlp = normalizeMlp(engine, readSection('mlp', get('mlp'), errors));
    state.mlp = mlp.mlp;
    errors.push(...mlp.errors);
  }
  if (get('digits') !== undefined) {
    const digits = normalizeDigits(readSection('digits', get('digits'), errors));
    state.digits = digits.digits;
    errors.push(...digits.errors);
  }
  if (get('tools') !== undefined) {
    const tools = normalizeTools(readSection('tools', get('tools'), errors));
    state.tools = tools.tools;
    errors.push(...tools.errors);
  }
  if (get('stream') !== undefined || get('seq') !== undefined) {
    const values = get('stream') !== undefined ? readSection('stream', get('stream'), errors) : {};
    if (get('seq') !== undefined) values.text = get('seq');
    const stream = normalizeStream(values);
    state.stream = stream.stream;
    errors.push(...stream.errors);
  }

  if (errors.length > MAX_ERRORS) {
    const more = errors.length - (MAX_ERRORS - 1);
    errors.splice(MAX_ERRORS - 1, Infinity, {
      field: 'hash',
      message: `${more} more problems not listed`,
    });
  }
  return { state, errors };
}

function writeOptimizer(spec, M) {
  return writeSpec(spec.name, spec.hyperparameters, M.methods.get(spec.name), (s) =>
    writeOptimizer(s, M),
  );
}

function writeSchedule(spec, M) {
  return writeSpec(spec.name, spec.params, M.schedules.get(spec.name), (s) => writeSchedule(s, M));
}

/**
 * The hash of a state, without '#', starting 'v=1': only the values that
 * differ from the defaults (the racers all or none). lang is written when it
 * differs from `lang`, the language the link will be read with (parseHash's
 * third argument; pass the browser's so that a choice of 'en' in a Chinese
 * browser survives a reload).
 */
export function serializeState(state, engine, lang = 'en') {
  const M = meta(engine);
  const base = defaultState(engine, lang);
  const q = new URLSearchParams();
  q.append('v', String(VERSION));
  if (state.lang !== base.lang) q.append('lang', state.lang);
  if (state.chapter) q.append('ch', state.chapter);

  const fn = state.fn;
  if (fn.name !== base.fn.name) q.append('fn', fn.name);
  const description = M.functions.get(fn.name);
  let defaults = {};
  try {
    defaults = functionInfo(engine, { name: fn.name }).function.params;
  } catch {
    // A function whose defaults cannot be computed: write every parameter.
  }
  const stringParam = stringParamOf(description);
  const pairs = [];
  const keys = description ? description.params.map((p) => p.name) : Object.keys(fn.params ?? {});
  for (const key of keys) {
    if (!fn.params || !hasOwn(fn.params, key) || key === stringParam?.name) continue;
    if (!same(fn.params[key], defaults[key])) {
      pairs.push(`${key}:${writeValue(fn.params[key], (s) => writeOptimizer(s, M))}`);
    }
  }
  if (pairs.length) q.append('fp', pairs.join(','));
  if (stringParam && fn.params && hasOwn(fn.params, stringParam.name)) {
    const expr = fn.params[stringParam.name];
    if (!same(expr, defaults[stringParam.name])) q.append('expr', expr);
  }

  const v = state.view;
  if (v) q.append('view', [v.xmin, v.xmax, v.ymin, v.ymax].map(linkNumber).join(','));
  let start = null;
  try {
    start = functionInfo(engine, fn).start;
  } catch {
    // No suggested start for this function: write the start.
  }
  if (!same(state.start, start)) q.append('start', state.start.map(linkNumber).join(','));
  if (!Object.is(state.steps, base.steps)) q.append('steps', linkNumber(state.steps));
  if (!Object.is(state.noise.level, base.noise.level)) {
    q.append('noise', linkNumber(state.noise.level));
  }
  if (!Object.is(state.noise.seed, base.noise.seed)) {
    q.append('seed', linkNumber(state.noise.seed));
  }
  if (!Object.is(state.selected, base.selected)) q.append('sel', linkNumber(state.selected));
  if (state.series !== null && state.series !== undefined) q.append('series', state.series);
  if ((state.lrScale ?? base.lrScale) !== base.lrScale) q.append('lrscale', state.lrScale);
  if ((state.overlay ?? base.overlay) !== base.overlay) q.append('overlay', state.overlay);
  if (!same(state.racers, base.racers)) {
    state.racers.forEach((racer, i) => {
      let text = writeOptimizer(racer.optimizer, M);
      if (racer.schedule) text += `*${writeSchedule(racer.schedule, M)}`;
      if (racer.color !== PALETTE[i % PALETTE.length]) text += `@${racer.color.replace(/^#/, '')}`;
      q.append('r', text);
    });
  }
  const lab = writeSection(state.lab, base.lab, Object.keys(LAB_FIELDS));
  if (lab) q.append('lab', lab);
  const mlp = writeSection(state.mlp, base.mlp, Object.keys(MLP_FIELDS));
  if (mlp) q.append('mlp', mlp);
  const stream = state.stream ?? base.stream;
  const streamPairs = writeSection(stream, base.stream, Object.keys(STREAM_FIELDS));
  if (streamPairs) q.append('stream', streamPairs);
  if (stream.text !== base.stream.text) q.append('seq', stream.text);
  const digits = writeSection(state.digits ?? base.digits, base.digits, Object.keys(DIGIT_FIELDS));
  if (digits) q.append('digits', digits);
  const tools = writeSection(state.tools ?? base.tools, base.tools, Object.keys(TOOL_FIELDS));
  if (tools) q.append('tools', tools);
  if (state.ask) q.append('ask', state.ask);
  const embed = state.embed ?? base.embed;
  if (embed.on) q.append('embed', '1');
  if (embed.hide.length) q.append('hide', embed.hide.join(','));
  if (embed.lock) q.append('lock', '1');
  // URLSearchParams writes a space as '+', which this link reads as a plus sign.
  return unescapeGrammar(q.toString().replaceAll('+', '%20'));
}
