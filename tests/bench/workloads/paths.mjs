// SPDX-License-Identifier: MIT
// Workload a: 2-D paths on Rosenbrock from (-1.2, 1), 100k updates of Adam, RMSProp, SGD with
// momentum and SGD, in steps per second: m.run(config) as the page calls it (web/app/runs.js),
// recording the path, the loss, the learning rate and the optimizer's state per step, against
// native run_path, hand-written JavaScript (the path and the loss) and TensorFlow.js. Then two
// tables of every method's 2-D path recording every series: the engine compiled to wasm
// against the same engine built natively (one bench driver, tests/bench/native/core.cpp, on
// both sides), with a plain SGD loop compiled both ways as its floor
// (tests/bench/native/floor.hpp); and m.run in Node against native.
import { rosenbrockPath } from '../js/paths.mjs';
import { pathSummary } from '../js/shared.mjs';
import { relDiff, summary, timeIt, toRate } from '../lib/measure.mjs';
import { makeTable, medianOf } from '../lib/report.mjs';

/** One setting for every contender; none of them diverges on this run. */
export const METHODS = [
  { name: 'adam', label: 'Adam', hp: { lr: 0.001 } },
  { name: 'rmsprop', label: 'RMSProp', hp: { lr: 0.001 } },
  { name: 'sgd_momentum', label: 'SGDM', hp: { lr: 0.0001, momentum: 0.9 } },
  { name: 'sgd', label: 'SGD', hp: { lr: 0.001 } },
];
const START = [-1.2, 1];
/** Relative agreement of the final point between float64 contenders. */
const TOLERANCE = 1e-9;
/** TensorFlow.js computes in float32: its point after TF_STEPS is compared within this. */
const TF_TOLERANCE = 1e-2;

/** Record modes a leaner m.run may accept; the first one the module takes is measured too. */
const LEAN_PROBES = [
  ['record', 'path'],
  ['record', 'trajectory'],
  ['record', 'endpoint'],
  ['record', 'none'],
  ['record', 'lean'],
  ['record', ['trajectory', 'loss']],
  ['record', false],
];

function probeLean(m) {
  for (const [key, value] of LEAN_PROBES) {
    try {
      m.run({
        function: { name: 'rosenbrock' },
        optimizer: { name: 'sgd' },
        steps: 2,
        [key]: value,
      });
      return { [key]: value };
    } catch {
      // not supported by this build of the module
    }
  }
  return null;
}

/** TensorFlow.js's optimizer for the core's normalized hyperparameters. */
function tfOptimizer(tf, name, hp) {
  if (name === 'adam') return tf.train.adam(hp.lr, hp.beta1, hp.beta2, hp.eps);
  if (name === 'rmsprop') return tf.train.rmsprop(hp.lr, hp.alpha, 0, hp.eps);
  if (name === 'sgd_momentum') return tf.train.momentum(hp.lr, hp.momentum);
  return tf.train.sgd(hp.lr);
}

/** `steps` updates of tf.train on Rosenbrock; returns the final point. */
function tfPath(tf, name, hp, steps) {
  const x = tf.variable(tf.scalar(START[0]));
  const y = tf.variable(tf.scalar(START[1]));
  const opt = tfOptimizer(tf, name, hp);
  const f = () => {
    const u = tf.sub(1, x);
    const v = tf.sub(y, tf.square(x));
    return tf.add(tf.square(u), tf.mul(100, tf.square(v)));
  };
  for (let t = 0; t < steps; t++) opt.minimize(f, false, [x, y]);
  const point = [x.dataSync()[0], y.dataSync()[0]];
  x.dispose();
  y.dispose();
  opt.dispose();
  return point;
}

