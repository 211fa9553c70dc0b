// SPDX-License-Identifier: MIT
// The conformance runner (scripts/conformance.mjs) as a child process on small
// golden files built from shared/conformance/public.json: pass and FAIL lines,
// engine errors, malformed cases, closing lines and exit codes.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const RUNNER = join(ROOT, 'scripts', 'conformance.mjs');
// The golden data live next to the repository: <root>/../shared/conformance.
const PUBLIC = join(ROOT, '..', 'shared', 'conformance', 'public.json');
const SCHEMA = 'optimizer-playground-golden/1';

function runConformance(...args) {
  const out = spawnSync(process.execPath, [RUNNER, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60_000,
  });
  assert.equal(out.error, undefined, `cannot run the conformance runner: ${out.error}`);
  return {
    code: out.status,
    stdout: out.stdout,
    stderr: out.stderr,
    lines: out.stdout.split('\n'),
  };
}

/** The line of one case on one engine; fails unless there is exactly one. */
function lineOf(lines, id, engine) {
  const found = lines.filter((l) => l.startsWith(`${id}  ${engine}  `));
  assert.equal(found.length, 1, `expected one line for ${id} on ${engine}, got ${found.length}`);
  return found[0];
}

describe('conformance runner', () => {
  let dir;
  let golden;
  let byId;

  /** Writes a golden file with these cases (and the public file's header) and returns its path. */
  async function goldenFile(name, cases) {
    const path = join(dir, name);
    await writeFile(path, JSON.stringify({ ...golden, set: name, cases }));
    return path;
  }

  before(async () => {
    if (!existsSync(PUBLIC)) {
      throw new Error(
        `golden file ${PUBLIC} not found: the conformance tests need ` +
          'shared/conformance/public.json next to the repository (../shared from its root)',
      );
    }
    golden = JSON.parse(readFileSync(PUBLIC, 'utf8'));
    assert.equal(golden.schema, SCHEMA);
    byId = new Map(golden.cases.map((c) => [c.id, c]));
    for (const id of ['pub-01', 'pub-10', 'pub-25']) {
      assert.ok(byId.has(id), `${PUBLIC} has no case ${id}`);
    }
    dir = await mkdtemp(join(tmpdir(), 'conformance-test-'));
  });

  after(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test('two public cases pass and a perturbed one fails on both engines', async () => {
    const perturbed = structuredClone(byId.get('pub-10'));
    perturbed.id = 'pub-10-perturbed';
    const y = perturbed.expected.trajectory[57][1];
    perturbed.expected.trajectory[57][1] = y * (1 + 1e-6);
    const file = await goldenFile('perturbed.json', [
      byId.get('pub-01'),
      perturbed,
      byId.get('pub-25'),
    ]);

    const r = runConformance(file);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    for (const engine of ['native', 'wasm']) {
      for (const id of ['pub-01', 'pub-25']) {
        assert.match(
          lineOf(r.lines, id, engine),
          new RegExp(`^${id}  ${engine}  pass  worst \\S+ \\(rtol 1e-9\\)$`),
        );
      }
      const fail = lineOf(r.lines, 'pub-10-perturbed', engine);
      assert.match(
        fail,
        new RegExp(
          `^pub-10-perturbed  ${engine}  FAIL  trajectory\\[57\\]\\[1\\]: got \\S+, ` +
            `expected ${String(y * (1 + 1e-6)).replace(/[.+]/g, '\\$&')} ` +
            '\\(worst \\S+, rtol 1e-9\\)$',
        ),
      );
      // A 1e-6 relative change of y ≈ 1.08 with atol_x/rtol = 1: 1.08e-6 / 2.08 ≈ 5.2e-7.
      const worst = Number(/worst (\S+),/.exec(fail)[1]);
      assert.ok(worst > 4e-7 && worst < 7e-7, fail);
    }
    const closing = r.lines.filter((l) => /^\w+: \d+ passed, \d+ failed$/.test(l));
    assert.deepEqual(closing, ['native: 2 passed, 1 failed', 'wasm: 2 passed, 1 failed']);
    assert.equal(r.lines.at(-2), 'wasm: 2 passed, 1 failed', 'the closing lines come last');
    const caseLines = r.lines.filter((l) => /^pub-\S+  (native|wasm)  /.test(l));
    assert.equal(caseLines.length, 6, 'one line per case and engine');
  });

  test('an engine error, a malformed case and a diverged run fail; the run continues', async () => {
    const unknown = structuredClone(byId.get('pub-01'));
    unknown.id = 'unknown-method';
    unknown.optimizer.name = 'adamx';
    const malformed = structuredClone(byId.get('pub-01'));
    malformed.id = 'no-tolerance';
    delete malformed.tolerance;
    const short = structuredClone(byId.get('pub-01'));
    short.id = 'short-expected';
    short.expected.f.pop();
    // sgd with lr 1 on the kappa=10 bowl leaves the 1e12 box at update 13.
    const diverging = structuredClone(byId.get('pub-01'));
    diverging.id = 'diverging';
    diverging.optimizer.hyperparameters.lr = 1;
    const file = await goldenFile('errors.json', [
      unknown,
      malformed,
      short,
      diverging,
      byId.get('pub-01'),
    ]);

    const r = runConformance(file);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    for (const engine of ['native', 'wasm']) {
      const line = lineOf(r.lines, 'unknown-method', engine);
      assert.match(line, new RegExp(`^unknown-method  ${engine}  FAIL  rejected: `));
      assert.match(line, /optimizer\.name: unknown optimizer 'adamx'/);
      assert.match(
        lineOf(r.lines, 'no-tolerance', engine),
        new RegExp(`^no-tolerance  ${engine}  FAIL  malformed case: missing tolerance$`),
      );
      assert.match(
        lineOf(r.lines, 'short-expected', engine),
        /FAIL  malformed case: expected\.f has 200 values .*expected 201/,
      );
      assert.match(
        lineOf(r.lines, 'diverging', engine),
        /FAIL .*the run diverged at update 13: a coordinate exceeds 1e\+12 \(12 of 200 updates recorded\)/,
      );
      assert.match(lineOf(r.lines, 'pub-01', engine), /^pub-01  \w+  pass  /);
    }
    assert.ok(r.lines.includes('native: 1 passed, 4 failed'), r.stdout);
    assert.ok(r.lines.includes('wasm: 1 passed, 4 failed'), r.stdout);
  });

  test('--engine runs one engine and exits 0 when all pass', async () => {
    const file = await goldenFile('one.json', [byId.get('pub-01')]);
    const native = runConformance(file, '--engine', 'native');
    assert.equal(native.code, 0, native.stdout + native.stderr);
    assert.match(lineOf(native.lines, 'pub-01', 'native'), /pass/);
    assert.equal(native.lines.filter((l) => l.includes('  wasm  ')).length, 0);
    assert.equal(native.lines.at(-2), 'native: 1 passed, 0 failed');
    assert.ok(!native.stdout.includes('wasm:'));

    const wasm = runConformance('--engine=wasm', file);
    assert.equal(wasm.code, 0, wasm.stdout + wasm.stderr);
    assert.equal(wasm.lines.at(-2), 'wasm: 1 passed, 0 failed');
    assert.ok(!wasm.stdout.includes('native:'));
  });

  test('a file that is not JSON, or not a golden file, exits 2 with a clear message', async () => {
    const notJson = join(dir, 'not-json.json');
    await writeFile(notJson, '{"schema": "optimizer-playground-golden/1", "cases": [');
    const r1 = runConformance(notJson);
    assert.equal(r1.code, 2);
    assert.match(r1.stderr, /not-json\.json: not valid JSON/);
    assert.match(r1.stderr, /usage:/);
    assert.equal(r1.stdout, '');

    const wrongSchema = await goldenFile('wrong-schema.json', [byId.get('pub-01')]);
    const doc = JSON.parse(readFileSync(wrongSchema, 'utf8'));
    doc.schema = 'optimizer-playground-golden/2';
    await writeFile(wrongSchema, JSON.stringify(doc));
    const r2 = runConformance(wrongSchema);
    assert.equal(r2.code, 2);
    assert.match(
      r2.stderr,
      /not a golden file: "schema" is "optimizer-playground-golden\/2", expected "optimizer-playground-golden\/1"/,
    );

    const noCases = join(dir, 'no-cases.json');
    await writeFile(noCases, JSON.stringify({ schema: SCHEMA, set: 'x' }));
    const r3 = runConformance(noCases);
    assert.equal(r3.code, 2);
    assert.match(r3.stderr, /"cases" is missing, expected an array/);

    const array = join(dir, 'array.json');
    await writeFile(array, '[]');
    const r4 = runConformance(array);
    assert.equal(r4.code, 2);
    assert.match(r4.stderr, /the top level is an array, not a JSON object/);
  });

  test('a missing build names the command that builds it and exits 1', async () => {
    // A copy of the runner in an empty tree: it looks for build/ next to its scripts/.
    const tree = join(dir, 'tree');
    await mkdir(join(tree, 'scripts', 'lib'), { recursive: true });
    await copyFile(RUNNER, join(tree, 'scripts', 'conformance.mjs'));
    await copyFile(
      join(ROOT, 'scripts', 'lib', 'compare.mjs'),
      join(tree, 'scripts', 'lib', 'compare.mjs'),
    );
    const file = await goldenFile('missing-build.json', [byId.get('pub-01')]);
    const run = (...args) =>
      spawnSync(process.execPath, [join(tree, 'scripts', 'conformance.mjs'), ...args], {
        cwd: tree,
        encoding: 'utf8',
      });
    const both = run(file);
    assert.equal(both.status, 1);
    assert.match(
      both.stderr,
      /build\/native\/optim-run not found; build it with: npm run build:native/,
    );
    assert.match(
      both.stderr,
      /build\/wasm\/optim\.mjs .*not found; build it with: npm run build:wasm/,
    );
    const wasm = run(file, '--engine', 'wasm');
    assert.equal(wasm.status, 1);
    assert.doesNotMatch(wasm.stderr, /build:native/);
    assert.match(wasm.stderr, /npm run build:wasm/);
  });

  test('bad arguments and unreadable files exit 2 with the usage', () => {
    for (const args of [
      [],
      ['--engine', 'gpu', PUBLIC],
      [PUBLIC, '--engine'],
      [PUBLIC, PUBLIC],
      ['--bogus', PUBLIC],
      [join(dir, 'does-not-exist.json')],
    ]) {
      const r = runConformance(...args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, /^conformance: .+\nusage: /, args.join(' '));
    }
  });
});
