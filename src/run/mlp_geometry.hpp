// SPDX-License-Identifier: MIT
// The shape of the tiny network's loss around a solution: epsilon-sharpness
// (Keskar et al. 2017) and 1-D loss slices, along a filter-normalized random
// direction (Li et al. 2018) or along the line between two solutions
// (Goodfellow et al. 2015).
#pragma once

#include <cstdint>
#include <vector>

#include "core/types.hpp"
#include "problems/datasets.hpp"
#include "problems/mlp.hpp"

namespace optim {

// Keskar et al. 2017, Metric 2.1 with A = I, in percent:
//   100 (max_{z in C} f(x + z) - f(x)) / (1 + f(x)),
//   C = {z : |z_i| <= epsilon (|x_i| + 1)},
// f the mean loss over `data`. Keskar et al. maximize with L-BFGS-B; here it
// is projected sign-gradient ascent with step halving, from z = 0 and from
// two seeded random corners of C, 40 iterations each, keeping the best point.
// Any ascent method finds a lower bound of the true maximum; this one never
// reports a value below 0. epsilon must be in (0, 1].
double mlp_epsilon_sharpness(const Mlp& mlp, const Vec& params,
                             const Dataset& data, double epsilon,
                             std::uint64_t seed);

// A seeded normal direction of the size of `params`, filter-normalized as in
// Li et al. 2018: for every neuron, its incoming weights (a row of W_l) are
// scaled to the norm of the same row of `params`; bias entries are 0.
Vec filter_normalized_direction(const Mlp& mlp, const Vec& params,
                                std::uint64_t seed);

struct LossSlice {
  std::vector<double> alphas;  // `points` values evenly from `from` to `to`
  std::vector<double> train;   // mean loss at origin + alpha * direction
  std::vector<double> test;    // the same on the test set; NaN if it is empty
};

// Loss at origin + alpha * direction on both sets; points in [2, 1001],
// from < to, both finite (std::invalid_argument otherwise).
LossSlice loss_slice(const Mlp& mlp, const Vec& origin, const Vec& direction,
                     const Dataset& train, const Dataset& test, double from,
                     double to, int points);

// Loss at (1 - alpha) a + alpha b (Goodfellow et al. 2015): alpha = 0 is
// exactly a and alpha = 1 exactly b. The same checks as loss_slice.
LossSlice line_slice(const Mlp& mlp, const Vec& a, const Vec& b,
                     const Dataset& train, const Dataset& test, double from,
                     double to, int points);

}  // namespace optim
