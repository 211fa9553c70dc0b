// SPDX-License-Identifier: MIT
// Rejected calls of every bound function of the wasm module, in a loop, with the module's
// invariants checked after every round: the shadow stack pointer back where it was, no wasm
// memory growth, no live Embind handles left, and a valid call of every function still works.
// Used by tests/js/boundary.test.mjs on the main thread and in a worker thread.

/** Every guarded binding and one call of it that the core rejects. */
export function rejectedCalls(m, trainer) {
  const colours = new Uint8Array(768);
  return {
    normalizeOptimizer: () => m.normalizeOptimizer({ name: 'adam', hyperparameters: { lr: -1 } }),
    normalizeSchedule: () => m.normalizeSchedule({ name: 'cosine', params: { t_max: 0 } }),
    normalizeConfig: () => m.normalizeConfig({ function: { name: 'rosenbrock' } }),
    normalizeTrainerConfig: () => m.normalizeTrainerConfig({ optimizer: { name: 'adam2' } }),
    functionInfo: () => m.functionInfo({ name: 'custom', params: { expression: 'x +* y' } }),
    evaluate: () => m.evaluate({ name: 'custom', params: { expression: 'sin(' } }, 0, 0),
    run: () =>
      m.run({
        optimizer: { name: 'adam', hyperparameters: { lr: -1 } },
        function: { name: 'rosenbrock' },
        steps: 10,
      }),
    grid: () => m.grid({ function: { name: 'rosenbrock' }, width: 1, height: 10 }),
    landscape: () =>
      m.landscape({ function: { name: 'rosenbrock' }, width: 10, height: 10 }, colours.subarray(1)),
    heatmap: () => m.heatmap({ function: { name: 'rosenbrock' }, width: 0, height: 10 }, colours),
    ensemble: () => m.ensemble({ function: { name: 'twin_basin' }, racers: [], runs: 10 }),
    endpointMetrics: () => m.endpointMetrics({ function: { name: 'rosenbrock' }, point: [0, NaN] }),
    Trainer: () => new m.Trainer({ optimizer: { name: 'adam' }, network: { hidden: [0] } }),
    'Trainer.run': () => trainer.run(-1),
    'Trainer.topEigenvalue': () => trainer.topEigenvalue(0, 1),
    'Trainer.setParams': () => trainer.setParams([1, 2, 3]),
    'Trainer.sharpness': () => trainer.sharpness(2, null),
    'Trainer.randomSlice': () => trainer.randomSlice({ points: 1 }),
    'Trainer.lineSlice': () => trainer.lineSlice([1], {}),
    'Trainer.boundary': () => trainer.boundary({ xmin: 0, xmax: 1, ymin: 0, ymax: 1 }, 1, 10),
  };
}

/** Guarded bindings that take no input the core could reject: called, never rejected. */
export const INFALLIBLE = [
  'methods',
  'schedules',
  'functions',
  'series',
  'Trainer.history',
  'Trainer.params',
  'Trainer.data',
  'Trainer.predictions',
];

/** The names of every guarded binding of the module (boundary.js marks each wrapper). */
export function guardedNames(m) {
  const names = Object.keys(m).filter((k) => typeof m[k] === 'function' && m[k].__guarded);
  for (const k of Object.getOwnPropertyNames(m.Trainer.prototype)) {
    if (typeof m.Trainer.prototype[k] === 'function' && m.Trainer.prototype[k].__guarded) {
      names.push(`Trainer.${k}`);
    }
  }
  return names;
}

/** A valid call of every binding, to show the module still works: the results' sizes. */
export function validCalls(m) {
  const trainer = new m.Trainer({ optimizer: { name: 'adam' }, dataset: { n: 40 } });
  try {
    trainer.run(3);
    const run = m.run({ optimizer: { name: 'adam' }, function: { name: 'rosenbrock' }, steps: 5 });
    return {
      run: run.trajectory.length,
      evaluate: m.evaluate({ name: 'custom', params: { expression: 'sin(x)' } }, 0, 0).value,
      grid: m.grid({ function: { name: 'rosenbrock' }, width: 4, height: 3 }).length,
      trainerSteps: trainer.history().steps,
    };
  } finally {
    trainer.delete();
  }
}

/**
 * `total` rejected calls, round robin over rejectedCalls(). Throws when a call is not rejected
 * with an Error, or when after a round the stack pointer moved, wasm memory grew (after the
 * first round) or Embind handles stayed alive. Returns { calls, rounds, stack, memory }.
 */
export function soak(m, total) {
  const trainer = new m.Trainer({ optimizer: { name: 'adam' }, dataset: { n: 40 } });
  try {
    const calls = Object.entries(rejectedCalls(m, trainer));
    const stack = m.stackSave();
    const handles = m.count_emval_handles();
    let memory = -1;
    let done = 0;
    let rounds = 0;
    while (done < total) {
      for (const [name, call] of calls) {
        let error = null;
        try {
          call();
        } catch (e) {
          error = e;
        }
        if (!(error instanceof Error) || error.constructor.name !== 'Error') {
          throw new Error(`${name}: expected a rejection as an Error, got ${String(error)}`);
        }
        done += 1;
      }
      rounds += 1;
      if (m.stackSave() !== stack) {
        throw new Error(
          `after ${done} calls the stack pointer moved by ${stack - m.stackSave()} bytes`,
        );
      }
      if (m.count_emval_handles() !== handles) {
        throw new Error(
          `after ${done} calls ${m.count_emval_handles() - handles} Embind handles are alive`,
        );
      }
      const size = m.HEAP8.buffer.byteLength;
      if (memory < 0) memory = size;
      else if (size !== memory)
        throw new Error(`after ${done} calls wasm memory grew to ${size} bytes`);
    }
    return { calls: done, rounds, stack, memory };
  } finally {
    trainer.delete();
  }
}
