// SPDX-License-Identifier: MIT
// The sharp vs flat minima lab (web/sections/lab + web/worker.js) in headless Chromium, offline:
// an ensemble from a link, its counts and the sharpness table, the pictures of train and test
// surface and the gap distribution, cancel, the surface button and the language switch.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  assertCleanLog,
  canvasStats,
  diffCanvas,
  openPage,
  setValue,
  snapCanvas,
  startBrowser,
} from './helpers.mjs';
import { loadOptim } from '../js/lib/optim.mjs';

const LINK = '#v=1&fn=twin_basin&r=sgd_momentum(lr=0.05)&r=adam(lr=0.05)';
/** Long runs (5000 steps) so that a 1000-run ensemble is still running when cancelled. */
const LONG_LINK = `${LINK}&steps=5000`;
const RUN_TIMEOUT_MS = 30_000;
/** The test surface's colour in the pictures (web/render/basins.js TEST_COLOUR). */
const TEST_RGB = [0xd9, 0x48, 0x0f];

/** Waits until the pictures have been drawn for the current inputs (a frame after a change). */
function picturesDrawn(page) {
  return page.waitForFunction(() => window.__lab?.pictures.section > 0, null, { timeout: 5000 });
}

/** Pixels of `selector` within L1 distance 90 of `rgb`. */
function pixelsNear(page, selector, rgb) {
  return page.locator(selector).evaluate((canvas, [r, g, b]) => {
    const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
    let n = 0;
    for (let i = 0; i < data.length; i += 4) {
      const d = Math.abs(data[i] - r) + Math.abs(data[i + 1] - g) + Math.abs(data[i + 2] - b);
      if (data[i + 3] > 100 && d < 90) n += 1;
    }
    return n;
  }, rgb);
}

/** Clicks #lab-run and waits until the run has finished (results table filled). */
async function runLab(page) {
  await page.evaluate(() => {
    if (window.__lab) window.__lab.result = null;
  });
  await page.locator('#lab-run').click();
  await page.waitForFunction(() => window.__lab?.result && !window.__lab.running, null, {
    timeout: RUN_TIMEOUT_MS,
    polling: 50,
  });
  await page.locator('#lab-results tbody tr').first().waitFor();
}

/** What the lab exposes, copied out of the page (typed arrays as counts only). */
function labHook(page) {
  return page.evaluate(() => {
    const l = window.__lab;
    return {
      running: l.running,
      done: l.done,
      total: l.total,
      ms: l.ms,
      runs: l.result?.runs,
      racers: l.result?.racers.map((r) => ({
        basinCounts: r.basinCounts,
        other: r.other,
        diverged: r.diverged,
        n: r.basin.length,
      })),
      basins: l.basins,
    };
  });
}

