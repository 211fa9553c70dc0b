// SPDX-License-Identifier: MIT
// The race figure: the heat map with contours of the surface, every racer's path up to the
// playback step with its marker, and the draggable start. Click or drag moves the start, the
// wheel zooms, Shift+drag pans, two fingers pinch. The caption under it reads the race.
// It draws from the store (function, view, start), the runs (app/runs.js) and the playback
// step; a frame is drawn only when one of them changed.

import * as actions from '../../app/actions.js';
import { DRAW } from '../../app/frame.js';
import { colourScale } from '../../app/meta.js';
import { racerLabels } from '../../app/labels.js';
import { formatNumber, functionLabel, t } from '../../i18n.js';
import { createFigure } from '../../render/figure.js';
import { HEAT_COLOURS, colourBarGradient } from '../../render/landscape.js';
import { panBox, saneBox, zoomBox } from '../../render/view.js';
import { attachGestures } from './gestures.js';
import { raceCaption, racerLines } from './model.js';

/** While playing, the caption and the cards' status lines change at most this often. */
const TEXT_INTERVAL_MS = 100;
/**
 * While a dragged start's paths are computed in the Workers, the figure waits for them this
 * long at most (from the first frame it held) before it draws the marker over the old paths.
 * A frame of the figure costs several milliseconds of rasterizing, CPU time the Workers need
 * on a machine of two cores: at 12 racers x 10000 steps the new paths then more often reach
 * the frame after the move. The marker moves with its paths, and a frame never shows a start
 * with another start's paths.
 */
const HOLD_MS = 50;

/** x rounded to a tenth of a pixel of a view `span` wide over `pixels`: short, exact links. */
function roundTo(x, span, pixels) {
  const decimals = Math.min(12, Math.max(0, Math.ceil(-Math.log10(span / pixels / 10))));
  return Number(x.toFixed(decimals));
}

/**
 * Mounts the figure in #figure and the caption. Returns { labels(lang), lines(lang, step) }
 * for the other sections (the racers' short names, their status lines).
 */
