// SPDX-License-Identifier: MIT
// The tiny network: forward pass, backpropagation, and Pearlmutter's exact
// Hessian-vector product (Pearlmutter 1994, "Fast exact multiplication by
// the Hessian", the R{.} operator applied to backpropagation).
#include "problems/mlp.hpp"

#include <cmath>
#include <stdexcept>

#include "core/params.hpp"
#include "core/rng.hpp"

namespace optim {

namespace {

// Numerically stable softplus(z) = log(1 + e^z).
double softplus(double z) {
  return std::max(z, 0.0) + std::log1p(std::exp(-std::abs(z)));
}

double sigmoid(double z) {
  if (z >= 0.0) return 1.0 / (1.0 + std::exp(-z));
  const double e = std::exp(z);
  return e / (1.0 + e);
}

}  // namespace

Activation parse_activation(const std::string& name) {
  if (name == "tanh") return Activation::tanh;
  if (name == "relu") return Activation::relu;
  throw ConfigError("activation",
                    "unknown activation '" + name + "' (known: tanh, relu)");
}

// Layer l = 1..L: z[l] = W_l a[l-1] + b_l, a[l] = sigma(z[l]) for l < L,
// with a[0] = x' (2 x n, one column per point) and z[L] the logits (1 x n).
struct Mlp::Forward {
  std::vector<Mat> z;
  std::vector<Mat> a;
};

Mlp::Mlp(std::vector<int> sizes, Activation activation)
    : sizes_(std::move(sizes)), activation_(activation) {
  if (sizes_.size() < 2 || sizes_.front() != 2 || sizes_.back() != 1) {
    throw std::invalid_argument("MLP sizes must be {2, ..., 1}");
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

void Mlp::forward(const Vec& params, const Mat& x, Forward& f) const {
  const int layers = static_cast<int>(sizes_.size()) - 1;
  f.z.resize(layers + 1);
  f.a.resize(layers + 1);
  f.a[0] = x.transpose();
  for (int l = 1; l <= layers; ++l) {
    f.z[l].noalias() = weights(params, l) * f.a[l - 1];
    f.z[l].colwise() += bias(params, l);
    if (l == layers) break;
    if (activation_ == Activation::tanh) {
      f.a[l] = f.z[l].array().tanh().matrix();
    } else {
      f.a[l] = f.z[l].cwiseMax(0.0);
    }
  }
}

namespace {

// sigma'(z) from z and a = sigma(z).
Mat derivative(Activation act, const Mat& z, const Mat& a) {
  if (act == Activation::tanh) return (1.0 - a.array().square()).matrix();
  return (z.array() > 0.0).cast<double>().matrix();
}

// sigma''(z): -2 a (1 - a^2) for tanh, 0 for relu (away from the kink).
Mat second_derivative(Activation act, const Mat& a) {
  if (act == Activation::tanh) {
    return (-2.0 * a.array() * (1.0 - a.array().square())).matrix();
  }
  return Mat::Zero(a.rows(), a.cols());
}

}  // namespace

Vec Mlp::logits(const Vec& params, const Mat& x) const {
  Forward f;
  forward(params, x, f);
  return f.z.back().row(0).transpose();
}

double Mlp::loss(const Vec& params, const Dataset& data) const {
  const Vec z = logits(params, data.x);
  double sum = 0.0;
  for (Eigen::Index i = 0; i < z.size(); ++i) {
    sum += softplus(z(i)) - data.y(i) * z(i);
  }
  return sum / static_cast<double>(z.size());
}

double Mlp::loss_and_gradient(const Vec& params, const Dataset& data,
                              Vec& grad) const {
  const int layers = static_cast<int>(sizes_.size()) - 1;
  const Eigen::Index n = data.size();
  Forward f;
  forward(params, data.x, f);
  // dL/dz_i = (sigmoid(z_i) - y_i) / n at the output.
  Mat delta(1, n);
  double sum = 0.0;
  for (Eigen::Index i = 0; i < n; ++i) {
    const double z = f.z[layers](0, i);
    sum += softplus(z) - data.y(i) * z;
    delta(0, i) = (sigmoid(z) - data.y(i)) / static_cast<double>(n);
  }
  grad.resize(num_params_);
  for (int l = layers; l >= 1; --l) {
    const int out = sizes_[l], in = sizes_[l - 1];
    Eigen::Map<Mat> gw(grad.data() + offset(l), out, in);
    Eigen::Map<Vec> gb(grad.data() + offset(l) + Eigen::Index{out} * in, out);
    gw.noalias() = delta * f.a[l - 1].transpose();
    gb = delta.rowwise().sum();
    if (l > 1) {
      Mat back = weights(params, l).transpose() * delta;
      delta =
          back.cwiseProduct(derivative(activation_, f.z[l - 1], f.a[l - 1]));
    }
  }
  return sum / static_cast<double>(n);
}

void Mlp::hessian_vector_product(const Vec& params, const Dataset& data,
                                 const Vec& v, Vec& hv) const {
  const int layers = static_cast<int>(sizes_.size()) - 1;
  const Eigen::Index n = data.size();
  Forward f;
  forward(params, data.x, f);
  std::vector<Mat> dact(layers);  // sigma'(z[l]) for hidden l
  for (int l = 1; l < layers; ++l) {
    dact[l] = derivative(activation_, f.z[l], f.a[l]);
  }
  // Forward R-pass: R{z_l} = W_l R{a_{l-1}} + V_l a_{l-1} + v_b,
  // R{a_l} = sigma'(z_l) R{z_l}, with R{a_0} = 0.
  std::vector<Mat> rz(layers + 1), ra(layers + 1);
  ra[0] = Mat::Zero(2, n);
  for (int l = 1; l <= layers; ++l) {
    rz[l].noalias() = weights(v, l) * f.a[l - 1];
    if (l > 1) rz[l].noalias() += weights(params, l) * ra[l - 1];
    rz[l].colwise() += bias(v, l);
    if (l < layers) ra[l] = dact[l].cwiseProduct(rz[l]);
  }
  // Backward pass with its R-pass. At the output: delta = (s - y)/n and
  // R{delta} = s (1 - s) R{z_L} / n.
  Mat delta(1, n), rdelta(1, n);
  for (Eigen::Index i = 0; i < n; ++i) {
    const double s = sigmoid(f.z[layers](0, i));
    delta(0, i) = (s - data.y(i)) / static_cast<double>(n);
    rdelta(0, i) = s * (1.0 - s) * rz[layers](0, i) / static_cast<double>(n);
  }
  hv.resize(num_params_);
  for (int l = layers; l >= 1; --l) {
    const int out = sizes_[l], in = sizes_[l - 1];
    Eigen::Map<Mat> hw(hv.data() + offset(l), out, in);
    Eigen::Map<Vec> hb(hv.data() + offset(l) + Eigen::Index{out} * in, out);
    // R{dL/dW_l} = R{delta_l} a_{l-1}' + delta_l R{a_{l-1}}'.
    hw.noalias() = rdelta * f.a[l - 1].transpose();
    if (l > 1) hw.noalias() += delta * ra[l - 1].transpose();
    hb = rdelta.rowwise().sum();
    if (l > 1) {
      // delta_{l-1} = (W_l' delta_l) .* sigma'(z_{l-1}), so
      // R{delta_{l-1}} = (V_l' delta_l + W_l' R{delta_l}) .* sigma'(z_{l-1})
      //                + (W_l' delta_l) .* sigma''(z_{l-1}) .* R{z_{l-1}}.
      const Mat back = weights(params, l).transpose() * delta;
      Mat rback = weights(v, l).transpose() * delta;
      rback.noalias() += weights(params, l).transpose() * rdelta;
      rdelta = rback.cwiseProduct(dact[l - 1]) +
               back.cwiseProduct(second_derivative(activation_, f.a[l - 1]))
                   .cwiseProduct(rz[l - 1]);
      delta = back.cwiseProduct(dact[l - 1]);
    }
  }
}

double Mlp::accuracy(const Vec& params, const Dataset& data) const {
  if (data.size() == 0) return 0.0;
  const Vec z = logits(params, data.x);
  long correct = 0;
  for (Eigen::Index i = 0; i < z.size(); ++i) {
    correct += (z(i) > 0.0) == (data.y(i) > 0.5);
  }
  return static_cast<double>(correct) / static_cast<double>(z.size());
}

std::vector<float> Mlp::predict_grid(const Vec& params, const Box& box,
                                     int width, int height) const {
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
  for (int it = 0; it < iterations; ++it) {
    mlp.hessian_vector_product(params, data, v, hv);
    lambda = v.dot(hv);  // Rayleigh quotient, |v| = 1
    const double norm = hv.norm();
    if (!(norm > 0.0) || !std::isfinite(norm)) break;
    v = hv / norm;
  }
  return lambda;
}

}  // namespace optim
