// SPDX-License-Identifier: MIT
// The race figure's frames (web/render/figure.js) without a browser: a new surface is
// computed, painted into its layer and copied onto the canvas in separate frames, so that no
// one frame holds the main thread for all of it; while the view moves, one frame does all.
// A whole redraw of long paths, stroked over several frames, is rasterized frame by frame.
// The canvases are fakes that record what is drawn, and the clock is the test's: computing a
// landscape takes the time the test gives it.

import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { createFigure } from '../../web/render/figure.js';

/**
 * A 2-D context that records its calls by name; properties are set as on a real one, and the
 * transform is kept.
 */
function recordingContext(owner) {
  const calls = [];
  let transform = { a: 1, b: 0, c: 0, d: 1, e: 0, f: 0 };
  const target = {
    calls,
    canvas: owner,
    setTransform(a, b, c, d, e, f) {
      calls.push(['setTransform', [a, b, c, d, e, f]]);
      transform = { a, b, c, d, e, f };
    },
    getTransform: () => ({ ...transform }),
  };
  return new Proxy(target, {
    get(t, key) {
      if (key in t) return t[key];
      return (...args) => {
        calls.push([key, args]);
        return key === 'measureText' ? { width: 0 } : undefined;
      };
    },
  });
}

/** A canvas (the figure's, or a layer: OffscreenCanvas) whose context records its calls. */
class FakeCanvas {
  constructor(width = 0, height = 0) {
    this.width = width;
    this.height = height;
    this.ctx = recordingContext(this);
  }
  getContext() {
    return this.ctx;
  }
}

class FakeImageData {
  constructor(width, height) {
    this.data = new Uint8ClampedArray(width * height * 4);
  }
}

/** Path2D as far as the strokes use it. */
class FakePath {
  moveTo() {}
  lineTo() {}
}

const saved = {};
let clock = 0;
/** createImageBitmap's calls: the canvas snapshot and how many strokes it had had by then. */
const snapshots = [];

beforeEach(() => {
  for (const name of [
    'window',
    'OffscreenCanvas',
    'ImageData',
    'performance',
    'Path2D',
    'createImageBitmap',
  ]) {
    saved[name] = Object.getOwnPropertyDescriptor(globalThis, name);
  }
  const define = (name, value) =>
    Object.defineProperty(globalThis, name, { value, configurable: true, writable: true });
  define('window', { devicePixelRatio: 1 });
  define('OffscreenCanvas', FakeCanvas);
  define('ImageData', FakeImageData);
  define('performance', { now: () => clock });
  define('Path2D', FakePath);
  snapshots.length = 0;
  define('createImageBitmap', (source) => {
    snapshots.push({
      source,
      strokes: source.ctx.calls.filter(([name]) => name === 'stroke').length,
    });
    return Promise.resolve({ close() {} });
  });
  clock = 1000;
});

afterEach(() => {
  for (const [name, descriptor] of Object.entries(saved)) {
    if (descriptor) Object.defineProperty(globalThis, name, descriptor);
    else delete globalThis[name];
  }
});

const SCENE = {
  fn: { name: 'rosenbrock', params: {} },
  box: { xmin: -2, xmax: 2, ymin: -1, ymax: 3 },
  minima: [{ x: 1, y: 1, f: 0 }],
  scale: 'log',
};

/**
 * A figure on a 400 x 300 fake canvas whose landscapes take `ms()` of the test's clock each.
 * Returns { figure, canvas, grids: the [width, height] of each landscape computed, frame():
 * one frame's draw, returning its result }.
 */
function setup(ms) {
  const canvas = new FakeCanvas();
  canvas.clientWidth = 400;
  canvas.clientHeight = 300;
  const grids = [];
  const figure = createFigure(canvas, {
    landscape: (fn, box, width, height) => {
      grids.push([width, height]);
      clock += ms();
      const segments = new Float64Array([box.xmin, box.ymin, box.xmax, box.ymax]);
      return { width, height, rgba: new Uint8Array(width * height * 4), segments, offsets: [0, 1] };
    },
    onLandscape: () => {},
    onError: (message) => assert.fail(message),
  });
  figure.setSize(400, 300);
  figure.setScene(SCENE);
  let now = 0;
  const frame = (step = 0) => {
    now += 16.7;
    clock += 16.7;
    return figure.draw(now, step, [-1.2, 1], false);
  };
  return { figure, canvas, grids, frame };
}

/** The names of the calls made on a context since the last look, then forgets them. */
function take(ctx) {
  const names = ctx.calls.map(([name]) => name);
  ctx.calls.length = 0;
  return names;
}

/** Whether the figure's canvas was drawn in the frame just made: the layer copied onto it. */
const composed = (canvas) => take(canvas.ctx).includes('drawImage');