export async function run(ctx) {
  const { m, quick, reps, browser, native, tf } = ctx;
  const steps = ctx.sizes.pathSteps ?? (quick ? 10_000 : 100_000);
  const tfSteps = ctx.sizes.tfSteps ?? (quick ? 100 : 1000);
  const lean = probeLean(m);
  const tables = [];
  for (const method of METHODS) {
    const spec = m.normalizeOptimizer({ name: method.name, hyperparameters: method.hp });
    const hp = spec.hyperparameters;
    const config = { optimizer: spec, function: { name: 'rosenbrock' }, start: START, steps };
    const opts = { warmup: 1, repetitions: reps };
    const rows = [];
    const ref = pathSummary(m.run(config));
    if (ref.diverged || ref.steps !== steps)
      throw new Error(`${method.name} diverged on Rosenbrock`);
    const agree = (s) => {
      const d = Math.max(relDiff(s.x, ref.x), relDiff(s.y, ref.y));
      return {
        ok: d <= TOLERANCE && s.steps === steps,
        check: `end point Δ ${d.toExponential(1)}`,
      };
    };
    const add = (contender, samples, result, extra = {}) =>
      rows.push({ contender, samples: toRate(samples, steps), ...agree(result), ...extra });

    let r = await timeIt(() => pathSummary(m.run(config)), opts);
    add('wasm, Node: m.run (as the page)', r.samples, r.result);
    if (lean) {
      r = await timeIt(() => pathSummary(m.run({ ...config, ...lean })), opts);
      add(`wasm, Node: m.run ${JSON.stringify(lean)}`, r.samples, r.result);
    }
    if (browser) {
      r = await browser.time('pathWasm', { config }, opts);
      add('wasm, Chromium: m.run', r.samples, r.result);
      if (lean) {
        r = await browser.time('pathWasm', { config: { ...config, ...lean } }, opts);
        add(`wasm, Chromium: m.run ${JSON.stringify(lean)}`, r.samples, r.result);
      }
    }
    if (native.available) {
      const out = native.run({ kind: 'path', config, repetitions: reps, warmup: 1 });
      add('native: run_path', out.samples_ms, out.result);
    }
    r = await timeIt(() => pathSummary(rosenbrockPath(method.name, hp, START, steps)), opts);
    add('JavaScript, Node (path + loss)', r.samples, r.result);
    if (browser) {
      r = await browser.time('pathJs', { method: method.name, hp, start: START, steps }, opts);
      add('JavaScript, Chromium', r.samples, r.result);
    }
    if (tf) {
      const short = pathSummary(m.run({ ...config, steps: tfSteps }));
      for (const backend of ['cpu', 'wasm']) {
        await tf.use(backend);
        const t = await timeIt(() => tfPath(tf.tf, method.name, hp, tfSteps), {
          warmup: 1,
          repetitions: reps,
        });
        const d = Math.max(Math.abs(t.result[0] - short.x), Math.abs(t.result[1] - short.y));
        rows.push({
          contender: `TF.js ${backend}, Node (${tfSteps} steps)`,
          samples: toRate(t.samples, tfSteps),
          ok: d <= TF_TOLERANCE,
          check: `float32: point after ${tfSteps} steps Δ ${d.toExponential(1)} (≤ ${TF_TOLERANCE})`,
        });
      }
    }
    const table = makeTable({
      id: `paths-${method.name}`,
      title: `a) ${method.label} on Rosenbrock, ${steps} steps from (-1.2, 1), ${JSON.stringify(method.hp)}`,
      unit: 'steps/s',
      higherIsBetter: true,
      rows,
      notes: [
        `Check: final point against wasm Node m.run, relative ≤ ${TOLERANCE} (float64 contenders).`,
        lean
          ? `m.run accepts ${JSON.stringify(lean)}: measured as a second wasm row.`
          : 'm.run has no lean recording mode in this build (probed "record"); the wasm rows record every series.',
      ],
    });
    // Like with like: the JavaScript records the path and the loss, so the ratio compares it
    // with the wasm run that records the path (lean, when the module has it) in the same engine.
    const leanName = (engine) => `wasm, ${engine}: m.run ${JSON.stringify(lean)}`;
    const ratioIn = (engine, jsName, fullName) => {
      const js = medianOf(table, jsName);
      const wasm = (lean && medianOf(table, leanName(engine))) ?? medianOf(table, fullName);
      return wasm / js;
    };
    const node = ratioIn(
      'Node',
      'JavaScript, Node (path + loss)',
      'wasm, Node: m.run (as the page)',
    );
    const chromium = browser
      ? ratioIn('Chromium', 'JavaScript, Chromium', 'wasm, Chromium: m.run')
      : NaN;
    const ratio = browser ? chromium : node;
    // A reported ratio, not a target: a general engine is not asked to beat a loop written for
    // one function and one method (the every-method table holds the 2-D target).
    table.target = {
      text: `wasm / hand-written JS, same engine (${browser ? 'Chromium' : 'Node'})`,
      reported: true,
      detail:
        `wasm / JS = ${ratio.toFixed(2)}x` +
        (browser ? `; in Node ${node.toFixed(2)}x` : '') +
        (lean ? `, wasm recording ${JSON.stringify(lean)}` : ''),
    };
    tables.push(table);
  }
  if (native.available && ctx.wasmDriver.available) {
    tables.push(...(await everyMethodTables(ctx, steps)));
  }
  return tables;
}

