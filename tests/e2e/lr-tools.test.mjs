// SPDX-License-Identifier: MIT
// The learning-rate tools in the browser: the range test of the selected racer runs in the
// Worker pool with the core's tools module and its bounds become the racer's cyclical schedule
// (in the link); the tuner tunes every racer, can be cancelled, and its rates go into the
// racers and the link.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { alertText, assertCleanLog, openPage, startBrowser } from './helpers.mjs';

const TOOL_TIMEOUT_MS = 60_000;

const toolState = (page, which) =>
  page.waitForFunction(
    (w) => ['done', 'error', 'cancelled'].includes(document.getElementById('tools').dataset[w]),
    which,
    { timeout: TOOL_TIMEOUT_MS },
  );

describe('the learning-rate tools', () => {
  let browser;
  before(async () => {
    browser = await startBrowser();
  });
  after(async () => {
    await browser?.close();
  });

  test('a range test’s bounds become the racer’s cyclical schedule, in the link', async () => {
    const { page, log } = await openPage(
      browser.context,
      `${browser.url}#v=1&fn=quadratic&steps=100&r=sgd(lr=0.01)&r=adam&tools=rangeSteps:300`,
    );
    try {
      await page.locator('#tools').scrollIntoViewIfNeeded();
      await page.locator('#range-run').click();
      await toolState(page, 'range');
      assert.equal(await page.locator('#range-status').textContent(), '');
      const caption = await page.locator('#range-caption').innerText();
      // The core's default ramp: 1e-3 to 1e2 times SGD's page rate, 0.002 (its metadata).
      assert.match(caption, /^SGD’s learning rate rose from 2e-6 to 0\.2 over 300 updates\./);
      assert.match(caption, /Suggested cyclical bounds: base_lr = /);
      const result = await page.evaluate(() => window.__tools.range);
      assert.equal(await page.locator('#range-chart canvas').count(), 1);
      await page.locator('#range-apply').click();
      await page.waitForFunction(() => /[&#]r=sgd\([^&]*\)\*cyclic\(/.test(location.hash));
      const schedule = await page.evaluate(
        () => window.__playground.store.get().racers[0].schedule,
      );
      assert.equal(schedule.name, 'cyclic');
      assert.equal(schedule.params.base_lr, result.suggested.base_lr);
      assert.equal(schedule.params.max_lr, result.suggested.max_lr);
      assert.equal(schedule.params.step_size_up, 25);
      assert.equal(await alertText(page), '');
      assertCleanLog(log);
    } finally {
      await page.close();
    }
  });

  test('the tuner: cancel, then tune every racer and use the rates', async () => {
    const { page, log } = await openPage(
      browser.context,
      `${browser.url}#v=1&fn=quadratic&steps=200&r=sgd(lr=0.001)&r=adam(lr=0.001)&tools=budget:11`,
    );
    try {
      await page.locator('#tools').scrollIntoViewIfNeeded();
      // Tune, then cancel, in one task of the page: eleven runs of 200 steps per racer can end
      // in the Workers between two clicks from the test, which then find no Cancel button.
      await page.evaluate(() => {
        document.getElementById('tune-run').click();
        const cancel = document.getElementById('tune-cancel');
        if (cancel.hidden) throw new Error('the tuner shows no Cancel button while it runs');
        cancel.click();
      });
      assert.equal(
        await page.evaluate(() => document.getElementById('tools').dataset.tune),
        'cancelled',
      );
      await page.locator('#tune-run').click();
      await toolState(page, 'tune');
      const rows = await page.$$eval('#tune-table tbody tr', (trs) =>
        trs.map((tr) => [...tr.children].map((c) => c.textContent)),
      );
      assert.equal(rows.length, 2);
      assert.deepEqual(
        rows.map((r) => r[0]),
        ['SGD', 'Adam'],
      );
      // A budget of 11 is the first grid alone: eleven runs per racer.
      for (const r of rows) assert.match(r[4], /^11 \(\d+ diverged\)$/);
      const tuned = await page.evaluate(() =>
        window.__tools.tune.outcomes.map((o) => o.result.best_lr),
      );
      assert.ok(tuned.every((lr) => lr > 0));
      await page.locator('#tune-apply').click();
      await page.waitForFunction((lrs) => {
        const r = window.__playground.store.get().racers;
        return (
          r[0].optimizer.hyperparameters.lr === lrs[0] &&
          r[1].optimizer.hyperparameters.lr === lrs[1]
        );
      }, tuned);
      await page.waitForFunction(() => !/lr=0\.001\b/.test(location.hash));
      // The link is written from the store's latest state; the section shows it in the frame
      // that commits it: nothing is left to apply from then on.
      await page.locator('#tune-apply').waitFor({ state: 'hidden', timeout: 5_000 });
      assert.equal(await page.locator('#tune-apply').isVisible(), false, 'nothing left to apply');
      assert.match(
        await page.locator('#tune-caption').innerText(),
        /^Tuned, (SGD|Adam) ends lowest/,
      );
      assertCleanLog(log);
    } finally {
      await page.close();
    }
  });
});