describe('sharp vs flat minima lab', () => {
  let browser;
  before(async () => {
    browser = await startBrowser();
  });
  after(async () => {
    await browser?.close();
  });

  test('runs an ensemble from a link: counts add up, progress ends full, sharp is sharper', async () => {
    const { page, log } = await openPage(browser.context, `${browser.url}${LINK}`);
    try {
      assert.equal(await page.locator('#lab h2').textContent(), 'Sharp vs flat minima');
      assert.equal(await page.locator('#lab-use-surface').isVisible(), false);
      assert.equal(await page.locator('#lab-runs').inputValue(), '200');
      await setValue(page.locator('#lab-runs'), 100);
      await runLab(page);

      const lab = await labHook(page);
      assert.equal(lab.runs, 100);
      assert.equal(lab.racers.length, 2);
      for (const r of lab.racers) {
        const sum = r.basinCounts.reduce((a, b) => a + b, 0) + r.other + r.diverged;
        assert.equal(sum, 100, `counts ${JSON.stringify(r)}`);
        assert.equal(r.n, 100, 'one basin entry per run');
      }
      // The table's percentages, read from the cells, add up to 100 per racer.
      const rows = await page
        .locator('#lab-results tbody tr')
        .evaluateAll((trs) =>
          trs.map((tr) =>
            [...tr.querySelectorAll('td[data-basin]')].map((td) => parseFloat(td.textContent)),
          ),
        );
      assert.equal(rows.length, 2);
      for (const cells of rows) {
        assert.equal(cells.length, 4, 'sharp, flat, elsewhere, diverged');
        const total = cells.reduce((a, b) => a + b, 0);
        assert.ok(Math.abs(total - 100) < 0.01, `percentages add up to ${total}`);
      }
      // The progress bar reached its max.
      const progress = await page
        .locator('#lab-progress')
        .evaluate((el) => ({ value: el.value, max: el.max }));
      assert.equal(progress.max, 100);
      assert.equal(progress.value, progress.max);

      // Sharp minimum: the larger epsilon-sharpness in the second table.
      const sharp = Number(
        await page
          .locator('#lab-minima tr[data-basin=sharp] td[data-value]')
          .getAttribute('data-value'),
      );
      const flat = Number(
        await page
          .locator('#lab-minima tr[data-basin=flat] td[data-value]')
          .getAttribute('data-value'),
      );
      assert.ok(sharp > flat, `epsilon-sharpness sharp ${sharp} > flat ${flat}`);
      assert.deepEqual(lab.basins.map((b) => b.kind).sort(), ['flat', 'sharp']);

      // The caption states the measured shares among the runs that ended in a minimum, with
      // their counts, as the table has them.
      const caption = await page.locator('#lab-caption').textContent();
      const sharpIndex = lab.basins.findIndex((b) => b.kind === 'sharp');
      for (const [i, name] of ['SGDM', 'Adam'].entries()) {
        const counts = lab.racers[i].basinCounts;
        const inMinima = counts.reduce((a, b) => a + b, 0);
        const k = counts[sharpIndex];
        const p = Math.round((100 * k) / inMinima);
        assert.ok(
          caption.includes(`${name} ${p}% (${k} of ${inMinima})`),
          `${name} in: ${caption}`,
        );
      }
      assert.match(caption, /^Of the runs \(100 per racer\) that ended in a minimum/);

      // The language switch translates the section.
      await page.locator('#lang').selectOption('zh');
      await page.waitForFunction(
        () => document.querySelector('#lab h2').textContent === '尖锐极小值与平坦极小值',
      );
      assert.match(await page.locator('#lab-results').textContent(), /泛化差距/);
      assert.match(await page.locator('#lab-caption').textContent(), /尖锐极小值/);
      await page.locator('#lang').selectOption('en');
      await page.waitForFunction(
        () => document.querySelector('#lab h2').textContent === 'Sharp vs flat minima',
      );
      assertCleanLog(log, 'lab page');
    } finally {
      await page.close();
    }
  });

  test('draws train and test surface, and after a run the endpoints and the gap distribution', async () => {
    const { page, log } = await openPage(browser.context, `${browser.url}${LINK}&noise=0`);
    try {
      await picturesDrawn(page);
      // Before any run: both pictures drawn (curves, contours), no endpoints, no gap plot.
      const before = await page.evaluate(() => ({ ...window.__lab.pictures }));
      assert.ok(before.section > 100, `cross-section points ${before.section}`);
      assert.ok(before.segments > 50, `contour segments ${before.segments}`);
      assert.equal(before.endpoints, 0);
      for (const id of ['#lab-section', '#lab-map']) {
        const stats = await canvasStats(page, id);
        assert.ok(stats.opaque > 1000 && stats.distinct > 3, `${id}: ${JSON.stringify(stats)}`);
        assert.ok((await pixelsNear(page, id, TEST_RGB)) > 50, `${id} shows the test surface`);
      }
      assert.equal(await page.locator('#lab-gap-figure').isVisible(), false);
      const pictures = await page.locator('#lab-pictures-caption').textContent();
      assert.match(pictures, /shifted by 0\.5 in x/);
      // The gaps at the minima in the caption are the ones in the table after a run.
      assert.match(pictures, /sharp [\d.]+, flat [\d.]+/);

      // A new offset redraws both pictures (the dashed test curve moves).
      await snapCanvas(page, '#lab-section', 'section');
      await snapCanvas(page, '#lab-map', 'map');
      await setValue(page.locator('#lab-offset'), 1);
      await page.waitForFunction(() =>
        document.getElementById('lab-pictures-caption').textContent.includes('shifted by 1 in x'),
      );
      for (const [id, key] of [
        ['#lab-section', 'section'],
        ['#lab-map', 'map'],
      ]) {
        const diff = await diffCanvas(page, id, key, [TEST_RGB]);
        assert.ok(diff.sameSize && diff.changed > 100, `${id} changed: ${JSON.stringify(diff)}`);
        assert.ok(diff.byColour[0] > 20, `${id}: test-coloured pixels moved`);
      }

      await setValue(page.locator('#lab-runs'), 100);
      await runLab(page);
      await page.waitForFunction(() => window.__lab.pictures.endpoints > 0);
      const lab = await page.evaluate(() => ({
        pictures: { ...window.__lab.pictures },
        finite: window.__lab.result.racers.map((r) => r.gap.filter(Number.isFinite).length),
        diverged: window.__lab.result.racers.reduce((s, r) => s + r.diverged, 0),
      }));
      // One dot per run that did not diverge, in the map and in the gap plot.
      const runs = lab.finite.reduce((a, b) => a + b, 0);
      assert.equal(runs + lab.diverged, 200);
      assert.equal(lab.pictures.endpoints, runs);
      assert.equal(lab.pictures.gaps, runs);
      assert.equal(await page.locator('#lab-gap-figure').isVisible(), true);
      const gaps = await canvasStats(page, '#lab-gaps');
      assert.ok(gaps.opaque > 1000, `gap plot ${JSON.stringify(gaps)}`);
      // Both racers' colours (the link's palette: #e6194b, #3cb44b) are in the gap plot.
      assert.ok((await pixelsNear(page, '#lab-gaps', [0xe6, 0x19, 0x4b])) > 10, 'SGDM dots');
      assert.ok((await pixelsNear(page, '#lab-gaps', [0x3c, 0xb4, 0x4b])) > 10, 'Adam dots');
      assert.match(
        await page.locator('#lab-gap-caption').textContent(),
        /test loss − train loss at its endpoint, test surface shifted by 1 in x\), 100 runs per racer/,
      );
      assert.match(await page.locator('#lab-pictures-caption').textContent(), /100 runs per racer/);
      assertCleanLog(log, 'pictures page');
    } finally {
      await page.close();
    }
  });

  test('measures every racer at its endpoint of the race, and follows the offset', async () => {
    const { page, log } = await openPage(browser.context, `${browser.url}${LINK}`);
    try {
      const read = () =>
        page.evaluate(() => {
          const e = window.__lab.endpoints;
          return e && { offset: e.offset, rows: e.rows.map((r) => ({ ...r })) };
        });
      await page.waitForFunction(() => window.__lab?.endpoints?.rows.length === 2, null, {
        timeout: 5000,
      });
      const first = await read();
      // The race's own final losses (main.js, full recording) equal the lab's measure at
      // the lean re-run's endpoint: the same run, bit for bit.
      const race = await page.evaluate(() => window.__playground.racers.map((r) => r.finalLoss));
      first.rows.forEach((r, i) => {
        assert.ok(r.metrics, `racer ${i} measured`);
        assert.equal(r.metrics.train_loss, race[i]);
        assert.equal(r.metrics.gap, r.metrics.test_loss - r.metrics.train_loss);
        assert.ok(r.metrics.hessian_eigenvalues.every(Number.isFinite));
        assert.ok(r.nearest >= 0 && Number.isFinite(r.distance));
      });
      assert.equal(await page.locator('#lab-endpoints tbody tr').count(), 2);

      // A larger shift of the test surface changes the test losses, not the train losses.
      await setValue(page.locator('#lab-offset'), '1.5');
      await page.waitForFunction(() => window.__lab.endpoints?.offset === 1.5, null, {
        timeout: 5000,
      });
      const shifted = await read();
      shifted.rows.forEach((r, i) => {
        assert.equal(r.metrics.train_loss, first.rows[i].metrics.train_loss);
        assert.notEqual(r.metrics.test_loss, first.rows[i].metrics.test_loss);
      });
      assertCleanLog(log, 'lab endpoints page');
    } finally {
      await page.close();
    }
  });

  test('cancel stops a long run, resets the buttons, and a new run works', async () => {
    const { page, log } = await openPage(browser.context, `${browser.url}${LONG_LINK}`);
    try {
      await setValue(page.locator('#lab-runs'), 1000);
      await page.locator('#lab-run').click();
      assert.equal(await page.locator('#lab-run').isDisabled(), true);
      assert.equal(await page.locator('#lab-cancel').isDisabled(), false);
      await page.waitForFunction(() => window.__lab.done > 0, null, { timeout: RUN_TIMEOUT_MS });
      await page.locator('#lab-cancel').click();
      assert.equal(await page.locator('#lab-run').isDisabled(), false);
      assert.equal(await page.locator('#lab-cancel').isDisabled(), true);
      const stopped = await page.locator('#lab-progress').evaluate((el) => el.value);
      assert.ok(stopped < 1000, `progress ${stopped} stopped before the end`);
      await page.waitForTimeout(500);
      assert.equal(
        await page.locator('#lab-progress').evaluate((el) => el.value),
        stopped,
        'no progress after cancel',
      );
      const lab = await labHook(page);
      assert.equal(lab.running, false);
      assert.equal(lab.runs, undefined, 'no result from the cancelled run');

      // A fresh worker runs the next ensemble.
      await setValue(page.locator('#lab-runs'), 100);
      await runLab(page);
      const again = await labHook(page);
      assert.equal(again.runs, 100);
      for (const r of again.racers) {
        assert.equal(r.basinCounts.reduce((a, b) => a + b, 0) + r.other + r.diverged, 100);
      }
      assertCleanLog(log, 'cancel page');
    } finally {
      await page.close();
    }
  });

  test('on a surface with fewer than two minima the lab measures its own twin basin at once', async () => {
    const { page, log } = await openPage(browser.context, `${browser.url}#v=1&fn=saddle`);
    try {
      // Before any ensemble: the lab's surface, its pictures and the racers' endpoints there.
      assert.match(await page.locator('#lab-surface').textContent(), /fewer than two minima/);
      const lab = await page.evaluate(() => ({
        surface: window.__lab.surface,
        pictures: window.__lab.pictures,
        rows: window.__lab.endpoints?.rows.length,
        own: window.__lab.endpoints?.own,
      }));
      assert.deepEqual(lab.surface, { own: true, name: 'twin_basin' });
      assert.ok(lab.pictures.section > 0 && lab.pictures.segments > 0, 'pictures drawn');
      assert.equal(lab.rows, 5, 'every racer measured on the lab surface');
      assert.equal(lab.own, true);
      assert.equal(await page.locator('#lab-run').isDisabled(), false);
      // The surface button moves the race onto the lab's surface, and then hides.
      await page.locator('#lab-use-surface').click();
      await page.waitForFunction(() => document.getElementById('function').value === 'twin_basin');
      await page.waitForFunction(() => window.__lab.surface.own === false);
      assert.equal(await page.locator('#lab-use-surface').isVisible(), false);
      assert.match(await page.locator('#lab-surface').textContent(), /race’s surface/);
      assertCleanLog(log, 'saddle page');
    } finally {
      await page.close();
    }
  });
  test('over settings: each ensemble counted as the core counts it; the caption gives the spread', async () => {
    const { page, log } = await openPage(
      browser.context,
      `${browser.url}${LINK}&start=-3,2&lab=runs:100,noise:0.3`,
    );
    try {
      await page.locator('#lab-spread-run').click();
      await page.waitForFunction(() => window.__lab?.spread && !window.__lab.running, null, {
        timeout: 60_000,
        polling: 100,
      });
      const { spread, state } = await page.evaluate(() => ({
        spread: window.__lab.spread,
        state: window.__playground.store.get(),
      }));
      // Three noise levels, two lengths, three seeds: 18 ensembles, one table row each.
      assert.equal(spread.settings.length, 18);
      assert.equal(await page.locator('#lab-spread tbody tr').count(), 18);
      assert.equal(await page.locator('#lab-spread thead th').count(), 3 + 2);
      assert.equal(new Set(spread.settings.map((s) => JSON.stringify(s))).size, 18);

      // The same ensembles run here with the core, from configs written for the test.
      const m = await loadOptim();
      const fn = { name: 'twin_basin', params: state.fn.params };
      const domain = m.functionInfo(fn).domain;
      const shares = [];
      let sharp = null;
      spread.settings.forEach((setting, e) => {
        const result = m.ensemble({
          function: fn,
          racers: state.racers.map((r) => ({ optimizer: r.optimizer, schedule: r.schedule })),
          steps: setting.steps,
          seed: setting.seed,
          runs: 100,
          start: { box: domain },
          test_offset: [state.lab.offset, 0],
          ...(setting.noise > 0 ? { noise: { level: setting.noise } } : {}),
        });
        // The sharp well is the one left of the centre.
        sharp ??= result.minima.findIndex((p) => (p.x ?? p[0]) < (state.fn.params?.shift_x ?? 0));
        result.racers.forEach((r, i) => {
          assert.deepEqual(spread.counts[e][i].basinCounts, [...r.basinCounts], `ensemble ${e}`);
          assert.equal(spread.counts[e][i].other, r.other, `ensemble ${e}`);
        });
        shares.push(
          result.racers.map((r) => {
            const inMinima = r.basinCounts.reduce((a, b) => a + b, 0);
            return inMinima ? (100 * r.basinCounts[sharp]) / inMinima : null;
          }),
        );
      });
      assert.ok(sharp >= 0, 'a sharp minimum');
      const caption = await page.locator('#lab-spread-caption').textContent();
      assert.match(caption, /^Over 18 ensembles of 100 runs per racer/);
      ['SGDM', 'Adam'].forEach((label, i) => {
        const mine = shares.map((s) => s[i]).filter((v) => v !== null);
        const sorted = [...mine].sort((a, b) => a - b);
        const mid = sorted.length >> 1;
        const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
        const pc = (v) => `${Math.round(v)}%`;
        assert.ok(
          caption.includes(
            `${label} ${pc(sorted[0])} to ${pc(sorted.at(-1))} (median ${pc(median)})`,
          ),
          `${label}'s range in: ${caption}`,
        );
        const lowest = shares.filter(
          (s) => s[i] !== null && s.every((v) => v === null || s[i] <= v),
        ).length;
        assert.ok(caption.includes(`${label} in ${lowest} of 18 ensembles`), caption);
      });
      // The table shows the same shares, one decimal.
      const cells = await page
        .locator('#lab-spread tbody tr')
        .evaluateAll((trs) =>
          trs.map((tr) => [...tr.querySelectorAll('td')].slice(3).map((td) => td.textContent)),
        );
      cells.forEach((row, e) =>
        row.forEach((text, i) =>
          assert.equal(text, shares[e][i] === null ? '–' : `${shares[e][i].toFixed(1)}%`),
        ),
      );
      assertCleanLog(log);
    } finally {
      await page.close();
    }
  });
});
