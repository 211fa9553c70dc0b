// SPDX-License-Identifier: MIT
// The race over the surface: each racer's path up to the current step, its marker, the
// Lookahead slow weights and the SWATS switch, and the draggable start point.

/** [x0, y0, x1, y1, ...] in world coordinates -> the same in canvas (CSS pixel) coordinates. */
export function project(points, map) {
  const out = new Float32Array(points.length);
  for (let k = 0; k + 1 < points.length; k += 2) {
    out[k] = map.toX(points[k]);
    out[k + 1] = map.toY(points[k + 1]);
  }
  return out;
}

/** Points closer than this (L1, CSS pixels) to the last kept one add nothing visible. */
const KEEP_PX = 0.5;

/**
 * The path of `points` (canvas coordinates, project()) as drawn: the points that move at
 * least KEEP_PX from the last kept one (the first always), so that a path of 100000 steps costs
 * what the pixels it covers cost. Returns { poly: [x, y, ...] of the kept points, at } where
 * at[k] is the index in poly of the last kept point at or before point k.
 */
export function decimate(points) {
  const count = points.length / 2;
  const at = new Int32Array(count);
  const keep = new Float32Array(points.length);
  let n = 0;
  let px = NaN;
  let py = NaN;
  for (let k = 0; k < count; k++) {
    const x = points[2 * k];
    const y = points[2 * k + 1];
    if (n === 0 || !(Math.abs(x - px) + Math.abs(y - py) < KEEP_PX)) {
      keep[2 * n] = x;
      keep[2 * n + 1] = y;
      px = x;
      py = y;
      n++;
    }
    at[k] = n - 1;
  }
  return { poly: keep.slice(0, 2 * n), at };
}

/**
 * Adds the path from point `first` to point `last` to `path`: the exact first point, the kept
 * points between them, the exact last point, then a fraction `frac` of the next segment.
 */
function trace(path, tr, first, last, frac) {
  const p = tr.points;
  path.moveTo(p[2 * first], p[2 * first + 1]);
  const { poly, at } = tr;
  for (let j = at[first] + 1; j <= at[last]; j++) path.lineTo(poly[2 * j], poly[2 * j + 1]);
  if (last > first) path.lineTo(p[2 * last], p[2 * last + 1]);
  if (frac > 0) {
    const [x, y] = pointAt(p, last, frac);
    path.lineTo(x, y);
  }
}

/** The point a fraction `frac` of the way from point k to point k + 1 (k when there is none). */
function pointAt(p, k, frac) {
  const x = p[2 * k];
  const y = p[2 * k + 1];
  if (!(frac > 0) || 2 * k + 3 >= p.length) return [x, y];
  return [x + (p[2 * k + 2] - x) * frac, y + (p[2 * k + 3] - y) * frac];
}

function disc(ctx, x, y, r, fill, stroke, width) {
  ctx.beginPath();
  ctx.arc(x, y, r, 0, 2 * Math.PI);
  ctx.fillStyle = fill;
  ctx.fill();
  ctx.lineWidth = width;
  ctx.strokeStyle = stroke;
  ctx.stroke();
}

function cross(ctx, x, y, r, colour) {
  ctx.beginPath();
  ctx.moveTo(x - r, y - r);
  ctx.lineTo(x + r, y + r);
  ctx.moveTo(x - r, y + r);
  ctx.lineTo(x + r, y - r);
  ctx.lineCap = 'round';
  ctx.strokeStyle = 'rgba(0, 0, 0, 0.7)';
  ctx.lineWidth = 5;
  ctx.stroke();
  ctx.strokeStyle = colour;
  ctx.lineWidth = 2.5;
  ctx.stroke();
}

function diamond(ctx, x, y, r, colour) {
  ctx.beginPath();
  ctx.moveTo(x, y - r);
  ctx.lineTo(x + r, y);
  ctx.lineTo(x, y + r);
  ctx.lineTo(x - r, y);
  ctx.closePath();
  ctx.fillStyle = '#ffffff';
  ctx.fill();
  ctx.lineWidth = 2;
  ctx.strokeStyle = colour;
  ctx.stroke();
}

const byDrawOrder = (tracks) =>
  tracks.filter((tr) => tr.count > 0).sort((a, b) => Number(!!a.selected) - Number(!!b.selected));
const lineWidth = (tr) => (tr.selected ? 3 : 2.25);

/**
 * Strokes each track's piece (pieces[i] of order[i]) with a dark halo under its colour. A
 * halo never hides another racer's line: on a shared canvas all halos go first; on a layer of
 * lines alone (`behind`), halos are drawn behind what the layer already holds, so pieces added
 * later still end up under every line drawn before.
 */
