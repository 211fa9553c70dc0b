// SPDX-License-Identifier: MIT
// The golden-file comparison rule (scripts/lib/compare.mjs) on small hand-made arrays.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  compareRun,
  formatError,
  lrAtol,
  relativeError,
  withinTolerance,
} from '../../scripts/lib/compare.mjs';

const TOL = { rtol: 1e-9, atol_x: 1e-9, atol_f: 1e-8 };

/** Two updates: 3 iterates, 3 losses, 2 learning rates. */
function expected() {
  return {
    trajectory: [
      [1, -2],
      [0.5, -1],
      [0.25, -0.5],
    ],
    f: [9, 2.25, 0.5625],
    lr: [0.1, 0.05],
  };
}

/** A deep copy of expected(), optionally edited. */
function actual(edit = () => {}) {
  const run = structuredClone(expected());
  edit(run);
  return run;
}

describe('compareRun', () => {
  test('identical arrays pass with worst 0', () => {
    const r = compareRun(actual(), expected(), TOL);
    assert.equal(r.pass, true);
    assert.equal(r.worst, 0);
    assert.equal(r.mismatches, 0);
    assert.equal(r.first, null);
    assert.equal(r.lengthProblem, null);
    assert.equal(r.message, '');
  });

  test('differences within atol + rtol*|e| pass, and worst is the relative error', () => {
    // trajectory[2][1] = -0.5: allowed 1e-9 + 0.5e-9 = 1.5e-9; use 1e-9.
    const r = compareRun(
      actual((a) => (a.trajectory[2][1] -= 1e-9)),
      expected(),
      TOL,
    );
    assert.equal(r.pass, true);
    assert.equal(r.worstAt, 'trajectory[2][1]');
    // |a - e| / (atol/rtol + |e|) = 1e-9 / (1 + 0.5)
    // (up to the rounding of -0.5 - 1e-9)
    assert.ok(Math.abs(r.worst / (1e-9 / 1.5) - 1) < 1e-6, `worst ${r.worst}`);
    assert.ok(r.worst <= TOL.rtol);
  });

  test('a trajectory difference beyond tolerance fails and names the element', () => {
    const r = compareRun(
      actual((a) => (a.trajectory[1][1] = -1.001)),
      expected(),
      TOL,
    );
    assert.equal(r.pass, false);
    assert.equal(r.mismatches, 1);
    assert.equal(r.first.where, 'trajectory[1][1]');
    assert.equal(r.message, 'trajectory[1][1]: got -1.001, expected -1');
    assert.ok(r.worst > TOL.rtol);
    assert.equal(r.worstAt, 'trajectory[1][1]');
  });

  test('an f difference fails with atol_f', () => {
    // f[2] = 0.5625: allowed 1e-8 + 0.5625e-9; 2e-8 is too much, 1e-8 is not.
    const bad = compareRun(
      actual((a) => (a.f[2] += 2e-8)),
      expected(),
      TOL,
    );
    assert.equal(bad.pass, false);
    assert.equal(bad.first.where, 'f[2]');
    assert.match(bad.message, /^f\[2\]: got 0\.5625000\d+, expected 0\.5625$/);
    const good = compareRun(
      actual((a) => (a.f[2] += 1e-8)),
      expected(),
      TOL,
    );
    assert.equal(good.pass, true);
  });

  test('an lr difference fails with atol = rtol * max(1, max|lr|)', () => {
    assert.equal(lrAtol([0.1, 0.05], 1e-9), 1e-9);
    assert.equal(lrAtol([0.1, 4], 1e-9), 4e-9);
    const bad = compareRun(
      actual((a) => (a.lr[1] = 0.05 + 2e-9)),
      expected(),
      TOL,
    );
    assert.equal(bad.pass, false);
    assert.equal(bad.first.where, 'lr[1]');
    assert.match(bad.message, /^lr\[1\]: got 0\.050000002\d*, expected 0\.05$/);
    const good = compareRun(
      actual((a) => (a.lr[1] = 0.05 + 1e-9)),
      expected(),
      TOL,
    );
    assert.equal(good.pass, true);
  });

  test('the first failure is the earliest update: lr[t-1], then trajectory[t], then f[t]', () => {
    const r = compareRun(
      actual((a) => {
        a.f[2] = 1;
        a.trajectory[2][0] = 1;
        a.lr[1] = 1;
        a.f[1] = 7;
      }),
      expected(),
      TOL,
    );
    assert.equal(r.mismatches, 4);
    assert.equal(r.first.where, 'f[1]');
    const same = compareRun(
      actual((a) => {
        a.f[2] = 1;
        a.trajectory[2][0] = 1;
        a.lr[1] = 1;
      }),
      expected(),
      TOL,
    );
    assert.equal(same.first.where, 'lr[1]');
  });

  test('NaN, null and missing actual values fail with worst Infinity', () => {
    for (const bad of [NaN, null, undefined, Infinity, '0.5']) {
      const r = compareRun(
        actual((a) => (a.trajectory[1][0] = bad)),
        expected(),
        TOL,
      );
      assert.equal(r.pass, false, String(bad));
      assert.equal(r.worst, Infinity);
      assert.equal(r.first.where, 'trajectory[1][0]');
    }
  });

  test('a short (diverged) run fails and says at which update', () => {
    const short = actual((a) => {
      a.trajectory.pop();
      a.f.pop();
      a.lr.pop();
      a.diverged = true;
      a.divergedAt = 2;
      a.divergenceReason = 'a coordinate exceeds 1e+12';
    });
    const r = compareRun(short, expected(), TOL);
    assert.equal(r.pass, false);
    assert.equal(r.mismatches, 0);
    assert.equal(r.worst, 0, 'the common prefix agrees');
    assert.equal(
      r.message,
      'the run diverged at update 2: a coordinate exceeds 1e+12 (1 of 2 updates recorded)',
    );
    delete short.diverged;
    assert.equal(
      compareRun(short, expected(), TOL).message,
      'the run stopped after 1 of 2 updates',
    );
  });

  test('length mismatches of each array fail', () => {
    const long = compareRun(
      actual((a) => {
        a.trajectory.push([0, 0]);
        a.f.push(0);
        a.lr.push(0);
      }),
      expected(),
      TOL,
    );
    assert.equal(long.pass, false);
    assert.match(long.lengthProblem, /trajectory has 4 rows, expected 3/);
    assert.match(long.lengthProblem, /f has 4 values, expected 3/);
    assert.match(long.lengthProblem, /lr has 3 values, expected 2/);

    const f = compareRun(
      actual((a) => a.f.pop()),
      expected(),
      TOL,
    );
    assert.equal(f.pass, false);
    assert.equal(f.message, 'f has 2 values, expected 3');

    const lr = compareRun(
      actual((a) => (a.lr = [])),
      expected(),
      TOL,
    );
    assert.equal(lr.pass, false);
    assert.equal(lr.message, 'lr has 0 values, expected 2');

    const row = compareRun(
      actual((a) => a.trajectory[1].push(3)),
      expected(),
      TOL,
    );
    assert.equal(row.pass, false);
    assert.equal(row.message, 'trajectory[1]: got 3 coordinates, expected 2');

    const notArray = compareRun({ trajectory: null, f: [], lr: [] }, expected(), TOL);
    assert.equal(notArray.pass, false);
    assert.match(notArray.message, /trajectory is not an array/);
  });

  test('typed arrays are accepted as actual values', () => {
    const e = expected();
    const r = compareRun(
      {
        trajectory: e.trajectory.map((row) => Float64Array.from(row)),
        f: Float64Array.from(e.f),
        lr: Float64Array.from(e.lr),
      },
      e,
      TOL,
    );
    assert.equal(r.pass, true);
  });

  test('at expected 0 only atol counts; rtol alone allows nothing', () => {
    const zero = {
      trajectory: [
        [0, 0],
        [0, 0],
      ],
      f: [0, 0],
      lr: [0],
    };
    const run = (x, tol) =>
      compareRun(
        {
          trajectory: [
            [0, 0],
            [x, 0],
          ],
          f: [0, 0],
          lr: [0],
        },
        zero,
        tol,
      );
    const withAtol = { rtol: 1e-9, atol_x: 1e-12, atol_f: 0 };
    assert.equal(run(1e-12, withAtol).pass, true, 'exactly atol passes');
    assert.equal(run(-1e-12, withAtol).pass, true);
    assert.equal(run(2e-12, withAtol).pass, false, 'twice atol fails');
    // relative error at e = 0 is |a| / (atol/rtol) = 1e-12 / 1e-3 = 1e-9 = rtol.
    assert.ok(Math.abs(run(1e-12, withAtol).worst - 1e-9) < 1e-24);

    const noAtol = { rtol: 1e-9, atol_x: 0, atol_f: 0 };
    assert.equal(run(0, noAtol).pass, true);
    assert.equal(run(1e-300, noAtol).pass, false, 'any difference from 0 fails without atol');
    assert.equal(run(1e-300, noAtol).worst, Infinity);
  });

  test('away from zero rtol dominates atol', () => {
    // e = 1e6: allowed = 1e-9 + 1e-9 * 1e6 ≈ 1e-3.
    const e = { trajectory: [[1e6, 0]], f: [0], lr: [] };
    const at = (x) => compareRun({ trajectory: [[x, 0]], f: [0], lr: [] }, e, TOL);
    assert.equal(at(1e6 + 9e-4).pass, true);
    assert.equal(at(1e6 + 2e-3).pass, false);
  });
});

