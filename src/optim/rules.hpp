// SPDX-License-Identifier: MIT
// The update rule of every gradient transformation, stated once and templated
// on the vector type: Vec (Eigen::VectorXd) for the general Chain
// (transforms.cpp wraps each rule in a Transform), Eigen::Vector2d for the
// fixed-size 2-D chain of whole runs on the test functions (fixed2d.hpp).
// Both instantiate the same expressions, so their numbers agree bit for bit
// (tests/cpp/test_fastpath.cpp checks it). Private to src/optim and src/run;
// section numbers refer to shared/reference/optimizers.md.
//
// A rule has reset(dim), apply(u, params, info) and, where it has them,
// scale_effective(factor) (its per-coordinate step factor of the last
// update, for the chart's effective learning rate), shift_gradient_point()
// (NAG only), series(f) (its reported state: f(name, vector) or
// f(name, scalar), in report order) and prepare(steps) (fills the table of
// its per-update scalars for runs of up to `steps` updates).
#pragma once

#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <memory>
#include <utility>
#include <vector>

#include "optim/transform.hpp"
#include "optim/transforms.hpp"

namespace optim::rules {

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
  // The same from beta^t = pow(beta, t) computed by a caller that needs the
  // power too: one pow where there were two, the same value.
  double of_power(long t, double power) const {
    return t >= exact_from_ ? 1.0 : 1.0 - power;
  }
  bool operator==(const BiasCorrection& o) const { return beta_ == o.beta_; }

 private:
  double beta_;
  long exact_from_;  // first t with beta^t < 2^-54 (with a margin of 2)
};

// The scalars of update t that depend on t alone (bias corrections, RAdam's
// rho_t, NAdam's mu_t), produced in order t = 1, 2, ... by a Clock (a
// callable of t that may keep state, as NAdam's product of mu does, and
// compares equal to a clock that produces the same values).
// prepare(n) runs the clock once for t = 1..n and keeps the values: runs of
// known length (run_path, ensembles of thousands of runs) look them up
// instead of calling pow per update. Past the table, or without one, the
// clock runs on; reset() rewinds it to where the table ends.
//
// The last few tables are shared between the runs that ask for the same one
// (an equal clock, the same n): the page runs every racer again, with the
// same settings, each time a start point is dragged, and a table of 100,000
// updates costs up to 100,000 calls to pow (a third of a RAdam run of that
// length natively). Sharing keeps at most kShared tables per kind of clock;
// the values are the same either way. The core runs on one thread per
// module instance (each page Worker has its own), so the shared tables
// take no lock.
template <class Clock>
class PerStep {
 public:
  using Values = decltype(std::declval<Clock&>()(1L));
  explicit PerStep(Clock clock)
      : initial_(clock), start_(clock), clock_(clock) {}
  void prepare(long n) {
    prepared_ = shared(initial_, n);
    table_ = prepared_->values.data();
    size_ = n;
    start_ = prepared_->end;
    clock_ = start_;
  }
  void reset() { clock_ = start_; }
  Values operator()(long t) { return t <= size_ ? table_[t - 1] : clock_(t); }

 private:
  struct Prepared {
    Clock initial;
    std::vector<Values> values;  // t = 1..n
    Clock end;                   // the clock after update n
  };
  static constexpr std::size_t kShared = 4;

  // The table of `initial` for n updates: a recent one when one matches,
  // else a new one, kept in place of the least recently used.
  static std::shared_ptr<const Prepared> shared(const Clock& initial, long n) {
    static std::vector<std::shared_ptr<const Prepared>> recent;
    for (auto it = recent.begin(); it != recent.end(); ++it) {
      if ((*it)->values.size() == static_cast<std::size_t>(n) &&
          (*it)->initial == initial) {
        std::rotate(it, it + 1, recent.end());
        return recent.back();
      }
    }
    Clock c = initial;
    std::vector<Values> values(static_cast<std::size_t>(n));
    for (long t = 1; t <= n; ++t) values[t - 1] = c(t);
    auto made = std::make_shared<const Prepared>(
        Prepared{initial, std::move(values), c});
    if (recent.size() == kShared) recent.erase(recent.begin());
    recent.push_back(made);
    return made;
  }

