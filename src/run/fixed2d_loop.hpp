// SPDX-License-Identifier: MIT
// The update loop of whole 2-D runs on the fixed-size form of an optimizer
// (optim/fixed2d.hpp), shared by run_path and ensembles. Private to src/run.
#pragma once

#include <Eigen/Core>
#include <cmath>

#include "core/rng.hpp"
#include "optim/fixed2d.hpp"
#include "problems/functions2d.hpp"
#include "run/config.hpp"

namespace optim {

// The update loop of run_path and of ensembles on a fixed-size kernel: the
// gradient at the iterate (NAG: at its look-ahead point), noise from
// Rng(noise.seed) when noise.level > 0, update t with gamma_t, then the bound
// and loss checks. Unless the kernel moves the gradient point, the loss check
// and the next update's gradient share one value_gradient() call. Calls
// on_start(f0) for a usable start and on_update(t, theta, f_t, gamma_t) after
// each update that did not diverge. Returns -1, or the update that diverged (0:
// the start); theta is then the iterate that failed the checks.
template <class Kernel, class OnStart, class OnUpdate>
long run_fixed2d(Kernel& kernel, const Fixed2dOptimizer& optimizer,
                 const Function2D& function, Eigen::Vector2d& theta, long steps,
                 const NoiseSpec& noise, double bound, OnStart&& on_start,
                 OnUpdate&& on_update) {
  // NaN and infinity fail the comparison.
  const auto bounded = [&] {
    return std::abs(theta[0]) <= bound && std::abs(theta[1]) <= bound;
  };
  Eigen::Vector2d g;
  double f = function.value_gradient(theta[0], theta[1], g.data());
  if (!bounded() || !std::isfinite(f)) return 0;
  on_start(f);
  kernel.reset();
  Rng rng(noise.seed);
  const bool noisy = noise.level > 0.0;
  const bool shifts = kernel.shifts_gradient();
  for (long t = 1; t <= steps; ++t) {
    const double gamma = optimizer.learning_rate(t);
    if (shifts) {
      Eigen::Vector2d point;
      kernel.gradient_point(theta, point);
      g = function.gradient(point[0], point[1]);
    }
    if (noisy) {
      g[0] += noise.level * rng.normal();
      g[1] += noise.level * rng.normal();
    }
    kernel.step(theta, g, t, gamma);
    if (!bounded()) return t;
    f = shifts ? function.value(theta[0], theta[1])
               : function.value_gradient(theta[0], theta[1], g.data());
    if (!std::isfinite(f)) return t;
    on_update(t, theta, f, gamma);
  }
  return -1;
}

}  // namespace optim
