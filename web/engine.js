// SPDX-License-Identifier: MIT
// Loads the WebAssembly optimizer core (optim.mjs + optim.wasm) once per page, and runs the
// page's whole computations through it: one m.run per racer, one m.landscape per view.

import { HEAT_COLOURS } from './render/landscape.js';

/** @type {Promise<import('./optim.d.ts').OptimModule> | null} */
let enginePromise = null;

async function instantiate() {
  // A dynamic import, not a static one: if optim.mjs is missing or broken, this promise
  // rejects and the page can say so. A static import would stop every module that imports
  // engine.js (main.js included) before any of its code runs, leaving the page silent.
  const { default: createOptim } = await import('./optim.mjs');
  // optim.wasm lives next to optim.mjs and this file, whatever the page's base path.
  const wasmUrl = new URL('./optim.wasm', import.meta.url).href;
  try {
    return await createOptim({
      locateFile: (path, prefix) => (path.endsWith('.wasm') ? wasmUrl : prefix + path),
    });
  } catch (err) {
    // Emscripten 3.1.6 rejects with a bare "Aborted(...)" that does not name the file, and
    // adds build advice meant for developers of the module, not for readers of the page.
    const reason = (err instanceof Error ? err.message : String(err)).replace(
      /\s*Build with -s ?ASSERTIONS.*$/s,
      '',
    );
    throw new Error(`the WebAssembly module ${wasmUrl} did not load: ${reason}`, { cause: err });
  }
}

/**
 * The optimizer module (see optim.d.ts). Loaded on the first call; later calls share the
 * same promise. A failed load is not kept, so a later call tries again.
 * @returns {Promise<import('./optim.d.ts').OptimModule>}
 */
export async function loadEngine() {
  enginePromise ??= instantiate().catch((err) => {
    enginePromise = null;
    throw err;
  });
  return enginePromise;
}

/** The message of anything thrown (the core throws Error with the field path first). */
export function errorText(err) {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Runs every racer: one whole m.run each. Returns, per racer, { result } or { error }.
 * `configOf(racer, index)` gives the run config (state.js runConfig).
 */
export function runRacers(m, racers, configOf) {
  return racers.map((racer, i) => {
    try {
      return { result: m.run(configOf(racer, i)), error: null };
    } catch (err) {
      return { result: null, error: errorText(err) };
    }
  });
}

/**
 * Heat map values, their colours and contour segments of `fn` over `box` on a width x height
 * grid. `rgba` (the page's colour table on `scale`) is a view of wasm memory, valid until the
 * next m.landscape or m.heatmap call with colours or until memory grows: paint it (or copy it)
 * before calling into the core again.
 */
export function computeLandscape(m, fn, box, width, height, scale) {
  return m.landscape({ function: fn, box, width, height, levels: 20, scale }, HEAT_COLOURS);
}
