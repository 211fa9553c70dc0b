// SPDX-License-Identifier: MIT
// The page under its Content Security Policy (the server's header and the page's meta tag,
// scripts/lib/static-server.mjs): everything it does works with no violation, and an
// injected inline script or a script from another origin does not run.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { assertCleanLog, openPage, startBrowser } from './helpers.mjs';

const RUN_TIMEOUT_MS = 60_000;

/** Installed before the page's scripts: every violation the policy reports. */
function recordViolations() {
  window.__violations = [];
  document.addEventListener('securitypolicyviolation', (e) =>
    window.__violations.push(`${e.violatedDirective}: ${e.blockedURI}`),
  );
}

describe('the content security policy', () => {
  let browser;
  before(async () => {
    browser = await startBrowser();
  });
  after(async () => {
    await browser?.close();
  });

  test('the race, the lab, the network and the embed dialog run without a violation', async () => {
    const { page, log } = await openPage(
      browser.context,
      `${browser.url}#v=1&fn=twin_basin&steps=3000&lab=runs:60&mlp=steps:30`,
      { setup: (p) => p.addInitScript(recordViolations) },
    );
    try {
      const header = await page.evaluate(async () => {
        const res = await fetch(location.pathname, { cache: 'no-store' });
        return res.headers.get('content-security-policy');
      });
      assert.match(header, /script-src 'self' 'wasm-unsafe-eval'/);
      // 5 x 3000 steps: the race runs in the pool's Workers.
      await page.waitForFunction(
        () => window.__playground.racers.every((r) => r.steps === 3000 || r.diverged),
        null,
        { timeout: RUN_TIMEOUT_MS },
      );
      await page.locator('#lab-run').click();
      await page.waitForFunction(() => window.__lab?.result && !window.__lab.running, null, {
        timeout: RUN_TIMEOUT_MS,
      });
      await page.locator('#mlp-train').click();
      await page.waitForFunction(() => window.__mlp?.result && !window.__mlp.running, null, {
        timeout: RUN_TIMEOUT_MS,
      });
      await page.locator('#embed-button').click();
      await page.locator('#embed-dialog iframe').waitFor();
      assert.deepEqual(await page.evaluate(() => window.__violations), []);
      assertCleanLog(log, 'page under its policy');
    } finally {
      await page.close();
    }
  });

  test('an injected inline script and a foreign script do not run', async () => {
    const { page, log } = await openPage(browser.context, browser.url, {
      setup: (p) => p.addInitScript(recordViolations),
    });
    try {
      const ran = await page.evaluate(async () => {
        const inline = document.createElement('script');
        inline.textContent = 'window.__inline = 1';
        document.body.append(inline);
        const foreign = document.createElement('script');
        foreign.src = 'http://127.0.0.2:9/x.js';
        document.body.append(foreign);
        await new Promise((r) => setTimeout(r, 100));
        return { inline: window.__inline, violations: window.__violations };
      });
      assert.equal(ran.inline, undefined);
      assert.ok(
        ran.violations.some((v) => v.startsWith('script-src')),
        `no script-src violation reported: ${JSON.stringify(ran.violations)}`,
      );
      // The refusals are reported on the console and as a blocked request; nothing else is.
      log.consoleErrors = log.consoleErrors.filter((e) => !/Content Security Policy/.test(e));
      assert.deepEqual(log.failedRequests, ['http://127.0.0.2:9/x.js: csp']);
      log.failedRequests = [];
      assertCleanLog(log, 'page');
    } finally {
      await page.close();
    }
  });
});
