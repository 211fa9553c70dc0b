// SPDX-License-Identifier: MIT
// Wiring of the first page: load the engine, run one optimizer on one surface, draw it.

import { loadEngine } from './engine.js';
import { drawLandscape } from './render/landscape.js';
import { drawMinima, drawPath } from './render/paths.js';

const FUNCTION = { name: 'rosenbrock' };
const OPTIMIZER = { name: 'adam', hyperparameters: { lr: 0.02 } };
const START = [-1.2, 1];
const STEPS = 300;
/** Grid nodes of the heat map (4:3 like the canvas). */
const GRID_SIZE = { width: 200, height: 150 };

/** Three significant digits: 24.2, 3.18, 0.00118, 2.84e-7. */
function formatNumber(v) {
  return Number.isFinite(v) ? String(Number(v.toPrecision(3))) : String(v);
}

/** Colours shared with the legend, from the custom properties in style.css. */
function pageColours() {
  const css = getComputedStyle(document.documentElement);
  const read = (name, fallback) => css.getPropertyValue(name).trim() || fallback;
  return {
    path: read('--path', '#ff3d7f'),
    marker: read('--marker', '#ffffff'),
    minimum: read('--minimum', '#ffffff'),
  };
}

/** Sizes the canvas buffer to its CSS box times devicePixelRatio and draws the scene. */
function draw(canvas, scene, colours) {
  const dpr = window.devicePixelRatio || 1;
  const width = canvas.clientWidth || 640;
  const height = canvas.clientHeight || 480;
  canvas.width = Math.round(width * dpr);
  canvas.height = Math.round(height * dpr);
  const ctx = canvas.getContext('2d');
  ctx.setTransform(canvas.width / width, 0, 0, canvas.height / height, 0, 0);
  const viewport = { x: 0, y: 0, width, height };
  drawLandscape(ctx, scene.grid, scene.box, viewport);
  drawMinima(ctx, scene.minima, scene.box, viewport, { colour: colours.minimum });
  drawPath(ctx, scene.trajectory, scene.box, viewport, {
    colour: colours.path,
    markerFill: colours.marker,
  });
}

/** "Adam (lr 0.02) on Rosenbrock from (-1.2, 1): f = 24.2 → 3.18 in 300 steps". */
function describeRun(m, result) {
  const { config, loss, steps } = result;
  const method = m.methods().find((d) => d.name === config.optimizer.name);
  const fn = m.functions().find((d) => d.name === config.function.name);
  const lr = config.optimizer.hyperparameters.lr;
  const what =
    `${method?.label ?? config.optimizer.name} (lr ${formatNumber(lr)}) on ` +
    `${fn?.label ?? config.function.name} from (${config.start.map(formatNumber).join(', ')})`;
  const losses = `f = ${formatNumber(loss[0])} → ${formatNumber(loss[steps])}`;
  if (result.diverged) {
    return `${what}: ${losses}, then diverged at step ${result.divergedAt} (${result.divergenceReason})`;
  }
  return `${what}: ${losses} in ${steps} steps`;
}

async function main() {
  const canvas = document.getElementById('landscape');
  const status = document.getElementById('status');
  try {
    const m = await loadEngine();
    const info = m.functionInfo(FUNCTION);
    const box = info.domain;
    const values = m.grid({ function: info.function, box, ...GRID_SIZE });
    const result = m.run({
      optimizer: OPTIMIZER,
      function: info.function,
      start: START,
      steps: STEPS,
    });
    const scene = {
      grid: { values, ...GRID_SIZE },
      box,
      minima: info.minima,
      trajectory: result.trajectory,
    };
    const colours = pageColours();
    draw(canvas, scene, colours);
    window.addEventListener('resize', () => draw(canvas, scene, colours));

    const caption = describeRun(m, result);
    status.textContent = caption;
    canvas.setAttribute('aria-label', caption);

    // Test hook (tests/e2e/page.test.mjs): the run's outcome and where it was drawn, set just
    // before body[data-ready] so a test that waits for data-ready can read it.
    const n = result.trajectory.length;
    window.__playground = {
      steps: result.steps,
      startLoss: result.loss[0],
      finalLoss: result.loss[result.steps],
      diverged: result.diverged,
      box: { ...box },
      start: [result.trajectory[0], result.trajectory[1]],
      end: [result.trajectory[n - 2], result.trajectory[n - 1]],
    };
    document.body.dataset.ready = 'true';
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    status.textContent = `Could not start: ${message}`;
    document.body.dataset.error = message;
    console.error(err);
  }
}

main();