  Clock initial_, start_, clock_;
  std::shared_ptr<const Prepared> prepared_;
  const Values* table_ = nullptr;  // prepared_'s values
  long size_ = 0;
};

// What a rule without the optional parts does: nothing.
template <class V>
struct RuleBase {
  void scale_effective(V&) const {}
  void shift_gradient_point(V&) const {}
  template <class F>
  void series(F&&) const {}
  void prepare(long) {}
};

// g <- g + lambda * theta (L2 weight decay, before anything else).
template <class V>
class AddL2 : public RuleBase<V> {
 public:
  explicit AddL2(const AddL2Spec& s) : weight_decay_(s.weight_decay) {}
  void reset(Eigen::Index) {}
  void apply(V& u, const V& params, const StepInfo&) {
    u += weight_decay_ * params;
  }

 private:
  double weight_decay_;
};

// Decoupled decay (Loshchilov & Hutter 2019): theta' = theta (1 - c_t), the
// gradient step being computed from the raw gradient at the old theta;
// c_t = gamma_t lambda (times_lr) or eta_t lambda.
template <class V>
class AddDecayedWeights : public RuleBase<V> {
 public:
  explicit AddDecayedWeights(const AddDecayedWeightsSpec& s)
      : weight_decay_(s.weight_decay), times_lr_(s.times_lr) {}
  void reset(Eigen::Index) {}
  void apply(V& u, const V& params, const StepInfo& info) {
    const double c =
        (times_lr_ ? info.learning_rate : info.multiplier) * weight_decay_;
    u -= c * params;
  }

 private:
  double weight_decay_;
  bool times_lr_;
};

// u <- -gamma_t * u.
template <class V>
class ScaleByLearningRate : public RuleBase<V> {
 public:
  explicit ScaleByLearningRate(const LearningRateSpec&) {}
  void reset(Eigen::Index) { gamma_ = 0.0; }
  void apply(V& u, const V&, const StepInfo& info) {
    gamma_ = info.learning_rate;
    u *= -gamma_;
  }
  void scale_effective(V& factor) const { factor *= gamma_; }

 private:
  double gamma_ = 0.0;
};

// PyTorch SGD momentum (§ 1.2): b_1 = g (no dampening on the first step),
// b_t = mu b_{t-1} + (1 - tau) g; d = g + mu b_t (nesterov) or b_t.
template <class V>
class Trace : public RuleBase<V> {
 public:
  explicit Trace(const TraceSpec& s)
      : momentum_(s.momentum), dampening_(s.dampening), nesterov_(s.nesterov) {}
  void reset(Eigen::Index dim) {
    buffer_ = V::Zero(dim);
    started_ = false;
  }
  void apply(V& u, const V&, const StepInfo&) {
    if (!started_) {
      buffer_ = u;
      started_ = true;
    } else {
      buffer_ = momentum_ * buffer_ + (1.0 - dampening_) * u;
    }
    if (nesterov_) {
      u += momentum_ * buffer_;
    } else {
      u = buffer_;
    }
  }
  template <class F>
  void series(F&& f) const {
    f("m", buffer_);
  }

 private:
  double momentum_, dampening_;
  bool nesterov_;
  V buffer_;
  bool started_ = false;
};

// Classic momentum (Sutskever et al. 2013, § 1.3) on the lr-scaled step
// -gamma g: v_t = mu v_{t-1} - gamma_t g_t, theta_t = theta_{t-1} + v_t. The
// learning rate stays inside the velocity. NAG (§ 1.4) evaluates g at
// theta + mu v.
template <class V>
class TraceClassic : public RuleBase<V> {
 public:
  explicit TraceClassic(const TraceClassicSpec& s)
      : momentum_(s.momentum), look_ahead_(s.look_ahead) {}
  void reset(Eigen::Index dim) {
    velocity_ = V::Zero(dim);
    point_ = V::Zero(dim);
  }
  void apply(V& u, const V& params, const StepInfo&) {
    if (look_ahead_) point_ = params + momentum_ * velocity_;
    velocity_ = momentum_ * velocity_ + u;
    u = velocity_;
  }
  bool shifts_gradient() const { return look_ahead_; }
  void shift_gradient_point(V& point) const {
    if (look_ahead_) point += momentum_ * velocity_;
  }
  template <class F>
  void series(F&& f) const {
    f("velocity", velocity_);
    if (look_ahead_) f("lookahead_point", point_);
  }

