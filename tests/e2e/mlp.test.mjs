// SPDX-License-Identifier: MIT
// The tiny neural network section (web/mlp.js + web/worker.js) in headless Chromium, offline:
// a training race from a link, its table, chart and decision boundary, cancel, the language
// switch, and the core's error for bad hidden layers.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { assertCleanLog, openPage, setValue, startBrowser } from './helpers.mjs';

const LINK = '#v=1&r=sgd_momentum(lr=0.05)&r=adam(lr=0.01)';
const RUN_TIMEOUT_MS = 30_000;
/** The boundary's two class colours (web/mlp.js SOFT). */
const SOFT = [
  [158, 202, 225],
  [253, 190, 133],
];

/** Clicks #mlp-train and waits until the race has finished (results table filled). */
async function train(page) {
  await page.locator('#mlp-train').click();
  await page.waitForFunction(() => window.__mlp?.result && !window.__mlp.running, null, {
    timeout: RUN_TIMEOUT_MS,
    polling: 50,
  });
  await page.locator('#mlp-results tbody tr').first().waitFor();
}

/** The finished race's numbers, copied out of the page (typed arrays left behind). */
function mlpHook(page) {
  return page.evaluate(() => {
    const m = window.__mlp;
    return {
      running: m.running,
      done: m.done,
      total: m.total,
      ms: m.ms,
      steps: m.result?.steps,
      racers: m.result?.racers.map((r) => ({
        trainLoss: r.trainLoss,
        testLoss: r.testLoss,
        trainAccuracy: r.trainAccuracy,
        testAccuracy: r.testAccuracy,
        gap: r.gap,
        eigenvalue: r.eigenvalue,
        stepsToTarget: r.stepsToTarget,
        evalStep: r.evalStep,
      })),
    };
  });
}

/** Pixels of the boundary canvas within L1 distance 24 of each of `colours`. */
function colourCounts(page, colours) {
  return page.locator('#mlp-boundary').evaluate((canvas, colours) => {
    const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
    const counts = colours.map(() => 0);
    for (let i = 0; i < data.length; i += 4) {
      colours.forEach(([r, g, b], k) => {
        if (Math.abs(data[i] - r) + Math.abs(data[i + 1] - g) + Math.abs(data[i + 2] - b) < 24) {
          counts[k]++;
        }
      });
    }
    return counts;
  }, colours);
}

