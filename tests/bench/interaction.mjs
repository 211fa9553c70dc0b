// SPDX-License-Identifier: MIT
// npm run bench (tests/bench/workloads/page.mjs), or run alone: the page as a user meets it at
// the sizes it accepts, in headless Chromium, each measurement in a fresh browser context.
// 1. Dragging the start: pointer event to the frame that shows the paths from the new start
//    (the page reports which start its drawn paths belong to: __playground.pathsFor), one move
//    at a time, at 8 racers x 2000 steps and 12 racers x 10000 steps.
// 2. The largest link (12 racers x 100000 steps): the main thread's long tasks (Long Tasks API,
//    every task over 50 ms) while it loads, while it plays and while the start is dragged.
// 3. 12 racers x 2000 steps playing: rAF intervals and the long tasks.
// Run alone: node tests/bench/interaction.mjs [DIST] [--quick] [--only=drag,largest,play]
// (default dist/, all three).

import { availableParallelism, loadavg } from 'node:os';
import { resolve } from 'node:path';
import process from 'node:process';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer } from '../../scripts/lib/static-server.mjs';
import { CHROMIUM, CHROMIUM_ARGS, DIST } from '../e2e/helpers.mjs';

/** The "Add racer" order's methods with the page's learning rates (the core's metadata). */
const METHODS = [
  'adam(lr=0.02)',
  'sgd_momentum(lr=0.002)',
  'rmsprop(lr=0.01)',
  'adagrad(lr=0.5)',
  'sgd(lr=0.002)',
  'nag(lr=0.002)',
  'amsgrad(lr=0.02)',
  'adabound(lr=0.02)',
  'radam(lr=0.003)',
  'nadam(lr=0.02)',
  'adamw(lr=0.02)',
  'swats(lr=0.02)',
];
export const link = (racers, steps) =>
  `#v=1&steps=${steps}&${METHODS.slice(0, racers)
    .map((r) => `r=${r}`)
    .join('&')}`;

export function quantile(values, q) {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
}

/**
 * Installed before the page's scripts: every long task; each pointer move's timestamp (when
 * the browser took the event in) and dispatch time (when the page's handlers ran: Chromium
 * holds a move until the next frame begins); and, for every frame, the time its main-thread
 * work ended (a message posted from its rAF runs after the frame's callbacks, style, layout
 * and paint) with the start its drawn paths belong to (__playground.pathsFor).
 */
function probe() {
  window.__longTasks = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      window.__longTasks.push({ start: e.startTime, duration: e.duration });
    }
  }).observe({ type: 'longtask', buffered: true });
  window.__moves = [];
  addEventListener(
    'pointermove',
    (e) => window.__moves.push({ stamp: e.timeStamp, at: performance.now() }),
    { capture: true },
  );
  window.__frames = [];
  const channel = new MessageChannel();
  channel.port1.onmessage = () => {
    window.__frames.push({ end: performance.now(), drawn: window.__playground?.pathsFor });
    if (window.__frames.length > 600) window.__frames.splice(0, 300);
  };
  const tick = () => {
    channel.port2.postMessage(0);
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}

/**
 * In the page, after a pointer move: waits for the first frame, ended after the move was
 * dispatched, whose drawn paths belong to the start the store now holds. Returns the time
 * from the move to the end of that frame's main-thread work, in ms, both from the move's
 * dispatch (the page's own latency: the target) and from its timestamp (adding the time the
 * browser held the move until a frame began, up to one frame, which no page can shorten).
 */
function settle(timeoutMs) {
  return new Promise((resolve, reject) => {
    const move = window.__moves.at(-1) ?? { stamp: performance.now(), at: performance.now() };
    const p = window.__playground;
    const want = JSON.stringify(p.store.get().start);
    const check = () => {
      const f = window.__frames.find((e) => e.end >= move.at && e.drawn === want);
      if (f) {
        resolve({ dispatch: f.end - move.at, event: f.end - move.stamp });
        return;
      }
      if (performance.now() - move.at > timeoutMs) {
        reject(new Error(`no frame with the new paths after ${timeoutMs} ms`));
        return;
      }
      setTimeout(check, 5);
    };
    check();
  });
}