 private:
  double momentum_;
  bool look_ahead_;
  V velocity_, point_;
};

// Adagrad (Duchi et al. 2011, PyTorch form, § 2.1): s_t = s_{t-1} + g^2,
// step gamma / (1 + (t-1) lr_decay) * g / (sqrt(s_t) + eps); eps outside the
// root, s_0 = initial_accumulator_value.
template <class V>
class ScaleByAdagrad : public RuleBase<V> {
 public:
  explicit ScaleByAdagrad(const AdagradSpec& s)
      : lr_decay_(s.lr_decay), initial_(s.initial_accumulator), eps_(s.eps) {}
  void reset(Eigen::Index dim) {
    sum_ = V::Constant(dim, initial_);
    factor_ = V::Zero(dim);
  }
  void apply(V& u, const V&, const StepInfo& info) {
    sum_.array() += u.array().square();
    const double decay = 1.0 + static_cast<double>(info.step - 1) * lr_decay_;
    factor_ = 1.0 / ((sum_.array().sqrt() + eps_) * decay);
    u.array() *= factor_.array();
  }
  void scale_effective(V& f) const { f.array() *= factor_.array(); }
  template <class F>
  void series(F&& f) const {
    f("v", sum_);
  }

 private:
  double lr_decay_, initial_, eps_;
  V sum_, factor_;
};

// RMSProp (Hinton's lecture, PyTorch form, § 2.2): v = alpha v + (1 - alpha)
// g^2; centered subtracts the square of the gradient average; eps after the
// root.
template <class V>
class ScaleByRms : public RuleBase<V> {
 public:
  explicit ScaleByRms(const RmsSpec& s)
      : alpha_(s.alpha), eps_(s.eps), centered_(s.centered) {}
  void reset(Eigen::Index dim) {
    v_ = V::Zero(dim);
    g_avg_ = V::Zero(dim);
    factor_ = V::Zero(dim);
  }
  void apply(V& u, const V&, const StepInfo&) {
    v_ = alpha_ * v_ + (1.0 - alpha_) * u.cwiseAbs2();
    if (centered_) {
      g_avg_ = alpha_ * g_avg_ + (1.0 - alpha_) * u;
      // v - g_avg^2 >= 0 in exact arithmetic (the EMA weights sum to
      // 1 - alpha^t <= 1); clamp the rounding residue.
      factor_ =
          1.0 / ((v_ - g_avg_.cwiseAbs2()).cwiseMax(0.0).array().sqrt() + eps_);
    } else {
      factor_ = 1.0 / (v_.array().sqrt() + eps_);
    }
    u.array() *= factor_.array();
  }
  void scale_effective(V& f) const { f.array() *= factor_.array(); }
  template <class F>
  void series(F&& f) const {
    f("v", v_);
    if (centered_) f("g_avg", g_avg_);
  }

 private:
  double alpha_, eps_;
  bool centered_;
  V v_, g_avg_, factor_;
};

// Adadelta (Zeiler 2012, § 2.3): v = rho v + (1 - rho) g^2;
// delta = sqrt(u + eps) / sqrt(v_t + eps) * g with the updated v_t;
// u = rho u + (1 - rho) delta^2. eps sits inside both roots.
template <class V>
class ScaleByAdadelta : public RuleBase<V> {
 public:
  explicit ScaleByAdadelta(const AdadeltaSpec& s) : rho_(s.rho), eps_(s.eps) {}
  void reset(Eigen::Index dim) {
    v_ = V::Zero(dim);
    u_ = V::Zero(dim);
    factor_ = V::Zero(dim);
  }
  void apply(V& u, const V&, const StepInfo&) {
    v_ = rho_ * v_ + (1.0 - rho_) * u.cwiseAbs2();
    factor_ = (u_.array() + eps_).sqrt() / (v_.array() + eps_).sqrt();
    u.array() *= factor_.array();
    u_ = rho_ * u_ + (1.0 - rho_) * u.cwiseAbs2();
  }
  void scale_effective(V& f) const { f.array() *= factor_.array(); }
  template <class F>
  void series(F&& f) const {
    f("v", v_);
    f("u", u_);
  }

 private:
  double rho_, eps_;
  V v_, u_, factor_;
};

