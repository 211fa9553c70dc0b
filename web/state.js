// SPDX-License-Identifier: MIT
// The page state and its URL hash (version 1): parse, validate field by field
// against the wasm core, and serialize; pure (no DOM, no globals), node-testable.
//
// Hash grammar (tokens may be separated by spaces; '+' in a hash means space,
// as URLSearchParams reads it):
//   #v=1&lang=zh&fn=quadratic&fp=a:1,b:10&expr=<text>&view=xmin,xmax,ymin,ymax
//    &start=x,y&steps=300&noise=0.1&seed=7&sel=1&r=<racer>&r=<racer>...
//    &lab=runs:500,noise:0.1,offset:0.3,epsilon:0.001
//    &mlp=dataset:circles,n:300,noise:0.1,labelNoise:0.1,testFraction:0.3,
//         hidden:[16,16],activation:relu,batch:32,steps:500
//   racer := spec ['*' spec] ['@' rrggbb]
//   spec  := name ['(' [key '=' value (',' key '=' value)*] ')']
//   value := number | true | false | null | identifier | spec
//          | '[' [value (',' value)*] ']'
//   lab, mlp, fp := key ':' value (',' key ':' value)*   (value as in a racer)
// The racer grammar is read by a hand-written character loop: linear time, at
// most MAX_DEPTH nested '(' or '[', no regular expressions, nothing executed.
// lab and mlp hold the inputs of the page's two lab sections, only those that
// differ from their defaults; a bad entry is reported and takes its default.

export const VERSION = 1;
export const MAX_RACERS = 12;
export const MAX_STEPS = 100000;
export const MAX_HASH = 16384;
export const MAX_EXPRESSION = 500;

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

/** Nesting depth of '(' and '[' in one racer. */
const MAX_DEPTH = 6;
/** Longest method, schedule or parameter name. */
const MAX_NAME = 64;
/** Engine calls per spec while dropping bad fields one at a time. */
const MAX_REPAIRS = 32;
/** Reported problems per hash; the rest are counted in one last entry. */
const MAX_ERRORS = 50;
/** Longest piece of user text quoted back in a message. */
const MAX_QUOTE = 40;
const MAX_SEED = 4294967295;
const DEFAULT_FUNCTION = 'rosenbrock';
const DEFAULT_METHOD = 'adam';
const DEFAULT_METHODS = ['sgd_momentum', 'adam', 'rmsprop', 'adagrad', 'sgd'];

/**
 * Learning rates that move on Rosenbrock from (-1.2, 1) within 300 steps and
 * do not diverge (checked in tests/js/state.test.mjs). The core's defaults are
 * the papers' (0.001 for Adam), made for networks, and barely move a 2D point.
 * RAdam gets less than Adam: its first steps (rho_t <= threshold) are plain
 * momentum steps of lr * m, and with lr 0.02 the gradient of about 200 at the
 * start throws the point off the surface (it diverges from lr 0.008 on).
 */
const DEFAULT_LR = Object.freeze({
  sgd: 0.002,
  sgd_momentum: 0.002,
  momentum_classic: 0.002,
  nag: 0.002,
  adagrad: 0.5,
  rmsprop: 0.01,
  adadelta: 1,
  adam: 0.02,
  adamax: 0.05,
  amsgrad: 0.02,
  adabound: 0.02,
  amsbound: 0.02,
  swats: 0.02,
  radam: 0.003,
  nadam: 0.02,
  nadam_dozat: 0.02,
  adamw: 0.02,
  sgdw: 0.002,
});
/** Lookahead's inner optimizer in a new racer. */
const DEFAULT_INNER = Object.freeze({ name: 'adam', lr: 0.05 });

/**
 * The plain keys, checked in JavaScript (the core does not know them). The
 * keys v, fn, fp, expr and r are read with the core's help below.
 */
