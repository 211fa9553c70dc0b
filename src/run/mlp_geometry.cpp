// SPDX-License-Identifier: MIT
#include "run/mlp_geometry.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include "core/params.hpp"
#include "core/rng.hpp"

namespace optim {

namespace {

// Projected sign-gradient ascent of f(x + z) over the box |z_i| <= r_i from
// z0: a step moves every coordinate by eta r_i in the direction of its
// partial derivative and clips to the box; a step that does not increase the
// loss is not taken and halves eta. Returns the largest loss seen.
double ascend_in_box(const Mlp& mlp, const Vec& x, const Dataset& data,
                     const Vec& r, Vec z) {
  constexpr int kIterations = 40;
  constexpr double kMinEta = 1.0 / 1024.0;
  Vec point = x + z;
  Vec grad(x.size()), candidate_grad(x.size());
  double best = mlp.loss_and_gradient(point, data, grad);
  double eta = 1.0;
  for (int it = 0; it < kIterations && eta >= kMinEta; ++it) {
    const Vec candidate = (z.array() + eta * r.array() * grad.array().sign())
                              .cwiseMax(-r.array())
                              .cwiseMin(r.array())
                              .matrix();
    point = x + candidate;
    const double value = mlp.loss_and_gradient(point, data, candidate_grad);
    if (value > best) {
      best = value;
      z = candidate;
      grad.swap(candidate_grad);
    } else {
      eta *= 0.5;
    }
  }
  return best;
}

}  // namespace

double mlp_epsilon_sharpness(const Mlp& mlp, const Vec& params,
                             const Dataset& data, double epsilon,
                             std::uint64_t seed) {
  if (!(epsilon > 0.0 && epsilon <= 1.0)) {
    throw std::invalid_argument("epsilon = " + format_number(epsilon) +
                                " is outside the valid range (0, 1]");
  }
  if (data.size() == 0) {
    throw std::invalid_argument("epsilon-sharpness needs a non-empty dataset");
  }
  const double f0 = mlp.loss(params, data);
  const Vec r = epsilon * (params.array().abs() + 1.0).matrix();
  double best = std::max(
      f0, ascend_in_box(mlp, params, data, r, Vec::Zero(params.size())));
  Rng rng(seed);
  for (int start = 0; start < 2; ++start) {
    Vec corner(params.size());
    for (Eigen::Index i = 0; i < corner.size(); ++i) {
      corner(i) = rng.uniform() < 0.5 ? -r(i) : r(i);
    }
    best = std::max(best, ascend_in_box(mlp, params, data, r, corner));
  }
  return 100.0 * (best - f0) / (1.0 + f0);
}

Vec filter_normalized_direction(const Mlp& mlp, const Vec& params,
                                std::uint64_t seed) {
  if (params.size() != mlp.num_params()) {
    throw std::invalid_argument("params have " + std::to_string(params.size()) +
                                " entries, the network has " +
                                std::to_string(mlp.num_params()));
  }
  Rng rng(seed);
  Vec d = Vec::Zero(params.size());
  for (Eigen::Index k = 0; k < d.size(); ++k) d(k) = rng.normal();
  const auto& sizes = mlp.sizes();
  for (std::size_t l = 1; l < sizes.size(); ++l) {
    const int layer = static_cast<int>(l);
    const Eigen::Index rows = sizes[l], cols = sizes[l - 1];
    const Eigen::Index at = mlp.offset(layer);
    // W_l is column-major: row i is a stride-`rows` view.
    using Row = Eigen::Map<Vec, 0, Eigen::InnerStride<>>;
    using ConstRow = Eigen::Map<const Vec, 0, Eigen::InnerStride<>>;
    for (Eigen::Index i = 0; i < rows; ++i) {
      Row dir(d.data() + at + i, cols, Eigen::InnerStride<>(rows));
      ConstRow weights(params.data() + at + i, cols,
                       Eigen::InnerStride<>(rows));
      const double norm = dir.norm();
      if (norm > 0.0) dir *= weights.norm() / norm;
    }
    d.segment(at + rows * cols, rows).setZero();  // biases
  }
  return d;
}

namespace {

void check_slice_args(const Mlp& mlp, const Vec& a, const Vec& b, double from,
                      double to, int points) {
  if (points < 2 || points > 1001) {
    throw std::invalid_argument("points = " + std::to_string(points) +
                                " is outside [2, 1001]");
  }
  if (!(std::isfinite(from) && std::isfinite(to) && from < to)) {
    throw std::invalid_argument("a slice needs finite from < to");
  }
  if (a.size() != mlp.num_params() || b.size() != mlp.num_params()) {
    throw std::invalid_argument("a slice's parameter vectors must have " +
                                std::to_string(mlp.num_params()) +
                                " entries, as the network has");
  }
}

// The losses at point_at(alpha) for `points` alphas from `from` to `to`
// (the first exactly `from`, the last exactly `to`).
template <typename PointAt>
LossSlice slice_along(const Mlp& mlp, const Dataset& train, const Dataset& test,
                      double from, double to, int points, PointAt point_at) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  LossSlice slice;
  Vec point;
  for (int k = 0; k < points; ++k) {
    const double alpha =
        k == points - 1 ? to : from + (to - from) * k / (points - 1);
    point_at(alpha, point);
    slice.alphas.push_back(alpha);
    slice.train.push_back(train.size() > 0 ? mlp.loss(point, train) : nan);
    slice.test.push_back(test.size() > 0 ? mlp.loss(point, test) : nan);
  }
  return slice;
}

}  // namespace

LossSlice loss_slice(const Mlp& mlp, const Vec& origin, const Vec& direction,
                     const Dataset& train, const Dataset& test, double from,
                     double to, int points) {
  check_slice_args(mlp, origin, direction, from, to, points);
  return slice_along(
      mlp, train, test, from, to, points,
      [&](double alpha, Vec& point) { point = origin + alpha * direction; });
}

LossSlice line_slice(const Mlp& mlp, const Vec& a, const Vec& b,
                     const Dataset& train, const Dataset& test, double from,
                     double to, int points) {
  check_slice_args(mlp, a, b, from, to, points);
  return slice_along(
      mlp, train, test, from, to, points,
      [&](double alpha, Vec& point) { point = (1.0 - alpha) * a + alpha * b; });
}

}  // namespace optim