describe('tiny neural network', () => {
  let browser;
  before(async () => {
    browser = await startBrowser();
  });
  after(async () => {
    await browser?.close();
  });

  test('trains two racers from a link: table, chart, boundary, language', async () => {
    const { page, log } = await openPage(browser.context, `${browser.url}${LINK}`);
    try {
      assert.equal(await page.locator('#mlp h2').textContent(), 'Tiny neural network');
      assert.equal(await page.locator('#mlp-steps').inputValue(), '300');
      assert.equal(await page.locator('#mlp-hidden').inputValue(), '16,16');
      // The section comes after the lab.
      assert.equal(
        await page.evaluate(() => document.getElementById('lab').nextElementSibling.id),
        'mlp',
      );
      await setValue(page.locator('#mlp-steps'), 100);
      await train(page);

      const mlp = await mlpHook(page);
      assert.equal(mlp.steps, 100);
      assert.equal(mlp.racers.length, 2);
      for (const r of mlp.racers) {
        for (const k of ['trainAccuracy', 'testAccuracy']) {
          assert.ok(r[k] >= 0 && r[k] <= 1, `${k} ${r[k]}`);
        }
        for (const k of ['trainLoss', 'testLoss', 'gap', 'eigenvalue']) {
          assert.ok(Number.isFinite(r[k]), `${k} ${r[k]}`);
        }
        assert.equal(r.evalStep, 100, 'the final metrics are at the last step');
        assert.ok(Math.abs(r.gap - (r.testLoss - r.trainLoss)) < 1e-12);
        assert.ok(r.stepsToTarget === null || (r.stepsToTarget >= 0 && r.stepsToTarget <= 100));
      }
      const progress = await page
        .locator('#mlp-progress')
        .evaluate((el) => ({ value: el.value, max: el.max }));
      assert.equal(progress.max, 100);
      assert.equal(progress.value, progress.max);
      assert.equal(mlp.done, 100);

      // The table: one row per racer, eight cells, "-" or a step count in the last one.
      const rows = await page
        .locator('#mlp-results tbody tr')
        .evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent)));
      assert.equal(rows.length, 2);
      for (const cells of rows) {
        assert.equal(cells.length, 8);
        assert.match(cells[7], /^(-|\d+)$/);
      }
      assert.match(await page.locator('#mlp-caption').textContent(), /smallest generalization gap/);

      // The chart: train and test loss per racer.
      assert.equal(await page.locator('#mlp-chart .uplot').count(), 1);
      const series = await page.locator('#mlp-chart .u-legend .u-series').count();
      assert.equal(series, 5, 'the step and two series per racer');

      // The boundary: both class colours drawn.
      const counts = await colourCounts(page, SOFT);
      assert.ok(counts[0] > 500 && counts[1] > 500, `class colour pixels ${counts}`);

      // The language switch translates the heading and the table.
      await page.locator('#lang').selectOption('zh');
      await page.waitForFunction(
        () => document.querySelector('#mlp h2').textContent === '小型神经网络',
      );
      assert.match(await page.locator('#mlp-results').textContent(), /泛化差距/);
      assert.match(await page.locator('#mlp-results').textContent(), /测试准确率/);
      await page.locator('#lang').selectOption('en');
      await page.waitForFunction(
        () => document.querySelector('#mlp h2').textContent === 'Tiny neural network',
      );
      assertCleanLog(log, 'mlp page');
    } finally {
      await page.close();
    }
  });

  test('cancel stops a long race, resets the buttons, and a new race works', async () => {
    const { page, log } = await openPage(browser.context, `${browser.url}${LINK}`);
    try {
      await setValue(page.locator('#mlp-steps'), 5000);
      await page.locator('#mlp-train').click();
      assert.equal(await page.locator('#mlp-train').isDisabled(), true);
      assert.equal(await page.locator('#mlp-cancel').isDisabled(), false);
      await page.waitForFunction(() => window.__mlp.done > 0, null, { timeout: RUN_TIMEOUT_MS });
      await page.locator('#mlp-cancel').click();
      assert.equal(await page.locator('#mlp-train').isDisabled(), false);
      assert.equal(await page.locator('#mlp-cancel').isDisabled(), true);
      const stopped = await page.locator('#mlp-progress').evaluate((el) => el.value);
      assert.ok(stopped < 5000, `progress ${stopped} stopped before the end`);
      await page.waitForTimeout(300);
      assert.equal(await page.locator('#mlp-progress').evaluate((el) => el.value), stopped);
      const mlp = await mlpHook(page);
      assert.equal(mlp.running, false);
      assert.equal(mlp.steps, undefined, 'no result from the cancelled race');

      await setValue(page.locator('#mlp-steps'), 50);
      await train(page);
      const again = await mlpHook(page);
      assert.equal(again.steps, 50);
      assert.equal(again.racers.length, 2);
      assertCleanLog(log, 'mlp cancel page');
    } finally {
      await page.close();
    }
  });

  test('bad hidden layers show the core error', async () => {
    const { page, log } = await openPage(browser.context, `${browser.url}${LINK}`);
    try {
      await page.locator('#mlp-hidden').fill('16,0');
      await page.locator('#mlp-train').click();
      await page.waitForFunction(
        () => /network\.hidden\[1\]/.test(document.getElementById('mlp-status').textContent),
        null,
        { timeout: RUN_TIMEOUT_MS },
      );
      assert.equal(await page.locator('#mlp-train').isDisabled(), false);
      assertCleanLog(log, 'mlp error page');
    } finally {
      await page.close();
    }
  });
});
