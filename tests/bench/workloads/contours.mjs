// SPDX-License-Identifier: MIT
// Workload d: contours, 20 levels on 800 x 600 (log-spaced as the page asks for them), on
// Rosenbrock and Rastrigin. wasm: m.landscape as the race figure (web/sections/race) calls it
// (grid values and contour segments in one call); native: compute_landscape; JavaScript: the
// grid and marching squares by hand (js/landscape.mjs). Every contender evaluates the grid
// too; the note gives the contour part alone. Check: segments per level against wasm (the
// same float32 grid gives the same segments; a node exactly at a level may flip a cell, so 0.1%
// of the total is allowed).
import { contours, evaluateGrid, contourLevels, marchingSquares } from '../js/landscape.mjs';
import { segmentCounts } from '../js/shared.mjs';
import { timeIt } from '../lib/measure.mjs';
import { makeTable } from '../lib/report.mjs';
import { withTarget } from './heatmap.mjs';

const TOLERANCE = 1e-3;
const LEVELS = 20;

export async function run(ctx) {
  const { m, reps, browser, native } = ctx;
  const width = ctx.sizes.width ?? 800;
  const height = ctx.sizes.height ?? 600;
  const tables = [];
  for (const name of ['rosenbrock', 'rastrigin']) {
    const info = m.functionInfo({ name });
    const box = info.domain;
    const config = { function: info.function, box, width, height, levels: LEVELS, scale: 'log' };
    const ref = segmentCounts(m.landscape(config)).segments;
    const total = ref.reduce((a, b) => a + b, 0);
    const check = ({ segments }) => {
      let diff = 0;
      segments.forEach((c, k) => (diff += Math.abs(c - (ref[k] ?? 0))));
      const ok = segments.length === ref.length && diff <= TOLERANCE * total;
      return { ok, check: `${segments.reduce((a, b) => a + b, 0)} segments, ${diff} differ` };
    };
    const opts = { warmup: 2, repetitions: ctx.quick ? reps : Math.max(reps, 7) };
    const rows = [];
    let r = await timeIt(() => segmentCounts(m.landscape(config)), opts);
    rows.push({
      contender: 'wasm, Node: m.landscape (as the page)',
      samples: r.samples,
      ...check(r.result),
    });
    if (browser) {
      r = await browser.time('contoursWasm', { config }, opts);
      rows.push({ contender: 'wasm, Chromium: same', samples: r.samples, ...check(r.result) });
    }
    if (native.available) {
      const out = native.run({
        kind: 'landscape',
        config,
        repetitions: opts.repetitions,
        warmup: 2,
      });
      rows.push({
        contender: 'native: compute_landscape',
        samples: out.samples_ms,
        ...check(out.result),
      });
    }
    r = await timeIt(() => segmentCounts(contours(name, box, width, height, LEVELS)), opts);
    rows.push({
      contender: 'JavaScript, Node: grid + marching squares',
      samples: r.samples,
      ...check(r.result),
    });
    if (browser) {
      r = await browser.time('contoursJs', { name, box, width, height, levels: LEVELS }, opts);
      rows.push({ contender: 'JavaScript, Chromium', samples: r.samples, ...check(r.result) });
    }
    // The contour part alone, in Node: the core's landscape minus its grid (levels 0), and the
    // JavaScript marching squares on a ready grid.
    const grid = evaluateGrid(name, box, width, height);
    const levels = contourLevels(grid.min, grid.max, LEVELS);
    const msJs = (await timeIt(() => marchingSquares(grid, levels), opts)).samples;
    const gridOnly = (await timeIt(() => m.landscape({ ...config, levels: 0 }), opts)).samples;
    const med = (s) => [...s].sort((a, b) => a - b)[s.length >> 1];
    const wasmContours = med(rows[0].samples) - med(gridOnly);
    const table = makeTable({
      id: `contours-${name}`,
      title: `d) Contours, ${LEVELS} levels on ${width}x${height} (grid included): ${name}`,
      unit: 'ms',
      higherIsBetter: false,
      rows,
      notes: [
        `Contours alone (Node medians): wasm m.landscape − m.landscape(levels 0) = ${wasmContours.toFixed(2)} ms; ` +
          `JavaScript marching squares on a ready grid = ${med(msJs).toFixed(2)} ms.`,
      ],
    });
    tables.push(withTarget(table, browser));
  }
  return tables;
}