describe('element helpers', () => {
  test('withinTolerance and relativeError agree: pass iff relative error <= rtol', () => {
    const rtol = 1e-9;
    const atol = 1e-10;
    for (const e of [0, 1e-12, -0.3, 1, 7e5]) {
      for (const d of [0, 1e-13, 1e-10, 3e-9, 1e-4]) {
        const a = e + d;
        const rel = relativeError(a, e, atol, rtol);
        const within = withinTolerance(a, e, atol, rtol);
        // Allow the division to round across rtol by an ulp.
        if (Math.abs(rel - rtol) > 1e-24) assert.equal(within, rel <= rtol, `e=${e} d=${d}`);
      }
    }
  });

  test('rtol 0 falls back to |a - e| / |e|', () => {
    assert.equal(relativeError(1.5, 1, 0, 0), 0.5);
    assert.equal(relativeError(1, 1, 0, 0), 0);
    assert.equal(withinTolerance(1 + 1e-12, 1, 1e-11, 0), true);
  });

  test('formatError prints two significant digits without "+"', () => {
    assert.equal(formatError(0), '0');
    assert.equal(formatError(2.1e-16), '2.1e-16');
    assert.equal(formatError(1e-9), '1e-9');
    assert.equal(formatError(3.2456e-6), '3.2e-6');
    assert.equal(formatError(12.5), '1.3e1');
    assert.equal(formatError(Infinity), 'inf');
    assert.equal(formatError(NaN), 'nan');
  });
});
