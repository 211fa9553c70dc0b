// SPDX-License-Identifier: MIT
// Gradient transformations, each following its paper's (or PyTorch's)
// equations line by line; optimizers.md gives the normative form of each.
#include "optim/transforms.hpp"

#include <cmath>

namespace optim {
namespace {

// g <- g + lambda * theta.
class AddL2 : public Transform {
 public:
  explicit AddL2(double weight_decay) : weight_decay_(weight_decay) {}
  void reset(Eigen::Index) override {}
  void apply(Vec& u, const Vec& params, const StepInfo&) override {
    u += weight_decay_ * params;
  }

 private:
  double weight_decay_;
};

// Decoupled decay (Loshchilov & Hutter 2019): theta' = theta (1 - c_t), the
// gradient step being computed from the raw gradient at the old theta.
class AddDecayedWeights : public Transform {
 public:
  AddDecayedWeights(double weight_decay, bool times_lr)
      : weight_decay_(weight_decay), times_lr_(times_lr) {}
  void reset(Eigen::Index) override {}
  void apply(Vec& u, const Vec& params, const StepInfo& info) override {
    const double c =
        (times_lr_ ? info.learning_rate : info.multiplier) * weight_decay_;
    u -= c * params;
  }

 private:
  double weight_decay_;
  bool times_lr_;
};

class ScaleByLearningRate : public Transform {
 public:
  void reset(Eigen::Index) override { gamma_ = 0.0; }
  void apply(Vec& u, const Vec&, const StepInfo& info) override {
    gamma_ = info.learning_rate;
    u *= -gamma_;
  }
  void scale_effective(Vec& factor) const override { factor *= gamma_; }

 private:
  double gamma_ = 0.0;
};

// PyTorch SGD momentum: b_1 = g (no dampening on the first step),
// b_t = mu b_{t-1} + (1 - tau) g; d = g + mu b_t (nesterov) or b_t.
class Trace : public Transform {
 public:
  Trace(double momentum, double dampening, bool nesterov)
      : momentum_(momentum), dampening_(dampening), nesterov_(nesterov) {}
  void reset(Eigen::Index dim) override {
    buffer_ = Vec::Zero(dim);
    started_ = false;
  }
  void apply(Vec& u, const Vec&, const StepInfo&) override {
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
  void report(StateSink& sink) const override { sink.vector("m", buffer_); }

 private:
  double momentum_, dampening_;
  bool nesterov_;
  Vec buffer_;
  bool started_ = false;
};

// Classic momentum (Sutskever et al. 2013) on the lr-scaled step -gamma g:
// v_t = mu v_{t-1} - gamma_t g_t, theta_t = theta_{t-1} + v_t. The learning
// rate stays inside the velocity. NAG evaluates g at theta + mu v.
class TraceClassic : public Transform {
 public:
  TraceClassic(double momentum, bool look_ahead)
      : momentum_(momentum), look_ahead_(look_ahead) {}
  void reset(Eigen::Index dim) override {
    velocity_ = Vec::Zero(dim);
    point_ = Vec::Zero(dim);
  }
  void apply(Vec& u, const Vec& params, const StepInfo&) override {
    if (look_ahead_) point_ = params + momentum_ * velocity_;
    velocity_ = momentum_ * velocity_ + u;
    u = velocity_;
  }
  void shift_gradient_point(Vec& point) const override {
    if (look_ahead_) point += momentum_ * velocity_;
  }
  void report(StateSink& sink) const override {
    sink.vector("velocity", velocity_);
    if (look_ahead_) sink.vector("lookahead_point", point_);
  }

 private:
  double momentum_;
  bool look_ahead_;
  Vec velocity_, point_;
};

// Adagrad (Duchi et al. 2011, PyTorch form): s_t = s_{t-1} + g^2,
// step gamma / (1 + (t-1) lr_decay) * g / (sqrt(s_t) + eps); eps outside the
// root, s_0 = initial_accumulator_value.
class ScaleByAdagrad : public Transform {
 public:
  ScaleByAdagrad(double lr_decay, double initial, double eps)
      : lr_decay_(lr_decay), initial_(initial), eps_(eps) {}
  void reset(Eigen::Index dim) override {
    sum_ = Vec::Constant(dim, initial_);
    factor_ = Vec::Zero(dim);
  }
  void apply(Vec& u, const Vec&, const StepInfo& info) override {
    sum_.array() += u.array().square();
    const double decay = 1.0 + static_cast<double>(info.step - 1) * lr_decay_;
    factor_ = 1.0 / ((sum_.array().sqrt() + eps_) * decay);
    u.array() *= factor_.array();
  }
  void scale_effective(Vec& f) const override { f.array() *= factor_.array(); }
  void report(StateSink& sink) const override { sink.vector("v", sum_); }

