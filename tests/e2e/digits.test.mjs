// SPDX-License-Identifier: MIT
// The handwritten digits in the browser: the digits are fetched only when the section trains,
// every racer trains over the link's seeds in the Worker pool (with cancel), and the table,
// the curves, the misclassified digits and the caption show what was measured.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { alertText, assertCleanLog, hashParams, openPage, startBrowser } from './helpers.mjs';

const TRAIN_TIMEOUT_MS = 120_000;
const digitsRequests = (log) => log.requests.filter((u) => u.endsWith('/data/digits.csv.gz'));

describe('the handwritten digits', () => {
  let browser;
  before(async () => {
    browser = await startBrowser();
  });
  after(async () => {
    await browser?.close();
  });

  test('trains every racer over the seeds and shows what it measured', async () => {
    const { page, log } = await openPage(
      browser.context,
      `${browser.url}#v=1&r=adam(lr=0.01)&r=sgd_momentum(lr=0.05)&digits=seeds:2,steps:200`,
    );
    try {
      await page.locator('#digits').scrollIntoViewIfNeeded();
      assert.deepEqual(digitsRequests(log), [], 'the digits load when the section trains');
      assert.equal(
        await page.locator('#digits-run').textContent(),
        'Train on the digits (4 networks)',
      );
      await page.locator('#digits-run').click();
      await page.waitForFunction(
        () => document.getElementById('digits').dataset.state === 'done',
        null,
        {
          timeout: TRAIN_TIMEOUT_MS,
        },
      );
      assert.equal(digitsRequests(log).length >= 1, true);
      const rows = await page.$$eval('#digits-table tbody tr', (trs) =>
        trs.map((tr) => [...tr.children].map((c) => c.textContent)),
      );
      assert.deepEqual(
        rows.map((r) => r[0]),
        ['Adam', 'SGDM'],
      );
      // Each method at its rate for the digits (the core's page.digitsLr), not the link's.
      assert.deepEqual(
        rows.map((r) => r[1]),
        ['0.01', '0.1'],
      );
      for (const r of rows)
        for (const cell of r.slice(2)) assert.match(cell, /^-?[\d.e-]+%? ± [\d.e-]+%?$/);
      const adamTest = Number(rows[0][3].split('%')[0]);
      assert.ok(adamTest > 85, `Adam's test accuracy ${adamTest}%`);
      const caption = await page.locator('#digits-caption').innerText();
      assert.match(caption, /^Over 2 seeds, (Adam|SGDM) reached the highest test accuracy/);
      const result = await page.evaluate(() => {
        const r = window.__digits.result.outcomes[0].result;
        return { wrong: r.wrong, shown: r.missed.length };
      });
      assert.equal(await page.locator('#digits-missed canvas').count(), result.shown);
      assert.equal(result.shown, Math.min(24, result.wrong));
      assert.equal((await page.locator('#digits-chart canvas').count()) >= 1, true);
      // Inputs in the link; a change says the table is stale.
      await page.locator('#digits-seeds').fill('4');
      await page.locator('#digits-seeds').press('Enter');
      await page.waitForFunction(() => /digits=seeds:4/.test(location.hash));
      assert.equal((await hashParams(page)).params.get('digits'), 'seeds:4,steps:200');
      await page.locator('#digits-rates').selectOption('race');
      await page.waitForFunction(() => /rates:race/.test(location.hash));
      assert.equal((await hashParams(page)).params.get('digits'), 'seeds:4,steps:200,rates:race');
      assert.match(
        await page.locator('#digits-caption').innerText(),
        /changed since this training/,
      );
      assert.equal(await alertText(page), '');
      assertCleanLog(log);
    } finally {
      await page.close();
    }
  });

  test('small against large batch for the selected racer, with the slice between them', async () => {
    const { page, log } = await openPage(
      browser.context,
      `${browser.url}#v=1&r=sgd_momentum&r=adam(lr=0.01)&sel=1&digits=seeds:2,steps:150`,
    );
    try {
      await page.locator('#digits').scrollIntoViewIfNeeded();
      const button = page.locator('#digits-batch-run');
      assert.equal(await button.textContent(), 'Train Adam: batches of 32 against full batch');
      await button.click();
      await page.waitForFunction(
        () => document.getElementById('digits').dataset.batch === 'done',
        null,
        {
          timeout: TRAIN_TIMEOUT_MS,
        },
      );
      const rows = await page.$$eval('#digits-batch-table tbody tr th', (ths) =>
        ths.map((th) => th.textContent),
      );
      assert.deepEqual(rows, ['batches of 32', 'full batch']);
      const jobs = await page.evaluate(() =>
        window.__digits.batch.jobs.map((j) => [j.config.optimizer.name, j.config.batch_size]),
      );
      assert.deepEqual(jobs, [
        ['adam', 32],
        ['adam', 32],
        ['adam', 0],
        ['adam', 0],
      ]);
      const caption = await page.locator('#digits-batch-caption').innerText();
      assert.match(caption, /^The selected racer, Adam, trained both ways on every seed\./);
      assert.match(
        caption,
        /On the line between the two solutions the training loss (rises|goes) from /,
      );
      assert.equal((await page.locator('#digits-slice canvas').count()) >= 1, true);
      assertCleanLog(log);
    } finally {
      await page.close();
    }
  });

  test('a racer whose schedule sets its own rates is named under the table', async () => {
    // Cyclic sets the rate of every step itself: at the digits rates that racer still trains
    // at its schedule's rates from the race, and the caption says so, naming that racer only.
    const { page, log } = await openPage(
      browser.context,
      `${browser.url}#v=1&r=sgd_momentum(lr=0.002)*cyclic(base_lr=0.0005,max_lr=0.003,step_size_up=20)&r=adam(lr=0.01)&digits=seeds:1,steps:40`,
    );
    try {
      await page.locator('#digits').scrollIntoViewIfNeeded();
      await page.locator('#digits-run').click();
      await page.waitForFunction(
        () => document.getElementById('digits').dataset.state === 'done',
        null,
        { timeout: TRAIN_TIMEOUT_MS },
      );
      const jobs = await page.evaluate(() =>
        window.__digits.result.jobs.map((j) => [
          j.config.optimizer.name,
          j.config.schedule?.name ?? null,
        ]),
      );
      assert.deepEqual(jobs, [
        ['sgd_momentum', 'cyclic'],
        ['adam', null],
      ]);
      const labels = await page.$$eval('#digits-table tbody tr', (trs) =>
        trs.map((tr) => tr.children[0].textContent),
      );
      const notes = (await page.locator('#digits-caption li').allInnerTexts()).filter((line) =>
        line.includes('the schedule sets the learning rate itself'),
      );
      assert.deepEqual(notes, [
        `${labels[0]}: the schedule sets the learning rate itself (cyclic or one-cycle), so it ` +
          'trains at the schedule’s rates from the race, not at a rate for the digits.',
      ]);
      // Trained at the race's rates, every racer trains at its own rates: no note.
      await page.locator('#digits-rates').selectOption('race');
      await page.waitForFunction(() => /rates:race/.test(location.hash));
      await page.locator('#digits-run').click();
      await page.waitForFunction(
        () =>
          document.getElementById('digits').dataset.state === 'done' &&
          window.__digits.result.state.digits.rates === 'race',
        null,
        { timeout: TRAIN_TIMEOUT_MS },
      );
      assert.doesNotMatch(
        await page.locator('#digits-caption').innerText(),
        /the schedule sets the learning rate itself/,
      );
      assertCleanLog(log);
    } finally {
      await page.close();
    }
  });

  test('cancel stops the training', async () => {
    const { page, log } = await openPage(
      browser.context,
      `${browser.url}#v=1&digits=seeds:10,steps:5000`,
    );
    try {
      await page.locator('#digits').scrollIntoViewIfNeeded();
      await page.locator('#digits-run').click();
      await page.locator('#digits-cancel').click();
      assert.equal(
        await page.evaluate(() => document.getElementById('digits').dataset.state),
        'cancelled',
      );
      assert.equal(await page.locator('#digits-status').textContent(), 'Training cancelled.');
      assert.equal(await page.locator('#digits-table').isVisible(), false);
      assertCleanLog(log);
    } finally {
      await page.close();
    }
  });
});
