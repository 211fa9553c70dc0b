// SPDX-License-Identifier: MIT
// Typed input: every number field of the page (racer cards, surface, lab, network) refuses
// 1e999, NaN, text and out-of-range values with a message naming the field, and the store keeps
// the last valid value (the link does not change). A custom expression that is not finite
// anywhere in the view says so instead of drawing an empty surface.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { alertText, assertCleanLog, openPage, startBrowser } from './helpers.mjs';

/** [selector, the field's name as the message gives it, an out-of-range value]. */
const FIELDS = [
  ['#racers .racer:first-child input[type=text][data-param=lr]', /learning rate|lr/, '-1'],
  ['#function-params input[type=text][data-param=b]', /\bb\b|steepness/, '-5'],
  ['#steps', /^steps/, '0'],
  ['#noise-level', /^noise/, '-1'],
  ['#noise-seed', /^seed/, '-1'],
  ['#lab-runs', /^lab\.runs/, '5'],
  ['#lab-noise', /^lab\.noise/, '-1'],
  ['#lab-offset', /^lab\.offset/, null],
  ['#lab-epsilon', /^lab\.epsilon/, '2'],
  ['#mlp-n', /^(mlp\.n|dataset\.n)/, '5'],
  ['#mlp-noise', /^(mlp\.noise|dataset\.noise)/, '-1'],
  ['#mlp-label-noise', /^(mlp\.labelNoise|dataset\.label_noise)/, '0.9'],
  ['#mlp-test-fraction', /^(mlp\.testFraction|dataset\.test_fraction)/, '1'],
  ['#mlp-batch', /^(mlp\.batch|batch_size)/, '-1'],
  ['#mlp-steps', /^mlp\.steps/, '0'],
];

/** The message the page shows for the field: beside it, else in the alert. */
async function messageFor(page, selector) {
  const beside = await page.locator(selector).evaluate((el) => {
    const box = el.closest('.param, .lab-field, .field, label');
    return box?.querySelector('.param-error')?.textContent ?? '';
  });
  return beside || (await alertText(page));
}

describe('typed input', () => {
  let browser;
  before(async () => {
    browser = await startBrowser();
  });
  after(async () => {
    await browser?.close();
  });

  test('every number field refuses 1e999, NaN, text and out-of-range values, naming itself', async () => {
    const { page, log } = await openPage(browser.context, `${browser.url}#v=1&fn=rosenbrock`);
    try {
      for (const [selector, name, outOfRange] of FIELDS) {
        const field = page.locator(selector);
        await field.scrollIntoViewIfNeeded();
        const good = await field.inputValue();
        const hash = await page.evaluate(() => location.hash);
        for (const bad of ['1e999', 'NaN', 'abc', ...(outOfRange ? [outOfRange] : [])]) {
          await field.fill(bad);
          await field.dispatchEvent('change');
          await page.waitForTimeout(150);
          const message = await messageFor(page, selector);
          assert.match(message, name, `${selector} = ${bad}: "${message}"`);
          assert.equal(
            await page.evaluate(() => location.hash),
            hash,
            `${selector} = ${bad}: link kept`,
          );
        }
        // The last valid value still stands: typing it again clears the message.
        await field.fill(good);
        await field.dispatchEvent('change');
        await page.waitForTimeout(150);
        assert.equal(
          await page.evaluate(() => location.hash),
          hash,
          `${selector}: back to ${good}`,
        );
      }
      assertCleanLog(log, 'typed input page');
    } finally {
      await page.close();
    }
  });

  test('a custom expression that is not finite anywhere in the view says so', async () => {
    const expr = encodeURIComponent('sqrt(-1 - x^2)');
    const { page, log } = await openPage(
      browser.context,
      `${browser.url}#v=1&fn=custom&expr=${expr}`,
    );
    try {
      assert.match(await alertText(page), /no finite value anywhere in this view/);
      assertCleanLog(log, 'non-finite surface page');
    } finally {
      await page.close();
    }
  });
});