 private:
  double lr_decay_, initial_, eps_;
  Vec sum_, factor_;
};

// RMSProp (Hinton's lecture, PyTorch form): v = alpha v + (1 - alpha) g^2;
// centered subtracts the square of the gradient average; eps after the root.
class ScaleByRms : public Transform {
 public:
  ScaleByRms(double alpha, double eps, bool centered)
      : alpha_(alpha), eps_(eps), centered_(centered) {}
  void reset(Eigen::Index dim) override {
    v_ = Vec::Zero(dim);
    g_avg_ = Vec::Zero(dim);
    factor_ = Vec::Zero(dim);
  }
  void apply(Vec& u, const Vec&, const StepInfo&) override {
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
  void scale_effective(Vec& f) const override { f.array() *= factor_.array(); }
  void report(StateSink& sink) const override {
    sink.vector("v", v_);
    if (centered_) sink.vector("g_avg", g_avg_);
  }

 private:
  double alpha_, eps_;
  bool centered_;
  Vec v_, g_avg_, factor_;
};

// Adadelta (Zeiler 2012): v = rho v + (1 - rho) g^2;
// delta = sqrt(u + eps) / sqrt(v_t + eps) * g with the updated v_t;
// u = rho u + (1 - rho) delta^2. eps sits inside both roots.
class ScaleByAdadelta : public Transform {
 public:
  ScaleByAdadelta(double rho, double eps) : rho_(rho), eps_(eps) {}
  void reset(Eigen::Index dim) override {
    v_ = Vec::Zero(dim);
    u_ = Vec::Zero(dim);
    factor_ = Vec::Zero(dim);
  }
  void apply(Vec& u, const Vec&, const StepInfo&) override {
    v_ = rho_ * v_ + (1.0 - rho_) * u.cwiseAbs2();
    factor_ = (u_.array() + eps_).sqrt() / (v_.array() + eps_).sqrt();
    u.array() *= factor_.array();
    u_ = rho_ * u_ + (1.0 - rho_) * u.cwiseAbs2();
  }
  void scale_effective(Vec& f) const override { f.array() *= factor_.array(); }
  void report(StateSink& sink) const override {
    sink.vector("v", v_);
    sink.vector("u", u_);
  }

 private:
  double rho_, eps_;
  Vec v_, u_, factor_;
};

// Adam (Kingma & Ba 2015) in PyTorch's form: m = b1 m + (1-b1) g;
// v = b2 v + (1-b2) g^2; u = m_hat / (sqrt(v)/sqrt(1-b2^t) + eps), i.e. eps
// after the bias correction. AMSGrad (PyTorch) takes the max of the raw v
// and bias-corrects it with the current t. Nesterov gives Dozat's NAdam with
// constant mu = b1: m_hat = b1 m/(1-b1^(t+1)) + (1-b1) g/(1-b1^t).
class ScaleByAdam : public Transform {
 public:
  ScaleByAdam(double beta1, double beta2, double eps, bool amsgrad,
              bool nesterov)
      : beta1_(beta1),
        beta2_(beta2),
        eps_(eps),
        amsgrad_(amsgrad),
        nesterov_(nesterov),
        bc1_(beta1),
        bc2_(beta2) {}
  void reset(Eigen::Index dim) override {
    m_ = Vec::Zero(dim);
    v_ = Vec::Zero(dim);
    v_max_ = Vec::Zero(dim);
    factor_ = Vec::Zero(dim);
  }
  void apply(Vec& u, const Vec&, const StepInfo& info) override {
    const long t = info.step;
    m_ = beta1_ * m_ + (1.0 - beta1_) * u;
    v_ = beta2_ * v_ + (1.0 - beta2_) * u.cwiseAbs2();
    if (amsgrad_) v_max_ = v_max_.cwiseMax(v_);
    const Vec& second = amsgrad_ ? v_max_ : v_;
    const double bc1 = bc1_(t);
    const double bc2 = bc2_(t);
    factor_ = 1.0 / (second.array().sqrt() / std::sqrt(bc2) + eps_);
    if (nesterov_) {
      u = (beta1_ / bc1_(t + 1)) * m_ + ((1.0 - beta1_) / bc1) * u;
    } else {
      u = m_ / bc1;
    }
    u.array() *= factor_.array();
  }
  void scale_effective(Vec& f) const override { f.array() *= factor_.array(); }
  void report(StateSink& sink) const override {
    sink.vector("m", m_);
    sink.vector("v", v_);
    if (amsgrad_) sink.vector("v_max", v_max_);
  }

