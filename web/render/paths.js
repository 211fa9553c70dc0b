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

/**
 * A point this close (L-infinity, CSS pixels) to one of the last RECENT kept points adds
 * nothing visible to a line 2 px wide: dropping it also folds a zigzag that goes back and forth
 * over the same pixels into the few segments it shows.
 */
const KEEP_PX = 0.75;
const RECENT = 8;
/** Douglas–Peucker's tolerance: the drawn line stays this close to every point (CSS pixels). */
const SIMPLIFY_PX = 0.5;

/**
 * The path of `points` (canvas coordinates, project()) as drawn, so that a path of 100000
 * steps costs about what its shape on the screen costs: the points that move at least KEEP_PX
 * away from each of the last RECENT kept ones (the first always), then simplified by
 * Douglas–Peucker to SIMPLIFY_PX (distance to the segment between kept points). Stroking costs per segment, a few microseconds each for a
 * line 2 px wide in software. Returns { poly: [x, y, ...] of the kept points, at } where at[k]
 * is the index in poly of the last kept point at or before point k.
 */
export function decimate(points) {
  const count = points.length / 2;
  // 1. Points near a recent kept one go.
  const first = new Int32Array(count);
  let n = 0;
  for (let k = 0; k < count; k++) {
    const x = points[2 * k];
    const y = points[2 * k + 1];
    const lowest = n > RECENT ? n - RECENT : 0;
    let near = false;
    // Newest first: a point is most often near the one kept just before it.
    for (let j = n - 1; j >= lowest && !near; j--) {
      const q = first[j];
      near = Math.abs(x - points[2 * q]) < KEEP_PX && Math.abs(y - points[2 * q + 1]) < KEEP_PX;
    }
    // A non-finite point is kept: the path ends there (divergence).
    if (!near || !Number.isFinite(x + y)) first[n++] = k;
  }
  // 2. Douglas–Peucker over those, iteratively; the ends always stay.
  const keep = new Uint8Array(n);
  keep[0] = 1;
  keep[n - 1] = 1;
  const stack = n > 2 ? [0, n - 1] : [];
  while (stack.length) {
    const hi = stack.pop();
    const lo = stack.pop();
    const a = first[lo];
    const b = first[hi];
    const ax = points[2 * a];
    const ay = points[2 * a + 1];
    const dx = points[2 * b] - ax;
    const dy = points[2 * b + 1] - ay;
    const square = dx * dx + dy * dy;
    let worst = -1;
    let far = 0;
    for (let j = lo + 1; j < hi; j++) {
      const p = first[j];
      const px = points[2 * p] - ax;
      const py = points[2 * p + 1] - ay;
      // Distance to the segment, not to its line: a path that runs back and forth along one
      // line (an oscillation across a minimum) overshoots the segment's ends, and those
      // excursions are what it shows.
      const u = square > 0 ? Math.min(1, Math.max(0, (px * dx + py * dy) / square)) : 0;
      const ex = px - u * dx;
      const ey = py - u * dy;
      // Math.hypot is several times slower in V8; it only decides where a term is not finite.
      let d = Math.sqrt(ex * ex + ey * ey);
      if (!(d < Infinity)) d = Math.hypot(ex, ey);
      if (!(d <= far)) {
        far = d;
        worst = j;
      }
    }
    if (worst >= 0 && !(far <= SIMPLIFY_PX)) {
      keep[worst] = 1;
      if (worst - lo > 1) stack.push(lo, worst);
      if (hi - worst > 1) stack.push(worst, hi);
    }
  }
  let m = 0;
  for (let j = 0; j < n; j++) m += keep[j];
  const poly = new Float32Array(2 * m);
  const at = new Int32Array(count);
  let i = -1;
  let j = 0;
  for (let k = 0; k < count; k++) {
    if (j < n && first[j] === k) {
      if (keep[j]) {
        i++;
        poly[2 * i] = points[2 * k];
        poly[2 * i + 1] = points[2 * k + 1];
      }
      j++;
    }
    at[k] = i;
  }
  return { poly, at };
}

/**
 * What the figure draws of an m.run result in the view `map` (render/view.js viewMap): its
 * path in canvas coordinates (`points`), decimated (`poly`, `at`: decimate()), Lookahead's
 * slow weights and NAG's look-ahead point projected, and the update at which SWATS switched.
 * The same on the page's thread and in a Worker, which prepares it beside the run.
 */
export function prepareTrack(result, map) {
  const points = project(result.trajectory, map);
  const phase = result.state.phase?.values;
  const k = phase ? phase.indexOf(1) : -1;
  return {
    points,
    ...decimate(points),
    slow: result.state.slow_weights ? project(result.state.slow_weights.values, map) : null,
    ahead: result.state.lookahead_point ? project(result.state.lookahead_point.values, map) : null,
    switchAt: k >= 0 ? k + 1 : null,
  };
}

