// SPDX-License-Identifier: MIT
// The playground embedded in a course page from another origin (examples/course.html served
// on a second port): embed mode at 320 x 240, lock, every request type of the message API, the
// events, hostile messages, and a message from a window that is not the embedding one.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { join } from 'node:path';
import { startServer } from '../../scripts/lib/static-server.mjs';
import { ROOT, assertCleanLog, openPage, startBrowser } from './helpers.mjs';

const TIMEOUT = 20_000;

describe('embedding in a course page', () => {
  let browser;
  let course;
  let page;
  const errors = [];

  before(async () => {
    browser = await startBrowser();
    course = await startServer({ root: join(ROOT, 'examples'), port: 0, policy: null });
    assert.notEqual(new URL(course.url).origin, new URL(browser.url).origin);
    page = await browser.context.newPage();
    page.setDefaultTimeout(TIMEOUT);
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${course.url}course.html?playground=${encodeURIComponent(browser.url)}`);
    // Both figures said they are ready.
    await page.waitForFunction(
      () => [...document.querySelectorAll('.log')].every((l) => /event ready/.test(l.textContent)),
      null,
      { timeout: TIMEOUT },
    );
  });

  after(async () => {
    await page?.close();
    await course?.close();
    await browser?.close();
  });

  /** figures[name].request(type, fields) in the course page: the reply, or { error }. */
  const request = (name, type, fields = {}) =>
    page.evaluate(
      ([n, t, f]) =>
        window.figures[n].request(t, f).then(
          (r) => r,
          (e) => ({ error: e.message }),
        ),
      [name, type, fields],
    );
  /** The playground frame of figure `name` (0: a, 1: b). */
  const frame = (i) =>
    page
      .frames()
      .find(
        (f) =>
          f !== page.mainFrame() &&
          f.url().startsWith(browser.url) &&
          f.parentFrame() === page.mainFrame() &&
          f === page.frames().filter((g) => g.parentFrame() === page.mainFrame())[i],
      );

  test('every request type is answered, and the state event follows a change', async () => {
    const start = await request('a', 'getState');
    assert.equal(start.type, 'result');
    assert.match(start.hash, /embed=1/);
    assert.deepEqual((await request('a', 'pause')).type, 'result');
    assert.equal((await request('a', 'seek', { step: 100 })).step, 100);
    assert.equal((await request('a', 'step', { delta: 5 })).step, 105);
    assert.equal((await request('a', 'step')).step, 106);
    assert.match((await request('a', 'seek', { step: 1e9 })).error, /beyond the race's 300 steps/);
    const results = await request('a', 'getResults');
    assert.deepEqual(
      results.racers.map((r) => [r.method, r.steps, r.diverged]),
      [
        ['sgd_momentum', 300, false],
        ['adam', 300, false],
      ],
    );
    assert.ok(results.racers.every((r) => Number.isFinite(r.finalLoss)));

    // setState: a new race, announced by a state event with its hash.
    await page.evaluate(() => {
      window.__states = [];
      window.figures.a.on('state', (m) => window.__states.push(m.hash));
    });
    const set = await request('a', 'setState', { hash: 'v=1&embed=1&steps=60&r=adam(lr=0.05)' });
    assert.equal(set.type, 'result');
    await page.waitForFunction(() => window.__states.some((h) => /steps=60/.test(h)));
    await page.waitForFunction(() => true);
    let after = null;
    for (let i = 0; i < 50 && !after?.racers; i++) {
      after = await request('a', 'getResults');
      if (after.error) await page.waitForTimeout(100);
    }
    assert.deepEqual(
      after.racers.map((r) => [r.method, r.steps]),
      [['adam', 60]],
    );

    // play, and the finished event at the end.
    await page.evaluate(() => {
      window.__finished = 0;
      window.figures.a.on('finished', () => (window.__finished += 1));
    });
    assert.equal((await request('a', 'seek', { step: 50 })).step, 50);
    assert.equal((await request('a', 'play')).type, 'result');
    await page.waitForFunction(() => window.__finished > 0, null, { timeout: TIMEOUT });
  });

  test("setState reads a chapter's short link as the page does; an unknown one is refused", async () => {
    const set = await request('a', 'setState', { hash: 'v=1&embed=1&ch=momentum&ask=none' });
    assert.equal(set.type, 'result');
    // The chapter's own set-up (a custom double well), written back short.
    assert.equal(set.hash, 'v=1&ch=momentum&ask=none&embed=1');
    assert.equal((await request('a', 'getState')).hash, set.hash);
    const before = set.hash;
    const bad = await request('a', 'setState', { hash: 'v=1&ch=no-such-chapter' });
    assert.match(bad.error, /no chapter "no-such-chapter"/);
    assert.equal((await request('a', 'getState')).hash, before);
  });

  test('a bad setState changes nothing and is answered with what is wrong', async () => {
    const before = await request('a', 'getState');
    const bad = await request('a', 'setState', { hash: 'v=1&steps=0&r=adam(beta1=2)' });
    assert.match(bad.error, /steps/);
    assert.match(bad.error, /beta1/);
    assert.equal((await request('a', 'getState')).hash, before.hash);
  });

  test('hostile messages get an error reply or none, and change nothing', async () => {
    const before = await request('a', 'getState');
    const replies = await page.evaluate(async () => {
      const iframe = document.querySelector('[data-figure=a] iframe');
      const target = new URL(iframe.src).origin;
      const got = [];
      const listen = (e) => {
        if (e.source === iframe.contentWindow && e.data?.id !== undefined) got.push(e.data);
      };
      window.addEventListener('message', listen);
      const api = 'optimizer-playground';
      const send = (m) => iframe.contentWindow.postMessage(m, target);
      send({
        api,
        version: 1,
        id: 'h1',
        type: 'setState',
        hash: '<img src=x onerror="window.__pwned=1">',
      });
      send({ api, version: 2, id: 'h2', type: 'getState' });
      send({ api, version: 1, id: 'h3', type: '__proto__' });
      send({
        api,
        version: 1,
        id: 'x'.repeat(500),
        type: 'getState',
      });
      send({ api, version: 1, id: 'h5', type: 'setState', hash: 'v=1&'.repeat(300000) });
      send({ api, version: 1, id: 'h6', type: 'seek', step: -3 });
      send({ api, version: 1, id: 'h7', type: 'step', delta: 0.5 });
      send('not an object');
      send({ api: 'something else', id: 'h9', type: 'getState' });
      await new Promise((r) => setTimeout(r, 1500));
      window.removeEventListener('message', listen);
      return got.map((m) => ({ id: m.id, type: m.type, message: m.message }));
    });
    const byId = Object.fromEntries(replies.map((r) => [r.id, r]));
    for (const id of ['h1', 'h2', 'h3', 'h5', 'h6', 'h7']) {
      assert.equal(byId[id]?.type, 'error', `${id}: ${JSON.stringify(byId[id])}`);
    }
    assert.match(byId.h2.message, /version/);
    assert.match(byId.h3.message, /type must be one of/);
    // The over-long id is not echoed: its error reply has id null.
    assert.ok(replies.some((r) => r.id === null && /id must be/.test(r.message)));
    assert.equal(byId.h9, undefined, 'a message for another API gets no reply');
    assert.equal((await request('a', 'getState')).hash, before.hash);
    const frames = page.frames().filter((f) => f.parentFrame() === page.mainFrame());
    for (const f of frames) assert.equal(await f.evaluate(() => window.__pwned), undefined);
    assert.deepEqual(errors, []);
  });

  test('a window that does not embed the figure is not answered and changes nothing', async () => {
    const before = await request('a', 'getState');
    // A sibling frame of the course page's origin writes to the playground's frame.
    const got = await page.evaluate(async () => {
      const intruder = document.createElement('iframe');
      document.body.append(intruder);
      const w = intruder.contentWindow;
      const replies = [];
      w.addEventListener('message', (e) => replies.push(e.data));
      // Sent from the intruder's own realm, so that the source is the intruder.
      w.eval(
        `parent.document.querySelector('[data-figure=a] iframe').contentWindow.postMessage(` +
          `{ api: 'optimizer-playground', version: 1, id: 'x2', type: 'setState', hash: 'v=1&steps=7' }, '*')`,
      );
      await new Promise((r) => setTimeout(r, 1000));
      intruder.remove();
      return replies;
    });
    assert.deepEqual(got, [], 'the intruder got no reply');
    assert.equal((await request('a', 'getState')).hash, before.hash);
  });

  test('embed mode fills a 320 x 240 frame; lock keeps the state, playback still works', async () => {
    const frames = page.frames().filter((f) => f.parentFrame() === page.mainFrame());
    await page.evaluate(() => {
      const f = document.querySelector('[data-figure=b] iframe');
      f.width = '320';
      f.height = '240';
    });
    const b = frames[1];
    // A browser draws an iframe only when it is in view.
    await page.locator('[data-figure=b] iframe').scrollIntoViewIfNeeded();
    await b.waitForFunction(() => {
      const r = document.getElementById('landscape').getBoundingClientRect();
      return r.width >= 300 && r.width <= 320;
    });
    const layout = await b.evaluate(() => {
      const r = document.getElementById('landscape').getBoundingClientRect();
      const shown = (sel) => {
        const el = document.querySelector(sel);
        return (
          !!el && getComputedStyle(el).display !== 'none' && el.getBoundingClientRect().height > 0
        );
      };
      return {
        height: r.height,
        top: r.top,
        topbar: shown('.topbar'),
        cards: shown('[data-part=cards]'),
        lab: shown('[data-part=lab]'),
        open: document.getElementById('open-full').href,
        playback: shown('[data-part=playback]'),
      };
    });
    assert.ok(layout.height >= 150 && layout.height <= 240, `figure height ${layout.height}`);
    assert.equal(layout.top, 0);
    assert.equal(layout.topbar, false);
    assert.equal(layout.cards, false);
    assert.equal(layout.lab, false);
    assert.equal(layout.playback, true);
    assert.doesNotMatch(layout.open, /embed=|lock=|hide=/);
    assert.match(layout.open, /fn=quadratic/);

    // Locked: a drag on the figure does not move the start; playback answers.
    const before = await request('b', 'getState');
    const box = await b.locator('#landscape').boundingBox();
    await page.mouse.move(box.x + 50, box.y + 50);
    await page.mouse.down();
    await page.mouse.move(box.x + 120, box.y + 90);
    await page.mouse.up();
    await page.waitForTimeout(300);
    assert.equal((await request('b', 'getState')).hash, before.hash);
    assert.equal((await request('b', 'seek', { step: 10 })).step, 10);
  });

  test('made no request off the local servers', () => {
    assert.deepEqual(browser.external, []);
    assert.deepEqual(errors, []);
  });
});

describe('the Embed dialog', () => {
  let browser;
  before(async () => {
    browser = await startBrowser();
  });
  after(async () => {
    await browser?.close();
  });

  test('gives the iframe code of this state with the chosen options, and previews it', async () => {
    const { page, log } = await openPage(browser.context, `${browser.url}#v=1&fn=beale&r=adam`);
    try {
      await page.locator('#embed-button').click();
      const snippet = () => page.locator('#embed-snippet').inputValue();
      let code = await snippet();
      assert.match(
        code,
        /^<iframe src="[^"]*#v=1&amp;fn=beale&amp;r=adam&amp;embed=1" width="800" height="500"/,
      );
      await page.locator('.embed-parts input[data-part=lab]').uncheck();
      await page.locator('.embed-parts input[data-part=network]').uncheck();
      await page.locator('#embed-lock').check();
      await page.locator('#embed-size').selectOption('0');
      code = await snippet();
      assert.match(code, /embed=1&amp;hide=lab,network&amp;lock=1" width="640" height="400"/);
      // The preview shows exactly that link, embedded.
      const src = /src="([^"]*)"/.exec(code)[1].replaceAll('&amp;', '&');
      await page.waitForFunction(
        (want) => document.getElementById('embed-preview').src === want,
        src,
      );
      const preview = page.frames().find((f) => f.url() === src);
      await preview.waitForFunction(() => document.body.dataset.embed === '1');
      assert.equal(await preview.evaluate(() => document.body.dataset.hide), 'lab network');
      assert.equal(await preview.evaluate(() => document.body.dataset.lock), '1');
      assertCleanLog(log, 'embed dialog page');
    } finally {
      await page.close();
    }
  });
});
