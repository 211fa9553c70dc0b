// SPDX-License-Identifier: MIT
#include "problems/gemm.hpp"

#include <cstring>
#include <stdexcept>

namespace optim {

namespace {

// Two doubles in one SIMD register: SSE2 natively, wasm SIMD (simd128) in
// the browser. GCC and Clang both compile the element-wise operators.
typedef double Pair __attribute__((vector_size(16)));

inline Pair load(const double* p) {
  Pair v;
  std::memcpy(&v, p, sizeof v);  // unaligned load
  return v;
}
inline void store(double* p, Pair v) { std::memcpy(p, &v, sizeof v); }
inline Pair splat(double x) { return Pair{x, x}; }

// c (m x n, column stride ldc) = [c +] p q with p (m x k, column stride ldp)
// and q given by its strides: q(t, j) = q[t * qt + j * qj]. This covers both
// q and a transposed q without copying.
struct Product {
  Eigen::Index m, n, k;
  const double* p;
  Eigen::Index ldp;
  const double* q;
  Eigen::Index qt, qj;
  double* c;
  Eigen::Index ldc;
  bool accumulate;
};

// Rows i .. i + 2 V - 1 and columns j .. j + N - 1 of c: 2 V x N sums held
// in V x N registers while t runs over the inner index.
template <int V, int N>
void tile(const Product& g, Eigen::Index i, Eigen::Index j) {
  Pair acc[N][V];
  for (int s = 0; s < N; ++s) {
    for (int r = 0; r < V; ++r) {
      acc[s][r] =
          g.accumulate ? load(g.c + (j + s) * g.ldc + i + 2 * r) : splat(0.0);
    }
  }
  const double* p = g.p + i;
  const double* q = g.q + j * g.qj;
  for (Eigen::Index t = 0; t < g.k; ++t) {
    Pair a[V];
    for (int r = 0; r < V; ++r) a[r] = load(p + 2 * r);
    for (int s = 0; s < N; ++s) {
      const Pair b = splat(q[s * g.qj]);
      for (int r = 0; r < V; ++r) acc[s][r] += a[r] * b;
    }
    p += g.ldp;
    q += g.qt;
  }
  for (int s = 0; s < N; ++s) {
    for (int r = 0; r < V; ++r) {
      store(g.c + (j + s) * g.ldc + i + 2 * r, acc[s][r]);
    }
  }
}

// The last row when m is odd, columns j .. j + N - 1.
template <int N>
void last_row(const Product& g, Eigen::Index i, Eigen::Index j) {
  double acc[N];
  for (int s = 0; s < N; ++s) {
    acc[s] = g.accumulate ? g.c[(j + s) * g.ldc + i] : 0.0;
  }
  const double* p = g.p + i;
  const double* q = g.q + j * g.qj;
  for (Eigen::Index t = 0; t < g.k; ++t) {
    for (int s = 0; s < N; ++s) acc[s] += *p * q[s * g.qj];
    p += g.ldp;
    q += g.qt;
  }
  for (int s = 0; s < N; ++s) g.c[(j + s) * g.ldc + i] = acc[s];
}

template <int N>
void columns(const Product& g, Eigen::Index j) {
  Eigen::Index i = 0;
  for (; i + 8 <= g.m; i += 8) tile<4, N>(g, i, j);
  for (; i + 2 <= g.m; i += 2) tile<1, N>(g, i, j);
  if (i < g.m) last_row<N>(g, i, j);
}

// One row (m == 1) with p and q contiguous along t: each entry is a dot
// product, summed in two lanes (even and odd t) that are added at the end.
template <int N>
void dots(const Product& g, Eigen::Index j) {
  Pair acc[N];
  for (int s = 0; s < N; ++s) acc[s] = splat(0.0);
  const double* q = g.q + j * g.qj;
  Eigen::Index t = 0;
  for (; t + 2 <= g.k; t += 2) {
    const Pair a = load(g.p + t);
    for (int s = 0; s < N; ++s) acc[s] += a * load(q + s * g.qj + t);
  }
  for (int s = 0; s < N; ++s) {
    double sum = acc[s][0] + acc[s][1];
    if (t < g.k) sum += g.p[t] * q[s * g.qj + t];
    double& out = g.c[(j + s) * g.ldc];
    out = g.accumulate ? out + sum : sum;
  }
}

void run(const Product& g) {
  Eigen::Index j = 0;
  if (g.m == 1 && g.ldp == 1 && g.qt == 1) {
    for (; j + 4 <= g.n; j += 4) dots<4>(g, j);
    for (; j < g.n; ++j) dots<1>(g, j);
    return;
  }
  for (; j + 2 <= g.n; j += 2) columns<2>(g, j);
  if (j < g.n) columns<1>(g, j);
}

void check(bool ok) {
  if (!ok) throw std::invalid_argument("matrix product: sizes do not match");
}

}  // namespace

void multiply(Eigen::Ref<Mat> c, const Eigen::Ref<const Mat>& p,
              const Eigen::Ref<const Mat>& q, bool accumulate) {
  check(p.cols() == q.rows() && c.rows() == p.rows() && c.cols() == q.cols());
  run({c.rows(), c.cols(), p.cols(), p.data(), p.outerStride(), q.data(), 1,
       q.outerStride(), c.data(), c.outerStride(), accumulate});
}

void multiply_transposed(Eigen::Ref<Mat> c, const Eigen::Ref<const Mat>& p,
                         const Eigen::Ref<const Mat>& q, bool accumulate) {
  check(p.cols() == q.cols() && c.rows() == p.rows() && c.cols() == q.rows());
  if (c.rows() == 1 && c.cols() > 1 && c.outerStride() == 1) {
    // One row: c' = q p' has q's contiguous columns on the left.
    run({c.cols(), 1, q.cols(), q.data(), q.outerStride(), p.data(),
         p.outerStride(), 0, c.data(), c.cols(), accumulate});
    return;
  }
  run({c.rows(), c.cols(), p.cols(), p.data(), p.outerStride(), q.data(),
       q.outerStride(), 1, c.data(), c.outerStride(), accumulate});
}

}  // namespace optim