export function mountRace(app) {
  const { m, M, store, frame, player, hook } = app;
  const $ = (id) => document.getElementById(id);
  const canvas = $('landscape');
  let dragging = false;
  let info = null; // m.functionInfo of the committed function
  let infoKey = '';

  const figure = createFigure(canvas, {
    landscape: (fn, box, width, height, scale) =>
      m.landscape({ function: fn, box, width, height, levels: 20, scale }, HEAT_COLOURS),
    onLandscape: (land, ms, scale) => {
      hook.timings.landscape = ms;
      // A surface with no finite value in the view draws nothing: say so, not an empty canvas.
      const lang = store.get().lang;
      const drawn = land.values.some(Number.isFinite);
      app.alerts.runtime('figure', drawn ? [] : [t(lang, 'surfaceNotFinite')]);
      $('colour-min').textContent = formatNumber(land.min);
      $('colour-max').textContent = formatNumber(land.max);
      $('colour-scale').textContent = t(
        store.get().lang,
        scale === 'log' ? 'legendLog' : 'legendLinear',
      );
    },
    onError: (message) => app.alerts.runtime('figure', [message]),
  });
  $('colour-bar').style.background = colourBarGradient();
  Object.defineProperty(hook, 'marks', { get: () => figure.marks, enumerable: false });
  Object.defineProperty(hook, 'surfaceShown', {
    get: () => figure.surfaceShown,
    enumerable: false,
  });

  const labels = (lang) => racerLabels(lang, store.get().racers, M.methods);

  // --- what is drawn ------------------------------------------------------------------------
  let lastWhole = -1;
  let lastText = -Infinity;
  let heldSince = null; // the first frame held for a dragged start's paths
  let textDue = false; // the caption and the cards' lines are behind the drawn step
  function draw(now) {
    if (dragging && app.runs.current.pending) {
      heldSince ??= now;
      if (now - heldSince < HOLD_MS) return true;
    }
    heldSince = null;
    const t0 = performance.now();
    player.tick(now);
    const state = store.get();
    const waiting = figure.draw(now, player.step, state.start, dragging);
    // What the frame drew: the start of the paths shown (a key) and the marker's start (the
    // store's frozen array).
    hook.pathsFor = figure.shown;
    hook.startDrawn = state.start;
    hook.box = figure.box && { ...figure.box };
    const whole = Math.floor(player.step);
    if (whole !== lastWhole) {
      lastWhole = whole;
      hook.step = whole;
      app.playback.render();
      textDue = true;
    }
    // The caption and the cards' lines wait for the end of a drag: each change of text costs
    // the page a layout, and the paths are what follows the pointer.
    if (textDue && !dragging && (!player.playing || now - lastText > TEXT_INTERVAL_MS)) {
      textDue = false;
      lastText = now;
      app.events.emit('step', whole, player.playing, now);
      caption(whole);
    }
    if (!hook.ready && figure.drawn) {
      hook.ready = true;
      document.body.dataset.ready = 'true';
      app.events.emit('first-figure');
    }
    const ms = performance.now() - t0;
    hook.timings.frame = ms;
    hook.timings.draws += 1;
    hook.timings.frames.push(ms);
    if (hook.timings.frames.length > 600) hook.timings.frames.shift();
    return player.playing || waiting;
  }
  const requestDraw = () => frame.request('race', DRAW, draw);
  /** The figure's view, for the Workers that prepare the paths (app/runs.js). */
  app.figureView = () => figure.measureView();
  /** True while the start is being dragged: other sections may wait. */
  app.dragging = () => dragging;
  app.stepChanged = () => {
    lastWhole = -1;
    requestDraw();
  };

  function caption(step) {
    const state = store.get();
    const runs = app.runs.current;
    if (!info || runs.list.length !== state.racers.length) return;
    $('caption').textContent = raceCaption(
      state.lang,
      runs.list,
      labels(state.lang),
      step,
      state.steps,
      info.minima,
    );
  }

  // --- the store and the runs ----------------------------------------------------------------
  store.watch(
    (s) => [s.fn, s.view],
    (_, __, state) => {
      const key = JSON.stringify(state.fn);
      if (key !== infoKey) {
        info = m.functionInfo(state.fn);
        infoKey = key;
      }
      figure.setScene({
        fn: state.fn,
        box: state.view ?? info.domain,
        minima: info.minima,
        scale: colourScale(M, state.fn.name),
      });
      requestDraw();
    },
  );
  store.watch(
    (s) => [s.start, s.racers.map((r) => r.color), s.selected],
    (_, __, state) => {
      hook.start = [...state.start];
      updateRuns(app.runs.current, state);
    },
  );
  store.watch(
    (s) => [s.lang, s.fn.name, s.racers.length],
    (_, __, state) => {
      canvas.setAttribute(
        'aria-label',
        t(state.lang, 'figureLabel', {
          fn: functionLabel(state.lang, M.functions.get(state.fn.name)),
          n: state.racers.length,
        }),
      );
      lastWhole = -1;
      requestDraw();
    },
  );
  function updateRuns(runs, state = store.get()) {
    // The colours and the selection are the store's; the paths are the runs'.
    figure.setRuns(
      runs.list.map((r) => r.result),
      state.racers.map((r) => r.color),
      state.selected,
      runs.state ? JSON.stringify(runs.state.start) : null,
    );
    lastWhole = -1;
    requestDraw();
  }
  app.events.on('runs', (runs) => updateRuns(runs));

  // --- the pointer ----------------------------------------------------------------------------
  function setStart(px, py) {
    const { map, box } = figure;
    const span = box.xmax - box.xmin;
    const x = roundTo(map.fromX(px), span, figure.width);
    const y = roundTo(map.fromY(py), span, figure.width);
    const state = store.get();
    if (x !== state.start[0] || y !== state.start[1]) {
      store.update((s) => actions.setStart(s, [x, y]));
      // Commit now, not in the next frame: the move was dispatched as this frame began, and
      // its paths are computed (or sent to the Workers) before the frame draws.
      store.flush();
    }
  }
  function setView(box) {
    if (!info || !saneBox(box, info.domain)) return;
    figure.setMoving(true);
    const r = (v) => roundTo(v, box.xmax - box.xmin, figure.width);
    store.update((s) =>
      actions.setView(s, {
        xmin: r(box.xmin),
        xmax: r(box.xmax),
        ymin: r(box.ymin),
        ymax: r(box.ymax),
      }),
    );
  }
  // A locked page (embed lock=1) takes no edits: the start and the view stay.
  const locked = () => app.locked?.() ?? false;
  attachGestures(canvas, {
    start: (px, py, phase) => {
      if (!figure.map || locked()) return;
      // Moving the start shows the whole paths at once, as they follow the pointer.
      if (phase === 'start') {
        dragging = true;
        app.playback.showWhole();
      }
      if (phase === 'end') dragging = false;
      setStart(px, py);
      if (phase === 'end') {
        // After the last move is committed, so that what waited for the drag's end (the
        // selected racer's state series, the tools, the charts) sees the final start once.
        app.events.emit('drag-end');
        app.writeHashSoon();
      }
      requestDraw();
    },
    pan: (dx, dy) => {
      if (locked()) return;
      const { map, box } = figure;
      setView(panBox(box, map.fromX(0) - map.fromX(dx), map.fromY(0) - map.fromY(dy)));
    },
    zoom: (factor, px, py) => {
      if (locked()) return;
      const { map, box } = figure;
      setView(zoomBox(box, map.fromX(px), map.fromY(py), factor));
    },
    settle: () => {
      figure.setMoving(false);
      app.writeHashSoon();
      requestDraw();
    },
    hover: (px, py) => {
      const out = $('readout');
      if (px === null || !figure.map) {
        out.textContent = '';
        return;
      }
      const x = figure.map.fromX(px);
      const y = figure.map.fromY(py);
      let f = NaN;
      try {
        f = m.evaluate(store.get().fn, x, y).value;
      } catch {
        f = NaN;
      }
      const values = { x: formatNumber(x), y: formatNumber(y), f: formatNumber(f) };
      out.textContent = t(store.get().lang, 'readout', values);
    },
  });
  $('reset-view').addEventListener('click', () => store.update((s) => actions.setView(s, null)));
  new ResizeObserver(([entry]) => {
    figure.setSize(entry.contentRect.width, entry.contentRect.height);
    requestDraw();
  }).observe(canvas);

  return {
    labels,
    /** The cards' status lines at `step`. */
    lines: (lang, step) => racerLines(lang, app.runs.current.list, step),
  };
}
