// SPDX-License-Identifier: MIT
// Share links in headless Chromium: valid links round-trip exactly (same hash, same runs), and
// hostile or malformed links are reported in #alert (role=alert) while the page stays usable
// and nothing from the link is executed or inserted as HTML.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  TIMEOUT_MS,
  alertText,
  assertCleanLog,
  canvasStats,
  hashParams,
  hook,
  openPage,
  parseColour,
  racerColours,
  safetySnapshot,
  setValue,
  startBrowser,
  waitHashChange,
} from './helpers.mjs';

const enc = encodeURIComponent;
// Payloads that would set the canary window.__pwned if anything ran them.
const IMG = '<img src=x onerror="window.__pwned=1">';
const SCRIPT = '<script>window.__pwned=1</script>';
const JS_URL = 'javascript:window.__pwned=1';
const SVG = '"><svg onload=window.__pwned=1>';
const ALL = [IMG, SCRIPT, JS_URL, SVG];

/** The contract's example link. */
const CONTRACT_EXAMPLE =
  'v=1&lang=en&fn=rosenbrock&fp=a:1,b:100&view=-2,2,-1,3&start=-1.2,1&steps=300&noise=0.1' +
  '&seed=7&sel=1&r=adam(lr=0.02)@e6194b' +
  '&r=lookahead(k=5,alpha=0.5,inner=adam(lr=0.05))*cosine(t_max=300)@3cb44b';

/**
 * Hostile and malformed links: `hash` (without '#'), `field`: what #alert must name, `check`:
 * further assertions on the loaded page (the rest of the state loaded).
 */
