// SPDX-License-Identifier: MIT
// The figure canvas: keeps its buffer at CSS size x devicePixelRatio, fits the view box to
// it, caches the surface layer (recomputed only when the function, view or size changes) and
// a transparent layer of the paths up to the last whole step (grown by the few steps of each
// frame). A frame copies the two layers and draws the segments in progress and the markers.

import { drawLayer, paintLandscape, sizeLayer } from './landscape.js';
import {
  drawHeads,
  drawRace,
  drawStart,
  drawTrails,
  prepareTrack,
  strokeSome,
  trailStrokes,
} from './paths.js';
import { fitBox, sameBox, viewKey, viewMap } from './view.js';

/** While the view moves, the stretched old layer stands in; recomputed at most this often. */
const MOVING_INTERVAL_MS = 60;
/** Time per frame for preparing new tracks (projection, decimation) beyond the first one. */
const TRACK_BUDGET_MS = 8;
/**
 * CSS pixels per grid node of the surface: the page's first surface is computed on the coarse
 * grid (a quarter of the nodes, while the core still runs its baseline code) and refined in the
 * next frame, so that the first figure shows sooner and no single task computes it all.
 */
const NODE_PX = 2;
const FIRST_NODE_PX = 4;
/**
 * Segments stroked per frame when the layer of lines is redrawn whole with halos (a race's
 * first drawing, a drag's end): a dense path (NAG zigzags through some 16000 segments at 10^5
 * steps) takes over 100 ms to rasterize in software, so a larger redraw is spread over frames,
 * the paths shown as hairlines meanwhile.
 */
const FRAME_SEGMENTS = 4000;
/**
 * Segments (summed over the paths) up to which a dragged start's new paths are drawn straight
 * onto the canvas: more would be rasterized twice, there and in the layer of lines.
 */
const DIRECT_SEGMENTS = 4000;

/**
 * A new surface is computed, painted into its layer and copied onto the canvas (which
 * rasterizes the layer) in two or three frames, so that no one of them holds the main thread
 * for all of it: the painting waits for the next frame when computing took longer than this.
 * A page's first figure costs each step its cold start (the core's first call, the first
 * contours stroked, the first raster), while Workers compute the race on the other cores.
 */
const SPLIT_MS = 12;

/**
 * Rasterizes what has been drawn into a layer so far. Chromium records a canvas's drawing and
 * rasterizes it when the canvas is next drawn or read from: a redraw spread over frames would
 * otherwise be rasterized whole in the frame that first shows it (50 to 60 ms for the largest
 * race's paths with halos). A bitmap of one pixel takes a snapshot of the layer, rasterized
 * now, without reading pixels back from a GPU. The bitmap itself is not needed: were it
 * refused, the layer would be rasterized when shown, as without this.
 */
function rasterize(layer) {
  createImageBitmap(layer, 0, 0, 1, 1).then(
    (bitmap) => bitmap.close(),
    () => {},
  );
}

/** The kept segments of every track (render/paths.js decimate). */
const segmentsOf = (tracks) => tracks.reduce((n, t) => n + (t.poly ? t.poly.length / 2 : 0), 0);

/**
 * `landscape(fn, box, width, height, scale)` returns an m.landscape() result (or throws);
 * `onLandscape(land, ms, scale)` and `onError(message)` report what happened.
 */
