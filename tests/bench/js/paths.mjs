// SPDX-License-Identifier: MIT
// Hand-written optimizer paths on Rosenbrock: what a course author would write instead of the
// wasm core. One loop per method (no dispatch inside it), state in local variables, the path
// and the loss recorded into Float64Arrays allocated once before the loop. The update rules
// are PyTorch's, as the core's (shared/reference/optimizers.md), with the arithmetic in the
// core's order (a factor 1 / (sqrt(v) + eps) times the update, then the learning rate), so
// that the paths agree with the core to rounding even where the dynamics amplify it.

/** Rosenbrock (a - x)^2 + b (y - x^2)^2 with the core's defaults. */
const A = 1;
const B = 100;

/**
 * Runs `method` ('adam' | 'rmsprop' | 'sgd_momentum' | 'sgd') with hyperparameters `hp` for
 * `steps` updates from `start`. Returns { trajectory: (steps + 1) x 2, loss: steps + 1 }.
 */
export function rosenbrockPath(method, hp, start, steps) {
  const trajectory = new Float64Array(2 * (steps + 1));
  const loss = new Float64Array(steps + 1);
  let x = start[0];
  let y = start[1];
  trajectory[0] = x;
  trajectory[1] = y;
  loss[0] = (A - x) * (A - x) + B * (y - x * x) * (y - x * x);
  const lr = hp.lr;
  if (method === 'sgd') {
    for (let t = 1; t <= steps; t++) {
      const v = y - x * x;
      const g0 = -2 * (A - x) - 4 * B * x * v;
      const g1 = 2 * B * v;
      x -= lr * g0;
      y -= lr * g1;
      trajectory[2 * t] = x;
      trajectory[2 * t + 1] = y;
      const u = y - x * x;
      loss[t] = (A - x) * (A - x) + B * u * u;
    }
  } else if (method === 'sgd_momentum') {
    // b_1 = g_1, b_t = mu b_{t-1} + g_t (dampening 0); x -= lr b.
    const mu = hp.momentum;
    let b0 = 0;
    let b1 = 0;
    for (let t = 1; t <= steps; t++) {
      const v = y - x * x;
      const g0 = -2 * (A - x) - 4 * B * x * v;
      const g1 = 2 * B * v;
      if (t === 1) {
        b0 = g0;
        b1 = g1;
      } else {
        b0 = mu * b0 + g0;
        b1 = mu * b1 + g1;
      }
      x -= lr * b0;
      y -= lr * b1;
      trajectory[2 * t] = x;
      trajectory[2 * t + 1] = y;
      const u = y - x * x;
      loss[t] = (A - x) * (A - x) + B * u * u;
    }
  } else if (method === 'rmsprop') {
    // v = alpha v + (1 - alpha) g^2; x -= lr g / (sqrt(v) + eps).
    const alpha = hp.alpha;
    const eps = hp.eps;
    let v0 = 0;
    let v1 = 0;
    for (let t = 1; t <= steps; t++) {
      const v = y - x * x;
      const g0 = -2 * (A - x) - 4 * B * x * v;
      const g1 = 2 * B * v;
      v0 = alpha * v0 + (1 - alpha) * g0 * g0;
      v1 = alpha * v1 + (1 - alpha) * g1 * g1;
      x -= lr * (g0 * (1 / (Math.sqrt(v0) + eps)));
      y -= lr * (g1 * (1 / (Math.sqrt(v1) + eps)));
      trajectory[2 * t] = x;
      trajectory[2 * t + 1] = y;
      const u = y - x * x;
      loss[t] = (A - x) * (A - x) + B * u * u;
    }
  } else if (method === 'adam') {
    // m, v with bias correction; x -= lr m_hat / (sqrt(v_hat) + eps).
    const b1 = hp.beta1;
    const b2 = hp.beta2;
    const eps = hp.eps;
    let m0 = 0;
    let m1 = 0;
    let v0 = 0;
    let v1 = 0;
    for (let t = 1; t <= steps; t++) {
      const v = y - x * x;
      const g0 = -2 * (A - x) - 4 * B * x * v;
      const g1 = 2 * B * v;
      m0 = b1 * m0 + (1 - b1) * g0;
      m1 = b1 * m1 + (1 - b1) * g1;
      v0 = b2 * v0 + (1 - b2) * g0 * g0;
      v1 = b2 * v1 + (1 - b2) * g1 * g1;
      const bc1 = 1 - b1 ** t;
      const sbc2 = Math.sqrt(1 - b2 ** t);
      x -= lr * ((m0 / bc1) * (1 / (Math.sqrt(v0) / sbc2 + eps)));
      y -= lr * ((m1 / bc1) * (1 / (Math.sqrt(v1) / sbc2 + eps)));
      trajectory[2 * t] = x;
      trajectory[2 * t + 1] = y;
      const u = y - x * x;
      loss[t] = (A - x) * (A - x) + B * u * u;
    }
  } else {
    throw new Error(`rosenbrockPath: unknown method ${method}`);
  }
  return { trajectory, loss };
}
