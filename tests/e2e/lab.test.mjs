// SPDX-License-Identifier: MIT
// The sharp vs flat minima lab (web/lab.js + web/worker.js) in headless Chromium, offline:
// an ensemble from a link, its counts and the sharpness table, cancel, the surface button and
// the language switch.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { assertCleanLog, openPage, setValue, startBrowser } from './helpers.mjs';

const LINK = '#v=1&fn=twin_basin&r=sgd_momentum(lr=0.05)&r=adam(lr=0.05)';
/** Long runs (5000 steps) so that a 1000-run ensemble is still running when cancelled. */
const LONG_LINK = `${LINK}&steps=5000`;
const RUN_TIMEOUT_MS = 30_000;

/** Clicks #lab-run and waits until the run has finished (results table filled). */
async function runLab(page) {
  await page.evaluate(() => {
    if (window.__lab) window.__lab.result = null;
  });
  await page.locator('#lab-run').click();
  await page.waitForFunction(() => window.__lab?.result && !window.__lab.running, null, {
    timeout: RUN_TIMEOUT_MS,
    polling: 50,
  });
  await page.locator('#lab-results tbody tr').first().waitFor();
}

/** What the lab exposes, copied out of the page (typed arrays as counts only). */
function labHook(page) {
  return page.evaluate(() => {
    const l = window.__lab;
    return {
      running: l.running,
      done: l.done,
      total: l.total,
      ms: l.ms,
      runs: l.result?.runs,
      racers: l.result?.racers.map((r) => ({
        basinCounts: r.basinCounts,
        other: r.other,
        diverged: r.diverged,
        n: r.basin.length,
      })),
      basins: l.basins,
    };
  });
}

describe('sharp vs flat minima lab', () => {
  let browser;
  before(async () => {
    browser = await startBrowser();
  });
  after(async () => {
    await browser?.close();
  });

  test('runs an ensemble from a link: counts add up, progress ends full, sharp is sharper', async () => {
    const { page, log } = await openPage(browser.context, `${browser.url}${LINK}`);
    try {
      assert.equal(await page.locator('#lab h2').textContent(), 'Sharp vs flat minima');
      assert.equal(await page.locator('#lab-use-surface').isVisible(), false);
      assert.equal(await page.locator('#lab-runs').inputValue(), '200');
      await setValue(page.locator('#lab-runs'), 100);
      await runLab(page);

      const lab = await labHook(page);
      assert.equal(lab.runs, 100);
      assert.equal(lab.racers.length, 2);
      for (const r of lab.racers) {
        const sum = r.basinCounts.reduce((a, b) => a + b, 0) + r.other + r.diverged;
        assert.equal(sum, 100, `counts ${JSON.stringify(r)}`);
        assert.equal(r.n, 100, 'one basin entry per run');
      }
      // The table's percentages, read from the cells, add up to 100 per racer.
      const rows = await page
        .locator('#lab-results tbody tr')
        .evaluateAll((trs) =>
          trs.map((tr) =>
            [...tr.querySelectorAll('td[data-basin]')].map((td) => parseFloat(td.textContent)),
          ),
        );
      assert.equal(rows.length, 2);
      for (const cells of rows) {
        assert.equal(cells.length, 4, 'sharp, flat, elsewhere, diverged');
        const total = cells.reduce((a, b) => a + b, 0);
        assert.ok(Math.abs(total - 100) < 0.01, `percentages add up to ${total}`);
      }
      // The progress bar reached its max.
      const progress = await page
        .locator('#lab-progress')
        .evaluate((el) => ({ value: el.value, max: el.max }));
      assert.equal(progress.max, 100);
      assert.equal(progress.value, progress.max);

      // Sharp minimum: the larger epsilon-sharpness in the second table.
      const sharp = Number(
        await page
          .locator('#lab-minima tr[data-basin=sharp] td[data-value]')
          .getAttribute('data-value'),
      );
      const flat = Number(
        await page
          .locator('#lab-minima tr[data-basin=flat] td[data-value]')
          .getAttribute('data-value'),
      );
      assert.ok(sharp > flat, `epsilon-sharpness sharp ${sharp} > flat ${flat}`);
      assert.deepEqual(lab.basins.map((b) => b.kind).sort(), ['flat', 'sharp']);

      // The caption states the measured shares.
      const caption = await page.locator('#lab-caption').textContent();
      assert.match(caption, /In 100 runs each, SGDM ended in the sharp minimum \d+% of the time/);
      assert.match(caption, /Adam \d+%/);

      // The language switch translates the section.
      await page.locator('#lang').selectOption('zh');
      await page.waitForFunction(
        () => document.querySelector('#lab h2').textContent === '尖锐极小值与平坦极小值',
      );
      assert.match(await page.locator('#lab-results').textContent(), /泛化差距/);
      assert.match(await page.locator('#lab-caption').textContent(), /尖锐极小值/);
      await page.locator('#lang').selectOption('en');
      await page.waitForFunction(
        () => document.querySelector('#lab h2').textContent === 'Sharp vs flat minima',
      );
      assertCleanLog(log, 'lab page');
    } finally {
      await page.close();
    }
  });

  test('cancel stops a long run, resets the buttons, and a new run works', async () => {
    const { page, log } = await openPage(browser.context, `${browser.url}${LONG_LINK}`);
    try {
      await setValue(page.locator('#lab-runs'), 1000);
      await page.locator('#lab-run').click();
      assert.equal(await page.locator('#lab-run').isDisabled(), true);
      assert.equal(await page.locator('#lab-cancel').isDisabled(), false);
      await page.waitForFunction(() => window.__lab.done > 0, null, { timeout: RUN_TIMEOUT_MS });
      await page.locator('#lab-cancel').click();
      assert.equal(await page.locator('#lab-run').isDisabled(), false);
      assert.equal(await page.locator('#lab-cancel').isDisabled(), true);
      const stopped = await page.locator('#lab-progress').evaluate((el) => el.value);
      assert.ok(stopped < 1000, `progress ${stopped} stopped before the end`);
      await page.waitForTimeout(500);
      assert.equal(
        await page.locator('#lab-progress').evaluate((el) => el.value),
        stopped,
        'no progress after cancel',
      );
      const lab = await labHook(page);
      assert.equal(lab.running, false);
      assert.equal(lab.runs, undefined, 'no result from the cancelled run');

      // A fresh worker runs the next ensemble.
      await setValue(page.locator('#lab-runs'), 100);
      await runLab(page);
      const again = await labHook(page);
      assert.equal(again.runs, 100);
      for (const r of again.racers) {
        assert.equal(r.basinCounts.reduce((a, b) => a + b, 0) + r.other + r.diverged, 100);
      }
      assertCleanLog(log, 'cancel page');
    } finally {
      await page.close();
    }
  });

  test('on a surface without listed minima the run button is disabled and says why', async () => {
    const { page, log } = await openPage(browser.context, `${browser.url}#v=1&fn=saddle`);
    try {
      assert.equal(await page.locator('#lab-run').isDisabled(), true);
      assert.match(await page.locator('#lab-status').textContent(), /no known minima/);
      // The surface button switches to the twin-basin surface and enables the run.
      await page.locator('#lab-use-surface').click();
      await page.waitForFunction(() => document.getElementById('function').value === 'twin_basin');
      assert.equal(await page.locator('#lab-run').isDisabled(), false);
      assert.equal(await page.locator('#lab-use-surface').isVisible(), false);
      assert.equal(await page.locator('#lab-status').textContent(), '');
      assertCleanLog(log, 'saddle page');
    } finally {
      await page.close();
    }
  });
});
