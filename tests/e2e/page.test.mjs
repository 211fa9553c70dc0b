// SPDX-License-Identifier: MIT
// The built page (dist/) in headless Chromium: it loads the wasm module offline, runs Adam on
// Rosenbrock, draws heat map and path, and says clearly when the module cannot load.

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer } from '../../scripts/lib/static-server.mjs';

const DIST = fileURLToPath(new URL('../../dist/', import.meta.url));
const CHROMIUM = '/usr/bin/chromium';
// Generous: a cold first start of Chromium and the wasm compile on a loaded
// 2-core machine has taken 15 s; a healthy page is ready in well under 1 s.
const TIMEOUT_MS = 60_000;
/** f(-1.2, 1) of Rosenbrock: the loss at the start. */
const START_LOSS = 24.2;

/** Launches Debian's Chromium as TOOLCHAIN.md says, on a fresh profile directory. */
async function launchBrowser() {
  const profile = await mkdtemp(join(tmpdir(), 'chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return { context, profile };
}

/**
 * Opens `url` in a new page and records its errors and every request it makes; `setup(page)`
 * runs before the navigation.
 */
async function openPage(context, url, setup = async () => {}) {
  const page = await context.newPage();
  await setup(page);
  const log = { errors: [], failedRequests: [], requests: [] };
  page.on('console', (msg) => {
    if (msg.type() === 'error') log.errors.push(`console: ${msg.text()}`);
  });
  page.on('pageerror', (err) => log.errors.push(`pageerror: ${err.message}`));
  page.on('request', (req) => log.requests.push(req.url()));
  page.on('requestfailed', (req) =>
    log.failedRequests.push(`${req.url()}: ${req.failure()?.errorText}`),
  );
  await page.goto(url);
  // Ends when the page is drawn or has given up; a hang fails here.
  await page.waitForFunction(
    () => document.body.dataset.ready === 'true' || document.body.dataset.error !== undefined,
    null,
    { timeout: TIMEOUT_MS },
  );
  return { page, log };
}

/**
 * Reads the canvas back in the page: the number of distinct colours, the colour under each
 * probe point and how many pixels are near `rgb`, skipping discs around the probe points.
 * Points are in data coordinates; they are mapped as main.js maps them (box onto the canvas).
 */
function inspectCanvas({ rgb, points, skipRadius }) {
  const canvas = document.getElementById('landscape');
  const { data, width, height } = canvas
    .getContext('2d')
    .getImageData(0, 0, canvas.width, canvas.height);
  const { box } = window.__playground;
  const toPixel = ([x, y]) => [
    Math.floor(((x - box.xmin) / (box.xmax - box.xmin)) * width),
    Math.floor(((box.ymax - y) / (box.ymax - box.ymin)) * height),
  ];
  const probes = points.map(toPixel);
  const scale = width / canvas.clientWidth;
  const colours = new Set();
  let near = 0;
  for (let py = 0; py < height; py++) {
    for (let px = 0; px < width; px++) {
      const k = 4 * (py * width + px);
      colours.add((data[k] << 16) | (data[k + 1] << 8) | data[k + 2]);
      const distance =
        Math.abs(data[k] - rgb[0]) +
        Math.abs(data[k + 1] - rgb[1]) +
        Math.abs(data[k + 2] - rgb[2]);
      const inMarker = probes.some(([qx, qy]) => Math.hypot(px - qx, py - qy) < skipRadius * scale);
      if (distance < 40 && !inMarker) near++;
    }
  }
  return {
    width,
    height,
    cssWidth: canvas.clientWidth,
    distinctColours: colours.size,
    nearPathColour: near,
    atProbes: probes.map(([px, py]) => {
      const k = 4 * (py * width + px);
      return [data[k], data[k + 1], data[k + 2]];
    }),
  };
}

/** "#rrggbb" -> [r, g, b]. */
function hexToRgb(hex) {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex.trim());
  assert.ok(m, `expected a #rrggbb colour, got "${hex}"`);
  return m.slice(1).map((h) => parseInt(h, 16));
}

describe('page (dist/ in headless Chromium)', () => {
  let browser;
  let server;
  const external = [];
  let loaded;

  before(async () => {
    for (const file of ['index.html', 'optim.mjs', 'optim.wasm']) {
      if (!existsSync(join(DIST, file))) {
        throw new Error(`dist/${file} is missing: run npm run build:wasm first`);
      }
    }
    server = await startServer({ root: DIST, port: 0 });
    browser = await launchBrowser();
    // Offline: anything not for a local test server is aborted and recorded.
    await browser.context.route('**/*', (route) => {
      const url = route.request().url();
      if (new URL(url).hostname === '127.0.0.1') return route.continue();
      external.push(url);
      return route.abort();
    });
    loaded = await openPage(browser.context, server.url);
  });

  after(async () => {
    await browser?.context.close();
    if (browser?.profile) await rm(browser.profile, { recursive: true, force: true });
    await server?.close();
  });

  test('loads with no console errors, page errors or failed requests', () => {
    const { page, log } = loaded;
    assert.deepEqual(log.errors, []);
    assert.deepEqual(log.failedRequests, []);
    assert.equal(page.url(), server.url);
  });

  test('is ready, with title and status line', async () => {
    const { page } = loaded;
    assert.equal(await page.locator('body').getAttribute('data-ready'), 'true');
    assert.equal(await page.locator('body').getAttribute('data-error'), null);
    assert.equal(await page.title(), 'Optimizer Playground');
    assert.match(
      await page.locator('#status').textContent(),
      /^Adam \(lr 0\.02\) on Rosenbrock from \(-1\.2, 1\): f = 24\.2 → [\d.e-]+ in 300 steps$/,
    );
  });

  test('reports the run through window.__playground', async () => {
    const result = await loaded.page.evaluate(() => window.__playground);
    assert.equal(result.steps, 300);
    assert.equal(result.diverged, false);
    assert.ok(Math.abs(result.startLoss - START_LOSS) < 1e-9, `start loss ${result.startLoss}`);
    assert.ok(Number.isFinite(result.finalLoss), `final loss ${result.finalLoss}`);
    assert.ok(result.finalLoss < START_LOSS, `final loss ${result.finalLoss}`);
    assert.deepEqual(result.start, [-1.2, 1]);
  });

  test('the module in Chromium rejects invalid input with an Error and stays usable', async () => {
    const outcome = await loaded.page.evaluate(async () => {
      const { loadEngine } = await import('./engine.js');
      const m = await loadEngine();
      const config = (beta1) => ({
        optimizer: { name: 'adam', hyperparameters: { lr: 0.02, beta1 } },
        function: { name: 'rosenbrock' },
        steps: 10,
      });
      let error;
      try {
        m.run(config(1.5));
      } catch (e) {
        error = { isError: e instanceof Error, message: e.message };
      }
      return { error, stepsAfter: m.run(config(0.9)).steps };
    });
    assert.deepEqual(outcome.error, {
      isError: true,
      message:
        'optimizer.hyperparameters.beta1: adam: beta1 = 1.5 is outside the valid range [0, 1)',
    });
    assert.equal(outcome.stepsAfter, 10);
  });

  test('draws heat map, path and markers on the canvas', async () => {
    const { page } = loaded;
    const colours = await page.evaluate(() => {
      const css = getComputedStyle(document.documentElement);
      return { path: css.getPropertyValue('--path'), marker: css.getPropertyValue('--marker') };
    });
    const pathRgb = hexToRgb(colours.path);
    const markerRgb = hexToRgb(colours.marker);
    const { start, end } = await page.evaluate(() => window.__playground);
    const seen = await page.evaluate(inspectCanvas, {
      rgb: pathRgb,
      points: [start, end],
      skipRadius: 12,
    });
    const dpr = await page.evaluate(() => window.devicePixelRatio);
    assert.equal(seen.width, Math.round(seen.cssWidth * dpr), 'buffer = CSS size x dpr');
    // A smooth heat map with iso lines has thousands of colours; a blank canvas has one.
    assert.ok(seen.distinctColours > 1000, `${seen.distinctColours} distinct colours`);
    // The start marker is a ring filled with the marker colour.
    const [startPixel, endPixel] = seen.atProbes;
    assert.ok(
      startPixel.every((v, i) => Math.abs(v - markerRgb[i]) <= 8),
      `start pixel ${startPixel} is not the marker colour ${markerRgb}`,
    );
    // The end marker is a disc of the path colour.
    assert.ok(
      endPixel.every((v, i) => Math.abs(v - pathRgb[i]) <= 8),
      `end pixel ${endPixel} is not the path colour ${pathRgb}`,
    );
    // The polyline between the markers (which are left out of the count).
    assert.ok(seen.nearPathColour > 40, `${seen.nearPathColour} path-coloured pixels`);
  });

  test('draws at devicePixelRatio 2 into a buffer twice the CSS size', async () => {
    const { page, log } = await openPage(browser.context, server.url, async (p) => {
      const cdp = await p.context().newCDPSession(p);
      await cdp.send('Emulation.setDeviceMetricsOverride', {
        width: 1000,
        height: 800,
        deviceScaleFactor: 2,
        mobile: false,
      });
    });
    try {
      assert.deepEqual(log.errors, []);
      assert.equal(await page.evaluate(() => window.devicePixelRatio), 2);
      const { start } = await page.evaluate(() => window.__playground);
      const seen = await page.evaluate(inspectCanvas, {
        rgb: [0, 0, 0],
        points: [start],
        skipRadius: 0,
      });
      assert.equal(seen.width, 2 * seen.cssWidth);
      const markerRgb = hexToRgb(
        await page.evaluate(() =>
          getComputedStyle(document.documentElement).getPropertyValue('--marker'),
        ),
      );
      assert.ok(
        seen.atProbes[0].every((v, i) => Math.abs(v - markerRgb[i]) <= 8),
        `start pixel ${seen.atProbes[0]} is not the marker colour ${markerRgb}`,
      );
    } finally {
      await page.close();
    }
  });

  test('makes no request off the local server', () => {
    assert.deepEqual(external, []);
    const offServer = loaded.log.requests.filter(
      (url) => !url.startsWith(server.url) && !url.startsWith('data:'),
    );
    assert.deepEqual(offServer, []);
    for (const file of ['main.js', 'engine.js', 'optim.mjs', 'optim.wasm']) {
      assert.ok(loaded.log.requests.includes(new URL(file, server.url).href), `${file} requested`);
    }
  });

  for (const missing of ['optim.wasm', 'optim.mjs']) {
    test(`says "Could not start" when ${missing} is missing`, async () => {
      const tmp = await mkdtemp(join(tmpdir(), 'page-broken-'));
      let broken;
      let page;
      try {
        await cp(DIST, tmp, { recursive: true });
        await rm(join(tmp, missing));
        broken = await startServer({ root: tmp, port: 0 });
        ({ page } = await openPage(browser.context, broken.url));
        const body = page.locator('body');
        assert.equal(await body.getAttribute('data-ready'), null);
        const error = await body.getAttribute('data-error');
        assert.ok(error, 'body[data-error] is set');
        const status = await page.locator('#status').textContent();
        assert.equal(status, `Could not start: ${error}`);
        assert.ok(status.includes(missing), `status names ${missing}: ${status}`);
      } finally {
        await page?.close();
        await broken?.close();
        await rm(tmp, { recursive: true, force: true });
      }
    });
  }
});
