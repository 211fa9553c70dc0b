// SPDX-License-Identifier: MIT
// The lab's two pictures of train and test surface (Keskar et al. 2017, Fig. 1): a 1-D cross-
// section through the minima, train loss solid and test loss dashed, and a small 2-D map with
// both surfaces' contours and the ensemble's endpoints. Every value comes from the core
// (m.grid, m.evaluate, m.landscape); the test surface is test(x, y) = f(x - dx, y - dy).

/** Points of the cross-section. */
const SECTION_POINTS = 241;
/** Beyond the two minima, the cross-section extends this fraction of their distance. */
const SECTION_MARGIN = 0.6;
/** Contour levels of the map. */
const MAP_LEVELS = 12;
/** Longest side of the map's grid, in nodes. */
const MAP_GRID = 160;
/** The test surface's colour (the train surface is drawn in the text colour). */
export const TEST_COLOUR = '#d9480f';

/** Canvas sized to its CSS box (or `fallback` when not laid out), scaled for the pixel ratio. */
export function prepareCanvas(canvas, fallback) {
  const dpr = Math.max(1, Math.min(3, globalThis.devicePixelRatio || 1));
  const width = Math.round(canvas.clientWidth || fallback.width);
  const height = Math.round(canvas.clientHeight || fallback.height);
  if (canvas.width !== Math.round(width * dpr)) canvas.width = Math.round(width * dpr);
  if (canvas.height !== Math.round(height * dpr)) canvas.height = Math.round(height * dpr);
  const ctx = canvas.getContext('2d');
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, width, height);
  return { ctx, width, height };
}

/** About `count` round tick values covering [lo, hi]. */
export function niceTicks(lo, hi, count = 5) {
  if (!(hi > lo) || !Number.isFinite(hi - lo)) return Number.isFinite(lo) ? [lo] : [];
  const raw = (hi - lo) / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((k) => k * power).find((s) => s >= raw) ?? 10 * power;
  const ticks = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) {
    ticks.push(Math.abs(v) < step * 1e-9 ? 0 : Number(v.toPrecision(12)));
  }
  return ticks;
}

/** Short tick text: up to 3 significant digits. */
export function tickText(v) {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e4 || a < 1e-3) return v.toExponential(1);
  return String(Number(v.toPrecision(3)));
}

/** The line of the cross-section: a point on it and its unit direction, and its extent [s0, s1]. */
function sectionLine(minima, domain, start) {
  if (minima.length >= 2) {
    // From the minimum on the left (below, on a vertical line), so that the line runs along +x.
    let [a, b] = minima;
    if (b.x < a.x || (b.x === a.x && b.y < a.y)) [a, b] = [b, a];
    const dx = b.x - a.x;
    const dy = b.y - a.y;
    const length = Math.hypot(dx, dy);
    if (length > 0) {
      const margin = SECTION_MARGIN * length;
      return {
        through: 'minima',
        x: a.x,
        y: a.y,
        ux: dx / length,
        uy: dy / length,
        s0: -margin,
        s1: length + margin,
      };
    }
  }
  const through = minima.length ? 'minimum' : 'start';
  const y = minima.length ? minima[0].y : start[1];
  return { through, x: 0, y, ux: 1, uy: 0, s0: domain.xmin, s1: domain.xmax };
}

/** Is (x, y) on the cross-section's line (within a millionth of its length)? */
export function onSectionLine(section, x, y) {
  const { line } = section;
  const distance = Math.abs((x - line.x) * line.uy - (y - line.y) * line.ux);
  return distance <= 1e-6 * (line.s1 - line.s0);
}

/**
 * The surface along the line through the first two minima (else horizontally through the
 * minimum or the start), train and test, from the core: { line, axis: 'x' | 'y', at, train,
 * test } with `at` the coordinate shown on the horizontal axis and line.through 'minima',
 * 'minimum' or 'start'. A horizontal line is one m.grid call
 * per surface; any other line m.evaluate per point.
 */
export function crossSection(m, fn, info, offset) {
  const line = sectionLine(info.minima, info.domain, info.start);
  const n = SECTION_POINTS;
  const at = new Float64Array(n);
  let train;
  let test;
  if (line.uy === 0) {
    // Row 1 of a two-row grid is its box's ymin: the line y = line.y.
    const row = (shift) => {
      const values = m.grid({
        function: fn,
        box: {
          xmin: line.x + line.s0 - shift,
          xmax: line.x + line.s1 - shift,
          ymin: line.y,
          ymax: line.y + 1,
        },
        width: n,
        height: 2,
      });
      return Float64Array.from(values.subarray(n, 2 * n));
    };
    train = row(0);
    test = row(offset);
    for (let i = 0; i < n; i += 1) at[i] = line.x + line.s0 + ((line.s1 - line.s0) * i) / (n - 1);
  } else {
    train = new Float64Array(n);
    test = new Float64Array(n);
    for (let i = 0; i < n; i += 1) {
      const s = line.s0 + ((line.s1 - line.s0) * i) / (n - 1);
      const x = line.x + s * line.ux;
      const y = line.y + s * line.uy;
      at[i] = Math.abs(line.ux) >= Math.abs(line.uy) ? x : y;
      train[i] = m.evaluate(fn, x, y).value;
      test[i] = m.evaluate(fn, x - offset, y).value;
    }
  }
  return { line, axis: Math.abs(line.ux) >= Math.abs(line.uy) ? 'x' : 'y', at, train, test };
}

