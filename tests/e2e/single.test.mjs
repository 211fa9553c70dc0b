// SPDX-License-Identifier: MIT
// The single-file build (dist/optimizer-playground.html, scripts/build-single.mjs) opened from
// file://, with no server: the race draws, an ensemble runs in the pool's Workers, the network
// trains, and its Content Security Policy lets nothing else in.

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { DIST, assertCleanLog, openPage, startBrowser } from './helpers.mjs';

const FILE = join(DIST, 'optimizer-playground.html');
const RUN_TIMEOUT_MS = 60_000;

describe('the single file from file://', () => {
  let browser;
  before(async () => {
    if (!existsSync(FILE)) throw new Error(`${FILE} is missing: run npm run build`);
    browser = await startBrowser();
  });
  after(async () => {
    await browser?.close();
  });

  test('draws the race, runs an ensemble and trains the network, offline', async () => {
    const url = `${pathToFileURL(FILE).href}#v=1&fn=twin_basin&steps=200&lab=runs:100&mlp=steps:50`;
    const { page, log } = await openPage(browser.context, url);
    try {
      const race = await page.evaluate(() => window.__playground.racers.map((r) => r.steps));
      assert.deepEqual(race, [200, 200, 200, 200, 200]);
      // The lab's ensemble, in the pool's Workers (started from blob: URLs).
      await page.locator('#lab-run').click();
      await page.waitForFunction(() => window.__lab?.result && !window.__lab.running, null, {
        timeout: RUN_TIMEOUT_MS,
      });
      const runs = await page.evaluate(() =>
        window.__lab.result.racers.map(
          (r) => r.basinCounts.reduce((a, b) => a + b, 0) + r.other + r.diverged,
        ),
      );
      assert.deepEqual(runs, [100, 100, 100, 100, 100]);
      // The network's training, in a Worker too.
      await page.locator('#mlp-train').click();
      await page.waitForFunction(() => window.__mlp?.result && !window.__mlp.running, null, {
        timeout: RUN_TIMEOUT_MS,
      });
      assert.equal(await page.evaluate(() => window.__mlp.result.steps), 50);
      // The gradient-stream lab's tools module stays on the served page, and the lab says so.
      await page.locator('#stream').scrollIntoViewIfNeeded();
      await page.waitForFunction(() => document.getElementById('stream').dataset.state === 'error');
      assert.match(await page.locator('#stream-status').textContent(), /need the served page/);
      // So do the handwritten digits: their training says so, per racer.
      await page.locator('#digits-run').click();
      await page.waitForFunction(() => document.getElementById('digits').dataset.state === 'done');
      assert.match(
        await page.locator('#digits-caption').innerText(),
        /the digits need the served page/,
      );
      // Nothing was fetched: every part is inline.
      const fetched = log.requests.filter(
        (u) => !u.startsWith('data:') && !u.startsWith('blob:') && u !== url,
      );
      assert.deepEqual(
        fetched.filter((u) => !u.startsWith(pathToFileURL(FILE).href)),
        [],
      );
      assertCleanLog(log, 'single file');
    } finally {
      await page.close();
    }
  });

  test('its policy allows its own inline parts and nothing else', async () => {
    const { page, log } = await openPage(browser.context, pathToFileURL(FILE).href);
    try {
      const policy = await page.evaluate(
        () => document.querySelector('meta[http-equiv=Content-Security-Policy]').content,
      );
      assert.match(policy, /default-src 'none'/);
      assert.match(policy, /script-src 'sha256-[^']+' 'sha256-[^']+' 'wasm-unsafe-eval'/);
      assert.doesNotMatch(policy, /'unsafe-inline'|'unsafe-eval'/);
      // An injected inline script does not run.
      const ran = await page.evaluate(async () => {
        const s = document.createElement('script');
        s.textContent = 'window.__injected = 1';
        document.body.append(s);
        await new Promise((r) => setTimeout(r, 50));
        return window.__injected;
      });
      assert.equal(ran, undefined);
      log.consoleErrors.length = 0; // the refused script is reported on the console
    } finally {
      await page.close();
    }
  });
});