const HOSTILE = [
  {
    name: 'fn: markup, encoded and raw',
    hash: `v=1&fn=${enc(SCRIPT + IMG)}&lang=zh&steps=250`,
    field: /\bfn\b/,
    check: async (page) => {
      assert.equal(await page.locator('#function').inputValue(), 'rosenbrock');
      assert.equal((await hook(page)).steps, 250, 'the rest loads');
      assert.equal(await page.locator('#lang').inputValue(), 'zh');
    },
  },
  {
    name: 'fn: raw markup, not percent-encoded',
    hash: 'v=1&fn=<script>window.__pwned=1</script><img src=x onerror=window.__pwned=1>',
    field: /\bfn\b/,
  },
  {
    name: 'expr: markup and a javascript: URL',
    hash: `v=1&fn=custom&expr=${enc(ALL.join(''))}`,
    field: /\bexpr\b/,
  },
  {
    name: 'expr: JavaScript instead of maths',
    hash: `v=1&fn=custom&expr=${enc('window.__pwned=1;alert(1)')}`,
    field: /\bexpr\b/,
  },
  {
    name: 'r: markup as racers',
    hash: `v=1&${ALL.map((p) => `r=${enc(p)}`).join('&')}&r=sgd(lr=0.001)`,
    field: /r\[0\][\s\S]*r\[1\][\s\S]*r\[2\][\s\S]*r\[3\]/,
    check: async (page) => {
      const { racers } = await hook(page);
      assert.equal(racers.length, 5, 'five racers load');
      assert.equal(racers[4].name, 'sgd');
    },
  },
  {
    name: 'r: javascript: and markup as values and as a choice',
    hash: `v=1&r=adam(lr=${enc(JS_URL)})&r=amsgrad(variant=${enc(IMG)})`,
    field: /(?=[\s\S]*r\[0\]\.lr)(?=[\s\S]*r\[1\]\.variant)/,
  },
  {
    name: 'lang: <script>',
    hash: `v=1&lang=${enc(SCRIPT)}`,
    field: /\blang\b/,
    check: async (page) => assert.equal(await page.locator('#lang').inputValue(), 'en'),
  },
  {
    name: 'colours: markup and javascript: URLs',
    hash: `v=1&${ALL.map((p, i) => `r=adam(lr=0.0${i + 1})@${enc(p)}`).join('&')}`,
    field: /r\[0\][\s\S]*r\[1\][\s\S]*r\[2\][\s\S]*r\[3\]/,
    check: async (page) => {
      const entries = (await hashParams(page)).params.getAll('r');
      assert.equal(entries.length, 4, `four racers: ${entries}`);
      for (const [i, entry] of entries.entries()) {
        assert.match(entry, new RegExp(`^adam\\(lr=0\\.0${i + 1}\\)(@[0-9a-f]{6})?$`));
      }
    },
  },
  {
    name: 'every other field at once',
    hash:
      `v=1&fp=a:${enc(IMG)}&view=${enc(SCRIPT)}&start=${enc(JS_URL)}&steps=${enc(SVG)}` +
      `&noise=${enc(IMG)}&seed=${enc(SCRIPT)}&sel=${enc(JS_URL)}`,
    field:
      /(?=[\s\S]*\bfp\b)(?=[\s\S]*\bview\b)(?=[\s\S]*\bstart\b)(?=[\s\S]*\bsteps\b)(?=[\s\S]*\bnoise\b)(?=[\s\S]*\bseed\b)(?=[\s\S]*\bsel\b)/,
  },
  {
    name: 'unknown keys are ignored and reported',
    hash: `v=1&foo=1&${enc(SCRIPT)}=${enc(IMG)}&steps=250`,
    field: /foo/,
    check: async (page) => assert.equal((await hook(page)).steps, 250),
  },
  {
    name: 'out of range: beta1=1.5, the rest loads',
    hash: 'v=1&fn=beale&steps=400&r=adam(lr=0.01,beta1=1.5)@e6194b&r=sgd(lr=0.004)',
    field: /r\[0\]\.beta1/,
    check: async (page) => {
      assert.equal(await page.locator('#function').inputValue(), 'beale');
      const state = await hook(page);
      assert.equal(state.steps, 400);
      assert.deepEqual(
        state.racers.map((r) => r.name),
        ['adam', 'sgd'],
      );
      const [adam, sgd] = (await hashParams(page)).params.getAll('r');
      assert.match(adam, /^adam\(lr=0\.01\)/, `beta1 dropped, lr kept: ${adam}`);
      assert.match(sgd, /^sgd\(lr=0\.004\)/);
      assert.match(await alertText(page), /1\.5/, 'the alert shows the bad value');
    },
  },
  {
    name: '13 racers: the first 12 load',
    hash: `v=1&${Array.from({ length: 13 }, (_, i) => `r=sgd(lr=${i + 1}e-4)`).join('&')}`,
    field: /\br\b|racer|12/,
    check: async (page) => {
      const state = await hook(page);
      assert.equal(state.racers.length, 12);
      assert.equal(await page.locator('#racers .racer').count(), 12);
      assert.equal(await page.locator('#add-racer').isDisabled(), true);
    },
  },
  {
    name: 'steps=1e9',
    hash: 'v=1&steps=1e9',
    field: /steps/,
    check: async (page) => {
      const { steps } = await hook(page);
      assert.ok(steps >= 1 && steps <= 100000, `steps ${steps}`);
    },
  },
  {
    name: 'a 100 kB hash is ignored: defaults load',
    hash: `v=1&fn=beale&r=${'adam(lr=0.02)'.repeat(8000)}`,
    field: /16384|long|hash|link/i,
    check: async (page) => {
      assert.equal(await page.locator('#function').inputValue(), 'rosenbrock');
      assert.equal((await hook(page)).racers.length, 5);
    },
  },
  {
    name: 'invalid percent-encoding and NUL bytes',
    hash: 'v=1&fn=%E0%A4%A&expr=%&lang=%ZZ&r=%C0%AF&r=adam(lr=0.02%00)&start=%00,%FF',
    field: /./,
  },
  {
    name: 'unbalanced parentheses',
    hash: 'v=1&r=adam(lr=0.02&r=sgd)lr=1(&r=lookahead(inner=adam(lr=0.1)&r=adam)))(((',
    field: /r\[0\][\s\S]*r\[1\][\s\S]*r\[2\][\s\S]*r\[3\]/,
  },
  {
    name: 'unbalanced parentheses in an expression',
    hash: `v=1&fn=custom&expr=${enc('((x + y')}`,
    field: /column\s*\d+/,
  },
  {
    name: 'deep nesting of racers',
    hash: `v=1&r=${'lookahead(inner='.repeat(40)}adam${')'.repeat(40)}`,
    field: /r\[0\]/,
  },
  {
    name: 'very deep nesting (5000 levels, brackets and parentheses)',
    hash:
      `v=1&r=sgd*sequential(schedules=${'['.repeat(3000)}` +
      `&r=${'adam('.repeat(2000)}&fn=custom&expr=${'('.repeat(400)}`,
    field: /r\[0\][\s\S]*r\[1\]/,
  },
  {
    name: 'an expression over 500 characters',
    hash: `v=1&fn=custom&expr=${enc(Array.from({ length: 150 }, () => 'x*y').join('+'))}`,
    field: /expr|expression/,
  },
  {
    name: 'prototype keys',
    hash: 'v=1&r=adam(__proto__=1,constructor=2)&fp=__proto__:1,toString:2&__proto__=1',
    field: /r\[0\]/,
  },
  {
    name: 'lab and mlp: markup and out-of-range values',
    hash:
      `v=1&steps=222&lab=runs:${enc(IMG)},offset:0.25&mlp=hidden:[${enc(SCRIPT)}],` +
      'n:5,dataset:circles',
    field: /(?=[\s\S]*lab\.runs)(?=[\s\S]*mlp\.hidden)(?=[\s\S]*mlp\.n)/,
    check: async (page) => {
      assert.equal((await hook(page)).steps, 222, 'the rest loads');
      assert.equal(await page.locator('#lab-runs').inputValue(), '200', 'runs: the default');
      assert.equal(await page.locator('#lab-offset').inputValue(), '0.25');
      assert.equal(await page.locator('#mlp-hidden').inputValue(), '16,16');
      assert.equal(await page.locator('#mlp-n').inputValue(), '200');
      assert.equal(await page.locator('#mlp-dataset').inputValue(), 'circles');
    },
  },
];

