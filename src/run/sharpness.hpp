// SPDX-License-Identifier: MIT
// Measures at the end of a run: train and test loss, the generalization gap,
// the Hessian's eigenvalues and epsilon-sharpness (Keskar et al. 2017).
#pragma once

#include <Eigen/Core>
#include <memory>

#include "core/params.hpp"
#include "problems/functions2d.hpp"

namespace optim {

struct EndpointMetrics {
  double train_loss, test_loss, gap;  // gap = test_loss - train_loss
  double eigen_min, eigen_max;        // of the train surface's Hessian
  // Keskar et al. 2017, Metric 2.1 with A = I, in percent. NaN where it is
  // undefined, i.e. where 1 + train_loss <= 0 (the metric assumes a loss >= 0;
  // surfaces that go below -1, such as twin_basin, have no meaningful value
  // there).
  double epsilon_sharpness;
};

// The eigenvalues (min, max) of the symmetric 2 x 2 matrix [[a, b], [b, c]]
// in closed form: the larger in magnitude as mean +- hypot without
// cancellation, the other as det / that one, with the determinant's
// difference of products computed exactly by fma (Kahan).
Eigen::Vector2d symmetric_eigenvalues(double a, double b, double c);

// A translated copy of any function: value(x, y) = base.value(x - dx, y - dy);
// domain, start and minima move with it.
std::unique_ptr<Function2D> translated(std::unique_ptr<Function2D> base,
                                       double dx, double dy);

// max_{z in C} f(x + z), C = {|z_i| <= epsilon (|x_i| + 1)}: a 33 x 33 grid
// over C (boundary included), then projected gradient ascent with
// backtracking from the 4 best grid points, 100 iterations each.
double max_in_box(const Function2D& f, double x, double y, double epsilon);

// 100 (max_{z in C} f(x + z) - f(x)) / (1 + f(x)).
double epsilon_sharpness(const Function2D& f, double x, double y,
                         double epsilon);

EndpointMetrics endpoint_metrics(const Function2D& train,
                                 const Function2D& test, double x, double y,
                                 double epsilon);

// {"function": FUNCTION, "test_offset": [dx, dy] (default [0, 0]; the test
//  surface is the train function at (x - dx, y - dy)), "point": [x, y]
//  (required), "epsilon": number in (0, 1] (default 1e-3)}. Unknown keys are
// errors; ConfigError names the field. Returns {"train_loss", "test_loss",
// "gap", "hessian_eigenvalues": [min, max], "epsilon_sharpness"} (null where
// undefined).
json endpoint_metrics_json(const json& config);

}  // namespace optim
