// SPDX-License-Identifier: MIT
// A tiny multilayer perceptron for classification: 2-D points into two
// classes (one output logit), or the 8 x 8 digits into ten (a softmax over
// ten outputs). Its parameters are one flat Vec; each layer's weights and
// biases are Eigen::Map views into it, so optimizers never know about
// layers.
//
// Speed: activations are stored one column per point (layer width x n), so
// every layer is one matrix product W A (problems/gemm.hpp); tanh is SIMD
// (vector_tanh); and the per-layer buffers are kept in a workspace that only
// grows, so repeated calls allocate nothing. The workspace is mutable state
// behind const methods: one Mlp must not be used from two threads at once.
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

// The loss of the outputs z of one point with label y, averaged over the
// points. One output (labels 0/1), with s = sigmoid(z):
//   cross_entropy  softplus(z) - y z (= -log s or -log(1 - s))
//   mse            (s - y)^2
// K >= 2 outputs (labels 0..K-1), with p = softmax(z):
//   cross_entropy  log sum_k exp(z_k) - z_y (= -log p_y)
//   mse            sum_k (p_k - [k == y])^2, the squared error against the
//                  one-hot target; with it, outputs far from the target have
//                  small gradients (the lecture's "changing the loss changes
//                  the difficulty of optimization").
enum class Loss { cross_entropy, mse };

// "cross_entropy" or "mse"; anything else: ConfigError("loss", ...).
Loss parse_loss(const std::string& name);

class Mlp {
 public:
  // sizes = {d, h1, ..., hk, K}: d inputs, hidden widths, K outputs (K = 1:
  // one logit for two classes; K >= 2: one logit per class). Hidden layers
  // apply `activation`; the output layer is linear.
  Mlp(std::vector<int> sizes, Activation activation,
      Loss loss = Loss::cross_entropy);

  const std::vector<int>& sizes() const { return sizes_; }
  Activation activation() const { return activation_; }
  // Layer l (1-based) has W_l (sizes[l] x sizes[l-1], column-major) at
  // offset(l), followed by b_l (sizes[l]).
  Eigen::Index num_params() const { return num_params_; }
  Eigen::Index offset(int layer) const { return offsets_[layer - 1]; }

  // Glorot-normal weights (std sqrt(2 / (fan_in + fan_out))) for tanh,
  // He-normal (std sqrt(2 / fan_in)) for relu; zero biases. Seeded Rng.
  Vec init(std::uint64_t seed) const;

  // The first output (the logit of a one-output network) for the rows of x
  // (n x d).
  Vec logits(const Vec& params, const Mat& x) const;
  // The mean loss (see Loss) over `data`, whose labels must be classes of
  // the network (0/1 for one output, 0..K-1 for K).
  double loss(const Vec& params, const Dataset& data) const;
  // The loss, and its gradient by backpropagation into `grad`.
  double loss_and_gradient(const Vec& params, const Dataset& data,
                           Vec& grad) const;
  // hv = H(params) v, exact, by Pearlmutter's R-operator (a forward R-pass
  // and a backward R-pass through backpropagation).
  void hessian_vector_product(const Vec& params, const Dataset& data,
                              const Vec& v, Vec& hv) const;
  // Exact Hessian-vector products at fixed parameters and data: the forward
  // and backward passes, which do not depend on v, are computed once, and
  // each apply(v) only runs the R-passes. `mlp`, `params` and `data` must
  // outlive the object.
  class HessianAt {
   public:
    HessianAt(const Mlp& mlp, const Vec& params, const Dataset& data);
    void apply(const Vec& v, Vec& hv);

   private:
    const Mlp& mlp_;
    const Vec& params_;
    const Dataset& data_;
    // Per layer l: activations a[l] (a[0] unused: the input is data.x),
    // sigma'(z_l), delta_l = dL/dz_l, (W_{l+1}' delta_{l+1}) .* sigma''(z_l);
    // the R-pass buffers R{z_l}, R{a_l}, R{delta_l}; `back` is scratch.
    std::vector<Mat> a_, dact_, delta_, curv_, rz_, ra_, rdelta_;
    Mat back_;
    // W_l' per layer (fixed), and V_l' of the current apply.
    std::vector<Mat> wt_;
    Mat vt_;
    // Layer-2 shortcuts of 2-D inputs (see the constructor): T_k, and per
    // apply the (V_2' delta_2 .* sigma'(z_1)) X~' term of layer 1's gradient.
    bool shortcut_ = false;
    Mat t_[3], v2_delta2_;
    // K >= 2 outputs: softmax(z_L), and for mse softmax(z_L) - one-hot(y)
    // (the output Hessian of one output is curv_[L]).
    Mat probs_, resid_;
  };

  // The predicted class of every row of x: logit > 0 for one output, else
  // the first largest output.
  std::vector<int> predict(const Vec& params, const Mat& x) const;
  // Fraction of points whose predicted class is their label.
  double accuracy(const Vec& params, const Dataset& data) const;
  // loss() and accuracy() from one forward pass.
  struct Evaluation {
    double loss, accuracy;
  };
  Evaluation evaluate(const Vec& params, const Dataset& data) const;
  // sigmoid(logit) on a W x H grid over `box`, in the order of
  // evaluate_grid: values[j * W + i] at x_i = xmin + i dx, y_j = ymax - j dy.
  // Only for networks of 2 inputs and 1 output (else std::invalid_argument).
  std::vector<float> predict_grid(const Vec& params, const Box& box, int width,
                                  int height) const;

 private:
  // Layer l's outputs for the rows of x into a[l], l = 1..L, each
  // sizes[l] x n: sigma(z_l) for hidden layers, the logits z_L for the last.
  // With 2 inputs the first layer reads x directly and a[0] is not touched;
  // otherwise a[0] = x' (d x n).
  void forward(const Vec& params, const Mat& x, std::vector<Mat>& a) const;
  Eigen::Map<const Mat> weights(const Vec& p, int layer) const;
  Eigen::Map<const Vec> bias(const Vec& p, int layer) const;

  std::vector<int> sizes_;
  Activation activation_;
  Loss loss_;
  std::vector<Eigen::Index> offsets_;
  Eigen::Index num_params_ = 0;
  // Reused buffers of forward/loss_and_gradient (see the note at the top).
  mutable std::vector<Mat> a_;
  mutable Mat delta_, back_, wt_;
};

// tanh of every element of z, in place, as a loop the compiler vectorizes:
// -m / (2 + m) with m = expm1(-2|x|) from a polynomial (see mlp.cpp).
// Within a few ulps of std::tanh (tests/cpp/test_mlp.cpp).
void vector_tanh(Eigen::Ref<Mat> z);

// Power iteration on exact Hessian-vector products over `data`: converges
// to the eigenvalue of largest magnitude (signed). Starts from a seeded
// normal vector; returns the Rayleigh quotient v' H v of the last iterate
// (`iterations` HVPs in all).
double top_hessian_eigenvalue(const Mlp& mlp, const Vec& params,
                              const Dataset& data, int iterations,
                              std::uint64_t seed);

}  // namespace optim
