// SPDX-License-Identifier: MIT
// Gradient transformations and the optimizer interface built from them.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/types.hpp"
#include "optim/schedule.hpp"

namespace optim {

// What an update knows about time: t counts updates from 1; gamma is the
// learning rate of this update (the schedule's value at k = t - 1, or lr);
// multiplier is gamma / lr, the "schedule multiplier" eta_t of the spec.
struct StepInfo {
  long step;
  double learning_rate;
  double multiplier;
};

// Receives the internal state an optimizer exposes after each update, for the
// charts of the page: per-coordinate vectors and scalars, by name.
class StateSink {
 public:
  virtual ~StateSink() = default;
  virtual void vector(const char* name, const Vec& value) = 0;
  virtual void scalar(const char* name, double value) = 0;
};

// One idea from one paper; owns its state (optax GradientTransformation).
// apply() turns `update` (the gradient on entry of a chain) into the next
// stage; after the last transform of a chain, params += update.
class Transform {
 public:
  virtual ~Transform() = default;
  // Zero the state for parameters of dimension `dim`.
  virtual void reset(Eigen::Index dim) = 0;
  virtual void apply(Vec& update, const Vec& params, const StepInfo& info) = 0;
  // Multiplies `factor` by this transform's per-coordinate step factor of the
  // last update (1/(sqrt(v_hat)+eps) for Adam, gamma for the learning rate):
  // their product is the chart's "effective learning rate".
  virtual void scale_effective(Vec& /*factor*/) const {}
  // Moves the point where the next gradient is evaluated (only NAG does).
  virtual void shift_gradient_point(Vec& /*point*/) const {}
  virtual void report(StateSink& /*sink*/) const {}
};

// Anything that updates parameters from gradients: a Chain of transforms, or
// a wrapper such as Lookahead.
class Optimizer {
 public:
  virtual ~Optimizer() = default;
  // Start from `params` (zero state, step counter 0).
  virtual void reset(const Vec& params) = 0;
  // Where the gradient for the next update is to be evaluated.
  virtual void gradient_point(const Vec& params, Vec& point) const = 0;
  // One update t -> t + 1 with the gradient taken at gradient_point().
  virtual void step(Vec& params, const Vec& grad) = 0;
  // Learning rate gamma_t of the last update.
  virtual double learning_rate() const = 0;
  virtual void report(StateSink& sink) const = 0;
};

// Transforms applied in order, plus the learning-rate schedule (optax chain()
// with a schedule). Owns the step counter t.
class Chain : public Optimizer {
 public:
  // `lr` is the method's lr hyperparameter: the schedule's base and the
  // denominator of the multiplier eta_t = gamma_t / lr.
  Chain(double lr, std::vector<std::unique_ptr<Transform>> transforms,
        std::optional<Schedule> schedule);

  void reset(const Vec& params) override;
  void gradient_point(const Vec& params, Vec& point) const override;
  void step(Vec& params, const Vec& grad) override;
  double learning_rate() const override { return gamma_; }
  void report(StateSink& sink) const override;

 private:
  double lr_;
  std::vector<std::unique_ptr<Transform>> transforms_;
  std::optional<Schedule> schedule_;
  long t_ = 0;
  double gamma_ = 0.0;
  Vec update_;
  Vec effective_;
};

}  // namespace optim