/** The wasm / native target of every method's 2-D path. */
const EVERY_METHOD_TARGET = 0.9;
/**
 * Each process of the every-method tables runs its job this many times untimed, then times
 * this many runs, of which the pair compares the fastest: the engine in steady state on both
 * sides (warm allocator, optimized code), as a page that runs path after path has it. The
 * first runs of a process measure how the operating system hands out fresh pages as much as
 * the engine (natively up to twice as slow, and more on the cheapest methods).
 */
const STEADY = { warmup: 5, repetitions: 15 };

/** The fastest rate of a job's samples. */
const bestRate = (samplesMs, steps) => Math.max(...toRate(samplesMs, steps));

/**
 * Every method's 2-D path on Rosenbrock from (-1.2, 1) recording every state series (the
 * page's selected racer), in two tables of one row per method. The target's: the bench driver
 * (tests/bench/native/core.cpp, run_path) compiled to wasm with the core's flags and run by
 * Node, over the same driver built natively, each job in a process of its own; the rounds
 * alternate the two. The reported one: m.run in this process as the page calls it (the
 * boundary's parsing and the copy of the records into JavaScript arrays included) over the
 * native rate of the same round. Native reports whether the run took the fixed-size 2-D loop;
 * the target covers those that did. A floor row (a plain SGD loop, not a method) shows what
 * the two toolchains make of the simplest loop of this shape.
 */
async function everyMethodTables(ctx, steps) {
  const { m, reps, native, wasmDriver } = ctx;
  const engineRows = [];
  const pageRows = [];
  const fast = [];
  let sgd = null;
  for (const info of m.methods()) {
    // The page's rates, or a tenth of them until the run does not diverge (AdaBound's late
    // SGD phase at final_lr does on Rosenbrock): a diverged run would time its first updates.
    const lookahead = info.name === 'lookahead';
    const defaults = lookahead ? {} : m.normalizeOptimizer({ name: info.name }).hyperparameters;
    let scale = 1;
    let config;
    let ref;
    for (let attempt = 0; attempt < 4; attempt++, scale /= 10) {
      const hp = lookahead
        ? { inner: { name: 'adam', hyperparameters: { lr: 0.02 } } }
        : { lr: (info.page?.lr ?? defaults.lr) * scale };
      if ('final_lr' in defaults) hp.final_lr = defaults.final_lr * scale;
      const spec = m.normalizeOptimizer({ name: info.name, hyperparameters: hp });
      config = { optimizer: spec, function: { name: 'rosenbrock' }, start: START, steps };
      ref = pathSummary(m.run(config));
      if (!ref.diverged) break;
    }
    const job = { kind: 'path', config, ...STEADY };
    const engine = [];
    const page = [];
    let out;
    let mine;
    for (let r = 0; r < reps; r++) {
      out = native.run(job);
      const nativeRate = bestRate(out.samples_ms, steps);
      mine = wasmDriver.run(job);
      engine.push(bestRate(mine.samples_ms, steps) / nativeRate);
      const w = await timeIt(() => pathSummary(m.run(config)), { ...STEADY, minSampleMs: 0 });
      page.push(bestRate(w.samples, steps) / nativeRate);
    }
    const d = Math.max(
      ...[out.result, mine.result].flatMap((s) => [relDiff(s.x, ref.x), relDiff(s.y, ref.y)]),
    );
    const ok = d <= TOLERANCE && out.result.steps === ref.steps && mine.result.steps === ref.steps;
    const loop = out.result.fixed2d ? '2-D loop' : 'general chain';
    const check =
      `${scale === 1 ? 'page rates' : `rates x ${scale}`}, ${ref.steps} steps` +
      `${ref.diverged ? ' (diverged)' : ''}; end points Δ ${d.toExponential(1)}`;
    if (out.result.fixed2d) fast.push({ name: info.name, ratio: summary(engine).median });
    if (info.name === 'sgd' && scale === 1) sgd = { config, ref };
    engineRows.push({
      contender: `wasm / native: ${info.name} (${loop})`,
      samples: engine,
      ok,
      check,
    });
    pageRows.push({
      contender: `wasm m.run / native: ${info.name} (${loop})`,
      samples: page,
      ok,
      check,
    });
  }
  const worst = fast.reduce((a, b) => (!a || b.ratio < a.ratio ? b : a), null);
  const floor = sgd ? floorRow(ctx, sgd) : null;
  if (floor) engineRows.push(floor.row);
  const sampleNote =
    `Samples: one per round (${reps} rounds), the fastest rate of ${STEADY.repetitions} runs ` +
    `after ${STEADY.warmup} untimed ones on each side, over the fastest native rate of the ` +
    'same round. Each method at its page learning rate (metadata page.lr; with final_lr, a ' +
    'tenth of both while the run diverges; Lookahead around Adam, lr 0.02), recording every ' +
    'state series as the page does for its selected racer. "(2-D loop)": the run took the ' +
    'fixed-size loop. "best / this" compares methods with each other and means little here.';
  return [
    makeTable({
      id: 'paths-every-method',
      title: `a) 2-D paths of every method, the engine in wasm (Node) / native, ${steps} steps on Rosenbrock`,
      unit: 'x native',
      higherIsBetter: true,
      rows: engineRows,
      notes: [
        'Both sides run the bench driver (tests/bench/native/core.cpp: run_path, timed in C++), ' +
          "built natively and to wasm with the core's flags (build/wasm/bench-core.cjs), each " +
          `job in a process of its own. ${sampleNote}`,
        'The floor row is not a method: SGD on Rosenbrock written for this one case ' +
          '(tests/bench/native/floor.hpp: the function inlined, the checks and records of the ' +
          "core's loop, no state series), run by the same driver on both sides. Its ratio is " +
          'what the two toolchains make of this shape of loop on this machine before anything ' +
          'a general engine adds; it is left out of the target.',
      ],
      target: {
        text: `wasm ≥ ${EVERY_METHOD_TARGET}x native for every method with a 2-D loop (Node)`,
        met: worst ? fast.every((f) => f.ratio >= EVERY_METHOD_TARGET) : null,
        detail:
          (worst
            ? `${fast.length} methods; lowest ${worst.name} ${worst.ratio.toFixed(2)}x`
            : 'no method took the 2-D loop') +
          (floor ? `; the floor (a plain SGD loop) ${floor.ratio.toFixed(2)}x` : ''),
      },
    }),
    makeTable({
      id: 'paths-every-method-page',
      title: `a) 2-D paths of every method, m.run as the page calls it (Node) / native, ${steps} steps on Rosenbrock`,
      unit: 'x native',
      higherIsBetter: true,
      rows: pageRows,
      notes: [
        "m.run in the bench's own Node process, as web/app/runs.js calls it: the engine plus " +
          'the boundary (the config parsed from JavaScript, every record copied out of wasm ' +
          `memory into JavaScript arrays: 40 bytes or more per update). ${sampleNote}`,
      ],
      target: {
        text: 'm.run / native run_path, every method (Node)',
        reported: true,
        detail: `median of the rows ${summary(pageRows.map((r) => summary(r.samples).median)).median.toFixed(2)}x`,
      },
    }),
  ];
}