/** The page is drawn and its race is computed for `racers` racers of `steps` steps. */
async function loaded(page, racers, steps, timeout = 120_000) {
  await page.waitForFunction(
    ([n, s]) =>
      document.body.dataset.ready === 'true' &&
      window.__playground.racers.length === n &&
      window.__playground.racers.every((r) => r.steps === s || r.diverged),
    [racers, steps],
    { timeout, polling: 100 },
  );
}

/** Runs fn(page) on a fresh page at `hash`; a failure (a timeout) is reported, not thrown. */
async function withPage(server, hash, fn) {
  try {
    return await onPage(server, hash, fn);
  } catch (err) {
    return { failed: err.message.split('\n')[0], errors: [] };
  }
}

async function onPage(server, hash, fn) {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
  });
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.addInitScript(probe);
    await page.goto(`${server.url}${hash}`);
    const out = await fn(page);
    return { ...out, errors };
  } finally {
    await browser.close();
  }
}

async function pauseAtEnd(page) {
  if ((await page.locator('#play').getAttribute('aria-pressed')) === 'true') {
    await page.locator('#play').click();
  }
}

/** `moves` moves of a drag across the figure, each measured until its paths are drawn. */
async function dragLatencies(page, moves, timeoutMs) {
  const box = await page.locator('#landscape').boundingBox();
  const at = (i) => [box.x + box.width * (0.3 + (0.3 * i) / moves), box.y + box.height * 0.55];
  await page.mouse.move(...at(0));
  await page.mouse.down();
  await page.evaluate(settle, timeoutMs);
  const latencies = [];
  for (let i = 1; i <= moves; i++) {
    await page.mouse.move(...at(i));
    latencies.push(await page.evaluate(settle, timeoutMs));
  }
  await page.mouse.up();
  return latencies;
}

/** The long tasks recorded since `from` (page time), and the page time now. */
const longTasksSince = (page, from) =>
  page.evaluate(
    (t) => ({
      now: performance.now(),
      tasks: window.__longTasks.filter((e) => e.start >= t),
    }),
    from,
  );

const maxTask = (tasks) => Math.max(0, ...tasks.map((e) => e.duration));

