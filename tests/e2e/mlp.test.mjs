// SPDX-License-Identifier: MIT
// The tiny neural network section (web/sections/network + web/worker.js) in headless Chromium, offline:
// a training race from a link, its table (with the sharpness), live charts, decision boundary
// and loss slices, cancel, the language switch, and the core's errors for bad inputs.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { assertCleanLog, openPage, setValue, startBrowser } from './helpers.mjs';

const LINK = '#v=1&r=sgd_momentum(lr=0.05)&r=adam(lr=0.01)';
const RUN_TIMEOUT_MS = 30_000;
/** The boundary's two class colours (web/sections/network/view.js SOFT). */
const SOFT = [
  [158, 202, 225],
  [253, 190, 133],
];

/** Clicks #mlp-train and waits until the race has finished (results table filled). */
async function train(page) {
  await page.locator('#mlp-train').click();
  await page.waitForFunction(() => window.__mlp?.result && !window.__mlp.running, null, {
    timeout: RUN_TIMEOUT_MS,
    polling: 50,
  });
  await page.locator('#mlp-results tbody tr').first().waitFor();
}

/** The finished race's numbers, copied out of the page (typed arrays left behind). */
function mlpHook(page) {
  return page.evaluate(() => {
    const m = window.__mlp;
    return {
      running: m.running,
      done: m.done,
      total: m.total,
      ms: m.ms,
      steps: m.result?.steps,
      racers: m.result?.racers.map((r) => ({
        trainLoss: r.trainLoss,
        testLoss: r.testLoss,
        trainAccuracy: r.trainAccuracy,
        testAccuracy: r.testAccuracy,
        gap: r.gap,
        eigenvalue: r.eigenvalue,
        sharpness: r.sharpness,
        stepsToTarget: r.stepsToTarget,
        evalStep: r.evalStep,
        paramCount: r.params.length,
        slice: {
          alphas: Array.from(r.slice.alphas),
          train: Array.from(r.slice.train),
          test: Array.from(r.slice.test),
        },
      })),
    };
  });
}

/** Waits for the line slice between racers `a` and `b` and copies it out of the page. */
async function lineSlice(page, a, b) {
  await page.waitForFunction(
    ([a, b]) => window.__mlp.lineSlice?.a === a && window.__mlp.lineSlice?.b === b,
    [a, b],
    { timeout: RUN_TIMEOUT_MS },
  );
  return page.evaluate(() => {
    const s = window.__mlp.lineSlice;
    return {
      a: s.a,
      b: s.b,
      alphas: Array.from(s.alphas),
      train: Array.from(s.train),
      test: Array.from(s.test),
    };
  });
}

/** The uPlot chart `key` of window.__mlp.charts: its series count (x included) and data lengths. */
function chartShape(page, key) {
  return page.evaluate((key) => {
    const plot = window.__mlp.charts[key].plot;
    return plot ? { series: plot.series.length, lengths: plot.data.map((d) => d.length) } : null;
  }, key);
}

/** Relative difference of two positive numbers. */
function relative(a, b) {
  return Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b));
}

/** Pixels of the boundary canvas within L1 distance 24 of each of `colours`. */
function colourCounts(page, colours) {
  return page.locator('#mlp-boundary').evaluate((canvas, colours) => {
    const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
    const counts = colours.map(() => 0);
    for (let i = 0; i < data.length; i += 4) {
      colours.forEach(([r, g, b], k) => {
        if (Math.abs(data[i] - r) + Math.abs(data[i + 1] - g) + Math.abs(data[i + 2] - b) < 24) {
          counts[k]++;
        }
      });
    }
    return counts;
  }, colours);
}

