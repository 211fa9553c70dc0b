// SPDX-License-Identifier: MIT
// Hand-written heat map and contours: a grid of function values, coloured through a
// 256-entry colour table into an RGBA image, and contour lines by marching squares. The
// same work as the core's m.landscape plus the page's colouring (web/render/landscape.js),
// written as a course author would: typed arrays allocated once per call, no allocation per
// node or per segment (segment buffers grow by doubling).

/** f(x, y) of the functions measured, with the core's default parameters. */
export const FUNCTIONS = {
  rosenbrock: (x, y) => (1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x),
  rastrigin: (x, y) =>
    20 + x * x - 10 * Math.cos(2 * Math.PI * x) + y * y - 10 * Math.cos(2 * Math.PI * y),
};

/**
 * Values on a width x height grid over box, in the core's layout: values[j * width + i] at
 * x_i = xmin + i dx, y_j = ymax - j dy (row 0 at the top), stored as float32 like the core's.
 * Also the minimum and maximum over finite values.
 */
export function evaluateGrid(name, box, width, height) {
  const f = FUNCTIONS[name];
  if (!f) throw new Error(`evaluateGrid: unknown function ${name}`);
  const values = new Float32Array(width * height);
  const dx = (box.xmax - box.xmin) / (width - 1);
  const dy = (box.ymax - box.ymin) / (height - 1);
  let min = Infinity;
  let max = -Infinity;
  for (let j = 0; j < height; j++) {
    const y = box.ymax - j * dy;
    const row = j * width;
    for (let i = 0; i < width; i++) {
      const v = f(box.xmin + i * dx, y);
      values[row + i] = v;
      if (v < min) min = v; // NaN compares false and is skipped
      if (v > max) max = v;
    }
  }
  if (!(min <= max)) min = max = 0;
  return { values, width, height, box, min, max };
}

/** The page's colouring of grid values (log scale), as an RGBA image, one pixel per node. */
export function heatPixels({ values, min, max }, table) {
  const rgba = new Uint8ClampedArray(values.length * 4);
  const span = max - min;
  const scale = span > 0 ? 255 / Math.log1p(span) : 0;
  for (let k = 0, p = 0; k < values.length; k++, p += 4) {
    const f = values[k];
    if (f - f === 0) {
      // finite
      let t = Math.log1p(f - min) * scale;
      t = t < 0 ? 0 : t > 255 ? 255 : t;
      const i = Math.round(t) * 3;
      rgba[p] = table[i];
      rgba[p + 1] = table[i + 1];
      rgba[p + 2] = table[i + 2];
    } else {
      rgba[p] = 110;
      rgba[p + 1] = 110;
      rgba[p + 2] = 118;
    }
    rgba[p + 3] = 255;
  }
  return rgba;
}

/** The heat map of `name` over `box`: evaluation and colouring. */
export function heatMap(name, box, width, height, table) {
  return heatPixels(evaluateGrid(name, box, width, height), table);
}

/**
 * `count` levels strictly between min and max on the core's log scale (src/run/landscape.hpp
 * contour_levels): min + expm1((i + 1) / (count + 1) log1p(max - min)).
 */
export function contourLevels(min, max, count) {
  const levels = new Float64Array(max > min ? count : 0);
  for (let i = 0; i < levels.length; i++) {
    levels[i] = min + Math.expm1(((i + 1) / (count + 1)) * Math.log1p(max - min));
  }
  return levels;
}

/**
 * Marching squares over the grid for every level at once, with the core's conventions: a
 * node is above a level when value >= level; saddle cells decide by the mean of their
 * corners; cells with a non-finite corner are skipped. First each node's band (how many
 * levels are <= its value), then only cells whose corners lie in different bands are visited.
 * Returns per level a Float32Array of segments [x0, y0, x1, y1, ...] in world coordinates.
 */
