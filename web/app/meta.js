// SPDX-License-Identifier: MIT
// The core's metadata, looked up once per engine: methods, schedules, functions and state
// series, each method's and function's page settings (its learning rate in a new racer, its
// place in the "Add racer" order, the state chart it opens with, the heat map's colour scale),
// the racer default of every method, and a cache of function details. Also the repair loop
// that reads a core error's field path and drops that field. Pure: no DOM, no globals.

import { errorMessage, hasOwn, isObject, linkNumber } from './grammar.js';

export const DEFAULT_FUNCTION = 'rosenbrock';
export const DEFAULT_METHOD = 'adam';
/** Engine calls per spec while dropping bad fields one at a time. */
const MAX_REPAIRS = 32;

const metaCache = new WeakMap();

/**
 * The core's metadata of `engine` (cached): { methods, schedules, functions } as Maps by name,
 * the lists in the core's order, and the state series' labels. `read` holds the lists already
 * read from the engine ({ methods, schedules, functions }, any of them): start-up reads each
 * in a task of its own.
 */
export function meta(engine, read = {}) {
  let M = metaCache.get(engine);
  if (!M) {
    const lists = {
      methods: read.methods ?? engine.methods(),
      schedules: read.schedules ?? engine.schedules(),
      functions: read.functions ?? engine.functions(),
    };
    const byName = (list) => new Map(list.map((d) => [d.name, d]));
    M = {
      lists,
      methods: byName(lists.methods),
      schedules: byName(lists.schedules),
      functions: byName(lists.functions),
      series: engine.series(),
      optimizers: new Map(),
      functionInfo: new Map(),
    };
    metaCache.set(engine, M);
  }
  return M;
}

export const paramOf = (description, name) => description?.params.find((p) => p.name === name);
/** The parameter of type 'string' (the custom expression), if the function has one. */
export const stringParamOf = (description) => description?.params.find((p) => p.type === 'string');

// ---------------------------------------------------------------------------
// each method's and function's page settings

/**
 * A method's page settings from the core's metadata (optimizers.hpp MethodPage): { lr, first,
 * order, chart, innerLr }, each only where set.
 */
export function methodPage(M, name) {
  return M.methods.get(name)?.page ?? {};
}

/** The methods of a new user's first race, in order. */
export function firstRacers(M) {
  return methodsBy(M, 'first');
}

/** The methods "Add racer" offers next, in order (skipping those already racing). */
export function addOrder(M) {
  return methodsBy(M, 'order');
}

function methodsBy(M, key) {
  return M.lists.methods
    .filter((d) => Number.isInteger(d.page?.[key]))
    .sort((a, b) => a.page[key] - b.page[key])
    .map((d) => d.name);
}

/** The state chart a method's racer opens with (a state series name), or null. */
export function chartView(M, name) {
  return methodPage(M, name).chart ?? null;
}

/** The heat map's colour scale of a function: 'log' (log(1 + f - min)) or 'linear'. */
export function colourScale(M, name) {
  return M.functions.get(name)?.page?.colour ?? 'log';
}

/** Lookahead's inner method in a new racer: the one whose page settings give it an innerLr. */
function defaultInner(M) {
  return M.lists.methods.find((d) => d.page?.innerLr !== undefined)?.name ?? DEFAULT_METHOD;
}

/**
 * The racer default of a method: the core's defaults, with the page's learning rate (one that
 * moves a 2-D point in a few hundred steps; the papers' defaults are made for networks) and,
 * for an optimizer parameter (Lookahead's inner), that method's racer default.
 */
export function defaultOptimizer(engine, name) {
  const M = meta(engine);
  if (!M.optimizers.has(name)) {
    const description = M.methods.get(name);
    const hyperparameters = {};
    const lr = methodPage(M, name).lr;
    if (paramOf(description, 'lr') && lr !== undefined) hyperparameters.lr = lr;
    for (const p of description.params) {
      if (p.type === 'optimizer') {
        const inner = defaultInner(M);
        const innerLr = methodPage(M, inner).innerLr;
        hyperparameters[p.name] = { name: inner, hyperparameters: {} };
        if (paramOf(M.methods.get(inner), 'lr') && innerLr !== undefined) {
          hyperparameters[p.name].hyperparameters.lr = innerLr;
        }
      }
    }
    M.optimizers.set(name, engine.normalizeOptimizer({ name, hyperparameters }));
  }
  return structuredClone(M.optimizers.get(name));
}