function strokePieces(ctx, order, pieces, behind = false) {
  ctx.lineJoin = 'round';
  ctx.lineCap = 'round';
  const halos = () => {
    ctx.strokeStyle = 'rgba(0, 0, 0, 0.45)';
    order.forEach((tr, i) => {
      if (!pieces[i]) return;
      ctx.lineWidth = lineWidth(tr) + 2.5;
      ctx.stroke(pieces[i]);
    });
  };
  if (!behind) halos();
  order.forEach((tr, i) => {
    if (!pieces[i]) return;
    ctx.strokeStyle = tr.colour;
    ctx.lineWidth = lineWidth(tr);
    ctx.stroke(pieces[i]);
  });
  if (behind) {
    ctx.globalCompositeOperation = 'destination-over';
    halos();
    ctx.globalCompositeOperation = 'source-over';
  }
}

/**
 * Draws the paths between whole steps `from` and `to` (from = 0: from the start). With
 * `linesOnly` (a transparent layer that holds 0..from), drawing from..to gives the same
 * picture as 0..to, so a cached layer grows by the few steps of each frame. A track is
 * { colour, points (canvas coords, project()), count (points), diverged, slow (Lookahead's
 * slow weights after each update, canvas coords, or null), switchAt (index of SWATS's first
 * SGD step, or null), selected }. ctx is in CSS pixels.
 */
export function drawTrails(ctx, tracks, from, to, linesOnly = false) {
  const order = byDrawOrder(tracks);
  const pieces = order.map((tr) => {
    const last = Math.min(to, tr.count - 1);
    const first = Math.min(from, last);
    if (last <= first) return null;
    const path = new Path2D();
    trace(path, tr, first, last, 0);
    return path;
  });
  strokePieces(ctx, order, pieces, linesOnly);
}

/**
 * Draws what changes within a step: the segment in progress (`step` is fractional), the
 * Lookahead slow weights, the SWATS switch and each racer's marker.
 */
export function drawHeads(ctx, tracks, step) {
  const whole = Math.floor(step);
  const frac = step - whole;
  const order = byDrawOrder(tracks);
  const pieces = order.map((tr) => {
    if (whole >= tr.count - 1 || !(frac > 0)) return null;
    const path = new Path2D();
    trace(path, tr, whole, whole, frac);
    return path;
  });
  strokePieces(ctx, order, pieces);

  for (const tr of order) {
    const last = Math.min(whole, tr.count - 1);
    if (!tr.slow || last === 0) continue;
    // Point t - 1 of `slow` is after update t; the start comes first.
    const slowLast = Math.min(last, tr.slow.length / 2) - 1;
    ctx.beginPath();
    ctx.moveTo(tr.points[0], tr.points[1]);
    for (let k = 0; k <= slowLast; k++) ctx.lineTo(tr.slow[2 * k], tr.slow[2 * k + 1]);
    ctx.setLineDash([4, 4]);
    ctx.strokeStyle = 'rgba(255, 255, 255, 0.85)';
    ctx.lineWidth = 1.5;
    ctx.stroke();
    ctx.setLineDash([]);
  }

  for (const tr of order) {
    const last = Math.min(whole, tr.count - 1);
    const f = whole < tr.count - 1 ? frac : 0;
    if (tr.switchAt !== null && tr.switchAt !== undefined && tr.switchAt <= last) {
      diamond(ctx, tr.points[2 * tr.switchAt], tr.points[2 * tr.switchAt + 1], 6, tr.colour);
    }
    const [x, y] = pointAt(tr.points, last, f);
    if (tr.diverged && last === tr.count - 1 && whole >= tr.count) cross(ctx, x, y, 6, tr.colour);
    else disc(ctx, x, y, tr.selected ? 6 : 5, tr.colour, '#ffffff', 1.75);
  }
}

/** Every track up to `step`, drawn at once (no cached layer). */
export function drawRace(ctx, tracks, step) {
  drawTrails(ctx, tracks, 0, Math.floor(step));
  drawHeads(ctx, tracks, step);
}

/** The start point: a white ring with a dark outline and a centre dot (the drag handle). */
export function drawStart(ctx, x, y, active = false) {
  const r = active ? 9 : 7.5;
  ctx.beginPath();
  ctx.arc(x, y, r, 0, 2 * Math.PI);
  ctx.lineWidth = 5;
  ctx.strokeStyle = 'rgba(0, 0, 0, 0.6)';
  ctx.stroke();
  ctx.lineWidth = 2.5;
  ctx.strokeStyle = '#ffffff';
  ctx.stroke();
  disc(ctx, x, y, 2, '#ffffff', 'rgba(0, 0, 0, 0.6)', 1);
}
