// SPDX-License-Identifier: MIT
// The gradient transformations that named optimizers are assembled from.
#pragma once

#include <memory>
#include <variant>

#include "optim/transform.hpp"

namespace optim {

using TransformPtr = std::unique_ptr<Transform>;

// The hyperparameters of each transform: what a recipe lists. The rules
// themselves are in rules.hpp, one template per transform, from which both
// the general Transform (make_transform) and the fixed-size 2-D chain
// (fixed2d.hpp) are built.
struct AddL2Spec {
  double weight_decay;
};
struct AddDecayedWeightsSpec {
  double weight_decay;
  bool times_lr;
};
struct LearningRateSpec {};
struct TraceSpec {
  double momentum, dampening;
  bool nesterov;
};
struct TraceClassicSpec {
  double momentum;
  bool look_ahead;
};
struct AdagradSpec {
  double lr_decay, initial_accumulator, eps;
};
struct RmsSpec {
  double alpha, eps;
  bool centered;
};
struct AdadeltaSpec {
  double rho, eps;
};
struct AdamSpec {
  double beta1, beta2, eps;
  bool amsgrad, nesterov;
  bool bias_correction = true;
};
struct AdamaxSpec {
  double beta1, beta2, eps;
};
struct AmsgradPaperSpec {
  double beta1, beta2, eps;
};
struct AdaBoundSpec {
  double beta1, beta2, final_lr, gamma, eps;
  bool amsbound;
};
struct SwatsSpec {
  double beta1, beta2, eps, switch_eps;
};
struct RAdamSpec {
  double beta1, beta2, eps, threshold;
};
struct NAdamSpec {
  double beta1, beta2, eps, momentum_decay;
};

using TransformSpec =
    std::variant<AddL2Spec, AddDecayedWeightsSpec, LearningRateSpec, TraceSpec,
                 TraceClassicSpec, AdagradSpec, RmsSpec, AdadeltaSpec, AdamSpec,
                 AdamaxSpec, AmsgradPaperSpec, AdaBoundSpec, SwatsSpec,
                 RAdamSpec, NAdamSpec>;

// The general (any dimension) transform of a spec.
TransformPtr make_transform(const TransformSpec& spec);

// L2 weight decay: g <- g + lambda * theta (before anything else).
TransformSpec add_l2(double weight_decay);

// Decoupled weight decay, applied after the learning rate: the update gains
// -c_t * theta, i.e. theta' = theta (1 - c_t). c_t = gamma_t * lambda when
// `times_lr` (PyTorch AdamW, RAdam/NAdam decoupled, SGDW "lr"), otherwise
// eta_t * lambda (Loshchilov & Hutter's schedule multiplier, SGDW/AdamW
// "schedule").
TransformSpec add_decayed_weights(double weight_decay, bool times_lr);

// u <- -gamma_t * u.
TransformSpec scale_by_learning_rate();

// PyTorch momentum: b_1 = g, b_t = mu b + (1 - dampening) g;
// u = g + mu b (nesterov) or b.
TransformSpec trace(double momentum, double dampening, bool nesterov);

// Classic momentum on an lr-scaled update: v_t = mu v_{t-1} + u; u = v_t.
// With `look_ahead` (Sutskever NAG) the gradient is taken at theta + mu v.
TransformSpec trace_classic(double momentum, bool look_ahead);

TransformSpec scale_by_adagrad(double lr_decay, double initial_accumulator,
                               double eps);
TransformSpec scale_by_rms(double alpha, double eps, bool centered);
TransformSpec scale_by_adadelta(double rho, double eps);
// Adam with PyTorch's eps placement; `amsgrad` keeps the max of the raw v;
// `nesterov` gives Dozat's NAdam with constant mu = beta1. Without
// `bias_correction`, m and v are used as they are (Reddi et al.'s generic
// Adam): u = m / (sqrt(v) + eps).
TransformSpec scale_by_adam(double beta1, double beta2, double eps,
                            bool amsgrad, bool nesterov,
                            bool bias_correction = true);
TransformSpec scale_by_adamax(double beta1, double beta2, double eps);
// AMSGrad as in Reddi et al. Algorithm 2: no bias correction.
TransformSpec scale_by_amsgrad_paper(double beta1, double beta2, double eps);
// AdaBound / AMSBound (Luo et al.); includes the learning rate.
TransformSpec scale_by_adabound(double beta1, double beta2, double final_lr,
                                double gamma, double eps, bool amsbound);
// SWATS (Keskar & Socher); includes the learning rate.
TransformSpec scale_by_swats(double beta1, double beta2, double eps,
                             double switch_eps);
TransformSpec scale_by_radam(double beta1, double beta2, double eps,
                             double threshold);
TransformSpec scale_by_nadam(double beta1, double beta2, double eps,
                             double momentum_decay);

}  // namespace optim