describe('share links (dist/ in headless Chromium)', () => {
  let browser;
  // A clean page's safety snapshot, and the requests of a clean page in each language (the
  // Chinese texts are a module of their own, loaded only for a page shown in Chinese).
  let baseline;

  before(async () => {
    browser = await startBrowser();
    const { page, log } = await openPage(browser.context, browser.url);
    baseline = { safety: await safetySnapshot(page), requests: new Set(log.requests) };
    assertCleanLog(log, 'clean page');
    await page.close();
    const zh = await openPage(browser.context, `${browser.url}#v=1&lang=zh`);
    for (const url of zh.log.requests) baseline.requests.add(url);
    assertCleanLog(zh.log, 'clean page in Chinese');
    await zh.page.close();
  });

  after(async () => {
    await browser?.close();
  });

  test('the contract’s example link loads without an alert and round-trips', async () => {
    const first = await openPage(browser.context, `${browser.url}#${CONTRACT_EXAMPLE}`);
    let second;
    try {
      assertCleanLog(first.log);
      assert.equal(await alertText(first.page), '');
      const state = await hook(first.page);
      assert.deepEqual(
        state.racers.map((r) => r.name),
        ['adam', 'lookahead'],
      );
      assert.equal(state.steps, 300);
      const { hash, params } = await hashParams(first.page);
      assert.equal(params.get('v'), '1');
      assert.equal(params.get('noise'), '0.1');
      assert.equal(params.get('seed'), '7');
      assert.equal(params.get('sel'), '1');
      // Only non-default values are written: the palette's colours for racers 0 and 1 and
      // Lookahead's default k and alpha drop out.
      assert.deepEqual(params.getAll('r'), [
        'adam(lr=0.02)',
        'lookahead(inner=adam(lr=0.05))*cosine(t_max=300)',
      ]);
      assert.deepEqual(await racerColours(first.page), [
        parseColour('#e6194b'),
        parseColour('#3cb44b'),
      ]);
      second = await openPage(browser.context, `${browser.url}${hash}`);
      assert.equal(await second.page.evaluate(() => location.hash), hash, 'same hash');
      assert.deepEqual((await hook(second.page)).racers, state.racers, 'same runs');
    } finally {
      await first.page.close();
      await second?.page.close();
    }
  });

  test('a link using every field round-trips exactly, numbers included', async () => {
    const expression = 'sin(3*x)*cos(y) + 0.1*(x^2 + y^2) - exp(-abs(x*y))/pi';
    const link =
      `v=1&lang=zh&fn=custom&expr=${enc(expression)}&view=-3,3,-2.5,2.5&start=1.5,-0.7000000000000001` +
      '&steps=1234&noise=0.05&seed=4294967295&sel=2' +
      '&r=adam(lr=0.30000000000000004,eps=1e-7)@123456' +
      '&r=sgd(lr=0.01)*multistep(milestones=[100,200],gamma=0.5)@abcdef' +
      '&r=lookahead(k=6,alpha=0.25,inner=adamw(lr=0.005,wd_mode=schedule))*cosine(t_max=1234)' +
      '&r=amsgrad(lr=0.01,variant=paper)';
    const first = await openPage(browser.context, `${browser.url}#${link}`);
    let second;
    try {
      assertCleanLog(first.log);
      assert.equal(await alertText(first.page), '');
      const state = await hook(first.page);
      assert.deepEqual(
        state.racers.map((r) => r.name),
        ['adam', 'sgd', 'lookahead', 'amsgrad'],
      );
      assert.equal(state.steps, 1234);
      assert.equal(await first.page.locator('#lang').inputValue(), 'zh');
      assert.equal(await first.page.locator('#function').inputValue(), 'custom');
      assert.equal(await first.page.locator('#expression').inputValue(), expression);
      assert.equal(await first.page.locator('#noise-seed').inputValue(), '4294967295');
      const { hash, params } = await hashParams(first.page);
      assert.equal(params.get('expr'), expression);
      assert.equal(params.get('start'), '1.5,-0.7000000000000001');
      assert.equal(params.get('view'), '-3,3,-2.5,2.5');
      assert.equal(params.get('seed'), '4294967295');
      const r = params.getAll('r');
      assert.match(r[0], /^adam\(lr=0\.30000000000000004,eps=1e-7\)@123456$/);
      assert.match(
        r[1],
        /^sgd\(lr=0\.01\)\*multistep\(milestones=\[100,200\],gamma=0\.5\)@abcdef$/,
      );
      assert.match(r[2], /^lookahead\(k=6,alpha=0\.25,inner=adamw\(lr=0\.005,wd_mode=schedule\)\)/);
      assert.match(r[3], /^amsgrad\(lr=0\.01,variant=paper\)/);

      second = await openPage(browser.context, `${browser.url}${hash}`);
      assert.equal(await second.page.evaluate(() => location.hash), hash, 'same hash');
      assert.deepEqual((await hook(second.page)).racers, state.racers, 'same runs');
      assert.equal(await alertText(second.page), '');
    } finally {
      await first.page.close();
      await second?.page.close();
    }
  });

  test('a link sets the lab’s and the network’s inputs; editing them updates the link', async () => {
    const link =
      'v=1&fn=twin_basin&lab=runs:500,noise:0.1,offset:0.3,epsilon:0.01' +
      '&mlp=dataset:circles,n:300,noise:0.2,labelNoise:0.1,testFraction:0.25,hidden:[8,4],' +
      'activation:relu,batch:32,steps:150';
    const first = await openPage(browser.context, `${browser.url}#${link}`);
    let second;
    try {
      const { page, log } = first;
      assert.equal(await alertText(page), '');
      const value = (id) => page.locator(id).inputValue();
      assert.equal(await value('#lab-runs'), '500');
      assert.equal(await value('#lab-noise'), '0.1');
      assert.equal(await value('#lab-offset'), '0.3');
      assert.equal(await value('#lab-epsilon'), '0.01');
      assert.equal(await value('#mlp-dataset'), 'circles');
      assert.equal(await value('#mlp-n'), '300');
      assert.equal(await value('#mlp-noise'), '0.2');
      assert.equal(await value('#mlp-label-noise'), '0.1');
      assert.equal(await value('#mlp-test-fraction'), '0.25');
      assert.equal(await value('#mlp-hidden'), '8,4');
      assert.equal(await value('#mlp-activation'), 'relu');
      assert.equal(await value('#mlp-batch'), '32');
      assert.equal(await value('#mlp-steps'), '150');
      // The link is written back as it came (every value differs from its default).
      const { hash, params } = await hashParams(page);
      assert.equal(params.get('lab'), 'runs:500,noise:0.1,offset:0.3,epsilon:0.01');
      assert.equal(
        params.get('mlp'),
        'dataset:circles,n:300,noise:0.2,labelNoise:0.1,testFraction:0.25,hidden:[8,4],' +
          'activation:relu,batch:32,steps:150',
      );

      // Edits go into the link; back to a default drops the entry.
      await setValue(page.locator('#lab-runs'), 200);
      let now = await waitHashChange(page, hash);
      assert.equal(
        new URLSearchParams(now.slice(1)).get('lab'),
        'noise:0.1,offset:0.3,epsilon:0.01',
      );
      await setValue(page.locator('#mlp-hidden'), '16, 16');
      now = await waitHashChange(page, now);
      assert.equal(
        new URLSearchParams(now.slice(1)).get('mlp'),
        'dataset:circles,n:300,noise:0.2,labelNoise:0.1,testFraction:0.25,activation:relu,' +
          'batch:32,steps:150',
      );
      // An invalid edit (a width of 0) leaves the link at the last valid inputs.
      await setValue(page.locator('#mlp-hidden'), '0');
      await page.waitForTimeout(300);
      assert.equal(await page.evaluate(() => location.hash), now);

      // The edited link opens with the edited inputs.
      second = await openPage(browser.context, `${browser.url}${now}`);
      assert.equal(await second.page.locator('#lab-runs').inputValue(), '200');
      assert.equal(await second.page.locator('#lab-offset').inputValue(), '0.3');
      assert.equal(await second.page.locator('#mlp-hidden').inputValue(), '16,16');
      assert.equal(await second.page.locator('#mlp-n').inputValue(), '300');
      assert.equal(await second.page.evaluate(() => location.hash), now, 'same hash');
      assertCleanLog(log, 'lab link page');
      assertCleanLog(second.log, 'edited lab link page');
    } finally {
      await first.page.close();
      await second?.page.close();
    }
  });

  test('a link pasted into an open page (hashchange) is checked the same way', async () => {
    const { page, log } = await openPage(browser.context, browser.url);
    try {
      const hostile = `#v=1&fn=${enc(SCRIPT)}&r=adam(lr=0.05)@${enc(IMG)}&lang=${enc(JS_URL)}`;
      await page.evaluate((h) => {
        location.hash = h;
      }, hostile);
      await page.waitForFunction(() => document.getElementById('alert').innerText.trim() !== '');
      const message = await alertText(page);
      assert.match(message, /(?=[\s\S]*\bfn\b)(?=[\s\S]*r\[0\])(?=[\s\S]*\blang\b)/, message);
      await page.waitForFunction(() => window.__playground.racers.length === 1);
      const safety = await safetySnapshot(page);
      assert.equal(safety.pwned, undefined);
      assert.equal(safety.scripts, baseline.safety.scripts);
      assert.deepEqual(safety.handlers, []);
      assert.deepEqual(log.dialogs, []);
      assert.deepEqual(log.errors, []);

      // A valid link afterwards loads and clears the alert.
      await page.evaluate(() => {
        location.hash = '#v=1&fn=himmelblau&r=sgd(lr=0.01)&r=adam(lr=0.1)';
      });
      await page.waitForFunction(() => window.__playground.racers.length === 2);
      assert.equal(await page.locator('#function').inputValue(), 'himmelblau');
      await page.waitForFunction(() => document.getElementById('alert').innerText.trim() === '');
    } finally {
      await page.close();
    }
  });

  test('a link navigated to while the page writes its own link is not lost', async () => {
    const { page, log } = await openPage(browser.context, `${browser.url}#v=1&fn=rosenbrock`);
    try {
      // The page's own write (a pending replaceState of its link) lands between the navigation
      // and its hashchange event: the event still carries the link navigated to.
      await page.evaluate(() => {
        const own = window.__playground.hash;
        location.hash = '#v=1&fn=booth&steps=123&r=adam';
        history.replaceState(null, '', own);
      });
      await page.waitForFunction(() => window.__playground.steps === 123, null, {
        timeout: 10_000,
      });
      assert.equal(await page.locator('#function').inputValue(), 'booth');
      await page.waitForFunction(() => /[&#]fn=booth(&|$)/.test(location.hash));
      assertCleanLog(log, 'navigation during a link write');
    } finally {
      await page.close();
    }
  });

  // Independent pages: three at a time keeps the suite short.
  describe('hostile links', { concurrency: 3 }, () => {
    for (const c of HOSTILE) {
      test(c.name, async () => {
        const started = Date.now();
        const { page, log } = await openPage(browser.context, `${browser.url}#${c.hash}`);
        try {
          const loadMs = Date.now() - started;
          assert.ok(loadMs < TIMEOUT_MS, `ready after ${loadMs} ms`);
          assert.equal(await page.locator('body').getAttribute('data-ready'), 'true');
          assert.equal((await hook(page)).ready, true);

          const message = await alertText(page);
          assert.notEqual(message, '', '#alert shows the problem');
          assert.match(message, c.field, `#alert names the field: ${message.slice(0, 500)}`);

          // Nothing ran, nothing was inserted.
          assert.deepEqual(log.dialogs, [], 'no dialog');
          assert.deepEqual(log.errors, [], 'no page error');
          const safety = await safetySnapshot(page);
          assert.equal(safety.pwned, undefined, 'window.__pwned is not set');
          assert.equal(safety.scripts, baseline.safety.scripts, 'no new script element');
          assert.deepEqual(safety.handlers, [], 'no inline event handler attribute');
          assert.deepEqual(safety.jsUrls, [], 'no javascript: URL attribute');
          for (const kind of ['img', 'iframe', 'object', 'base', 'meta', 'form']) {
            assert.equal(safety.risky[kind], baseline.safety.risky[kind], `no new ${kind}`);
          }
          assert.equal(safety.protoKeys, baseline.safety.protoKeys, 'Object.prototype untouched');
          const extra = log.requests.filter(
            (url) => !baseline.requests.has(url) && !url.startsWith('data:'),
          );
          assert.deepEqual(extra, [], 'no request beyond a clean page’s');

          // The page stays usable: drawn, and the controls work.
          const stats = await canvasStats(page, '#landscape');
          assert.ok(stats.distinct > 1000, `surface drawn (${stats.distinct} colours)`);
          if ((await page.locator('#play').getAttribute('aria-pressed')) === 'true') {
            await page.locator('#play').click();
          }
          await page.locator('#reset').click();
          await page.waitForFunction(() => window.__playground.step === 0);
          await page.locator('#step-forward').click();
          await page.waitForFunction(() => window.__playground.step === 1);
          if (c.check) await c.check(page);
          assert.deepEqual(log.dialogs, [], 'no dialog');
          assert.deepEqual(log.errors, [], 'no page error');
        } finally {
          await page.close();
        }
      });
    }
  });

  test('made no request off the local server', () => {
    assert.deepEqual(browser.external, []);
  });
});
