// SPDX-License-Identifier: MIT
// The WebAssembly core on the page's thread (optim.mjs + optim.wasm, loaded once) and a pool of
// module Workers (worker.js), each with its own instance of the core, for the work that would
// block the page: long races, ensembles, training. No DOM. The pool needs no
// SharedArrayBuffer, so an embedding page needs no special headers.

/** @type {Promise<import('./optim.d.ts').OptimModule> | null} */
let enginePromise = null;

/**
 * The single-file build (scripts/build-single.mjs) carries the core inline: { wasm (base64),
 * worker (the Worker's code) }. Null on the served page, which loads the files.
 */
export function embeddedCore() {
  return globalThis.__optimEmbedded ?? null;
}

let wasmBytes = null;
/** The inline core's wasm, decoded once (a copy for each caller: Workers take theirs). */
function embeddedWasm() {
  if (!wasmBytes) {
    const text = atob(embeddedCore().wasm);
    wasmBytes = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) wasmBytes[i] = text.charCodeAt(i);
  }
  return wasmBytes.slice();
}

/**
 * createOptim (optim.mjs's factory) instantiated from a compiled WebAssembly.Module: the page
 * compiles the core once and hands the module to its Workers, whose instances then share its
 * machine code, the optimized code included (V8 re-compiles hot functions as they run; a
 * Worker that compiled its own copy would start again from the baseline code).
 */
export function fromModule(createOptim, module) {
  let failed;
  const failure = new Promise((_, reject) => {
    failed = reject;
  });
  const ready = createOptim({
    instantiateWasm(imports, receive) {
      WebAssembly.instantiate(module, imports).then(
        (instance) => receive(instance, module),
        failed,
      );
      return {};
    },
  });
  return Promise.race([ready, failure]);
}

/** The compiled core, kept for the Workers (null until the page's instance is made). */
let compiled = null;

async function compile() {
  if (embeddedCore()) return WebAssembly.compile(embeddedWasm());
  // optim.wasm lives next to optim.mjs and this file, whatever the page's base path.
  const wasmUrl = new URL('./optim.wasm', import.meta.url).href;
  try {
    const response = await fetch(wasmUrl);
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    // A server that sends another MIME type than application/wasm still gets the page.
    const streamed = response.headers.get('content-type')?.startsWith('application/wasm');
    return streamed
      ? await WebAssembly.compileStreaming(response)
      : await WebAssembly.compile(await response.arrayBuffer());
  } catch (err) {
    throw new Error(`the WebAssembly module ${wasmUrl} did not load: ${errorText(err)}`, {
      cause: err,
    });
  }
}

