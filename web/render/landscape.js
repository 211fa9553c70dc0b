// SPDX-License-Identifier: MIT
// The surface layer: heat map and contour lines of one m.landscape() result plus the known
// minima, painted once into an offscreen canvas and copied onto the figure every frame.

/**
 * Viridis (van der Walt & Smith, matplotlib): perceptually uniform, readable in greyscale and
 * by colour-blind viewers; dark = low loss. Evaluated once from a degree-6 polynomial fit
 * (Matt Zucker's, within 1/255 of matplotlib's table) into 256 RGB entries.
 */
export const COLOUR_TABLE = (() => {
  const c = [
    [0.2777273272234177, 0.005407344544966578, 0.3340998053353061],
    [0.1050930431085774, 1.404613529898575, 1.384590162594685],
    [-0.3308618287255563, 0.214847559468213, 0.09509516302823659],
    [-4.634230498983486, -5.799100973351585, -19.33244095627987],
    [6.228269936347081, 14.17993336680509, 56.69055260068105],
    [4.776384997670288, -13.74514537774601, -65.35303263337234],
    [-5.435455855934631, 4.645852612178535, 26.3124352495832],
  ];
  const table = new Uint8ClampedArray(256 * 3);
  for (let k = 0; k < 256; k++) {
    const t = k / 255;
    for (let ch = 0; ch < 3; ch++) {
      let v = 0;
      for (let i = 6; i >= 0; i--) v = v * t + c[i][ch];
      table[k * 3 + ch] = Math.round(v * 255);
    }
  }
  return table;
})();

/** Colour of grid nodes whose value is NaN or infinite. */
const MISSING_RGB = [110, 110, 118];

/**
 * The heat map's colours as the core takes them (m.landscape's second argument): the 256
 * entries of COLOUR_TABLE, then the colour of non-finite nodes.
 */
export const HEAT_COLOURS = (() => {
  const colours = new Uint8Array(257 * 3);
  colours.set(COLOUR_TABLE);
  colours.set(MISSING_RGB, 256 * 3);
  return colours;
})();

/** A CSS linear-gradient of the colour table, for the legend's colour bar. */
export function colourBarGradient() {
  const stops = [];
  for (let i = 0; i <= 8; i++) {
    const k = Math.round((i / 8) * 255) * 3;
    const [r, g, b] = COLOUR_TABLE.subarray(k, k + 3);
    stops.push(`rgb(${r} ${g} ${b}) ${(i / 8) * 100}%`);
  }
  return `linear-gradient(to right, ${stops.join(', ')})`;
}

function makeCanvas(width, height) {
  if (typeof OffscreenCanvas === 'function') return new OffscreenCanvas(width, height);
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  return canvas;
}

/**
 * Paints a landscape into `layer` (a canvas sized width * dpr x height * dpr): heat map scaled
 * from the grid with smoothing, every contour segment, a cross at each minimum.
 * `land` is an m.landscape() result computed with HEAT_COLOURS (engine.js computeLandscape):
 * the core coloured its nodes on the landscape's own scale (log or linear) into `land.rgba`,
 * a view of wasm memory that is copied here once, before any other call into the core.
 * `map` is render/view.js viewMap of land.box onto width x height CSS pixels.
 */
export function paintLandscape(layer, land, minima, map, { dpr = 1 } = {}) {
  const ctx = layer.getContext('2d');
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.clearRect(0, 0, layer.width, layer.height);
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);

  const { width, height, rgba } = land;
  if (!rgba || rgba.length !== width * height * 4) {
    // Absent without colours; empty once wasm memory has grown since the call.
    throw new Error('paintLandscape: the landscape has no heat map pixels (rgba) to paint');
  }
  const image = new ImageData(width, height);
  image.data.set(rgba);
  const tile = makeCanvas(width, height);
  tile.getContext('2d').putImageData(image, 0, 0);
  // Nodes sit on the box's edges, so pixel centres are nodes: the image reaches half a cell
  // beyond the box on every side.
  const sx = map.width / (width - 1);
  const sy = map.height / (height - 1);
  ctx.imageSmoothingEnabled = true;
  ctx.imageSmoothingQuality = 'medium';
  ctx.drawImage(tile, -sx / 2, -sy / 2, map.width + sx, map.height + sy);

  // Contours: thin light lines, every fifth level a little stronger.
  const { segments, offsets } = land;
  const levels = offsets.length - 1;
  for (let strong = 0; strong < 2; strong++) {
    ctx.beginPath();
    for (let k = 0; k < levels; k++) {
      if ((k % 5 === 4) !== (strong === 1)) continue;
      for (let s = offsets[k]; s < offsets[k + 1]; s++) {
        const i = 4 * s;
        ctx.moveTo(map.toX(segments[i]), map.toY(segments[i + 1]));
        ctx.lineTo(map.toX(segments[i + 2]), map.toY(segments[i + 3]));
      }
    }
    ctx.strokeStyle = strong ? 'rgba(255, 255, 255, 0.5)' : 'rgba(255, 255, 255, 0.26)';
    ctx.lineWidth = strong ? 1 : 0.8;
    ctx.stroke();
  }

  drawMinima(ctx, minima, map);
}

/** A cross at each minimum [{x, y}] with a dark halo. */
function drawMinima(ctx, minima, map, size = 5) {
  ctx.beginPath();
  for (const { x, y } of minima) {
    const px = map.toX(x);
    const py = map.toY(y);
    ctx.moveTo(px - size, py - size);
    ctx.lineTo(px + size, py + size);
    ctx.moveTo(px - size, py + size);
    ctx.lineTo(px + size, py - size);
  }
  ctx.lineCap = 'round';
  ctx.strokeStyle = 'rgba(0, 0, 0, 0.55)';
  ctx.lineWidth = 4.5;
  ctx.stroke();
  ctx.strokeStyle = '#ffffff';
  ctx.lineWidth = 2;
  ctx.stroke();
}

/** A layer canvas of the given device-pixel size (reused when the size is unchanged). */
export function sizeLayer(layer, width, height) {
  if (layer && layer.width === width && layer.height === height) return layer;
  return makeCanvas(width, height);
}

/**
 * Copies the painted layer (whose box is `paintedBox`) onto ctx so that it shows `viewBox`;
 * while a pan or zoom waits for a new landscape, the old one is stretched into place.
 * ctx is in device pixels with the identity transform; w, h are the canvas device size.
 */
export function drawLayer(ctx, layer, paintedBox, viewBox, w, h) {
  ctx.fillStyle = '#26262e';
  ctx.fillRect(0, 0, w, h);
  const vw = viewBox.xmax - viewBox.xmin;
  const vh = viewBox.ymax - viewBox.ymin;
  const x = ((paintedBox.xmin - viewBox.xmin) / vw) * w;
  const y = ((viewBox.ymax - paintedBox.ymax) / vh) * h;
  const dw = ((paintedBox.xmax - paintedBox.xmin) / vw) * w;
  const dh = ((paintedBox.ymax - paintedBox.ymin) / vh) * h;
  ctx.drawImage(layer, x, y, dw, dh);
}
