// SPDX-License-Identifier: MIT
// Optimizer paths and known minima, drawn over a landscape in the same box and viewport.

/** Default look of a path; main.js overrides the colours from style.css. */
export const DEFAULT_PATH_STYLE = Object.freeze({
  colour: '#ff3d7f',
  markerFill: '#ffffff',
  halo: 'rgba(0, 0, 0, 0.45)',
  lineWidth: 2,
  markerRadius: 5,
});

/** Maps data coordinates in `box` to canvas coordinates in `viewport` (y grows downwards). */
export function toCanvas(box, viewport) {
  const sx = viewport.width / (box.xmax - box.xmin);
  const sy = viewport.height / (box.ymax - box.ymin);
  return (x, y) => [viewport.x + (x - box.xmin) * sx, viewport.y + (box.ymax - y) * sy];
}

function clipTo(ctx, viewport) {
  ctx.beginPath();
  ctx.rect(viewport.x, viewport.y, viewport.width, viewport.height);
  ctx.clip();
}

function circle(ctx, [x, y], radius, fill, stroke, strokeWidth) {
  ctx.beginPath();
  ctx.arc(x, y, radius, 0, 2 * Math.PI);
  ctx.fillStyle = fill;
  ctx.fill();
  ctx.lineWidth = strokeWidth;
  ctx.strokeStyle = stroke;
  ctx.stroke();
}

/**
 * Draws a trajectory [x0, y0, x1, y1, ...] (m.run().trajectory) as a polyline with a dark
 * halo, a start marker (ring: marker fill inside the path colour) and an end marker (disc:
 * path colour inside the marker fill). Non-finite points break the line.
 */
export function drawPath(ctx, trajectory, box, viewport, style = {}) {
  const s = { ...DEFAULT_PATH_STYLE, ...style };
  const map = toCanvas(box, viewport);
  const points = [];
  const line = [];
  let penDown = false;
  for (let k = 0; k + 1 < trajectory.length; k += 2) {
    const [x, y] = [trajectory[k], trajectory[k + 1]];
    if (Number.isFinite(x) && Number.isFinite(y)) {
      const p = map(x, y);
      points.push(p);
      line.push([p, penDown]);
      penDown = true;
    } else {
      penDown = false;
    }
  }
  if (points.length === 0) return;

  ctx.save();
  clipTo(ctx, viewport);
  ctx.lineJoin = 'round';
  ctx.lineCap = 'round';
  ctx.beginPath();
  for (const [[x, y], connected] of line) {
    if (connected) ctx.lineTo(x, y);
    else ctx.moveTo(x, y);
  }
  ctx.strokeStyle = s.halo;
  ctx.lineWidth = s.lineWidth + 3;
  ctx.stroke();
  ctx.strokeStyle = s.colour;
  ctx.lineWidth = s.lineWidth;
  ctx.stroke();

  const r = s.markerRadius;
  circle(ctx, points.at(-1), r + 0.5, s.colour, s.markerFill, 2);
  circle(ctx, points[0], r, s.markerFill, s.colour, 2.5);
  ctx.restore();
}

/** Draws each known minimum [{x, y, f}] (m.functionInfo().minima) as a cross. */
export function drawMinima(ctx, minima, box, viewport, { colour = '#ffffff', size = 5 } = {}) {
  const map = toCanvas(box, viewport);
  ctx.save();
  clipTo(ctx, viewport);
  ctx.beginPath();
  for (const { x, y } of minima) {
    const [px, py] = map(x, y);
    ctx.moveTo(px - size, py - size);
    ctx.lineTo(px + size, py + size);
    ctx.moveTo(px - size, py + size);
    ctx.lineTo(px + size, py - size);
  }
  ctx.lineCap = 'round';
  ctx.strokeStyle = 'rgba(0, 0, 0, 0.5)';
  ctx.lineWidth = 4;
  ctx.stroke();
  ctx.strokeStyle = colour;
  ctx.lineWidth = 2;
  ctx.stroke();
  ctx.restore();
}
