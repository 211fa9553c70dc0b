// SPDX-License-Identifier: MIT
// Lookahead (Zhang, Lucas, Hinton & Ba 2019): k fast steps, then one step of
// the slow weights towards them.
#pragma once

#include <memory>

#include "optim/transform.hpp"

namespace optim {

// Each update runs one inner step; every k-th update the slow weights move,
// phi <- phi + alpha (theta - phi), and the fast weights restart from them.
// The inner optimizer's state is never reset (LA-repo pullback "none").
class Lookahead : public Optimizer {
 public:
  Lookahead(std::unique_ptr<Optimizer> inner, long sync_period,
            double slow_step_size);

  void reset(const Vec& params) override;
  void gradient_point(const Vec& params, Vec& point) const override {
    inner_->gradient_point(params, point);
  }
  void step(Vec& params, const Vec& grad) override;
  double learning_rate() const override { return inner_->learning_rate(); }
  void report(StateSink& sink) const override;

 private:
  std::unique_ptr<Optimizer> inner_;
  long sync_period_;
  double slow_step_size_;
  Vec slow_;
  long counter_ = 0;
  bool synced_ = false;
};

}  // namespace optim
