// SPDX-License-Identifier: MIT
// The Worker pool (web/engine.js createPool) in the browser: an ensemble split over 1, 2 and 4
// Workers gives the same numbers bit for bit as one whole call of the core; a cancelled task
// stops its Worker and the pool goes on; a Worker that fails is reported, not waited for.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { assertCleanLog, openPage, startBrowser } from './helpers.mjs';

const TIMEOUT_MS = 60_000;

describe('the Worker pool', () => {
  let browser;
  let page;
  let log;
  before(async () => {
    browser = await startBrowser();
    ({ page, log } = await openPage(browser.context, `${browser.url}#v=1&fn=twin_basin`));
  });
  after(async () => {
    await page?.close();
    await browser?.close();
  });

  test('an ensemble over 1, 2 and 4 Workers is the whole call bit for bit', async () => {
    const out = await page.evaluate(async () => {
      const { loadEngine, createPool } = await import('./engine.js');
      const { chunks, joinEnsemble } = await import('./sections/lab/model.js');
      const m = await loadEngine();
      const state = window.__playground.store.get();
      const info = m.functionInfo({ name: 'twin_basin' });
      const config = {
        function: info.function,
        racers: state.racers.map((r) => ({ optimizer: r.optimizer, schedule: r.schedule })),
        steps: 400,
        seed: 11,
        start: { box: info.domain },
        test_offset: [0.3, 0],
        noise: { level: 0.05 },
      };
      const runs = 230; // five chunks, the last one short
      // Typed arrays as plain arrays, floats as their exact bits' decimal: JSON keeps them.
      const text = (result) =>
        JSON.stringify(result, (_, v) => (ArrayBuffer.isView(v) ? Array.from(v) : v));
      const whole = text(m.ensemble({ ...config, runs }));
      const bySize = {};
      for (const size of [1, 2, 4]) {
        const pool = createPool({ size });
        const t0 = performance.now();
        const parts = await Promise.all(
          chunks(runs).map(
            ([from, count]) => pool.task({ type: 'ensemble', config, from, count }).promise,
          ),
        );
        bySize[size] = {
          same: text(joinEnsemble(parts, runs)) === whole,
          alive: pool.alive,
          ms: performance.now() - t0,
        };
        pool.close();
      }
      return { bySize, racers: config.racers.length };
    });
    assert.equal(out.racers, 5);
    for (const size of [1, 2, 4]) {
      assert.equal(out.bySize[size].same, true, `pool of ${size}: not the whole call's numbers`);
      assert.ok(out.bySize[size].alive <= size, `pool of ${size}: ${out.bySize[size].alive} alive`);
    }
    assert.equal(out.bySize[4].alive, 4, 'four chunks or more keep four Workers busy');
  });

  test('a cancelled task stops its Worker; the pool goes on', async () => {
    const out = await page.evaluate(async () => {
      const { createPool } = await import('./engine.js');
      const info = (await (await import('./engine.js')).loadEngine()).functionInfo({
        name: 'twin_basin',
      });
      const pool = createPool({ size: 1 });
      const config = {
        function: info.function,
        racers: [{ optimizer: { name: 'adam' }, schedule: null }],
        steps: 100000,
        seed: 1,
        start: { box: info.domain },
        test_offset: [0.3, 0],
      };
      // Long enough to be running when cancelled; a second task waits behind it.
      const long = pool.task({ type: 'ensemble', config, from: 0, count: 1000 });
      const queued = pool.task({
        type: 'ensemble',
        config: { ...config, steps: 100 },
        from: 0,
        count: 10,
      });
      await new Promise((r) => setTimeout(r, 300));
      const t0 = performance.now();
      long.cancel();
      const reason = await long.promise.then(
        () => 'resolved',
        (e) => e.name,
      );
      const next = await queued.promise;
      const ms = performance.now() - t0;
      const alive = pool.alive;
      pool.close();
      return { reason, runs: next.racers[0].basin.length, ms, alive };
    });
    assert.equal(out.reason, 'CancelledError');
    assert.equal(out.runs, 10, 'the queued task ran in a fresh Worker');
    assert.equal(out.alive, 1);
    // 1000 runs of 100000 steps take about a minute; the cancelled one did not finish.
    assert.ok(out.ms < 20_000, `the pool went on only after ${out.ms} ms`);
  });

  test('a Worker that fails is reported, not waited for', async () => {
    const out = await page.evaluate(async () => {
      const { createPool } = await import('./engine.js');
      const source = (code) => URL.createObjectURL(new Blob([code], { type: 'text/javascript' }));
      const results = {};
      for (const [name, code] of [
        ['throws on load', 'throw new Error("broken worker");'],
        ['throws on a message', 'onmessage = () => { throw new Error("broken task"); };'],
        ['sends what cannot be read', 'onmessage = (e) => postMessage({ id: e.data.id });'],
      ]) {
        const pool = createPool({ size: 1, url: source(code) });
        const t0 = performance.now();
        results[name] = await Promise.race([
          pool.task({ type: 'run', configs: [] }).promise.then(
            () => 'resolved',
            (e) => `${e.name}: ${e.message}`,
          ),
          new Promise((r) => setTimeout(() => r('waited 20 s'), 20_000)),
        ]);
        results[name] += ` (${Math.round(performance.now() - t0)} ms)`;
        pool.close();
      }
      return results;
    });
    assert.match(out['throws on load'], /^WorkerError: .*broken worker/);
    assert.match(out['throws on a message'], /^WorkerError: .*broken task/);
    assert.match(out['sends what cannot be read'], /^Error: the worker sent an unreadable reply/);
    assertCleanLog(log, 'pool page');
  });
});
