// SPDX-License-Identifier: MIT
// The playground page (dist/) in headless Chromium, offline, against the page contract
// (issue 3): a new user's first view, the drawn surface and paths (pixels read back), the start
// point by mouse and touch, sliders and the copied link, surface controls, playback, keyboard,
// reduced motion, charts, racers, noise, languages, custom expressions, a missing module, and
// screenshots at phone and desktop sizes in screenshots/ (ignored by git).

import assert from 'node:assert/strict';
import { cp, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startServer } from '../../scripts/lib/static-server.mjs';
import {
  DEFAULT_METHODS,
  DIST,
  PALETTE,
  SCREENSHOTS,
  TIMEOUT_MS,
  alertText,
  assertCleanLog,
  canvasStats,
  diffCanvas,
  hashParams,
  hook,
  openPage,
  parseColour,
  pause,
  racerColours,
  scrubTo,
  setValue,
  snapCanvas,
  startBrowser,
  waitHashChange,
  waitRacersChange,
  waitReady,
} from './helpers.mjs';

/** Chinese characters (CJK Unified Ideographs and extension A). */
const CJK = /[\u3400-\u9fff]/;
/** A smooth heat map with contour lines has thousands of colours; a blank canvas has one. */
const MIN_SURFACE_COLOURS = 1000;

/** Waits for the next two animation frames in the page (lets a redraw happen). */
function frames(page, n = 2) {
  return page.evaluate(
    (count) =>
      new Promise((resolve) => {
        const tick = (k) => (k === 0 ? resolve() : requestAnimationFrame(() => tick(k - 1)));
        tick(count);
      }),
    n,
  );
}

/**
 * Waits until the canvas shows the surface of the current function and view: a new surface
 * is computed, painted and shown in up to three frames, so a count of frames is not enough.
 */
function surfaceShown(page) {
  return page.waitForFunction(() => window.__playground.surfaceShown === true);
}

/** "x,y" of the start= parameter as numbers, or null. */
function parseStart(params) {
  const text = params.get('start');
  if (text === null) return null;
  const parts = text.split(',').map(Number);
  return parts.length === 2 && parts.every(Number.isFinite) ? parts : null;
}

/**
 * Pixels of each colour that the paths add between step 0 and the last step (paused), found by
 * comparing the canvas at both steps: the surface is the same in both and drops out.
 */
async function pathPixels(page, colours) {
  await pause(page);
  await scrubTo(page, 0);
  await frames(page);
  await snapCanvas(page, '#landscape', 'step0');
  await scrubTo(page, (await hook(page)).steps);
  await frames(page);
  const diff = await diffCanvas(page, '#landscape', 'step0', colours);
  assert.ok(diff.sameSize, 'canvas size unchanged by scrubbing');
  return diff.byColour;
}

/** The racers' run outcomes as a string, for "did the paths change" comparisons. */
async function racersKey(page) {
  return JSON.stringify((await hook(page)).racers);
}

