// SPDX-License-Identifier: MIT
// The race's strokes (web/render/paths.js) without a browser: a whole redraw of the paths as a
// list of strokes, halos first, that can be stroked a few thousand segments at a time.

import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { decimate, strokeSome, trailStrokes } from '../../web/render/paths.js';

/** Path2D as far as the strokes use it: the points it was given. */
class FakePath {
  constructor() {
    this.points = [];
  }
  moveTo(x, y) {
    this.points.push([x, y]);
  }
  lineTo(x, y) {
    this.points.push([x, y]);
  }
}

/** A 2-D context that records what is stroked: [style, width, segments] per stroke. */
function recorder() {
  const calls = [];
  return {
    calls,
    strokeStyle: '',
    lineWidth: 1,
    lineJoin: 'miter',
    lineCap: 'butt',
    stroke(path) {
      calls.push([this.strokeStyle, this.lineWidth, path.points.length - 1]);
    },
  };
}

/** A track of `count` points zigzagging `amplitude` pixels across a line (render/paths.js). */
function zigzag(count, amplitude, colour, selected = false) {
  const points = new Float32Array(2 * count);
  for (let k = 0; k < count; k++) {
    points[2 * k] = 10 + (k * 800) / count;
    points[2 * k + 1] = 300 + (k % 2 ? amplitude : -amplitude);
  }
  return { ...decimate(points), points, count, colour, selected };
}

describe('a whole redraw of the paths, stroke by stroke', () => {
  before(() => {
    globalThis.Path2D = FakePath;
  });

  test('every halo comes before every line, and the segments add up', () => {
    // 3000 points: a long path, stroked in pieces; 40 points: a short one, one stroke.
    const tracks = [zigzag(3000, 50, '#ff0000'), zigzag(40, 20, '#00ff00', true)];
    const { strokes, segments } = trailStrokes(tracks, 5000);
    const styles = strokes.map((s) => s.style);
    const firstLine = styles.findIndex((s) => s.startsWith('#'));
    assert.ok(firstLine > 0, 'halos first');
    assert.ok(styles.slice(0, firstLine).every((s) => s.startsWith('rgba(0, 0, 0')));
    assert.ok(
      styles.slice(firstLine).every((s) => s.startsWith('#')),
      'then only lines',
    );
    // Each path's pieces cover its drawn segments once as halos and once as lines: from the
    // exact first point through the kept points after it to the exact last point (the last
    // kept point is the last point itself: a segment of length 0).
    const drawn = tracks.map((tr) => tr.poly.length / 2);
    assert.equal(segments, 2 * (drawn[0] + drawn[1]));
    assert.equal(
      strokes.reduce((n, s) => n + s.piece.segments, 0),
      segments,
    );
    // The long path is cut into pieces of a few dozen segments; the short one stays whole.
    const red = strokes.filter((s) => s.style === '#ff0000');
    assert.ok(red.length > 10, `${red.length} pieces`);
    assert.ok(red.every((s) => s.piece.segments <= 64));
    assert.equal(strokes.filter((s) => s.style === '#00ff00').length, 1);
    // The selected racer's line is drawn last and wider.
    assert.equal(strokes.at(-1).style, '#00ff00');
    assert.ok(strokes.at(-1).width > red[0].width);
  });

  test('stroked a budget at a time, it strokes what one whole pass strokes', () => {
    const tracks = [zigzag(3000, 50, '#ff0000'), zigzag(2000, 80, '#0000ff')];
    const { strokes, segments } = trailStrokes(tracks, 5000);
    const whole = recorder();
    assert.equal(strokeSome(whole, strokes), strokes.length);

    const parts = recorder();
    const budget = 500;
    let next = 0;
    let rounds = 0;
    while (next < strokes.length) {
      const before = parts.calls.length;
      const after = strokeSome(parts, strokes, next, budget);
      assert.ok(after > next, 'at least one stroke per call');
      const drawn = parts.calls.slice(before).reduce((n, c) => n + c[2], 0);
      // At most one stroke beyond the budget.
      assert.ok(drawn - parts.calls.at(-1)[2] < budget, `${drawn} segments in one call`);
      next = after;
      rounds += 1;
    }
    assert.deepEqual(parts.calls, whole.calls);
    assert.ok(rounds >= Math.floor(segments / budget), `${rounds} calls for ${segments} segments`);
  });

  test('a path is traced once between the same steps, again for other steps or points', () => {
    let made = 0;
    globalThis.Path2D = class extends FakePath {
      constructor() {
        super();
        made += 1;
      }
    };
    try {
      const track = zigzag(3000, 50, '#ff0000');
      const first = trailStrokes([track], 2000);
      const built = made;
      assert.ok(built > 10, `${built} pieces`);
      // The same path to the same step (a frame, then the layer of lines, then the halos).
      const again = trailStrokes([{ ...track, colour: '#00ff00' }], 2000);
      assert.equal(made, built, 'no path built again');
      assert.deepEqual(
        again.strokes.map((s) => s.piece),
        first.strokes.map((s) => s.piece),
      );
      assert.ok(
        again.strokes.some((s) => s.style === '#00ff00'),
        'in its new colour',
      );
      // Another step, or a new path with the same shape, is traced anew.
      trailStrokes([track], 2500);
      assert.ok(made > built, 'traced to the new step');
      const moved = made;
      trailStrokes([zigzag(3000, 50, '#ff0000')], 2500);
      assert.ok(made > moved, 'a new path is traced');
      assert.ok(
        trailStrokes([track], 2500).strokes.every((s) => s.piece.path.points.length > 1),
        'from its own points',
      );
    } finally {
      globalThis.Path2D = FakePath;
    }
  });

  test('a path not yet started has no strokes', () => {
    const { strokes, segments } = trailStrokes([zigzag(100, 10, '#ff0000')], 0);
    assert.deepEqual(strokes, []);
    assert.equal(segments, 0);
  });
});
