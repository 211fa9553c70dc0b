// SPDX-License-Identifier: MIT
// The lecture tour in the browser: a chapter's link opens its set-up with the text, typeset
// formulas and a caption read from the run (every number in it equal to the one a run of the
// core made by the test gives, in English and in Chinese: chapter-numbers.mjs); chapters link
// to each other; a changed set-up is said and can be reset; a question holds the race until
// the student has predicted, and the answer is the run's.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { racerLabels } from '../../web/app/labels.js';
import { meta } from '../../web/app/meta.js';
import { CHAPTERS } from '../../web/sections/tour/chapters.js';
import { loadOptim, loadTools } from '../js/lib/optim.mjs';
import {
  assertCaption,
  CHAPTER_NUMBERS,
  rangeNumbers,
  runAll,
  runRange,
  runStreams,
  STREAM_NUMBERS,
} from './chapter-numbers.mjs';
import {
  alertText,
  assertCleanLog,
  canvasStats,
  diffCanvas,
  hook,
  openPage,
  snapCanvas,
  startBrowser,
} from './helpers.mjs';

const TOUR_TIMEOUT_MS = 15_000;

/** What the tour shows: title, caption, formulas typeset, question and change notes. */
function tour(page) {
  return page.evaluate(() => {
    const root = document.getElementById('tour');
    const text = (sel) => root.querySelector(sel)?.textContent ?? null;
    const shown = (sel) => {
      const el = root.querySelector(sel);
      return !!el && !el.hidden && !el.closest('[hidden]');
    };
    return {
      hidden: root.hidden,
      title: shown('.tour-title') ? text('.tour-title') : null,
      count: text('.tour-count'),
      caption: shown('.tour-caption') ? text('.tour-caption') : null,
      formulas: root.querySelectorAll('.tour-formula').length,
      typeset: root.querySelectorAll('.tour-formula .katex').length,
      changed: shown('.tour-changed'),
      question: shown('.tour-question') ? text('.tour-ask') : null,
      verdict: text('.tour-verdict'),
      answers: [...root.querySelectorAll('.tour-answer')].map((b) => b.textContent),
      links: [...root.querySelectorAll('.tour-chapters a')].map((a) => a.getAttribute('href')),
      asking: document.body.dataset.asking === 'true',
    };
  });
}

const TITLES = Object.fromEntries(CHAPTERS.map((c) => [c.id, c.title]));

/**
 * Waits until the tour shows the store's chapter: the view renders a chapter in the frame
 * that commits it, so until then it still shows the previous one (its caption, its answer
 * buttons).
 */
function chapterShown(page) {
  return page.waitForFunction(
    (titles) => {
      const s = window.__playground.store.get();
      const title = document.querySelector('#tour .tour-title');
      return !!s.chapter && title?.textContent === titles[s.chapter][s.lang];
    },
    TITLES,
    { timeout: TOUR_TIMEOUT_MS },
  );
}

/** Waits until the tour shows the store's chapter with a caption read from finished runs. */
async function captionReady(page) {
  await chapterShown(page);
  await page.waitForFunction(
    () => {
      const c = document.querySelector('#tour .tour-caption');
      return (
        c &&
        !c.hidden &&
        c.textContent !== '' &&
        !/^Computing|^正在计算|is computing|正在计算本章/.test(c.textContent)
      );
    },
    null,
    { timeout: TOUR_TIMEOUT_MS },
  );
}

/** Answers the shown chapter's open question (with the first racer), so that its caption shows. */
async function answer(page) {
  await chapterShown(page);
  if (await page.evaluate(() => document.body.dataset.asking === 'true')) {
    await page.locator('#tour .tour-answer').first().click();
    await page.waitForFunction(() => document.body.dataset.asking === undefined);
  }
}

