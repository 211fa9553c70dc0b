// SPDX-License-Identifier: MIT
// The one place the experiment's state lives. update(change) applies a change to a copy of the
// latest state and checks it (through the schema, app/schema.js): a rejected change leaves the
// state as it was and returns the problems. Accepted changes coalesce into one commit per
// animation frame; after the commit, every watcher whose slice changed is called once.
// Pure: no DOM; the frame scheduler is injected (tests pass a synchronous one).

/** Deep equality of JSON-like values (typed arrays too); numbers by Object.is (-0 is not 0). */
export function same(a, b) {
  if (Object.is(a, b)) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (ArrayBuffer.isView(a) || ArrayBuffer.isView(b)) {
    if (!ArrayBuffer.isView(a) || !ArrayBuffer.isView(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
    return true;
  }
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (const k of ka) {
    if (!Object.prototype.hasOwnProperty.call(b, k) || !same(a[k], b[k])) return false;
  }
  return true;
}

/** Freezes a plain state tree, so that a reader cannot change the store behind its back. */
function deepFreeze(value) {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/**
 * createStore(initial, { check, schedule }):
 * - check(next, prev) -> { state, errors }: validates and normalizes a changed state (errors:
 *   [{ field, message }]); without it every change is accepted as it is.
 * - schedule(flush): arranges for flush() to run once, before the next frame is drawn
 *   (default: requestAnimationFrame). Several updates before it runs make one commit.
 * Returns { get, update, replace, watch, flush }.
 */
export function createStore(initial, { check = (s) => ({ state: s, errors: [] }), schedule } = {}) {
  let committed = deepFreeze(structuredClone(initial));
  let latest = committed;
  let scheduled = false;
  const watchers = new Set();
  const later = schedule ?? ((flush) => requestAnimationFrame(() => flush()));

  function flush() {
    scheduled = false;
    if (latest === committed) return;
    const prev = committed;
    committed = latest;
    for (const w of [...watchers]) {
      if (!watchers.has(w)) continue;
      const value = w.select(committed);
      if (same(value, w.value)) continue;
      const old = w.value;
      w.value = value;
      w.fn(value, old, committed, prev);
    }
  }

  function accept(next) {
    latest = deepFreeze(next);
    if (!scheduled) {
      scheduled = true;
      later(flush);
    }
  }

  return {
    /** The latest accepted state (frozen): what the next commit will show. */
    get: () => latest,
    /**
     * Applies a change to a copy of the latest state: change(draft) may change the draft or
     * return the next state (an action of app/actions.js). Returns [] when the change was
     * accepted (or changed nothing), else its problems; a rejected change is dropped whole.
     */
    update(change) {
      const draft = structuredClone(latest);
      const next = change(draft) ?? draft;
      if (same(next, latest)) return [];
      const { state, errors } = check(structuredClone(next), latest);
      if (errors.length) return errors;
      if (!same(state, latest)) accept(state);
      return [];
    },
    /** Replaces the whole state with one already checked (a link, a chapter). */
    replace(state) {
      accept(structuredClone(state));
    },
    /**
     * Calls fn(value, previous, state, previousState) now, with the committed state, and then
     * after each commit in which select(state) changed (deep equality). Returns unwatch().
     */
    watch(select, fn) {
      const w = { select, fn, value: select(committed) };
      watchers.add(w);
      fn(w.value, undefined, committed, committed);
      return () => watchers.delete(w);
    },
    /** Commits now what is pending (tests, and a link loaded before the first frame). */
    flush,
  };
}
