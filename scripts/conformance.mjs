#!/usr/bin/env node
// SPDX-License-Identifier: MIT
// Runs every case of a golden file (shared/reference/conformance.md § 1) on the
// native runner and/or the wasm module and compares with the rule of § 2.
//
//   node scripts/conformance.mjs FILE.json [--engine native|wasm|both]
//
// Prints one line per case and engine:
//   pub-01  native  pass  worst 2.1e-16 (rtol 1e-9)
//   pub-07  wasm  FAIL  trajectory[57][1]: got 0.123, expected 0.124 (worst 3.2e-6, rtol 1e-9)
// and closes with one line per engine, "native: N passed, M failed".
//
// "worst" is the largest relative error max |a - e| / (atol/rtol + |e|) over
// the trajectory (atol = atol_x), f (atol = atol_f) and lr (atol = rtol *
// max(1, max |lr|)) of the case: the tolerance inequality divided by rtol, so it
// is directly comparable to rtol and an element passes exactly when its
// relative error is <= rtol (scripts/lib/compare.mjs). A FAIL line names the
// earliest failing element; a run that diverged or stopped early fails and
// says at which update.
//
// A malformed case, or one that an engine rejects, is FAILED for that engine
// with the message, and the run goes on. Exit status: 0 if every case passed
// on every engine, 1 if anything failed or an engine's build is missing, 2 for
// bad arguments or an unreadable or invalid golden file.

import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import process from 'node:process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { compareRun, formatError } from './lib/compare.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const OPTIM_RUN = join(ROOT, 'build', 'native', 'optim-run');
const WASM_JS = join(ROOT, 'build', 'wasm', 'optim.mjs');
const WASM_BINARY = join(ROOT, 'build', 'wasm', 'optim.wasm');
const SCHEMA = 'optimizer-playground-golden/1';
const ENGINES = ['native', 'wasm'];
const CASE_FIELDS = ['id', 'optimizer', 'function', 'start', 'steps', 'tolerance', 'expected'];
// A run of 100000 steps with its state series is a few tens of MB of JSON.
const MAX_OUTPUT = 1 << 30;

const USAGE = `usage: node scripts/conformance.mjs FILE.json [--engine native|wasm|both]

Runs every case of a golden file (schema "${SCHEMA}") on the native
runner (build/native/optim-run) and/or the wasm module (build/wasm/optim.mjs)
and compares trajectory, f and lr with the rule of shared/reference/conformance.md § 2.
Exit status: 0 all passed, 1 something failed, 2 bad arguments or golden file.`;

class UsageError extends Error {}

function parseArgs(argv) {
  let file = null;
  let engine = 'both';
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') return { help: true };
    if (arg === '--engine' || arg.startsWith('--engine=')) {
      const value = arg === '--engine' ? argv[(i += 1)] : arg.slice('--engine='.length);
      if (value === undefined) throw new UsageError('--engine needs a value: native, wasm or both');
      if (!['native', 'wasm', 'both'].includes(value)) {
        throw new UsageError(`--engine must be native, wasm or both, got '${value}'`);
      }
      engine = value;
    } else if (arg.startsWith('-') && arg !== '-') {
      throw new UsageError(`unknown option ${arg}`);
    } else if (file === null) {
      file = arg;
    } else {
      throw new UsageError(`only one golden file may be given (got ${file} and ${arg})`);
    }
  }
  if (file === null) throw new UsageError('no golden file given');
  return { file, engines: engine === 'both' ? ENGINES : [engine] };
}

const isObject = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);
const isFiniteNumber = (v) => typeof v === 'number' && Number.isFinite(v);
const describe = (v) =>
  v === undefined ? 'missing' : Array.isArray(v) ? 'an array' : v === null ? 'null' : typeof v;

/** Checks the file's top level; returns a message or null. */
function fileProblem(doc) {
  if (!isObject(doc)) return `the top level is ${describe(doc)}, not a JSON object`;
  if (doc.schema !== SCHEMA) {
    const got = doc.schema === undefined ? 'missing' : JSON.stringify(doc.schema);
    return `"schema" is ${got}, expected "${SCHEMA}"`;
  }
  if (!Array.isArray(doc.cases)) return `"cases" is ${describe(doc.cases)}, expected an array`;
  if (doc.cases.length === 0) return '"cases" is empty';
  return null;
}

