// SPDX-License-Identifier: MIT
// The two worked illustrations of optimizers.md section 4: Adam forgetting a
// rare large gradient, and Reddi et al.'s counterexample where Adam fails.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "optim/optimizers.hpp"

using optim::json;
using optim::Vec;

namespace {

// 1-D stream: `ones` gradients of 1, one gradient `spike`, then `after` ones.
// Returns the step taken by every update (theta_{t-1} - theta_t).
std::vector<double> stream_steps(const json& optimizer, long ones, double spike,
                                 long after) {
  auto opt = optim::make_optimizer(optimizer);
  Vec x = Vec::Zero(1), g = Vec::Ones(1);
  opt->reset(x);
  std::vector<double> steps;
  steps.reserve(ones + 1 + after);
  for (long t = 0; t < ones + 1 + after; ++t) {
    g[0] = t == ones ? spike : 1.0;
    const double before = x[0];
    opt->step(x, g);
    steps.push_back(before - x[0]);
  }
  return steps;
}

json adam(double beta1) {
  return {{"name", "adam"},
          {"hyperparameters",
           {{"lr", 1.0}, {"beta1", beta1}, {"beta2", 0.999}, {"eps", 0.0}}}};
}

double sum(const std::vector<double>& v, std::size_t from, std::size_t to) {
  double s = 0.0;
  for (std::size_t i = from; i < to; ++i) s += v[i];
  return s;
}

}  // namespace

TEST_CASE("4.1: Adam's step for a rare 1e5 gradient is only ~31.6 lr") {
  constexpr long kOnes = 100000, kAfter = 20000;
  for (double beta1 : {0.0, 0.9}) {
    CAPTURE(beta1);
    const auto steps = stream_steps(adam(beta1), kOnes, 1e5, kAfter);
    const auto plain = stream_steps(adam(beta1), kOnes, 1.0, kAfter);
    // v_hat = 1 exactly in exact arithmetic: every unit-gradient step is lr.
    for (long t : {0L, 1L, 999L, kOnes - 1}) {
      CHECK(steps[t] == doctest::Approx(1.0).epsilon(1e-12));
    }
    const double spike = beta1 == 0.0 ? 31.6227750221 : 3.16256210719;
    const double next = beta1 == 0.0 ? 3.16386e-4 : 2.84776;
    CHECK(steps[kOnes] == doctest::Approx(spike).epsilon(1e-11));
    CHECK(steps[kOnes + 1] == doctest::Approx(next).epsilon(1e-5));
    // Over the 20 000 updates from the spike on, Adam moves 14 684 lr less
    // than without it: the informative gradient suppresses the small steps
    // that follow.
    const double lost =
        sum(steps, kOnes, kOnes + kAfter) - sum(plain, kOnes, kOnes + kAfter);
    CHECK(lost ==
          doctest::Approx(beta1 == 0.0 ? -14683.83 : -14683.68).epsilon(1e-6));
  }
}

TEST_CASE("4.1: AMSGrad keeps the spike's second moment, Adam forgets it") {
  const json amsgrad = {
      {"name", "amsgrad"},
      {"hyperparameters", {{"lr", 1.0}, {"beta1", 0.0}, {"eps", 0.0}}}};
  const auto ams = stream_steps(amsgrad, 1000, 1e5, 20000);
  const auto adam_steps = stream_steps(adam(0.0), 1000, 1e5, 20000);
  // v_max stays ~1e7 (0.999 * v + 0.001 * 1e10): steps of ~1/sqrt(1e7).
  CHECK(ams.back() == doctest::Approx(1.0 / std::sqrt(1e7)).epsilon(1e-3));
  // Adam's v decays back to ~1 after ~16 000 updates: steps of ~lr again.
  CHECK(adam_steps.back() > 0.9);
}

namespace {

// Reddi et al. 2018, Theorem 1: f_t(x) = C x for t mod 3 = 1, else -x, on
// [-1, 1]; beta1 = 0, beta2 = 1/(1 + C^2), alpha_t = alpha/sqrt(t).
struct Online {
  double final_x;
  double average_regret;
};

Online reddi(const json& optimizer, double x0) {
  constexpr double kC = 3.0;
  constexpr long kT = 3000;
  const json schedule = {{"name", "inverse_sqrt"}};
  auto opt = optim::make_optimizer(optimizer, schedule);
  Vec x(1), g(1);
  x[0] = x0;
  opt->reset(x);
  double loss = 0.0, best = 0.0;
  for (long t = 1; t <= kT; ++t) {
    g[0] = t % 3 == 1 ? kC : -1.0;
    loss += g[0] * x[0];
    best += g[0] * -1.0;  // x* = -1
    opt->step(x, g);
    x[0] = std::clamp(x[0], -1.0, 1.0);  // projection onto F = [-1, 1]
  }
  return {x[0], (loss - best) / kT};
}

}  // namespace

TEST_CASE("4.2: Reddi's counterexample: Adam ends at +1, AMSGrad near -1") {
  const double beta2 = 1.0 / (1.0 + 3.0 * 3.0);
  json hyper = {{"lr", 0.5}, {"beta1", 0.0}, {"beta2", beta2}, {"eps", 0.0}};
  const json adam = {{"name", "adam"}, {"hyperparameters", hyper}};
  hyper["variant"] = "paper";
  const json amsgrad = {{"name", "amsgrad"}, {"hyperparameters", hyper}};
  // optimizers.md 4.2, C = 3, alpha = 0.5, T = 3000.
  const double ams_regret[] = {0.0274, 0.0124, 0.0104};
  int i = 0;
  for (double x0 : {1.0, 0.0, -1.0}) {
    CAPTURE(x0);
    const Online a = reddi(adam, x0);
    CHECK(a.final_x == 1.0);
    CHECK(a.average_regret > 0.6);
    const Online b = reddi(amsgrad, x0);
    CHECK(b.final_x == doctest::Approx(-0.993627).epsilon(1e-6));
    CHECK(b.average_regret == doctest::Approx(ams_regret[i++]).epsilon(2e-3));
  }
}
