// SPDX-License-Identifier: MIT
// Workload g: the page itself. Frame times of 8 racers x 2000 steps at 1280x800
// (tests/bench/frames.mjs), the page's weight (gzip of the wasm, JS and CSS it loads, with
// node:zlib), and the first drawn frame on localhost: from navigation start to the end of the
// first frame in which the landscape was drawn (main.js sets body[data-ready] in that frame's
// callback; the time is taken at the next rAF, after that frame was painted), each load in a
// fresh browser context (cold cache).
import { readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { startServer } from '../../../scripts/lib/static-server.mjs';
import { CHROMIUM, CHROMIUM_ARGS, DIST, requireDist } from '../../e2e/helpers.mjs';
import { framesReport } from '../frames.mjs';
import { interactionReport } from '../interaction.mjs';
import { makeTable } from '../lib/report.mjs';

const WEIGHT_BUDGET_KB = 400;
const FIRST_FRAME_BUDGET_MS = 1000;

/** Installed before the page's scripts: when body[data-ready] turns true, and the next frame. */
function probeFirstFrame() {
  window.__firstFrame = new Promise((resolve) => {
    const observer = new MutationObserver(() => {
      if (document.body?.dataset.ready !== 'true') return;
      observer.disconnect();
      const ready = performance.now();
      requestAnimationFrame(() => resolve({ ready, painted: performance.now() }));
    });
    observer.observe(document, {
      attributes: true,
      subtree: true,
      attributeFilter: ['data-ready'],
    });
  });
}

async function firstFrames(reps) {
  const server = await startServer({ root: DIST, port: 0 });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
  });
  const samples = [];
  const loaded = new Set();
  try {
    for (let i = 0; i < reps + 1; i++) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      try {
        const page = await context.newPage();
        page.on('request', (req) => loaded.add(new URL(req.url()).pathname));
        await page.addInitScript(probeFirstFrame);
        await page.goto(server.url);
        const t = await page.evaluate(() => window.__firstFrame);
        if (i > 0) samples.push(t.painted); // the first load warms the disk cache
      } finally {
        await context.close();
      }
    }
  } finally {
    await browser.close();
    await server.close();
  }
  return { samples, loaded: [...loaded] };
}