/** A cache key that tells 0 from -0, 1 from '1' and Infinity from null (JSON does not). */
function cacheKey(value) {
  return JSON.stringify(value, (k, v) =>
    typeof v === 'number' ? `n${linkNumber(v)}` : typeof v === 'string' ? `s${v}` : v,
  );
}

/** engine.functionInfo(spec), cached by spec (a copy: callers may change it). Throws as the core. */
export function functionInfo(engine, spec) {
  const M = meta(engine);
  const key = cacheKey(spec);
  if (!M.functionInfo.has(key)) {
    if (M.functionInfo.size > 64) M.functionInfo.clear();
    M.functionInfo.set(key, engine.functionInfo(spec));
  }
  return structuredClone(M.functionInfo.get(key));
}

// ---------------------------------------------------------------------------
// validation by the core: drop the field it names, normalize again

/**
 * The field path at the start of a core error message ("params.schedules[0].name:
 * ...") as segments ['params', 'schedules', 0, 'name'], or [] when there is none.
 */
export function errorPath(message) {
  const end = message.indexOf(': ');
  if (end <= 0) return [];
  const segments = [];
  let word = '';
  for (let i = 0; i < end; i += 1) {
    const c = message[i];
    if (c === '.' || c === '[') {
      if (word) segments.push(word);
      word = '';
    } else if (c === ']') {
      const n = Number(word);
      if (word === '' || !Number.isInteger(n)) return [];
      segments.push(n);
      word = '';
    } else {
      word += c;
    }
  }
  if (word) segments.push(word);
  return segments;
}

/** Segments back to "a.b[0].c", leaving out the container keys (hyperparameters, params). */
export function fieldName(segments, skip) {
  let out = '';
  for (const s of segments) {
    if (typeof s === 'number') out += `[${s}]`;
    else if (s !== skip) out += out ? `.${s}` : s;
  }
  return out;
}

/**
 * Calls normalize(spec) until it succeeds, dropping (or filling, via fill)
 * the field each error names. report(segments, message) records each error
 * of a field that was given; a missing required field is filled silently.
 * Returns the normalized value, or null when a field cannot be repaired (an
 * unknown name, a required field without default) or after MAX_REPAIRS tries.
 */
export function normalizeRepairing(normalize, spec, report, fill) {
  const filled = new Set();
  for (let attempt = 0; attempt < MAX_REPAIRS; attempt += 1) {
    try {
      return normalize(spec);
    } catch (e) {
      const message = errorMessage(e);
      const segments = errorPath(message);
      const done = repair(spec, segments, fill, filled);
      // An omitted field takes its default silently, as on a racer card; "inner is required"
      // after a bad inner was dropped says nothing new either.
      if (!done?.filled) report(segments, message);
      if (!done) return null;
    }
  }
  return null;
}

/** Drops (or fills) the field at segments; {id, filled} or null when it cannot. */
function repair(spec, segments, fill, filled) {
  const path = segments.slice();
  const dropIndices = () => {
    while (typeof path.at(-1) === 'number') path.pop();
  };
  // A bad list entry drops the whole list; a bad name drops the nested spec it names.
  dropIndices();
  if (path.at(-1) === 'name') {
    path.pop();
    dropIndices();
  }
  if (path.length === 0) return null;
  let container = spec;
  for (const s of path.slice(0, -1)) {
    if (!isObject(container) || !hasOwn(container, s)) return null;
    container = container[s];
  }
  const key = path.at(-1);
  if (!isObject(container) || Array.isArray(container) || typeof key !== 'string') return null;
  const id = path.join('.');
  if (hasOwn(container, key)) {
    delete container[key];
    return { id, filled: false };
  }
  // A required field is missing: fill in its default once, if there is one.
  if (!fill || filled.has(id)) return null;
  const value = fill(spec, path);
  if (value === undefined) return null;
  filled.add(id);
  container[key] = value;
  return { id, filled: true };
}