describe('the figure draws a new surface over several frames', () => {
  test('a slow landscape: computed, then painted, then copied onto the canvas', () => {
    const { figure, canvas, grids, frame } = setup(() => 30);
    assert.equal(frame(), true, 'the first frame asks for the next');
    assert.deepEqual(grids, [[120, 90]], 'the first surface is computed on the coarse grid');
    assert.equal(composed(canvas), false, 'nothing is drawn in the frame that computed it');
    assert.equal(figure.drawn, false);

    assert.equal(frame(), true);
    assert.equal(grids.length, 1, 'the computed surface is painted, not computed again');
    assert.equal(composed(canvas), false, 'nor in the frame that painted it');
    assert.equal(figure.drawn, false);

    assert.equal(frame(), true, 'the coarse surface waits for its refinement');
    assert.equal(composed(canvas), true, 'the third frame shows it');
    assert.equal(figure.drawn, true);
    assert.equal(grids.length, 1);

    // The refinement takes the same steps on the finer grid.
    frame();
    assert.deepEqual(grids[1], [200, 150]);
    assert.equal(composed(canvas), false);
    frame();
    assert.equal(composed(canvas), false);
    assert.equal(frame(), false, 'the refined surface is shown and nothing more is due');
    assert.equal(composed(canvas), true);
    assert.equal(grids.length, 2);
  });

  test('a fast landscape: computed and painted in one frame, shown in the next', () => {
    const { figure, canvas, grids, frame } = setup(() => 1);
    assert.equal(frame(), true);
    assert.equal(composed(canvas), false);
    assert.equal(figure.drawn, false);
    frame();
    assert.equal(composed(canvas), true);
    assert.equal(figure.drawn, true);
    assert.equal(grids.length, 1);
  });

  test('surfaceShown: only once the canvas shows the surface of the current scene', () => {
    const { figure, frame } = setup(() => 30);
    const shown = [];
    // The coarse first surface and its refinement: three frames each.
    for (let i = 0; i < 6; i++) {
      frame();
      shown.push(figure.surfaceShown);
    }
    assert.deepEqual(shown, [false, false, false, false, false, true]);
    figure.setScene({ ...SCENE, fn: { name: 'himmelblau', params: {} } });
    assert.equal(figure.surfaceShown, false, 'a new scene: its surface is not shown yet');
    shown.length = 0;
    for (let i = 0; i < 3; i++) {
      frame();
      shown.push(figure.surfaceShown);
    }
    assert.deepEqual(shown, [false, false, true], 'computed, painted, then shown');
  });

  test('a change of view while a computed surface waits: it is computed again', () => {
    const { figure, canvas, grids, frame } = setup(() => 30);
    frame();
    figure.setScene({ ...SCENE, box: { xmin: -1, xmax: 1, ymin: 0, ymax: 2 } });
    frame();
    assert.equal(grids.length, 2, 'the waiting surface was for the old view: not painted');
    assert.equal(composed(canvas), false);
    frame();
    assert.equal(grids.length, 2);
    frame();
    assert.equal(composed(canvas), true);
    assert.equal(figure.drawn, true);
  });

  test('while the view moves, each surface is computed, painted and shown in one frame', () => {
    const { figure, canvas, grids, frame } = setup(() => 30);
    for (let k = 0; k < 6; k++) frame();
    take(canvas.ctx);
    const before = grids.length;
    figure.setMoving(true);
    figure.setScene({ ...SCENE, box: { xmin: -1, xmax: 1, ymin: 0, ymax: 2 } });
    // The old layer stands in, stretched, until the view's surface is due (every 60 ms).
    for (let k = 0; k < 10 && grids.length === before; k++) {
      frame();
      if (grids.length === before) assert.equal(composed(canvas), true);
    }
    assert.equal(grids.length, before + 1);
    assert.equal(composed(canvas), true, 'the moved view is drawn in the frame that computed it');
  });
});

describe('the figure rasterizes a long redraw frame by frame', () => {
  test('each frame of a whole redraw with halos rasterizes the part it stroked', () => {
    const { figure, canvas, frame } = setup(() => 1);
    while (!figure.drawn) frame();
    // Six paths that zigzag across the figure 20000 times each: thousands of segments once
    // decimated, more than one frame strokes.
    const count = 20000;
    const results = [];
    for (let r = 0; r < 6; r++) {
      const trajectory = new Float64Array(2 * count);
      for (let k = 0; k < count; k++) {
        trajectory[2 * k] = -1.9 + (3.8 * k) / count;
        trajectory[2 * k + 1] = k % 2 ? 2.5 - 0.2 * r : -0.5 + 0.2 * r;
      }
      results.push({ trajectory, state: {}, diverged: false, steps: count - 1 });
    }
    figure.setRuns(
      results,
      results.map(() => '#ff0000'),
      0,
      'race',
    );
    const before = snapshots.length;
    const strokes = (layer) => layer.ctx.calls.filter(([name]) => name === 'stroke').length;
    // Frames until the redraw is swapped in and shown: each frame that strokes part of it
    // rasterizes the layer after its last stroke.
    for (let k = 0; k < 50; k++) {
      const seen = snapshots.length;
      const waiting = frame(count - 1);
      if (snapshots.length > seen) {
        const last = snapshots.at(-1);
        assert.equal(snapshots.length, seen + 1, 'one snapshot per frame');
        assert.equal(last.strokes, strokes(last.source), 'nothing stroked after the snapshot');
      }
      if (!waiting) break;
    }
    const taken = snapshots.slice(before);
    assert.ok(taken.length >= 2, `the redraw took ${taken.length} frames of strokes`);
    const spare = taken[0].source;
    assert.notEqual(spare, canvas, 'the layer is rasterized, not the figure');
    assert.ok(
      taken.every((t) => t.source === spare),
      'always the layer the redraw is built in',
    );
    for (let k = 1; k < taken.length; k++) assert.ok(taken[k].strokes > taken[k - 1].strokes);
  });
});
