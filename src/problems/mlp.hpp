// SPDX-License-Identifier: MIT
// A tiny multilayer perceptron for 2-D binary classification. Its parameters
// are one flat Vec; each layer's weights and biases are Eigen::Map views into
// it, so optimizers never know about layers.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/types.hpp"
#include "problems/datasets.hpp"
#include "problems/functions2d.hpp"

namespace optim {

enum class Activation { tanh, relu };

// "tanh" or "relu"; anything else: ConfigError("activation", ...).
Activation parse_activation(const std::string& name);

class Mlp {
 public:
  // sizes = {2, h1, ..., hk, 1}: input, hidden widths, one output logit.
  // Hidden layers apply `activation`; the output layer is linear.
  Mlp(std::vector<int> sizes, Activation activation);

  const std::vector<int>& sizes() const { return sizes_; }
  Activation activation() const { return activation_; }
  // Layer l (1-based) has W_l (sizes[l] x sizes[l-1], column-major) at
  // offset(l), followed by b_l (sizes[l]).
  Eigen::Index num_params() const { return num_params_; }
  Eigen::Index offset(int layer) const { return offsets_[layer - 1]; }

  // Glorot-normal weights (std sqrt(2 / (fan_in + fan_out))) for tanh,
  // He-normal (std sqrt(2 / fan_in)) for relu; zero biases. Seeded Rng.
  Vec init(std::uint64_t seed) const;

  // Logits for the rows of x (n x 2).
  Vec logits(const Vec& params, const Mat& x) const;
  // Mean binary cross-entropy with logits, softplus(z) - y z.
  double loss(const Vec& params, const Dataset& data) const;
  // The loss, and its gradient by backpropagation into `grad`.
  double loss_and_gradient(const Vec& params, const Dataset& data,
                           Vec& grad) const;
  // hv = H(params) v, exact, by Pearlmutter's R-operator (a forward R-pass
  // and a backward R-pass through backpropagation).
  void hessian_vector_product(const Vec& params, const Dataset& data,
                              const Vec& v, Vec& hv) const;
  // Fraction of points with (logit > 0) == (y == 1).
  double accuracy(const Vec& params, const Dataset& data) const;
  // sigmoid(logit) on a W x H grid over `box`, in the order of
  // evaluate_grid: values[j * W + i] at x_i = xmin + i dx, y_j = ymax - j dy.
  std::vector<float> predict_grid(const Vec& params, const Box& box, int width,
                                  int height) const;

 private:
  struct Forward;  // pre-activations and activations of every layer
  void forward(const Vec& params, const Mat& x, Forward& f) const;
  Eigen::Map<const Mat> weights(const Vec& p, int layer) const;
  Eigen::Map<const Vec> bias(const Vec& p, int layer) const;

  std::vector<int> sizes_;
  Activation activation_;
  std::vector<Eigen::Index> offsets_;
  Eigen::Index num_params_ = 0;
};

// Power iteration on exact Hessian-vector products over `data`: converges
// to the eigenvalue of largest magnitude (signed). Starts from a seeded
// normal vector; returns the Rayleigh quotient v' H v of the last iterate
// (`iterations` HVPs in all).
double top_hessian_eigenvalue(const Mlp& mlp, const Vec& params,
                              const Dataset& data, int iterations,
                              std::uint64_t seed);

}  // namespace optim