 private:
  double beta1_, beta2_, eps_;
  bool amsgrad_, nesterov_;
  Vec m_, v_, v_max_, factor_;
  BiasCorrection bc1_, bc2_;
};

// Adamax (Kingma & Ba 2015, section 7; PyTorch): u = max(b2 u, |g| + eps),
// eps inside the max; step gamma / (1 - b1^t) * m / u.
class ScaleByAdamax : public Transform {
 public:
  ScaleByAdamax(double beta1, double beta2, double eps)
      : beta1_(beta1), beta2_(beta2), eps_(eps), bc1_(beta1) {}
  void reset(Eigen::Index dim) override {
    m_ = Vec::Zero(dim);
    norm_ = Vec::Zero(dim);
  }
  void apply(Vec& u, const Vec&, const StepInfo& info) override {
    m_ = beta1_ * m_ + (1.0 - beta1_) * u;
    norm_ = (beta2_ * norm_).cwiseMax((u.array().abs() + eps_).matrix());
    u = (m_ / bc1_(info.step)).cwiseQuotient(norm_);
  }
  void scale_effective(Vec& f) const override { f.array() /= norm_.array(); }
  void report(StateSink& sink) const override {
    sink.vector("m", m_);
    sink.vector("u", norm_);
  }

 private:
  double beta1_, beta2_, eps_;
  Vec m_, norm_;
  BiasCorrection bc1_;
};

// AMSGrad, Reddi, Kale & Kumar 2018, Algorithm 2: no bias correction;
// v_hat = max(v_hat, v); u = m / (sqrt(v_hat) + eps). The paper has no eps;
// it is kept (default 1e-8) only to avoid 0/0.
class ScaleByAmsgradPaper : public Transform {
 public:
  ScaleByAmsgradPaper(double beta1, double beta2, double eps)
      : beta1_(beta1), beta2_(beta2), eps_(eps) {}
  void reset(Eigen::Index dim) override {
    m_ = Vec::Zero(dim);
    v_ = Vec::Zero(dim);
    v_max_ = Vec::Zero(dim);
    factor_ = Vec::Zero(dim);
  }
  void apply(Vec& u, const Vec&, const StepInfo&) override {
    m_ = beta1_ * m_ + (1.0 - beta1_) * u;
    v_ = beta2_ * v_ + (1.0 - beta2_) * u.cwiseAbs2();
    v_max_ = v_max_.cwiseMax(v_);
    factor_ = 1.0 / (v_max_.array().sqrt() + eps_);
    u = m_.cwiseProduct(factor_);
  }
  void scale_effective(Vec& f) const override { f.array() *= factor_.array(); }
  void report(StateSink& sink) const override {
    sink.vector("m", m_);
    sink.vector("v", v_);
    sink.vector("v_max", v_max_);
  }