describe('the lecture tour', () => {
  let browser;
  before(async () => {
    browser = await startBrowser();
  });
  after(async () => {
    await browser?.close();
  });

  test('the top bar opens the first chapter; its link stays short', async () => {
    const { page, log } = await openPage(browser.context, browser.url);
    try {
      const href = await page.locator('#tour-link').getAttribute('href');
      assert.equal(href, `#v=1&ch=${CHAPTERS[0].id}`);
      await page.locator('#tour-link').click();
      await page.waitForFunction(
        (id) => window.__playground.store.get().chapter === id,
        CHAPTERS[0].id,
      );
      await answer(page);
      await captionReady(page);
      const shown = await tour(page);
      assert.equal(shown.title, CHAPTERS[0].title.en);
      assert.equal(shown.count, `Chapter 1 of ${CHAPTERS.length}`);
      assert.deepEqual(
        shown.links,
        CHAPTERS.map((c) => `#v=1&ch=${c.id}`),
      );
      assert.equal(shown.changed, false);
      await page.waitForFunction(() => window.__playground.hash !== '');
      assert.equal((await hook(page)).hash, `#v=1&ch=${CHAPTERS[0].id}`);
      assertCleanLog(log);
    } finally {
      await page.close();
    }
  });

  test('every chapter opens with its formulas typeset and a caption from its run', async () => {
    // The captions' numbers are checked against runs of the core made here, in node.
    const m = await loadOptim();
    const tools = await loadTools();
    const methods = meta(m).methods;
    const { page, log } = await openPage(
      browser.context,
      `${browser.url}#v=1&ch=${CHAPTERS[0].id}`,
    );
    try {
      for (const [k, chapter] of CHAPTERS.entries()) {
        if (k > 0) {
          await page.locator('#tour .tour-next').click();
          await page.waitForFunction(
            (id) => window.__playground.store.get().chapter === id,
            chapter.id,
          );
        }
        await answer(page);
        await captionReady(page);
        if (chapter.tex?.length) {
          await page.waitForFunction(
            (n) => document.querySelectorAll('#tour .tour-formula .katex').length === n,
            chapter.tex.length,
            { timeout: TOUR_TIMEOUT_MS },
          );
        }
        const shown = await tour(page);
        assert.equal(shown.title, chapter.title.en, chapter.id);
        assert.doesNotMatch(shown.caption, /NaN|undefined|could not read/, chapter.id);
        const state = await page.evaluate(() => window.__playground.store.get());
        assert.equal(state.chapter, chapter.id);
        if (chapter.range) {
          const labels = racerLabels('en', state.racers, methods);
          assertCaption(chapter.id, shown.caption, labels, rangeNumbers(runRange(tools, state)));
        } else if (!chapter.stream) {
          const labels = racerLabels('en', state.racers, methods);
          const racers = runAll(m, state).map((result, i) => ({ label: labels[i], result }));
          assertCaption(
            chapter.id,
            shown.caption,
            labels,
            CHAPTER_NUMBERS[chapter.id]({ state, racers }),
          );
        }
        if (chapter.stream) {
          // The gradient-stream chapters read the lab's runs, loaded for the chapter.
          const expected = STREAM_NUMBERS[chapter.id](runStreams(tools, state));
          assertCaption(chapter.id, shown.caption, [], expected);
          assert.match(shown.caption, chapter.id === 'reddi' ? /ends at x = / : /has gradient/);
          assert.equal(await page.locator('#tour .tour-to-stream').isVisible(), true);
        }
        assert.equal(shown.changed, false, `${chapter.id}: the set-up is unchanged`);
        assert.equal(shown.question !== null, !!chapter.ask, chapter.id);
        if (chapter.ask) assert.match(shown.verdict, /ends (lowest|farthest)/, chapter.id);
      }
      assert.deepEqual(await alertText(page), '');
      assertCleanLog(log);
    } finally {
      await page.close();
    }
  });

  test('every chapter link opens in Chinese with its figure drawn and the run\u2019s numbers', async () => {
    const m = await loadOptim();
    const tools = await loadTools();
    const methods = meta(m).methods;
    const { page, log } = await openPage(browser.context, `${browser.url}#v=1&lang=zh`);
    try {
      for (const chapter of CHAPTERS) {
        // Opened as a link is followed: the hash changes to the chapter's.
        await snapCanvas(page, '#landscape', 'previous');
        await page.evaluate((id) => {
          location.hash = `#v=1&lang=zh&ch=${id}`;
        }, chapter.id);
        await page.waitForFunction(
          (id) => window.__playground.store.get().chapter === id,
          chapter.id,
        );
        await answer(page);
        await captionReady(page);
        const state = await page.evaluate(() => window.__playground.store.get());
        assert.equal(state.lang, 'zh');
        // The figure: a new picture, the surface painted and the paths from this start drawn.
        await page.waitForFunction(
          (start) => window.__playground.pathsFor === start,
          JSON.stringify(state.start),
        );
        const surface = await canvasStats(page, '#landscape');
        assert.ok(surface.distinct > 50, `${chapter.id}: ${surface.distinct} surface colours`);
        const diff = await diffCanvas(page, '#landscape', 'previous');
        assert.notEqual(diff.changed, 0, `${chapter.id}: the figure changed`);
        const shown = await tour(page);
        assert.equal(shown.title, chapter.title.zh, chapter.id);
        assert.match(shown.caption, /[\u4e00-\u9fff]/, chapter.id);
        assert.doesNotMatch(shown.caption, /NaN|undefined/, chapter.id);
        if (chapter.stream) {
          const expected = STREAM_NUMBERS[chapter.id](runStreams(tools, state));
          assertCaption(chapter.id, shown.caption, [], expected, { anyOrder: true });
        } else if (chapter.range) {
          const labels = racerLabels('zh', state.racers, methods);
          const expected = rangeNumbers(runRange(tools, state));
          assertCaption(chapter.id, shown.caption, labels, expected, { anyOrder: true });
        } else {
          const labels = racerLabels('zh', state.racers, methods);
          const racers = runAll(m, state).map((result, i) => ({ label: labels[i], result }));
          const expected = CHAPTER_NUMBERS[chapter.id]({ state, racers });
          assertCaption(chapter.id, shown.caption, labels, expected, { anyOrder: true });
        }
        assert.deepEqual(await alertText(page), '', chapter.id);
      }
      assertCleanLog(log);
    } finally {
      await page.close();
    }
  });

  test('a changed set-up is said and reset; the caption follows the run', async () => {
    const chapter = CHAPTERS.find((c) => !c.ask) ?? CHAPTERS[0];
    const { page, log } = await openPage(browser.context, `${browser.url}#v=1&ch=${chapter.id}`);
    try {
      await captionReady(page);
      const before = await tour(page);
      await page.evaluate(() =>
        window.__playground.store.update((s) => {
          s.steps = Math.max(1, Math.round(s.steps / 4));
        }),
      );
      await page.waitForFunction(() => !document.querySelector('#tour .tour-changed').hidden);
      await page.waitForFunction(
        (id) => location.hash.includes(`ch=${id}`) && location.hash.includes('steps='),
        chapter.id,
      );
      await captionReady(page);
      const changed = await tour(page);
      assert.equal(changed.changed, true);
      assert.notEqual(changed.caption, before.caption, 'a quarter of the steps reads otherwise');
      await page.locator('#tour .tour-changed a').click();
      await page.waitForFunction(() => document.querySelector('#tour .tour-changed').hidden);
      await captionReady(page);
      assert.equal((await tour(page)).caption, before.caption);
      await page.waitForFunction((id) => location.hash === `#v=1&ch=${id}`, chapter.id);
      assertCleanLog(log);
    } finally {
      await page.close();
    }
  });

  test('in Chinese, and without a chapter once closed', async () => {
    const { page, log } = await openPage(
      browser.context,
      `${browser.url}#v=1&lang=zh&ch=${CHAPTERS[1].id}`,
    );
    try {
      await answer(page);
      await captionReady(page);
      const shown = await tour(page);
      assert.equal(shown.title, CHAPTERS[1].title.zh);
      assert.match(shown.caption, /[\u4e00-\u9fff]/);
      await page.locator('#tour .tour-close').click();
      await page.waitForFunction(() => document.getElementById('tour').hidden);
      await page.waitForFunction(() => !location.hash.includes('ch='));
      assertCleanLog(log);
    } finally {
      await page.close();
    }
  });

  test("the summary's scoreboard has a row per chapter and tallies the head-to-heads", async () => {
    const summary = CHAPTERS.find((c) => c.scoreboard);
    // Every chapter but the summary, the gradient-stream chapters (Adam against AMSGrad) and
    // the range test (one racer, measured).
    const scored = CHAPTERS.filter((c) => !c.scoreboard && !c.stream && !c.range);
    const { page, log } = await openPage(browser.context, `${browser.url}#v=1&ch=${summary.id}`);
    try {
      await page.waitForFunction(
        (n) => document.querySelectorAll('#tour .tour-board tbody tr').length === n,
        scored.length,
        { timeout: TOUR_TIMEOUT_MS },
      );
      const board = await page.evaluate(() => ({
        rows: [...document.querySelectorAll('#tour .tour-board tbody tr')].map((tr) => ({
          id: tr.dataset.chapter,
          winner: tr.dataset.winner,
          href: tr.querySelector('a').getAttribute('href'),
          won: [...tr.querySelectorAll('td')].map((td) => td.classList.contains('won')),
        })),
        tally: document.querySelector('#tour .tour-tally').textContent,
      }));
      assert.deepEqual(
        board.rows.map((r) => r.href),
        scored.map((c) => `#v=1&ch=${c.id}`),
      );
      for (const row of board.rows) {
        assert.deepEqual(row.won, [row.winner === 'sgd', row.winner === 'adam'], row.id);
      }
      const heads = board.rows.filter((r) => r.winner !== '').length;
      assert.match(board.tally, new RegExp(`^Both teams raced in \\d+ chapters`));
      assert.ok(heads >= 1);
      assertCleanLog(log);
    } finally {
      await page.close();
    }
  });

  test('an unknown chapter is reported and the page opens without one', async () => {
    const { page, log } = await openPage(browser.context, `${browser.url}#v=1&ch=no-such&steps=40`);
    try {
      assert.match(await alertText(page), /no chapter "no-such"/);
      const state = await page.evaluate(() => window.__playground.store.get());
      assert.equal(state.chapter, null);
      assert.equal(state.steps, 40);
      assert.equal((await tour(page)).hidden, true);
      assert.deepEqual(log.errors, []);
    } finally {
      await page.close();
    }
  });

  test('a question holds the race until the student predicts; the answer is the run’s', async () => {
    const link =
      '#v=1&fn=quadratic&steps=120&r=sgd(lr=0.01)&r=adam(lr=0.1)&r=sgd_momentum(lr=0.01)&ask=lowest';
    const { page, log } = await openPage(browser.context, `${browser.url}${link}`);
    try {
      await page.waitForFunction(() => document.body.dataset.asking === 'true');
      await page.waitForTimeout(400);
      const held = await tour(page);
      assert.equal(held.asking, true);
      assert.equal(held.title, null, 'no chapter part');
      assert.match(held.question, /lowest/);
      assert.equal(held.answers.length, 3);
      assert.equal((await hook(page)).step, 0, 'the race waits at its start');
      const hiddenCharts = await page.evaluate(
        () => getComputedStyle(document.querySelector('[data-part=charts]')).visibility,
      );
      assert.equal(hiddenCharts, 'hidden');
      // The run's answer, from the race's own final losses.
      const racers = (await hook(page)).racers;
      const best = racers.reduce((b, r, i) => (r.finalLoss < racers[b].finalLoss ? i : b), 0);
      const wrong = (best + 1) % racers.length;
      await page.locator('#tour .tour-answer').nth(wrong).click();
      await page.waitForFunction(() => document.body.dataset.asking === undefined);
      const shown = await tour(page);
      assert.match(shown.verdict, /the run says otherwise/);
      assert.ok(shown.verdict.includes(`${shown.answers[best]} ends lowest`), shown.verdict);
      await page.waitForFunction(() => window.__playground.step > 0, null, {
        timeout: TOUR_TIMEOUT_MS,
      });
      // The question is in the link; the prediction is not.
      assert.match((await hook(page)).hash, /ask=lowest/);
      assertCleanLog(log);
    } finally {
      await page.close();
    }
  });
});
