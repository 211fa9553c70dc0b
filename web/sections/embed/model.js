// SPDX-License-Identifier: MIT
// The embedding's message protocol (the hosting page <-> the playground in its iframe), read
// and answered without the DOM: every message is untrusted and checked field by field; nothing
// in one is executed or inserted as HTML. Version 1:
//   request  { api: 'optimizer-playground', version: 1, id, type, ... }
//            type: getState | setState {hash} | play | pause | step {delta?} | seek {step}
//                  | getResults
//   reply    { api, version, id, type: 'result', ... } or { api, version, id, type: 'error',
//            message }
//   events   { api, version, type: 'ready' | 'state' {hash} | 'finished' } (no id)

import { MAX_HASH } from '../../app/schema.js';

export const API = 'optimizer-playground';
export const VERSION = 1;
export const REQUESTS = Object.freeze([
  'getState',
  'setState',
  'play',
  'pause',
  'step',
  'seek',
  'getResults',
]);
/** The longest id a reply echoes. */
const MAX_ID = 200;
/** The largest step move of one 'step' request. */
const MAX_DELTA = 1e6;

const isPlainObject = (x) =>
  x !== null && typeof x === 'object' && Object.getPrototypeOf(x) === Object.prototype;
const own = (o, k) => Object.prototype.hasOwnProperty.call(o, k);

/**
 * Reads a message's data. Returns null for a message not meant for the playground (no
 * api: 'optimizer-playground'; it gets no reply), else { request } with { id, type, hash?,
 * delta?, step? }, or { id, error } for a request that is wrong (it gets an error reply).
 */
export function readRequest(data) {
  if (!isPlainObject(data) || data.api !== API) return null;
  const rawId = own(data, 'id') ? data.id : undefined;
  const idOk =
    (typeof rawId === 'string' && rawId.length > 0 && rawId.length <= MAX_ID) ||
    (typeof rawId === 'number' && Number.isFinite(rawId));
  const id = idOk ? rawId : null;
  const fail = (message) => ({ id, error: message });
  if (data.version !== VERSION) {
    return fail(
      `version ${JSON.stringify(String(data.version)).slice(0, 40)} is not supported; this is version ${VERSION}`,
    );
  }
  if (!idOk) return fail(`id must be a string of 1 to ${MAX_ID} characters or a finite number`);
  if (typeof data.type !== 'string' || !REQUESTS.includes(data.type)) {
    return fail(`type must be one of ${REQUESTS.join(', ')}`);
  }
  const request = { id, type: data.type };
  if (data.type === 'setState') {
    if (typeof data.hash !== 'string') return fail('setState needs hash, the state as a link hash');
    if (data.hash.length > MAX_HASH + 1) {
      return fail(`hash has ${data.hash.length} characters, more than ${MAX_HASH}`);
    }
    request.hash = data.hash;
  } else if (data.type === 'step') {
    const delta = own(data, 'delta') ? data.delta : 1;
    if (!Number.isInteger(delta) || Math.abs(delta) > MAX_DELTA) {
      return fail(`delta must be an integer in [-${MAX_DELTA}, ${MAX_DELTA}]`);
    }
    request.delta = delta;
  } else if (data.type === 'seek') {
    if (!Number.isInteger(data.step) || data.step < 0) {
      return fail('seek needs step, an integer >= 0');
    }
    request.step = data.step;
  }
  return { request };
}

/** A reply to request `id` (`fields` for a result). */
export function result(id, type, fields = {}) {
  return { api: API, version: VERSION, id, type: 'result', request: type, ...fields };
}

export function error(id, message) {
  return { api: API, version: VERSION, id, type: 'error', message: String(message) };
}

export function event(type, fields = {}) {
  return { api: API, version: VERSION, type, ...fields };
}

/** Per racer: its method, final loss, steps run and whether (and where) it diverged. */
export function resultsOf(state, runs) {
  return state.racers.map((racer, i) => {
    const r = runs.list[i]?.result ?? null;
    return {
      method: racer.optimizer.name,
      colour: racer.color,
      finalLoss: r && r.loss.length ? r.loss[r.steps] : null,
      steps: r ? r.steps : 0,
      diverged: r ? r.diverged : false,
      divergedAt: r && r.diverged ? r.divergedAt : null,
      error: runs.list[i]?.error ?? null,
    };
  });
}