export function marchingSquares({ values, width, height, box }, levels) {
  const n = width * height;
  const count = levels.length;
  const NON_FINITE = 255;
  const bands = new Uint8Array(n);
  for (let p = 0; p < n; p++) {
    const v = values[p];
    if (!(v - v === 0)) {
      bands[p] = NON_FINITE;
      continue;
    }
    let k = 0;
    while (k < count && v >= levels[k]) k++;
    bands[p] = k;
  }
  const buffers = [];
  const lengths = new Int32Array(count);
  for (let k = 0; k < count; k++) buffers.push(new Float32Array(4 * (width + height)));
  const dx = (box.xmax - box.xmin) / (width - 1);
  const dy = (box.ymax - box.ymin) / (height - 1);

  const push = (k, x0, y0, x1, y1) => {
    let buf = buffers[k];
    const len = lengths[k];
    if (len + 4 > buf.length) {
      const grown = new Float32Array(2 * buf.length);
      grown.set(buf);
      buffers[k] = buf = grown;
    }
    buf[len] = x0;
    buf[len + 1] = y0;
    buf[len + 2] = x1;
    buf[len + 3] = y1;
    lengths[k] = len + 4;
  };

  for (let j = 0; j + 1 < height; j++) {
    const top = j * width;
    const bottom = top + width;
    const yt = box.ymax - j * dy;
    const yb = box.ymax - (j + 1) * dy;
    for (let i = 0; i + 1 < width; i++) {
      const btl = bands[top + i];
      const btr = bands[top + i + 1];
      const bbr = bands[bottom + i + 1];
      const bbl = bands[bottom + i];
      if (btl === btr && btl === bbr && btl === bbl) continue;
      if (btl === NON_FINITE || btr === NON_FINITE || bbr === NON_FINITE || bbl === NON_FINITE) {
        continue;
      }
      const lo = Math.min(btl, btr, bbr, bbl);
      const hi = Math.max(btl, btr, bbr, bbl);
      const tl = values[top + i];
      const tr = values[top + i + 1];
      const br = values[bottom + i + 1];
      const bl = values[bottom + i];
      const xl = box.xmin + i * dx;
      const xr = box.xmin + (i + 1) * dx;
      for (let k = lo; k < hi; k++) {
        const level = levels[k];
        const c = ((btl > k) << 3) | ((btr > k) << 2) | ((bbr > k) << 1) | (bbl > k);
        // Crossing points on the four edges (only the ones used are meaningful).
        const xTop = xl + ((level - tl) / (tr - tl)) * dx;
        const xBottom = xl + ((level - bl) / (br - bl)) * dx;
        const yLeft = yt - ((level - tl) / (bl - tl)) * dy;
        const yRight = yt - ((level - tr) / (br - tr)) * dy;
        switch (c) {
          case 1:
          case 14:
            push(k, xl, yLeft, xBottom, yb);
            break;
          case 2:
          case 13:
            push(k, xBottom, yb, xr, yRight);
            break;
          case 3:
          case 12:
            push(k, xl, yLeft, xr, yRight);
            break;
          case 4:
          case 11:
            push(k, xTop, yt, xr, yRight);
            break;
          case 6:
          case 9:
            push(k, xTop, yt, xBottom, yb);
            break;
          case 7:
          case 8:
            push(k, xTop, yt, xl, yLeft);
            break;
          case 5:
          case 10: {
            // Saddle: the centre's side decides which corners connect.
            const centreAbove = (tl + tr + br + bl) / 4 >= level;
            if ((c === 5) === centreAbove) {
              push(k, xTop, yt, xl, yLeft);
              push(k, xBottom, yb, xr, yRight);
            } else {
              push(k, xTop, yt, xr, yRight);
              push(k, xl, yLeft, xBottom, yb);
            }
            break;
          }
          default:
            break;
        }
      }
    }
  }
  return buffers.map((buf, k) => buf.subarray(0, lengths[k]));
}

/** The landscape with `count` contour levels: evaluation, levels and marching squares. */
export function contours(name, box, width, height, count) {
  const grid = evaluateGrid(name, box, width, height);
  const levels = contourLevels(grid.min, grid.max, count);
  return { levels, segments: marchingSquares(grid, levels) };
}
