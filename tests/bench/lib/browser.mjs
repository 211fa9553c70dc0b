// SPDX-License-Identifier: MIT
// Chromium for the harness: Debian's Chromium (tests/e2e/helpers.mjs settings), the
// repository root served locally, and the bench page (tests/bench/page) loaded and ready.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { startServer } from '../../../scripts/lib/static-server.mjs';
import { CHROMIUM, CHROMIUM_ARGS, requireDist } from '../../e2e/helpers.mjs';
import { ROOT } from './contenders.mjs';
import { defaults } from './measure.mjs';

/** Starts Chromium on the bench page; returns { time(task, args, opts), version, close }. */
export async function startBenchPage() {
  requireDist();
  const server = await startServer({ root: ROOT, port: 0, policy: null });
  const profile = await mkdtemp(join(tmpdir(), 'chromium-bench-'));
  let context;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
    });
  } catch (err) {
    await rm(profile, { recursive: true, force: true });
    await server.close();
    throw err;
  }
  const close = async () => {
    await context.close().catch(() => {});
    await rm(profile, { recursive: true, force: true });
    await server.close();
  };
  try {
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${server.url}tests/bench/page/index.html`);
    await page
      .waitForFunction(() => document.body?.dataset.ready === 'true', null, { timeout: 30_000 })
      .catch((e) => {
        throw new Error(`the bench page did not load: ${errors.join('; ') || e.message}`);
      });
    const version = context.browser()?.version?.() ?? null;
    return {
      version: version ? `Chromium ${version}` : null,
      time: (
        task,
        args,
        {
          warmup = 1,
          repetitions = 5,
          minSampleMs = defaults.minSampleMs,
          minWarmupMs = defaults.minWarmupMs,
        } = {},
      ) =>
        page.evaluate(
          (a) =>
            window.bench.time(
              a.task,
              a.args,
              a.warmup,
              a.repetitions,
              a.minSampleMs,
              a.minWarmupMs,
            ),
          { task, args, warmup, repetitions, minSampleMs, minWarmupMs },
        ),
      /** Runs a task once, untimed. */
      call: (task, args) => page.evaluate((a) => window.bench.call(a.task, a.args), { task, args }),
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}
