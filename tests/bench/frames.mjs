// SPDX-License-Identifier: MIT
// npm run bench (tests/bench/workloads/page.mjs), or run alone: frame times of the playground while 8 racers animate a
// 2000-step race at 1280x800 in headless Chromium. A benchmark, not a test: it prints numbers
// and only fails when the page cannot be measured.
//
// Several measurements, because headless Chromium's frame clock is not a display's vsync:
// 1. rAF interval (default flags): the time between requestAnimationFrame timestamps. Headless
//    Chromium paces begin-frames at 60 Hz, so this is 16.7 ms when the page keeps up and a
//    multiple of it when it drops frames. "Dropped" counts intervals over 1.5 x 16.7 ms.
// 2. Frame work, two ways, through a requestAnimationFrame wrapper installed before the page's
//    scripts run: (a) the page's rAF callbacks (and the microtasks they queue), timed with
//    performance.now(): the frame's JavaScript, i.e. issuing the canvas drawing commands and
//    moving the chart cursors; (b) the frame's main-thread time, from its first rAF callback
//    until a message posted from it arrives, which is after style, layout, paint and commit
//    (where Chromium rasterises a software 2D canvas under --disable-gpu).
//    Both are wall times: on a busy shared machine other processes inflate them. So also
//    (c) the main thread's CPU time per frame from a Chromium trace (thread time of the
//    renderer's tasks between two BeginMainThreadFrame events), which they do not inflate.
// 3. rAF interval with --disable-frame-rate-limit --disable-gpu-vsync: begin-frames are not
//    paced, so the interval is the whole cost of a frame on this machine.
// The verdict is the brief's: 60 fps held when the p95 rAF interval (1) is <= 16.7 ms, give or
// take the 0.5 ms jitter of headless Chromium's frame timestamps.

import { performance } from 'node:perf_hooks';
import { availableParallelism, loadavg } from 'node:os';
import process from 'node:process';
import { pathToFileURL } from 'node:url';
import { hook, openPage, startBrowser, waitReady } from '../e2e/helpers.mjs';

const FRAME_BUDGET_MS = 1000 / 60;
/**
 * Headless Chromium's begin-frame timestamps come in 0.1 ms steps and jitter by a few tenths
 * of a millisecond around 16.67 ms even on an idle page (the "paused" row shows it), so 16.7 ms
 * is compared with that allowance: a missed frame would read 33 ms.
 */
const BUDGET_WITH_JITTER_MS = 16.7 + 0.5;
const RACERS = [
  'sgd_momentum(lr=0.002)',
  'adam(lr=0.02)',
  'rmsprop(lr=0.01)',
  'adagrad(lr=0.5)',
  'sgd(lr=0.002)',
  'nadam(lr=0.02)',
  'radam(lr=0.003)',
  'lookahead(inner=adam(lr=0.02))',
];
const STEPS = 2000;
const LINK = `#v=1&steps=${STEPS}&${RACERS.map((r) => `r=${r}`).join('&')}`;
/** Where each measured stretch of playback starts, and how long it is measured at most. */
const STARTS = [0, 700, 1400];
const WINDOW_MS = 2000;
const WARMUP_MS = 1000;

/**
 * Installed before the page's scripts: times every rAF callback the page registers (work per
 * frame) and remembers when each frame's first callback started.
 */
function installFrameProbe() {
  const raf = window.requestAnimationFrame.bind(window);
  const bench = { raf, recording: false, work: new Map(), starts: new Map() };
  bench.markStart = (timestamp, t) => {
    if (!(bench.starts.get(timestamp) <= t)) bench.starts.set(timestamp, t);
  };
  window.__bench = bench;
  window.requestAnimationFrame = (callback) =>
    raf((timestamp) => {
      const t0 = performance.now();
      try {
        return callback(timestamp);
      } finally {
        if (bench.recording) {
          bench.markStart(timestamp, t0);
          // Microtasks the callback queued (e.g. uPlot's batched redraws) run before this one.
          queueMicrotask(() => {
            bench.work.set(timestamp, (bench.work.get(timestamp) ?? 0) + performance.now() - t0);
          });
        }
      }
    });
}

/**
 * In the page, while the race plays (up to maxMs): rAF timestamps, the page's rAF work per
 * frame, and each frame's main-thread time: from its first rAF callback until a message posted
 * from the rAF callbacks is delivered, i.e. after style, layout, paint and the canvas flush.
 */
function record(maxMs) {
  return new Promise((resolve) => {
    const bench = window.__bench;
    bench.work = new Map();
    bench.starts = new Map();
    bench.recording = true;
    const stamps = [];
    const steps = [];
    const mainThread = [];
    const channel = new MessageChannel();
    channel.port1.onmessage = ({ data: timestamp }) => {
      mainThread.push(performance.now() - bench.starts.get(timestamp));
    };
    let t0 = null;
    const tick = (timestamp) => {
      bench.markStart(timestamp, performance.now());
      t0 ??= timestamp;
      const playing = document.getElementById('play').getAttribute('aria-pressed') === 'true';
      if (!playing || timestamp - t0 > maxMs) {
        bench.recording = false;
        channel.port1.close();
        resolve({ stamps, steps, work: [...bench.work.values()], mainThread, playing });
        return;
      }
      stamps.push(timestamp);
      steps.push(window.__playground.step);
      channel.port2.postMessage(timestamp);
      bench.raf(tick);
    };
    bench.raf(tick);
  });
}

