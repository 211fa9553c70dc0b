// SPDX-License-Identifier: MIT
// A hand-written MLP 2-h1-...-1 with tanh hidden layers and a linear output logit, trained on
// the mean binary cross-entropy softplus(z) - y z: forward pass and backpropagation one point
// at a time into buffers allocated once, Adam and SGD with momentum in PyTorch's form, and the
// top Hessian eigenvalue by power iteration on finite-difference Hessian-vector products.
// Parameters are one Float64Array in the core's layout (src/problems/mlp.hpp): per layer the
// weights (out x in, column-major, so index in * out + o) followed by the biases.

/** A small seeded generator (xorshift32): mini-batch shuffling and power-iteration starts. */
export function xorshift(seed) {
  let s = seed >>> 0 || 0x9e3779b9;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
}

export class Mlp {
  /** sizes = [2, h1, ..., 1]; points: [x0, y0, x1, y1, ...]; labels: 0/1. */
  constructor(sizes, points, labels) {
    this.sizes = sizes;
    this.points = Float64Array.from(points);
    this.labels = Float64Array.from(labels);
    this.n = this.labels.length;
    this.offsets = [];
    let total = 0;
    for (let l = 1; l < sizes.length; l++) {
      this.offsets.push(total);
      total += sizes[l] * sizes[l - 1] + sizes[l];
    }
    this.size = total;
    // Activations a[l] (a[0] = input) and back-propagated deltas, for one point.
    this.a = sizes.map((w) => new Float64Array(w));
    this.delta = sizes.map((w) => new Float64Array(w));
    this.grad = new Float64Array(total);
  }

  /**
   * Mean loss over the points listed in indices[0..count) (all points when indices is null),
   * and its gradient into this.grad.
   */
  lossAndGradient(params, indices = null, count = this.n) {
    const { sizes, a, delta, grad, offsets, points, labels } = this;
    const layers = sizes.length - 1;
    grad.fill(0);
    let loss = 0;
    for (let q = 0; q < count; q++) {
      const p = indices ? indices[q] : q;
      a[0][0] = points[2 * p];
      a[0][1] = points[2 * p + 1];
      for (let l = 1; l <= layers; l++) {
        const input = a[l - 1];
        const out = a[l];
        const nin = sizes[l - 1];
        const nout = sizes[l];
        const w = offsets[l - 1];
        const b = w + nin * nout;
        for (let o = 0; o < nout; o++) out[o] = params[b + o];
        for (let i = 0; i < nin; i++) {
          const v = input[i];
          const col = w + i * nout;
          for (let o = 0; o < nout; o++) out[o] += params[col + o] * v;
        }
        if (l < layers) for (let o = 0; o < nout; o++) out[o] = Math.tanh(out[o]);
      }
      const z = a[layers][0];
      const y = labels[p];
      loss += Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z))) - y * z;
      delta[layers][0] = (1 / (1 + Math.exp(-z)) - y) / count;
      for (let l = layers; l >= 1; l--) {
        const input = a[l - 1];
        const d = delta[l];
        const nin = sizes[l - 1];
        const nout = sizes[l];
        const w = offsets[l - 1];
        const b = w + nin * nout;
        for (let o = 0; o < nout; o++) grad[b + o] += d[o];
        const back = delta[l - 1];
        for (let i = 0; i < nin; i++) {
          const v = input[i];
          const col = w + i * nout;
          let s = 0;
          for (let o = 0; o < nout; o++) {
            grad[col + o] += d[o] * v;
            s += params[col + o] * d[o];
          }
          back[i] = l > 1 ? s * (1 - v * v) : 0; // tanh' = 1 - tanh^2
        }
      }
    }
    return loss / count;
  }

  /** Mean loss over all points (no gradient). */
  loss(params) {
    const g = Float64Array.from(this.grad);
    const loss = this.lossAndGradient(params);
    this.grad.set(g);
    return loss;
  }
}

/**
 * Trains `params` in place: `update` is 'adam' ({lr, beta1, beta2, eps}) or 'sgd_momentum'
 * ({lr, momentum}); batch 0 is full batch, otherwise mini-batches of a seeded shuffle
 * (the last partial slice of an epoch dropped, as the core does).
 */
