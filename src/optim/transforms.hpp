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
// series in the Chain's order (names from names()), effective_lr last, and
// widths() their widths: 2 for a per-coordinate series, 1 for a scalar
// (RAdam's rho_t, NAdam's mu_t).
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
  std::vector<int> widths() const {
    return std::vector<int>(names().size(), 2);
  }
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
  std::vector<int> widths() const {
    return std::vector<int>(names().size(), 2);
  }
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
  std::vector<int> widths() const {
    return std::vector<int>(names().size(), 2);
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
  std::vector<int> widths() const {
    return std::vector<int>(names().size(), 2);
  }
};

// momentum_classic (§ 1.3), nag (§ 1.4) and sgdw (§ 2.13):
// scale_by_learning_rate, trace_classic, [add_decayed_weights (sgdw)]. NAG
// takes its gradient at the look-ahead point theta + mu v.
struct Classic {
  double momentum = 0.9;
  bool look_ahead = false;
  // sgdw (§ 2.13) adds add_decayed_weights: c_t = gamma_t lambda
  // (decay_times_lr) or eta_t lambda with eta_t = gamma_t / lr.
  double decay = 0.0, lr = 1.0;
  bool decay_times_lr = false;
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
    const double c =
        decay == 0.0 ? 0.0 : (decay_times_lr ? gamma : gamma / lr) * decay;
    for (int i = 0; i < 2; ++i) {
      const double u = g[i] * -gamma;
      if (look_ahead) point[i] = theta[i] + momentum * velocity[i];
      velocity[i] = momentum * velocity[i] + u;
      double update = velocity[i];
      if (decay != 0.0) update -= c * theta[i];
      theta[i] += update;
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
  std::vector<int> widths() const {
    return std::vector<int>(names().size(), 2);
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
  std::vector<int> widths() const {
    return std::vector<int>(names().size(), 2);
  }
};

// radam (§ 2.9): [add_l2], scale_by_radam, scale_by_learning_rate,
// [add_decayed_weights (times lr)]. rho_t and r_t depend on t alone, so they
// come from tables filled once per run with the chain's expressions.
struct RAdam {
  bool shifts_gradient() const { return false; }
  void gradient_point(const double*, double*) const {}
  double weight_decay = 0.0;  // L2, before RAdam
  double beta1 = 0.9, beta2 = 0.999, eps = 1e-8, threshold = 5.0;
  double decay = 0.0;  // decoupled decay lambda: c_t = gamma_t lambda
  BiasTable bc1, bc2;
  // rho_t and r_t (0 where rho_t <= threshold) for t = 1..steps.
  std::vector<double> rho_table, rect_table;
  double m[2] = {0.0, 0.0}, v[2] = {0.0, 0.0}, factor[2] = {0.0, 0.0};
  double effective[2] = {0.0, 0.0};
  double rho = 0.0, rectified = 0.0, rect = 0.0;

  // Fills the tables for runs of up to `steps` updates.
  void prepare(long steps) {
    bc1 = BiasTable(beta1, steps);
    bc2 = BiasTable(beta2, steps);
    const BiasCorrection correction(beta2);
    const double rho_inf = 2.0 / (1.0 - beta2) - 1.0;
    rho_table.resize(static_cast<std::size_t>(steps));
    rect_table.resize(static_cast<std::size_t>(steps));
    for (long t = 1; t <= steps; ++t) {
      const double r = rho_inf - 2.0 * static_cast<double>(t) *
                                     std::pow(beta2, double(t)) / correction(t);
      rho_table[t - 1] = r;
      rect_table[t - 1] =
          r > threshold ? std::sqrt((r - 4.0) * (r - 2.0) * rho_inf /
                                    ((rho_inf - 4.0) * (rho_inf - 2.0) * r))
                        : 0.0;
    }
  }
  void reset() {
    for (int i = 0; i < 2; ++i) m[i] = v[i] = factor[i] = 0.0;
    rho = rectified = rect = 0.0;
  }
  void step(double theta[2], const double g[2], long t, double gamma) {
    double u[2] = {g[0], g[1]};
    add_l2(u, theta, weight_decay);
    const double c1 = bc1(t);
    rho = rho_table[t - 1];
    const bool rectify = rho > threshold;
    rectified = rectify ? 1.0 : 0.0;
    rect = rect_table[t - 1];
    const double root_c2 = rectify ? std::sqrt(bc2(t)) : 0.0;
    const double c = gamma * decay;
    for (int i = 0; i < 2; ++i) {
      m[i] = beta1 * m[i] + (1.0 - beta1) * u[i];
      v[i] = beta2 * v[i] + (1.0 - beta2) * (u[i] * u[i]);
      u[i] = m[i] / c1;
      if (rectify) {
        factor[i] = root_c2 / (std::sqrt(v[i]) + eps) * rect;
        u[i] *= factor[i];
      } else {
        factor[i] = 1.0;
      }
      u[i] *= -gamma;
      if (decay != 0.0) u[i] -= c * theta[i];
      theta[i] += u[i];
      effective[i] = factor[i] * gamma;
    }
  }
  std::vector<const char*> names() const {
    return {"m", "v", "rho", "rectified", "rectification", "effective_lr"};
  }
  std::vector<const double*> state() const {
    return {m, v, &rho, &rectified, &rect, effective};
  }
  std::vector<int> widths() const { return {2, 2, 1, 1, 1, 2}; }
};

// nadam (§ 2.10): [add_l2], scale_by_nadam, scale_by_learning_rate,
// [add_decayed_weights (times lr)]. mu_t, the product Pi_t (multiplied in
// the same order as the chain does) and the two coefficients of the update
// depend on t alone: tables filled once per run.
struct NAdam {
  bool shifts_gradient() const { return false; }
  void gradient_point(const double*, double*) const {}
  double weight_decay = 0.0;  // L2, before NAdam
  double beta1 = 0.9, beta2 = 0.999, eps = 1e-8, psi = 4e-3;
  double decay = 0.0;  // decoupled decay lambda: c_t = gamma_t lambda
  BiasTable bc2;
  // For t = 1..steps: mu_t, (1 - mu_t)/(1 - Pi_t) and
  // mu_{t+1}/(1 - Pi_t mu_{t+1}).
  std::vector<double> mu_table, g_coefficient, m_coefficient;
  double m[2] = {0.0, 0.0}, v[2] = {0.0, 0.0}, factor[2] = {0.0, 0.0};
  double effective[2] = {0.0, 0.0};
  double mu = 0.0;

  // Fills the tables for runs of up to `steps` updates.
  void prepare(long steps) {
    bc2 = BiasTable(beta2, steps);
    const auto n = static_cast<std::size_t>(steps);
    mu_table.resize(n);
    g_coefficient.resize(n);
    m_coefficient.resize(n);
    double product = 1.0;
    for (long k = 1; k <= steps; ++k) {
      const double t = static_cast<double>(k);
      const double mu_t = beta1 * (1.0 - 0.5 * std::pow(0.96, t * psi));
      const double mu_next =
          beta1 * (1.0 - 0.5 * std::pow(0.96, (t + 1) * psi));
      product *= mu_t;
      mu_table[k - 1] = mu_t;
      g_coefficient[k - 1] = (1.0 - mu_t) / (1.0 - product);
      m_coefficient[k - 1] = mu_next / (1.0 - product * mu_next);
    }
  }
  void reset() {
    for (int i = 0; i < 2; ++i) m[i] = v[i] = factor[i] = 0.0;
    mu = 0.0;
  }
  void step(double theta[2], const double g[2], long t, double gamma) {
    double u[2] = {g[0], g[1]};
    add_l2(u, theta, weight_decay);
    mu = mu_table[t - 1];
    const double a = g_coefficient[t - 1], b = m_coefficient[t - 1];
    const double c2 = bc2(t);
    const double c = gamma * decay;
    for (int i = 0; i < 2; ++i) {
      m[i] = beta1 * m[i] + (1.0 - beta1) * u[i];
      v[i] = beta2 * v[i] + (1.0 - beta2) * (u[i] * u[i]);
      factor[i] = 1.0 / (std::sqrt(v[i] / c2) + eps);
      u[i] = a * u[i] + b * m[i];
      u[i] *= factor[i];
      u[i] *= -gamma;
      if (decay != 0.0) u[i] -= c * theta[i];
      theta[i] += u[i];
      effective[i] = factor[i] * gamma;
    }
  }
  std::vector<const char*> names() const {
    return {"m", "v", "mu", "effective_lr"};
  }
  std::vector<const double*> state() const { return {m, v, &mu, effective}; }
  std::vector<int> widths() const { return {2, 2, 1, 2}; }
};

// adamax (§ 2.5): [add_l2], scale_by_adamax, scale_by_learning_rate.
struct Adamax {
  bool shifts_gradient() const { return false; }
  void gradient_point(const double*, double*) const {}
  double weight_decay = 0.0, beta1 = 0.9, beta2 = 0.999, eps = 1e-8;
  BiasTable bc1;
  double m[2] = {0.0, 0.0}, norm[2] = {0.0, 0.0};
  double effective[2] = {0.0, 0.0};
  void reset() {
    for (int i = 0; i < 2; ++i) m[i] = norm[i] = 0.0;
  }
  void step(double theta[2], const double g[2], long t, double gamma) {
    double u[2] = {g[0], g[1]};
    add_l2(u, theta, weight_decay);
    const double c1 = bc1(t);
    for (int i = 0; i < 2; ++i) {
      m[i] = beta1 * m[i] + (1.0 - beta1) * u[i];
      norm[i] = std::max(beta2 * norm[i], std::abs(u[i]) + eps);
      u[i] = m[i] / c1 / norm[i];
      theta[i] += u[i] * -gamma;
      effective[i] = 1.0 / norm[i] * gamma;
    }
  }
  std::vector<const char*> names() const { return {"m", "u", "effective_lr"}; }
  std::vector<const double*> state() const { return {m, norm, effective}; }
  std::vector<int> widths() const { return {2, 2, 2}; }
};

}  // namespace fixed2d

using Fixed2dKernel =
    std::variant<fixed2d::Sgd, fixed2d::SgdMomentum, fixed2d::RmsProp,
                 fixed2d::Adam, fixed2d::Classic, fixed2d::Adagrad,
                 fixed2d::RAdam, fixed2d::NAdam, fixed2d::Adamax>;

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