function quantile(values, q) {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
}

async function play(page) {
  if ((await page.locator('#play').getAttribute('aria-pressed')) !== 'true') {
    await page.locator('#play').click();
  }
}

async function pause(page) {
  if ((await page.locator('#play').getAttribute('aria-pressed')) === 'true') {
    await page.locator('#play').click();
  }
}

/** Plays stretches of the race and returns the frame intervals and per-frame work. */
async function measure(page, { recordWork }) {
  await pause(page);
  await page.locator('#reset').click();
  await play(page);
  await page.evaluate(record, WARMUP_MS);
  const intervals = [];
  const work = [];
  const mainThread = [];
  let steps = 0;
  let ms = 0;
  for (const start of STARTS) {
    await pause(page);
    await page.locator('#scrubber').fill(String(start));
    await page.waitForFunction((s) => window.__playground.step === s, start);
    await play(page);
    const r = await page.evaluate(record, WINDOW_MS);
    for (let i = 1; i < r.stamps.length; i++) intervals.push(r.stamps[i] - r.stamps[i - 1]);
    if (recordWork) work.push(...r.work);
    mainThread.push(...r.mainThread);
    if (r.stamps.length > 1) {
      steps += r.steps.at(-1) - r.steps[0];
      ms += r.stamps.at(-1) - r.stamps[0];
    }
  }
  await pause(page);
  return { intervals, work, mainThread, stepsPerSecond: ms > 0 ? (1000 * steps) / ms : NaN };
}

/**
 * Main-thread CPU time per frame from a Chromium trace, which counts thread time (tdur), not
 * wall time, so other processes on a shared machine do not inflate it: the renderer's
 * top-level tasks between consecutive BeginMainThreadFrame events, summed per frame.
 */
