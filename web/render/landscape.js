// SPDX-License-Identifier: MIT
// Heat map and iso lines of a loss grid (m.grid), drawn into a rectangle of a 2D canvas.

// Viridis (van der Walt & Smith, matplotlib) sampled at 9 even stops: perceptually uniform,
// readable in greyscale and by colour-blind viewers. Dark = low loss.
const RAMP_STOPS = [
  [68, 1, 84],
  [71, 45, 123],
  [59, 82, 139],
  [44, 114, 142],
  [33, 145, 140],
  [40, 174, 128],
  [94, 201, 98],
  [173, 220, 48],
  [253, 231, 37],
];

/** Colour of grid nodes whose value is NaN or infinite. */
const MISSING_RGB = [96, 96, 104];

/** The ramp interpolated linearly into 256 RGB entries (Uint8 triples). */
const RAMP = (() => {
  const table = new Uint8ClampedArray(256 * 3);
  const last = RAMP_STOPS.length - 1;
  for (let k = 0; k < 256; k++) {
    const s = (k / 255) * last;
    const i = Math.min(Math.floor(s), last - 1);
    const u = s - i;
    for (let c = 0; c < 3; c++) {
      table[k * 3 + c] = Math.round(RAMP_STOPS[i][c] * (1 - u) + RAMP_STOPS[i + 1][c] * u);
    }
  }
  return table;
})();

/** The ramp colour at t in [0, 1] as [r, g, b] (0..255). */
export function rampColour(t) {
  const k = Math.round(Math.min(Math.max(t, 0), 1) * 255) * 3;
  return [RAMP[k], RAMP[k + 1], RAMP[k + 2]];
}

/**
 * Levels t in [0, 1] of the values: log(f - fmin + 1) / log(fmax - fmin + 1). The log keeps
 * the valleys readable on surfaces whose values span many decades (Rosenbrock: 0 to 2500).
 * NaN where f is not finite.
 */
function normalise(values) {
  let min = Infinity;
  let max = -Infinity;
  for (const f of values) {
    if (Number.isFinite(f)) {
      if (f < min) min = f;
      if (f > max) max = f;
    }
  }
  const levels = new Float32Array(values.length);
  const span = Math.log1p(max - min);
  for (let k = 0; k < values.length; k++) {
    const f = values[k];
    levels[k] = Number.isFinite(f) ? (span > 0 ? Math.log1p(f - min) / span : 0) : NaN;
  }
  return { levels, min, max };
}

// Marching squares: cell corners a (top left), b (top right), c (bottom right), d (bottom
// left); bit 3..0 = a, b, c, d at or above the level. Edges: 0 top, 1 right, 2 bottom,
// 3 left. The two saddle cases (5, 10) are split one fixed way; at this resolution the
// choice is invisible.
const SEGMENTS = [
  [],
  [[3, 2]],
  [[2, 1]],
  [[3, 1]],
  [[0, 1]],
  [
    [0, 1],
    [3, 2],
  ],
  [[0, 2]],
  [[0, 3]],
  [[0, 3]],
  [[0, 2]],
  [
    [0, 3],
    [1, 2],
  ],
  [[0, 1]],
  [[3, 1]],
  [[1, 2]],
  [[3, 2]],
  [],
];

/** Adds the iso line t = level of the grid to the current path, in grid coordinates. */
function traceLevel(ctx, levels, width, height, level, toX, toY) {
  const crossing = (p, q) => (level - p) / (q - p);
  const point = [0, 0];
  const edgePoint = (edge, i, j, a, b, c, d) => {
    if (edge === 0) [point[0], point[1]] = [i + crossing(a, b), j];
    else if (edge === 1) [point[0], point[1]] = [i + 1, j + crossing(b, c)];
    else if (edge === 2) [point[0], point[1]] = [i + crossing(d, c), j + 1];
    else [point[0], point[1]] = [i, j + crossing(a, d)];
    return point;
  };
  for (let j = 0; j < height - 1; j++) {
    for (let i = 0; i < width - 1; i++) {
      const a = levels[j * width + i];
      const b = levels[j * width + i + 1];
      const c = levels[(j + 1) * width + i + 1];
      const d = levels[(j + 1) * width + i];
      if (Number.isNaN(a + b + c + d)) continue;
      const code = ((a >= level) << 3) | ((b >= level) << 2) | ((c >= level) << 1) | (d >= level);
      for (const [from, to] of SEGMENTS[code]) {
        const p = edgePoint(from, i, j, a, b, c, d);
        ctx.moveTo(toX(p[0]), toY(p[1]));
        const q = edgePoint(to, i, j, a, b, c, d);
        ctx.lineTo(toX(q[0]), toY(q[1]));
      }
    }
  }
}

/**
 * Draws the heat map of a grid from m.grid() (row 0 = top = box.ymax, nodes on the box's
 * edges) so that the box fills `viewport` ({x, y, width, height} in the context's current
 * units), plus `contours` iso lines evenly spaced on the colour scale (0: none).
 * `box` is the grid's box; it is taken for the same signature as the other render modules.
 * @returns {{min: number, max: number}} the finite value range behind the colour scale.
 */
export function drawLandscape(ctx, grid, box, viewport, { contours = 9 } = {}) {
  const { values, width, height } = grid;
  if (!(width >= 2 && height >= 2) || values.length !== width * height) {
    throw new RangeError(
      `drawLandscape: grid of ${values.length} values is not ${width} x ${height} (2 or more each)`,
    );
  }
  if (!(box.xmax > box.xmin && box.ymax > box.ymin)) {
    throw new RangeError('drawLandscape: box must have xmax > xmin and ymax > ymin');
  }
  const { levels, min, max } = normalise(values);

  // One image pixel per grid node, then scaled by drawImage with bilinear smoothing.
  const image = ctx.createImageData(width, height);
  const rgba = image.data;
  for (let k = 0; k < levels.length; k++) {
    const t = levels[k];
    const [r, g, b] = Number.isNaN(t) ? MISSING_RGB : rampColour(t);
    rgba[4 * k] = r;
    rgba[4 * k + 1] = g;
    rgba[4 * k + 2] = b;
    rgba[4 * k + 3] = 255;
  }
  const doc = ctx.canvas.ownerDocument;
  const tile = doc ? doc.createElement('canvas') : new OffscreenCanvas(width, height);
  tile.width = width;
  tile.height = height;
  tile.getContext('2d').putImageData(image, 0, 0);

  // Node i sits at x + i * sx. Pixel centres are nodes, so the image reaches half a cell
  // beyond the viewport on every side; the clip trims it.
  const sx = viewport.width / (width - 1);
  const sy = viewport.height / (height - 1);
  ctx.save();
  ctx.beginPath();
  ctx.rect(viewport.x, viewport.y, viewport.width, viewport.height);
  ctx.clip();
  ctx.imageSmoothingEnabled = true;
  ctx.drawImage(
    tile,
    viewport.x - sx / 2,
    viewport.y - sy / 2,
    viewport.width + sx,
    viewport.height + sy,
  );

  if (contours > 0 && max > min) {
    const toX = (gx) => viewport.x + gx * sx;
    const toY = (gy) => viewport.y + gy * sy;
    ctx.beginPath();
    for (let n = 1; n <= contours; n++) {
      traceLevel(ctx, levels, width, height, n / (contours + 1), toX, toY);
    }
    ctx.strokeStyle = 'rgba(255, 255, 255, 0.3)';
    ctx.lineWidth = 1;
    ctx.stroke();
  }
  ctx.restore();
  return { min, max };
}
