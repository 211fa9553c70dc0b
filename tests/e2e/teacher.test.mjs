// SPDX-License-Identifier: MIT
// What a teacher met building the lecture's demonstrations on the page, each checked in the
// browser: the state chart's quantity, the loss legend's values, the Chinese names of the
// twin basin, a '+' typed into a link, the Lookahead and SWATS marks of racers that are not
// selected, captions that say what happened, method names that fit their select, and racers
// of one method named apart by schedule and weight decay.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  assertCleanLog,
  alertText,
  hashParams,
  openPage,
  pause,
  scrubTo,
  startBrowser,
} from './helpers.mjs';

/** The legend entries of a uPlot chart in `selector`: [{ label, value }]. */
function legend(page, selector) {
  return page.evaluate(
    (sel) =>
      [...document.querySelectorAll(`${sel} .u-legend .u-series`)].map((row) => ({
        label: row.querySelector('.u-label')?.textContent ?? '',
        value: row.querySelector('.u-value')?.textContent ?? '',
      })),
    selector,
  );
}

describe('what a teacher met', () => {
  let browser;
  before(async () => {
    browser = await startBrowser();
  });
  after(async () => {
    await browser?.close();
  });

  test('the state chart shows the quantity chosen, and the link keeps it', async () => {
    const link =
      '#v=1&fn=quadratic&steps=200&r=adam(lr=0.05,amsgrad=true)&r=swats(lr=0.05,switch_eps=0.00001)&r=nag(lr=0.01)';
    const { page, log } = await openPage(browser.context, `${browser.url}${link}`);
    try {
      await pause(page);
      const select = page.locator('#state-series');
      const chosen = [
        [0, 'v_max'],
        [0, 'm'],
        [1, 'sgd_lr'],
        [2, 'lookahead_point'],
      ];
      for (const [racer, series] of chosen) {
        await page.locator('#racers .racer').nth(racer).locator('.racer-status').click();
        await page.waitForFunction((i) => window.__playground.store.get().selected === i, racer);
        await select.selectOption(series);
        await page.waitForFunction(
          (s) => new URLSearchParams(location.hash.slice(1)).get('series') === s,
          series,
        );
        const option = await select.locator(`option[value="${series}"]`).textContent();
        // The chart is drawn in a frame task after the change: wait for it, then check.
        await page
          .waitForFunction(
            ([text]) =>
              [...document.querySelectorAll('#chart-state .u-legend .u-label')].some((e) =>
                e.textContent.includes(text),
              ),
            [option],
            { timeout: 5000 },
          )
          .catch(() => {});
        const labels = (await legend(page, '#chart-state')).map((e) => e.label).join(' | ');
        assert.ok(labels.includes(option), `the chart plots ${option}: ${labels}`);
      }
      // The link opens on the same quantity.
      const { hash } = await hashParams(page);
      const again = await openPage(browser.context, `${browser.url}${hash}`);
      try {
        assert.equal(await again.page.locator('#state-series').inputValue(), 'lookahead_point');
        assert.equal(await alertText(again.page), '');
      } finally {
        await again.page.close();
      }
      assertCleanLog(log, 'state chart page');
    } finally {
      await page.close();
    }
  });

  test('the loss legend shows the loss, not the axis floor', async () => {
    // x_k = 0.001^k from (1, 1) on the round bowl: f = 1e-6k, below the axis floor 1e-20 from
    // step 4 on.
    const link = '#v=1&fn=quadratic&fp=b:1&start=1,1&steps=20&r=sgd(lr=0.999)&r=adam(lr=0.02)';
    const { page, log } = await openPage(browser.context, `${browser.url}${link}`);
    try {
      await pause(page);
      await scrubTo(page, 10);
      await page.waitForTimeout(200);
      const sgd = (await legend(page, '#chart-loss')).find((e) => e.label === 'SGD');
      const status = await page
        .locator('#racers .racer')
        .first()
        .locator('.racer-status')
        .textContent();
      const f = /f = (\S+) at step 10/.exec(status)?.[1];
      assert.ok(f, status);
      assert.equal(sgd.value, f, 'the legend and the card agree');
      assert.ok(Number(f) < 1e-20, `f = ${f} is below the axis floor`);
      assertCleanLog(log, 'legend page');
    } finally {
      await page.close();
    }
  });

  test('racers of one method are named by schedule and decay in legends and captions', async () => {
    const link =
      '#v=1&steps=300&r=sgd_momentum(lr=0.002)*cyclic(base_lr=0.0005,max_lr=0.003,step_size_up=50)' +
      '&r=sgd_momentum(lr=0.002)*cosine_warm_restarts(t_0=50,t_mult=2)' +
      '&r=sgd_momentum(lr=0.002)*one_cycle(max_lr=0.003,total_steps=300)&r=sgd_momentum(lr=0.002)' +
      '&r=adam(lr=0.05,weight_decay=0.5)&r=adamw(lr=0.05,weight_decay=0.5)';
    const { page, log } = await openPage(browser.context, `${browser.url}${link}`);
    try {
      await pause(page);
      const names = ['SGDM · CLR', 'SGDM · SGDR', 'SGDM · one-cycle', 'SGDM', 'Adam + L2', 'AdamW'];
      await page.waitForFunction(
        (n) => document.querySelectorAll('#chart-loss .u-legend .u-series').length > n,
        names.length,
      );
      const labels = (await legend(page, '#chart-loss')).map((e) => e.label).filter(Boolean);
      assert.deepEqual(labels.slice(-names.length), names, 'the loss legend');
      // "step k: <leader> leads with f = ...; <last> is last with f = ...": named as above.
      const caption = await page.locator('#caption').textContent();
      const named = [/: (.+?) leads with/, /; (.+?) is last/].map((re) => caption.match(re)?.[1]);
      for (const name of named) {
        assert.ok(names.includes(name), `the caption names "${name}": ${caption}`);
      }
      assertCleanLog(log);
    } finally {
      await page.close();
    }
  });

  test('the state chart overlays one quantity of every racer, and the link keeps it', async () => {
    const link =
      '#v=1&fn=quadratic&steps=300&noise=1&series=effective_lr&r=adagrad(lr=0.5)&r=rmsprop(lr=0.05)&r=sgd_momentum(lr=0.01)';
    const { page, log } = await openPage(browser.context, `${browser.url}${link}`);
    try {
      await pause(page);
      const labels = async () =>
        (await legend(page, '#chart-state')).map((e) => e.label).filter((l) => l && l !== 'step');
      await page.waitForFunction(() => document.querySelector('#chart-state .u-legend'));
      const own = ['effective learning rate (x)', 'effective learning rate (y)'];
      assert.deepEqual(await labels(), own);
      await page.locator('#state-all').check();
      await page.waitForFunction(
        () => new URLSearchParams(location.hash.slice(1)).get('overlay') === 'all',
      );
      await page.waitForFunction(
        () => document.querySelectorAll('#chart-state .u-legend .u-series').length > 4,
      );
      assert.deepEqual(await labels(), [
        'Adagrad (x)',
        'Adagrad (y)',
        'RMSProp (x)',
        'RMSProp (y)',
        'SGDM (x)',
        'SGDM (y)',
      ]);
      assert.equal(await page.locator('#state-racer').textContent(), 'every racer');
      // The overlay travels in the link.
      const hash = await page.evaluate(() => location.hash);
      const other = await openPage(browser.context, `${browser.url}${hash}`);
      try {
        await other.page.waitForFunction(() => document.getElementById('state-all').checked);
        await other.page.waitForFunction(
          () => document.querySelectorAll('#chart-state .u-legend .u-series').length > 4,
        );
      } finally {
        await other.page.close();
      }
      await page.locator('#state-all').uncheck();
      await page.waitForFunction(() => !location.hash.includes('overlay='));
      await page.waitForFunction(
        () => document.querySelectorAll('#chart-state .u-legend .u-series').length <= 4,
      );
      assert.deepEqual(await labels(), own);
      assertCleanLog(log);
    } finally {
      await page.close();
    }
  });

  test('the learning-rate chart switches to a linear axis and marks restarts and peaks', async () => {
    const link =
      '#v=1&steps=300&r=sgd_momentum(lr=0.002)*cosine_warm_restarts(t_0=50,t_mult=2)' +
      '&r=sgd_momentum(lr=0.002)*one_cycle(max_lr=0.003,total_steps=300)';
    const { page, log } = await openPage(browser.context, `${browser.url}${link}`);
    try {
      await pause(page);
      await page.waitForFunction(() => document.getElementById('lr-note').textContent !== '');
      assert.match(await page.locator('#lr-note').textContent(), /log/);
      await page.locator('#lr-linear').click();
      await page.waitForFunction(
        () => new URLSearchParams(location.hash.slice(1)).get('lrscale') === 'linear',
      );
      await page.waitForFunction(() =>
        /linear/.test(document.getElementById('lr-note').textContent),
      );
      assert.equal(await page.locator('#lr-linear').getAttribute('aria-pressed'), 'true');
      assert.equal(await page.locator('#lr-log').getAttribute('aria-pressed'), 'false');
      // SGDR with t_0 = 50, t_mult = 2 restarts at k = 50 and k = 50 + 100 (update t = k + 1:
      // steps 51 and 151); one-cycle's first phase ends at k = pct_start·N − 1 = 89 at max_lr
      // (spec §3.2), step 90.
      const marks = await page.evaluate(() => window.__playground.lrMarks ?? null);
      assert.deepEqual(
        marks?.map((m) => [m.x, m.label]),
        [
          [51, 'restart'],
          [151, 'restart'],
          [90, 'peak'],
        ],
      );
      // The choice travels in the link.
      const hash = await page.evaluate(() => location.hash);
      const other = await openPage(browser.context, `${browser.url}${hash}`);
      try {
        await other.page.waitForFunction(
          () => document.getElementById('lr-linear').getAttribute('aria-pressed') === 'true',
        );
      } finally {
        await other.page.close();
      }
      assertCleanLog(log);
    } finally {
      await page.close();
    }
  });

  test('in Chinese the twin basin and its parameters have Chinese names', async () => {
    const { page, log } = await openPage(
      browser.context,
      `${browser.url}#v=1&lang=zh&fn=twin_basin`,
    );
    try {
      const name = await page.locator('#function option:checked').textContent();
      assert.match(name, /尖锐/);
      const labels = await page.locator('#function-params label').allTextContents();
      assert.ok(labels.length >= 8, labels.join(' | '));
      for (const label of labels)
        assert.doesNotMatch(label, /\b[a-z]+_[a-z]+\b|^distance$|^confinement$/);
      assertCleanLog(log, 'zh twin basin page');
    } finally {
      await page.close();
    }
  });

  test("a '+' typed into a link's expression is a plus sign", async () => {
    const { page, log } = await openPage(
      browser.context,
      `${browser.url}#v=1&fn=custom&expr=x^2+y^2`,
    );
    try {
      assert.equal(await alertText(page), '');
      assert.equal(await page.locator('#expression').inputValue(), 'x^2+y^2');
      assertCleanLog(log, 'plus page');
    } finally {
      await page.close();
    }
  });

  test("Lookahead's slow weights, NAG's look-ahead point and SWATS's switch are drawn for racers not selected", async () => {
    const link =
      '#v=1&fn=beale&steps=1000&sel=0&r=adam(lr=0.05)&r=lookahead(inner=sgd_momentum(lr=0.002))' +
      '&r=swats(lr=0.05,switch_eps=0.00001)&r=nag(lr=0.002)';
    const { page, log } = await openPage(browser.context, `${browser.url}${link}`);
    try {
      const marks = await page.evaluate(() => window.__playground.marks);
      assert.equal(marks[1].slow, true, 'Lookahead (not selected) has its slow path');
      assert.ok(Number.isInteger(marks[2].switchAt), 'SWATS (not selected) has its switch');
      assert.equal(marks[3].ahead, true, 'NAG (not selected) has its look-ahead point');
      assert.equal(marks[0].slow, false);
      assert.equal(marks[0].ahead, false);
      assertCleanLog(log, 'marks page');
    } finally {
      await page.close();
    }
  });

  test('the caption says a racer still going down is still going down', async () => {
    const { page } = await openPage(
      browser.context,
      `${browser.url}#v=1&fn=quadratic&steps=100&r=sgd(lr=0.001)&r=sgd(lr=0.1)`,
    );
    try {
      await pause(page);
      await scrubTo(page, 100);
      await page.waitForFunction(() =>
        /step 100|SGD/.test(document.getElementById('caption').textContent),
      );
      const caption = await page.locator('#caption').textContent();
      assert.match(caption, /still going down/);
      assert.doesNotMatch(caption, /stops at/);
    } finally {
      await page.close();
    }
  });

  test('every method name fits its select on a racer card, in both languages', async () => {
    for (const lang of ['en', 'zh']) {
      const { page } = await openPage(browser.context, `${browser.url}#v=1&lang=${lang}`);
      try {
        const overflow = await page.evaluate(() => {
          const select = document.querySelector('#racers .racer select.method');
          const style = getComputedStyle(select);
          const ctx = document.createElement('canvas').getContext('2d');
          ctx.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
          // The text area: the select's width less its padding and the arrow.
          const room =
            select.clientWidth -
            parseFloat(style.paddingLeft) -
            parseFloat(style.paddingRight) -
            16;
          return [...select.options]
            .map((o) => ({ text: o.text, width: ctx.measureText(o.text).width }))
            .filter((o) => o.width > room)
            .map((o) => `${o.text} (${Math.round(o.width)} > ${Math.round(room)})`);
        });
        assert.deepEqual(overflow, [], `${lang}: names cut off`);
      } finally {
        await page.close();
      }
    }
  });
});