async function traceFrames(page, start) {
  const cdp = await page.context().newCDPSession(page);
  const events = [];
  cdp.on('Tracing.dataCollected', ({ value }) => events.push(...value));
  const complete = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
  await pause(page);
  await page.locator('#scrubber').fill(String(start));
  await page.waitForFunction((s) => window.__playground.step === s, start);
  await play(page);
  await cdp.send('Tracing.start', {
    categories: [
      'devtools.timeline',
      'disabled-by-default-devtools.timeline',
      'disabled-by-default-devtools.timeline.frame',
    ].join(','),
    transferMode: 'ReportEvents',
  });
  await page.waitForTimeout(WINDOW_MS);
  await cdp.send('Tracing.end');
  await complete;
  await pause(page);
  await cdp.detach();

  const main = new Set(
    events
      .filter((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain')
      .map((e) => `${e.pid}:${e.tid}`),
  );
  const onMain = (e) => main.has(`${e.pid}:${e.tid}`);
  // The page's renderer: the main thread with the most frames.
  const frames = new Map();
  for (const e of events) {
    if (e.name === 'BeginMainThreadFrame' && onMain(e)) {
      const key = `${e.pid}:${e.tid}`;
      if (!frames.has(key)) frames.set(key, []);
      frames.get(key).push(e.ts);
    }
  }
  const [thread, begins] = [...frames.entries()].sort((a, b) => b[1].length - a[1].length)[0] ?? [];
  if (!begins || begins.length < 3) return [];
  begins.sort((a, b) => a - b);
  const tasks = events
    .filter((e) => e.ph === 'X' && e.name === 'RunTask' && `${e.pid}:${e.tid}` === thread)
    .sort((a, b) => a.ts - b.ts);
  const cpu = new Array(begins.length - 1).fill(0);
  let end = -Infinity;
  let k = 0;
  for (const task of tasks) {
    if (task.ts < end) continue; // nested
    end = task.ts + (task.dur ?? 0);
    while (k + 1 < begins.length && begins[k + 1] <= task.ts) k++;
    if (task.ts >= begins[0] && k < cpu.length) cpu[k] += (task.tdur ?? task.dur ?? 0) / 1000;
  }
  return cpu;
}

/** Frame intervals while the page is paused (the idle floor of the frame clock). */
async function idle(page) {
  await pause(page);
  return page.evaluate(
    (ms) =>
      new Promise((resolve) => {
        const stamps = [];
        const tick = (t) => {
          stamps.push(t);
          if (t - stamps[0] < ms) window.__bench.raf(tick);
          else resolve(stamps.slice(1).map((s, i) => s - stamps[i]));
        };
        window.__bench.raf(tick);
      }),
    1500,
  );
}

async function session(args) {
  const browser = await startBrowser({ viewport: { width: 1280, height: 800 }, args });
  try {
    const { page, log } = await openPage(browser.context, `${browser.url}${LINK}`, {
      setup: (p) => p.addInitScript(installFrameProbe),
    });
    await waitReady(page);
    const state = await hook(page);
    if (state?.racers?.length !== RACERS.length || state.steps !== STEPS) {
      throw new Error(
        `the link did not load as ${RACERS.length} racers x ${STEPS} steps: ` +
          `${JSON.stringify(state)}; alert: ${await page.locator('#alert').textContent()}`,
      );
    }
    const speedLabel = page.locator('#speed-value');
    const speed =
      (await speedLabel.count()) > 0
        ? (await speedLabel.textContent()).trim()
        : `slider ${await page.locator('#speed').inputValue()}`;
    const result = await measure(page, { recordWork: true });
    const idleIntervals = await idle(page);
    const cpu = args.length === 0 ? await traceFrames(page, 700) : [];
    return { ...result, idleIntervals, cpu, speed, errors: [...log.errors, ...log.consoleErrors] };
  } finally {
    await browser.close();
  }
}

function row(name, values, note = '') {
  const median = quantile(values, 0.5);
  const p95 = quantile(values, 0.95);
  const ok = p95 <= BUDGET_WITH_JITTER_MS ? 'yes' : 'no';
  return `| ${name} | ${values.length} | ${median.toFixed(2)} | ${p95.toFixed(2)} | ${ok} | ${note} |`;
}

/**
 * Measures the frame times (two Chromium sessions) and returns { markdown, p95Frame, p95Cpu,
 * framesOver25, frames, errors, met } where `met` is the brief's verdict.
 */
export async function framesReport() {
  const out = [];
  const t0 = performance.now();
  const paced = await session([]);
  const unpaced = await session(['--disable-frame-rate-limit', '--disable-gpu-vsync']);
  const late = (values) => values.filter((d) => d > 1.5 * FRAME_BUDGET_MS).length;
  out.push(
    `Playground frame times: ${RACERS.length} racers x ${STEPS} steps at 1280x800 in headless ` +
      `Chromium (--disable-gpu), playback speed ${paced.speed} (measured ` +
      `${paced.stepsPerSecond.toFixed(0)} steps/s); ${STARTS.length} stretches of ${WINDOW_MS} ms ` +
      `starting at steps ${STARTS.join(', ')}, after a ${WARMUP_MS} ms warm-up.\n`,
  );
  out.push('| measurement | frames | median ms | p95 ms | p95 <= 16.7 ms (+0.5 jitter) | note |');
  out.push('|---|---:|---:|---:|:---:|---|');
  out.push(
    row(
      'frame time: rAF interval, playing',
      paced.intervals,
      `60 Hz paced; ${late(paced.intervals)} frames > 25 ms (dropped)`,
    ),
  );
  out.push(row('frame time: rAF interval, paused', paced.idleIntervals, 'idle floor'));
  out.push(row('frame work: page rAF callbacks', paced.work, "the page's JS per frame"));
  out.push(
    row(
      'frame work: main thread per frame',
      paced.mainThread,
      'rAF callbacks + style, layout, paint, canvas flush',
    ),
  );
  out.push(
    row(
      'frame work: main-thread CPU per frame',
      paced.cpu,
      'all main-thread tasks per frame, CPU time from a Chromium trace (from step 700); other processes do not inflate it',
    ),
  );
  const fps = 1000 / quantile(unpaced.intervals, 0.5);
  out.push(
    row(
      'frame time unpaced: rAF interval',
      unpaced.intervals,
      `--disable-frame-rate-limit --disable-gpu-vsync: ${fps.toFixed(0)} fps median`,
    ),
  );
  out.push(row('frame work unpaced: main thread', unpaced.mainThread, ''));
  const p95Cpu = quantile(paced.cpu, 0.95);
  const p95Frame = quantile(paced.intervals, 0.95);
  const met = p95Frame <= BUDGET_WITH_JITTER_MS;
  out.push(
    `\n60 fps held (p95 frame time <= 16.7 ms, +0.5 ms timestamp jitter): ` +
      `${met ? 'yes' : 'no'}, ` +
      `p95 ${p95Frame.toFixed(1)} ms; ${late(paced.intervals)} of ${paced.intervals.length} ` +
      `frames took over 25 ms. Main-thread CPU per frame: p95 ${p95Cpu.toFixed(1)} ms of the ` +
      `16.7 ms budget. ` +
      `Load average during the run: ${loadavg()
        .map((x) => x.toFixed(1))
        .join(', ')} on ${availableParallelism()} cores. ` +
      `Took ${((performance.now() - t0) / 1000).toFixed(1)} s.`,
  );
  const errors = [...paced.errors, ...unpaced.errors];
  if (errors.length) out.push(`Page errors during the benchmark: ${errors.join(' | ')}`);
  return {
    markdown: out.join('\n'),
    p95Frame,
    p95Cpu,
    framesOver25: late(paced.intervals),
    frames: paced.intervals.length,
    intervals: paced.intervals,
    errors,
    met,
  };
}

// Run directly (node tests/bench/frames.mjs): print the table.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    console.log(`\n${(await framesReport()).markdown}`);
  } catch (err) {
    console.error(`bench (frames): ${err.message}`);
    process.exitCode = 1;
  }
}