describe('tiny neural network', () => {
  let browser;
  before(async () => {
    browser = await startBrowser();
  });
  after(async () => {
    await browser?.close();
  });

  test('trains two racers from a link: table, chart, boundary, language', async () => {
    const { page, log } = await openPage(browser.context, `${browser.url}${LINK}`);
    try {
      assert.equal(await page.locator('#mlp h2').textContent(), 'Tiny neural network');
      assert.equal(await page.locator('#mlp-steps').inputValue(), '300');
      assert.equal(await page.locator('#mlp-hidden').inputValue(), '16,16');
      // The section comes after the lab.
      assert.equal(
        await page.evaluate(() => document.getElementById('lab').nextElementSibling.id),
        'mlp',
      );
      await setValue(page.locator('#mlp-steps'), 100);
      await train(page);

      const mlp = await mlpHook(page);
      assert.equal(mlp.steps, 100);
      assert.equal(mlp.racers.length, 2);
      for (const r of mlp.racers) {
        for (const k of ['trainAccuracy', 'testAccuracy']) {
          assert.ok(r[k] >= 0 && r[k] <= 1, `${k} ${r[k]}`);
        }
        for (const k of ['trainLoss', 'testLoss', 'gap', 'eigenvalue', 'sharpness']) {
          assert.ok(Number.isFinite(r[k]), `${k} ${r[k]}`);
        }
        // The box around the point contains the point itself: the largest rise is >= 0.
        assert.ok(r.sharpness >= 0, `sharpness ${r.sharpness}`);
        assert.equal(r.evalStep, 100, 'the final metrics are at the last step');
        assert.ok(Math.abs(r.gap - (r.testLoss - r.trainLoss)) < 1e-12);
        assert.ok(r.stepsToTarget === null || (r.stepsToTarget >= 0 && r.stepsToTarget <= 100));
      }
      const progress = await page
        .locator('#mlp-progress')
        .evaluate((el) => ({ value: el.value, max: el.max }));
      assert.equal(progress.max, 100);
      assert.equal(progress.value, progress.max);
      assert.equal(mlp.done, 100);

      // The table: one row per racer, nine cells, the eigenvalue and the epsilon-sharpness as
      // numbers, "-" or a step count in the last one.
      const rows = await page
        .locator('#mlp-results tbody tr')
        .evaluateAll((trs) =>
          trs.map((tr) => [...tr.children].map((c) => ({ text: c.textContent, ...c.dataset }))),
        );
      assert.equal(rows.length, 2);
      rows.forEach((cells, i) => {
        assert.equal(cells.length, 9);
        assert.equal(cells[6].key, 'eigenvalue');
        assert.equal(cells[7].key, 'sharpness');
        assert.equal(Number(cells[6].value), mlp.racers[i].eigenvalue);
        assert.equal(Number(cells[7].value), mlp.racers[i].sharpness);
        assert.match(cells[6].text, /^-?[\d.]+(e-?\d+)?$/);
        assert.match(cells[7].text, /^[\d.]+(e-?\d+)?$/);
        assert.match(cells[8].text, /^(-|\d+)$/);
      });
      const headers = await page.locator('#mlp-results thead th').allTextContents();
      assert.ok(headers.includes('ε-sharpness (%)'), headers.join(' | '));
      const caption = await page.locator('#mlp-caption').textContent();
      assert.match(caption, /smallest generalization gap/);
      assert.match(caption, /largest ε-sharpness/);

      // The live charts: train and test loss, train and test accuracy per racer; the gap.
      assert.equal(await page.locator('#mlp-chart .uplot').count(), 1);
      const series = await page.locator('#mlp-chart .u-legend .u-series').count();
      assert.equal(series, 5, 'the step and two series per racer');
      assert.equal(await page.locator('#mlp-accuracy-chart .u-legend .u-series').count(), 5);
      const accuracy = await chartShape(page, 'accuracy');
      assert.equal(accuracy.series, 5);
      assert.ok(
        accuracy.lengths.every((n) => n === 100 / 5 + 1),
        `${accuracy.lengths}`,
      );
      assert.match(
        await page.locator('#mlp-gap').textContent(),
        /^Generalization gap \(test loss − training loss\) at step 100: .+ -?\d/,
      );

      // The random-direction slice: one chart, train and test per racer, alpha in [-1, 1];
      // at alpha = 0 it evaluates the racer's own final parameters: its final losses.
      assert.equal(await page.locator('#mlp-slice-random .u-legend .u-series').count(), 5);
      const random = await chartShape(page, 'random');
      assert.equal(random.series, 5);
      for (const r of mlp.racers) {
        const { alphas, train: tr, test: te } = r.slice;
        assert.equal(alphas.length, random.lengths[0]);
        assert.ok(Math.abs(alphas[0] + 1) < 1e-12 && Math.abs(alphas.at(-1) - 1) < 1e-12);
        const mid = alphas.findIndex((a) => Math.abs(a) < 1e-12);
        assert.ok(mid > 0, 'alpha = 0 is one of the points');
        assert.ok(relative(tr[mid], r.trainLoss) < 1e-9, `${tr[mid]} vs ${r.trainLoss}`);
        assert.ok(relative(te[mid], r.testLoss) < 1e-9, `${te[mid]} vs ${r.testLoss}`);
        assert.ok(tr.every(Number.isFinite) && te.every(Number.isFinite));
      }
      assert.match(
        await page.locator('#mlp-slice-random-caption').textContent(),
        /training loss rose/,
      );

      // The line slice between racer 1 (A) and racer 2 (B), computed after the race: at
      // alpha = 0 it evaluates A's parameters, at alpha = 1 B's, on the same training data.
      const line = await lineSlice(page, 0, 1);
      assert.equal(await page.locator('#mlp-slice-a').inputValue(), '0');
      assert.equal(await page.locator('#mlp-slice-b').inputValue(), '1');
      const i0 = line.alphas.findIndex((a) => Math.abs(a) < 1e-12);
      const i1 = line.alphas.findIndex((a) => Math.abs(a - 1) < 1e-12);
      assert.ok(i0 >= 0 && i1 > i0, `alphas ${line.alphas}`);
      assert.ok(
        relative(line.train[i0], mlp.racers[0].trainLoss) < 1e-9,
        `${line.train[i0]} vs A ${mlp.racers[0].trainLoss}`,
      );
      assert.ok(
        relative(line.train[i1], mlp.racers[1].trainLoss) < 1e-9,
        `${line.train[i1]} vs B ${mlp.racers[1].trainLoss}`,
      );
      assert.ok(relative(line.test[i0], mlp.racers[0].testLoss) < 1e-9);
      const shape = await chartShape(page, 'line');
      assert.deepEqual(shape, { series: 3, lengths: [41, 41, 41] });
      assert.match(await page.locator('#mlp-slice-line-caption').textContent(), /\(α = 1\)/);

      // On demand: B to A swaps the ends.
      await page.locator('#mlp-slice-a').selectOption('1');
      await page.locator('#mlp-slice-b').selectOption('0');
      const swapped = await lineSlice(page, 1, 0);
      assert.ok(relative(swapped.train[i0], mlp.racers[1].trainLoss) < 1e-9);
      assert.ok(relative(swapped.train[i1], mlp.racers[0].trainLoss) < 1e-9);

      // The boundary: both class colours drawn.
      const counts = await colourCounts(page, SOFT);
      assert.ok(counts[0] > 500 && counts[1] > 500, `class colour pixels ${counts}`);

      // The language switch translates the heading and the table.
      await page.locator('#lang').selectOption('zh');
      await page.waitForFunction(
        () => document.querySelector('#mlp h2').textContent === '小型神经网络',
      );
      assert.match(await page.locator('#mlp-results').textContent(), /泛化差距/);
      assert.match(await page.locator('#mlp-results').textContent(), /测试准确率/);
      await page.locator('#lang').selectOption('en');
      await page.waitForFunction(
        () => document.querySelector('#mlp h2').textContent === 'Tiny neural network',
      );
      assertCleanLog(log, 'mlp page');
    } finally {
      await page.close();
    }
  });

  test('cancel stops a long race, resets the buttons, and a new race works', async () => {
    const { page, log } = await openPage(browser.context, `${browser.url}${LINK}`);
    try {
      await setValue(page.locator('#mlp-steps'), 5000);
      await page.locator('#mlp-train').click();
      assert.equal(await page.locator('#mlp-train').isDisabled(), true);
      assert.equal(await page.locator('#mlp-cancel').isDisabled(), false);
      await page.waitForFunction(() => window.__mlp.done > 0, null, { timeout: RUN_TIMEOUT_MS });
      await page.locator('#mlp-cancel').click();
      assert.equal(await page.locator('#mlp-train').isDisabled(), false);
      assert.equal(await page.locator('#mlp-cancel').isDisabled(), true);
      const stopped = await page.locator('#mlp-progress').evaluate((el) => el.value);
      assert.ok(stopped < 5000, `progress ${stopped} stopped before the end`);
      await page.waitForTimeout(300);
      assert.equal(await page.locator('#mlp-progress').evaluate((el) => el.value), stopped);
      const mlp = await mlpHook(page);
      assert.equal(mlp.running, false);
      assert.equal(mlp.steps, undefined, 'no result from the cancelled race');

      await setValue(page.locator('#mlp-steps'), 50);
      await train(page);
      const again = await mlpHook(page);
      assert.equal(again.steps, 50);
      assert.equal(again.racers.length, 2);
      assertCleanLog(log, 'mlp cancel page');
    } finally {
      await page.close();
    }
  });

  test('bad inputs show the core error and start no race', async () => {
    const { page, log } = await openPage(browser.context, `${browser.url}${LINK}`);
    try {
      const cases = [
        ['#mlp-hidden', '16,0', /^network\.hidden\[1\]: /],
        ['#mlp-n', '5', /^dataset\.n: /],
        ['#mlp-noise', '-1', /^dataset\.noise: /],
        ['#mlp-label-noise', '0.7', /^dataset\.label_noise: /],
        // Text that is no number is refused by the page itself, naming the field.
        ['#mlp-test-fraction', '', /^mlp\.testFraction: a number is needed$/],
        ['#mlp-n', '1e999', /^mlp\.n = "1e999" is not an integer$/],
        ['#mlp-batch', '100000', /^batch_size: /],
      ];
      for (const [selector, bad, message] of cases) {
        const good = await page.locator(selector).inputValue();
        await page.locator(selector).fill(bad);
        await page.locator('#mlp-train').click();
        assert.match(await page.locator('#mlp-status').textContent(), message, selector);
        assert.equal(await page.locator('#mlp-train').isDisabled(), false);
        assert.equal(await page.evaluate(() => window.__mlp.races), 0, `${selector}: no race`);
        await page.locator(selector).fill(good);
      }
      assert.equal(await page.locator('#mlp-progress').evaluate((el) => el.value), 0);
      assertCleanLog(log, 'mlp error page');
    } finally {
      await page.close();
    }
  });

  test('the inputs of the share link: read, set, and a race on a small noisy set', async () => {
    const { page, log } = await openPage(browser.context, `${browser.url}${LINK}`);
    try {
      assert.deepEqual(await page.evaluate(() => window.__mlp.inputs.get()), {
        dataset: 'two_moons',
        n: 200,
        noise: 0.1,
        labelNoise: 0,
        testFraction: 0.3,
        hidden: [16, 16],
        activation: 'tanh',
        batch: 0,
        steps: 300,
      });
      const wanted = {
        dataset: 'circles',
        n: 120,
        noise: 0.2,
        labelNoise: 0.1,
        testFraction: 0.5,
        hidden: [8],
        activation: 'relu',
        batch: 16,
        steps: 40,
      };
      await page.evaluate((wanted) => window.__mlp.inputs.set(wanted), wanted);
      assert.deepEqual(await page.evaluate(() => window.__mlp.inputs.get()), wanted);
      assert.equal(await page.locator('#mlp-hidden').inputValue(), '8');
      assert.equal(await page.locator('#mlp-dataset').inputValue(), 'circles');
      await train(page);
      // 120 points split in half: 60 training points and 60 test points.
      const sizes = await page.evaluate(() =>
        ['train', 'test'].map((k) => window.__mlp.result.data[k].labels.length),
      );
      assert.deepEqual(sizes, [60, 60]);
      const mlp = await mlpHook(page);
      assert.equal(mlp.steps, 40);
      // 2 inputs -> 8 -> 1: 2 * 8 + 8 + 8 + 1 parameters.
      assert.ok(mlp.racers.every((r) => r.paramCount === 33));
      assertCleanLog(log, 'mlp inputs page');
    } finally {
      await page.close();
    }
  });
  test('a shared link opens the network, trains to the end, shows sharpness and slices', async () => {
    const link =
      '#v=1&r=sgd_momentum(lr=0.05)&r=adam(lr=0.01)&r=rmsprop(lr=0.005)' +
      '&mlp=dataset:xor,n:160,hidden:[12,12],activation:relu,steps:150';
    const { page, log } = await openPage(browser.context, `${browser.url}${link}`);
    try {
      const inputs = await page.evaluate(() => window.__mlp.inputs.get());
      assert.equal(inputs.dataset, 'xor');
      assert.equal(inputs.n, 160);
      assert.deepEqual(inputs.hidden, [12, 12]);
      assert.equal(inputs.activation, 'relu');
      assert.equal(inputs.steps, 150);
      assert.equal(await page.locator('#mlp-steps').inputValue(), '150');
      await train(page);
      const mlp = await mlpHook(page);
      assert.equal(mlp.steps, 150);
      assert.equal(mlp.racers.length, 3);
      // 2 -> 12 -> 12 -> 1: 36 + 156 + 13 parameters.
      assert.ok(mlp.racers.every((r) => r.paramCount === 205));
      // The table: one row per racer with a finite top eigenvalue and epsilon-sharpness.
      const rows = page.locator('#mlp-results tbody tr');
      assert.equal(await rows.count(), 3);
      for (const key of ['eigenvalue', 'sharpness']) {
        const cells = await page
          .locator(`#mlp-results tbody td[data-key="${key}"]`)
          .evaluateAll((tds) => tds.map((td) => Number(td.dataset.value)));
        assert.equal(cells.length, 3, key);
        assert.ok(cells.every(Number.isFinite), `${key}: ${cells}`);
      }
      // Slices: the random direction for every racer (train and test), and the line from
      // racer 1 to racer 2, both drawn.
      assert.equal((await chartShape(page, 'random')).series, 1 + 2 * 3);
      const line = await lineSlice(page, 0, 1);
      assert.equal(line.train[line.alphas.indexOf(0)], mlp.racers[0].trainLoss);
      assert.equal(line.train[line.alphas.indexOf(1)], mlp.racers[1].trainLoss);
      assert.ok((await chartShape(page, 'line')).series >= 3);
      // The hash still carries the network's inputs.
      assert.match(
        await page.evaluate(() => location.hash),
        /mlp=dataset:xor,n:160,hidden:\[12,12\]/,
      );
      assertCleanLog(log, 'mlp link page');
    } finally {
      await page.close();
    }
  });
});
