// SPDX-License-Identifier: MIT
// The gradient transformations that named optimizers are assembled from.
#pragma once

#include <algorithm>
#include <cmath>
#include <memory>
#include <variant>
#include <vector>

#include "optim/transform.hpp"

namespace optim {

using TransformPtr = std::unique_ptr<Transform>;

// 1 - beta^t, the bias correction of an exponential moving average, with
// beta^t computed as a power. Once beta^t < 2^-54 the difference rounds to
// exactly 1, so pow is skipped from there on: glibc's pow takes a slow path
// for results that underflow, and beta1 = 0.9 underflows after ~7000 steps.
class BiasCorrection {
 public:
  explicit BiasCorrection(double beta)
      : beta_(beta),
        exact_from_(beta > 0.0 ? static_cast<long>(std::ceil(
                                     54.0 * std::log(2.0) / -std::log(beta))) +
                                     2
                               : 1) {}
  double operator()(long t) const {
    return t >= exact_from_ ? 1.0
                            : 1.0 - std::pow(beta_, static_cast<double>(t));
  }

 private:
  double beta_;
  long exact_from_;  // first t with beta^t < 2^-54 (with a margin of 2)
};

// 1 - beta^t for t = 1..n, computed once by BiasCorrection: the same numbers,
// looked up. Ensembles run thousands of runs with the same betas, so the
// powers are paid once per racer instead of once per update.
class BiasTable {
 public:
  BiasTable() = default;
  BiasTable(double beta, long n) {
    const BiasCorrection bc(beta);
    values_.resize(static_cast<std::size_t>(n));
    for (long t = 1; t <= n; ++t) values_[t - 1] = bc(t);
  }
  double operator()(long t) const { return values_[t - 1]; }