/**
 * Segments per stroke of a long path. Software rasterizers fill a stroke's outline scanline by
 * scanline over every edge that crosses it, so one stroke of a dense zigzag (thousands of
 * segments over the same pixels) costs far more than the same segments stroked a few dozen at
 * a time: about half, measured in Chromium at 16000 segments. Paths up to CHUNK_FROM segments
 * stay one stroke, so their halos have no seams.
 */
const CHUNK = 64;
const CHUNK_FROM = 512;

/** tr.points -> { first, last, poly, pieces }: the last trace of a track between whole steps. */
const traced = new WeakMap();

/**
 * The path from point `first` to point `last` as pieces { path (a Path2D), segments }: the exact
 * first point, the kept points between them, the exact last point, then a fraction `frac` of the
 * next segment. One piece, or pieces of CHUNK segments (each starting where the last ended) for
 * a long path. A trace between whole steps is kept: a dragged start's paths are drawn in the
 * frame they arrive, into the layer of lines, then again with halos when the drag ends.
 */
function trace(tr, first, last, frac) {
  if (frac > 0) return traceNew(tr, first, last, frac);
  const hit = traced.get(tr.points);
  if (hit && hit.first === first && hit.last === last && hit.poly === tr.poly) return hit.pieces;
  const pieces = traceNew(tr, first, last, 0);
  traced.set(tr.points, { first, last, poly: tr.poly, pieces });
  return pieces;
}