export class Trainer {
  constructor(mlp, params, method, hp, batch = 0, seed = 1) {
    this.mlp = mlp;
    this.params = params;
    this.method = method;
    this.hp = hp;
    this.batch = batch > 0 && batch < mlp.n ? batch : 0;
    this.m = new Float64Array(params.length);
    this.v = new Float64Array(params.length);
    this.t = 0;
    this.rng = xorshift(seed);
    this.order = new Int32Array(mlp.n).map((_, i) => i);
    this.cursor = mlp.n;
    this.window = new Int32Array(this.batch || 1);
  }

  shuffle() {
    const { order, rng } = this;
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rng() * (i + 1));
      const t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    this.cursor = 0;
  }

  /** k updates; returns the last batch loss. */
  run(k) {
    const { mlp, params, m, v, hp } = this;
    const grad = mlp.grad;
    let loss = NaN;
    for (let s = 0; s < k; s++) {
      if (this.batch) {
        if (this.cursor + this.batch > this.order.length) this.shuffle();
        for (let i = 0; i < this.batch; i++) this.window[i] = this.order[this.cursor + i];
        this.cursor += this.batch;
        loss = mlp.lossAndGradient(params, this.window, this.batch);
      } else {
        loss = mlp.lossAndGradient(params);
      }
      this.t++;
      if (this.method === 'adam') {
        const { lr, beta1: b1, beta2: b2, eps } = hp;
        const bc1 = 1 - b1 ** this.t;
        const sbc2 = Math.sqrt(1 - b2 ** this.t);
        for (let i = 0; i < params.length; i++) {
          const g = grad[i];
          m[i] = b1 * m[i] + (1 - b1) * g;
          v[i] = b2 * v[i] + (1 - b2) * g * g;
          params[i] -= (lr * (m[i] / bc1)) / (Math.sqrt(v[i]) / sbc2 + eps);
        }
      } else {
        const { lr, momentum: mu } = hp;
        for (let i = 0; i < params.length; i++) {
          m[i] = this.t === 1 ? grad[i] : mu * m[i] + grad[i];
          params[i] -= lr * m[i];
        }
      }
    }
    return loss;
  }
}

/** A seeded unit vector of length n (Box-Muller normals, normalised). */
export function randomUnit(n, seed) {
  const rng = xorshift(seed);
  const v = new Float64Array(n);
  let norm = 0;
  for (let i = 0; i < n; i++) {
    v[i] = Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
    norm += v[i] * v[i];
  }
  norm = Math.sqrt(norm);
  for (let i = 0; i < n; i++) v[i] /= norm;
  return v;
}

/**
 * The Hessian's eigenvalue of largest magnitude over all points at `params`: `iterations`
 * power iterations on central finite differences of the gradient, H v ~ (g(p + h v) -
 * g(p - h v)) / 2h, returning the Rayleigh quotient v' H v of the last iterate.
 */
export function topEigenvalue(mlp, params, iterations, seed, h = 1e-5) {
  const n = params.length;
  const v = randomUnit(n, seed);
  const probe = new Float64Array(n);
  const gPlus = new Float64Array(n);
  const hv = new Float64Array(n);
  let lambda = 0;
  for (let it = 0; it < iterations; it++) {
    for (let i = 0; i < n; i++) probe[i] = params[i] + h * v[i];
    mlp.lossAndGradient(probe);
    gPlus.set(mlp.grad);
    for (let i = 0; i < n; i++) probe[i] = params[i] - h * v[i];
    mlp.lossAndGradient(probe);
    let dot = 0;
    let norm = 0;
    for (let i = 0; i < n; i++) {
      hv[i] = (gPlus[i] - mlp.grad[i]) / (2 * h);
      dot += v[i] * hv[i];
      norm += hv[i] * hv[i];
    }
    lambda = dot;
    norm = Math.sqrt(norm);
    if (!(norm > 0)) break;
    for (let i = 0; i < n; i++) v[i] = hv[i] / norm;
  }
  return lambda;
}
