// SPDX-License-Identifier: MIT
// Shared helpers of the browser tests and the frame benchmark (not a test file: node --test
// runs only *.test.mjs here): Debian's Chromium on a fresh profile, offline, a page opened with
// its errors, dialogs and requests recorded, and pixels of the page's canvases read back.

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer } from '../../scripts/lib/static-server.mjs';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const DIST = join(ROOT, 'dist');
export const SCREENSHOTS = join(ROOT, 'screenshots');
export const CHROMIUM = '/usr/bin/chromium';
// Generous: a cold first start of Chromium and the wasm compile on a loaded 2-core machine
// has taken 15 s; a healthy page is ready in well under a second.
export const TIMEOUT_MS = 30_000;
/** Clicks, fills and waits for a reaction of a ready page. */
export const ACTION_TIMEOUT_MS = 8_000;

/** The contract's palette (web/state.js PALETTE): racer i gets PALETTE[i % 12]. */
export const PALETTE = [
  '#e6194b',
  '#3cb44b',
  '#4363d8',
  '#f58231',
  '#911eb4',
  '#42d4f4',
  '#f032e6',
  '#bfef45',
  '#fabed4',
  '#469990',
  '#dcbeff',
  '#9a6324',
];
/** A new user's first view: these methods, in this order, on Rosenbrock for 300 steps. */
export const DEFAULT_METHODS = ['sgd_momentum', 'adam', 'rmsprop', 'adagrad', 'sgd'];

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Throws (never skips) when the site has not been built. */
export function requireDist() {
  for (const file of ['index.html', 'main.js', 'optim.mjs', 'optim.wasm']) {
    if (!existsSync(join(DIST, file))) {
      throw new Error(`dist/${file} is missing: run npm run build:wasm first`);
    }
  }
}

/**
 * Serves dist/ on a free port and launches Debian's Chromium (TOOLCHAIN.md) on a fresh profile,
 * offline: every request not for 127.0.0.1 is aborted and recorded in `external`.
 */
export async function startBrowser({ viewport = { width: 1280, height: 800 }, args = [] } = {}) {
  requireDist();
  const server = await startServer({ root: DIST, port: 0 });
  const profile = await mkdtemp(join(tmpdir(), 'chromium-'));
  let context;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      viewport,
      locale: 'en-US',
      args: [...CHROMIUM_ARGS, ...args],
    });
  } catch (err) {
    await rm(profile, { recursive: true, force: true });
    await server.close();
    throw err;
  }
  const external = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    // The local servers and local files (the single-file build) are not the network.
    if (new URL(url).hostname === '127.0.0.1' || url.startsWith('file:')) return route.continue();
    external.push(url);
    return route.abort();
  });
  // The persistent context opens one blank page; tests open their own.
  for (const page of context.pages()) await page.close();
  const close = async () => {
    await context.close().catch(() => {});
    await rm(profile, { recursive: true, force: true });
    await server.close();
  };
  return { context, server, url: server.url, external, profile, close };
}

/**
 * Waits until every section of the page is mounted, body[data-mounted=true] (the race figure,
 * body[data-ready=true], comes first), or a start-up error: body[data-error].
 */
export async function waitReady(page, timeout = TIMEOUT_MS) {
  await page.waitForFunction(
    () => document.body?.dataset.mounted === 'true' || document.body?.dataset.error !== undefined,
    null,
    { timeout, polling: 50 },
  );
}

/**
 * Opens `url` in a new page, recording console errors, page errors, dialogs (dismissed) and
 * every request; `setup(page)` runs before the navigation. Waits for the page to be ready
 * unless `ready` is false.
 */
export async function openPage(context, url, { setup, ready = true } = {}) {
  const page = await context.newPage();
  // Actions and waits on a healthy page take milliseconds; fail fast otherwise.
  page.setDefaultTimeout(ACTION_TIMEOUT_MS);
  const log = { errors: [], consoleErrors: [], failedRequests: [], requests: [], dialogs: [] };
  page.on('console', (msg) => {
    if (msg.type() === 'error') log.consoleErrors.push(msg.text());
  });
  page.on('pageerror', (err) => log.errors.push(err.message));
  page.on('dialog', (dialog) => {
    log.dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    dialog.dismiss().catch(() => {});
  });
  page.on('request', (req) => log.requests.push(req.url()));
  page.on('requestfailed', (req) =>
    log.failedRequests.push(`${req.url()}: ${req.failure()?.errorText}`),
  );
  if (setup) await setup(page);
  await page.goto(url);
  if (ready) await waitReady(page);
  return { page, log };
}

