// SPDX-License-Identifier: MIT
// Lookahead wrapper around any optimizer.
#include "optim/lookahead.hpp"

#include <utility>

namespace optim {

Lookahead::Lookahead(std::unique_ptr<Optimizer> inner, long sync_period,
                     double slow_step_size)
    : inner_(std::move(inner)),
      sync_period_(sync_period),
      slow_step_size_(slow_step_size) {}

void Lookahead::reset(const Vec& params) {
  inner_->reset(params);
  slow_ = params;  // phi_0 = theta_0
  counter_ = 0;
  synced_ = false;
}

void Lookahead::step(Vec& params, const Vec& grad) {
  inner_->step(params, grad);
  synced_ = ++counter_ == sync_period_;
  if (synced_) {
    slow_ += slow_step_size_ * (params - slow_);
    params = slow_;
    counter_ = 0;
  }
}

void Lookahead::report(StateSink& sink) const {
  inner_->report(sink);
  sink.vector("slow_weights", slow_);
  sink.scalar("synced", synced_ ? 1.0 : 0.0);
}

}  // namespace optim
