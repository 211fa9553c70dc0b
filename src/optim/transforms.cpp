// SPDX-License-Identifier: MIT
// The general Transform of each rule (rules.hpp, on Vec), and the specs the
// recipes list.
#include "optim/transforms.hpp"

#include <type_traits>
#include <utility>

#include "optim/rules.hpp"

namespace optim {
namespace {

// A rule on Vec as a Transform of the Chain.
template <class Rule>
class RuleTransform final : public Transform {
 public:
  explicit RuleTransform(Rule rule) : rule_(std::move(rule)) {}
  void reset(Eigen::Index dim) override { rule_.reset(dim); }
  void apply(Vec& update, const Vec& params, const StepInfo& info) override {
    rule_.apply(update, params, info);
  }
  void scale_effective(Vec& factor) const override {
    rule_.scale_effective(factor);
  }
  void shift_gradient_point(Vec& point) const override {
    rule_.shift_gradient_point(point);
  }
  void report(StateSink& sink) const override {
    rule_.series([&sink](const char* name, const auto& value) {
      if constexpr (std::is_same_v<std::decay_t<decltype(value)>, double>) {
        sink.scalar(name, value);
      } else {
        sink.vector(name, value);
      }
    });
  }

 private:
  Rule rule_;
};

}  // namespace

TransformPtr make_transform(const TransformSpec& spec) {
  return std::visit(
      [](const auto& s) -> TransformPtr {
        auto rule = rules::RuleOf<Vec>::make(s);
        return std::make_unique<RuleTransform<decltype(rule)>>(std::move(rule));
      },
      spec);
}

TransformSpec add_l2(double wd) { return AddL2Spec{wd}; }
TransformSpec add_decayed_weights(double wd, bool times_lr) {
  return AddDecayedWeightsSpec{wd, times_lr};
}
TransformSpec scale_by_learning_rate() { return LearningRateSpec{}; }
TransformSpec trace(double momentum, double dampening, bool nesterov) {
  return TraceSpec{momentum, dampening, nesterov};
}
TransformSpec trace_classic(double momentum, bool look_ahead) {
  return TraceClassicSpec{momentum, look_ahead};
}
TransformSpec scale_by_adagrad(double lr_decay, double initial, double eps) {
  return AdagradSpec{lr_decay, initial, eps};
}
TransformSpec scale_by_rms(double alpha, double eps, bool centered) {
  return RmsSpec{alpha, eps, centered};
}
TransformSpec scale_by_adadelta(double rho, double eps) {
  return AdadeltaSpec{rho, eps};
}
TransformSpec scale_by_adam(double beta1, double beta2, double eps,
                            bool amsgrad, bool nesterov, bool bias_correction) {
  return AdamSpec{beta1, beta2, eps, amsgrad, nesterov, bias_correction};
}
TransformSpec scale_by_adamax(double beta1, double beta2, double eps) {
  return AdamaxSpec{beta1, beta2, eps};
}
TransformSpec scale_by_amsgrad_paper(double beta1, double beta2, double eps) {
  return AmsgradPaperSpec{beta1, beta2, eps};
}
TransformSpec scale_by_adabound(double beta1, double beta2, double final_lr,
                                double gamma, double eps, bool amsbound) {
  return AdaBoundSpec{beta1, beta2, final_lr, gamma, eps, amsbound};
}
TransformSpec scale_by_swats(double beta1, double beta2, double eps,
                             double switch_eps) {
  return SwatsSpec{beta1, beta2, eps, switch_eps};
}
TransformSpec scale_by_radam(double beta1, double beta2, double eps,
                             double threshold) {
  return RAdamSpec{beta1, beta2, eps, threshold};
}
TransformSpec scale_by_nadam(double beta1, double beta2, double eps,
                             double momentum_decay) {
  return NAdamSpec{beta1, beta2, eps, momentum_decay};
}

}  // namespace optim
