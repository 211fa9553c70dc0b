// SPDX-License-Identifier: MIT
// The exports in the browser, each file checked: the figure's PNG decodes and carries the
// link; the runs' JSON and CSV hold the engine's numbers and optim-run runs the JSON again;
// the lab's and the network's CSV have their rows; the WebM video has a duration; the QR code
// is drawn for the link.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { LINK_KEYWORD, readTextChunks } from '../../web/sections/export/model.js';
import { runNative } from '../js/lib/optim.mjs';
import { assertCleanLog, openPage, pause, startBrowser } from './helpers.mjs';

const RUN_TIMEOUT_MS = 60_000;
const LINK =
  '#v=1&fn=twin_basin&steps=120&r=adam(lr=0.02)&r=sgd_momentum(lr=0.01)&r=swats&lab=runs:100&mlp=steps:40';

/** Clicks `selector` (in the Export menu unless `inMenu` is false) and reads the download. */
async function downloaded(page, selector, { inMenu = true, timeout = 30_000 } = {}) {
  if (inMenu && (await page.locator('#export-menu').getAttribute('open')) === null) {
    await page.locator('#export-menu > summary').click();
  }
  const [file] = await Promise.all([
    page.waitForEvent('download', { timeout }),
    page.locator(selector).click(),
  ]);
  return { name: file.suggestedFilename(), bytes: await readFile(await file.path()) };
}