async function instantiate() {
  // A dynamic import, not a static one: if optim.mjs is missing or broken, this promise
  // rejects and the page can say so. A static import would stop every module that imports
  // engine.js (main.js included) before any of its code runs, leaving the page silent.
  const [{ default: createOptim }, module] = await Promise.all([import('./optim.mjs'), compile()]);
  try {
    const m = await fromModule(createOptim, module);
    compiled = module;
    return m;
  } catch (err) {
    // Emscripten 3.1.6 rejects with a bare "Aborted(...)", and adds build advice meant for
    // developers of the module, not for readers of the page.
    const reason = errorText(err).replace(/\s*Build with -s ?ASSERTIONS.*$/s, '');
    throw new Error(`the WebAssembly module did not start: ${reason}`, { cause: err });
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

/** The largest pool: more Workers than this only cost memory on a student's laptop. */
export const MAX_WORKERS = 4;

/** The pool size for this machine: its logical cores, capped, at least one. */
export function poolSize() {
  const cores = Number(globalThis.navigator?.hardwareConcurrency) || 2;
  return Math.max(1, Math.min(MAX_WORKERS, cores));
}

/**
 * A pool of `size` module Workers (created when first needed). pool.task(message, options)
 * queues one message for the first free Worker and returns { promise, cancel }: the promise
 * resolves with the Worker's `done` result or rejects with its `error` message; options
 * .onProgress(msg) receives its progress messages, .transfer lists buffers to transfer.
 * cancel() drops a queued task, or terminates the Worker running it (a fresh one replaces
 * it); its promise then rejects with a CancelledError; drop() leaves a running task to finish. A Worker that fails (an error event,
 * a message it cannot read) rejects its task with the reason and is replaced.
 */
export function createPool({ size = poolSize(), url = null } = {}) {
  const embedded = !url && embeddedCore();
  // The single file has no worker.js: its Workers run the inline code from a blob: URL.
  const source = embedded
    ? URL.createObjectURL(new Blob([embedded.worker], { type: 'text/javascript' }))
    : (url ?? new URL('./worker.js', import.meta.url));
  const slots = Array.from({ length: size }, () => ({ worker: null, task: null }));
  const queue = [];
  let nextId = 0;

  function spawn(slot) {
    // The single file's Worker code is a classic script (see scripts/build-single.mjs).
    const worker = new Worker(source, embedded ? {} : { type: 'module' });
    // The Worker gets the page's compiled core first, when there is one; otherwise the
    // single file's Worker gets the wasm (it has no file to load it from).
    if (compiled && !url)
      worker.postMessage({ type: 'init', module: compiled, single: !!embedded });
    else if (embedded) worker.postMessage({ type: 'init', wasm: embeddedWasm(), single: true });
    worker.onmessage = (event) => {
      const task = slot.task;
      const msg = event.data;
      if (!task || msg?.id !== task.id) return;
      if (msg.type === 'progress') {
        task.onProgress?.(msg);
        return;
      }
      slot.task = null;
      if (msg.type === 'done') task.resolve(msg.result);
      else task.reject(new Error(msg.message ?? 'the worker sent an unreadable reply'));
      pump();
    };
    const fail = (reason) => {
      const task = slot.task;
      slot.task = null;
      worker.terminate();
      if (slot.worker === worker) slot.worker = null;
      task?.reject(new WorkerError(reason));
      pump();
    };
    worker.onerror = (event) => {
      event.preventDefault();
      fail(event.message || 'the worker stopped with an error');
    };
    worker.onmessageerror = () => fail('a message from the worker could not be read');
    slot.worker = worker;
    return worker;
  }

  function pump() {
    for (const slot of slots) {
      if (slot.task || !queue.length) continue;
      const task = queue.shift();
      slot.task = task;
      const worker = slot.worker ?? spawn(slot);
      worker.postMessage({ ...task.message, id: task.id }, task.transfer ?? []);
    }
  }

  return {
    size,
    task(message, { onProgress, transfer } = {}) {
      const id = ++nextId;
      let task;
      const promise = new Promise((resolve, reject) => {
        task = { id, message, transfer, onProgress, resolve, reject };
      });
      queue.push(task);
      pump();
      return {
        promise,
        cancel() {
          const queued = queue.indexOf(task);
          if (queued >= 0) queue.splice(queued, 1);
          const slot = slots.find((s) => s.task === task);
          if (slot) {
            slot.worker?.terminate();
            slot.worker = null;
            slot.task = null;
          }
          if (queued >= 0 || slot) task.reject(new CancelledError());
          pump();
        },
        /**
         * Like cancel(), but a task already running is left to finish in its Worker (its
         * result is dropped): for short tasks, where a new Worker would cost more.
         */
        drop() {
          const queued = queue.indexOf(task);
          if (queued >= 0) queue.splice(queued, 1);
          task.reject(new CancelledError());
        },
      };
    },
    /** Workers alive now (the browser soak test counts them). */
    get alive() {
      return slots.filter((s) => s.worker).length;
    },
    /** Terminates every Worker; queued and running tasks are cancelled. */
    close() {
      for (const task of queue.splice(0)) task.reject(new CancelledError());
      for (const slot of slots) {
        slot.worker?.terminate();
        slot.worker = null;
        slot.task?.reject(new CancelledError());
        slot.task = null;
      }
    },
  };
}

/** A task's promise rejects with this when the task was cancelled. */
export class CancelledError extends Error {
  constructor() {
    super('cancelled');
    this.name = 'CancelledError';
  }
}

/** A task's promise rejects with this when its Worker itself failed. */
export class WorkerError extends Error {
  constructor(reason) {
    super(reason);
    this.name = 'WorkerError';
  }
}
