// SPDX-License-Identifier: MIT
// The update loop of whole 2-D runs on the fixed-size form of an optimizer
// (optim/fixed2d.hpp): run_path's one run at a time, ensembles' several side
// by side. Private to src/run.
#pragma once

#include <Eigen/Core>
#include <cmath>
#include <optional>

#include "core/rng.hpp"
#include "optim/fixed2d.hpp"
#include "problems/functions2d.hpp"
#include "run/config.hpp"

namespace optim {

// The update loop on a fixed-size kernel, for `count` (at most Lanes)
// independent runs advanced one update at a time in turn: run k on
// kernels[k] from theta[k] with noise[k]. Per run: the gradient at the iterate
// (NAG: at its look-ahead point), noise from Rng(noise.seed) when noise.level
// > 0, update t with gamma_t, then the bound and loss checks. The loss check
// and the next update's gradient share one call (value_gradient(), or
// value_gradient_at() when the kernel moves the gradient point). Calls
// on_start(k, f0) for a usable start and on_update(k, t, theta, f_t, gamma_t)
// after each update that did not diverge. Sets diverged[k] to -1, or the update
// that diverged (0: the start); theta[k] is then the iterate that failed the
// checks.
//
// Each run computes exactly what it would alone; side by side, the processor
// overlaps their arithmetic (one run is a single chain of dependent
// operations: gradient, update, gradient), which ensembles of thousands of
// short runs gain from.
template <int Lanes, class Kernel, class OnStart, class OnUpdate>
void run_fixed2d_lanes(Kernel* kernels, const Fixed2dOptimizer& optimizer,
                       const Function2D& function, Eigen::Vector2d* theta,
                       long steps, const NoiseSpec* noise, double bound,
                       long* diverged, int count, OnStart&& on_start,
                       OnUpdate&& on_update) {
  // NaN and infinity fail the comparison.
  const auto bounded = [&](const Eigen::Vector2d& p) {
    return std::abs(p[0]) <= bound && std::abs(p[1]) <= bound;
  };
  Eigen::Vector2d g[Lanes];
  std::optional<Rng> rng[Lanes];
  bool active[Lanes];
  int running = 0;
  const bool shifts = kernels[0].shifts_gradient();
  // f at theta[k], and the gradient of run k's next update into g[k]: at
  // theta[k], or at the kernel's look-ahead point from theta[k] (NAG), which
  // the state left by the last update fixes. One call either way.
  const auto evaluate = [&](int k) {
    const Eigen::Vector2d& x = theta[k];
    if (!shifts) return function.value_gradient(x[0], x[1], g[k].data());
    Eigen::Vector2d point;
    kernels[k].gradient_point(x, point);
    return function.value_gradient_at(x[0], x[1], point[0], point[1],
                                      g[k].data());
  };
  for (int k = 0; k < Lanes; ++k) {
    active[k] = false;
    if (k >= count) continue;
    diverged[k] = -1;
    kernels[k].reset();
    const double f = evaluate(k);
    if (!bounded(theta[k]) || !std::isfinite(f)) {
      diverged[k] = 0;
      continue;
    }
    on_start(k, f);
    if (noise[k].level > 0.0) rng[k].emplace(noise[k].seed);
    active[k] = true;
    ++running;
  }
  for (long t = 1; t <= steps && running > 0; ++t) {
    const double gamma = optimizer.learning_rate(t);
    for (int k = 0; k < Lanes; ++k) {
      if (!active[k]) continue;
      Eigen::Vector2d& x = theta[k];
      if (rng[k]) {
        g[k][0] += noise[k].level * rng[k]->normal();
        g[k][1] += noise[k].level * rng[k]->normal();
      }
      kernels[k].step(x, g[k], t, gamma);
      double f = 0.0;
      const bool inside = bounded(x);
      if (inside) f = evaluate(k);
      if (!inside || !std::isfinite(f)) {
        diverged[k] = t;
        active[k] = false;
        --running;
        continue;
      }
      on_update(k, t, x, f, gamma);
    }
  }
}

// One run of run_fixed2d_lanes, with on_start(f0) and on_update(t, theta,
// f_t, gamma_t); returns where it diverged (-1: it did not).
template <class Kernel, class OnStart, class OnUpdate>
long run_fixed2d(Kernel& kernel, const Fixed2dOptimizer& optimizer,
                 const Function2D& function, Eigen::Vector2d& theta, long steps,
                 const NoiseSpec& noise, double bound, OnStart&& on_start,
                 OnUpdate&& on_update) {
  long diverged = -1;
  run_fixed2d_lanes<1>(
      &kernel, optimizer, function, &theta, steps, &noise, bound, &diverged, 1,
      [&](int, double f0) { on_start(f0); },
      [&](int, long t, const Eigen::Vector2d& x, double f, double gamma) {
        on_update(t, x, f, gamma);
      });
  return diverged;
}

}  // namespace optim