/**
 * The every-method table's floor: the plain SGD loop of tests/bench/native/floor.hpp at the SGD
 * row's setting, the wasm driver over the native one, paired as the method rows are. Its end
 * point, last loss and steps must match the core's SGD run.
 */
function floorRow({ m, reps, native, wasmDriver }, { config, ref }) {
  const job = {
    kind: 'floor',
    config: {
      start: config.start,
      lr: config.optimizer.hyperparameters.lr,
      steps: config.steps,
      // The core's default, as the SGD run had it.
      divergence_bound: m.normalizeConfig(config).divergence_bound,
    },
    ...STEADY,
  };
  const ratios = [];
  let out;
  let mine;
  for (let r = 0; r < reps; r++) {
    out = native.run(job);
    mine = wasmDriver.run(job);
    ratios.push(bestRate(mine.samples_ms, config.steps) / bestRate(out.samples_ms, config.steps));
  }
  const d = Math.max(
    ...[mine.result, out.result].flatMap((s) => [
      relDiff(s.x, ref.x),
      relDiff(s.y, ref.y),
      relDiff(s.loss, ref.loss),
    ]),
  );
  return {
    ratio: summary(ratios).median,
    row: {
      contender: 'wasm / native: the floor, a plain SGD loop (not a method)',
      samples: ratios,
      ok: d <= TOLERANCE && mine.result.steps === ref.steps && out.result.steps === ref.steps,
      check: `SGD's setting, ${mine.result.steps} steps; end points and losses against the core's SGD Δ ${d.toExponential(1)}`,
    },
  };
}