const SCHEMA = Object.freeze({
  lang: { type: 'choice', choices: ['en', 'zh'] },
  view: { type: 'box' },
  start: { type: 'point' },
  steps: { type: 'integer', min: 1, max: MAX_STEPS, default: 300 },
  noise: { type: 'number', min: 0, default: 0 },
  seed: { type: 'integer', min: 0, max: MAX_SEED, default: 1 },
  sel: { type: 'integer', min: 0, default: 0 },
});
const KNOWN_KEYS = new Set(['v', 'fn', 'fp', 'expr', 'r', 'lab', 'mlp', ...Object.keys(SCHEMA)]);

/**
 * The inputs of the sharp vs flat lab (lab.js), in link order. runs is the
 * lab's own range; epsilon's range is the core's (endpointMetrics).
 */
export const LAB_FIELDS = Object.freeze({
  runs: { type: 'integer', min: 100, max: 1000, default: 200 },
  noise: { type: 'number', min: 0, default: 0 },
  offset: { type: 'number', default: 0.5 },
  epsilon: { type: 'number', min: 0, minOpen: true, max: 1, default: 0.001 },
});

/**
 * The inputs of the tiny network section (mlp.js), in link order, and the
 * field of the core's trainer config each one is (null: the page's own).
 * Their ranges are the core's (normalizeTrainerConfig), except steps.
 */
const MLP_CONFIG_PATH = Object.freeze({
  dataset: ['dataset', 'name'],
  n: ['dataset', 'n'],
  noise: ['dataset', 'noise'],
  labelNoise: ['dataset', 'label_noise'],
  testFraction: ['dataset', 'test_fraction'],
  hidden: ['network', 'hidden'],
  activation: ['network', 'activation'],
  batch: ['batch_size'],
  steps: null,
});
/** Training steps of the tiny network: the page's range (mlp.js), not a core setting. */
export const MLP_STEPS = Object.freeze({ min: 1, max: 5000, default: 300 });
/** Where the page's defaults differ from the core's trainer defaults. */
export const MLP_PAGE_DEFAULTS = Object.freeze({ hidden: [16, 16], steps: MLP_STEPS.default });

// ---------------------------------------------------------------------------
// small helpers

const hasOwn = (o, k) => Object.prototype.hasOwnProperty.call(o, k);
const isObject = (x) => x !== null && typeof x === 'object';
const clone = (x) => structuredClone(x);

/** Deep equality of JSON-like values; numbers by Object.is (so -0 differs from 0). */
function same(a, b) {
  if (Object.is(a, b)) return true;
  if (!isObject(a) || !isObject(b) || Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => hasOwn(b, k) && same(a[k], b[k]));
}

/** String(x) is the shortest text that reads back as x, except that it drops the sign of -0. */
function formatNumber(x) {
  return Object.is(x, -0) ? '-0' : String(x);
}

/** User text for a message: quoted, escaped, cut to MAX_QUOTE characters. */
function quote(text) {
  const s = String(text);
  return JSON.stringify(s.length > MAX_QUOTE ? `${s.slice(0, MAX_QUOTE)}…` : s);
}

function errorMessage(e) {
  return String(isObject(e) && 'message' in e ? e.message : e);
}

/**
 * The field path at the start of a core error message ("params.schedules[0].name:
 * ...") as segments ['params', 'schedules', 0, 'name'], or [] when there is none.
 */
