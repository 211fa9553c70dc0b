// SPDX-License-Identifier: MIT
// What the page exports, as bytes and text, without the DOM: the figure's PNG with the share
// link in a text chunk, each racer's run in the JSON of optim-run (which reads it back) and as
// CSV, and the lab's and the network's tables as CSV.

/** The PNG text chunk's keyword under which the figure carries its link. */
export const LINK_KEYWORD = 'optimizer-playground';

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 of bytes (PNG, ISO 3309). */
export function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

const SIGNATURE = [137, 80, 78, 71, 13, 10, 26, 10];
const latin1 = (text) => Uint8Array.from(text, (ch) => ch.charCodeAt(0));

function assertPng(png) {
  if (png.length < 33 || SIGNATURE.some((b, i) => png[i] !== b)) {
    throw new Error('not a PNG image');
  }
}

/**
 * `png` (Uint8Array) with a tEXt chunk `keyword` = `text` right after its header chunk.
 * tEXt holds Latin-1: a link is ASCII (percent-encoded), anything else is refused.
 */
export function withTextChunk(png, keyword, text) {
  assertPng(png);
  if (!/^[\x20-\x7e]{1,79}$/.test(keyword))
    throw new Error('a PNG keyword is 1-79 ASCII characters');
  if (!/^[\x20-\x7e]*$/.test(text)) throw new Error('the PNG text must be printable ASCII');
  const data = new Uint8Array([...latin1(keyword), 0, ...latin1(text)]);
  const chunk = new Uint8Array(12 + data.length);
  const view = new DataView(chunk.buffer);
  view.setUint32(0, data.length);
  chunk.set(latin1('tEXt'), 4);
  chunk.set(data, 8);
  view.setUint32(8 + data.length, crc32(chunk.subarray(4, 8 + data.length)));
  // The signature (8 bytes), then IHDR: length 13 + type + data + CRC = 25 bytes.
  const at = 8 + 25;
  const out = new Uint8Array(png.length + chunk.length);
  out.set(png.subarray(0, at));
  out.set(chunk, at);
  out.set(png.subarray(at), at + chunk.length);
  return out;
}

/** The tEXt chunks of a PNG: { keyword: text }, each chunk's CRC checked. */
export function readTextChunks(png) {
  assertPng(png);
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const out = {};
  for (let at = 8; at + 12 <= png.length; ) {
    const length = view.getUint32(at);
    const type = String.fromCharCode(...png.subarray(at + 4, at + 8));
    const end = at + 12 + length;
    if (end > png.length) throw new Error(`PNG chunk ${type} runs past the end`);
    if (crc32(png.subarray(at + 4, at + 8 + length)) !== view.getUint32(at + 8 + length)) {
      throw new Error(`PNG chunk ${type} has a bad CRC`);
    }
    if (type === 'tEXt') {
      const data = png.subarray(at + 8, at + 8 + length);
      const zero = data.indexOf(0);
      const text = (bytes) => String.fromCharCode(...bytes);
      out[text(data.subarray(0, zero))] = text(data.subarray(zero + 1));
    }
    if (type === 'IEND') break;
    at = end;
  }
  return out;
}

/** Pairs [x0, y0, x1, y1, ...] -> [[x0, y0], [x1, y1], ...]. */
function pairs(flat) {
  const out = [];
  for (let i = 0; i + 1 < flat.length; i += 2) out.push([flat[i], flat[i + 1]]);
  return out;
}

/** A state series of m.run ({ width, values }) as rows (width 1: plain numbers). */
function seriesRows({ width, values }) {
  const all = Array.from(values);
  if (width <= 1) return all;
  const rows = [];
  for (let i = 0; i < all.length; i += width) rows.push(all.slice(i, i + width));
  return rows;
}

/**
 * One racer's run (an m.run result, which carries its normalized config) in optim-run's JSON
 * (README "The command-line runner"): config (optim-run runs it again), steps, trajectory, f,
 * lr, state, diverged, diverged_at, divergence_reason.
 */
