// SPDX-License-Identifier: MIT
// The tiny network: forward pass, backpropagation, and Pearlmutter's exact
// Hessian-vector product (Pearlmutter 1994, "Fast exact multiplication by
// the Hessian", the R{.} operator applied to backpropagation).
#include "problems/mlp.hpp"

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <stdexcept>

#include "core/params.hpp"
#include "core/rng.hpp"
#include "problems/gemm.hpp"

namespace optim {

namespace {

// Mean binary cross-entropy of logits z (1 x n) against labels y:
// softplus(z) - y z with the stable softplus(z) = max(z, 0) + log1p(e),
// e = exp(-|z|). log1p(e) for e in [0, 1] is log(u) e / (u - 1) with
// u = 1 + e (exact where u == 1), which corrects the rounding of u. (One
// exp per point; n is small next to the layers' work.) With `delta`, also
// dL/dz = (sigmoid(z) - y) / n, sigmoid = 1 / (1 + e) for z >= 0 and
// e / (1 + e) otherwise; with `curvature`, d2L/dz2 = s (1 - s) / n.
double binary_cross_entropy(const Eigen::Ref<const Mat>& z, const Vec& y,
                            Mat* delta, Mat* curvature) {
  const auto zr = z.array();
  const auto yr = y.transpose().array();
  const Eigen::ArrayXXd e = (-zr.abs()).exp();
  const Eigen::ArrayXXd u = 1.0 + e;
  const double n = static_cast<double>(z.cols());
  const double sum =
      (zr.max(0.0) + (u == 1.0).select(e, u.log() * e / (u - 1.0)) - yr * zr)
          .sum();
  if (delta != nullptr || curvature != nullptr) {
    const Eigen::ArrayXXd s = (zr >= 0.0).select(1.0, e) / u;
    if (delta != nullptr) *delta = ((s - yr) / n).matrix();
    if (curvature != nullptr) *curvature = (s * (1.0 - s) / n).matrix();
  }
  return sum / n;
}

double sigmoid(double z) {
  if (z >= 0.0) return 1.0 / (1.0 + std::exp(-z));
  const double e = std::exp(z);
  return e / (1.0 + e);
}

// The losses below are plain loops: they cost O(K n) against the layers'
// O(h K n), and loops compile to a fraction of the code of Eigen
// expressions (the wasm module's size is budgeted).

// Mean (s - y)^2 with s = sigmoid(z). With `delta`, dL/dz = 2 (s - y) s'
// / n; with `curvature`, d2L/dz2 = 2 (s'^2 + (s - y) s'') / n, where
// s' = s (1 - s) and s'' = s (1 - s) (1 - 2 s).
double binary_squared_error(const Eigen::Ref<const Mat>& z, const Vec& y,
                            Mat* delta, Mat* curvature) {
  const Eigen::Index n = z.cols();
  const double dn = static_cast<double>(n);
  if (delta != nullptr) delta->resize(1, n);
  if (curvature != nullptr) curvature->resize(1, n);
  double sum = 0.0;
  for (Eigen::Index i = 0; i < n; ++i) {
    const double s = sigmoid(z(0, i));
    const double r = s - y(i), ds = s * (1.0 - s);
    sum += r * r;
    if (delta != nullptr) (*delta)(0, i) = 2.0 * r * ds / dn;
    if (curvature != nullptr) {
      (*curvature)(0, i) = 2.0 * (ds * ds + r * ds * (1.0 - 2.0 * s)) / dn;
    }
  }
  return sum / dn;
}

// The mean loss of K >= 2 outputs per column of z, with p = softmax(z) =
// exp(z - max) / sum exp(z - max) and c the column's class (y):
//   cross_entropy  L = log sum exp(z) - z_c = max + log sum exp(z - max) - z_c,
//                  dL/dz = (p - e_c) / n;
//   mse            L = |r|^2 with r = p - e_c, dL/dz = 2 J r / n, where
//                  J = dp/dz = diag(p) - p p', so J r = p .* r - p (p'r).
// With `delta`, dL/dz; `probs` and `resid` (mse) receive p and r for the
// output Hessian.
double softmax_loss(Loss loss, const Eigen::Ref<const Mat>& z, const Vec& y,
                    Mat* delta, Mat* probs, Mat* resid) {
  const Eigen::Index k = z.rows(), n = z.cols();
  const double dn = static_cast<double>(n);
  Mat p(k, n), r;
  if (loss == Loss::mse) r.resize(k, n);
  if (delta != nullptr) delta->resize(k, n);
  double sum = 0.0;
  for (Eigen::Index i = 0; i < n; ++i) {
    const auto c = static_cast<Eigen::Index>(y(i));
    double top = z(0, i);
    for (Eigen::Index j = 1; j < k; ++j) top = std::max(top, z(j, i));
    double total = 0.0;
    for (Eigen::Index j = 0; j < k; ++j) {
      p(j, i) = std::exp(z(j, i) - top);
      total += p(j, i);
    }
    for (Eigen::Index j = 0; j < k; ++j) p(j, i) /= total;
    if (loss == Loss::cross_entropy) {
      sum += top + std::log(total) - z(c, i);
      if (delta != nullptr) {
        for (Eigen::Index j = 0; j < k; ++j) {
          (*delta)(j, i) = (p(j, i) - (j == c ? 1.0 : 0.0)) / dn;
        }
      }
      continue;
    }
    double pr = 0.0;
    for (Eigen::Index j = 0; j < k; ++j) {
      r(j, i) = p(j, i) - (j == c ? 1.0 : 0.0);
      sum += r(j, i) * r(j, i);
      pr += p(j, i) * r(j, i);
    }
    if (delta != nullptr) {
      for (Eigen::Index j = 0; j < k; ++j) {
        (*delta)(j, i) = 2.0 * (p(j, i) * r(j, i) - p(j, i) * pr) / dn;
      }
    }
  }
  if (probs != nullptr) *probs = std::move(p);
  if (resid != nullptr) *resid = std::move(r);
  return sum / dn;
}

// The mean loss of outputs z (K x n) against the labels y; with `delta`,
// dL/dz. For the exact Hessian-vector product, with `curvature` (one
// output) d2L/dz2 per point, with `probs` (K >= 2) softmax(z), and with
// `resid` (K >= 2, mse) softmax(z) - one-hot(y).
double output_loss(Loss loss, const Eigen::Ref<const Mat>& z, const Vec& y,
                   Mat* delta, Mat* curvature = nullptr, Mat* probs = nullptr,
                   Mat* resid = nullptr) {
  if (z.rows() == 1) {
    return loss == Loss::cross_entropy
               ? binary_cross_entropy(z, y, delta, curvature)
               : binary_squared_error(z, y, delta, curvature);
  }
  return softmax_loss(loss, z, y, delta, probs, resid);
}

// out = H u for u = R{z_L}, H the Hessian of the loss in the outputs (one
// K x K block per point, divided by n). With s = p'u and J u = p .* u - s p,
// per column:
//   cross_entropy  H u = J u / n;
//   mse            H u = 2 (J J u + sum_c r_c (d2p_c/dz2) u) / n, where
//                  d2p_c/dz2 = p_c ((e_c - p)(e_c - p)' - J), so that
//                  sum_c r_c (d2p_c/dz2) u = q - p sum(q) - (r'p) J u with
//                  q = r .* p .* (u - s).
void softmax_hessian(Loss loss, const Mat& p, const Mat& r, const Mat& u,
                     Mat& out) {
  const Eigen::Index k = u.rows(), n = u.cols();
  const double dn = static_cast<double>(n);
  out.resize(k, n);
  for (Eigen::Index i = 0; i < n; ++i) {
    double s = 0.0;
    for (Eigen::Index j = 0; j < k; ++j) s += p(j, i) * u(j, i);
    // out's column holds J u first.
    for (Eigen::Index j = 0; j < k; ++j) {
      out(j, i) = p(j, i) * u(j, i) - s * p(j, i);
    }
    if (loss == Loss::cross_entropy) {
      for (Eigen::Index j = 0; j < k; ++j) out(j, i) /= dn;
      continue;
    }
    double t = 0.0, rp = 0.0, qsum = 0.0;  // p'(J u), r'p, sum(q)
    for (Eigen::Index j = 0; j < k; ++j) {
      t += p(j, i) * out(j, i);
      rp += r(j, i) * p(j, i);
      qsum += r(j, i) * p(j, i) * (u(j, i) - s);
    }
    for (Eigen::Index j = 0; j < k; ++j) {
      const double ju = out(j, i);
      const double q = r(j, i) * p(j, i) * (u(j, i) - s);
      out(j, i) = 2.0 *
                  (p(j, i) * ju - p(j, i) * t + q - p(j, i) * qsum - rp * ju) /
                  dn;
    }
  }
}

// expm1(r) / r = sum_j c_j r^j with c_j = 1 / (j + 1)!, j = 0..12. For
// |r| <= ln2 / 2 the first omitted term is below 1.2e-17 relative.
constexpr double kExpm1[] = {1.0,
                             1.0 / 2,
                             1.0 / 6,
                             1.0 / 24,
                             1.0 / 120,
                             1.0 / 720,
                             1.0 / 5040,
                             1.0 / 40320,
                             1.0 / 362880,
                             1.0 / 3628800,
                             1.0 / 39916800,
                             1.0 / 479001600,
                             1.0 / 6227020800.0};

// tanh of n contiguous values, written as a branch-free loop of plain
// arithmetic so that the compiler vectorizes it (SSE2 natively, wasm SIMD in
// the browser; Eigen 3.4 has no vectorized double tanh, and its vectorized
// exp goes through slow emulated conversions in wasm):
//   tanh|x| = -m / (2 + m), m = expm1(-2|x|),
//   expm1(y) = (2^k - 1) + 2^k r q(r), y = k ln2 + r, |r| <= ln2 / 2
// (Cody-Waite with fdlibm's split of ln2; q from kExpm1). 2^k - 1 is exact
// and never cancels the second term badly, so the result is within a few
// ulps of tanh for every x, small ones included. q is evaluated by Estrin's
// scheme (pairs, then powers r^2, r^4, r^8): a short dependency chain, so
// the loop is not bound by the latency of one long Horner recurrence. For
// |x| > 20 tanh is +-1 in double; there 2^k may leave the normal range, and
// the garbage is replaced by 1 at the end (a select, cheaper than clamping
// x first, which in wasm is a NaN-aware min). +-0 and NaN pass through.
void tanh_span(double* z, Eigen::Index n) {
  constexpr double kLn2Hi = 6.93147180369123816490e-01;
  constexpr double kLn2Lo = 1.90821492927058770002e-10;
  constexpr double kLog2e = 1.44269504088896338700e+00;
  constexpr double kRound = 6755399441055744.0;  // 1.5 * 2^52
  const double* c = kExpm1;
  for (Eigen::Index i = 0; i < n; ++i) {
    const double x = z[i];
    const double ax = std::fabs(x);
    const double y = -2.0 * ax;
    const double shifted = y * kLog2e + kRound;  // rounds y / ln2 to k
    const double k = shifted - kRound;
    const double r = (y - k * kLn2Hi) - k * kLn2Lo;
    const double r2 = r * r, r4 = r2 * r2, r8 = r4 * r4;
    const double q0_3 = (c[0] + c[1] * r) + r2 * (c[2] + c[3] * r);
    const double q4_7 = (c[4] + c[5] * r) + r2 * (c[6] + c[7] * r);
    const double q8_11 = (c[8] + c[9] * r) + r2 * (c[10] + c[11] * r);
    const double q = (q0_3 + r4 * q4_7) + r8 * (q8_11 + r4 * c[12]);
    // 2^k from k's bits: the low bits of `shifted` hold k (two's
    // complement), moved into the exponent field (unsigned arithmetic: the
    // bits wrap for |x| > 20, whose result is overwritten below).
    std::uint64_t bits;
    std::memcpy(&bits, &shifted, sizeof bits);
    const std::uint64_t scale_bits = (bits + 1023) << 52;
    double scale;
    std::memcpy(&scale, &scale_bits, sizeof scale);
    const double m = (scale - 1.0) + scale * (r * q);
    const double t = ax > 20.0 ? 1.0 : -m / (2.0 + m);
    z[i] = x < 0.0 ? -t : (x > 0.0 ? t : x);
  }
}

}  // namespace

void vector_tanh(Eigen::Ref<Mat> z) {
  // Column by column: a Ref may have an outer stride.
  for (Eigen::Index j = 0; j < z.cols(); ++j) {
    tanh_span(z.col(j).data(), z.rows());
  }
}

Activation parse_activation(const std::string& name) {
  if (name == "tanh") return Activation::tanh;
  if (name == "relu") return Activation::relu;
  throw ConfigError("activation",
                    "unknown activation '" + name + "' (known: tanh, relu)");
}

Loss parse_loss(const std::string& name) {
  if (name == "cross_entropy") return Loss::cross_entropy;
  if (name == "mse") return Loss::mse;
  throw ConfigError("loss",
                    "unknown loss '" + name + "' (known: cross_entropy, mse)");
}

// Layer l = 1..L: z_l = W_l a_{l-1} + b_l, a_l = sigma(z_l) for l < L,
// with a_0 = x' (d x n, one column per point) and z_L the logits (K x n).

Mlp::Mlp(std::vector<int> sizes, Activation activation, Loss loss)
    : sizes_(std::move(sizes)), activation_(activation), loss_(loss) {
  if (sizes_.size() < 2 || sizes_.front() < 1) {
    throw std::invalid_argument("MLP sizes must be {inputs, ..., outputs}");
  }
  for (std::size_t l = 1; l < sizes_.size(); ++l) {
    if (sizes_[l] < 1) throw std::invalid_argument("MLP widths must be >= 1");
    offsets_.push_back(num_params_);
    num_params_ += static_cast<Eigen::Index>(sizes_[l]) * (sizes_[l - 1] + 1);
  }
}

Eigen::Map<const Mat> Mlp::weights(const Vec& p, int layer) const {
  return {p.data() + offset(layer), sizes_[layer], sizes_[layer - 1]};
}

Eigen::Map<const Vec> Mlp::bias(const Vec& p, int layer) const {
  return {p.data() + offset(layer) +
              static_cast<Eigen::Index>(sizes_[layer]) * sizes_[layer - 1],
          sizes_[layer]};
}

Vec Mlp::init(std::uint64_t seed) const {
  Rng rng(seed);
  Vec p = Vec::Zero(num_params_);
  const int layers = static_cast<int>(sizes_.size()) - 1;
  for (int l = 1; l <= layers; ++l) {
    const double fan_in = sizes_[l - 1], fan_out = sizes_[l];
    const double std_dev = activation_ == Activation::tanh
                               ? std::sqrt(2.0 / (fan_in + fan_out))
                               : std::sqrt(2.0 / fan_in);
    const Eigen::Index count =
        static_cast<Eigen::Index>(sizes_[l]) * sizes_[l - 1];
    for (Eigen::Index k = 0; k < count; ++k) {
      p(offset(l) + k) = std_dev * rng.normal();
    }
  }
  return p;
}

void Mlp::forward(const Vec& params, const Mat& x, std::vector<Mat>& a) const {
  const int layers = static_cast<int>(sizes_.size()) - 1;
  const Eigen::Index n = x.rows();
  a.resize(static_cast<std::size_t>(layers) + 1);
  for (int l = 1; l <= layers; ++l) {
    Mat& out = a[l];
    out.resize(sizes_[l], n);  // no allocation when the size is unchanged
    const auto w = weights(params, l);
    const auto b = bias(params, l);
    if (l == 1 && sizes_[0] == 2) {
      // Two inputs: a rank-2 update per column beats a depth-2 GEMM.
      for (Eigen::Index i = 0; i < n; ++i) {
        out.col(i) = b + w.col(0) * x(i, 0) + w.col(1) * x(i, 1);
      }
    } else if (l == 1) {
      a[0] = x.transpose();
      out.colwise() = b;
      multiply(out, w, a[0], /*accumulate=*/true);
    } else {
      out.colwise() = b;
      multiply(out, w, a[l - 1], /*accumulate=*/true);
    }
    if (l == layers) break;
    if (activation_ == Activation::tanh) {
      vector_tanh(out);
    } else {
      out = out.cwiseMax(0.0);
    }
  }
}

namespace {

// sigma'(z) from a = sigma(z) (relu: z > 0 exactly when a > 0).
template <class A>
auto derivative(Activation act, const A& a) {
  return act == Activation::tanh
             ? (1.0 - a.array().square()).eval()
             : (a.array() > 0.0).template cast<double>().eval();
}

// d .*= sigma'(z), from a = sigma(z), in one pass without temporaries.
void times_derivative(Activation act, const Mat& a, Mat& d) {
  if (act == Activation::tanh) {
    d.array() *= 1.0 - a.array().square();
  } else {
    d.array() *= (a.array() > 0.0).cast<double>();
  }
}

// dL/dW_l and dL/db_l of one layer from delta_l (sizes[l] x n) and its input
// (the previous layer's activations, or x' for the first layer).
void layer_gradient(const Mat& delta, const Mat* input, const Mat& x,
                    Eigen::Map<Mat> gw, Eigen::Map<Vec> gb) {
  if (input != nullptr) {
    multiply_transposed(gw, delta, *input);
  } else {
    multiply(gw, delta, x);
  }
  gb = delta.rowwise().sum();
}

}  // namespace

Vec Mlp::logits(const Vec& params, const Mat& x) const {
  std::vector<Mat> a;
  forward(params, x, a);
  return a.back().row(0).transpose();
}

double Mlp::loss(const Vec& params, const Dataset& data) const {
  std::vector<Mat> a;
  forward(params, data.x, a);
  return output_loss(loss_, a.back(), data.y, nullptr);
}

double Mlp::loss_and_gradient(const Vec& params, const Dataset& data,
                              Vec& grad) const {
  const int layers = static_cast<int>(sizes_.size()) - 1;
  forward(params, data.x, a_);
  const double loss = output_loss(loss_, a_[layers], data.y, &delta_);
  grad.resize(num_params_);
  for (int l = layers; l >= 1; --l) {
    const int out = sizes_[l], in = sizes_[l - 1];
    layer_gradient(
        delta_, l > 1 ? &a_[l - 1] : nullptr, data.x,
        Eigen::Map<Mat>(grad.data() + offset(l), out, in),
        Eigen::Map<Vec>(grad.data() + offset(l) + Eigen::Index{out} * in, out));
    if (l > 1) {
      // delta_{l-1} = (W_l' delta_l) .* sigma'(z_{l-1}).
      wt_ = weights(params, l).transpose();
      back_.resize(in, delta_.cols());
      multiply(back_, wt_, delta_);
      times_derivative(activation_, a_[l - 1], back_);
      delta_.swap(back_);  // keeps both buffers
    }
  }
  return loss;
}

Mlp::HessianAt::HessianAt(const Mlp& mlp, const Vec& params,
                          const Dataset& data)
    : mlp_(mlp), params_(params), data_(data) {
  const int layers = static_cast<int>(mlp.sizes_.size()) - 1;
  mlp.forward(params, data.x, a_);
  dact_.resize(layers + 1);
  delta_.resize(layers + 1);
  curv_.resize(layers + 1);
  rz_.resize(layers + 1);
  ra_.resize(layers + 1);
  rdelta_.resize(layers + 1);
  // At the output, delta_L = dL/dz_L, and what R{delta_L} = H R{z_L} needs:
  // one output, curv_L = d2L/dz2 (binary cross-entropy: s (1 - s)/n), so
  // that R{delta_L} = curv_L .* R{z_L}; K >= 2, softmax_hessian's p and r.
  output_loss(mlp.loss_, a_[layers], data.y, &delta_[layers], &curv_[layers],
              &probs_, &resid_);
  wt_.resize(layers + 1);
  for (int l = layers; l > 1; --l) {
    wt_[l] = mlp.weights(params, l).transpose();
    back_.resize(mlp.sizes_[l - 1], delta_[l].cols());
    multiply(back_, wt_[l], delta_[l]);
    const Mat& a = a_[l - 1];
    dact_[l - 1] = derivative(mlp.activation_, a).matrix();
    delta_[l - 1] = back_.cwiseProduct(dact_[l - 1]);
    // (W_l' delta_l) .* sigma''(z_{l-1}): -2 a (1 - a^2) for tanh, 0 for
    // relu (away from the kink).
    if (mlp.activation_ == Activation::tanh) {
      curv_[l - 1] = back_.cwiseProduct(
          (-2.0 * a.array() * (1.0 - a.array().square())).matrix());
    } else {
      curv_[l - 1].setZero(a.rows(), a.cols());
    }
  }
  // R{a_1} = sigma'(z_1) .* (V~_1 X~) with X~ = [x'; 1] (3 x n) and
  // V~_1 = [V_1 v_b1]: the input has no R-part. So the two layer-2 terms
  // that pair delta_2 with R{a_1} or with V_2 reduce, through
  // T_k = (delta_2 .* X~_k) sigma'(z_1)' (sizes[2] x sizes[1], k = x, y, 1),
  // to O(sizes[2] sizes[1]) work per product (see apply). With more inputs
  // X~ has d + 1 rows and the general R-pass is used.
  shortcut_ = layers >= 2 && mlp.sizes_[0] == 2;
  if (shortcut_) {
    for (int k = 0; k < 3; ++k) {
      Mat& t = t_[k];
      if (k < 2) {
        back_ = delta_[2] * data.x.col(k).asDiagonal();
      } else {
        back_ = delta_[2];
      }
      t.resize(back_.rows(), dact_[1].rows());
      multiply_transposed(t, back_, dact_[1]);
    }
  }
}

void Mlp::HessianAt::apply(const Vec& v, Vec& hv) {
  const Mlp& m = mlp_;
  const int layers = static_cast<int>(m.sizes_.size()) - 1;
  const Mat& x = data_.x;
  const Eigen::Index n = x.rows();
  // Forward R-pass: R{z_l} = W_l R{a_{l-1}} + V_l a_{l-1} + v_b,
  // R{a_l} = sigma'(z_l) .* R{z_l}, with R{a_0} = 0.
  for (int l = 1; l <= layers; ++l) {
    Mat& rz = rz_[l];
    rz.resize(m.sizes_[l], n);
    const auto vw = m.weights(v, l);
    const auto vb = m.bias(v, l);
    if (l == 1 && m.sizes_[0] == 2) {
      for (Eigen::Index i = 0; i < n; ++i) {
        rz.col(i) = vb + vw.col(0) * x(i, 0) + vw.col(1) * x(i, 1);
      }
    } else if (l == 1) {
      rz.colwise() = vb;
      multiply(rz, vw, a_[0], /*accumulate=*/true);
    } else {
      rz.colwise() = vb;
      multiply(rz, vw, a_[l - 1], /*accumulate=*/true);
      multiply(rz, m.weights(params_, l), ra_[l - 1], /*accumulate=*/true);
    }
    if (l < layers) ra_[l] = dact_[l].cwiseProduct(rz);
  }
  // Backward R-pass, from R{delta_L} = H R{z_L} (binary cross-entropy:
  // s (1 - s) R{z_L} / n).
  if (m.sizes_[layers] == 1) {
    rdelta_[layers] = curv_[layers].cwiseProduct(rz_[layers]);
  } else {
    softmax_hessian(m.loss_, probs_, resid_, rz_[layers], rdelta_[layers]);
  }
  hv.resize(m.num_params_);
  for (int l = layers; l >= 1; --l) {
    const int out = m.sizes_[l], in = m.sizes_[l - 1];
    Eigen::Map<Mat> hw(hv.data() + m.offset(l), out, in);
    Eigen::Map<Vec> hb(hv.data() + m.offset(l) + Eigen::Index{out} * in, out);
    // R{dL/dW_l} = R{delta_l} a_{l-1}' + delta_l R{a_{l-1}}'.
    layer_gradient(rdelta_[l], l > 1 ? &a_[l - 1] : nullptr, x, hw, hb);
    if (l == 1 && shortcut_) {
      // The V_2' delta_2 part of R{delta_1}, contracted with X~ (below).
      hw += v2_delta2_.leftCols(2);
      hb += v2_delta2_.col(2);
    }
    if (l > 1) {
      // delta_{l-1} = (W_l' delta_l) .* sigma'(z_{l-1}), so
      // R{delta_{l-1}} = (V_l' delta_l + W_l' R{delta_l}) .* sigma'(z_{l-1})
      //                + (W_l' delta_l) .* sigma''(z_{l-1}) .* R{z_{l-1}}.
      const auto vw = m.weights(v, l);
      back_.resize(in, n);
      multiply(back_, wt_[l], rdelta_[l]);
      if (l == 2 && shortcut_) {
        // delta_2 R{a_1}' = sum_k T_k diag(V~_1 column k), and the
        // V_2' delta_2 part of R{delta_1} enters the gradient only as
        // (V_2' delta_2 .* sigma'(z_1)) X~', whose (j, k) entry is
        // sum_m V_2(m, j) T_k(m, j).
        // V~_1: V_1 (sizes[1] x 2) is followed by v_b1 in the flat vector.
        const Eigen::Map<const Mat> v1(v.data() + m.offset(1), in, 3);
        v2_delta2_.resize(in, 3);
        for (int k = 0; k < 3; ++k) {
          hw.noalias() += t_[k] * v1.col(k).asDiagonal();
          v2_delta2_.col(k) =
              vw.cwiseProduct(t_[k]).colwise().sum().transpose();
        }
        rdelta_[1] =
            back_.cwiseProduct(dact_[1]) + curv_[1].cwiseProduct(rz_[1]);
      } else {
        multiply_transposed(hw, delta_[l], ra_[l - 1], /*accumulate=*/true);
        vt_ = vw.transpose();
        multiply(back_, vt_, delta_[l], /*accumulate=*/true);
        rdelta_[l - 1] = back_.cwiseProduct(dact_[l - 1]) +
                         curv_[l - 1].cwiseProduct(rz_[l - 1]);
      }
    }
  }
}

void Mlp::hessian_vector_product(const Vec& params, const Dataset& data,
                                 const Vec& v, Vec& hv) const {
  HessianAt(*this, params, data).apply(v, hv);
}

namespace {

// The class of column i of the outputs z: logit > 0 for one output, else
// the first largest entry.
int predicted_class(const Mat& z, Eigen::Index i) {
  if (z.rows() == 1) return z(0, i) > 0.0 ? 1 : 0;
  Eigen::Index best = 0;
  for (Eigen::Index j = 1; j < z.rows(); ++j) {
    if (z(j, i) > z(best, i)) best = j;
  }
  return static_cast<int>(best);
}

double fraction_correct(const Mat& z, const Vec& y) {
  if (z.cols() == 0) return 0.0;
  long correct = 0;
  for (Eigen::Index i = 0; i < z.cols(); ++i) {
    correct += predicted_class(z, i) == y(i);
  }
  return static_cast<double>(correct) / static_cast<double>(z.cols());
}

}  // namespace

std::vector<int> Mlp::predict(const Vec& params, const Mat& x) const {
  std::vector<Mat> a;
  forward(params, x, a);
  std::vector<int> out(static_cast<std::size_t>(x.rows()));
  for (Eigen::Index i = 0; i < x.rows(); ++i) {
    out[static_cast<std::size_t>(i)] = predicted_class(a.back(), i);
  }
  return out;
}

double Mlp::accuracy(const Vec& params, const Dataset& data) const {
  if (data.size() == 0) return 0.0;
  std::vector<Mat> a;
  forward(params, data.x, a);
  return fraction_correct(a.back(), data.y);
}

Mlp::Evaluation Mlp::evaluate(const Vec& params, const Dataset& data) const {
  std::vector<Mat> a;
  forward(params, data.x, a);
  return {output_loss(loss_, a.back(), data.y, nullptr),
          fraction_correct(a.back(), data.y)};
}

std::vector<float> Mlp::predict_grid(const Vec& params, const Box& box,
                                     int width, int height) const {
  if (sizes_.front() != 2 || sizes_.back() != 1) {
    throw std::invalid_argument(
        "a decision boundary needs a network of 2 inputs and 1 output");
  }
  if (width < 2 || height < 2) {
    throw std::invalid_argument("grid width and height must be >= 2");
  }
  const double dx = (box.xmax - box.xmin) / (width - 1);
  const double dy = (box.ymax - box.ymin) / (height - 1);
  Mat x(static_cast<Eigen::Index>(width) * height, 2);
  for (int j = 0; j < height; ++j) {
    for (int i = 0; i < width; ++i) {
      const Eigen::Index k = static_cast<Eigen::Index>(j) * width + i;
      x(k, 0) = box.xmin + i * dx;
      x(k, 1) = box.ymax - j * dy;
    }
  }
  const Vec z = logits(params, x);
  std::vector<float> values(static_cast<std::size_t>(z.size()));
  for (Eigen::Index k = 0; k < z.size(); ++k) {
    values[static_cast<std::size_t>(k)] = static_cast<float>(sigmoid(z(k)));
  }
  return values;
}

double top_hessian_eigenvalue(const Mlp& mlp, const Vec& params,
                              const Dataset& data, int iterations,
                              std::uint64_t seed) {
  if (iterations < 1) throw std::invalid_argument("iterations must be >= 1");
  Rng rng(seed);
  Vec v(mlp.num_params());
  for (Eigen::Index k = 0; k < v.size(); ++k) v(k) = rng.normal();
  v.normalize();
  Vec hv;
  double lambda = 0.0;
  Mlp::HessianAt hessian(mlp, params, data);
  for (int it = 0; it < iterations; ++it) {
    hessian.apply(v, hv);
    lambda = v.dot(hv);  // Rayleigh quotient, |v| = 1
    const double norm = hv.norm();
    if (!(norm > 0.0) || !std::isfinite(norm)) break;
    v = hv / norm;
  }
  return lambda;
}

}  // namespace optim