function traceNew(tr, first, last, frac) {
  const p = tr.points;
  const { poly, at } = tr;
  const xs = [p[2 * first]];
  const ys = [p[2 * first + 1]];
  for (let j = at[first] + 1; j <= at[last]; j++) {
    xs.push(poly[2 * j]);
    ys.push(poly[2 * j + 1]);
  }
  if (last > first) {
    xs.push(p[2 * last]);
    ys.push(p[2 * last + 1]);
  }
  if (frac > 0) {
    const [x, y] = pointAt(p, last, frac);
    xs.push(x);
    ys.push(y);
  }
  const segments = xs.length - 1;
  const size = segments > CHUNK_FROM ? CHUNK : segments;
  const pieces = [];
  // Called with at least one segment: last > first, or a fraction of the next one.
  for (let a = 0; a < segments; a += size) {
    const path = new Path2D();
    const end = Math.min(segments, a + size);
    path.moveTo(xs[a], ys[a]);
    for (let k = a + 1; k <= end; k++) path.lineTo(xs[k], ys[k]);
    pieces.push({ path, segments: end - a });
  }
  return pieces;
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

const HALO = 'rgba(0, 0, 0, 0.45)';

/**
 * The strokes that draw each track's pieces (pieces[i] of order[i], from trace()), in order:
 * with `halos`, a dark halo under every line first (a halo never hides another racer's line);
 * with `lines`, the coloured lines. Each { piece, style, width }.
 */
function strokesOf(order, pieces, { halos = true, lines = true } = {}) {
  const out = [];
  if (halos) {
    order.forEach((tr, i) => {
      for (const piece of pieces[i] ?? []) {
        out.push({ piece, style: HALO, width: lineWidth(tr) + 2.5 });
      }
    });
  }
  if (lines) {
    order.forEach((tr, i) => {
      for (const piece of pieces[i] ?? [])
        out.push({ piece, style: tr.colour, width: lineWidth(tr) });
    });
  }
  return out;
}

/**
 * Strokes strokes[from], strokes[from + 1], ... until `budget` segments have been stroked (at
 * least one stroke); returns the index of the next stroke (strokes.length: all done).
 */
export function strokeSome(ctx, strokes, from = 0, budget = Infinity) {
  // Bevel joins: a round join costs about twice as much to rasterize in software, per segment,
  // and at 2 px the two look alike.
  ctx.lineJoin = 'bevel';
  ctx.lineCap = 'round';
  let k = from;
  let drawn = 0;
  while (k < strokes.length && (k === from || drawn < budget)) {
    const { piece, style, width } = strokes[k++];
    ctx.strokeStyle = style;
    ctx.lineWidth = width;
    ctx.stroke(piece.path);
    drawn += piece.segments;
  }
  return k;
}

/**
 * The strokes of every track from the start to whole step `to`, with halos, in drawTrails's
 * order, and their segments in all: a whole redraw that can be spread over several frames.
 */
export function trailStrokes(tracks, to) {
  const order = byDrawOrder(tracks);
  const pieces = order.map((tr) => {
    const last = Math.min(to, tr.count - 1);
    return last > 0 ? trace(tr, 0, last, 0) : null;
  });
  const strokes = strokesOf(order, pieces);
  return { strokes, segments: strokes.reduce((n, s) => n + s.piece.segments, 0) };
}

/**
 * Strokes each track's pieces (pieces[i] of order[i]) with a dark halo under its colour. On a
 * shared canvas all halos go first; on a layer of lines alone (`behind`), halos are drawn
 * behind what the layer already holds, so pieces added later still end up under every line
 * drawn before. Without `halo`: hairlines (strokeThin).
 */
function strokePieces(ctx, order, pieces, behind = false, halo = true) {
  if (!halo) {
    strokeThin(ctx, order, pieces);
    return;
  }
  if (!behind) {
    strokeSome(ctx, strokesOf(order, pieces));
    return;
  }
  strokeSome(ctx, strokesOf(order, pieces, { halos: false }));
  ctx.globalCompositeOperation = 'destination-over';
  strokeSome(ctx, strokesOf(order, pieces, { lines: false }));
  ctx.globalCompositeOperation = 'source-over';
}

/**
 * The paths that follow a dragged start, without halos: each one stroked as hairlines (one
 * device pixel wide, which a software rasterizer draws several times faster than a wider line,
 * and a dragged race is redrawn for every move) at OFFSETS device pixels apart, so that it
 * reads as a line about two pixels wide in every direction.
 */
const OFFSETS = [
  [0, 0],
  [1, 0],
  [0, 1],
];
function strokeThin(ctx, order, pieces) {
  const base = ctx.getTransform();
  const px = 1 / Math.hypot(base.a, base.b); // one device pixel, in the context's units
  ctx.lineJoin = 'bevel';
  ctx.lineCap = 'round';
  ctx.lineWidth = px;
  for (const [dx, dy] of OFFSETS) {
    ctx.setTransform(base.a, base.b, base.c, base.d, base.e + dx, base.f + dy);
    order.forEach((tr, i) => {
      if (!pieces[i]) return;
      ctx.strokeStyle = tr.colour;
      for (const piece of pieces[i]) ctx.stroke(piece.path);
    });
  }
  ctx.setTransform(base);
}

/**
 * Draws the paths between whole steps `from` and `to` (from = 0: from the start). With
 * `linesOnly` (a transparent layer that holds 0..from), drawing from..to gives the same
 * picture as 0..to, so a cached layer grows by the few steps of each frame. A track is
 * { colour, points (canvas coords, project()), count (points), diverged, slow (Lookahead's
 * slow weights after each update, canvas coords, or null), ahead (NAG's look-ahead point of
 * each update, canvas coords, or null), switchAt (index of SWATS's first
 * SGD step, or null), selected }. ctx is in CSS pixels. Without `halo` the lines go without
 * their dark outline (half the strokes: the paths that follow a dragged start).
 */
export function drawTrails(ctx, tracks, from, to, linesOnly = false, halo = true) {
  const order = byDrawOrder(tracks);
  const pieces = order.map((tr) => {
    const last = Math.min(to, tr.count - 1);
    const first = Math.min(from, last);
    if (last <= first) return null;
    return trace(tr, first, last, 0);
  });
  strokePieces(ctx, order, pieces, linesOnly, halo);
}

/**
 * Draws what changes within a step: the segment in progress (`step` is fractional), the
 * Lookahead slow weights, NAG's look-ahead point, the SWATS switch and each racer's marker.
 */
export function drawHeads(ctx, tracks, step) {
  const whole = Math.floor(step);
  const frac = step - whole;
  const order = byDrawOrder(tracks);
  const pieces = order.map((tr) => {
    if (whole >= tr.count - 1 || !(frac > 0)) return null;
    return trace(tr, whole, whole, frac);
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

  // NAG's look-ahead point: where the gradient of the next update is taken (point t of
  // `ahead` is for update t + 1), tied to the marker by a dotted line.
  for (const tr of order) {
    if (!tr.ahead || whole >= tr.count - 1 || 2 * whole + 1 >= tr.ahead.length) continue;
    const ax = tr.ahead[2 * whole];
    const ay = tr.ahead[2 * whole + 1];
    if (!Number.isFinite(ax + ay)) continue;
    ctx.beginPath();
    ctx.moveTo(tr.points[2 * whole], tr.points[2 * whole + 1]);
    ctx.lineTo(ax, ay);
    ctx.setLineDash([2, 3]);
    ctx.strokeStyle = 'rgba(255, 255, 255, 0.85)';
    ctx.lineWidth = 1.25;
    ctx.stroke();
    ctx.setLineDash([]);
    disc(ctx, ax, ay, 3.5, 'rgba(0, 0, 0, 0)', tr.colour, 2);
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

/** Every track up to `step`, drawn at once (no cached layer); `halo` as in drawTrails. */
export function drawRace(ctx, tracks, step, halo = true) {
  drawTrails(ctx, tracks, 0, Math.floor(step), false, halo);
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
