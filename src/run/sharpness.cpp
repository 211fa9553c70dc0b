// SPDX-License-Identifier: MIT
// Endpoint measures: losses, gap, Hessian eigenvalues, epsilon-sharpness.
#include "run/sharpness.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "run/config.hpp"

namespace optim {

namespace {

class Translated : public Function2D {
 public:
  Translated(std::unique_ptr<Function2D> base, double dx, double dy)
      : base_(std::move(base)), dx_(dx), dy_(dy) {}
  double value(double x, double y) const override {
    return base_->value(x - dx_, y - dy_);
  }
  Eigen::Vector2d gradient(double x, double y) const override {
    return base_->gradient(x - dx_, y - dy_);
  }
  Eigen::Matrix2d hessian(double x, double y) const override {
    return base_->hessian(x - dx_, y - dy_);
  }
  Box domain() const override {
    const Box b = base_->domain();
    return {b.xmin + dx_, b.xmax + dx_, b.ymin + dy_, b.ymax + dy_};
  }
  Eigen::Vector2d start() const override {
    return base_->start() + Eigen::Vector2d(dx_, dy_);
  }
  std::vector<Minimum> minima() const override {
    std::vector<Minimum> m = base_->minima();
    for (Minimum& p : m) {
      p.x += dx_;
      p.y += dy_;
    }
    return m;
  }

