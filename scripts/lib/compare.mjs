// SPDX-License-Identifier: MIT
// The comparison rule of shared/reference/conformance.md § 2 as pure functions:
// one run (trajectory, f, lr) against a golden case's expected arrays.
//
// An element passes when |a - e| <= atol + rtol * |e|, with
//   trajectory: atol = tolerance.atol_x,
//   f:          atol = tolerance.atol_f,
//   lr:         atol = rtol * max(1, max |expected lr|).
// Its relative error is |a - e| / (atol / rtol + |e|): the same inequality
// divided by rtol, so it is directly comparable to rtol (an element passes
// exactly when its relative error is <= rtol). With rtol = 0 it falls back to
// |a - e| / |e|. A missing or non-finite actual value has relative error
// Infinity and always fails.

/**
 * Relative error of one element; see the header.
 * @param {unknown} actual
 * @param {number} expected
 * @param {number} atol
 * @param {number} rtol
 * @returns {number}
 */
export function relativeError(actual, expected, atol, rtol) {
  if (typeof actual !== 'number' || !Number.isFinite(actual)) return Infinity;
  const diff = Math.abs(actual - expected);
  if (diff === 0) return 0;
  const scale = rtol > 0 ? atol / rtol + Math.abs(expected) : Math.abs(expected);
  return scale > 0 ? diff / scale : Infinity;
}

/**
 * True when |actual - expected| <= atol + rtol * |expected| (and actual is a
 * finite number).
 */
export function withinTolerance(actual, expected, atol, rtol) {
  if (typeof actual !== 'number' || !Number.isFinite(actual)) return false;
  return Math.abs(actual - expected) <= atol + rtol * Math.abs(expected);
}

/** The absolute tolerance of the lr array: rtol * max(1, max |lr|). */
export function lrAtol(expectedLr, rtol) {
  let max = 1;
  for (const v of expectedLr) max = Math.max(max, Math.abs(v));
  return rtol * max;
}

/**
 * A short form for error sizes: 2 significant digits, e.g. 2.1e-16, 1e-9, 0.
 * @param {number} x
 */
export function formatError(x) {
  if (x === 0) return '0';
  if (!Number.isFinite(x)) return Number.isNaN(x) ? 'nan' : x > 0 ? 'inf' : '-inf';
  return x.toExponential(1).replace(/\.0e/, 'e').replace('e+', 'e');
}

function show(value) {
  if (typeof value === 'number') return String(value);
  if (value === undefined) return 'nothing';
  return JSON.stringify(value);
}

function lengthOf(array) {
  return Array.isArray(array) || ArrayBuffer.isView(array) ? array.length : -1;
}

/**
 * Compares one run with a golden case.
 *
 * @param {{trajectory: ArrayLike<ArrayLike<number>>, f: ArrayLike<number>, lr: ArrayLike<number>,
 *          diverged?: boolean, divergedAt?: number|null, divergenceReason?: string}} actual
 *   the run, trajectory as rows [x, y]; diverged, divergedAt and
 *   divergenceReason only improve the message for a short run
 * @param {{trajectory: number[][], f: number[], lr: number[]}} expected the golden arrays
 * @param {{rtol: number, atol_x: number, atol_f: number}} tolerance
 * @returns {{pass: boolean, worst: number, worstAt: string|null, mismatches: number,
 *            first: {where: string, got: unknown, expected: unknown, text: string}|null,
 *            lengthProblem: string|null, message: string}}
 *   worst: the largest relative error (see the header) over the elements
 *   both runs have, and worstAt where it occurs; first: the earliest failing
 *   element, in the order lr[t-1], trajectory[t][0..], f[t] of update t, so it
 *   points at the first cause; message: '' on a pass, else one line.
 */
export function compareRun(actual, expected, tolerance) {
  const { rtol, atol_x: atolX, atol_f: atolF } = tolerance;
  const atolLr = lrAtol(expected.lr, rtol);
  let worst = 0;
  let worstAt = null;
  let mismatches = 0;
  let first = null;

  const fail = (where, got, want, text) => {
    mismatches += 1;
    if (first === null) first = { where, got, expected: want, text };
  };
  const check = (where, a, e, atol) => {
    const rel = relativeError(a, e, atol, rtol);
    if (rel > worst || worstAt === null) {
      worst = Math.max(worst, rel);
      worstAt = where;
    }
    if (!withinTolerance(a, e, atol, rtol)) {
      fail(where, a, e, `${where}: got ${show(a)}, expected ${show(e)}`);
    }
  };

  const nTraj = lengthOf(actual.trajectory);
  const nF = lengthOf(actual.f);
  const nLr = lengthOf(actual.lr);
  const rows = expected.trajectory.length;
  const steps = expected.lr.length;
  const problems = [];
  if (nTraj < 0) {
    problems.push('trajectory is not an array');
  } else if (nTraj < rows) {
    const done = Math.max(nTraj - 1, 0);
    if (actual.diverged) {
      const why = actual.divergenceReason ? `: ${actual.divergenceReason}` : '';
      problems.push(
        `the run diverged at update ${actual.divergedAt ?? '?'}${why} ` +
          `(${done} of ${steps} updates recorded)`,
      );
    } else {
      problems.push(`the run stopped after ${done} of ${steps} updates`);
    }
  } else if (nTraj > rows) {
    problems.push(`trajectory has ${nTraj} rows, expected ${rows}`);
  }
  // A truncated f or lr that matches a truncated trajectory is already explained.
  const consistent = nTraj >= 0 && nTraj < rows;
  if (nF < 0) problems.push('f is not an array');
  else if (nF !== rows && !(consistent && nF === nTraj)) {
    problems.push(`f has ${nF} values, expected ${rows}`);
  }
  if (nLr < 0) problems.push('lr is not an array');
  else if (nLr !== steps && !(consistent && nLr === nTraj - 1)) {
    problems.push(`lr has ${nLr} values, expected ${steps}`);
  }
  const lengthProblem = problems.length > 0 ? problems.join('; ') : null;

  // Walk the common prefix update by update, so that `first` is the earliest cause.
  for (let t = 0; t < rows; t += 1) {
    if (t >= 1 && t - 1 < nLr) check(`lr[${t - 1}]`, actual.lr[t - 1], expected.lr[t - 1], atolLr);
    if (t < nTraj) {
      const row = actual.trajectory[t];
      const want = expected.trajectory[t];
      const width = lengthOf(row);
      if (width !== want.length) {
        worst = Infinity;
        worstAt = `trajectory[${t}]`;
        const got = width < 0 ? show(row) : `${width} coordinates`;
        fail(
          `trajectory[${t}]`,
          row,
          want,
          `trajectory[${t}]: got ${got}, expected ${want.length}`,
        );
      } else {
        for (let i = 0; i < want.length; i += 1) {
          check(`trajectory[${t}][${i}]`, row[i], want[i], atolX);
        }
      }
    }
    if (t < nF) check(`f[${t}]`, actual.f[t], expected.f[t], atolF);
  }

  const pass = mismatches === 0 && lengthProblem === null;
  const message = [first?.text, lengthProblem].filter(Boolean).join('; ');
  return { pass, worst, worstAt, mismatches, first, lengthProblem, message };
}