describe('playground page (dist/ in headless Chromium)', () => {
  let browser;
  let first; // the page as a new user opens it, no hash

  before(async () => {
    browser = await startBrowser();
    first = await openPage(browser.context, browser.url);
  });

  after(async () => {
    await browser?.close();
  });

  // Each test below has its own page (or only reads the first one): two run at a time.
  describe('features', { concurrency: 2 }, () => {
    test('opens with no console errors, page errors or failed requests, and is ready', async () => {
      const { page, log } = first;
      assertCleanLog(log);
      assert.equal(await page.locator('body').getAttribute('data-ready'), 'true');
      const state = await hook(page);
      assert.ok(state, 'window.__playground exists');
      assert.equal(state.ready, true, '__playground.ready');
      assert.equal(await page.title(), 'Optimizer Playground');
      assert.equal(await alertText(page), '', '#alert is empty and hidden on a clean start');
      assert.equal(await page.locator('#alert').getAttribute('role'), 'alert');
      // After the first figure the core's code warms up: ten runs of each of the five racers.
      await page.waitForFunction(() => window.__playground.warmed === 50, null, {
        timeout: 10_000,
      });
    });

    test('a new user sees five racers on Rosenbrock, 300 steps, in English', async () => {
      const { page } = first;
      assert.equal(await page.locator('#function').inputValue(), 'rosenbrock');
      assert.equal(await page.locator('#racers .racer').count(), 5);
      const methods = await page
        .locator('#racers .racer select.method')
        .evaluateAll((els) => els.map((el) => el.value));
      assert.deepEqual(methods, DEFAULT_METHODS);
      const state = await hook(page);
      assert.deepEqual(
        state.racers.map((r) => r.name),
        DEFAULT_METHODS,
      );
      assert.equal(state.steps, 300);
      for (const r of state.racers) {
        assert.equal(r.diverged, false, `${r.name} diverged`);
        assert.equal(typeof r.finalLoss, 'number', `${r.name} finalLoss ${r.finalLoss}`);
        // Each preset's rate moves on Rosenbrock: below f(-1.2, 1) = 24.2 after 300 steps.
        assert.ok(r.finalLoss < 24.2, `${r.name} finalLoss ${r.finalLoss} (start 24.2)`);
      }
      assert.equal(await page.locator('#lang').inputValue(), 'en');
      assert.equal(state.hash, await page.evaluate(() => location.hash), '__playground.hash');
    });

    test('the canvas shows the surface and every racer’s path in its colour', async () => {
      const { page } = await openPage(browser.context, browser.url);
      try {
        await pause(page);
        const stats = await canvasStats(page, '#landscape');
        assert.ok(stats, '#landscape canvas exists');
        assert.ok(stats.width > 300 && stats.height > 200, `canvas ${stats.width}x${stats.height}`);
        const dpr = await page.evaluate(() => devicePixelRatio);
        assert.ok(
          Math.abs(stats.width - stats.cssWidth * dpr) <= 2,
          `buffer ${stats.width} = CSS ${stats.cssWidth} x dpr ${dpr}`,
        );
        assert.ok(stats.distinct > MIN_SURFACE_COLOURS, `${stats.distinct} distinct colours`);

        // Paths: what the last step adds to step 0 (the heat map is the same in both), by colour.
        // Together the paths overlap near the start, so each racer is also drawn alone below.
        const colours = await racerColours(page);
        assert.equal(colours.length, 5);
        const drawn = await pathPixels(page, colours);
        const names = (await hook(page)).racers.map((r) => r.name);
        for (const [i, count] of drawn.entries()) {
          assert.ok(count >= 5, `racer ${i} (${names[i]}) visible: ${count} pixels; all: ${drawn}`);
        }
        assert.ok(
          drawn.reduce((a, b) => a + b) > 1000,
          `${drawn} new pixels of the racers' colours`,
        );
      } finally {
        await page.close();
      }
    });

    test('each default racer alone draws its path in its palette colour', async () => {
      const presets = [
        'sgd_momentum(lr=0.002)',
        'adam(lr=0.02)',
        'rmsprop(lr=0.01)',
        'adagrad(lr=0.5)',
        'sgd(lr=0.002)',
      ];
      const counts = await Promise.all(
        presets.map(async (spec, i) => {
          const colour = PALETTE[i].slice(1);
          const { page, log } = await openPage(
            browser.context,
            `${browser.url}#v=1&r=${spec}@${colour}`,
          );
          try {
            assertCleanLog(log, spec);
            const colours = await racerColours(page);
            assert.deepEqual(colours, [parseColour(PALETTE[i])], `${spec}: swatch colour`);
            return (await pathPixels(page, colours))[0];
          } finally {
            await page.close();
          }
        }),
      );
      for (const [i, count] of counts.entries()) {
        assert.ok(count >= 100, `${presets[i]} alone: ${count} pixels of ${PALETTE[i]}`);
      }
    });

    test('draws at devicePixelRatio 2 into a buffer twice the CSS size', async () => {
      const { page, log } = await openPage(browser.context, browser.url, {
        setup: async (p) => {
          const cdp = await p.context().newCDPSession(p);
          await cdp.send('Emulation.setDeviceMetricsOverride', {
            width: 1000,
            height: 800,
            deviceScaleFactor: 2,
            mobile: false,
          });
        },
      });
      try {
        assertCleanLog(log);
        assert.equal(await page.evaluate(() => devicePixelRatio), 2);
        const stats = await canvasStats(page, '#landscape');
        assert.ok(
          Math.abs(stats.width - 2 * stats.cssWidth) <= 2,
          `buffer ${stats.width} = 2 x CSS ${stats.cssWidth}`,
        );
        assert.ok(stats.distinct > MIN_SURFACE_COLOURS, `${stats.distinct} colours`);
      } finally {
        await page.close();
      }
    });

    test('a dragged start of a pooled race is drawn with its own paths, not over the old ones', async () => {
      // 12 racers x 10000 steps run in the Worker pool. After a pause in the drag the next
      // move's frames wait for its paths (up to 50 ms from the first frame held): a frame drawn
      // before that would show the marker at the new start over the old start's paths.
      const racers = ['adam', 'sgd_momentum', 'rmsprop', 'adagrad', 'sgd', 'nag'];
      const hash = `#v=1&steps=10000&${[...racers, ...racers].map((r) => `r=${r}`).join('&')}`;
      const { page, log } = await openPage(browser.context, `${browser.url}${hash}`);
      try {
        await page.waitForFunction(
          () =>
            window.__playground.racers.length === 12 &&
            window.__playground.racers.every((r) => r.steps === 10000 || r.diverged),
          null,
          { timeout: TIMEOUT_MS },
        );
        await pause(page);
        const box = await page.locator('#landscape').boundingBox();
        const settled = () =>
          page.waitForFunction(
            () =>
              window.__playground.pathsFor ===
              JSON.stringify(window.__playground.store.get().start),
            null,
            { timeout: TIMEOUT_MS },
          );
        await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.55);
        await page.mouse.down();
        await settled();
        // The pause: the figure has drawn nothing for longer than it would ever wait.
        await page.waitForTimeout(300);
        // Every frame after this, once its work is done: its time (the one the page's frame
        // loop is given), whether it drew, and what (the starts of its paths and of its
        // marker; the store's start may have moved on after the frame, as a move can arrive
        // between a frame's drawing and this record).
        const before = await page.evaluate(() => {
          const p = window.__playground;
          window.__held = [];
          const channel = new MessageChannel();
          channel.port1.onmessage = (event) =>
            window.__held.push({
              at: event.data,
              draws: p.timings.draws,
              paths: p.pathsFor,
              marker: JSON.stringify(p.startDrawn),
              start: JSON.stringify(p.store.get().start),
            });
          const tick = (now) => {
            channel.port2.postMessage(now);
            if (window.__held.length < 1200) requestAnimationFrame(tick);
          };
          requestAnimationFrame(tick);
          return JSON.stringify(p.store.get().start);
        });
        // A frame or two recorded before the move.
        await frames(page);
        await page.mouse.move(box.x + box.width * 0.4, box.y + box.height * 0.55);
        await settled();
        await frames(page);
        const held = await page.evaluate(() => window.__held);
        const moved = held.findIndex((f) => f.start !== before);
        assert.ok(moved > 0, `the move reached the store after a recorded frame (${moved})`);
        const mixed = held.filter(
          (f, k) => k >= moved && f.draws > held[k - 1].draws && f.paths !== f.marker,
        );
        for (const f of mixed) {
          // Only once the hold has run out (a slow machine), never in the move's own frames.
          assert.ok(
            f.at - held[moved].at >= 50,
            `a frame ${(f.at - held[moved].at).toFixed(1)} ms after the move drew the new start over the old paths`,
          );
        }
        assert.ok(
          held.some(
            (f, k) =>
              k >= moved &&
              f.draws > held[k - 1].draws &&
              f.paths === f.start &&
              f.marker === f.start,
          ),
          'a frame drew the new paths',
        );
        await page.mouse.up();
        assertCleanLog(log);
      } finally {
        await page.close();
      }
    });

    test('clicking the canvas moves the start; dragging it updates the hash and the paths', async () => {
      const { page, log } = await openPage(browser.context, browser.url);
      try {
        await pause(page);
        const canvas = page.locator('#landscape');
        const box = await canvas.boundingBox();
        const at = (fx, fy) => [box.x + fx * box.width, box.y + fy * box.height];

        // Click left of and below the view's centre (0, 1) of Rosenbrock's domain.
        let hash = await page.evaluate(() => location.hash);
        let racers = await racersKey(page);
        const [cx, cy] = at(0.25, 0.7);
        await page.mouse.click(cx, cy);
        hash = await waitHashChange(page, hash);
        const clicked = parseStart(new URLSearchParams(hash.slice(1)));
        assert.ok(clicked, `start= in ${hash}`);
        assert.ok(clicked[0] < 0 && clicked[1] < 1, `clicked start ${clicked}`);
        await waitRacersChange(page, racers);
        racers = await racersKey(page);

        // Drag the start marker (now under the pointer) up and to the right.
        const historyBefore = await page.evaluate(() => history.length);
        const [tx, ty] = at(0.65, 0.35);
        await page.mouse.move(cx, cy);
        await page.mouse.down();
        // While the start is dragged only the figure changes: any other change of the page
        // (text, attributes, a section mounting) would cost every frame a layout.
        await page.evaluate(() => {
          window.__dragChanges = [];
          window.__dragObserver = new MutationObserver((records) => {
            for (const r of records) {
              const el = r.target.nodeType === 1 ? r.target : r.target.parentElement;
              if (el?.closest('#landscape')) continue;
              window.__dragChanges.push(
                `${r.type} ${el?.tagName}#${el?.id ?? ''}${r.attributeName ? ` [${r.attributeName}]` : ''}`,
              );
            }
          });
          window.__dragObserver.observe(document.body, {
            subtree: true,
            childList: true,
            attributes: true,
            characterData: true,
          });
        });
        const seen = new Set();
        const moves = 6;
        for (let k = 1; k <= moves; k++) {
          await page.mouse.move(cx + ((tx - cx) * k) / moves, cy + ((ty - cy) * k) / moves);
          await frames(page);
          // While dragging, the link follows the start at most every 400 ms
          // (DRAG_HASH_INTERVAL_MS): it catches up with each move.
          await page.waitForFunction(
            () => {
              const start = new URLSearchParams(location.hash.slice(1)).get('start');
              return start?.split(',').map(Number).join() === window.__playground.start.join();
            },
            null,
            { timeout: 2000 },
          );
          seen.add((await hashParams(page)).params.get('start'));
        }
        const changes = await page.evaluate(() => {
          window.__dragObserver.disconnect();
          return window.__dragChanges;
        });
        assert.deepEqual(changes, [], 'nothing but the figure changes during a drag');
        await page.mouse.up();
        await frames(page);
        const dragged = parseStart((await hashParams(page)).params);
        assert.ok(dragged[0] > clicked[0] && dragged[1] > clicked[1], `dragged to ${dragged}`);
        assert.ok(dragged[0] > 0 && dragged[1] > 1, `dragged start ${dragged}`);
        assert.ok(seen.size >= 3, `the hash followed the drag: ${[...seen].join(' | ')}`);
        const historyAfter = await page.evaluate(() => history.length);
        assert.ok(
          historyAfter - historyBefore <= 1,
          `history grew by ${historyAfter - historyBefore} during one drag (replace, not push)`,
        );
        await waitRacersChange(page, racers);

        // The caption and the cards' lines, which wait while the start is dragged, describe
        // the dragged start's runs once the drag ends: as a fresh page at the same link does.
        const texts = (p) =>
          p.evaluate(() => [
            document.getElementById('caption').textContent,
            [...document.querySelectorAll('.racer-status')].map((e) => e.textContent),
          ]);
        const steps = await page.evaluate(() => window.__playground.steps);
        await page.waitForFunction((s) => window.__playground.step === s, steps);
        await frames(page);
        const after = await texts(page);
        const fresh = await openPage(browser.context, await page.evaluate(() => location.href));
        try {
          await pause(fresh.page);
          await scrubTo(fresh.page, steps);
          await frames(fresh.page);
          assert.deepEqual(after, await texts(fresh.page), 'texts after the drag');
        } finally {
          await fresh.page.close();
        }
        assertCleanLog(log);
      } finally {
        await page.close();
      }
    });

    test('touch: one finger moves the start, a two-finger pinch zooms without moving it', async () => {
      const { page, log } = await openPage(browser.context, browser.url, {
        setup: (p) => p.setViewportSize({ width: 375, height: 740 }),
      });
      try {
        await pause(page);
        const cdp = await page.context().newCDPSession(page);
        await cdp.send('Emulation.setTouchEmulationEnabled', { enabled: true, maxTouchPoints: 5 });
        const box = await page.locator('#landscape').boundingBox();
        const at = (fx, fy, id = 0) => ({
          x: box.x + fx * box.width,
          y: box.y + fy * box.height,
          id,
        });
        const touch = async (type, touchPoints) => {
          await cdp.send('Input.dispatchTouchEvent', { type, touchPoints });
          await frames(page, 1);
        };

        let hash = await page.evaluate(() => location.hash);
        await touch('touchStart', [at(0.3, 0.7)]);
        for (let k = 1; k <= 5; k++) await touch('touchMove', [at(0.3 + 0.05 * k, 0.7 - 0.06 * k)]);
        await touch('touchEnd', []);
        hash = await waitHashChange(page, hash);
        const dragged = parseStart(new URLSearchParams(hash.slice(1)));
        assert.ok(dragged, `one-finger drag wrote start= (${hash})`);

        // Two fingers spread apart around the centre: zoom in, start unchanged.
        await touch('touchStart', [at(0.45, 0.5, 1), at(0.55, 0.5, 2)]);
        for (let k = 1; k <= 5; k++) {
          await touch('touchMove', [at(0.45 - 0.05 * k, 0.5, 1), at(0.55 + 0.05 * k, 0.5, 2)]);
        }
        await touch('touchEnd', []);
        await page.waitForFunction(() => new URLSearchParams(location.hash.slice(1)).has('view'));
        const after = new URLSearchParams((await page.evaluate(() => location.hash)).slice(1));
        const [xmin, xmax] = after.get('view').split(',').map(Number);
        assert.ok(xmax - xmin < 4, `zoomed in: view ${after.get('view')} (domain width 4)`);
        assert.deepEqual(parseStart(after), dragged, 'the pinch did not move the start point');
        await cdp.detach();
        assertCleanLog(log);
      } finally {
        await page.close();
      }
    });

    test('moving Adam’s lr slider changes the hash; opening that link restores the state', async () => {
      const { page, log } = await openPage(browser.context, browser.url);
      let restored;
      try {
        const adam = page.locator('#racers .racer').filter({
          has: page.locator('select.method option:checked[value="adam"]'),
        });
        assert.equal(await adam.count(), 1, 'one Adam racer by default');
        const slider = adam.locator('input[type=range][data-param="lr"]');
        assert.equal(await slider.count(), 1, 'Adam has an lr range input');
        const hash = await page.evaluate(() => location.hash);
        const racers = await racersKey(page);
        const { min, max, value } = await slider.evaluate((el) => ({
          min: Number(el.min || 0),
          max: Number(el.max || 100),
          value: Number(el.value),
        }));
        const target = value < (min + max) / 2 ? min + 0.8 * (max - min) : min + 0.2 * (max - min);
        await setValue(slider, target);
        const changed = await waitHashChange(page, hash);
        const adamEntry = new URLSearchParams(changed.slice(1))
          .getAll('r')
          .find((r) => r.startsWith('adam('));
        assert.ok(adamEntry, `an adam racer in ${changed}`);
        const lr = Number(/[(,]lr=([^,)]+)/.exec(adamEntry)?.[1]);
        assert.ok(Number.isFinite(lr) && lr > 0 && lr !== 0.02, `adam lr ${lr} in ${adamEntry}`);
        await waitRacersChange(page, racers);
        const before = await hook(page);
        assert.equal(before.hash, changed, '__playground.hash follows location.hash');
        const sliderValue = await slider.inputValue();
        assertCleanLog(log);

        // "Copy link", then the same experiment in a new tab.
        await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], {
          origin: new URL(browser.url).origin,
        });
        await page.locator('#copy-link').click();
        await page.waitForFunction(() =>
          /Copied/.test(document.getElementById('copy-link').textContent),
        );
        const copied = await page.evaluate(() => navigator.clipboard.readText());
        assert.equal(copied, page.url(), 'the clipboard holds the page’s address');
        assert.equal(new URL(copied).hash, changed);
        restored = await openPage(browser.context, copied);
        const after = await hook(restored.page);
        assert.equal(await restored.page.evaluate(() => location.hash), changed, 'same hash');
        assert.deepEqual(after.racers, before.racers, 'same racers and final losses');
        assert.equal(after.steps, before.steps);
        const restoredSlider = restored.page
          .locator('#racers .racer')
          .filter({ has: restored.page.locator('select.method option:checked[value="adam"]') })
          .locator('input[type=range][data-param="lr"]');
        assert.equal(await restoredSlider.inputValue(), sliderValue, 'slider position restored');
        assert.equal(await alertText(restored.page), '');
        assertCleanLog(restored.log, 'restored page');
      } finally {
        await page.close();
        await restored?.page.close();
      }
    });

    test('surface controls: function and its parameters, steps, zoom and reset view, selection', async () => {
      const { page, log } = await openPage(browser.context, browser.url);
      try {
        await pause(page);
        let hash = await page.evaluate(() => location.hash);
        let racers = await racersKey(page);
        await page.locator('#function').selectOption('quadratic');
        hash = await waitHashChange(page, hash);
        assert.equal(new URLSearchParams(hash.slice(1)).get('fn'), 'quadratic');
        racers = JSON.stringify(await waitRacersChange(page, racers));
        const angle = page.locator('#function-params input[data-param="angle"]').last();
        await setValue(angle, '30');
        hash = await waitHashChange(page, hash);
        assert.match(new URLSearchParams(hash.slice(1)).get('fp') ?? '', /(^|,)angle:30(,|$)/);
        racers = JSON.stringify(await waitRacersChange(page, racers));

        await setValue(page.locator('#steps'), '500');
        await page.waitForFunction(() => window.__playground.steps === 500);
        assert.equal(await page.locator('#scrubber').getAttribute('max'), '500');
        hash = await page.evaluate(() => location.hash);
        assert.equal(new URLSearchParams(hash.slice(1)).get('steps'), '500');

        // Wheel zoom writes a view; "reset view" goes back to the function's domain.
        const box = await page.locator('#landscape').boundingBox();
        await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
        await page.mouse.wheel(0, -400);
        await page.waitForFunction(() => new URLSearchParams(location.hash.slice(1)).has('view'));
        await page.locator('#reset-view').click();
        await page.waitForFunction(() => !new URLSearchParams(location.hash.slice(1)).has('view'));

        // Clicking a racer's card selects it for the state chart.
        const card = page.locator('#racers .racer').nth(2);
        const size = await card.boundingBox();
        await card.click({ position: { x: 8, y: size.height / 2 } });
        await page.waitForFunction(
          () => new URLSearchParams(location.hash.slice(1)).get('sel') === '2',
        );
        // Only the selected racer records its state series: the newly selected one has them.
        await page.waitForFunction(() => {
          const select = document.getElementById('state-series');
          return !select.disabled && select.options.length > 0;
        });
        const series = await page
          .locator('#state-series option')
          .evaluateAll((options) => options.map((o) => o.value));
        assert.ok(series.length > 1, `state series of the selected racer: ${series}`);
        assertCleanLog(log);
      } finally {
        await page.close();
      }
    });

    test('playback: play/pause, step forward and back, scrubber', async () => {
      const { page } = await openPage(browser.context, browser.url);
      try {
        await pause(page);
        assert.equal(await page.locator('#play').getAttribute('aria-pressed'), 'false');
        const steps = (await hook(page)).steps;
        assert.equal(await page.locator('#scrubber').getAttribute('type'), 'range');
        assert.equal(await page.locator('#speed').getAttribute('type'), 'range');
        assert.equal(await page.locator('#scrubber').getAttribute('max'), String(steps));
        await page.locator('#reset').click();
        await page.waitForFunction(() => window.__playground.step === 0);

        await page.locator('#play').click();
        assert.equal(await page.locator('#play').getAttribute('aria-pressed'), 'true');
        await page.waitForFunction(() => window.__playground.step > 0, null, { timeout: 5000 });
        await page.locator('#play').click();
        assert.equal(await page.locator('#play').getAttribute('aria-pressed'), 'false');

        await scrubTo(page, 120);
        assert.match(await page.locator('#step-label').textContent(), /120/);
        await page.locator('#step-forward').click();
        await page.waitForFunction(() => window.__playground.step === 121);
        await page.locator('#step-back').click();
        await page.locator('#step-back').click();
        await page.waitForFunction(() => window.__playground.step === 119);
        assert.equal(await page.locator('#scrubber').inputValue(), '119', 'scrubber follows');
        await page.locator('#reset').click();
        await page.waitForFunction(() => window.__playground.step === 0);
        await page.locator('#step-back').click();
        await frames(page);
        assert.equal((await hook(page)).step, 0, 'no step before 0');
        await scrubTo(page, steps);
        await page.locator('#step-forward').click();
        await frames(page);
        assert.equal((await hook(page)).step, steps, `no step after ${steps}`);
      } finally {
        await page.close();
      }
    });

    test('prefers-reduced-motion: the race does not animate by itself', async () => {
      const { page, log } = await openPage(browser.context, browser.url, {
        setup: (p) => p.emulateMedia({ reducedMotion: 'reduce' }),
      });
      try {
        assert.equal(
          await page.evaluate(() => matchMedia('(prefers-reduced-motion: reduce)').matches),
          true,
        );
        const before = (await hook(page)).step;
        await page.waitForTimeout(400);
        assert.equal(await page.locator('#play').getAttribute('aria-pressed'), 'false');
        assert.equal((await hook(page)).step, before, 'the step stays put');
        assertCleanLog(log);
      } finally {
        await page.close();
      }
    });

    test('keyboard: space plays and pauses, arrows step, r resets, ? and Escape for help', async () => {
      const { page } = await openPage(browser.context, browser.url);
      try {
        await pause(page);
        await scrubTo(page, 50);
        await page.evaluate(() => document.activeElement?.blur());
        await page.keyboard.press('ArrowRight');
        await page.waitForFunction(() => window.__playground.step === 51);
        await page.keyboard.press('ArrowLeft');
        await page.keyboard.press('ArrowLeft');
        await page.waitForFunction(() => window.__playground.step === 49);
        await page.keyboard.press('r');
        await page.waitForFunction(() => window.__playground.step === 0);

        await page.keyboard.press('Space');
        await page.waitForFunction(
          () => document.getElementById('play').getAttribute('aria-pressed') === 'true',
        );
        await page.waitForFunction(() => window.__playground.step > 0, null, { timeout: 5000 });
        await page.keyboard.press('Space');
        await page.waitForFunction(
          () => document.getElementById('play').getAttribute('aria-pressed') === 'false',
        );

        const help = page.locator('#help');
        assert.equal(await help.getAttribute('role'), 'dialog');
        assert.equal(await help.isVisible(), false, 'help starts closed');
        await page.keyboard.press('?');
        await help.waitFor({ state: 'visible', timeout: 3000 });
        const text = await help.textContent();
        for (const key of [/space/i, /→|ArrowRight|right/i, /←|ArrowLeft|left/i, /\br\b|R/]) {
          assert.match(text, key, 'help lists the shortcuts');
        }
        await page.keyboard.press('Escape');
        await help.waitFor({ state: 'hidden', timeout: 3000 });

        // Typing in a text field is not a shortcut.
        await page.locator('#steps').focus();
        const step = (await hook(page)).step;
        await page.keyboard.press('r');
        await frames(page);
        assert.equal((await hook(page)).step, step, '"r" typed into #steps does not reset');
      } finally {
        await page.close();
      }
    });

    test('charts: loss, learning rate and state are drawn uPlot canvases that follow the scrubber', async () => {
      const { page } = await openPage(browser.context, browser.url);
      try {
        await pause(page);
        await scrubTo(page, 60);
        await frames(page);
        const charts = ['#chart-loss', '#chart-lr', '#chart-state'];
        const signature = (sel) =>
          page.locator(sel).evaluate((el) => el.innerHTML.replace(/<canvas[^>]*>/g, ''));
        const before = {};
        for (const sel of charts) {
          const canvas = `${sel} .uplot canvas`;
          assert.equal(await page.locator(canvas).count(), 1, `${sel} holds one uPlot canvas`);
          const stats = await canvasStats(page, canvas);
          assert.ok(
            stats.width > 100 && stats.height > 50,
            `${sel}: ${stats.width}x${stats.height}`,
          );
          assert.ok(stats.opaque > 500, `${sel}: ${stats.opaque} drawn pixels`);
          assert.ok(stats.distinct >= 3, `${sel}: ${stats.distinct} colours`);
          await snapCanvas(page, canvas, `chart${sel}`);
          before[sel] = await signature(sel);
        }
        await scrubTo(page, 240);
        await frames(page);
        for (const sel of charts) {
          const diff = await diffCanvas(page, `${sel} .uplot canvas`, `chart${sel}`);
          const moved = (await signature(sel)) !== before[sel] || diff.equalFraction < 1;
          assert.ok(moved, `${sel}: the scrubber moves a cursor`);
        }
      } finally {
        await page.close();
      }
    });

    test('racers: add, duplicate, remove, at most 12', async () => {
      const { page, log } = await openPage(browser.context, browser.url);
      try {
        const racers = page.locator('#racers .racer');
        const add = page.locator('#add-racer');
        const names = async () => (await hook(page)).racers.map((r) => r.name);
        const rCount = async () => (await hashParams(page)).params.getAll('r').length;

        await add.click();
        await page.waitForFunction(() => window.__playground.racers.length === 6);
        assert.equal(await racers.count(), 6);
        assert.equal(await rCount(), 6, 'six r= entries in the hash');

        const adamsBefore = (await names()).filter((n) => n === 'adam').length;
        await racers.nth(1).locator('.duplicate').click();
        await page.waitForFunction(() => window.__playground.racers.length === 7);
        assert.equal((await names()).filter((n) => n === 'adam').length, adamsBefore + 1);
        assert.equal(await rCount(), 7);

        await racers.nth(0).locator('.remove').click();
        await page.waitForFunction(() => window.__playground.racers.length === 6);
        assert.equal((await names())[0], 'adam', 'the first racer (sgd_momentum) was removed');

        assertCleanLog(log);
      } finally {
        await page.close();
      }
    });

    test('racers: at most 12 (#add-racer disabled at 12)', async () => {
      const eleven = Array.from({ length: 11 }, (_, i) => `r=sgd(lr=${i + 1}e-4)`).join('&');
      const { page, log } = await openPage(browser.context, `${browser.url}#v=1&${eleven}`);
      try {
        const racers = page.locator('#racers .racer');
        const add = page.locator('#add-racer');
        const rCount = async () => (await hashParams(page)).params.getAll('r').length;
        assert.equal(await racers.count(), 11);
        assert.equal(await add.isDisabled(), false, '#add-racer enabled at 11');
        await add.click();
        await page.waitForFunction(() => window.__playground.racers.length === 12);
        assert.equal(await racers.count(), 12);
        assert.equal(await add.isDisabled(), true, '#add-racer disabled at 12');
        assert.equal(await rCount(), 12);
        const colours = await racerColours(page);
        assert.equal(new Set(colours.map(String)).size >= 11, true, `distinct colours ${colours}`);

        await racers.nth(11).locator('.remove').click();
        await page.waitForFunction(() => window.__playground.racers.length === 11);
        assert.equal(await add.isDisabled(), false, '#add-racer enabled again at 11');
        assertCleanLog(log);
      } finally {
        await page.close();
      }
    });

    test('noise: the same seed gives the same paths after a reload, another seed other paths', async () => {
      const { page, log } = await openPage(browser.context, browser.url);
      let again;
      try {
        let hash = await page.evaluate(() => location.hash);
        let racers = await racersKey(page);
        await setValue(page.locator('#noise-level'), '0.5');
        await page.waitForFunction(() => new URLSearchParams(location.hash.slice(1)).has('noise'));
        await setValue(page.locator('#noise-seed'), '7');
        await page.waitForFunction(
          () => new URLSearchParams(location.hash.slice(1)).get('seed') === '7',
        );
        await waitRacersChange(page, racers);
        hash = await page.evaluate(() => location.hash);
        const noisy = await hook(page);
        assert.ok(Number(new URLSearchParams(hash.slice(1)).get('noise')) > 0, hash);

        again = await openPage(browser.context, page.url());
        assert.equal(await again.page.evaluate(() => location.hash), hash);
        assert.deepEqual((await hook(again.page)).racers, noisy.racers, 'same seed, same paths');
        assert.equal(await again.page.locator('#noise-seed').inputValue(), '7');

        racers = await racersKey(page);
        await setValue(page.locator('#noise-seed'), '8');
        await waitHashChange(page, hash);
        const other = await waitRacersChange(page, racers);
        assert.notDeepEqual(other, noisy.racers, 'another seed, other paths');
        assertCleanLog(log);
      } finally {
        await page.close();
        await again?.page.close();
      }
    });

    test('language: switching to Chinese changes the labels, goes into the link, survives a reload', async () => {
      const { page, log } = await openPage(browser.context, browser.url);
      try {
        const labels = ['#add-racer', '#copy-link'];
        for (const sel of labels) {
          assert.doesNotMatch(await page.locator(sel).textContent(), CJK, `${sel} in English`);
        }
        const englishText = await page.locator('body').innerText();
        const hash = await page.evaluate(() => location.hash);
        await page.locator('#lang').selectOption('zh');
        await waitHashChange(page, hash);
        assert.equal((await hashParams(page)).params.get('lang'), 'zh');
        for (const sel of labels) {
          assert.match(await page.locator(sel).textContent(), CJK, `${sel} in Chinese`);
        }
        const chineseText = await page.locator('body').innerText();
        assert.notEqual(chineseText, englishText);
        const han = chineseText.match(new RegExp(CJK.source, 'g')) ?? [];
        assert.ok(han.length > 40, `${han.length} Chinese characters on the page`);

        await page.reload();
        await waitReady(page);
        assert.equal(await page.locator('#lang').inputValue(), 'zh');
        assert.equal((await hashParams(page)).params.get('lang'), 'zh');
        assert.match(await page.locator('#add-racer').textContent(), CJK, 'still Chinese');

        await page.locator('#lang').selectOption('en');
        await page.waitForFunction(
          () => new URLSearchParams(location.hash.slice(1)).get('lang') !== 'zh',
        );
        assert.doesNotMatch(await page.locator('#add-racer').textContent(), CJK, 'back to English');
        assertCleanLog(log);
      } finally {
        await page.close();
      }
    });

    test('custom expression: x^2 + y^2 draws; x^^2 shows the column and keeps the surface', async () => {
      const { page, log } = await openPage(browser.context, browser.url);
      try {
        await pause(page);
        let racers = await racersKey(page);
        await page.locator('#function').selectOption('custom');
        const expression = page.locator('#expression');
        await expression.waitFor({ state: 'visible', timeout: 3000 });
        await setValue(expression, 'x^2 + y^2');
        await page.waitForFunction(() => {
          const p = new URLSearchParams(location.hash.slice(1));
          return p.get('fn') === 'custom' && p.get('expr')?.replace(/\s/g, '') === 'x^2+y^2';
        });
        await waitRacersChange(page, racers);
        await frames(page);
        await surfaceShown(page);
        assert.equal(await alertText(page), '');
        const stats = await canvasStats(page, '#landscape');
        assert.ok(stats.distinct > MIN_SURFACE_COLOURS, `${stats.distinct} colours`);
        await snapCanvas(page, '#landscape', 'bowl');
        const hash = await page.evaluate(() => location.hash);
        racers = await racersKey(page);

        await setValue(expression, 'x^^2');
        await page.waitForFunction(() => {
          const el = document.getElementById('alert');
          return el && !el.hidden && el.textContent.trim() !== '';
        });
        const message = await alertText(page);
        assert.match(message, /column\s*\d+/, `the alert names the column: ${message}`);
        await frames(page);
        const diff = await diffCanvas(page, '#landscape', 'bowl');
        assert.ok(diff.equalFraction > 0.99, `surface kept (${diff.equalFraction} equal)`);
        assert.equal(await racersKey(page), racers, 'paths kept');
        assert.equal(await page.locator('body').getAttribute('data-ready'), 'true');
        const expr = (await hashParams(page)).params.get('expr');
        assert.notEqual(expr, 'x^^2', `the link keeps a valid expression (hash ${hash})`);
        assert.deepEqual(log.errors, []);
      } finally {
        await page.close();
      }
    });

    test('a missing optim.wasm is reported in #alert, not silently', async () => {
      const tmp = await mkdtemp(join(tmpdir(), 'page-broken-'));
      let broken;
      let page;
      try {
        await cp(DIST, tmp, { recursive: true });
        await rm(join(tmp, 'optim.wasm'));
        broken = await startServer({ root: tmp, port: 0 });
        ({ page } = await openPage(browser.context, broken.url, { ready: false }));
        await page.waitForFunction(
          () => document.getElementById('alert')?.textContent.includes('optim.wasm'),
          null,
          { timeout: 15_000 },
        );
        assert.match(await alertText(page), /optim\.wasm/);
        assert.notEqual(await page.locator('body').getAttribute('data-ready'), 'true');
      } finally {
        await page?.close();
        await broken?.close();
        await rm(tmp, { recursive: true, force: true });
      }
    });

    test('screenshots at phone and desktop sizes, English and Chinese (screenshots/)', async () => {
      await mkdir(SCREENSHOTS, { recursive: true });
      const sizes = { phone: { width: 375, height: 740 }, desktop: { width: 1280, height: 800 } };
      const shots = Object.entries(sizes).flatMap(([size, metrics]) =>
        ['en', 'zh'].map((lang) => ({ size, metrics, lang, what: `${size} ${lang}` })),
      );
      // Loaded side by side, photographed one at a time: concurrent full-page captures in one
      // headless browser come out as the first screen repeated.
      const opened = await Promise.all(
        shots.map(async (shot) => {
          const { page, log } = await openPage(
            browser.context,
            `${browser.url}#v=1&lang=${shot.lang}`,
            { setup: (p) => p.setViewportSize(shot.metrics) },
          );
          await pause(page);
          await scrubTo(page, Math.round((await hook(page)).steps * 0.6));
          await frames(page);
          return { ...shot, page, log };
        }),
      );
      try {
        for (const { size, lang, page } of opened) {
          await page.bringToFront();
          await page.screenshot({
            path: join(SCREENSHOTS, `playground-${size}-${lang}.png`),
            fullPage: true,
          });
          await page.screenshot({ path: join(SCREENSHOTS, `playground-${size}-${lang}-top.png`) });
        }
        for (const { page, log, metrics, what } of opened) {
          assertCleanLog(log, what);
          const stats = await canvasStats(page, '#landscape');
          assert.ok(stats.distinct > MIN_SURFACE_COLOURS, `${what}: surface drawn`);
          // Responsive: nothing sticks out of the page or out of its panel.
          const layout = await page.evaluate((width) => {
            const clipped = (el) => {
              for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
                if (getComputedStyle(a).overflowX !== 'visible') return true;
              }
              return false;
            };
            const outside = [];
            for (const el of document.querySelectorAll('body *')) {
              const r = el.getBoundingClientRect();
              if (r.width > 0 && (r.right > width + 1 || r.left < -1) && !clipped(el)) {
                outside.push(`${el.localName}${el.id ? `#${el.id}` : ''}.${el.classList[0] ?? ''}`);
              }
            }
            const racerPanel = document.getElementById('racers').getBoundingClientRect();
            const racerOverflow = [...document.querySelectorAll('#racers .racer')]
              .map((el) => Math.round(el.getBoundingClientRect().right - racerPanel.right))
              .filter((d) => d > 1);
            return {
              scrollWidth: document.documentElement.scrollWidth,
              outside: outside.slice(0, 5),
              racerOverflow,
            };
          }, metrics.width);
          assert.ok(
            layout.scrollWidth <= metrics.width,
            `${what}: no horizontal scrolling (${layout.scrollWidth} > ${metrics.width})`,
          );
          assert.deepEqual(layout.outside, [], `${what}: elements outside the page`);
          assert.deepEqual(layout.racerOverflow, [], `${what}: racer cards wider than #racers`);
        }
      } finally {
        await Promise.all(opened.map(({ page }) => page.close()));
      }
    });
  });

  test('made no request off the local server', () => {
    assert.deepEqual(browser.external, []);
    const off = first.log.requests.filter(
      (url) => !url.startsWith(browser.url) && !url.startsWith('data:'),
    );
    assert.deepEqual(off, []);
    for (const file of ['main.js', 'optim.mjs', 'optim.wasm']) {
      assert.ok(first.log.requests.includes(new URL(file, browser.url).href), `${file} requested`);
    }
  });
});