 private:
  double beta1_, beta2_, eps_;
  Vec m_, v_, v_max_, factor_;
};

// AdaBound / AMSBound as in Luolc/AdaBound's AdaBound.step: eps on the
// uncorrected root; eta = clip(gamma sqrt(bc2)/bc1 / (sqrt(v) + eps),
// lower_t, upper_t) with final_lr scaled by gamma_t / lr (the only way a
// schedule reaches the bounds); theta -= eta * m.
class ScaleByAdaBound : public Transform {
 public:
  ScaleByAdaBound(double beta1, double beta2, double final_lr, double gamma,
                  double eps, bool amsbound)
      : beta1_(beta1),
        beta2_(beta2),
        final_lr_(final_lr),
        gamma_(gamma),
        eps_(eps),
        amsbound_(amsbound),
        bc1_(beta1),
        bc2_(beta2) {}
  void reset(Eigen::Index dim) override {
    m_ = Vec::Zero(dim);
    v_ = Vec::Zero(dim);
    v_max_ = Vec::Zero(dim);
    eta_ = Vec::Zero(dim);
    lower_ = upper_ = 0.0;
  }
  void apply(Vec& u, const Vec&, const StepInfo& info) override {
    const long t = info.step;
    const double td = static_cast<double>(t);
    m_ = beta1_ * m_ + (1.0 - beta1_) * u;
    v_ = beta2_ * v_ + (1.0 - beta2_) * u.cwiseAbs2();
    if (amsbound_) v_max_ = v_max_.cwiseMax(v_);
    const Vec& second = amsbound_ ? v_max_ : v_;
    const double step_size = info.learning_rate * std::sqrt(bc2_(t)) / bc1_(t);
    const double final_lr = final_lr_ * info.multiplier;
    lower_ = final_lr * (1.0 - 1.0 / (gamma_ * td + 1.0));
    upper_ = final_lr * (1.0 + 1.0 / (gamma_ * td));
    eta_ = (step_size / (second.array().sqrt() + eps_))
               .max(lower_)
               .min(upper_)
               .matrix();
    u = -eta_.cwiseProduct(m_);
  }
  void scale_effective(Vec& f) const override { f.array() *= eta_.array(); }
  void report(StateSink& sink) const override {
    sink.vector("m", m_);
    sink.vector("v", v_);
    if (amsbound_) sink.vector("v_max", v_max_);
    sink.scalar("lower", lower_);
    sink.scalar("upper", upper_);
  }

 private:
  double beta1_, beta2_, final_lr_, gamma_, eps_;
  bool amsbound_;
  Vec m_, v_, v_max_, eta_;
  BiasCorrection bc1_, bc2_;
  double lower_ = 0.0, upper_ = 0.0;
};

// SWATS (Keskar & Socher 2017): Adam with eps on the uncorrected root until
// the projected SGD learning rate gamma_k = p.p / (-p.g) has settled (its
// bias-corrected EMA within switch_eps of gamma_k, k > 1); then SGD with
// momentum, w = b1 w + g, theta -= (1 - b1) Lambda eta_k w. The dot products
// run over the whole parameter vector.
class ScaleBySwats : public Transform {
 public:
  ScaleBySwats(double beta1, double beta2, double eps, double switch_eps)
      : beta1_(beta1),
        beta2_(beta2),
        eps_(eps),
        switch_eps_(switch_eps),
        bc1_(beta1),
        bc2_(beta2) {}
  void reset(Eigen::Index dim) override {
    m_ = Vec::Zero(dim);
    a_ = Vec::Zero(dim);
    w_ = Vec::Zero(dim);
    factor_ = Vec::Zero(dim);
    lambda_ = sgd_lr_ = projected_ = estimate_ = 0.0;
    sgd_ = false;
  }
  void apply(Vec& u, const Vec&, const StepInfo& info) override {
    const long k = info.step;
    if (sgd_) {
      w_ = beta1_ * w_ + u;
      const double rate = (1.0 - beta1_) * sgd_lr_ * info.multiplier;
      factor_.setConstant(rate);
      u = -rate * w_;
      return;
    }
    m_ = beta1_ * m_ + (1.0 - beta1_) * u;
    a_ = beta2_ * a_ + (1.0 - beta2_) * u.cwiseAbs2();
    const double bc2 = bc2_(k);
    const double scale = info.learning_rate * std::sqrt(bc2) / bc1_(k);
    factor_ = scale / (a_.array().sqrt() + eps_);
    const Vec p = -m_.cwiseProduct(factor_);
    const double pg = p.dot(u);
    u = p;
    if (pg != 0.0) {
      projected_ = p.squaredNorm() / -pg;
      lambda_ = beta2_ * lambda_ + (1.0 - beta2_) * projected_;
      estimate_ = lambda_ / bc2;
      if (k > 1 && std::fabs(estimate_ - projected_) < switch_eps_) {
        sgd_ = true;  // takes effect from the next update
        sgd_lr_ = estimate_;
        w_.setZero();
      }
    }
  }
  void scale_effective(Vec& f) const override { f.array() *= factor_.array(); }
  void report(StateSink& sink) const override {
    sink.vector("m", m_);
    sink.vector("v", a_);
    sink.vector("w", w_);
    sink.scalar("phase", sgd_ ? 1.0 : 0.0);
    sink.scalar("projected_lr", projected_);
    sink.scalar("sgd_lr_estimate", estimate_);
    sink.scalar("sgd_lr", sgd_lr_);
  }

