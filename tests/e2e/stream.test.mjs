// SPDX-License-Identifier: MIT
// The gradient-stream lab in the browser: its tools module loads only when the lab comes near
// the viewport (or a chapter shows it), it runs Adam beside AMSGrad on the stream the link
// gives and says what they did, its inputs are in the link, and a bad sequence is refused with
// the core's message while the last good runs stay on screen.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { alertText, assertCleanLog, hashParams, openPage, startBrowser } from './helpers.mjs';

const LAB_TIMEOUT_MS = 20_000;

/** Scrolls the lab into view and waits until it shows runs (or an error). */
async function labReady(page) {
  await page.locator('#stream').scrollIntoViewIfNeeded();
  await page.waitForFunction(
    () => ['ready', 'error'].includes(document.getElementById('stream').dataset.state),
    null,
    { timeout: LAB_TIMEOUT_MS },
  );
  return page.evaluate(() => ({
    state: document.getElementById('stream').dataset.state,
    steps: Number(document.getElementById('stream').dataset.steps),
    status: document.getElementById('stream-status').textContent,
    caption: [...document.querySelectorAll('#stream-caption li')].map((li) => li.textContent),
    charts: [...document.querySelectorAll('#stream .stream-figure')]
      .filter((f) => !f.hidden)
      .map((f) => f.querySelector('canvas') !== null),
  }));
}

const toolsRequested = (log) => log.requests.filter((u) => /optim-tools\.(mjs|wasm)$/.test(u));

describe('the gradient-stream lab', () => {
  let browser;
  before(async () => {
    browser = await startBrowser();
  });
  after(async () => {
    await browser?.close();
  });

  test('loads its tools only when near, then shows the spike and both runs', async () => {
    const { page, log } = await openPage(browser.context, browser.url);
    try {
      assert.deepEqual(toolsRequested(log), [], 'no tools module with the first load');
      const lab = await labReady(page);
      assert.equal(lab.state, 'ready', lab.status);
      assert.equal(lab.steps, 2000);
      assert.deepEqual(lab.charts, [true, true, true], 'movement, x, v and v-hat drawn');
      assert.match(lab.caption[0], /^Update 1000 has gradient 100000, 100000 times/);
      assert.match(lab.caption[0], /Adam moved x by 25\.15 there/);
      assert.equal(toolsRequested(log).length, 2);
      assert.equal(await alertText(page), '');
      assertCleanLog(log);
    } finally {
      await page.close();
    }
  });

  test('Reddi’s problem from a link; editing an input updates the runs and the link', async () => {
    const { page, log } = await openPage(
      browser.context,
      `${browser.url}#v=1&stream=source:reddi,steps:600`,
    );
    try {
      let lab = await labReady(page);
      assert.equal(lab.steps, 600);
      assert.match(lab.caption[0], /^Adam ends at x = 1 after 600 steps/);
      assert.equal(lab.charts.length, 4, 'the regret chart shows for Reddi’s problem');
      assert.equal(await page.locator('#stream-text').isVisible(), false);
      await page.locator('#stream-steps').fill('3000');
      await page.locator('#stream-steps').press('Enter');
      await page.waitForFunction(() => document.getElementById('stream').dataset.steps === '3000');
      lab = await labReady(page);
      assert.deepEqual(lab.caption.slice(0, 2), [
        'Adam ends at x = 1 after 3000 steps, average regret 0.6723.',
        'AMSGrad ends at x = -0.9936 after 3000 steps, average regret 0.01245.',
      ]);
      await page.waitForFunction(() => /stream=source:reddi(&|$)/.test(location.hash));
      assert.equal((await hashParams(page)).params.get('stream'), 'source:reddi');
      assertCleanLog(log);
    } finally {
      await page.close();
    }
  });

  test('a bad sequence is refused with the core’s column; a good one runs', async () => {
    const { page, log } = await openPage(browser.context, browser.url);
    try {
      await labReady(page);
      const text = page.locator('#stream-text');
      await text.fill('1 x 999, , 3');
      await text.press('Enter');
      await page.waitForFunction(
        () => document.getElementById('stream').dataset.state === 'error',
        null,
        { timeout: LAB_TIMEOUT_MS },
      );
      const status = await page.locator('#stream-status').textContent();
      assert.match(status, /source\.params\.text/);
      assert.match(status, /column \d+/);
      await text.fill('1 x 100000, 100000, 1 x 20000');
      await text.press('Enter');
      await page.waitForFunction(
        () => document.getElementById('stream').dataset.steps === '120001',
      );
      const lab = await labReady(page);
      assert.match(lab.caption[0], /Adam moved x by 31\.62 there/);
      await page.waitForFunction(() => location.hash.includes('seq='));
      assert.equal((await hashParams(page)).params.get('seq'), '1 x 100000, 100000, 1 x 20000');
      assertCleanLog(log);
    } finally {
      await page.close();
    }
  });

  test('a hostile seq= is refused at the link; the rest of it loads', async () => {
    const { page, log } = await openPage(
      browser.context,
      `${browser.url}#v=1&steps=123&seq=%3Cimg%20src=x%20onerror=alert(1)%3E`,
    );
    try {
      assert.match(await alertText(page), /stream\.text/);
      assert.equal(await page.evaluate(() => window.__playground.store.get().steps), 123);
      const lab = await labReady(page);
      assert.equal(lab.state, 'ready');
      assert.deepEqual(log.dialogs, []);
      assert.equal(await page.evaluate(() => document.querySelectorAll('#stream img').length), 0);
    } finally {
      await page.close();
    }
  });
});
