// SPDX-License-Identifier: MIT
// A smoke run of the benchmark harness (tests/bench/run.mjs) with tiny sizes and one
// repetition: every workload except the page's (which plays a race for a minute) runs, every
// contender's result agrees with the reference, and the tables come out. Nothing here looks
// at speed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runBench } from '../bench/run.mjs';

test('npm run bench in miniature: every contender agrees and every table is produced', async () => {
  const lines = [];
  const report = await runBench({
    only: 'paths,ensemble,heatmap,contours,mlp,eigen',
    quick: true,
    reps: 1,
    minSampleMs: 0,
    minWarmupMs: 0,
    log: (line) => lines.push(line),
    sizes: {
      pathSteps: 2000,
      tfSteps: 20,
      ensembleRuns: 20,
      ensembleSteps: 200,
      width: 120,
      height: 90,
      mlpSteps: 5,
      eigenTrainSteps: 50,
      eigenIterations: 5,
    },
  });
  assert.deepEqual(report.failures, [], lines.join('\n'));
  // a) four methods and every method's wasm / native and m.run / native ratios, b) one, c) and d) two functions
  // each, e) four settings, f) one.
  const prefixes = report.tables.map((t) => t.title.slice(0, 2));
  assert.deepEqual(prefixes, [
    'a)',
    'a)',
    'a)',
    'a)',
    'a)',
    'a)',
    'b)',
    'c)',
    'c)',
    'd)',
    'd)',
    'e)',
    'e)',
    'e)',
    'e)',
    'f)',
  ]);
  for (const t of report.tables) {
    const names = t.rows.map((r) => r.contender);
    assert.ok(
      names.some((n) => n.startsWith('wasm')),
      `${t.title}: a wasm row`,
    );
    const everyMethod = t.id.startsWith('paths-every-method');
    if (everyMethod) {
      // One row per method, each against native; the 2-D loop for all but Lookahead.
      assert.ok(t.rows.length >= 19, `${t.title}: a row per method`);
      assert.equal(t.rows.filter((r) => r.contender.includes('(general chain)')).length, 1);
    }
    if (!t.title.startsWith('b)') && !everyMethod) {
      assert.ok(
        names.some((n) => n.startsWith('JavaScript')),
        `${t.title}: a JavaScript row`,
      );
    }
    if (/^[aef]\)/.test(t.title) && !everyMethod) {
      assert.ok(
        names.some((n) => n.startsWith('TF.js cpu')),
        `${t.title}: TF.js cpu`,
      );
      assert.ok(
        names.some((n) => n.startsWith('TF.js wasm')),
        `${t.title}: TF.js wasm`,
      );
    }
    for (const r of t.rows) {
      assert.ok(
        r.samples.length >= 1 && r.samples.every((s) => s > 0),
        `${t.title}: ${r.contender}`,
      );
      assert.notEqual(r.ok, false, `${t.title}: ${r.contender}: ${r.check}`);
    }
    assert.equal(t.rows.filter((r) => r.best).length, 1, `${t.title}: one best contender`);
    assert.ok(report.markdown.includes(`### ${t.title}`));
  }
  assert.match(report.markdown, /Machine: .+, \d+ cores; Node v/);
});