// Adam (Kingma & Ba 2015, § 2.4) in PyTorch's form: m = b1 m + (1-b1) g;
// v = b2 v + (1-b2) g^2; u = m_hat / (sqrt(v)/sqrt(1-b2^t) + eps), i.e. eps
// after the bias correction. AMSGrad (PyTorch, § 2.6) takes the max of the
// raw v and bias-corrects it with the current t. Nesterov gives Dozat's NAdam
// with constant mu = b1 (§ 2.11): m_hat = b1 m/(1-b1^(t+1)) + (1-b1)
// g/(1-b1^t). Without bias correction every correction is 1: the generic
// Adam of Reddi et al. 2018 (§ 4.2), u = m / (sqrt(v) + eps), eps on the
// uncorrected root as in their AMSGrad (§ 2.6 "paper").
template <class V>
class ScaleByAdam : public RuleBase<V> {
 public:
  explicit ScaleByAdam(const AdamSpec& s)
      : beta1_(s.beta1),
        beta2_(s.beta2),
        eps_(s.eps),
        amsgrad_(s.amsgrad),
        nesterov_(s.nesterov),
        corrections_(Clock{BiasCorrection(s.beta1), BiasCorrection(s.beta2),
                           s.nesterov, s.bias_correction}) {}
  void reset(Eigen::Index dim) {
    m_ = V::Zero(dim);
    v_ = V::Zero(dim);
    v_max_ = V::Zero(dim);
    factor_ = V::Zero(dim);
    corrections_.reset();
  }
  void prepare(long steps) { corrections_.prepare(steps); }
  void apply(V& u, const V&, const StepInfo& info) {
    const Corrections c = corrections_(info.step);
    m_ = beta1_ * m_ + (1.0 - beta1_) * u;
    v_ = beta2_ * v_ + (1.0 - beta2_) * u.cwiseAbs2();
    if (amsgrad_) v_max_ = v_max_.cwiseMax(v_);
    const V& second = amsgrad_ ? v_max_ : v_;
    factor_ = 1.0 / (second.array().sqrt() / c.root_bc2 + eps_);
    if (nesterov_) {
      u = (beta1_ / c.bc1_next) * m_ + ((1.0 - beta1_) / c.bc1) * u;
    } else {
      u = m_ / c.bc1;
    }
    u.array() *= factor_.array();
  }
  void scale_effective(V& f) const { f.array() *= factor_.array(); }
  template <class F>
  void series(F&& f) const {
    f("m", m_);
    f("v", v_);
    if (amsgrad_) f("v_max", v_max_);
  }

 private:
  struct Corrections {
    double bc1, bc1_next, root_bc2;
  };
  struct Clock {
    BiasCorrection bc1, bc2;
    bool nesterov, bias_correction;
    Corrections operator()(long t) const {
      if (!bias_correction) return {1.0, 1.0, 1.0};
      return {bc1(t), nesterov ? bc1(t + 1) : 1.0, std::sqrt(bc2(t))};
    }
    bool operator==(const Clock& o) const {
      return bc1 == o.bc1 && bc2 == o.bc2 && nesterov == o.nesterov &&
             bias_correction == o.bias_correction;
    }
  };
  double beta1_, beta2_, eps_;
  bool amsgrad_, nesterov_;
  V m_, v_, v_max_, factor_;
  PerStep<Clock> corrections_;
};

// Adamax (Kingma & Ba 2015, section 7; PyTorch; § 2.5): u = max(b2 u, |g| +
// eps), eps inside the max; step gamma / (1 - b1^t) * m / u.
template <class V>
class ScaleByAdamax : public RuleBase<V> {
 public:
  explicit ScaleByAdamax(const AdamaxSpec& s)
      : beta1_(s.beta1),
        beta2_(s.beta2),
        eps_(s.eps),
        bc1_(Clock{BiasCorrection(s.beta1)}) {}
  void reset(Eigen::Index dim) {
    m_ = V::Zero(dim);
    norm_ = V::Zero(dim);
    bc1_.reset();
  }
  void prepare(long steps) { bc1_.prepare(steps); }
  void apply(V& u, const V&, const StepInfo& info) {
    m_ = beta1_ * m_ + (1.0 - beta1_) * u;
    norm_ = (beta2_ * norm_).cwiseMax((u.array().abs() + eps_).matrix());
    u = (m_ / bc1_(info.step)).cwiseQuotient(norm_);
  }
  void scale_effective(V& f) const { f.array() /= norm_.array(); }
  template <class F>
  void series(F&& f) const {
    f("m", m_);
    f("u", norm_);
  }