 private:
  std::vector<double> values_;
};

// Fixed-size 2-D forms of the most used chains, for whole runs on the 2-D
// test functions (run_path, ensembles). Each is its method's chain of
// transforms above written out for two coordinates: the same floating-point
// operations in the same order, so the iterates and the reported state are
// bit for bit those of the Chain (tests/cpp/test_fastpath.cpp checks it).
// What they save is the chain's per-update overhead (virtual calls, dynamic
// Eigen vectors, the recorder looking series up by name), not arithmetic.
// Section numbers refer to shared/reference/optimizers.md.
//
// step(theta, g, t, gamma) performs update t with gradient g and learning
// rate gamma_t (g taken at theta, or at gradient_point() for a kernel whose
// shifts_gradient() is true: NAG); afterwards state() lists the reported
// per-coordinate series in the Chain's order (names from names()), effective_lr
// last.
namespace fixed2d {

// add_l2: g <- g + lambda theta (the recipe leaves it out for lambda = 0).
inline void add_l2(double u[2], const double theta[2], double lambda) {
  if (lambda == 0.0) return;
  for (int i = 0; i < 2; ++i) u[i] += lambda * theta[i];
}

// trace: PyTorch momentum, b_1 = g, b_t = mu b + (1 - tau) g;
// u = g + mu b (nesterov) or b.
struct TraceState {
  double momentum = 0.0, dampening = 0.0;
  bool nesterov = false;
  double buffer[2] = {0.0, 0.0};
  bool started = false;
  void apply(double u[2]) {
    for (int i = 0; i < 2; ++i) {
      buffer[i] =
          started ? momentum * buffer[i] + (1.0 - dampening) * u[i] : u[i];
      u[i] = nesterov ? u[i] + momentum * buffer[i] : buffer[i];
    }
    started = true;
  }
};

// sgd (§ 1.1): [add_l2], scale_by_learning_rate.
struct Sgd {
  bool shifts_gradient() const { return false; }
  void gradient_point(const double*, double*) const {}
  double weight_decay = 0.0;
  double effective[2] = {0.0, 0.0};
  void reset() {}
  void step(double theta[2], const double g[2], long, double gamma) {
    double u[2] = {g[0], g[1]};
    add_l2(u, theta, weight_decay);
    for (int i = 0; i < 2; ++i) {
      theta[i] += u[i] * -gamma;
      effective[i] = gamma;
    }
  }
  std::vector<const char*> names() const { return {"effective_lr"}; }
  std::vector<const double*> state() const { return {effective}; }
};

// sgd_momentum (§ 1.2): [add_l2], trace, scale_by_learning_rate.
struct SgdMomentum {
  bool shifts_gradient() const { return false; }
  void gradient_point(const double*, double*) const {}
  double weight_decay = 0.0;
  TraceState trace;
  double effective[2] = {0.0, 0.0};
  void reset() {
    trace.buffer[0] = trace.buffer[1] = 0.0;
    trace.started = false;
  }
  void step(double theta[2], const double g[2], long, double gamma) {
    double u[2] = {g[0], g[1]};
    add_l2(u, theta, weight_decay);
    trace.apply(u);
    for (int i = 0; i < 2; ++i) {
      theta[i] += u[i] * -gamma;
      effective[i] = gamma;
    }
  }
  std::vector<const char*> names() const { return {"m", "effective_lr"}; }
  std::vector<const double*> state() const { return {trace.buffer, effective}; }
};

// rmsprop (§ 2.2): [add_l2], scale_by_rms, [trace (momentum > 0, no
// dampening)], scale_by_learning_rate.
struct RmsProp {
  bool shifts_gradient() const { return false; }
  void gradient_point(const double*, double*) const {}
  double weight_decay = 0.0, alpha = 0.99, eps = 1e-8;
  bool centered = false;
  bool momentum = false;  // whether the recipe has the trace
  TraceState trace;
  double v[2] = {0.0, 0.0}, g_avg[2] = {0.0, 0.0}, factor[2] = {0.0, 0.0};
  double effective[2] = {0.0, 0.0};
  void reset() {
    v[0] = v[1] = g_avg[0] = g_avg[1] = factor[0] = factor[1] = 0.0;
    trace.buffer[0] = trace.buffer[1] = 0.0;
    trace.started = false;
  }
  void step(double theta[2], const double g[2], long, double gamma) {
    double u[2] = {g[0], g[1]};
    add_l2(u, theta, weight_decay);
    for (int i = 0; i < 2; ++i) {
      v[i] = alpha * v[i] + (1.0 - alpha) * (u[i] * u[i]);
      if (centered) {
        g_avg[i] = alpha * g_avg[i] + (1.0 - alpha) * u[i];
        // The clamp of ScaleByRms: max(v - g_avg^2, 0).
        factor[i] =
            1.0 / (std::sqrt(std::max(v[i] - g_avg[i] * g_avg[i], 0.0)) + eps);
      } else {
        factor[i] = 1.0 / (std::sqrt(v[i]) + eps);
      }
      u[i] *= factor[i];
    }
    if (momentum) trace.apply(u);
    for (int i = 0; i < 2; ++i) {
      theta[i] += u[i] * -gamma;
      effective[i] = factor[i] * gamma;
    }
  }
  std::vector<const char*> names() const {
    std::vector<const char*> n = {"v"};
    if (centered) n.push_back("g_avg");
    if (momentum) n.push_back("m");
    n.push_back("effective_lr");
    return n;
  }
  std::vector<const double*> state() const {
    std::vector<const double*> s = {v};
    if (centered) s.push_back(g_avg);
    if (momentum) s.push_back(trace.buffer);
    s.push_back(effective);
    return s;
  }
};

// adam (§ 2.4), amsgrad in the torch variant (§ 2.6), nadam_dozat (§ 2.11),
// adamw (§ 2.12): [add_l2], scale_by_adam, scale_by_learning_rate,
// [add_decayed_weights]. The bias corrections come from tables for
// t = 1..steps + 1 (NAdam-Dozat's m_hat looks one update ahead).
struct Adam {
  bool shifts_gradient() const { return false; }
  void gradient_point(const double*, double*) const {}
  double weight_decay = 0.0;  // L2, before Adam
  double beta1 = 0.9, beta2 = 0.999, eps = 1e-8;
  bool amsgrad = false, nesterov = false;
  // Decoupled decay after the learning rate: c_t = gamma_t lambda
  // (decay_times_lr) or eta_t lambda with eta_t = gamma_t / lr.
  double decay = 0.0, lr = 1.0;
  bool decay_times_lr = true;
  BiasTable bc1, bc2;
  double m[2] = {0.0, 0.0}, v[2] = {0.0, 0.0}, v_max[2] = {0.0, 0.0};
  double factor[2] = {0.0, 0.0}, effective[2] = {0.0, 0.0};
  void reset() {
    for (int i = 0; i < 2; ++i) m[i] = v[i] = v_max[i] = factor[i] = 0.0;
  }
  void step(double theta[2], const double g[2], long t, double gamma) {
    double u[2] = {g[0], g[1]};
    add_l2(u, theta, weight_decay);
    // pow once per update (through the tables), not per coordinate.
    const double c1 = bc1(t);
    const double root_c2 = std::sqrt(bc2(t));
    const double c1_next = nesterov ? bc1(t + 1) : 1.0;
    const double c =
        decay == 0.0 ? 0.0 : (decay_times_lr ? gamma : gamma / lr) * decay;
    for (int i = 0; i < 2; ++i) {
      m[i] = beta1 * m[i] + (1.0 - beta1) * u[i];
      v[i] = beta2 * v[i] + (1.0 - beta2) * (u[i] * u[i]);
      if (amsgrad) v_max[i] = std::max(v_max[i], v[i]);
      const double second = amsgrad ? v_max[i] : v[i];
      factor[i] = 1.0 / (std::sqrt(second) / root_c2 + eps);
      u[i] = nesterov ? (beta1 / c1_next) * m[i] + ((1.0 - beta1) / c1) * u[i]
                      : m[i] / c1;
      u[i] *= factor[i];
      u[i] *= -gamma;
      if (decay != 0.0) u[i] -= c * theta[i];
      theta[i] += u[i];
      effective[i] = factor[i] * gamma;
    }
  }
  std::vector<const char*> names() const {
    std::vector<const char*> n = {"m", "v"};
    if (amsgrad) n.push_back("v_max");
    n.push_back("effective_lr");
    return n;
  }
  std::vector<const double*> state() const {
    std::vector<const double*> s = {m, v};
    if (amsgrad) s.push_back(v_max);
    s.push_back(effective);
    return s;
  }
};

// momentum_classic (§ 1.3) and nag (§ 1.4): scale_by_learning_rate,
// trace_classic. NAG takes its gradient at the look-ahead point theta + mu v.
struct Classic {
  double momentum = 0.9;
  bool look_ahead = false;
  double velocity[2] = {0.0, 0.0}, point[2] = {0.0, 0.0};
  double effective[2] = {0.0, 0.0};
  bool shifts_gradient() const { return look_ahead; }
  void gradient_point(const double theta[2], double at[2]) const {
    for (int i = 0; i < 2; ++i) at[i] = theta[i] + momentum * velocity[i];
  }
  void reset() {
    for (int i = 0; i < 2; ++i) velocity[i] = point[i] = 0.0;
  }
  void step(double theta[2], const double g[2], long, double gamma) {
    for (int i = 0; i < 2; ++i) {
      const double u = g[i] * -gamma;
      if (look_ahead) point[i] = theta[i] + momentum * velocity[i];
      velocity[i] = momentum * velocity[i] + u;
      theta[i] += velocity[i];
      effective[i] = gamma;
    }
  }
  std::vector<const char*> names() const {
    if (look_ahead) return {"velocity", "lookahead_point", "effective_lr"};
    return {"velocity", "effective_lr"};
  }
  std::vector<const double*> state() const {
    if (look_ahead) return {velocity, point, effective};
    return {velocity, effective};
  }
};

// adagrad (§ 2.1): [add_l2], scale_by_adagrad, scale_by_learning_rate.
struct Adagrad {
  double weight_decay = 0.0, lr_decay = 0.0, initial = 0.0, eps = 1e-10;
  double sum[2] = {0.0, 0.0}, factor[2] = {0.0, 0.0};
  double effective[2] = {0.0, 0.0};
  bool shifts_gradient() const { return false; }
  void gradient_point(const double*, double*) const {}
  void reset() {
    for (int i = 0; i < 2; ++i) {
      sum[i] = initial;
      factor[i] = 0.0;
    }
  }
  void step(double theta[2], const double g[2], long t, double gamma) {
    double u[2] = {g[0], g[1]};
    add_l2(u, theta, weight_decay);
    const double decay = 1.0 + static_cast<double>(t - 1) * lr_decay;
    for (int i = 0; i < 2; ++i) {
      sum[i] += u[i] * u[i];
      factor[i] = 1.0 / ((std::sqrt(sum[i]) + eps) * decay);
      u[i] *= factor[i];
      theta[i] += u[i] * -gamma;
      effective[i] = factor[i] * gamma;
    }
  }
  std::vector<const char*> names() const { return {"v", "effective_lr"}; }
  std::vector<const double*> state() const { return {sum, effective}; }
};

}  // namespace fixed2d

using Fixed2dKernel =
    std::variant<fixed2d::Sgd, fixed2d::SgdMomentum, fixed2d::RmsProp,
                 fixed2d::Adam, fixed2d::Classic, fixed2d::Adagrad>;

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