function errorPath(message) {
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
function fieldName(segments, skip) {
  let out = '';
  for (const s of segments) {
    if (typeof s === 'number') out += `[${s}]`;
    else if (s !== skip) out += out ? `.${s}` : s;
  }
  return out;
}

/** Characters as the core counts them (code points), counting no further than MAX_EXPRESSION + 1. */
function codePoints(text) {
  let n = 0;
  for (const _ of text) if (++n > MAX_EXPRESSION) break;
  return n;
}

function normalizeLang(lang) {
  return String(lang).toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

/** The core's metadata, looked up once per engine. */
const metaCache = new WeakMap();
function meta(engine) {
  let m = metaCache.get(engine);
  if (!m) {
    const byName = (list) => new Map(list.map((d) => [d.name, d]));
    m = {
      methods: byName(engine.methods()),
      schedules: byName(engine.schedules()),
      functions: byName(engine.functions()),
      optimizers: new Map(),
      functionInfo: new Map(),
    };
    metaCache.set(engine, m);
  }
  return m;
}

const paramOf = (description, name) => description?.params.find((p) => p.name === name);
/** The parameter of type 'string' (the custom expression), if the function has one. */
const stringParamOf = (description) => description?.params.find((p) => p.type === 'string');

// ---------------------------------------------------------------------------
// the racer grammar: a character loop

/**
 * A syntax error of the racer grammar. Not an Error: no stack is captured,
 * since a long malformed hash may throw (and catch) thousands of them. A
 * fatal one (too deep, a repeated parameter) is not recovered from.
 */
class GrammarError {
  constructor(message, fatal = false) {
    this.message = message;
    this.fatal = fatal;
  }
}

function isDigit(c) {
  return c >= '0' && c <= '9';
}
function isNameStart(c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_';
}
function isNameChar(c) {
  return isNameStart(c) || isDigit(c);
}

class Reader {
  constructor(text) {
    this.s = text;
    this.i = 0;
    this.depth = 0;
    this.first = undefined; // the racer's method name, once read (for the fallback racer)
  }

  peek() {
    return this.i < this.s.length ? this.s[this.i] : '';
  }

  atEnd() {
    return this.i >= this.s.length;
  }

  spaces() {
    while (this.s[this.i] === ' ') this.i += 1;
  }

  fail(expected) {
    const found = this.atEnd() ? 'the end' : quote(this.s[this.i]);
    throw new GrammarError(`expected ${expected} at column ${this.i + 1}, found ${found}`);
  }

  expect(c) {
    this.spaces();
    if (this.peek() !== c) this.fail(`'${c}'`);
    this.i += 1;
  }

  enter() {
    this.depth += 1;
    if (this.depth > MAX_DEPTH) {
      throw new GrammarError(
        `nested deeper than ${MAX_DEPTH} levels at column ${this.i + 1}`,
        true,
      );
    }
  }

  name() {
    this.spaces();
    const start = this.i;
    if (!isNameStart(this.peek())) this.fail('a name');
    while (isNameChar(this.peek())) this.i += 1;
    if (this.i - start > MAX_NAME) {
      throw new GrammarError(`name longer than ${MAX_NAME} characters at column ${start + 1}`);
    }
    return this.s.slice(start, this.i);
  }

  /** [+-] digits ['.' digits] [(e|E) [+-] digits], at least one mantissa digit. */
  number() {
    this.spaces();
    const start = this.i;
    const digits = () => {
      const from = this.i;
      while (isDigit(this.peek())) this.i += 1;
      return this.i - from;
    };
    if (this.peek() === '-' || this.peek() === '+') this.i += 1;
    let count = digits();
    if (this.peek() === '.') {
      this.i += 1;
      count += digits();
    }
    if (count === 0) {
      this.i = start;
      this.fail('a number');
    }
    if (this.peek() === 'e' || this.peek() === 'E') {
      this.i += 1;
      if (this.peek() === '-' || this.peek() === '+') this.i += 1;
      if (digits() === 0) this.fail('the digits of an exponent');
    }
    if (isNameChar(this.peek()) || this.peek() === '.') this.fail('the end of a number');
    return Number(this.s.slice(start, this.i));
  }

  value() {
    this.spaces();
    const c = this.peek();
    if (c === '[') {
      this.enter();
      this.i += 1;
      const items = [];
      this.spaces();
      if (this.peek() === ']') {
        this.i += 1;
      } else {
        for (;;) {
          items.push(this.value());
          this.spaces();
          const d = this.peek();
          this.i += 1;
          if (d === ']') break;
          if (d !== ',') {
            this.i -= 1;
            this.fail("',' or ']'");
          }
        }
      }
      this.depth -= 1;
      return items;
    }
    if (isDigit(c) || c === '-' || c === '+' || c === '.') return this.number();
    if (!isNameStart(c)) this.fail('a value');
    const start = this.i;
    const word = this.name();
    this.spaces();
    if (this.peek() === '(') {
      this.i = start;
      return this.spec();
    }
    if (word === 'true') return true;
    if (word === 'false') return false;
    if (word === 'null') return null;
    return word;
  }

  /**
   * A value; a malformed one becomes its raw text, up to the next ',' or
   * `closer` outside brackets, as a string: the core then rejects it by name
   * ("r[0].lr: lr = "0.0.2" is not a number") and the rest of the racer stays.
   * Each level of nesting rescans at most once, so this stays linear.
   */
  valueOrRaw(closer) {
    this.spaces();
    const start = this.i;
    const depth = this.depth;
    try {
      const value = this.value();
      this.spaces();
      const c = this.peek();
      if (c === ',' || (closer ? c === closer : this.atEnd())) return value;
    } catch (e) {
      if (!(e instanceof GrammarError) || e.fatal) throw e;
    }
    this.i = start;
    this.depth = depth;
    let open = 0;
    for (; this.i < this.s.length; this.i += 1) {
      const c = this.s[this.i];
      if (open === 0 && (c === ',' || c === closer)) break;
      if (c === '(' || c === '[') open += 1;
      else if ((c === ')' || c === ']') && open > 0) open -= 1;
    }
    return this.s.slice(start, this.i).trimEnd();
  }

  /** name ['(' key=value, ... ')'] as {spec: true, name, args: [[key, value], ...]}. */
  spec() {
    const name = this.name();
    this.first ??= name;
    const args = [];
    this.spaces();
    if (this.peek() !== '(') return { spec: true, name, args };
    this.enter();
    this.i += 1;
    this.spaces();
    if (this.peek() === ')') {
      this.i += 1;
    } else {
      const seen = new Set();
      for (;;) {
        const keyAt = this.i;
        const key = this.name();
        if (seen.has(key)) {
          throw new GrammarError(`parameter '${key}' given twice (column ${keyAt + 1})`, true);
        }
        seen.add(key);
        this.expect('=');
        args.push([key, this.valueOrRaw(')')]);
        this.spaces();
        const d = this.peek();
        this.i += 1;
        if (d === ')') break;
        if (d !== ',') {
          this.i -= 1;
          this.fail("',' or ')'");
        }
      }
    }
    this.depth -= 1;
    return { spec: true, name, args };
  }

  end() {
    this.spaces();
    if (!this.atEnd()) this.fail('the end');
  }
}

/** racer := spec ['*' spec] ['@' colour] -> {ok, optimizer, schedule, color} | {ok: false, name, message}. */
function readRacer(text) {
  const r = new Reader(text);
  try {
    const optimizer = r.spec();
    let schedule = null;
    let color = null;
    r.spaces();
    if (r.peek() === '*') {
      r.i += 1;
      schedule = r.spec();
      r.spaces();
    }
    if (r.peek() === '@') {
      // The rest is the colour; a bad colour is a field error, not a syntax error.
      color = text.slice(r.i + 1).trim();
      r.i = text.length;
    }
    r.end();
    return { ok: true, optimizer, schedule, color };
  } catch (e) {
    if (!(e instanceof GrammarError)) throw e;
    return { ok: false, name: r.first, message: e.message };
  }
}

/** "a:1,b:100" -> [['a', 1], ['b', 100]]; throws GrammarError. */
function readPairs(text) {
  const r = new Reader(text);
  const pairs = [];
  const seen = new Set();
  r.spaces();
  if (r.atEnd()) return pairs;
  for (;;) {
    const key = r.name();
    if (seen.has(key)) throw new GrammarError(`parameter '${key}' given twice`);
    seen.add(key);
    r.expect(':');
    pairs.push([key, r.valueOrRaw('')]);
    r.spaces();
    if (r.atEnd()) return pairs;
    r.expect(',');
  }
}

/** Exactly `count` numbers separated by ',', or null. */
function readNumbers(text, count) {
  const r = new Reader(text);
  const out = [];
  try {
    for (;;) {
      out.push(r.number());
      if (out.length > count) return null;
      r.spaces();
      if (r.atEnd()) break;
      r.expect(',');
    }
  } catch (e) {
    if (e instanceof GrammarError) return null;
    throw e;
  }
  return out.length === count ? out : null;
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
// validation by the core: drop the field it names, normalize again

/**
 * Calls normalize(spec) until it succeeds, dropping (or filling, via fill)
 * the field each error names. report(segments, message) records each error.
 * Returns the normalized value, or null when a field cannot be repaired (an
 * unknown name, a required field without default) or after MAX_REPAIRS tries.
 */
function normalizeRepairing(normalize, spec, report, fill) {
  const filled = new Set();
  const dropped = new Set();
  for (let attempt = 0; attempt < MAX_REPAIRS; attempt += 1) {
    try {
      return normalize(spec);
    } catch (e) {
      const message = errorMessage(e);
      const segments = errorPath(message);
      const done = repair(spec, segments, fill, filled);
      // "inner is required" after we dropped a bad inner says nothing new.
      if (!(done?.filled && dropped.has(done.id))) report(segments, message);
      if (!done) return null;
      if (!done.filled) dropped.add(done.id);
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

/** The racer default of a method: core defaults plus a learning rate that moves in 2D. */
function defaultOptimizer(engine, M, name) {
  if (!M.optimizers.has(name)) {
    const description = M.methods.get(name);
    const hyperparameters = {};
    if (paramOf(description, 'lr') && hasOwn(DEFAULT_LR, name)) {
      hyperparameters.lr = DEFAULT_LR[name];
    }
    for (const p of description.params) {
      if (p.type === 'optimizer') {
        hyperparameters[p.name] = { name: DEFAULT_INNER.name, hyperparameters: {} };
        if (paramOf(M.methods.get(DEFAULT_INNER.name), 'lr')) {
          hyperparameters[p.name].hyperparameters.lr = DEFAULT_INNER.lr;
        }
      }
    }
    // If the core ever narrows a range below our rate, fall back to its own defaults.
    const spec = { name, hyperparameters };
    const value = normalizeRepairing(
      (s) => engine.normalizeOptimizer(s),
      spec,
      () => {},
    );
    M.optimizers.set(name, value ?? engine.normalizeOptimizer({ name: DEFAULT_METHOD }));
  }
  return M.optimizers.get(name);
}

/** A cache key that tells 0 from -0, 1 from '1' and Infinity from null (JSON does not). */
function cacheKey(value) {
  return JSON.stringify(value, (k, v) =>
    typeof v === 'number' ? `n${formatNumber(v)}` : typeof v === 'string' ? `s${v}` : v,
  );
}

/** engine.functionInfo, cached by spec (a function and its parameters are small). */
function functionInfo(engine, M, spec) {
  const key = cacheKey(spec);
  if (!M.functionInfo.has(key)) {
    if (M.functionInfo.size > 64) M.functionInfo.clear();
    M.functionInfo.set(key, engine.functionInfo(spec));
  }
  return clone(M.functionInfo.get(key));
}

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
    const value = defaultOptimizer(engine, M, owner.name).hyperparameters[path.at(-1)];
    return value === undefined ? undefined : clone(value);
  };
  const value = normalizeRepairing((s) => engine.normalizeOptimizer(s), spec, report, fill);
  if (value) return value;
  // Unrepairable: the method's racer default, or Adam's for an unknown method.
  const name = M.methods.has(spec.name) ? spec.name : DEFAULT_METHOD;
  return clone(defaultOptimizer(engine, M, name));
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
  const info = normalizeRepairing((s) => functionInfo(engine, M, s), spec, report, fill);
  if (info) return info;
  if (name !== DEFAULT_FUNCTION && (fp !== undefined || expr !== undefined) && !description) {
    errors.push({
      field: 'fn',
      message: `the parameters of the unknown function ${quote(name)} are ignored`,
    });
  }
  return functionInfo(engine, M, { name: DEFAULT_FUNCTION });
}

/** A plain SCHEMA key -> its value, or undefined (with an error) when bad. */
function readPlain(key, text, context, errors) {
  const entry = SCHEMA[key];
  const bad = (what, fallback) => {
    errors.push({ field: key, message: `${key} = ${quote(text)} ${what}; using ${fallback}` });
    return undefined;
  };
  switch (entry.type) {
    case 'choice':
      return entry.choices.includes(text)
        ? text
        : bad(`is not one of ${entry.choices.join(', ')}`, context.lang);
    case 'box': {
      const v = readNumbers(text, 4);
      return v && v.every(Number.isFinite) && v[0] < v[1] && v[2] < v[3]
        ? { xmin: v[0], xmax: v[1], ymin: v[2], ymax: v[3] }
        : bad(
            'is not four finite numbers xmin,xmax,ymin,ymax with xmin < xmax and ymin < ymax',
            "the function's domain",
          );
    }
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

// ---------------------------------------------------------------------------
// the two lab sections' inputs

/** Is `v` a value of LAB_FIELDS entry `entry`? */
function inRange(v, entry) {
  if (typeof v !== 'number' || !Number.isFinite(v)) return false;
  if (entry.type === 'integer' && !Number.isInteger(v)) return false;
  if (entry.min !== undefined && (entry.minOpen ? v <= entry.min : v < entry.min)) return false;
  return entry.max === undefined || v <= entry.max;
}

function rangeText(entry) {
  const what = entry.type === 'integer' ? 'an integer' : 'a finite number';
  if (entry.min === undefined) return what;
  if (entry.max === undefined) return `${what} >= ${entry.min}`;
  return `${what} in ${entry.minOpen ? '(' : '['}${entry.min}, ${entry.max}]`;
}

/** The lab's inputs when the link sets none. */
export function defaultLab() {
  return Object.fromEntries(Object.entries(LAB_FIELDS).map(([k, e]) => [k, e.default]));
}

/**
 * Checks the lab's inputs (`values`: any subset of LAB_FIELDS' keys, numbers as
 * the lab reads them): { lab, errors }, every bad or unknown entry reported as
 * field 'lab.<key>' and replaced by its default.
 */
export function normalizeLab(values) {
  const lab = defaultLab();
  const errors = [];
  for (const [key, v] of Object.entries(values ?? {})) {
    const entry = hasOwn(LAB_FIELDS, key) ? LAB_FIELDS[key] : null;
    if (!entry) {
      errors.push({
        field: `lab.${key.slice(0, MAX_QUOTE)}`,
        message: `unknown lab input ${quote(key)} ignored`,
      });
    } else if (inRange(v, entry)) {
      lab[key] = v + 0; // -0 + 0 is 0
    } else {
      errors.push({
        field: `lab.${key}`,
        message: `lab.${key} = ${quote(typeof v === 'number' ? formatNumber(v) : v)} is not ${rangeText(entry)}; using ${entry.default}`,
      });
    }
  }
  return { lab, errors };
}

/** The tiny network's inputs -> the core's trainer config (any optimizer: it is not checked here). */
function trainerConfig(mlp) {
  const config = { dataset: {}, network: {}, optimizer: { name: DEFAULT_METHOD } };
  for (const [key, path] of Object.entries(MLP_CONFIG_PATH)) {
    if (!path || !hasOwn(mlp, key)) continue;
    let o = config;
    for (const s of path.slice(0, -1)) o = o[s];
    o[path.at(-1)] = clone(mlp[key]);
  }
  return config;
}

/** The core's defaults of the dataset and the network, as the tiny network's inputs. */
function coreMlpDefaults(engine) {
  const M = meta(engine);
  if (!M.mlpDefaults) {
    const normalized = engine.normalizeTrainerConfig({ optimizer: { name: DEFAULT_METHOD } });
    M.mlpDefaults = readTrainerConfig(normalized, Object.keys(MLP_CONFIG_PATH));
  }
  return M.mlpDefaults;
}

/** The inputs `keys` (those with a config field) read from a normalized trainer config. */
function readTrainerConfig(config, keys) {
  const values = {};
  for (const key of keys) {
    const path = MLP_CONFIG_PATH[key];
    const v = path ? path.reduce((o, s) => o?.[s], config) : undefined;
    if (v !== undefined) values[key] = Array.isArray(v) || ArrayBuffer.isView(v) ? [...v] : v;
  }
  return values;
}

/** The tiny network's inputs when the link sets none: the core's defaults, then the page's. */
export function defaultMlp(engine) {
  return clone({ ...coreMlpDefaults(engine), ...MLP_PAGE_DEFAULTS });
}

/**
 * Checks the tiny network's inputs (any subset of { dataset, n, noise,
 * labelNoise, testFraction, hidden, activation, batch, steps }) with the
 * core's trainer validation: { mlp, errors }, every bad or unknown entry
 * reported as field 'mlp.<key>' with the core's message and replaced by its
 * default, the rest kept.
 */
export function normalizeMlp(engine, values) {
  const defaults = defaultMlp(engine);
  const mlp = clone(defaults);
  const errors = [];
  const given = new Set();
  for (const [key, v] of Object.entries(values ?? {})) {
    if (!hasOwn(MLP_CONFIG_PATH, key)) {
      errors.push({
        field: `mlp.${key.slice(0, MAX_QUOTE)}`,
        message: `unknown network input ${quote(key)} ignored`,
      });
    } else if (key === 'steps') {
      if (inRange(v, { type: 'integer', ...MLP_STEPS })) mlp.steps = v + 0;
      else {
        errors.push({
          field: 'mlp.steps',
          message: `mlp.steps = ${quote(typeof v === 'number' ? formatNumber(v) : v)} is not ${rangeText({ type: 'integer', ...MLP_STEPS })}; using ${MLP_STEPS.default}`,
        });
      }
    } else {
      mlp[key] = clone(v);
      given.add(key);
    }
  }
  // The core names the first bad field; it takes its default and the core checks again.
  const byPath = new Map(
    Object.entries(MLP_CONFIG_PATH).flatMap(([k, p]) => (p ? [[p.join('.'), k]] : [])),
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
      errors.push({
        field: `mlp.${key}`,
        message: `${message.slice(message.indexOf(': ') + 2)}; using ${writeValue(defaults[key], String)}`,
      });
      mlp[key] = clone(defaults[key]);
    }
  }
  // Not repairable field by field (a core message without a known field): all defaults.
  errors.push({
    field: 'mlp',
    message: 'the network inputs could not be checked; using the defaults',
  });
  return { mlp: defaults, errors };
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

// ---------------------------------------------------------------------------
// API

/**
 * The state of a new user's first view: five racers on Rosenbrock from its
 * suggested start, 300 steps, no noise.
 * @param {import('./optim.d.ts').OptimModule} engine
 * @param {string} [lang] 'en' or 'zh' (any 'zh-*' is 'zh')
 */
export function defaultState(engine, lang = 'en') {
  const M = meta(engine);
  const info = functionInfo(engine, M, { name: DEFAULT_FUNCTION });
  return {
    lang: normalizeLang(lang),
    fn: info.function,
    view: null,
    start: [info.start[0], info.start[1]],
    steps: SCHEMA.steps.default,
    noise: { level: SCHEMA.noise.default, seed: SCHEMA.seed.default },
    racers: DEFAULT_METHODS.map((name, i) => defaultRacer(engine, name, i)),
    selected: 0,
    lab: defaultLab(),
    mlp: defaultMlp(engine),
  };
}

/**
 * A new racer: the method's defaults with a learning rate that moves on
 * Rosenbrock in 300 steps (Adam's racer for an unknown method), no schedule,
 * colour PALETTE[index % 12].
 */
export function defaultRacer(engine, methodName, index = 0) {
  const M = meta(engine);
  const name = M.methods.has(methodName) ? methodName : DEFAULT_METHOD;
  const i = Number.isInteger(index) ? index : 0;
  return {
    optimizer: clone(defaultOptimizer(engine, M, name)),
    schedule: null,
    color: PALETTE[((i % PALETTE.length) + PALETTE.length) % PALETTE.length],
  };
}

/** The config of engine.run for one racer of the state. */
export function runConfig(state, racer) {
  return clone({
    optimizer: racer.optimizer,
    schedule: racer.schedule ?? null,
    function: state.fn,
    start: state.start,
    steps: state.steps,
    noise: state.noise,
  });
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
    entries = [...new URLSearchParams(text)];
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

  if (errors.length > MAX_ERRORS) {
    const more = errors.length - (MAX_ERRORS - 1);
    errors.splice(MAX_ERRORS - 1, Infinity, {
      field: 'hash',
      message: `${more} more problems not listed`,
    });
  }
  return { state, errors };
}

/** A value of the racer grammar (numbers by String(x), which reads back exactly). */
function writeValue(v, writeSpec) {
  if (typeof v === 'number') return formatNumber(v);
  if (Array.isArray(v)) return `[${v.map((x) => writeValue(x, writeSpec)).join(',')}]`;
  if (isObject(v)) return writeSpec(v);
  return String(v);
}

/** name(key=value,...) with the values that differ from the core's defaults, in metadata order. */
function writeSpec(name, values, description, writeNested) {
  const args = [];
  const keys = description ? description.params.map((p) => p.name) : Object.keys(values ?? {});
  for (const key of keys) {
    if (!values || !hasOwn(values, key)) continue;
    const p = paramOf(description, key);
    if (p && !p.required && same(values[key], p.default)) continue;
    args.push(`${key}=${writeValue(values[key], writeNested)}`);
  }
  return args.length ? `${name}(${args.join(',')})` : name;
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
 * The grammar characters that URLSearchParams escapes but a fragment may
 * hold as they are (browsers leave them unescaped in location.hash), plus the
 * expression operators '^' and '/'. Every '%' in its output starts an escape,
 * so replacing whole escapes cannot touch an escaped '%' ("%2528" stays).
 */
const UNESCAPE = new Map([
  ['%28', '('],
  ['%29', ')'],
  ['%2C', ','],
  ['%3D', '='],
  ['%5B', '['],
  ['%5D', ']'],
  ['%2A', '*'],
  ['%40', '@'],
  ['%3A', ':'],
  ['%5E', '^'],
  ['%2F', '/'],
]);
function unescapeGrammar(query) {
  let out = '';
  for (let i = 0; i < query.length; i += 1) {
    const escape = query[i] === '%' ? query.slice(i, i + 3) : '';
    const c = UNESCAPE.get(escape);
    if (c) {
      out += c;
      i += 2;
    } else {
      out += query[i];
    }
  }
  return out;
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

  const fn = state.fn;
  if (fn.name !== base.fn.name) q.append('fn', fn.name);
  const description = M.functions.get(fn.name);
  let defaults = {};
  try {
    defaults = functionInfo(engine, M, { name: fn.name }).function.params;
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
  if (v) q.append('view', [v.xmin, v.xmax, v.ymin, v.ymax].map(formatNumber).join(','));
  let start = null;
  try {
    start = functionInfo(engine, M, fn).start;
  } catch {
    // No suggested start for this function: write the start.
  }
  if (!same(state.start, start)) q.append('start', state.start.map(formatNumber).join(','));
  if (!Object.is(state.steps, base.steps)) q.append('steps', formatNumber(state.steps));
  if (!Object.is(state.noise.level, base.noise.level)) {
    q.append('noise', formatNumber(state.noise.level));
  }
  if (!Object.is(state.noise.seed, base.noise.seed)) {
    q.append('seed', formatNumber(state.noise.seed));
  }
  if (!Object.is(state.selected, base.selected)) q.append('sel', formatNumber(state.selected));
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
  const mlp = writeSection(state.mlp, base.mlp, Object.keys(MLP_CONFIG_PATH));
  if (mlp) q.append('mlp', mlp);
  return unescapeGrammar(q.toString());
}