 private:
  struct Clock {
    BiasCorrection bc1;
    double operator()(long t) const { return bc1(t); }
    bool operator==(const Clock& o) const { return bc1 == o.bc1; }
  };
  double beta1_, beta2_, eps_;
  V m_, norm_;
  PerStep<Clock> bc1_;
};

// AMSGrad, Reddi, Kale & Kumar 2018, Algorithm 2 (§ 2.6 "paper"): no bias
// correction; v_hat = max(v_hat, v); u = m / (sqrt(v_hat) + eps). The paper
// has no eps; it is kept (default 1e-8) only to avoid 0/0.
template <class V>
class ScaleByAmsgradPaper : public RuleBase<V> {
 public:
  explicit ScaleByAmsgradPaper(const AmsgradPaperSpec& s)
      : beta1_(s.beta1), beta2_(s.beta2), eps_(s.eps) {}
  void reset(Eigen::Index dim) {
    m_ = V::Zero(dim);
    v_ = V::Zero(dim);
    v_max_ = V::Zero(dim);
    factor_ = V::Zero(dim);
  }
  void apply(V& u, const V&, const StepInfo&) {
    m_ = beta1_ * m_ + (1.0 - beta1_) * u;
    v_ = beta2_ * v_ + (1.0 - beta2_) * u.cwiseAbs2();
    v_max_ = v_max_.cwiseMax(v_);
    factor_ = 1.0 / (v_max_.array().sqrt() + eps_);
    u = m_.cwiseProduct(factor_);
  }
  void scale_effective(V& f) const { f.array() *= factor_.array(); }
  template <class F>
  void series(F&& f) const {
    f("m", m_);
    f("v", v_);
    f("v_max", v_max_);
  }

 private:
  double beta1_, beta2_, eps_;
  V m_, v_, v_max_, factor_;
};

// The bias corrections 1 - b1^t and sqrt(1 - b2^t) of AdaBound and SWATS,
// which put eps on the uncorrected root.
struct RootCorrections {
  double bc1, bc2, root_bc2;
};
struct RootCorrectionClock {
  BiasCorrection bc1, bc2;
  RootCorrections operator()(long t) const {
    const double c2 = bc2(t);
    return {bc1(t), c2, std::sqrt(c2)};
  }
  bool operator==(const RootCorrectionClock& o) const {
    return bc1 == o.bc1 && bc2 == o.bc2;
  }
};

// AdaBound / AMSBound (§ 2.7) as in Luolc/AdaBound's AdaBound.step: eps on
// the uncorrected root; eta = clip(gamma sqrt(bc2)/bc1 / (sqrt(v) + eps),
// lower_t, upper_t) with final_lr scaled by gamma_t / lr (the only way a
// schedule reaches the bounds); theta -= eta * m.
template <class V>
class ScaleByAdaBound : public RuleBase<V> {
 public:
  explicit ScaleByAdaBound(const AdaBoundSpec& s)
      : beta1_(s.beta1),
        beta2_(s.beta2),
        final_lr_(s.final_lr),
        gamma_(s.gamma),
        eps_(s.eps),
        amsbound_(s.amsbound),
        corrections_(RootCorrectionClock{BiasCorrection(s.beta1),
                                         BiasCorrection(s.beta2)}) {}
  void reset(Eigen::Index dim) {
    m_ = V::Zero(dim);
    v_ = V::Zero(dim);
    v_max_ = V::Zero(dim);
    eta_ = V::Zero(dim);
    lower_ = upper_ = 0.0;
    corrections_.reset();
  }
  void prepare(long steps) { corrections_.prepare(steps); }
  void apply(V& u, const V&, const StepInfo& info) {
    const long t = info.step;
    const double td = static_cast<double>(t);
    const RootCorrections c = corrections_(t);
    m_ = beta1_ * m_ + (1.0 - beta1_) * u;
    v_ = beta2_ * v_ + (1.0 - beta2_) * u.cwiseAbs2();
    if (amsbound_) v_max_ = v_max_.cwiseMax(v_);
    const V& second = amsbound_ ? v_max_ : v_;
    const double step_size = info.learning_rate * c.root_bc2 / c.bc1;
    const double final_lr = final_lr_ * info.multiplier;
    lower_ = final_lr * (1.0 - 1.0 / (gamma_ * td + 1.0));
    upper_ = final_lr * (1.0 + 1.0 / (gamma_ * td));
    eta_ = (step_size / (second.array().sqrt() + eps_))
               .max(lower_)
               .min(upper_)
               .matrix();
    u = -eta_.cwiseProduct(m_);
  }
  void scale_effective(V& f) const { f.array() *= eta_.array(); }
  template <class F>
  void series(F&& f) const {
    f("m", m_);
    f("v", v_);
    if (amsbound_) f("v_max", v_max_);
    f("lower", lower_);
    f("upper", upper_);
  }

