// SPDX-License-Identifier: MIT
// The gradient transformations that named optimizers are assembled from.
#pragma once

#include <memory>

#include "optim/transform.hpp"

namespace optim {

using TransformPtr = std::unique_ptr<Transform>;

// L2 weight decay: g <- g + lambda * theta (before anything else).
TransformPtr add_l2(double weight_decay);

// Decoupled weight decay, applied after the learning rate: the update gains
// -c_t * theta, i.e. theta' = theta (1 - c_t). c_t = gamma_t * lambda when
// `times_lr` (PyTorch AdamW, RAdam/NAdam decoupled, SGDW "lr"), otherwise
// eta_t * lambda (Loshchilov & Hutter's schedule multiplier, SGDW/AdamW
// "schedule").
TransformPtr add_decayed_weights(double weight_decay, bool times_lr);

// u <- -gamma_t * u.
TransformPtr scale_by_learning_rate();

// PyTorch momentum: b_1 = g, b_t = mu b + (1 - dampening) g;
// u = g + mu b (nesterov) or b.
TransformPtr trace(double momentum, double dampening, bool nesterov);

// Classic momentum on an lr-scaled update: v_t = mu v_{t-1} + u; u = v_t.
// With `look_ahead` (Sutskever NAG) the gradient is taken at theta + mu v.
TransformPtr trace_classic(double momentum, bool look_ahead);

TransformPtr scale_by_adagrad(double lr_decay, double initial_accumulator,
                              double eps);
TransformPtr scale_by_rms(double alpha, double eps, bool centered);
TransformPtr scale_by_adadelta(double rho, double eps);
// Adam with PyTorch's eps placement; `amsgrad` keeps the max of the raw v;
// `nesterov` gives Dozat's NAdam with constant mu = beta1.
TransformPtr scale_by_adam(double beta1, double beta2, double eps, bool amsgrad,
                           bool nesterov);
TransformPtr scale_by_adamax(double beta1, double beta2, double eps);
// AMSGrad as in Reddi et al. Algorithm 2: no bias correction.
TransformPtr scale_by_amsgrad_paper(double beta1, double beta2, double eps);
// AdaBound / AMSBound (Luo et al.); includes the learning rate.
TransformPtr scale_by_adabound(double beta1, double beta2, double final_lr,
                               double gamma, double eps, bool amsbound);
// SWATS (Keskar & Socher); includes the learning rate.
TransformPtr scale_by_swats(double beta1, double beta2, double eps,
                            double switch_eps);
TransformPtr scale_by_radam(double beta1, double beta2, double eps,
                            double threshold);
TransformPtr scale_by_nadam(double beta1, double beta2, double eps,
                            double momentum_decay);

}  // namespace optim