 private:
  std::unique_ptr<Function2D> base_;
  double dx_, dy_;
};

// z clipped to the box |z_i| <= r_i.
Eigen::Vector2d clip(const Eigen::Vector2d& z, const Eigen::Vector2d& r) {
  return z.cwiseMax(-r).cwiseMin(r);
}

Eigen::Vector2d finite_pair(const json& j, const std::string& field) {
  if (!j.is_array() || j.size() != 2 || !j[0].is_number() ||
      !j[1].is_number() || !std::isfinite(j[0].get<double>()) ||
      !std::isfinite(j[1].get<double>())) {
    throw ConfigError(
        field, describe_json(j) + " is not a pair [x, y] of finite numbers");
  }
  return {j[0].get<double>(), j[1].get<double>()};
}

json number_or_null(double v) { return std::isfinite(v) ? json(v) : json(); }

}  // namespace

Eigen::Vector2d symmetric_eigenvalues(double a, double b, double c) {
  const double mean = 0.5 * a + 0.5 * c;
  const double radius = std::hypot(0.5 * a - 0.5 * c, b);
  // The eigenvalue of larger magnitude: mean and radius have the same sign.
  const double big = mean >= 0.0 ? mean + radius : mean - radius;
  // det = a c - b^2 with the rounding error of b^2 added back (Kahan).
  const double bb = b * b;
  const double det = std::fma(a, c, -bb) + std::fma(-b, b, bb);
  const double small = big != 0.0 ? det / big : 0.0;
  return {std::min(big, small), std::max(big, small)};
}

std::unique_ptr<Function2D> translated(std::unique_ptr<Function2D> base,
                                       double dx, double dy) {
  return std::make_unique<Translated>(std::move(base), dx, dy);
}

double max_in_box(const Function2D& f, double x, double y, double epsilon) {
  const Eigen::Vector2d p(x, y);
  const Eigen::Vector2d r(epsilon * (std::fabs(x) + 1.0),
                          epsilon * (std::fabs(y) + 1.0));
  const auto value = [&](const Eigen::Vector2d& z) {
    return f.value(x + z.x(), y + z.y());
  };

  constexpr int kGrid = 33;
  std::vector<std::pair<double, Eigen::Vector2d>> grid;
  grid.reserve(kGrid * kGrid);
  for (int i = 0; i < kGrid; ++i) {
    for (int j = 0; j < kGrid; ++j) {
      // Ends exactly on the boundary: -r + 2r k/32 at k = 32 is r.
      const Eigen::Vector2d z(
          i == kGrid - 1 ? r.x() : -r.x() + 2.0 * r.x() * i / (kGrid - 1),
          j == kGrid - 1 ? r.y() : -r.y() + 2.0 * r.y() * j / (kGrid - 1));
      const double v = value(z);
      if (std::isfinite(v)) grid.emplace_back(v, z);
    }
  }
  if (grid.empty()) return std::numeric_limits<double>::quiet_NaN();
  const std::size_t starts = std::min<std::size_t>(4, grid.size());
  std::partial_sort(
      grid.begin(), grid.begin() + static_cast<std::ptrdiff_t>(starts),
      grid.end(),
      [](const auto& a, const auto& b) { return a.first > b.first; });

  double best = grid.front().first;
  for (std::size_t s = 0; s < starts; ++s) {
    Eigen::Vector2d z = grid[s].second;
    double v = grid[s].first;
    double t = -1.0;  // step length; set from the first gradient
    for (int it = 0; it < 100; ++it) {
      const Eigen::Vector2d g = f.gradient((p + z).x(), (p + z).y());
      const double gn = g.norm();
      if (!(gn > 0.0) || !std::isfinite(gn)) break;
      if (t < 0.0) t = r.maxCoeff() / gn;
      bool moved = false;
      for (int k = 0; k < 60; ++k, t *= 0.5) {
        const Eigen::Vector2d next = clip(z + t * g, r);
        if (next == z) break;  // pushing against the box: a KKT point
        const double nv = value(next);
        if (nv > v) {
          z = next;
          v = nv;
          moved = true;
          break;
        }
      }
      if (!moved) break;
      t *= 2.0;  // let the step grow again after a success
    }
    best = std::max(best, v);
  }
  return best;
}

double epsilon_sharpness(const Function2D& f, double x, double y,
                         double epsilon) {
  const double fx = f.value(x, y);
  if (!(1.0 + fx > 0.0)) return std::numeric_limits<double>::quiet_NaN();
  return 100.0 * (max_in_box(f, x, y, epsilon) - fx) / (1.0 + fx);
}

EndpointMetrics endpoint_metrics(const Function2D& train,
                                 const Function2D& test, double x, double y,
                                 double epsilon) {
  EndpointMetrics m{};
  m.train_loss = train.value(x, y);
  m.test_loss = test.value(x, y);
  m.gap = m.test_loss - m.train_loss;
  const Eigen::Matrix2d h = train.hessian(x, y);
  const Eigen::Vector2d e = symmetric_eigenvalues(h(0, 0), h(0, 1), h(1, 1));
  m.eigen_min = e(0);
  m.eigen_max = e(1);
  m.epsilon_sharpness = epsilon_sharpness(train, x, y, epsilon);
  return m;
}

json endpoint_metrics_json(const json& config) {
  if (!config.is_object()) {
    throw ConfigError("", "the configuration must be a JSON object, got " +
                              describe_json(config));
  }
  for (const auto& [key, value] : config.items()) {
    static_cast<void>(value);
    if (key != "function" && key != "test_offset" && key != "point" &&
        key != "epsilon") {
      throw ConfigError(key, "unknown key '" + key +
                                 "' in the configuration (expected function, "
                                 "test_offset, point, epsilon)");
    }
  }
  if (!config.contains("function")) {
    throw ConfigError("function", "is required");
  }
  json function;
  try {
    function = normalize_function(config["function"]);
  } catch (const ConfigError& e) {
    throw e.within("function");
  }
  if (!config.contains("point")) throw ConfigError("point", "is required");
  const Eigen::Vector2d point = finite_pair(config["point"], "point");
  const Eigen::Vector2d offset =
      config.contains("test_offset")
          ? finite_pair(config["test_offset"], "test_offset")
          : Eigen::Vector2d::Zero();
  double epsilon = 1e-3;
  if (config.contains("epsilon")) {
    const json& e = config["epsilon"];
    if (!e.is_number() || !(e.get<double>() > 0.0) ||
        !(e.get<double>() <= 1.0)) {
      throw ConfigError("epsilon",
                        describe_json(e) + " is not a number in (0, 1]");
    }
    epsilon = e.get<double>();
  }
  const auto train = make_function(function["name"], function["params"]);
  const auto test =
      translated(make_function(function["name"], function["params"]),
                 offset.x(), offset.y());
  const EndpointMetrics m =
      endpoint_metrics(*train, *test, point.x(), point.y(), epsilon);
  return {{"train_loss", number_or_null(m.train_loss)},
          {"test_loss", number_or_null(m.test_loss)},
          {"gap", number_or_null(m.gap)},
          {"hessian_eigenvalues",
           {number_or_null(m.eigen_min), number_or_null(m.eigen_max)}},
          {"epsilon_sharpness", number_or_null(m.epsilon_sharpness)}};
}

}  // namespace optim