 private:
  double beta1_, beta2_, eps_, switch_eps_;
  Vec m_, a_, w_, factor_;
  BiasCorrection bc1_, bc2_;
  double lambda_ = 0.0, sgd_lr_ = 0.0, projected_ = 0.0, estimate_ = 0.0;
  bool sgd_ = false;
};

// RAdam (Liu et al. 2020; PyTorch form): rho_t = rho_inf - 2 t b2^t / bc2;
// above the threshold the adaptive step m_hat * sqrt(bc2)/(sqrt(v) + eps) is
// rectified by r_t (eps on the uncorrected root), below it the step is the
// un-adapted m_hat. The paper uses threshold 4, PyTorch 5.
class ScaleByRAdam : public Transform {
 public:
  ScaleByRAdam(double beta1, double beta2, double eps, double threshold)
      : beta1_(beta1),
        beta2_(beta2),
        eps_(eps),
        threshold_(threshold),
        bc1_(beta1),
        bc2_(beta2) {}
  void reset(Eigen::Index dim) override {
    m_ = Vec::Zero(dim);
    v_ = Vec::Zero(dim);
    factor_ = Vec::Zero(dim);
    rho_ = rect_ = 0.0;
    rectified_ = false;
  }
  void apply(Vec& u, const Vec&, const StepInfo& info) override {
    const long t = info.step;
    m_ = beta1_ * m_ + (1.0 - beta1_) * u;
    v_ = beta2_ * v_ + (1.0 - beta2_) * u.cwiseAbs2();
    const double bc2 = bc2_(t);
    u = m_ / bc1_(t);
    const double rho_inf = 2.0 / (1.0 - beta2_) - 1.0;
    rho_ = rho_inf -
           2.0 * static_cast<double>(t) * std::pow(beta2_, double(t)) / bc2;
    rectified_ = rho_ > threshold_;
    if (rectified_) {
      rect_ = std::sqrt((rho_ - 4.0) * (rho_ - 2.0) * rho_inf /
                        ((rho_inf - 4.0) * (rho_inf - 2.0) * rho_));
      factor_ = std::sqrt(bc2) / (v_.array().sqrt() + eps_) * rect_;
      u.array() *= factor_.array();
    } else {
      rect_ = 0.0;
      factor_.setOnes();
    }
  }
  void scale_effective(Vec& f) const override { f.array() *= factor_.array(); }
  void report(StateSink& sink) const override {
    sink.vector("m", m_);
    sink.vector("v", v_);
    sink.scalar("rho", rho_);
    sink.scalar("rectified", rectified_ ? 1.0 : 0.0);
    sink.scalar("rectification", rect_);
  }