/** Problems of one case, as a list of messages (empty: well-formed). */
function caseProblems(c, seenIds) {
  if (!isObject(c)) return [`the case is ${describe(c)}, not an object`];
  const missing = CASE_FIELDS.filter((k) => !(k in c));
  if (missing.length > 0) return [`missing ${missing.join(', ')}`];
  const problems = [];
  if (typeof c.id !== 'string' || c.id === '') problems.push('id is not a non-empty string');
  else if (seenIds.has(c.id)) problems.push(`duplicate id (also case #${seenIds.get(c.id)})`);
  if (!isObject(c.optimizer)) problems.push(`optimizer is ${describe(c.optimizer)}, not an object`);
  if (c.schedule !== undefined && c.schedule !== null && !isObject(c.schedule)) {
    problems.push(`schedule is ${describe(c.schedule)}, not an object or null`);
  }
  if (!isObject(c.function)) problems.push(`function is ${describe(c.function)}, not an object`);
  const dim = Array.isArray(c.start) ? c.start.length : 0;
  if (dim === 0 || !c.start.every(isFiniteNumber)) {
    problems.push('start is not a non-empty array of finite numbers');
  }
  const n = c.steps;
  if (!Number.isInteger(n) || n < 0) problems.push('steps is not an integer >= 0');
  if (!isObject(c.tolerance)) {
    problems.push(`tolerance is ${describe(c.tolerance)}, not an object`);
  } else {
    for (const k of ['rtol', 'atol_x', 'atol_f']) {
      const v = c.tolerance[k];
      if (!isFiniteNumber(v) || v < 0) problems.push(`tolerance.${k} is not a finite number >= 0`);
    }
  }
  if (!isObject(c.expected)) {
    problems.push(`expected is ${describe(c.expected)}, not an object`);
    return problems;
  }
  const { trajectory, f, lr } = c.expected;
  const lengthOk = Number.isInteger(n) && n >= 0;
  const checkArray = (name, array, length, what) => {
    if (!Array.isArray(array)) {
      problems.push(`expected.${name} is ${describe(array)}, not an array`);
      return false;
    }
    if (lengthOk && array.length !== length) {
      problems.push(`expected.${name} has ${array.length} ${what}, expected ${length}`);
      return false;
    }
    return true;
  };
  if (checkArray('trajectory', trajectory, n + 1, 'rows (steps + 1)') && dim > 0) {
    const bad = trajectory.findIndex(
      (row) => !Array.isArray(row) || row.length !== dim || !row.every(isFiniteNumber),
    );
    if (bad >= 0) {
      problems.push(`expected.trajectory[${bad}] is not a row of ${dim} finite numbers`);
    }
  }
  for (const [name, array, length, what] of [
    ['f', f, n + 1, 'values (steps + 1)'],
    ['lr', lr, n, 'values (steps)'],
  ]) {
    if (checkArray(name, array, length, what)) {
      const bad = array.findIndex((v) => !isFiniteNumber(v));
      if (bad >= 0) problems.push(`expected.${name}[${bad}] is not a finite number`);
    }
  }
  return problems;
}

/** The experiment config of a case: the fields the engines take. */
function caseConfig(c) {
  return {
    optimizer: c.optimizer,
    schedule: c.schedule ?? null,
    function: c.function,
    start: c.start,
    steps: c.steps,
  };
}

const oneLine = (text) =>
  String(text)
    .trim()
    .split(/\s*\n\s*/)
    .join(' | ');

/** Runs a config with build/native/optim-run; returns {run} or {error}. */
function runNative(config) {
  const out = spawnSync(OPTIM_RUN, ['-'], {
    input: JSON.stringify(config),
    encoding: 'utf8',
    maxBuffer: MAX_OUTPUT,
  });
  if (out.error) return { error: `cannot run optim-run: ${out.error.message}` };
  if (out.status !== 0) {
    const how = out.signal ? `was killed by ${out.signal}` : `exited with ${out.status}`;
    const said = out.stderr.trim();
    return { error: said ? oneLine(said) : `optim-run ${how} and printed nothing` };
  }
  let r;
  try {
    r = JSON.parse(out.stdout);
  } catch (e) {
    return { error: `optim-run printed invalid JSON: ${e.message}` };
  }
  return {
    run: {
      trajectory: r.trajectory,
      f: r.f,
      lr: r.lr,
      diverged: r.diverged,
      divergedAt: r.diverged_at,
      divergenceReason: r.divergence_reason,
    },
  };
}

async function loadWasm() {
  const { default: createOptim } = await import(pathToFileURL(WASM_JS).href);
  return createOptim({ wasmBinary: readFileSync(WASM_BINARY) });
}

