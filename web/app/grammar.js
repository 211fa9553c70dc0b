// SPDX-License-Identifier: MIT
// The text of a share link (version 1): the grammar of racers and key:value lists, read by a
// hand-written character loop (linear time, at most MAX_DEPTH nested '(' or '[', no regular
// expressions, nothing executed), and written back. Pure: no DOM, no globals.
//
//   racer := spec ['*' spec] ['@' rrggbb]
//   spec  := name ['(' [key '=' value (',' key '=' value)*] ')']
//   value := number | true | false | null | identifier | spec
//          | '[' [value (',' value)*] ']'
//   pairs := key ':' value (',' key ':' value)*          (lab=, mlp=, fp=; value as in a racer)
// Tokens may be separated by spaces.

import { same } from './store.js';

/** Nesting depth of '(' and '[' in one racer. */
const MAX_DEPTH = 6;
/** Longest method, schedule or parameter name. */
const MAX_NAME = 64;
/** Longest piece of user text quoted back in a message. */
export const MAX_QUOTE = 40;

export const hasOwn = (o, k) => Object.prototype.hasOwnProperty.call(o, k);
export const isObject = (x) => x !== null && typeof x === 'object';

/** String(x) is the shortest text that reads back as x, except that it drops the sign of -0. */
export function linkNumber(x) {
  return Object.is(x, -0) ? '-0' : String(x);
}

/** User text for a message: quoted, escaped, cut to MAX_QUOTE characters. */
export function quote(text) {
  const s = String(text);
  return JSON.stringify(s.length > MAX_QUOTE ? `${s.slice(0, MAX_QUOTE)}…` : s);
}

export function errorMessage(e) {
  return String(isObject(e) && 'message' in e ? e.message : e);
}

// ---------------------------------------------------------------------------
// the racer grammar: a character loop

/**
 * A syntax error of the racer grammar. Not an Error: no stack is captured,
 * since a long malformed hash may throw (and catch) thousands of them. A
 * fatal one (too deep, a repeated parameter) is not recovered from.
 */
export class GrammarError {
  constructor(message, fatal = false) {
    this.message = message;
    this.fatal = fatal;
  }
}

export function isDigit(c) {
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
export function readRacer(text) {
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
export function readPairs(text) {
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
export function readNumbers(text, count) {
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
// writing

/** A value of the racer grammar (numbers by String(x), which reads back exactly). */
export function writeValue(v, writeSpec) {
  if (typeof v === 'number') return linkNumber(v);
  if (Array.isArray(v)) return `[${v.map((x) => writeValue(x, writeSpec)).join(',')}]`;
  if (isObject(v)) return writeSpec(v);
  return String(v);
}

/**
 * name(key=value,...) with the values that differ from the defaults of `description` (the
 * core's metadata of the method or schedule), in metadata order.
 */
export function writeSpec(name, values, description, writeNested) {
  const args = [];
  const keys = description ? description.params.map((p) => p.name) : Object.keys(values ?? {});
  for (const key of keys) {
    if (!values || !hasOwn(values, key)) continue;
    const p = description?.params.find((q) => q.name === key);
    if (p && !p.required && same(values[key], p.default)) continue;
    args.push(`${key}=${writeValue(values[key], writeNested)}`);
  }
  return args.length ? `${name}(${args.join(',')})` : name;
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
export function unescapeGrammar(query) {
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
