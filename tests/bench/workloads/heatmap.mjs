// SPDX-License-Identifier: MIT
// Workload c: the heat map, 800 x 600 with the page's colour table, on Rosenbrock and
// Rastrigin over each function's domain. wasm: the values from the core and the page's
// colouring into RGBA (js/shared.mjs wasmHeat); native: the same in C++; JavaScript:
// evaluation and colouring by hand. Check: the sum of the image's RGB bytes against the wasm
// image (the same float32 values give the same pixels; evaluation order may move a node
// across a table entry, so 1e-4 relative is allowed).
import { COLOUR_TABLE } from '../../../web/render/landscape.js';
import { heatMap } from '../js/landscape.mjs';
import { heatSummary, wasmHeat } from '../js/shared.mjs';
import { relDiff, timeIt } from '../lib/measure.mjs';
import { makeTable } from '../lib/report.mjs';

const TOLERANCE = 1e-4;

export async function run(ctx) {
  const { m, reps, browser, native } = ctx;
  const width = ctx.sizes.width ?? 800;
  const height = ctx.sizes.height ?? 600;
  const tables = [];
  for (const name of ['rosenbrock', 'rastrigin']) {
    const info = m.functionInfo({ name });
    const box = info.domain;
    const config = { function: info.function, box, width, height, scale: 'log' };
    const ref = heatSummary(wasmHeat(m, config, COLOUR_TABLE)).rgbSum;
    const check = (s) => {
      const d = relDiff(s.rgbSum, ref);
      return { ok: d <= TOLERANCE, check: `RGB sum Δ ${d.toExponential(1)}` };
    };
    const opts = { warmup: 2, repetitions: ctx.quick ? reps : Math.max(reps, 7) };
    const rows = [];
    let r = await timeIt(() => heatSummary(wasmHeat(m, config, COLOUR_TABLE)), opts);
    rows.push({
      contender: 'wasm, Node: m.heatmap (RGBA from the core)',
      samples: r.samples,
      ...check(r.result),
    });
    if (browser) {
      r = await browser.time('heatWasm', { config }, opts);
      rows.push({ contender: 'wasm, Chromium: same', samples: r.samples, ...check(r.result) });
    }
    if (native.available) {
      const out = native.run({
        kind: 'heat',
        config: { ...config, levels: 0 },
        colour_table: Array.from(COLOUR_TABLE),
        repetitions: opts.repetitions,
        warmup: 2,
      });
      rows.push({
        contender: 'native: compute_landscape with the colour map',
        samples: out.samples_ms,
        ...check(out.result),
      });
    }
    r = await timeIt(() => heatSummary(heatMap(name, box, width, height, COLOUR_TABLE)), opts);
    rows.push({ contender: 'JavaScript, Node', samples: r.samples, ...check(r.result) });
    if (browser) {
      r = await browser.time('heatJs', { name, box, width, height }, opts);
      rows.push({ contender: 'JavaScript, Chromium', samples: r.samples, ...check(r.result) });
    }
    const table = makeTable({
      id: `heatmap-${name}`,
      title: `c) Heat map ${width}x${height} with colour table: ${name}`,
      unit: 'ms',
      higherIsBetter: false,
      rows,
      notes: [
        'wasm: m.heatmap colours the nodes in the core; its RGBA view is copied once, as the page does. ' +
          'JavaScript: per-node evaluation and log1p scale into the same 256-entry table.',
      ],
    });
    tables.push(withTarget(table, browser));
  }
  return tables;
}

/** wasm ≤ 0.5x JS, in Chromium when measured there, else in Node. */
export function withTarget(table, browser) {
  const pick = (prefix) =>
    table.rows.find((r) => r.contender.startsWith(prefix) && r.ok !== false)?.median;
  const where = browser ? 'Chromium' : 'Node';
  const wasm = pick(`wasm, ${where}`);
  const js = pick(`JavaScript, ${where}`);
  const ratio = wasm / js;
  table.target = {
    text: `wasm ≤ 0.5x hand-written JS (${where})`,
    met: Number.isFinite(ratio) ? ratio <= 0.5 : null,
    detail: `wasm / JS = ${ratio.toFixed(2)}x`,
  };
  return table;
}
