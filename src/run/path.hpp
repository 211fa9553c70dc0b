// SPDX-License-Identifier: MIT
// Whole optimizer runs on a 2-D function, and landscape grids.
#pragma once

#include <cmath>
#include <string>
#include <vector>

#include "core/rng.hpp"
#include "optim/optimizers.hpp"
#include "run/config.hpp"

namespace optim {

// A named per-step series of internal state; width is the parameter
// dimension (per-coordinate state) or 1 (scalars). values[(t-1)*width + i] is
// coordinate i after update t.
struct Series {
  std::string name;
  int width = 1;
  std::vector<double> values;
};

struct RunResult {
  int dim = 2;
  long steps = 0;  // updates completed and recorded
  // (steps + 1) * dim, row 0 the start; trajectory and loss are empty when
  // the start itself is unusable (diverged_at 0).
  std::vector<double> trajectory;
  std::vector<double> loss;   // steps + 1: f at each iterate
  std::vector<double> lr;     // steps: learning rate of update t
  std::vector<Series> state;  // in the order the optimizer reports them
  // Divergence is a result: the update that produced a non-finite or
  // out-of-bound iterate (or a non-finite loss) is not recorded; diverged_at
  // is its number t (0 when the start itself is unusable).
  bool diverged = false;
  long diverged_at = -1;
  std::string divergence_reason;
};

// Which update loop run_path takes. Both give the same numbers bit for bit;
// `general` (the Chain of transforms) exists for the tests that check it.
enum class PathEngine {
  automatic,  // the fixed-size 2-D loop when the method has one (fixed2d)
  general,
};

// What run_path records besides trajectory, loss and lr.
enum class Recording {
  all,   // every state series the optimizer reports (the page's charts)
  path,  // no state series: less to record and to copy out of wasm
};

RunResult run_path(const RunConfig& config,
                   PathEngine engine = PathEngine::automatic,
                   Recording recording = Recording::all);

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
                 const Function2D& function, double theta[2], long steps,
                 const NoiseSpec& noise, double bound, OnStart&& on_start,
                 OnUpdate&& on_update) {
  // NaN and infinity fail the comparison.
  const auto bounded = [&] {
    return std::abs(theta[0]) <= bound && std::abs(theta[1]) <= bound;
  };
  double g[2];
  double f = function.value_gradient(theta[0], theta[1], g);
  if (!bounded() || !std::isfinite(f)) return 0;
  on_start(f);
  kernel.reset();
  Rng rng(noise.seed);
  const bool noisy = noise.level > 0.0;
  const bool shifts = kernel.shifts_gradient();
  for (long t = 1; t <= steps; ++t) {
    const double gamma = optimizer.learning_rate(t);
    if (shifts) {
      double point[2];
      kernel.gradient_point(theta, point);
      const Eigen::Vector2d at_point = function.gradient(point[0], point[1]);
      g[0] = at_point[0];
      g[1] = at_point[1];
    }
    if (noisy) {
      g[0] += noise.level * rng.normal();
      g[1] += noise.level * rng.normal();
    }
    kernel.step(theta, g, t, gamma);
    if (!bounded()) return t;
    f = shifts ? function.value(theta[0], theta[1])
               : function.value_gradient(theta[0], theta[1], g);
    if (!std::isfinite(f)) return t;
    on_update(t, theta, f, gamma);
  }
  return -1;
}

// Values f(x_i, y_j) with x_i = xmin + i (xmax - xmin)/(W-1) and
// y_j = ymax - j (ymax - ymin)/(H-1): row 0 is the top edge (image order).
// values[j * W + i]; non-finite values stay as they are.
std::vector<float> evaluate_grid(const GridConfig& config);

// The result as JSON: {"steps", "trajectory": [[x, y], ...], "f": [...],
// "lr": [...], "state": {name: [[...], ...] or [...]}, "diverged",
// "diverged_at", "divergence_reason"}.
json to_json(const RunResult& result);

}  // namespace optim
