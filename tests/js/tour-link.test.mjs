// SPDX-License-Identifier: MIT
// A chapter's link: `ch=ID` alone opens the chapter's set-up, a link with an experiment keeps
// it, and every state comes back from its own link (sections/tour/link.js).

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { loadOptim } from './lib/optim.mjs';
import { defaultState } from '../../web/app/schema.js';
import { same } from '../../web/app/store.js';
import { parseHash } from '../../web/app/url.js';
import { chapterId, createChapterLinks, expandChapterLink } from '../../web/sections/tour/link.js';

const m = await loadOptim();
const CHAPTERS = [
  { id: 'one', link: 'fn=quadratic&steps=50&r=sgd(lr=0.1)&r=adam', ask: 'lowest' },
  { id: 'two', link: 'fn=beale&r=adam(lr=0.05)' },
];
const EXPERIMENT = ['fn', 'view', 'start', 'steps', 'noise', 'racers', 'selected', 'series'];

/** A link as the page reads it: expanded with the chapters, then parsed. */
function read(hash, lang = 'en') {
  const expanded = expandChapterLink(hash, CHAPTERS);
  const parsed = parseHash(expanded.hash, m, lang);
  return { state: parsed.state, errors: [...expanded.errors, ...parsed.errors] };
}

describe('reading a chapter link', () => {
  test('ch alone opens the set-up, with its question', () => {
    const { state, errors } = read('#v=1&ch=one');
    assert.deepEqual(errors, []);
    assert.equal(state.chapter, 'one');
    assert.equal(state.fn.name, 'quadratic');
    assert.equal(state.steps, 50);
    assert.deepEqual(
      state.racers.map((r) => r.optimizer.name),
      ['sgd', 'adam'],
    );
    assert.equal(state.racers[0].optimizer.hyperparameters.lr, 0.1);
    assert.equal(state.ask, 'lowest');
  });

  test("the link's own language, question and embedding win over the set-up", () => {
    const { state, errors } = read('#v=1&lang=zh&ch=one&ask=farthest&embed=1&hide=charts');
    assert.deepEqual(errors, []);
    assert.equal(state.lang, 'zh');
    assert.equal(state.ask, 'farthest');
    assert.equal(state.embed.on, true);
    assert.deepEqual(state.embed.hide, ['charts']);
    assert.equal(state.steps, 50);
    assert.equal(read('#v=1&ch=one&ask=none').state.ask, null);
  });

  test('a link that sets the experiment keeps it, and names the chapter', () => {
    const { state, errors } = read('#v=1&ch=one&steps=70');
    assert.deepEqual(errors, []);
    assert.equal(state.chapter, 'one');
    assert.equal(state.steps, 70);
    assert.equal(state.fn.name, defaultState(m).fn.name);
    assert.equal(state.ask, null);
  });

  test('an unknown or malformed chapter is dropped with an error; the rest is kept', () => {
    const unknown = read('#v=1&ch=nope&steps=70');
    assert.equal(unknown.state.chapter, null);
    assert.equal(unknown.state.steps, 70);
    assert.deepEqual(
      unknown.errors.map((e) => e.field),
      ['ch'],
    );
    assert.match(unknown.errors[0].message, /no chapter "nope"/);
    const long = read(`#v=1&ch=${'x'.repeat(5000)}`);
    assert.equal(long.state.chapter, null);
    assert.ok(long.errors[0].message.length < 200);
    const bad = parseHash('#v=1&ch=Bad%20Id&steps=70', m);
    assert.equal(bad.state.chapter, null);
    assert.equal(bad.state.steps, 70);
    assert.deepEqual(
      bad.errors.map((e) => e.field),
      ['ch'],
    );
    assert.equal(chapterId('#v=1&steps=3'), undefined);
  });

  test('an unknown question is an error, and no question is asked', () => {
    const { state, errors } = parseHash('#v=1&ask=slowest', m);
    assert.equal(state.ask, null);
    assert.deepEqual(
      errors.map((e) => e.field),
      ['ask'],
    );
  });
});

describe('writing a chapter link', () => {
  const hashOf = createChapterLinks(m, CHAPTERS, 'en');
  const setup = read('#v=1&ch=one').state;

  /** Every experiment field, the chapter and the question survive the state's own link. */
  function roundTrip(state) {
    const hash = hashOf(state);
    const back = read(hash).state;
    for (const k of [...EXPERIMENT, 'chapter', 'ask', 'lang']) {
      assert.ok(same(back[k], state[k]), `${k} after ${hash}`);
    }
    return hash;
  }

  test('the set-up is written short', () => {
    assert.equal(roundTrip(setup), 'v=1&ch=one');
    assert.equal(hashOf.isSetup(setup), true);
    assert.equal(roundTrip({ ...setup, lang: 'zh' }), 'v=1&lang=zh&ch=one');
    assert.equal(roundTrip({ ...setup, ask: null }), 'v=1&ch=one&ask=none');
    assert.equal(roundTrip({ ...setup, ask: 'farthest' }), 'v=1&ch=one&ask=farthest');
    const framed = { ...setup, ask: null, embed: { on: true, hide: ['charts'], lock: false } };
    assert.equal(roundTrip(framed), 'v=1&ch=one&ask=none&embed=1&hide=charts');
  });

  test('a changed set-up is written whole, even when it went back to the defaults', () => {
    const longer = { ...setup, steps: 300 };
    assert.equal(hashOf.isSetup(longer), false);
    assert.match(roundTrip(longer), /^v=1&ch=one&fn=quadratic/);
    const plain = { ...defaultState(m), chapter: 'two' };
    assert.equal(roundTrip(plain), 'v=1&ch=two&steps=300');
    const asked = { ...defaultState(m), chapter: 'two', ask: 'lowest' };
    roundTrip(asked);
  });

  test('without a known chapter the link is the plain one', () => {
    const plain = { ...defaultState(m), steps: 40 };
    assert.equal(hashOf(plain), 'v=1&steps=40');
    assert.equal(hashOf.isSetup(plain), false);
  });
});