/** Runs a config in the wasm module; returns {run} or {error}. */
function runWasm(m, config) {
  let r;
  try {
    r = m.run(config);
  } catch (e) {
    return { error: oneLine(e instanceof Error ? e.message : `threw ${String(e)}`) };
  }
  const dim = r.dim;
  const trajectory = [];
  for (let i = 0; i + dim <= r.trajectory.length; i += dim) {
    trajectory.push(Array.from(r.trajectory.subarray(i, i + dim)));
  }
  return {
    run: {
      trajectory,
      f: r.loss,
      lr: r.lr,
      diverged: r.diverged,
      divergedAt: r.divergedAt,
      divergenceReason: r.divergenceReason,
    },
  };
}

function missingBuilds(engines) {
  const missing = [];
  if (engines.includes('native') && !existsSync(OPTIM_RUN)) {
    missing.push(
      `${relative(process.cwd(), OPTIM_RUN)} not found; build it with: npm run build:native`,
    );
  }
  if (engines.includes('wasm') && !(existsSync(WASM_JS) && existsSync(WASM_BINARY))) {
    const which = [WASM_JS, WASM_BINARY].filter((p) => !existsSync(p));
    const names = which.map((p) => relative(process.cwd(), p)).join(' and ');
    missing.push(`${names} not found; build it with: npm run build:wasm`);
  }
  return missing;
}

async function main() {
  let args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    console.error(`conformance: ${e.message}\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    console.log(USAGE);
    return 0;
  }

  let doc;
  try {
    // npm runs scripts from the package root; a relative path means the
    // folder the user typed the command in (INIT_CWD).
    doc = JSON.parse(readFileSync(resolve(process.env.INIT_CWD ?? '.', args.file), 'utf8'));
  } catch (e) {
    const why =
      e instanceof SyntaxError ? `not valid JSON: ${e.message}` : `cannot read: ${e.message}`;
    console.error(`conformance: ${args.file}: ${why}\n${USAGE}`);
    return 2;
  }
  const problem = fileProblem(doc);
  if (problem !== null) {
    console.error(`conformance: ${args.file}: not a golden file: ${problem}\n${USAGE}`);
    return 2;
  }

  const missing = missingBuilds(args.engines);
  if (missing.length > 0) {
    for (const m of missing) console.error(`conformance: ${m}`);
    return 1;
  }
  let wasm = null;
  if (args.engines.includes('wasm')) {
    try {
      wasm = await loadWasm();
    } catch (e) {
      console.error(`conformance: cannot load ${relative(process.cwd(), WASM_JS)}: ${e.message}`);
      console.error('conformance: rebuild it with: npm run build:wasm');
      return 1;
    }
  }

  const set = typeof doc.set === 'string' ? `set "${doc.set}", ` : '';
  console.log(
    `conformance: ${args.file}: ${set}${doc.cases.length} cases on ${args.engines.join(', ')}`,
  );
  const tally = Object.fromEntries(args.engines.map((e) => [e, { passed: 0, failed: 0 }]));
  const seenIds = new Map();
  doc.cases.forEach((c, index) => {
    const label = isObject(c) && typeof c.id === 'string' && c.id !== '' ? c.id : `case #${index}`;
    const problems = caseProblems(c, seenIds);
    if (isObject(c) && typeof c.id === 'string' && !seenIds.has(c.id)) seenIds.set(c.id, index);
    for (const engine of args.engines) {
      let line;
      let pass = false;
      if (problems.length > 0) {
        line = `FAIL  malformed case: ${problems.join('; ')}`;
      } else {
        const config = caseConfig(c);
        const out = engine === 'native' ? runNative(config) : runWasm(wasm, config);
        const rtol = formatError(c.tolerance.rtol);
        if (out.error !== undefined) {
          line = `FAIL  rejected: ${out.error}`;
        } else {
          const cmp = compareRun(out.run, c.expected, c.tolerance);
          pass = cmp.pass;
          line = pass
            ? `pass  worst ${formatError(cmp.worst)} (rtol ${rtol})`
            : `FAIL  ${cmp.message} (worst ${formatError(cmp.worst)}, rtol ${rtol})`;
        }
      }
      tally[engine][pass ? 'passed' : 'failed'] += 1;
      console.log(`${label}  ${engine}  ${line}`);
    }
  });

  for (const engine of args.engines) {
    console.log(`${engine}: ${tally[engine].passed} passed, ${tally[engine].failed} failed`);
  }
  return args.engines.every((e) => tally[e].failed === 0) ? 0 : 1;
}

process.exitCode = await main();