/** The q-quantile (0..1) of the finite values of the arrays. */
function quantile(arrays, q) {
  const values = [];
  for (const a of arrays) for (const v of a) if (Number.isFinite(v)) values.push(v);
  if (!values.length) return NaN;
  values.sort((a, b) => a - b);
  return values[Math.min(values.length - 1, Math.floor(q * (values.length - 1)))];
}

function drawAxes(ctx, plot, xTicks, yTicks, toX, toY, theme) {
  ctx.strokeStyle = theme.grid;
  ctx.lineWidth = 1;
  ctx.fillStyle = theme.text;
  ctx.font = '10px system-ui, sans-serif';
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  for (const v of xTicks) {
    const px = Math.round(toX(v)) + 0.5;
    ctx.beginPath();
    ctx.moveTo(px, plot.top);
    ctx.lineTo(px, plot.bottom);
    ctx.stroke();
    ctx.fillText(tickText(v), px, plot.bottom + 3);
  }
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  for (const v of yTicks) {
    const py = Math.round(toY(v)) + 0.5;
    ctx.beginPath();
    ctx.moveTo(plot.left, py);
    ctx.lineTo(plot.right, py);
    ctx.stroke();
    ctx.fillText(tickText(v), plot.left - 4, py);
  }
}

/**
 * Draws the cross-section on `canvas`. `marks`: the minima on the line, { at, train, test,
 * label } (the vertical bar between train and test loss is the gap there). Returns the number
 * of finite points drawn.
 */
export function drawCrossSection(canvas, section, marks, theme) {
  const { ctx, width, height } = prepareCanvas(canvas, { width: 360, height: 200 });
  const plot = { left: 40, right: width - 8, top: 8, bottom: height - 18 };
  const { at, train, test } = section;
  const lo = Math.min(quantile([train, test], 0), ...marks.map((k) => k.train));
  let hi = quantile([train, test], 0.95);
  hi = Math.max(hi, ...marks.map((k) => k.test).filter(Number.isFinite));
  if (!(hi > lo)) hi = lo + 1;
  const pad = 0.06 * (hi - lo);
  const y0 = lo - pad;
  const y1 = hi + pad;
  const x0 = at[0];
  const x1 = at[at.length - 1];
  const toX = (v) => plot.left + ((v - x0) / (x1 - x0)) * (plot.right - plot.left);
  const toY = (v) => plot.bottom - ((v - y0) / (y1 - y0)) * (plot.bottom - plot.top);
  drawAxes(ctx, plot, niceTicks(x0, x1, 6), niceTicks(y0, y1, 4), toX, toY, theme);

  ctx.save();
  ctx.beginPath();
  ctx.rect(plot.left, plot.top, plot.right - plot.left, plot.bottom - plot.top);
  ctx.clip();
  let drawn = 0;
  const curve = (values, colour, dash) => {
    ctx.strokeStyle = colour;
    ctx.lineWidth = 2;
    ctx.setLineDash(dash);
    ctx.beginPath();
    let pen = false;
    for (let i = 0; i < values.length; i += 1) {
      const v = values[i];
      if (!Number.isFinite(v)) {
        pen = false;
        continue;
      }
      drawn += 1;
      const px = toX(at[i]);
      const py = toY(Math.min(v, y1 + (y1 - y0)));
      if (pen) ctx.lineTo(px, py);
      else ctx.moveTo(px, py);
      pen = true;
    }
    ctx.stroke();
  };
  curve(train, theme.text, []);
  curve(test, TEST_COLOUR, [6, 4]);
  ctx.setLineDash([]);
  // The gap at each minimum: a bar from its train loss up (or down) to its test loss.
  ctx.font = 'bold 11px system-ui, sans-serif';
  ctx.textAlign = 'center';
  ctx.textBaseline = 'bottom';
  for (const mark of marks) {
    const px = toX(mark.at);
    const pt = toY(mark.train);
    if (Number.isFinite(mark.test)) {
      ctx.strokeStyle = theme.accent;
      ctx.lineWidth = 3;
      ctx.beginPath();
      ctx.moveTo(px, pt);
      ctx.lineTo(px, toY(mark.test));
      ctx.stroke();
    }
    ctx.fillStyle = theme.accent;
    ctx.beginPath();
    ctx.arc(px, pt, 4, 0, 2 * Math.PI);
    ctx.fill();
    // The label above the bar (or above the point when the test loss is below it).
    const top = Number.isFinite(mark.test) ? Math.min(pt, toY(mark.test)) : pt;
    ctx.fillStyle = theme.text;
    ctx.textBaseline = 'bottom';
    ctx.fillText(mark.label, px, Math.max(top - 4, plot.top + 12));
  }
  ctx.restore();
  return drawn;
}