async function gzipSizes(paths) {
  const out = [];
  for (const p of paths) {
    const file = join(DIST, p.replace(/^\//, '') || 'index.html');
    const ext = extname(file);
    if (!['.wasm', '.js', '.mjs', '.css', '.html'].includes(ext)) continue;
    const bytes = await readFile(file).catch(() => null);
    if (bytes)
      out.push({
        file: file.slice(DIST.length + 1),
        raw: bytes.length,
        gzip: gzipSync(bytes, { level: 9 }).length,
      });
  }
  return out;
}

export async function run(ctx) {
  const { reps, log } = ctx;
  requireDist();
  const tables = [];

  const first = await firstFrames(reps);
  const files = await gzipSizes(first.loaded);
  const kb = (n) => n / 1024;
  const total = files.reduce((s, f) => s + f.gzip, 0);
  const byType = (re) => files.filter((f) => re.test(f.file)).reduce((s, f) => s + f.gzip, 0);
  const weight = makeTable({
    id: 'page-load',
    title: 'g) Page: first drawn frame on localhost and page weight',
    unit: 'ms',
    higherIsBetter: false,
    rows: [
      {
        contender: 'first drawn frame (navigation start → landscape painted)',
        samples: first.samples,
        ok: null,
        check: '',
      },
    ],
    notes: [
      `Page weight (gzip -9 of what the page loaded: ${files.length} files): ${kb(total).toFixed(1)} KB — ` +
        `wasm ${kb(byType(/\.wasm$/)).toFixed(1)} KB, JS ${kb(byType(/\.m?js$/)).toFixed(1)} KB, ` +
        `CSS ${kb(byType(/\.css$/)).toFixed(1)} KB, HTML ${kb(byType(/\.html$/)).toFixed(1)} KB.`,
    ],
  });
  const medianFirst = weight.rows[0].median;
  weight.target = {
    text: `weight ≤ ${WEIGHT_BUDGET_KB} KB gzip; first drawn frame ≤ ${FIRST_FRAME_BUDGET_MS} ms`,
    met: kb(total) <= WEIGHT_BUDGET_KB && medianFirst <= FIRST_FRAME_BUDGET_MS,
    detail: `${kb(total).toFixed(1)} KB; median ${medianFirst.toFixed(0)} ms`,
  };
  tables.push(weight);

  log('bench: page frame times (two Chromium sessions, about a minute) ...');
  const frames = await framesReport();
  const table = makeTable({
    id: 'page-frames',
    title: 'g) Page: frame time, 8 racers x 2000 steps at 1280x800 (rAF interval while playing)',
    unit: 'ms',
    higherIsBetter: false,
    rows: [
      {
        contender: 'headless Chromium, paced (60 Hz begin-frames)',
        samples: frames.intervals,
        ok: null,
        check: `p95 ${frames.p95Frame.toFixed(1)} ms`,
      },
    ],
    notes: [frames.markdown],
  });
  table.target = {
    text: 'p95 frame time ≤ 16.7 ms (+0.5 ms timestamp jitter)',
    met: frames.met,
    detail: `p95 ${frames.p95Frame.toFixed(1)} ms, ${frames.framesOver25} of ${frames.frames} frames > 25 ms`,
  };
  tables.push(table);

  log(
    'bench: the page at its largest sizes: drags, long tasks (fresh contexts, a few minutes) ...',
  );
  const r = await interactionReport({ quick: ctx.quick });
  const fmt = (x) => (Number.isFinite(x) ? x.toFixed(1) : String(x));
  const dragRow = (name, d, budget) => ({
    table: makeTable({
      id: `page-${name}`,
      title: `g) Page: drag the start, pointer move to the end of the frame that draws its paths, ${name}`,
      unit: 'ms',
      higherIsBetter: false,
      rows: d.failed
        ? []
        : [
            {
              contender: 'headless Chromium, one move at a time, from its dispatch',
              samples: d.samples,
              ok: null,
              check: '',
            },
          ],
      notes: [
        d.failed
          ? `Not measured: ${d.failed}.`
          : `From the move's dispatch (the page's handlers run) to the end of the main-thread work of the first frame that shows its start's paths: p95 ${fmt(d.p95)} ms, median ${fmt(d.median)} ms. From the move's timestamp, which adds the time Chromium holds a move until the next frame begins (up to one frame): p95 ${fmt(d.fromEvent.p95)} ms, median ${fmt(d.fromEvent.median)} ms.`,
      ],
    }),
    target: {
      text: `p95 ≤ ${budget} ms`,
      met: d.failed ? false : d.p95 <= budget,
      detail: d.failed ? d.failed : `p95 ${fmt(d.p95)} ms`,
    },
  });
  for (const [name, d, budget] of [
    ['8 racers x 2000 steps', r.drag8, 16.7],
    ['12 racers x 10000 steps', r.drag12, 50],
  ]) {
    const { table: t, target } = dragRow(name, d, budget);
    t.target = target;
    tables.push(t);
  }
  const big = r.largest;
  const bigTable = makeTable({
    id: 'page-largest',
    title: `g) Page: the largest link, 12 racers x ${ctx.quick ? 20000 : 100000} steps: longest main-thread task`,
    unit: 'ms',
    higherIsBetter: false,
    rows: big.failed
      ? []
      : [
          { contender: 'while loading', samples: [big.load], ok: null, check: '' },
          { contender: 'while playing', samples: [big.play], ok: null, check: '' },
          { contender: 'while dragging', samples: [big.drag], ok: null, check: '' },
        ],
    notes: [
      big.failed
        ? `Not measured: ${big.failed}.`
        : `Long tasks (over 50 ms) while loading, playing, dragging: ${big.counts.join(', ')}.`,
    ],
  });
  const longest = big.failed ? NaN : Math.max(big.load, big.play, big.drag);
  bigTable.target = {
    text: 'no main-thread task > 100 ms while loading, playing and dragging',
    met: !big.failed && longest <= 100,
    detail: big.failed ? big.failed : `longest ${fmt(longest)} ms`,
  };
  tables.push(bigTable);
  const play = r.play12;
  const playTable = makeTable({
    id: 'page-play12',
    title: 'g) Page: 12 racers x 2000 steps playing (rAF interval)',
    unit: 'ms',
    higherIsBetter: false,
    rows: play.failed
      ? []
      : [
          {
            contender: 'headless Chromium, 60 Hz paced',
            samples: play.intervals,
            ok: null,
            check: '',
          },
        ],
    notes: [
      play.failed
        ? `Not measured: ${play.failed}.`
        : `p95 frame ${fmt(play.p95)} ms over ${play.frames} frames; longest task ${fmt(play.maxTask)} ms.`,
    ],
  });
  playTable.target = {
    text: 'p95 frame ≤ 16.7 ms (+0.5 ms jitter), no task > 50 ms',
    met: !play.failed && play.p95 <= 17.2 && play.maxTask <= 50,
    detail: play.failed
      ? play.failed
      : `p95 ${fmt(play.p95)} ms, longest task ${fmt(play.maxTask)} ms`,
  };
  tables.push(playTable);
  if (r.errors.length)
    log(`bench: page errors during the interaction runs: ${r.errors.join(' | ')}`);
  return tables;
}