 private:
  double beta1_, beta2_, final_lr_, gamma_, eps_;
  bool amsbound_;
  V m_, v_, v_max_, eta_;
  PerStep<RootCorrectionClock> corrections_;
  double lower_ = 0.0, upper_ = 0.0;
};

// SWATS (Keskar & Socher 2017, § 2.8): Adam with eps on the uncorrected root
// until the projected SGD learning rate gamma_k = p.p / (-p.g) has settled
// (its bias-corrected EMA within switch_eps of gamma_k, k > 1); then SGD with
// momentum, w = b1 w + g, theta -= (1 - b1) Lambda eta_k w. The dot products
// run over the whole parameter vector.
template <class V>
class ScaleBySwats : public RuleBase<V> {
 public:
  explicit ScaleBySwats(const SwatsSpec& s)
      : beta1_(s.beta1),
        beta2_(s.beta2),
        eps_(s.eps),
        switch_eps_(s.switch_eps),
        corrections_(RootCorrectionClock{BiasCorrection(s.beta1),
                                         BiasCorrection(s.beta2)}) {}
  void reset(Eigen::Index dim) {
    m_ = V::Zero(dim);
    a_ = V::Zero(dim);
    w_ = V::Zero(dim);
    factor_ = V::Zero(dim);
    lambda_ = sgd_lr_ = projected_ = estimate_ = phase_ = 0.0;
    sgd_ = false;
    corrections_.reset();
  }
  void prepare(long steps) { corrections_.prepare(steps); }
  void apply(V& u, const V&, const StepInfo& info) {
    const long k = info.step;
    if (sgd_) {
      w_ = beta1_ * w_ + u;
      const double rate = (1.0 - beta1_) * sgd_lr_ * info.multiplier;
      factor_.setConstant(rate);
      u = -rate * w_;
      return;
    }
    const RootCorrections c = corrections_(k);
    m_ = beta1_ * m_ + (1.0 - beta1_) * u;
    a_ = beta2_ * a_ + (1.0 - beta2_) * u.cwiseAbs2();
    const double scale = info.learning_rate * c.root_bc2 / c.bc1;
    factor_ = scale / (a_.array().sqrt() + eps_);
    const V p = -m_.cwiseProduct(factor_);
    const double pg = p.dot(u);
    u = p;
    if (pg != 0.0) {
      projected_ = p.squaredNorm() / -pg;
      lambda_ = beta2_ * lambda_ + (1.0 - beta2_) * projected_;
      estimate_ = lambda_ / c.bc2;
      if (k > 1 && std::fabs(estimate_ - projected_) < switch_eps_) {
        sgd_ = true;  // takes effect from the next update
        phase_ = 1.0;
        sgd_lr_ = estimate_;
        w_.setZero();
      }
    }
  }
  void scale_effective(V& f) const { f.array() *= factor_.array(); }
  template <class F>
  void series(F&& f) const {
    f("m", m_);
    f("v", a_);
    f("w", w_);
    f("phase", phase_);
    f("projected_lr", projected_);
    f("sgd_lr_estimate", estimate_);
    f("sgd_lr", sgd_lr_);
  }

 private:
  double beta1_, beta2_, eps_, switch_eps_;
  V m_, a_, w_, factor_;
  PerStep<RootCorrectionClock> corrections_;
  double lambda_ = 0.0, sgd_lr_ = 0.0, projected_ = 0.0, estimate_ = 0.0;
  double phase_ = 0.0;  // 1 once switched: the reported series
  bool sgd_ = false;
};

