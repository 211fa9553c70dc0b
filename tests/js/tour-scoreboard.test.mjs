// SPDX-License-Identifier: MIT
// The summary's scoreboard (web/sections/tour/scoreboard.js): the lecture's teams, one row per
// chapter with each team's lowest racer, and a tally of the head-to-head chapters only.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { loadOptim } from './lib/optim.mjs';
import { runConfig } from '../../web/app/schema.js';
import { parseHash } from '../../web/app/url.js';
import { CHAPTERS } from '../../web/sections/tour/chapters.js';
import { chapterLink } from '../../web/sections/tour/link.js';
import { scoreRow, scoreboard, teamOf } from '../../web/sections/tour/scoreboard.js';

const m = await loadOptim();
const spec = (name, hyperparameters = {}) => ({ name, hyperparameters });
const result = (loss, diverged = false) => ({ loss: new Float64Array(loss), diverged });

describe('the teams of the summary slide', () => {
  test('SGD, SGDM, NAG and SGDW against the adaptive methods; SWATS is neither', () => {
    for (const name of ['sgd', 'sgd_momentum', 'nag', 'sgdw'])
      assert.equal(teamOf(spec(name)), 'sgd');
    for (const name of ['adagrad', 'rmsprop', 'adam', 'amsgrad', 'adabound', 'radam', 'nadam']) {
      assert.equal(teamOf(spec(name)), 'adam', name);
    }
    assert.equal(teamOf(spec('adamw')), 'adam');
    assert.equal(teamOf(spec('swats')), null);
    assert.equal(teamOf(spec('lookahead', { inner: spec('sgd_momentum') })), 'sgd');
    assert.equal(teamOf(spec('lookahead', { inner: spec('adam') })), 'adam');
    // Every method of the core is placed or deliberately left out.
    const unplaced = m
      .methods()
      .map((d) => d.name)
      .filter((name) => name !== 'lookahead' && teamOf(spec(name)) === null);
    assert.deepEqual(unplaced, ['swats']);
  });
});

describe('a chapter’s score', () => {
  test('each team’s lowest finisher; a diverged team loses to one that finished', () => {
    const row = scoreRow([
      { label: 'SGD', optimizer: spec('sgd'), result: result([3, 2]) },
      { label: 'SGDM', optimizer: spec('sgd_momentum'), result: result([3, 1]) },
      { label: 'Adam', optimizer: spec('adam'), result: result([3, 1e30], true) },
    ]);
    assert.deepEqual(row.sgd, { label: 'SGDM', f: 1 });
    assert.deepEqual(row.adam, { label: 'Adam', diverged: true });
    assert.equal(row.winner, 'sgd');
  });

  test('one team alone is no head-to-head; equal losses tie', () => {
    const alone = scoreRow([{ label: 'Adam', optimizer: spec('adam'), result: result([1, 0.5]) }]);
    assert.equal(alone.sgd, null);
    assert.equal(alone.winner, null);
    const tie = scoreRow([
      { label: 'SGD', optimizer: spec('sgd'), result: result([1, 0.5]) },
      { label: 'Adam', optimizer: spec('adam'), result: result([1, 0.5]) },
    ]);
    assert.equal(tie.winner, 'tie');
    const near = scoreRow([
      { label: 'SGD', optimizer: spec('sgd'), result: result([1, 0.5]) },
      { label: 'Adam', optimizer: spec('adam'), result: result([1, 0.5 * (1 + 1e-9)]) },
    ]);
    assert.equal(near.winner, 'tie', 'a difference in the ninth digit is rounding');
    const apart = scoreRow([
      { label: 'SGD', optimizer: spec('sgd'), result: result([1, 0.5]) },
      { label: 'Adam', optimizer: spec('adam'), result: result([1, 0.5 * (1 + 1e-3)]) },
    ]);
    assert.equal(apart.winner, 'sgd');
    assert.equal(scoreRow([]).winner, null);
  });
});

describe('the scoreboard of the tour', () => {
  const { rows, tally } = scoreboard(CHAPTERS, m, 'en');

  test('one row per chapter but the summary, the streams and the range test, in order', () => {
    assert.deepEqual(
      rows.map((r) => r.id),
      CHAPTERS.filter((c) => !c.scoreboard && !c.stream && !c.range).map((c) => c.id),
    );
    assert.ok(CHAPTERS.some((c) => c.range));
    assert.ok(CHAPTERS.some((c) => c.scoreboard));
  });

  test("a row's losses are those of the chapter's own runs", () => {
    // The weight-decay chapter races Adam + L2 and AdamW against SGD + L2 and SGDW.
    const chapter = CHAPTERS.find((c) => c.id === 'adamw');
    const { state } = parseHash(chapterLink(chapter), m);
    const finals = state.racers.map((r) => {
      const run = m.run(runConfig(state, r));
      return [r.optimizer.name, run.loss[run.loss.length - 1]];
    });
    const lowest = (names) =>
      Math.min(...finals.filter(([n]) => names.includes(n)).map(([, f]) => f));
    const row = rows.find((r) => r.id === 'adamw');
    assert.equal(row.sgd.f, lowest(['sgd', 'sgdw']));
    assert.equal(row.adam.f, lowest(['adam', 'adamw']));
    // The two end in the same point (L2 inside both gradients): equal to rounding, a tie.
    assert.ok(Math.abs(row.sgd.f - row.adam.f) <= 1e-6 * row.sgd.f);
    assert.equal(row.winner, 'tie');
  });

  test('the tally counts the head-to-head chapters only', () => {
    const both = rows.filter((r) => r.sgd && r.adam);
    assert.equal(tally.headToHead, both.length);
    assert.equal(tally.sgd + tally.adam + tally.tie, both.filter((r) => r.winner).length);
    assert.ok(tally.headToHead >= 2, 'sharp/flat and weight decay race both teams');
    for (const row of rows.filter((r) => !(r.sgd && r.adam))) assert.equal(row.winner, null);
  });
});
