// SPDX-License-Identifier: MIT
// The core's tools module (optim-tools.mjs + optim-tools.wasm): gradient streams, learning-rate
// range tests and tuning. Loaded on the page's thread the first time a tool needs it, never with
// the page: most visits use no tool. Its errors cross the boundary as Errors with the core's
// message, as the page's module's do.

let toolsPromise = null;

async function instantiate() {
  // The single-file page carries only the page's own core (engine.js, embeddedCore): it asks
  // for no file, and says so.
  if (globalThis.__optimEmbedded) {
    throw new Error('the tools of this section need the served page; this single file has none');
  }
  // Addressed by URL, so that a bundler leaves it out.
  const js = new URL('./optim-tools.mjs', import.meta.url).href;
  const wasm = new URL('./optim-tools.wasm', import.meta.url).href;
  let create;
  try {
    ({ default: create } = await import(js));
  } catch (err) {
    throw new Error(
      `the tools module ${js} did not load: ${err instanceof Error ? err.message : String(err)}`,
      { cause: err },
    );
  }
  try {
    return await create({
      locateFile: (path, prefix) => (path.endsWith('.wasm') ? wasm : prefix + path),
    });
  } catch (err) {
    const reason = (err instanceof Error ? err.message : String(err)).replace(
      /\s*Build with -s ?ASSERTIONS.*$/s,
      '',
    );
    throw new Error(`the WebAssembly module ${wasm} did not load: ${reason}`, { cause: err });
  }
}

/**
 * The tools module: streamMetadata(), runStream(config), rangeTest(config), tune(config) and
 * their normalize* checks (src/wasm/tools.cpp). Loaded on the first call; a failed load is not
 * kept, so a later call tries again.
 */
export function loadTools() {
  toolsPromise ??= instantiate().catch((err) => {
    toolsPromise = null;
    throw err;
  });
  return toolsPromise;
}