/** A box covering both `box` and `box` moved by (-dx, -dy), grown to the canvas aspect. */
function unionBox(box, dx, dy) {
  return {
    xmin: Math.min(box.xmin, box.xmin - dx),
    xmax: Math.max(box.xmax, box.xmax - dx),
    ymin: Math.min(box.ymin, box.ymin - dy),
    ymax: Math.max(box.ymax, box.ymax - dy),
  };
}

/**
 * Contours of train and test surface over `box`, from one m.landscape call over a box that
 * covers both: test(x) = f(x - d), so the test contours are f's contours moved by d, at the
 * same levels. Returns { box, segments } (segments in f's coordinates).
 */
export function basinContours(m, fn, box, offset, scale) {
  const big = unionBox(box, offset, 0);
  const aspect = (big.xmax - big.xmin) / (big.ymax - big.ymin);
  const width = aspect >= 1 ? MAP_GRID : Math.max(8, Math.round(MAP_GRID * aspect));
  const height = aspect >= 1 ? Math.max(8, Math.round(MAP_GRID / aspect)) : MAP_GRID;
  const land = m.landscape({ function: fn, box: big, width, height, levels: MAP_LEVELS, scale });
  return { box, segments: land.segments };
}

/**
 * Draws the map: train contours solid, test contours dashed, the minima (labelled), and the
 * ensemble's endpoints `points` ({ endpoints: Float64Array [x0, y0, ...], colour }) if any.
 * `map` is render/view.js viewMap for the canvas. Returns counts of what was drawn.
 */
export function drawBasinMap(canvas, map, contours, offset, marks, points, theme) {
  const { ctx, width, height } = prepareCanvas(canvas, { width: map.width, height: map.height });
  ctx.save();
  ctx.beginPath();
  ctx.rect(0, 0, width, height);
  ctx.clip();
  ctx.strokeStyle = theme.grid;
  ctx.strokeRect(0.5, 0.5, width - 1, height - 1);
  const segs = contours.segments;
  const lines = (dx, colour, dash) => {
    ctx.strokeStyle = colour;
    ctx.lineWidth = 1;
    ctx.setLineDash(dash);
    ctx.beginPath();
    for (let i = 0; i + 3 < segs.length; i += 4) {
      ctx.moveTo(map.toX(segs[i] + dx), map.toY(segs[i + 1]));
      ctx.lineTo(map.toX(segs[i + 2] + dx), map.toY(segs[i + 3]));
    }
    ctx.stroke();
  };
  ctx.globalAlpha = 0.75;
  lines(0, theme.text, []);
  lines(offset, TEST_COLOUR, [3, 3]);
  ctx.setLineDash([]);
  ctx.globalAlpha = 0.45;
  let endpoints = 0;
  for (const { endpoints: e, colour } of points) {
    ctx.fillStyle = colour;
    for (let i = 0; i + 1 < e.length; i += 2) {
      if (!Number.isFinite(e[i]) || !Number.isFinite(e[i + 1])) continue;
      ctx.fillRect(map.toX(e[i]) - 1.5, map.toY(e[i + 1]) - 1.5, 3, 3);
      endpoints += 1;
    }
  }
  ctx.globalAlpha = 1;
  ctx.font = 'bold 11px system-ui, sans-serif';
  ctx.textAlign = 'left';
  ctx.textBaseline = 'bottom';
  for (const mark of marks) {
    const px = map.toX(mark.x);
    const py = map.toY(mark.y);
    ctx.strokeStyle = theme.accent;
    ctx.lineWidth = 2;
    ctx.beginPath();
    ctx.moveTo(px - 5, py - 5);
    ctx.lineTo(px + 5, py + 5);
    ctx.moveTo(px + 5, py - 5);
    ctx.lineTo(px - 5, py + 5);
    ctx.stroke();
    ctx.fillStyle = theme.text;
    ctx.fillText(mark.label, px + 6, py - 4);
  }
  ctx.restore();
  return { segments: segs.length / 4, endpoints };
}
