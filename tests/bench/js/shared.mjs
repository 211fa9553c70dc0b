// SPDX-License-Identifier: MIT
// What Node and the bench page share: the wasm heat map as the page computes it, and the small
// summaries of results that the harness compares across contenders.

/**
 * The page's heat map through the core: values and their range from m.landscape without
 * contour levels (web/engine.js computeLandscape asks for levels too; the contours table
 * measures those), then the page's colouring (web/render/landscape.js heatPixels) into RGBA.
 * The one place to switch to an RGBA output of the core once it has one.
 */
export function wasmHeat(m, config, table) {
  const land = m.landscape({ ...config, levels: 0 });
  const { values, min, max } = land;
  const rgba = new Uint8ClampedArray(values.length * 4);
  const span = max - min;
  const scale = span > 0 ? 1 / Math.log1p(span) : 0;
  for (let k = 0; k < values.length; k++) {
    const f = values[k];
    const p = 4 * k;
    if (Number.isFinite(f)) {
      const t = Math.min(Math.max(Math.log1p(f - min) * scale, 0), 1);
      const i = Math.round(t * 255) * 3;
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

/** Sum of the R, G and B bytes of an RGBA image. */
export function heatSummary(rgba) {
  let sum = 0;
  for (let k = 0; k < rgba.length; k += 4) sum += rgba[k] + rgba[k + 1] + rgba[k + 2];
  return { rgbSum: sum, pixels: rgba.length / 4 };
}

/** Segments per level of an m.landscape result or of js/landscape.mjs contours(). */
export function segmentCounts(land) {
  if (land.offsets) {
    const counts = [];
    for (let k = 0; k + 1 < land.offsets.length; k++) {
      counts.push(land.offsets[k + 1] - land.offsets[k]);
    }
    return { segments: counts };
  }
  return { segments: land.segments.map((s) => s.length / 4) };
}

/** Final point and loss of a path ({ trajectory, loss }). */
export function pathSummary(r) {
  const n = r.loss.length;
  return {
    x: r.trajectory[2 * (n - 1)],
    y: r.trajectory[2 * (n - 1) + 1],
    loss: r.loss[n - 1],
    steps: n - 1,
    diverged: Boolean(r.diverged),
  };
}
