// SPDX-License-Identifier: MIT
// Every change a control, the figure or a link can make, as a pure function (state, ...) ->
// state: the input is never changed. The store checks the result (app/schema.js checkState),
// so an action only says what changes; the core normalizes and validates. Pure: no DOM.

import { addOrder, defaultOptimizer, functionInfo, meta } from './meta.js';
import { MAX_RACERS, PALETTE, defaultRacer } from './schema.js';

const copy = (s) => structuredClone(s);

/** Sets the value at `path` (an array of keys) below `obj`. */
function setPath(obj, path, value) {
  let o = obj;
  for (const key of path.slice(0, -1)) o = o[key];
  o[path.at(-1)] = value;
}

/** The first palette colour no racer wears (else the next by count). */
function unusedColour(racers) {
  return (
    PALETTE.find((c) => !racers.some((r) => r.color === c)) ??
    PALETTE[racers.length % PALETTE.length]
  );
}

export function setLang(state, lang) {
  return { ...copy(state), lang: lang === 'zh' ? 'zh' : 'en' };
}

/** Switches to function `name` with its default parameters, start and view. Throws as the core. */
export function setFunction(state, engine, name) {
  const info = functionInfo(engine, { name, params: {} });
  const s = copy(state);
  s.fn = info.function;
  s.start = [...info.start];
  s.view = null;
  return s;
}

/** One parameter of the function (the core checks it when the store does). */
export function setFunctionParam(state, key, value) {
  const s = copy(state);
  s.fn.params[key] = value;
  return s;
}

export function setSteps(state, steps) {
  return { ...copy(state), steps };
}

export function setNoiseLevel(state, level) {
  const s = copy(state);
  s.noise.level = level;
  return s;
}

export function setSeed(state, seed) {
  const s = copy(state);
  s.noise.seed = seed;
  return s;
}

export function setStart(state, start) {
  return { ...copy(state), start: [start[0], start[1]] };
}

/** The view box, or null for the function's domain. */
export function setView(state, box) {
  return { ...copy(state), view: box ? { ...box } : null };
}

/** Selects racer i for the state chart, which then opens on that racer's own quantity. */
export function selectRacer(state, i) {
  if (i === state.selected) return state;
  return { ...copy(state), selected: i, series: null };
}

/** The learning-rate chart's axis: 'log' or 'linear'. */
export function setLrScale(state, scale) {
  return { ...copy(state), lrScale: scale };
}

/** Whose state the state chart shows: 'selected' (the selected racer's) or 'all'. */
export function setOverlay(state, overlay) {
  return { ...copy(state), overlay };
}

/** The state chart's quantity (a state series name), or null for the racer's own. */
export function setSeries(state, name) {
  return { ...copy(state), series: name };
}

/** Adds the next method of the "Add racer" order that is not racing yet (Adam after all). */
export function addRacer(state, engine) {
  if (state.racers.length >= MAX_RACERS) return state;
  const used = new Set(state.racers.map((r) => r.optimizer.name));
  const name = addOrder(meta(engine)).find((n) => !used.has(n)) ?? 'adam';
  const s = copy(state);
  const racer = defaultRacer(engine, name, s.racers.length);
  racer.color = unusedColour(s.racers);
  s.racers.push(racer);
  return s;
}

/** A copy of racer i right after it, in a colour no racer wears. */
export function duplicateRacer(state, i) {
  if (state.racers.length >= MAX_RACERS || !state.racers[i]) return state;
  const s = copy(state);
  const twin = copy(s.racers[i]);
  twin.color = unusedColour(s.racers);
  s.racers.splice(i + 1, 0, twin);
  if (s.selected > i) s.selected += 1;
  return s;
}

export function removeRacer(state, i) {
  if (state.racers.length <= 1 || !state.racers[i]) return state;
  const s = copy(state);
  s.racers.splice(i, 1);
  if (s.selected > i || s.selected >= s.racers.length) {
    s.selected = Math.max(0, s.selected - 1);
    s.series = state.selected === i ? null : s.series;
  }
  return s;
}

/** Racer i takes method `name` with its racer defaults; its schedule and colour stay. */
export function setRacerMethod(state, engine, i, name) {
  const s = copy(state);
  s.racers[i].optimizer = defaultOptimizer(engine, name);
  if (s.selected === i) s.series = null;
  return s;
}

/** Lookahead's inner method (at `path` below the racer) becomes `name` with its racer defaults. */
export function setRacerInnerMethod(state, engine, i, path, name) {
  const s = copy(state);
  setPath(s.racers[i], path, defaultOptimizer(engine, name));
  return s;
}

/** One value below racer i, at `path` (['optimizer', 'hyperparameters', 'lr'], ...). */
export function setRacerValue(state, i, path, value) {
  const s = copy(state);
  setPath(s.racers[i], path, value);
  return s;
}

/** Racer i's schedule spec, or null for a constant learning rate. */
export function setRacerSchedule(state, i, schedule) {
  const s = copy(state);
  s.racers[i].schedule = schedule ? copy(schedule) : null;
  return s;
}

export function setRacerColour(state, i, colour) {
  const s = copy(state);
  s.racers[i].color = String(colour).toLowerCase();
  return s;
}

/** One input of the lab (LAB_FIELDS). */
export function setLabInput(state, key, value) {
  const s = copy(state);
  s.lab[key] = value;
  return s;
}

/** One input of the gradient-stream lab (STREAM_FIELDS, or text). */
export function setStreamInput(state, key, value) {
  const s = copy(state);
  s.stream[key] = value;
  return s;
}

/** One input of the digits section (DIGIT_FIELDS). */
export function setDigitsInput(state, key, value) {
  const s = copy(state);
  s.digits[key] = value;
  return s;
}

/** One input of the learning-rate tools (TOOL_FIELDS). */
export function setToolInput(state, key, value) {
  const s = copy(state);
  s.tools[key] = value;
  return s;
}

/** The racer's learning rate (Lookahead's: its inner method's), as the core's tuner sets it. */
export function setRacerLr(state, i, lr) {
  const s = copy(state);
  let optimizer = s.racers[i].optimizer;
  while (optimizer.name === 'lookahead') optimizer = optimizer.hyperparameters.inner;
  optimizer.hyperparameters.lr = lr;
  return s;
}

/** One input of the tiny network (MLP_FIELDS). */
export function setMlpInput(state, key, value) {
  const s = copy(state);
  s.mlp[key] = copy(value);
  return s;
}