/** Asserts that the page logged no console error, page error, failed request or dialog. */
export function assertCleanLog(log, what = 'page') {
  assert.deepEqual(log.errors, [], `${what}: page errors`);
  assert.deepEqual(log.consoleErrors, [], `${what}: console errors`);
  assert.deepEqual(log.failedRequests, [], `${what}: failed requests`);
  assert.deepEqual(log.dialogs, [], `${what}: dialogs`);
}

/** The test hook, copied out of the page (finalLoss NaN/Infinity become strings). */
export async function hook(page) {
  return page.evaluate(() => {
    const p = window.__playground;
    if (!p) return null;
    return {
      ready: p.ready,
      step: p.step,
      steps: p.steps,
      hash: p.hash,
      racers: (p.racers ?? []).map((r) => ({
        name: r.name,
        steps: r.steps,
        diverged: r.diverged,
        finalLoss: Number.isFinite(r.finalLoss) ? r.finalLoss : String(r.finalLoss),
      })),
    };
  });
}

/** location.hash without '#', and its parameters. */
export async function hashParams(page) {
  const hash = await page.evaluate(() => location.hash);
  return { hash, params: new URLSearchParams(hash.replace(/^#/, '')) };
}

/** Waits until location.hash differs from `previous` and returns it. */
export async function waitHashChange(page, previous, timeout = 10_000) {
  await page.waitForFunction((prev) => location.hash !== prev, previous, { timeout });
  return page.evaluate(() => location.hash);
}

/** Waits until the racers reported by the hook differ from `previous` (JSON of hook().racers). */
export async function waitRacersChange(page, previous, timeout = 10_000) {
  await page.waitForFunction(
    (prev) =>
      JSON.stringify(
        (window.__playground?.racers ?? []).map((r) => ({
          name: r.name,
          steps: r.steps,
          diverged: r.diverged,
          finalLoss: Number.isFinite(r.finalLoss) ? r.finalLoss : String(r.finalLoss),
        })),
      ) !== prev,
    previous,
    { timeout },
  );
  return (await hook(page)).racers;
}

/** Pauses playback if it is playing (#play[aria-pressed=true]). */
export async function pause(page) {
  if ((await page.locator('#play').getAttribute('aria-pressed')) === 'true') {
    await page.locator('#play').click();
    await page.waitForFunction(
      () => document.getElementById('play').getAttribute('aria-pressed') === 'false',
    );
  }
}

/** Moves the scrubber to `step` and waits for the hook to report it. */
export async function scrubTo(page, step) {
  await page.locator('#scrubber').fill(String(step));
  await page.waitForFunction((s) => window.__playground.step === s, step, { timeout: 5000 });
}

/** Sets an input's value as a user would (fill + change) and leaves the field. */
export async function setValue(locator, value) {
  await locator.fill(String(value));
  await locator.dispatchEvent('change');
}

/** "#rrggbb" -> [r, g, b]; also accepts "rgb(r, g, b)". */
export function parseColour(text) {
  const hex = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(text.trim());
  if (hex) return hex.slice(1).map((h) => parseInt(h, 16));
  const rgb = /^rgba?\((\d+),\s*(\d+),\s*(\d+)/i.exec(text.trim());
  assert.ok(rgb, `expected a colour, got "${text}"`);
  return rgb.slice(1, 4).map(Number);
}

/**
 * Each racer's colour as the page shows it: a colour input in the .racer, else a swatch's
 * background, else the '@rrggbb' of its r= entry in the hash, else PALETTE[i].
 */
export async function racerColours(page) {
  const fromDom = await page.evaluate(() =>
    [...document.querySelectorAll('#racers .racer')].map((el) => {
      const input = el.querySelector('input[type=color]');
      if (input) return input.value;
      const swatch = el.querySelector('[class*=swatch], [class*=colour], [class*=color]');
      if (swatch) {
        const bg = getComputedStyle(swatch).backgroundColor;
        if (bg && !/rgba\(0, 0, 0, 0\)|transparent/.test(bg)) return bg;
      }
      return null;
    }),
  );
  const { params } = await hashParams(page);
  const fromHash = params.getAll('r').map((r) => /@([0-9a-f]{6})$/i.exec(r)?.[1]);
  return fromDom.map((c, i) =>
    parseColour(c ?? (fromHash[i] ? `#${fromHash[i]}` : PALETTE[i % PALETTE.length])),
  );
}

// ---- Canvas pixels, read in the page ----------------------------------------------------------

/**
 * Runs in the page (one self-contained function, so that it works under any CSP): reads a
 * canvas's pixels (2D canvases directly, others through a 2D copy) and does `op` on them:
 * 'stats', 'snap' (keep a copy under window.__e2eSnaps[key]) or 'diff' (compare with it).
 */
function canvasOp({ op, selector, key, colours = [], tolerance = 60 }) {
  const canvas = document.querySelector(selector);
  if (!canvas) return null;
  let ctx = canvas.getContext('2d', { willReadFrequently: true });
  let source = canvas;
  if (!ctx) {
    source = document.createElement('canvas');
    source.width = canvas.width;
    source.height = canvas.height;
    ctx = source.getContext('2d');
    ctx.drawImage(canvas, 0, 0);
  }
  if (source.width === 0 || source.height === 0) {
    return { width: 0, height: 0, distinct: 0, opaque: 0, cssWidth: canvas.clientWidth };
  }
  const image = ctx.getImageData(0, 0, source.width, source.height);
  const { data, width, height } = image;
  if (op === 'snap') {
    (window.__e2eSnaps ??= {})[key] = image;
    return { width, height };
  }
  if (op === 'stats') {
    const seen = new Set();
    let opaque = 0;
    for (let k = 0; k < data.length; k += 4) {
      if (data[k + 3] > 0) {
        opaque++;
        seen.add((data[k] << 16) | (data[k + 1] << 8) | data[k + 2]);
      }
    }
    return {
      width,
      height,
      cssWidth: canvas.clientWidth,
      cssHeight: canvas.clientHeight,
      distinct: seen.size,
      opaque,
    };
  }
  // op === 'diff'
  const before = window.__e2eSnaps?.[key];
  if (!before) return null;
  if (before.width !== width || before.height !== height) {
    return { sameSize: false, equalFraction: 0, changed: -1, byColour: colours.map(() => 0) };
  }
  const a = before.data;
  let equal = 0;
  let changed = 0;
  const byColour = colours.map(() => 0);
  for (let i = 0; i < data.length; i += 4) {
    if (a[i] === data[i] && a[i + 1] === data[i + 1] && a[i + 2] === data[i + 2]) {
      equal++;
      continue;
    }
    changed++;
    let best = -1;
    let bestDistance = Infinity;
    for (let j = 0; j < colours.length; j++) {
      const [r, g, b] = colours[j];
      const d = Math.abs(data[i] - r) + Math.abs(data[i + 1] - g) + Math.abs(data[i + 2] - b);
      if (d < bestDistance) {
        bestDistance = d;
        best = j;
      }
    }
    if (best >= 0 && bestDistance <= tolerance) byColour[best]++;
  }
  return { sameSize: true, equalFraction: equal / (data.length / 4), changed, byColour };
}

/** Size, distinct colours and opaque pixel count of a canvas (null if there is none). */
export function canvasStats(page, selector) {
  return page.evaluate(canvasOp, { op: 'stats', selector });
}

/** Keeps a copy of a canvas's pixels in the page under `key`. */
export function snapCanvas(page, selector, key) {
  return page.evaluate(canvasOp, { op: 'snap', selector, key });
}

/**
 * Compares a canvas with the snapshot `key`: the fraction of equal pixels and, for each of
 * `colours` ([r, g, b]), the number of changed pixels whose colour is nearest to it and within
 * L1 distance `tolerance` (what was drawn since the snapshot: paths and markers).
 */
export function diffCanvas(page, selector, key, colours = [], tolerance = 60) {
  return page.evaluate(canvasOp, { op: 'diff', selector, key, colours, tolerance });
}

// ---- Safety of a page that loaded an untrusted link --------------------------------------------

/**
 * What a hostile link could have added: script elements, elements that load or run things,
 * inline event-handler attributes, javascript: URLs, and the canary window.__pwned.
 */
export async function safetySnapshot(page) {
  return page.evaluate(() => {
    const all = [...document.querySelectorAll('*')];
    const handlers = [];
    const jsUrls = [];
    for (const el of all) {
      for (const attr of el.attributes) {
        if (/^on/i.test(attr.name)) handlers.push(`<${el.localName} ${attr.name}>`);
        if (/^\s*javascript:/i.test(attr.value)) jsUrls.push(`<${el.localName} ${attr.name}>`);
      }
    }
    const count = (sel) => document.querySelectorAll(sel).length;
    return {
      scripts: document.scripts.length,
      risky: {
        img: count('img'),
        svg: count('svg'),
        iframe: count('iframe'),
        object: count('object, embed'),
        a: count('a[href]'),
        form: count('form'),
        base: count('base'),
        meta: count('meta[http-equiv]'),
      },
      handlers,
      jsUrls,
      protoKeys: Object.getOwnPropertyNames(Object.prototype).join(','),
      pwned: window.__pwned,
    };
  });
}

/** Text of #alert if it is shown (not hidden, not display:none, non-empty), else ''. */
export async function alertText(page) {
  return page.evaluate(() => {
    const el = document.getElementById('alert');
    if (!el || el.hidden || getComputedStyle(el).display === 'none') return '';
    return el.innerText.trim(); // innerText: one line per listed problem
  });
}