describe('the exports', () => {
  let browser;
  let page;
  let log;
  before(async () => {
    browser = await startBrowser();
    ({ page, log } = await openPage(browser.context, `${browser.url}${LINK}`));
    await pause(page);
  });
  after(async () => {
    await page?.close();
    await browser?.close();
  });

  test('the figure as PNG: it decodes to the figure and carries the link', async () => {
    const link = await page.evaluate(() => location.href);
    for (const stamped of [false, true]) {
      if ((await page.locator('#export-menu').getAttribute('open')) === null) {
        await page.locator('#export-menu > summary').click();
      }
      await page.locator('#export-stamp').setChecked(stamped);
      const { name, bytes } = await downloaded(page, '#export-png');
      assert.match(name, /^twin_basin-\d{4}-\d\d-\d\d\.png$/);
      assert.equal(readTextChunks(new Uint8Array(bytes))[LINK_KEYWORD], link);
      const size = await page.evaluate(async (b64) => {
        const blob = new Blob([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))]);
        const image = await createImageBitmap(blob);
        const canvas = document.getElementById('landscape');
        return [image.width, image.height, canvas.width, canvas.height];
      }, bytes.toString('base64'));
      assert.deepEqual(size.slice(0, 2), size.slice(2));
    }
  });

  test('the runs as JSON: the engine’s numbers, run again by optim-run', async () => {
    const { name, bytes } = await downloaded(page, '#export-json');
    assert.match(name, /-runs\.json$/);
    const race = JSON.parse(bytes.toString('utf8'));
    assert.equal(race.format, 'optimizer-playground/runs');
    assert.equal(race.link, await page.evaluate(() => location.href));
    const racers = await page.evaluate(() => window.__playground.racers);
    assert.deepEqual(
      race.runs.map((r) => r.config.optimizer.name),
      racers.map((r) => r.name),
    );
    for (const [k, run] of race.runs.entries()) {
      assert.equal(run.steps, 120);
      assert.equal(run.f.length, 121);
      assert.equal(run.f[120], racers[k].finalLoss, `racer ${k}: the page's final loss`);
      assert.ok(Object.keys(run.state).length > 0, 'every series recorded');
      const native = runNative(race, ['--run', String(k)]);
      run.f.forEach((v, i) =>
        assert.ok(
          Math.abs(v - native.f[i]) <= 1e-9 * Math.max(Math.abs(v), Math.abs(native.f[i])),
          `racer ${k} f[${i}]: ${v} against optim-run's ${native.f[i]}`,
        ),
      );
    }
    assert.ok('switch_eps' in race.runs[2].config.optimizer.hyperparameters, 'defaults filled in');
  });

  test('the runs as CSV: a row per racer and iterate', async () => {
    const { bytes } = await downloaded(page, '#export-csv');
    const rows = bytes.toString('utf8').trimEnd().split('\n');
    assert.match(rows[0], /^racer,method,step,x,y,f,lr,m_x,m_y/);
    assert.equal(rows.length, 1 + 3 * 121);
    const racers = await page.evaluate(() => window.__playground.racers);
    const last = rows[121].split(',');
    assert.equal(last[1], 'adam');
    assert.equal(Number(last[2]), 120);
    assert.equal(Number(last[5]), racers[0].finalLoss);
  });

  test('the lab’s and the network’s tables as CSV', async () => {
    await page.locator('#lab-run').click();
    await page.waitForFunction(() => window.__lab?.result && !window.__lab.running, null, {
      timeout: RUN_TIMEOUT_MS,
    });
    const lab = await downloaded(page, '#lab-csv', { inMenu: false });
    const labRows = lab.bytes.toString('utf8').trimEnd().split('\n');
    assert.equal(labRows[0], 'racer,method,run,x,y,basin,train_loss,test_loss,gap');
    assert.equal(labRows.length, 1 + 3 * 100);
    const counts = await page.evaluate(() => window.__lab.result.racers[0].basinCounts);
    const sharp = labRows.filter((r) => /^0,adam,\d+,[^,]+,[^,]+,sharp,/.test(r)).length;
    assert.equal(sharp, counts[0]);

    await page.locator('#mlp-train').click();
    await page.waitForFunction(() => window.__mlp?.result && !window.__mlp.running, null, {
      timeout: RUN_TIMEOUT_MS,
    });
    const net = await downloaded(page, '#mlp-csv', { inMenu: false });
    const netRows = net.bytes.toString('utf8').trimEnd().split('\n');
    assert.equal(netRows[0], 'racer,method,step,train_loss,test_loss,train_accuracy,test_accuracy');
    const evals = await page.evaluate(() => window.__mlp.result.racers[0].history.evalSteps.length);
    assert.equal(netRows.length, 1 + 3 * evals);
  });

  test('the race as a WebM video with a duration', async () => {
    const { name, bytes } = await downloaded(page, '#export-webm', { timeout: 60_000 });
    assert.match(name, /\.webm$/);
    assert.ok(bytes.length > 1000, `${bytes.length} bytes`);
    // WebM's EBML header.
    assert.deepEqual([...bytes.subarray(0, 4)], [0x1a, 0x45, 0xdf, 0xa3]);
    const duration = await page.evaluate(async (b64) => {
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const blob = new Blob([bytes], { type: 'video/webm' });
      const video = document.createElement('video');
      video.muted = true;
      video.src = URL.createObjectURL(blob);
      await new Promise((r, e) => {
        video.onloadedmetadata = r;
        video.onerror = () => e(new Error('the video does not load'));
      });
      // A recorded WebM states no duration until the player has seen its end.
      if (!Number.isFinite(video.duration)) {
        await new Promise((r) => {
          video.ondurationchange = () => Number.isFinite(video.duration) && r();
          video.currentTime = 1e9;
        });
      }
      return video.duration;
    }, bytes.toString('base64'));
    assert.ok(duration > 0.2, `duration ${duration} s`);
  });

  test('the QR code of the link', async () => {
    if ((await page.locator('#export-menu').getAttribute('open')) === null) {
      await page.locator('#export-menu > summary').click();
    }
    await page.locator('#share-qr').click();
    await page.locator('#qr-dialog[open]').waitFor();
    const qr = await page.evaluate(() => {
      const canvas = document.getElementById('qr-canvas');
      const ctx = canvas.getContext('2d');
      const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
      let dark = 0;
      for (let i = 0; i < data.length; i += 4) dark += data[i] < 128 ? 1 : 0;
      return {
        link: canvas.dataset.link,
        modules: Number(canvas.dataset.modules),
        darkShare: dark / (data.length / 4),
        text: document.getElementById('qr-link').textContent,
      };
    });
    assert.equal(qr.link, await page.evaluate(() => location.href));
    assert.equal(qr.text, qr.link);
    // A version 5+ symbol (37+ modules) for a link this long, about half of it dark.
    assert.ok(qr.modules >= 37, `${qr.modules} modules`);
    assert.ok(qr.darkShare > 0.25 && qr.darkShare < 0.6, `dark share ${qr.darkShare}`);
    await page.locator('#qr-close').click();
    assertCleanLog(log, 'exports');
  });
});
