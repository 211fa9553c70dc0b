// SPDX-License-Identifier: MIT
// What Node and the bench page share: the wasm heat map as the page computes it, and the small
// summaries of results that the harness compares across contenders.

/**
 * The page's heat map through the core: m.heatmap evaluates the grid and colours its nodes
 * with `table` (256 RGB entries) plus the grey of non-finite nodes, on the log scale; its
 * pixels are a view of wasm memory, copied once here as the page does.
 */
export function wasmHeat(m, config, table) {
  const colours = new Uint8Array(257 * 3);
  colours.set(table);
  colours.set([110, 110, 118], 256 * 3);
  return new Uint8ClampedArray(m.heatmap(config, colours).rgba);
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