export function createFigure(canvas, { landscape, onLandscape, onError }) {
  const ctx = canvas.getContext('2d');
  const size = { cssW: 0, cssH: 0, dpr: 1 };
  let scene = null; // { fn, box, minima, scale }
  let box = null;
  let map = null;
  let layer = null;
  let layerBox = null;
  let layerDirty = true;
  let lastLayer = -Infinity;
  let moving = false;
  let runs = { results: [], colours: [], selected: 0, key: null };
  let tracks = [];
  let shown = null; // the key of the runs whose tracks are drawn
  let reproject = false; // the view changed: every track is projected again at once
  let tracksDirty = true;
  let lines = null;
  let linesStep = -1; // the whole step drawn into `lines`; -1: to be redrawn
  let linesHalo = true; // whether `lines` holds the paths with their halos
  let spare = null; // the layer a whole redraw of the lines is built in, then swapped in
  let build = null; // that redraw in progress: { strokes, next, whole, tracks }
  let fresh = false; // the tracks were rebuilt since the last frame
  let rough = true; // the next paint is the page's first: on the coarse grid
  let surface = null; // a computed landscape waiting for the next frame to paint it
  let drawn = false; // a frame has copied the surface onto the canvas
  let unshown = false; // the layer was painted after the canvas was last drawn

  /** The canvas's CSS size, from setSize (a ResizeObserver); read once if never given. */
  let cssSize = null;
  function measure() {
    cssSize ??= { width: canvas.clientWidth, height: canvas.clientHeight };
    const cssW = cssSize.width;
    const cssH = cssSize.height;
    const dpr = window.devicePixelRatio || 1;
    if (cssW === size.cssW && cssH === size.cssH && dpr === size.dpr) return;
    Object.assign(size, { cssW, cssH, dpr });
    canvas.width = Math.max(1, Math.round(cssW * dpr));
    canvas.height = Math.max(1, Math.round(cssH * dpr));
    layerDirty = true;
    linesStep = -1;
    fit();
  }

  function fit() {
    if (!scene || !size.cssW || !size.cssH) return;
    const next = fitBox(scene.box, size.cssW / size.cssH);
    if (sameBox(next, box) && map?.width === size.cssW && map?.height === size.cssH) return;
    box = next;
    map = viewMap(box, size.cssW, size.cssH);
    layerDirty = true;
    tracksDirty = true;
    reproject = true;
  }

  /**
   * Computes the surface of the scene's view and paints it into the layer. With `split`, it
   * stops after computing when the frame has run for SPLIT_MS since `t0`: the next call
   * paints what was computed, unless the scene or the view changed meanwhile.
   */
  function paint(t0, split) {
    if (surface && (surface.scene !== scene || !sameBox(surface.box, box))) surface = null;
    if (!surface) {
      // About one grid node per two CSS pixels: smooth after scaling, cheap to compute.
      const px = rough ? FIRST_NODE_PX : NODE_PX;
      const gw = Math.min(800, Math.max(120, Math.round(size.cssW / px)));
      const gh = Math.min(600, Math.max(90, Math.round((gw * size.cssH) / size.cssW)));
      const start = performance.now();
      let land;
      try {
        land = landscape(scene.fn, box, gw, gh, scene.scale);
      } catch (err) {
        // Nothing to paint: the error is shown, and the surface is not asked for again until
        // the scene or the view changes.
        layerDirty = false;
        onError(err instanceof Error ? err.message : String(err));
        return;
      }
      surface = { land, scene, box, first: rough, ms: performance.now() - start };
      if (split && performance.now() - t0 > SPLIT_MS) {
        // The heat map's pixels are a view of wasm memory, valid until the next call into
        // the core: kept as a copy until the next frame paints them.
        surface.land = { ...land, rgba: land.rgba?.slice() };
        return;
      }
    }
    const start = performance.now();
    const { land } = surface;
    layer = sizeLayer(layer, canvas.width, canvas.height);
    paintLandscape(layer, land, scene.minima, map, { dpr: size.dpr, log: scene.scale === 'log' });
    layerBox = surface.box;
    unshown = true;
    linesStep = -1;
    // The page's first surface is refined in a later frame (layerDirty stays set).
    layerDirty = surface.first;
    rough = false;
    const ms = surface.ms + performance.now() - start;
    surface = null;
    onLandscape(land, ms, scene.scale);
  }

  /** Clears a layer of the canvas's size; returns its context, in CSS pixels. */
  function clearLayer(target) {
    const tctx = target.getContext('2d');
    tctx.setTransform(1, 0, 0, 1, 0, 0);
    tctx.clearRect(0, 0, target.width, target.height);
    tctx.setTransform(size.dpr, 0, 0, size.dpr, 0, 0);
    return tctx;
  }

  /**
   * Brings the layer of lines to whole step `whole`: grows it, or redraws it when going back.
   * Without `halo` the paths go without their halos (hairlines: a dragged start's paths change
   * in every frame); the layer is redrawn whole when that changes. A whole redraw with halos of
   * more than FRAME_SEGMENTS segments is built in `spare` over several frames and swapped in
   * when done. Returns whether `lines` holds the paths to `whole` (false while a redraw is
   * being built).
   */
  function drawLines(whole, halo = true) {
    if (
      build &&
      (build.tracks !== tracks ||
        !halo ||
        whole < build.whole ||
        spare.width !== canvas.width ||
        spare.height !== canvas.height)
    ) {
      build = null;
    }
    if (build) {
      // Go on with the redraw; once done, the layer grows from there as usual.
      const sctx = spare.getContext('2d');
      build.next = strokeSome(sctx, build.strokes, build.next, FRAME_SEGMENTS);
      rasterize(spare);
      if (build.next < build.strokes.length) return false;
      [lines, spare] = [spare, lines];
      linesStep = build.whole;
      linesHalo = true;
      build = null;
    }
    if (linesStep === whole && linesHalo === halo) return true;
    let from = linesHalo === halo ? linesStep : -1;
    linesHalo = halo;
    if (!lines || lines.width !== canvas.width || lines.height !== canvas.height) {
      lines = sizeLayer(lines, canvas.width, canvas.height);
      from = -1;
    }
    if (from < 0 || whole < from) {
      if (halo) {
        // A whole redraw with halos: at once when small, else built in `spare` over frames.
        const redraw = trailStrokes(tracks, whole);
        if (redraw.segments > FRAME_SEGMENTS) {
          spare = sizeLayer(spare, canvas.width, canvas.height);
          clearLayer(spare);
          build = { strokes: redraw.strokes, next: 0, whole, tracks };
          linesStep = -1;
          return drawLines(whole, halo);
        }
        strokeSome(clearLayer(lines), redraw.strokes);
        linesStep = whole;
        return true;
      }
      clearLayer(lines);
      from = 0;
    }
    // A piece added to what the layer holds goes behind it (destination-over, which costs the
    // area of the piece's bounds: fine for the few steps of a frame, far too much for whole
    // paths across the canvas).
    const lctx = lines.getContext('2d');
    lctx.setTransform(size.dpr, 0, 0, size.dpr, 0, 0);
    drawTrails(lctx, tracks, from, whole, from > 0, halo);
    linesStep = whole;
    return true;
  }

  /**
   * A result's track: projected once per result and view, kept while both stay. A result run
   * in a Worker may carry its track for the view it was sent with (result.track).
   */
  const trackCache = new WeakMap();
  function trackOf(result, colour, selected) {
    let cached = trackCache.get(result);
    if (!cached || cached.map !== map) {
      const ready = result.track && result.track.view === viewKey(map) ? result.track : null;
      cached = {
        ...(ready ?? prepareTrack(result, map)),
        map,
        count: result.trajectory.length / 2,
        diverged: result.diverged,
      };
      trackCache.set(result, cached);
    }
    return { ...cached, colour, selected };
  }

  /**
   * Prepares the new runs' tracks, TRACK_BUDGET_MS at a time (at least one track per call):
   * a race of long paths spreads its projection and decimation over a few frames, and the old
   * tracks stay on screen until every new one is ready, so a frame never mixes two races.
   * Returns true when the tracks are the new runs'. A changed view projects them all at once
   * (the old tracks would be drawn in the wrong place).
   */
  function rebuildTracks() {
    const t0 = performance.now();
    const budget = reproject ? Infinity : TRACK_BUDGET_MS;
    let prepared = 0;
    for (const result of runs.results) {
      if (!result) continue;
      const cached = trackCache.get(result);
      if (cached && cached.map === map) continue;
      if (prepared > 0 && performance.now() - t0 > budget) return false;
      trackOf(result, '', false);
      prepared += 1;
    }
    tracksDirty = false;
    reproject = false;
    linesStep = -1;
    fresh = true;
    shown = runs.key;
    tracks = runs.results.map((result, i) => {
      const colour = runs.colours[i];
      if (!result) return { colour, points: new Float32Array(0), count: 0 };
      return trackOf(result, colour, i === runs.selected);
    });
    return true;
  }

  return {
    /** The box on the canvas and its world <-> CSS pixel maps (null before the first draw). */
    get box() {
      return box;
    },
    get map() {
      return map;
    },
    get width() {
      return size.cssW;
    },
    /** Whether a frame has drawn the figure onto the canvas (its surface and paths). */
    get drawn() {
      return drawn;
    },
    /**
     * Whether the canvas shows the surface of the current scene and view: none is waiting to
     * be computed, painted or copied onto the canvas (which takes up to three frames).
     */
    get surfaceShown() {
      return drawn && !layerDirty && !unshown && !surface;
    },
    /**
     * The view the paths are drawn in, { box, width, height }, or null while the canvas has
     * no size or the figure no scene. Before the first frame it measures the canvas (a
     * layout) and fits the scene: the first race is sent to the Workers before that frame.
     */
    measureView() {
      if (!map) {
        measure();
        fit();
      }
      return map && { box: map.box, width: map.width, height: map.height };
    },
    /**
     * What each racer's track draws besides its path: Lookahead's slow weights, NAG's
     * look-ahead point, SWATS's switch.
     */
    get marks() {
      return tracks.map((t) => ({
        slow: !!t.slow,
        ahead: !!t.ahead,
        switchAt: t.switchAt ?? null,
        kept: t.poly ? t.poly.length / 2 : 0,
      }));
    },
    /** fn: normalized spec; box: the view (or the domain); minima; scale: 'log' | 'linear'. */
    setScene(next) {
      const surfaceChanged =
        !scene ||
        JSON.stringify([scene.fn, scene.scale, scene.minima]) !==
          JSON.stringify([next.fn, next.scale, next.minima]);
      scene = next;
      if (surfaceChanged) layerDirty = true;
      fit();
    },
    /**
     * results: m.run() results (null for a racer that could not run); colours; selected; key:
     * names the race (read back as `shown` once its tracks are drawn). The same results,
     * colours, selection and key again change nothing: a dragged start's frames keep the drawn
     * paths until the new ones arrive.
     */
    setRuns(results, colours, selected, key = null) {
      const same = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);
      if (
        runs &&
        runs.selected === selected &&
        runs.key === key &&
        same(runs.results, results) &&
        same(runs.colours, colours)
      ) {
        return;
      }
      runs = { results, colours, selected, key };
      tracksDirty = true;
    },
    /** The key given with the runs whose tracks the last frame drew (setRuns). */
    get shown() {
      return shown;
    },
    /**
     * The canvas's CSS size (from a ResizeObserver): reading clientWidth in every frame would
     * force a layout of the whole page after any change of its text.
     */
    setSize(width, height) {
      cssSize = { width: Math.round(width), height: Math.round(height) };
    },
    /** true while a pan or zoom goes on (the layer is then recomputed less often). */
    setMoving(value) {
      moving = value;
    },
    /** Draws one frame; returns true when the layer still waits for a recompute. */
    draw(now, step, start, dragging) {
      const t0 = performance.now();
      measure();
      if (!scene || !size.cssW) return false;
      // A layer painted in the last frame is shown before the next surface is computed (the
      // page's first surface, painted on the coarse grid, before its refinement).
      if (layerDirty && !unshown) {
        if (!moving || !layer || now - lastLayer >= MOVING_INTERVAL_MS) {
          lastLayer = now;
          // A surface painted in this frame is copied onto the canvas in the next one (the
          // copy rasterizes the layer): the canvas keeps its last frame meanwhile. While the
          // view moves, each surface is computed, painted and shown in one frame (the next
          // one may be for another view).
          paint(t0, !moving);
          if (!moving) return true;
        }
      }
      // Still dirty: the view moves, or the first surface waits for its refinement.
      let waiting = layerDirty;
      if (tracksDirty && !rebuildTracks()) waiting = true;
      const { dpr } = size;
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      if (layer && sameBox(layerBox, box)) {
        ctx.clearRect(0, 0, canvas.width, canvas.height);
        ctx.drawImage(layer, 0, 0);
        if (dragging && fresh && segmentsOf(tracks) <= DIRECT_SEGMENTS) {
          // A dragged start's new paths go straight onto the canvas, without halos: one copy
          // of the whole canvas fewer than through the layer of lines, which a small race
          // would redraw for every move anyway. Dense paths go through the layer, rasterized
          // once for the frames that show them until the next ones arrive.
          ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
          drawTrails(ctx, tracks, 0, Math.floor(step), false, false);
        } else {
          // While the start is dragged, the layer holds the paths without halos; it is kept
          // while the paths stay (the marker follows the pointer before new paths arrive).
          if (drawLines(Math.floor(step), !dragging)) {
            ctx.drawImage(lines, 0, 0);
            ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
          } else {
            // A whole redraw is being built: the paths as hairlines until it is done.
            ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
            drawTrails(ctx, tracks, 0, Math.floor(step), false, false);
            waiting = true;
          }
        }
        drawHeads(ctx, tracks, step);
      } else {
        // The view moves ahead of the layer: stretch the old one, draw the paths whole.
        if (layer) drawLayer(ctx, layer, layerBox, box, canvas.width, canvas.height);
        ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
        // Hairlines while the view moves: every frame draws the paths whole.
        drawRace(ctx, tracks, step, !dragging && !moving);
      }
      fresh = false;
      drawStart(ctx, map.toX(start[0]), map.toY(start[1]), dragging);
      drawn = true;
      unshown = false;
      return waiting;
    },
  };
}
