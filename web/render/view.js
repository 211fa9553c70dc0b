// SPDX-License-Identifier: MIT
// The view: which box of the plane fills the canvas, with equal scale on both axes, and the
// maps between world coordinates and canvas (CSS pixel) coordinates. Pure functions.

/** The box grown around its centre so that width / height equals `aspect` (no distortion). */
export function fitBox(box, aspect) {
  const cx = (box.xmin + box.xmax) / 2;
  const cy = (box.ymin + box.ymax) / 2;
  let w = box.xmax - box.xmin;
  let h = box.ymax - box.ymin;
  if (w / h < aspect) w = h * aspect;
  else h = w / aspect;
  return { xmin: cx - w / 2, xmax: cx + w / 2, ymin: cy - h / 2, ymax: cy + h / 2 };
}

/** Maps between `box` and a width x height canvas (y grows downwards on the canvas). */
export function viewMap(box, width, height) {
  const sx = width / (box.xmax - box.xmin);
  const sy = height / (box.ymax - box.ymin);
  return {
    box,
    width,
    height,
    toX: (x) => (x - box.xmin) * sx,
    toY: (y) => (box.ymax - y) * sy,
    fromX: (px) => box.xmin + px / sx,
    fromY: (py) => box.ymax - py / sy,
  };
}

/** A view { box, width, height } as a string: equal strings, equal maps. */
export function viewKey({ box, width, height }) {
  return JSON.stringify([box.xmin, box.xmax, box.ymin, box.ymax, width, height]);
}

/** The box scaled by `factor` (> 1 zooms out) around the world point (x, y). */
export function zoomBox(box, x, y, factor) {
  return {
    xmin: x + (box.xmin - x) * factor,
    xmax: x + (box.xmax - x) * factor,
    ymin: y + (box.ymin - y) * factor,
    ymax: y + (box.ymax - y) * factor,
  };
}

/** The box moved by (dx, dy) in world units. */
export function panBox(box, dx, dy) {
  return { xmin: box.xmin + dx, xmax: box.xmax + dx, ymin: box.ymin + dy, ymax: box.ymax + dy };
}

/** True when the box is usable: finite, positive size, not absurdly small or large. */
export function saneBox(box, reference) {
  const w = box.xmax - box.xmin;
  const h = box.ymax - box.ymin;
  const rw = reference.xmax - reference.xmin;
  return (
    [box.xmin, box.xmax, box.ymin, box.ymax].every(Number.isFinite) &&
    w > rw * 1e-6 &&
    h > 0 &&
    w < rw * 1e3 &&
    Math.max(Math.abs(box.xmin), Math.abs(box.xmax), Math.abs(box.ymin), Math.abs(box.ymax)) < 1e9
  );
}

export function sameBox(a, b) {
  return (
    a === b ||
    (!!a && !!b && a.xmin === b.xmin && a.xmax === b.xmax && a.ymin === b.ymin && a.ymax === b.ymax)
  );
}