// RAdam (Liu et al. 2020; PyTorch form; § 2.9): rho_t = rho_inf - 2 t b2^t /
// bc2; above the threshold the adaptive step m_hat * sqrt(bc2)/(sqrt(v) +
// eps) is rectified by r_t (eps on the uncorrected root), below it the step
// is the un-adapted m_hat. The paper uses threshold 4, PyTorch 5.
template <class V>
class ScaleByRAdam : public RuleBase<V> {
 public:
  explicit ScaleByRAdam(const RAdamSpec& s)
      : beta1_(s.beta1),
        beta2_(s.beta2),
        eps_(s.eps),
        threshold_(s.threshold),
        rectification_(Clock{BiasCorrection(s.beta1), BiasCorrection(s.beta2),
                             s.beta2, s.threshold}) {}
  void reset(Eigen::Index dim) {
    m_ = V::Zero(dim);
    v_ = V::Zero(dim);
    factor_ = V::Zero(dim);
    rho_ = rect_ = rectified_ = 0.0;
    rectification_.reset();
  }
  void prepare(long steps) { rectification_.prepare(steps); }
  void apply(V& u, const V&, const StepInfo& info) {
    const Rectification r = rectification_(info.step);
    m_ = beta1_ * m_ + (1.0 - beta1_) * u;
    v_ = beta2_ * v_ + (1.0 - beta2_) * u.cwiseAbs2();
    u = m_ / r.bc1;
    rho_ = r.rho;
    rect_ = r.rect;
    const bool rectify = rho_ > threshold_;
    rectified_ = rectify ? 1.0 : 0.0;
    if (rectify) {
      factor_ = r.root_bc2 / (v_.array().sqrt() + eps_) * rect_;
      u.array() *= factor_.array();
    } else {
      factor_.setOnes();
    }
  }
  void scale_effective(V& f) const { f.array() *= factor_.array(); }
  template <class F>
  void series(F&& f) const {
    f("m", m_);
    f("v", v_);
    f("rho", rho_);
    f("rectified", rectified_);
    f("rectification", rect_);
  }

 private:
  // rho_t and r_t (0 where rho_t <= threshold) depend on t alone.
  struct Rectification {
    double bc1, root_bc2, rho, rect;
  };
  struct Clock {
    BiasCorrection bc1, bc2;
    double beta2, threshold;
    Rectification operator()(long t) const {
      const double power = std::pow(beta2, static_cast<double>(t));
      const double c2 = bc2.of_power(t, power);
      const double rho_inf = 2.0 / (1.0 - beta2) - 1.0;
      const double rho = rho_inf - 2.0 * static_cast<double>(t) * power / c2;
      const double rect =
          rho > threshold ? std::sqrt((rho - 4.0) * (rho - 2.0) * rho_inf /
                                      ((rho_inf - 4.0) * (rho_inf - 2.0) * rho))
                          : 0.0;
      return {bc1(t), std::sqrt(c2), rho, rect};
    }
    bool operator==(const Clock& o) const {
      return bc1 == o.bc1 && bc2 == o.bc2 && beta2 == o.beta2 &&
             threshold == o.threshold;
    }
  };
  double beta1_, beta2_, eps_, threshold_;
  V m_, v_, factor_;
  PerStep<Clock> rectification_;
  double rho_ = 0.0, rect_ = 0.0, rectified_ = 0.0;
};