export function runJson(result) {
  return {
    config: result.config,
    steps: result.steps,
    trajectory: pairs(result.trajectory),
    f: Array.from(result.loss),
    lr: Array.from(result.lr),
    state: Object.fromEntries(
      Object.entries(result.state).map(([name, series]) => [name, seriesRows(series)]),
    ),
    diverged: result.diverged,
    diverged_at: result.divergedAt ?? null,
    divergence_reason: result.divergenceReason,
  };
}

/** The race as one JSON document: the link and every racer's run (runJson), in racer order. */
export function raceJson(link, results) {
  return { format: 'optimizer-playground/runs', version: 1, link, runs: results.map(runJson) };
}

/** A CSV field: numbers as JavaScript writes them (shortest round trip), text quoted if needed. */
function field(v) {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return String(v);
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** CSV text of a header row and data rows (RFC 4180, \n line ends). */
export function csv(header, rows) {
  return [header, ...rows].map((row) => row.map(field).join(',')).join('\n') + '\n';
}

/** A state series' CSV columns: name for a scalar, name_x and name_y for a 2-vector. */
function stateColumns(name, rows) {
  const first = rows[0];
  if (!Array.isArray(first)) return [name];
  if (first.length === 2) return [`${name}_x`, `${name}_y`];
  return first.map((_, k) => `${name}_${k}`);
}

/**
 * The race as CSV, one row per racer and iterate: racer, method, step, x, y, f, lr (blank at
 * step 0, as optim-run writes it) and every state column any racer has (blank where a racer
 * has none): optim-run's CSV with the racer in front.
 */
export function raceCsv(results) {
  const docs = results.map(runJson);
  const columns = [];
  for (const doc of docs) {
    for (const [name, rows] of Object.entries(doc.state)) {
      for (const c of stateColumns(name, rows)) if (!columns.includes(c)) columns.push(c);
    }
  }
  const rows = [];
  docs.forEach((doc, r) => {
    const state = new Map();
    for (const [name, series] of Object.entries(doc.state)) {
      stateColumns(name, series).forEach((c, k) =>
        state.set(c, (i) => (Array.isArray(series[i]) ? series[i][k] : series[i])),
      );
    }
    doc.trajectory.forEach(([x, y], step) => {
      const i = step - 1;
      rows.push([
        r,
        doc.config.optimizer.name,
        step,
        x,
        y,
        doc.f[step],
        step > 0 ? doc.lr[i] : null,
        ...columns.map((c) => (step > 0 && state.has(c) ? state.get(c)(i) : null)),
      ]);
    });
  });
  return csv(['racer', 'method', 'step', 'x', 'y', 'f', 'lr', ...columns], rows);
}

/**
 * The lab's ensemble as CSV, one row per racer and run: the racer, its method, the run, where
 * it ended (x, y), the basin it reached (its label, "elsewhere" or "diverged"), the training
 * loss, the test loss and the gap there. `result` is the joined ensemble (lab/model.js),
 * `names` the racers' methods, `basinNames` the labels of the minima in the core's order.
 */
export function labCsv(result, names, basinNames) {
  const rows = [];
  result.racers.forEach((r, i) => {
    const runs = r.basin.length;
    for (let k = 0; k < runs; k++) {
      const b = r.basin[k];
      const where = b >= 0 ? basinNames[b] : b === -1 ? 'elsewhere' : 'diverged';
      rows.push([
        i,
        names[i],
        k,
        r.endpoints[2 * k],
        r.endpoints[2 * k + 1],
        where,
        r.trainLoss[k],
        r.testLoss[k],
        r.gap[k],
      ]);
    }
  });
  return csv(['racer', 'method', 'run', 'x', 'y', 'basin', 'train_loss', 'test_loss', 'gap'], rows);
}

/**
 * The network's training race as CSV, one row per racer and evaluation: step, training and
 * test loss and accuracy. `result` is the Worker's trainRace result.
 */
export function networkCsv(result, names) {
  const rows = [];
  result.racers.forEach((r, i) => {
    const h = r.history;
    h.evalSteps.forEach((step, k) =>
      rows.push([
        i,
        names[i],
        step,
        h.trainLoss[k],
        h.testLoss[k],
        h.trainAccuracy[k],
        h.testAccuracy[k],
      ]),
    );
  });
  return csv(
    ['racer', 'method', 'step', 'train_loss', 'test_loss', 'train_accuracy', 'test_accuracy'],
    rows,
  );
}