/** parts: which measurements to make ('drag', 'largest', 'play'; default all). */
export async function interactionReport({
  root = DIST,
  quick = false,
  parts = ['drag', 'largest', 'play'],
} = {}) {
  const server = await startServer({ root, port: 0 });
  const t0 = performance.now();
  const result = {};
  try {
    for (const [racers, steps] of parts.includes('drag')
      ? [
          [8, 2000],
          [12, 10000],
        ]
      : []) {
      const r = await withPage(server, link(racers, steps), async (page) => {
        await loaded(page, racers, steps);
        await pauseAtEnd(page);
        return { latencies: await dragLatencies(page, quick ? 10 : 30, 30_000) };
      });
      result[`drag${racers}x${steps}`] = r;
    }

    // The largest link: loading, playing and a continuous drag (a move every 16 ms).
    const big = quick ? 20000 : 100000;
    result.largest = !parts.includes('largest')
      ? { failed: 'not asked for' }
      : await withPage(server, link(12, big), async (page) => {
          await loaded(page, 12, big);
          const load = await longTasksSince(page, 0);
          await page.locator('#reset').click();
          await page.locator('#play').click();
          await page.waitForTimeout(3000);
          const play = await longTasksSince(page, load.now);
          await pauseAtEnd(page);
          const box = await page.locator('#landscape').boundingBox();
          await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.5);
          await page.mouse.down();
          for (let i = 1; i <= 60; i++) {
            await page.mouse.move(box.x + box.width * (0.3 + i / 200), box.y + box.height * 0.5);
            await page.waitForTimeout(16);
          }
          await page.mouse.up();
          // The last move's paths arrive, then the drag is over.
          await page.evaluate(settle, 120_000);
          const drag = await longTasksSince(page, play.now);
          return { load: load.tasks, play: play.tasks, drag: drag.tasks };
        });

    // 12 racers x 2000 steps playing: the frame clock and the long tasks.
    result.play12 = !parts.includes('play')
      ? { failed: 'not asked for' }
      : await withPage(server, link(12, 2000), async (page) => {
          await loaded(page, 12, 2000);
          await page.locator('#reset').click();
          const from = (await longTasksSince(page, 0)).now;
          await page.locator('#play').click();
          const intervals = await page.evaluate(
            (ms) =>
              new Promise((resolve) => {
                const stamps = [];
                const tick = (t) => {
                  stamps.push(t);
                  if (t - stamps[0] < ms) requestAnimationFrame(tick);
                  else resolve(stamps.slice(1).map((s, i) => s - stamps[i]));
                };
                requestAnimationFrame(tick);
              }),
            3000,
          );
          const tasks = (await longTasksSince(page, from)).tasks;
          return { intervals, tasks };
        });
  } finally {
    await server.close();
  }
  /** p95 and median of samples. */
  const spread = (samples) => ({ p95: quantile(samples, 0.95), median: quantile(samples, 0.5) });
  const drag = (r = { failed: 'not asked for' }) => {
    if (r.failed) return { failed: r.failed };
    const samples = r.latencies.map((l) => l.dispatch);
    return { ...spread(samples), samples, fromEvent: spread(r.latencies.map((l) => l.event)) };
  };
  const big = result.largest;
  const play = result.play12;
  return {
    drag8: drag(result.drag8x2000),
    drag12: drag(result.drag12x10000),
    largest: big.failed
      ? { failed: big.failed }
      : {
          load: maxTask(big.load),
          play: maxTask(big.play),
          drag: maxTask(big.drag),
          counts: [big.load.length, big.play.length, big.drag.length],
        },
    play12: play.failed
      ? { failed: play.failed }
      : {
          p95: quantile(play.intervals, 0.95),
          frames: play.intervals.length,
          maxTask: maxTask(play.tasks),
          intervals: play.intervals,
        },
    errors: Object.values(result).flatMap((r) => r.errors ?? []),
    seconds: (performance.now() - t0) / 1000,
    load: loadavg(),
    cores: availableParallelism(),
  };
}

// Run directly: print the numbers.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const dir = process.argv.slice(2).find((a) => !a.startsWith('--'));
  const root = dir ? resolve(dir) : DIST;
  const only = process.argv.find((a) => a.startsWith('--only='));
  const r = await interactionReport({
    root,
    quick: process.argv.includes('--quick'),
    ...(only ? { parts: only.slice('--only='.length).split(',') } : {}),
  });
  const f = (x) => x.toFixed(1);
  const line = (name, x, text) =>
    console.log(`${name}: ${x.failed ? `failed (${x.failed})` : text(x)}`);
  const drag = (x) =>
    `from dispatch: p95 ${f(x.p95)} ms, median ${f(x.median)} ms; from the event's timestamp: p95 ${f(x.fromEvent.p95)} ms, median ${f(x.fromEvent.median)} ms`;
  line('drag 8x2000', r.drag8, drag);
  line('drag 12x10000', r.drag12, drag);
  line(
    'largest link',
    r.largest,
    (x) =>
      `longest task loading ${f(x.load)} ms, playing ${f(x.play)} ms, dragging ${f(x.drag)} ms (long tasks: ${x.counts})`,
  );
  line(
    '12x2000 playing',
    r.play12,
    (x) => `p95 frame ${f(x.p95)} ms over ${x.frames} frames, longest task ${f(x.maxTask)} ms`,
  );
  console.log(
    `errors: ${r.errors.length ? r.errors.join(' | ') : 'none'}; ${f(r.seconds)} s; load ${r.load.map(f)}`,
  );
}
