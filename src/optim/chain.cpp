// SPDX-License-Identifier: MIT
// Chain: transforms applied in order, with the schedule and the step counter.
#include <utility>

#include "optim/transform.hpp"

namespace optim {

Chain::Chain(double lr, std::vector<std::unique_ptr<Transform>> transforms,
             std::optional<Schedule> schedule)
    : lr_(lr),
      transforms_(std::move(transforms)),
      schedule_(std::move(schedule)) {}

void Chain::reset(const Vec& params) {
  t_ = 0;
  gamma_ = 0.0;
  update_ = Vec::Zero(params.size());
  effective_ = Vec::Zero(params.size());
  for (auto& transform : transforms_) transform->reset(params.size());
}

void Chain::gradient_point(const Vec& params, Vec& point) const {
  point = params;
  for (const auto& transform : transforms_) {
    transform->shift_gradient_point(point);
  }
}

void Chain::step(Vec& params, const Vec& grad) {
  ++t_;
  // Schedules take the 0-based update index k = t - 1.
  gamma_ = schedule_ ? (*schedule_)(t_ - 1) : lr_;
  const StepInfo info{t_, gamma_, gamma_ / lr_};
  update_ = grad;
  for (auto& transform : transforms_) transform->apply(update_, params, info);
  params += update_;
  effective_.setOnes();
  for (const auto& transform : transforms_) {
    transform->scale_effective(effective_);
  }
}

void Chain::report(StateSink& sink) const {
  for (const auto& transform : transforms_) transform->report(sink);
  sink.vector("effective_lr", effective_);
}

}  // namespace optim
