// SPDX-License-Identifier: MIT
// npm run bench: every workload of issues 5 and 15 with every contender in one run, one
// markdown table per workload (median and min–max over the repetitions after a warm-up, the
// ratio to the best contender, and a check of each contender's result against the reference),
// the machine, and each target with its verdict. Results go to bench-results/latest.json and
// latest.md. It never fails on speed: the exit code is non-zero only when a contender
// disagrees or a workload crashes.
//
// Options: --only=a,b (workload names: paths, ensemble, heatmap, contours, mlp, eigen, page,
// digits),
// --quick (smaller sizes, for development), --reps=N (default 5), --native=DIR (the
// CMake build directory holding bench_core; default $OPTIM_BENCH_NATIVE or build/native),
// --wasm=DIR (optim.mjs + optim.wasm for the Node rows; default dist, as the page loads them),
// --no-browser, --no-tf, --out=DIR (default bench-results).
import { mkdir, writeFile } from 'node:fs/promises';
import { join, isAbsolute } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { startBenchPage } from './lib/browser.mjs';
import {
  ROOT,
  loadTf,
  loadWasm,
  nativeRunner,
  useTfBackend,
  wasmDriverRunner,
} from './lib/contenders.mjs';
import { defaults } from './lib/measure.mjs';
import { machineInfo, machineMarkdown, summaryMarkdown, tableMarkdown } from './lib/report.mjs';

export const WORKLOADS = [
  'paths',
  'ensemble',
  'heatmap',
  'contours',
  'mlp',
  'eigen',
  'page',
  'digits',
];
// Workloads that need no bench page in Chromium (the page workload starts its own).
const NO_BROWSER = ['page', 'digits'];

/** Runs the harness with `options` (as parsed from the command line); returns the report. */
export async function runBench(options = {}) {
  const only = options.only ? options.only.split(',').map((s) => s.trim()) : WORKLOADS;
  for (const w of only) {
    if (!WORKLOADS.includes(w)) throw new Error(`--only: unknown workload ${w} (${WORKLOADS})`);
  }
  const quick = Boolean(options.quick);
  const reps = Number(options.reps ?? 5);
  if (!(Number.isInteger(reps) && reps >= 1)) throw new Error('--reps must be a positive integer');
  if (options.minSampleMs !== undefined) defaults.minSampleMs = options.minSampleMs;
  if (options.minWarmupMs !== undefined) defaults.minWarmupMs = options.minWarmupMs;
  const log = options.log ?? ((line) => process.stderr.write(`${line}\n`));
  const t0 = performance.now();

  const m = await loadWasm(options.wasmDir);
  const native = nativeRunner(options.native ?? process.env.OPTIM_BENCH_NATIVE ?? 'build/native');
  if (!native.available) log(`bench: native contender skipped: ${native.reason}`);
  let tf = null;
  if (options.tf !== false) {
    const lib = await loadTf();
    tf = { tf: lib, use: (name) => useTfBackend(lib, name) };
  }
  let browser = null;
  const needsBrowser = only.some((w) => !NO_BROWSER.includes(w));
  if (options.browser !== false && needsBrowser) browser = await startBenchPage();
  const machine = machineInfo(browser?.version);

  const wasmDriver = wasmDriverRunner();
  if (!wasmDriver.available) log(`bench: wasm driver skipped: ${wasmDriver.reason}`);
  const ctx = { m, quick, reps, native, wasmDriver, tf, browser, log, sizes: options.sizes ?? {} };
  const tables = [];
  const failures = [];
  try {
    for (const name of only) {
      const w0 = performance.now();
      log(`bench: ${name} ...`);
      try {
        const mod = await import(`./workloads/${name}.mjs`);
        tables.push(...(await mod.run(ctx)));
      } catch (err) {
        failures.push(`${name}: ${err.stack ?? err.message}`);
        log(`bench: ${name} crashed: ${err.stack ?? err.message}`);
      }
      log(`bench: ${name} took ${((performance.now() - w0) / 1000).toFixed(1)} s`);
    }
  } finally {
    await browser?.close();
  }
  for (const t of tables) {
    for (const r of t.rows)
      if (r.ok === false) failures.push(`${t.title}: ${r.contender} disagrees: ${r.check}`);
  }
  const seconds = (performance.now() - t0) / 1000;
  const header = [
    `## Benchmarks${quick ? ' (--quick)' : ''}`,
    '',
    machineMarkdown(machine),
    `Contenders: wasm core (${(options.wasmDir ?? join(ROOT, 'dist')).replace(ROOT, '')}/optim.mjs in Node, ` +
      `dist/optim.mjs in headless Chromium); native core ` +
      `(${native.available ? native.exe.replace(ROOT, '') : 'not built'}) and the same driver compiled ` +
      `to wasm (${wasmDriver.available ? wasmDriver.script.replace(ROOT, '') : 'not built'}, in Node); hand-written JavaScript ` +
      `(tests/bench/js); TensorFlow.js ${tf ? tf.tf.version_core : '(skipped)'} cpu and wasm backends in Node. ` +
      `${reps} repetitions${quick ? '' : ' (at least 7 for the heat map and contours)'} after a warm-up of at least ${defaults.minWarmupMs} ms; "best / this" and "this / best" compare medians with ` +
      `the best contender whose check passed. Took ${seconds.toFixed(0)} s.`,
    '',
  ].join('\n');
  const markdown =
    [header, '### Summary', '', summaryMarkdown(tables), ...tables.map(tableMarkdown)].join('\n') +
    (failures.length
      ? `\n**Failures:**\n\n${failures.map((f) => `- ${f.split('\n')[0]}`).join('\n')}\n`
      : '');
  return { machine, quick, reps, seconds, tables, failures, markdown };
}

async function main() {
  const { values } = parseArgs({
    options: {
      only: { type: 'string' },
      quick: { type: 'boolean' },
      reps: { type: 'string' },
      native: { type: 'string' },
      wasm: { type: 'string' },
      out: { type: 'string' },
      'no-browser': { type: 'boolean' },
      'no-tf': { type: 'boolean' },
    },
  });
  const report = await runBench({
    only: values.only,
    quick: values.quick,
    reps: values.reps ?? 5,
    native: values.native,
    wasmDir: values.wasm && (isAbsolute(values.wasm) ? values.wasm : join(ROOT, values.wasm)),
    browser: !values['no-browser'],
    tf: !values['no-tf'],
  });
  console.log(report.markdown);
  const out = values.out
    ? isAbsolute(values.out)
      ? values.out
      : join(ROOT, values.out)
    : join(ROOT, 'bench-results');
  await mkdir(out, { recursive: true });
  const json = JSON.stringify(
    report,
    (k, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v),
    2,
  );
  await writeFile(join(out, 'latest.json'), `${json}\n`);
  await writeFile(join(out, 'latest.md'), report.markdown);
  console.error(`bench: wrote ${join(out, 'latest.json')} and latest.md`);
  if (report.failures.length) process.exitCode = 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err) => {
    console.error(`bench: ${err.stack ?? err.message}`);
    process.exitCode = 1;
  });
}