 private:
  double beta1_, beta2_, eps_, threshold_;
  Vec m_, v_, factor_;
  BiasCorrection bc1_, bc2_;
  double rho_ = 0.0, rect_ = 0.0;
  bool rectified_ = false;
};

// NAdam in PyTorch's form (>= 2.0): mu_t = b1 (1 - 0.5 * 0.96^(t psi)),
// Pi_t = prod mu; step (1 - mu_t)/(1 - Pi_t) g/den +
// mu_{t+1}/(1 - Pi_t mu_{t+1}) m/den with den = sqrt(v/bc2) + eps.
class ScaleByNAdam : public Transform {
 public:
  ScaleByNAdam(double beta1, double beta2, double eps, double momentum_decay)
      : beta1_(beta1),
        beta2_(beta2),
        eps_(eps),
        psi_(momentum_decay),
        bc2_(beta2) {}
  void reset(Eigen::Index dim) override {
    m_ = Vec::Zero(dim);
    v_ = Vec::Zero(dim);
    factor_ = Vec::Zero(dim);
    mu_product_ = 1.0;
    mu_ = 0.0;
  }
  void apply(Vec& u, const Vec&, const StepInfo& info) override {
    const double t = static_cast<double>(info.step);
    mu_ = beta1_ * (1.0 - 0.5 * std::pow(0.96, t * psi_));
    const double mu_next =
        beta1_ * (1.0 - 0.5 * std::pow(0.96, (t + 1) * psi_));
    mu_product_ *= mu_;
    m_ = beta1_ * m_ + (1.0 - beta1_) * u;
    v_ = beta2_ * v_ + (1.0 - beta2_) * u.cwiseAbs2();
    const double bc2 = bc2_(info.step);
    factor_ = 1.0 / ((v_ / bc2).array().sqrt() + eps_);
    u = ((1.0 - mu_) / (1.0 - mu_product_)) * u +
        (mu_next / (1.0 - mu_product_ * mu_next)) * m_;
    u.array() *= factor_.array();
  }
  void scale_effective(Vec& f) const override { f.array() *= factor_.array(); }
  void report(StateSink& sink) const override {
    sink.vector("m", m_);
    sink.vector("v", v_);
    sink.scalar("mu", mu_);
  }

 private:
  double beta1_, beta2_, eps_, psi_;
  Vec m_, v_, factor_;
  BiasCorrection bc2_;
  double mu_product_ = 1.0, mu_ = 0.0;
};

}  // namespace

TransformPtr add_l2(double wd) { return std::make_unique<AddL2>(wd); }
TransformPtr add_decayed_weights(double wd, bool times_lr) {
  return std::make_unique<AddDecayedWeights>(wd, times_lr);
}
TransformPtr scale_by_learning_rate() {
  return std::make_unique<ScaleByLearningRate>();
}
TransformPtr trace(double momentum, double dampening, bool nesterov) {
  return std::make_unique<Trace>(momentum, dampening, nesterov);
}
TransformPtr trace_classic(double momentum, bool look_ahead) {
  return std::make_unique<TraceClassic>(momentum, look_ahead);
}
TransformPtr scale_by_adagrad(double lr_decay, double initial, double eps) {
  return std::make_unique<ScaleByAdagrad>(lr_decay, initial, eps);
}
TransformPtr scale_by_rms(double alpha, double eps, bool centered) {
  return std::make_unique<ScaleByRms>(alpha, eps, centered);
}
TransformPtr scale_by_adadelta(double rho, double eps) {
  return std::make_unique<ScaleByAdadelta>(rho, eps);
}
TransformPtr scale_by_adam(double beta1, double beta2, double eps, bool amsgrad,
                           bool nesterov) {
  return std::make_unique<ScaleByAdam>(beta1, beta2, eps, amsgrad, nesterov);
}
TransformPtr scale_by_adamax(double beta1, double beta2, double eps) {
  return std::make_unique<ScaleByAdamax>(beta1, beta2, eps);
}
TransformPtr scale_by_amsgrad_paper(double beta1, double beta2, double eps) {
  return std::make_unique<ScaleByAmsgradPaper>(beta1, beta2, eps);
}
TransformPtr scale_by_adabound(double beta1, double beta2, double final_lr,
                               double gamma, double eps, bool amsbound) {
  return std::make_unique<ScaleByAdaBound>(beta1, beta2, final_lr, gamma, eps,
                                           amsbound);
}
TransformPtr scale_by_swats(double beta1, double beta2, double eps,
                            double switch_eps) {
  return std::make_unique<ScaleBySwats>(beta1, beta2, eps, switch_eps);
}
TransformPtr scale_by_radam(double beta1, double beta2, double eps,
                            double threshold) {
  return std::make_unique<ScaleByRAdam>(beta1, beta2, eps, threshold);
}
TransformPtr scale_by_nadam(double beta1, double beta2, double eps,
                            double momentum_decay) {
  return std::make_unique<ScaleByNAdam>(beta1, beta2, eps, momentum_decay);
}

}  // namespace optim
