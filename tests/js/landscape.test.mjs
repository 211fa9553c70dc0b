// SPDX-License-Identifier: MIT
// The core's heat map pixels (m.landscape and m.heatmap with a colour table) against the
// page's colouring written out in JavaScript, on small grids; the view's lifetime; errors.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { COLOUR_TABLE, HEAT_COLOURS } from '../../web/render/landscape.js';
import { loadOptim } from './lib/optim.mjs';

const m = await loadOptim();

/**
 * The page's colouring of grid values as a course author would write it: level t =
 * log1p(f - min) / log1p(max - min) (or linear), clamped, colour COLOUR_TABLE[round(255 t)];
 * non-finite values get `missing`.
 */
function colourByHand({ values, min, max }, log, missing) {
  const rgba = new Uint8ClampedArray(values.length * 4);
  const span = max - min;
  for (let k = 0; k < values.length; k++) {
    const f = values[k];
    let rgb = missing;
    if (Number.isFinite(f)) {
      let t = 0;
      if (span > 0) t = log ? Math.log1p(f - min) / Math.log1p(span) : (f - min) / span;
      const i = 3 * Math.round(255 * Math.min(Math.max(t, 0), 1));
      rgb = [...COLOUR_TABLE.subarray(i, i + 3), 255];
    }
    rgba.set(rgb, 4 * k);
  }
  return rgba;
}

/** Indices of the pixels that differ (at most 5). */
function differingPixels(a, b) {
  const out = [];
  for (let p = 0; p < a.length && out.length < 5; p += 4) {
    if (a[p] !== b[p] || a[p + 1] !== b[p + 1] || a[p + 2] !== b[p + 2] || a[p + 3] !== b[p + 3]) {
      out.push(p / 4);
    }
  }
  return out;
}

const GREY = [110, 110, 118, 255];
const FUNCTIONS = [
  { name: 'rosenbrock' },
  { name: 'rastrigin', params: { A: 4 } },
  { name: 'goldstein_price' },
  { name: 'saddle' },
  // NaN for x < 0, -Infinity at x = 0 (a grid column): the non-finite colour.
  { name: 'custom', params: { expression: 'log(x) + y^2' } },
];
const BOX = { xmin: -2, xmax: 2, ymin: -1.5, ymax: 2.5 };

describe('heat map pixels', () => {
  for (const fn of FUNCTIONS) {
    for (const scale of ['log', 'linear']) {
      test(`${fn.name}, ${scale}: the core's pixels are the page's colouring`, () => {
        const config = { function: fn, box: BOX, width: 41, height: 33, levels: 5, scale };
        const land = m.landscape(config, HEAT_COLOURS);
        assert.ok(land.rgba instanceof Uint8ClampedArray);
        assert.equal(land.rgba.length, 41 * 33 * 4);
        const expected = colourByHand(land, scale === 'log', GREY);
        assert.deepEqual(differingPixels(land.rgba, expected), []);
        // Many different colours, not one flat fill.
        const colours = new Set();
        for (let p = 0; p < land.rgba.length; p += 4)
          colours.add(land.rgba[p] * 65536 + land.rgba[p + 1] * 256 + land.rgba[p + 2]);
        assert.ok(colours.size > 20, `${colours.size} colours`);
        if (fn.name === 'custom') assert.ok(land.values.some((v) => !Number.isFinite(v)));

        // The heat map alone gives the same pixels, range and size.
        const copy = land.rgba.slice();
        const { levels, ...heatConfig } = config;
        assert.equal(levels, 5);
        const heat = m.heatmap(heatConfig, HEAT_COLOURS);
        assert.deepEqual(
          [heat.width, heat.height, heat.min, heat.max],
          [41, 33, land.min, land.max],
        );
        assert.deepEqual(differingPixels(heat.rgba, copy), []);
      });
    }
  }

  test('768 bytes: the table alone, non-finite nodes transparent', () => {
    const config = { function: FUNCTIONS[4], box: BOX, width: 17, height: 9, scale: 'log' };
    const land = m.landscape({ ...config, levels: 0 }, COLOUR_TABLE);
    const expected = colourByHand(land, true, [0, 0, 0, 0]);
    assert.deepEqual(differingPixels(land.rgba, expected), []);
    assert.ok(land.values.some((v) => Number.isNaN(v)));
  });

  test('without colours there is no rgba; the view is replaced by the next call', () => {
    const config = { function: { name: 'himmelblau' }, width: 12, height: 10, levels: 3 };
    assert.equal(m.landscape(config).rgba, undefined);
    const first = m.heatmap({ ...config, levels: undefined }, HEAT_COLOURS);
    const kept = first.rgba.slice();
    const second = m.heatmap({ ...config, levels: undefined, scale: 'linear' }, HEAT_COLOURS);
    assert.notDeepEqual(second.rgba, kept);
    assert.deepEqual(differingPixels(kept, colourByHand(m.landscape(config), true, GREY)), []);
  });

  test('invalid colour tables and heat map configs are errors', () => {
    const config = { function: { name: 'booth' }, width: 8, height: 8 };
    for (const bad of [[1, 2, 3], new Uint8Array(767), new Float32Array(768), 'viridis', null]) {
      assert.throws(() => m.heatmap(config, bad), /colours: expected a Uint8Array/);
      assert.throws(() => m.landscape(config, bad), /colours: expected a Uint8Array/);
    }
    assert.throws(() => m.heatmap({ ...config, levels: 4 }, HEAT_COLOURS), /levels/);
    assert.throws(() => m.heatmap({ ...config, width: 1 }, HEAT_COLOURS), /width/);
    assert.throws(() => m.heatmap({ ...config, scale: 'cubic' }, HEAT_COLOURS), /scale/);
  });
});