// NAdam in PyTorch's form (>= 2.0, § 2.10): mu_t = b1 (1 - 0.5 *
// 0.96^(t psi)), Pi_t = prod mu; step (1 - mu_t)/(1 - Pi_t) g/den +
// mu_{t+1}/(1 - Pi_t mu_{t+1}) m/den with den = sqrt(v/bc2) + eps.
template <class V>
class ScaleByNAdam : public RuleBase<V> {
 public:
  explicit ScaleByNAdam(const NAdamSpec& s)
      : beta1_(s.beta1),
        beta2_(s.beta2),
        eps_(s.eps),
        momentum_(Clock{BiasCorrection(s.beta2), s.beta1, s.momentum_decay}) {}
  void reset(Eigen::Index dim) {
    m_ = V::Zero(dim);
    v_ = V::Zero(dim);
    factor_ = V::Zero(dim);
    mu_ = 0.0;
    momentum_.reset();
  }
  void prepare(long steps) { momentum_.prepare(steps); }
  void apply(V& u, const V&, const StepInfo& info) {
    const Momentum c = momentum_(info.step);
    mu_ = c.mu;
    m_ = beta1_ * m_ + (1.0 - beta1_) * u;
    v_ = beta2_ * v_ + (1.0 - beta2_) * u.cwiseAbs2();
    factor_ = 1.0 / ((v_ / c.bc2).array().sqrt() + eps_);
    u = c.g_coefficient * u + c.m_coefficient * m_;
    u.array() *= factor_.array();
  }
  void scale_effective(V& f) const { f.array() *= factor_.array(); }
  template <class F>
  void series(F&& f) const {
    f("m", m_);
    f("v", v_);
    f("mu", mu_);
  }

 private:
  // mu_t, (1 - mu_t)/(1 - Pi_t), mu_{t+1}/(1 - Pi_t mu_{t+1}) and 1 - b2^t.
  struct Momentum {
    double mu, g_coefficient, m_coefficient, bc2;
  };
  // Keeps the running product Pi_t, multiplied in the order of t, and
  // mu_{t+1}, which is the next update's mu_t: one pow per update.
  struct Clock {
    BiasCorrection bc2;
    double beta1, psi;
    double product = 1.0;
    long next_step = 0;
    double next_mu = 0.0;
    double mu_at(double t) const {
      return beta1 * (1.0 - 0.5 * std::pow(0.96, t * psi));
    }
    Momentum operator()(long step) {
      const double t = static_cast<double>(step);
      const double mu = step == next_step ? next_mu : mu_at(t);
      const double mu_next = mu_at(t + 1);
      next_step = step + 1;
      next_mu = mu_next;
      product *= mu;
      return {mu, (1.0 - mu) / (1.0 - product),
              mu_next / (1.0 - product * mu_next), bc2(step)};
    }
    bool operator==(const Clock& o) const {
      return bc2 == o.bc2 && beta1 == o.beta1 && psi == o.psi &&
             product == o.product && next_step == o.next_step &&
             next_mu == o.next_mu;
    }
  };
  double beta1_, beta2_, eps_;
  V m_, v_, factor_;
  PerStep<Clock> momentum_;
  double mu_ = 0.0;
};

// The rule of each spec, on vectors of type V.
template <class V>
struct RuleOf {
  static AddL2<V> make(const AddL2Spec& s) { return AddL2<V>(s); }
  static AddDecayedWeights<V> make(const AddDecayedWeightsSpec& s) {
    return AddDecayedWeights<V>(s);
  }
  static ScaleByLearningRate<V> make(const LearningRateSpec& s) {
    return ScaleByLearningRate<V>(s);
  }
  static Trace<V> make(const TraceSpec& s) { return Trace<V>(s); }
  static TraceClassic<V> make(const TraceClassicSpec& s) {
    return TraceClassic<V>(s);
  }
  static ScaleByAdagrad<V> make(const AdagradSpec& s) {
    return ScaleByAdagrad<V>(s);
  }
  static ScaleByRms<V> make(const RmsSpec& s) { return ScaleByRms<V>(s); }
  static ScaleByAdadelta<V> make(const AdadeltaSpec& s) {
    return ScaleByAdadelta<V>(s);
  }
  static ScaleByAdam<V> make(const AdamSpec& s) { return ScaleByAdam<V>(s); }
  static ScaleByAdamax<V> make(const AdamaxSpec& s) {
    return ScaleByAdamax<V>(s);
  }
  static ScaleByAmsgradPaper<V> make(const AmsgradPaperSpec& s) {
    return ScaleByAmsgradPaper<V>(s);
  }
  static ScaleByAdaBound<V> make(const AdaBoundSpec& s) {
    return ScaleByAdaBound<V>(s);
  }
  static ScaleBySwats<V> make(const SwatsSpec& s) { return ScaleBySwats<V>(s); }
  static ScaleByRAdam<V> make(const RAdamSpec& s) { return ScaleByRAdam<V>(s); }
  static ScaleByNAdam<V> make(const NAdamSpec& s) { return ScaleByNAdam<V>(s); }
};

}  // namespace optim::rules
