// SPDX-License-Identifier: MIT
// The distribution of the generalization gap per racer in the lab: one row per racer, every
// run's gap (test loss - train loss at its endpoint) as a dot, with the quartiles as a box and
// the median as a bar. Diverged runs have no gap and are left out (the caption says how many).

import { niceTicks, prepareCanvas, tickText } from './basins.js';

/** The q-quantile (0..1) of sorted values, interpolated linearly. */
export function sortedQuantile(sorted, q) {
  if (!sorted.length) return NaN;
  const at = q * (sorted.length - 1);
  const i = Math.floor(at);
  const f = at - i;
  return i + 1 < sorted.length ? sorted[i] * (1 - f) + sorted[i + 1] * f : sorted[i];
}

/** Finite gaps, sorted, and their quartiles: { values, q1, median, q3 }. */
export function gapSummary(gaps) {
  const values = Array.from(gaps).filter(Number.isFinite);
  values.sort((a, b) => a - b);
  return {
    values,
    q1: sortedQuantile(values, 0.25),
    median: sortedQuantile(values, 0.5),
    q3: sortedQuantile(values, 0.75),
  };
}

/** A spread in [-0.5, 0.5) for dot i, the same on every draw (golden-ratio sequence). */
const jitter = (i) => ((i * 0.6180339887498949) % 1) - 0.5;

/**
 * Draws the rows ({ label, colour, gaps: Float64Array }) on `canvas`; its height follows the
 * number of rows. Returns the number of dots drawn.
 */
export function drawGapStrips(canvas, rows, theme) {
  const rowHeight = 26;
  const labelWidth = 86;
  canvas.style.height = `${rows.length * rowHeight + 26}px`;
  const { ctx, width, height } = prepareCanvas(canvas, {
    width: 480,
    height: rows.length * rowHeight + 26,
  });
  const summaries = rows.map((r) => gapSummary(r.gaps));
  let lo = 0;
  let hi = 0;
  for (const s of summaries) {
    if (!s.values.length) continue;
    lo = Math.min(lo, s.values[0]);
    hi = Math.max(hi, s.values.at(-1));
  }
  if (!(hi > lo)) hi = lo + 1;
  const pad = 0.04 * (hi - lo);
  lo -= pad;
  hi += pad;
  const plot = { left: labelWidth, right: width - 10, top: 4, bottom: height - 20 };
  const toX = (v) => plot.left + ((v - lo) / (hi - lo)) * (plot.right - plot.left);

  ctx.font = '10px system-ui, sans-serif';
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  ctx.lineWidth = 1;
  for (const v of niceTicks(lo, hi, 6)) {
    const px = Math.round(toX(v)) + 0.5;
    ctx.strokeStyle = v === 0 ? theme.text : theme.grid;
    ctx.beginPath();
    ctx.moveTo(px, plot.top);
    ctx.lineTo(px, plot.bottom);
    ctx.stroke();
    ctx.fillStyle = theme.text;
    ctx.fillText(tickText(v), px, plot.bottom + 3);
  }

  let dots = 0;
  rows.forEach((row, k) => {
    const s = summaries[k];
    const cy = plot.top + k * rowHeight + rowHeight / 2;
    ctx.fillStyle = theme.text;
    ctx.font = '11px system-ui, sans-serif';
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    ctx.fillText(row.label, plot.left - 8, cy, labelWidth - 12);
    ctx.fillStyle = row.colour;
    ctx.globalAlpha = 0.35;
    s.values.forEach((v, i) => {
      ctx.beginPath();
      ctx.arc(toX(v), cy + jitter(i) * rowHeight * 0.6, 2, 0, 2 * Math.PI);
      ctx.fill();
      dots += 1;
    });
    ctx.globalAlpha = 1;
    if (!s.values.length) return;
    const half = rowHeight * 0.36;
    ctx.strokeStyle = theme.text;
    ctx.lineWidth = 1.5;
    ctx.strokeRect(toX(s.q1), cy - half, Math.max(1, toX(s.q3) - toX(s.q1)), 2 * half);
    ctx.strokeStyle = row.colour;
    ctx.lineWidth = 3;
    ctx.beginPath();
    ctx.moveTo(toX(s.median), cy - half);
    ctx.lineTo(toX(s.median), cy + half);
    ctx.stroke();
  });
  return dots;
}
