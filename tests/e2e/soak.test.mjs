// SPDX-License-Identifier: MIT
// Memory stays flat: 1000 random valid changes of the experiment (surface, racers, schedules,
// steps, noise, start, language; a lab ensemble and a network training every 100 changes),
// made as a student makes them, through the link, in one page. After them, the page's wasm
// memory, its JavaScript heap after a garbage collection, the live Workers, and each Worker's
// wasm memory and Trainers not deleted are back within the bounds below of their values after
// the first 50 changes.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { assertCleanLog, openPage, startBrowser } from './helpers.mjs';

const CHANGES = 1000;
const WARM_UP = 50;
const HEAVY_EVERY = 100;
const BATCH = 25;
/** The bounds: what may be added after the warm-up (wasm memory only grows, by pages). */
const WASM_SLACK = 16 * 1024 * 1024;
const HEAP_SLACK = 16 * 1024 * 1024;
const HEAP_FACTOR = 1.5;

const FUNCTIONS = ['rosenbrock', 'himmelblau', 'rastrigin', 'beale', 'booth', 'twin_basin'];
const METHODS = [
  'sgd',
  'sgd_momentum',
  'nag',
  'adagrad',
  'rmsprop',
  'adam',
  'amsgrad',
  'adabound',
  'swats',
  'radam',
  'nadam',
  'adamw',
];
const SCHEDULES = ['', '*cosine(t_max=200)', '*linear_warmup(warmup_steps=20)'];

/** mulberry32: the test's changes are the same in every run. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A random valid link: 1 to 6 racers, 20 to 600 steps, noise or none, a start or the default. */
function randomLink(random, k) {
  const pick = (list) => list[Math.floor(random() * list.length)];
  const parts = ['v=1', `fn=${pick(FUNCTIONS)}`, `steps=${20 + Math.floor(random() * 580)}`];
  if (random() < 0.3) parts.push(`noise=${(random() * 0.2).toFixed(3)}&seed=${k}`);
  if (random() < 0.5)
    parts.push(`start=${(random() * 2 - 1).toFixed(3)},${(random() * 2 - 1).toFixed(3)}`);
  if (random() < 0.2) parts.push('lang=zh');
  const racers = 1 + Math.floor(random() * 6);
  for (let i = 0; i < racers; i++) parts.push(`r=${pick(METHODS)}${pick(SCHEDULES)}`);
  parts.push('lab=runs:100&mlp=steps:20');
  return `#${parts.join('&')}`;
}

/**
 * In the page: each link in turn, through the address bar's hash, each time until the race of
 * the new link is computed; with `heavy`, then a lab ensemble and a network training.
 */
async function changeAll({ links, heavy }) {
  const hook = window.__playground;
  const until = (ready, what) =>
    new Promise((resolve, reject) => {
      const t0 = performance.now();
      const check = () => {
        if (ready()) resolve();
        else if (performance.now() - t0 > 60_000)
          reject(
            new Error(
              `timed out: ${what}; now ${location.hash}: ${hook.steps} ${JSON.stringify(hook.racers)} ${document.querySelector('[role=alert]')?.textContent ?? ''}`,
            ),
          );
        else setTimeout(check, 5);
      };
      check();
    });
  for (const link of links) {
    const steps = Number(new URLSearchParams(link.slice(1)).get('steps'));
    location.hash = link;
    await until(
      () => hook.steps === steps && hook.racers.every((r) => r.steps === steps || r.diverged),
      link,
    );
  }
  if (!heavy) return;
  document.getElementById('lab-run').click();
  await until(() => window.__lab?.result && !window.__lab.running, 'the lab');
  document.getElementById('mlp-train').click();
  await until(() => window.__mlp?.result && !window.__mlp.running, 'the network');
}

/** In the page: the memory it holds now (after a garbage collection). */
async function measure() {
  const { loadEngine } = await import('./engine.js');
  const m = await loadEngine();
  window.gc();
  await new Promise((r) => setTimeout(r, 50));
  window.gc();
  const pool = window.__playground.pool;
  const alive = pool.alive;
  // One stats task per Worker alive: a free Worker takes each, so each answers once.
  const workers = await Promise.all(
    Array.from({ length: alive }, () => pool.task({ type: 'stats' }).promise),
  );
  return {
    wasm: m.HEAP8.byteLength,
    heap: performance.memory.usedJSHeapSize,
    alive,
    size: pool.size,
    workers,
  };
}

describe('memory over 1000 changes', () => {
  let browser;
  before(async () => {
    browser = await startBrowser({
      args: ['--js-flags=--expose-gc', '--enable-precise-memory-info'],
    });
  });
  after(async () => {
    await browser?.close();
  });

  test('stays within its bounds of the value after 50', { timeout: 900_000 }, async () => {
    const random = prng(20261202);
    const { page, log } = await openPage(browser.context, `${browser.url}${randomLink(random, 0)}`);
    let base = null;
    try {
      // The changes run in the page, a batch per call (a round trip per change would cost more
      // than the change); the lab and the network run after the last change of each batch.
      for (let k = 1; k <= CHANGES; k += BATCH) {
        const links = Array.from({ length: BATCH }, (_, i) => randomLink(random, k + i));
        await page.evaluate(changeAll, { links, heavy: (k + BATCH - 1) % HEAVY_EVERY === 0 });
        if (k + BATCH - 1 === WARM_UP) base = await page.evaluate(measure);
      }
      const end = await page.evaluate(measure);
      const report = JSON.stringify({ base, end });
      assert.ok(end.wasm <= base.wasm + WASM_SLACK, `page wasm memory grew: ${report}`);
      assert.ok(
        end.heap <= base.heap * HEAP_FACTOR + HEAP_SLACK,
        `page JavaScript heap grew: ${report}`,
      );
      assert.ok(end.alive <= end.size, `more Workers than the pool's size: ${report}`);
      const worstWorker = (s) => Math.max(0, ...s.workers.map((w) => w.wasmBytes));
      assert.ok(
        worstWorker(end) <= Math.max(worstWorker(base), 16 * 1024 * 1024) + WASM_SLACK,
        `a Worker's wasm memory grew: ${report}`,
      );
      for (const w of end.workers) assert.equal(w.trainers, 0, `Trainers left: ${report}`);
      assertCleanLog(log, 'soak');
      console.log(`# soak: ${report}`);
    } finally {
      await page.close();
    }
  });
});
