// SPDX-License-Identifier: MIT
// Tests of the twin-basin surface and of the endpoint measures: Hessian
// eigenvalues, epsilon-sharpness, train/test gap and their JSON entry point.
#include <doctest/doctest.h>

#include <Eigen/Eigenvalues>
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <string>

#include "problems/functions2d.hpp"
#include "run/sharpness.hpp"

namespace {

using optim::ConfigError;
using optim::Function2D;
using optim::json;

// The twin-basin Hessian written out again, independently of the class:
// sum over wells of (D G / w^2)(I - p p^T / w^2) plus c I.
Eigen::Matrix2d twin_hessian(double x, double y, double distance, double ws,
                             double wf, double ds, double df, double c) {
  Eigen::Matrix2d h = c * Eigen::Matrix2d::Identity();
  const double centres[2] = {-0.5 * distance, 0.5 * distance};
  const double widths[2] = {ws, wf}, depths[2] = {ds, df};
  for (int k = 0; k < 2; ++k) {
    const Eigen::Vector2d p(x - centres[k], y);
    const double w2 = widths[k] * widths[k];
    const double g = std::exp(-p.squaredNorm() / (2.0 * w2));
    h += depths[k] * g / w2 *
         (Eigen::Matrix2d::Identity() - p * p.transpose() / w2);
  }
  return h;
}

Eigen::Matrix2d fd_hessian(const Function2D& f, double x, double y) {
  const double h = 1e-6;
  Eigen::Matrix2d m;
  m.col(0) = (f.gradient(x + h, y) - f.gradient(x - h, y)) / (2.0 * h);
  m.col(1) = (f.gradient(x, y + h) - f.gradient(x, y - h)) / (2.0 * h);
  return m;
}

Eigen::Vector2d eigenvalues(const Eigen::Matrix2d& h) {
  return optim::symmetric_eigenvalues(h(0, 0), h(0, 1), h(1, 1));
}

double uniform(std::mt19937_64& rng, double lo, double hi) {
  return lo + (hi - lo) * static_cast<double>(rng() >> 11) * 0x1p-53;
}

template <class F>
ConfigError config_error(F&& f) {
  try {
    f();
  } catch (const ConfigError& e) {
    return e;
  }
  FAIL("no ConfigError thrown");
  return ConfigError("", "");
}

}  // namespace

TEST_CASE("twin_basin: two minima, sharp first, found by Newton") {
  const auto f = optim::make_function("twin_basin", nullptr);
  const auto minima = f->minima();
  REQUIRE(minima.size() == 2);
  CHECK(minima[0].x < 0.0);  // sharp, left
  CHECK(minima[1].x > 0.0);  // flat, right
  for (const optim::Minimum& m : minima) {
    INFO("minimum (" << m.x << ", " << m.y << ")");
    CHECK(f->gradient(m.x, m.y).norm() < 1e-12);
    CHECK(m.y == 0.0);
    CHECK(f->value(m.x, m.y) == m.f);
    // Close to the centres, pulled slightly inwards by the confinement.
    CHECK(std::fabs(std::fabs(m.x) - 2.0) < 0.1);
    CHECK(std::fabs(m.x) < 2.0);
  }
}

TEST_CASE("twin_basin: Hessian at each minimum matches its analytic value") {
  struct P {
    double distance, ws, wf, ds, df, c;
  };
  for (const P& p :
       {P{4.0, 0.3, 1.2, 1.0, 1.0, 0.02}, P{3.0, 0.5, 0.8, 2.0, 0.5, 0.1},
        P{6.0, 0.2, 2.0, 1.0, 1.5, 0.0}}) {
    const json params = {{"distance", p.distance}, {"sharp_width", p.ws},
                         {"flat_width", p.wf},     {"sharp_depth", p.ds},
                         {"flat_depth", p.df},     {"confinement", p.c}};
    const auto f = optim::make_function("twin_basin", params);
    for (const optim::Minimum& m : f->minima()) {
      INFO(params.dump() << " minimum (" << m.x << ", " << m.y << ")");
      const Eigen::Matrix2d h = f->hessian(m.x, m.y);
      const Eigen::Matrix2d exact =
          twin_hessian(m.x, m.y, p.distance, p.ws, p.wf, p.ds, p.df, p.c);
      CHECK((h - exact).cwiseAbs().maxCoeff() <= 1e-12 * exact.norm());
      CHECK((h - fd_hessian(*f, m.x, m.y)).cwiseAbs().maxCoeff() <=
            1e-6 * std::max(1.0, h.norm()));
      CHECK(eigenvalues(h)(0) > 0.0);
    }
  }
}

TEST_CASE("twin_basin: well separated minima have curvature depth / width^2") {
  // Without confinement the wells' centres are the minima (up to the far
  // well's tail, below 1e-300 here): curvature D / w^2 in every direction.
  const json separated = {{"distance", 20.0}, {"confinement", 0.0}};
  auto f = optim::make_function("twin_basin", separated);
  REQUIRE(f->minima().size() == 2);
  Eigen::Vector2d e =
      eigenvalues(f->hessian(f->minima()[0].x, f->minima()[0].y));
  CHECK(e(0) == doctest::Approx(1.0 / 0.09).epsilon(1e-12));
  CHECK(e(1) == doctest::Approx(1.0 / 0.09).epsilon(1e-12));
  e = eigenvalues(f->hessian(f->minima()[1].x, f->minima()[1].y));
  CHECK(e(0) == doctest::Approx(1.0 / 1.44).epsilon(1e-12));
  CHECK(e(1) == doctest::Approx(1.0 / 1.44).epsilon(1e-12));

  // With the default confinement: D / w^2 + c, to within the small pull of
  // the bowl on the minimum (relative shift c |centre| w^2 / D).
  f = optim::make_function("twin_basin", {{"distance", 20.0}});
  e = eigenvalues(f->hessian(f->minima()[0].x, f->minima()[0].y));
  CHECK(e(1) == doctest::Approx(1.0 / 0.09 + 0.02).epsilon(5e-3));
  CHECK(e(0) == doctest::Approx(1.0 / 0.09 + 0.02).epsilon(5e-3));
  e = eigenvalues(f->hessian(f->minima()[1].x, f->minima()[1].y));
  CHECK(e(1) == doctest::Approx(1.0 / 1.44 + 0.02).epsilon(5e-2));
  CHECK(e(0) == doctest::Approx(1.0 / 1.44 + 0.02).epsilon(5e-2));
}

TEST_CASE("twin_basin: derivatives match differences for shifted parameters") {
  const json params = {{"distance", 1.5},   {"sharp_width", 0.4},
                       {"flat_width", 0.9}, {"sharp_depth", 1.7},
                       {"shift_x", -0.8},   {"shift_y", 1.1}};
  const auto f = optim::make_function("twin_basin", params);
  const optim::Box d = f->domain();
  for (double fx : {0.1, 0.33, 0.47, 0.61, 0.9}) {
    for (double fy : {0.15, 0.4, 0.55, 0.8}) {
      const double x = d.xmin + fx * (d.xmax - d.xmin);
      const double y = d.ymin + fy * (d.ymax - d.ymin);
      const double h = 1e-6;
      const Eigen::Vector2d fd(
          (f->value(x + h, y) - f->value(x - h, y)) / (2.0 * h),
          (f->value(x, y + h) - f->value(x, y - h)) / (2.0 * h));
      CHECK((f->gradient(x, y) - fd).norm() <= 1e-7);
      CHECK((f->hessian(x, y) - fd_hessian(*f, x, y)).cwiseAbs().maxCoeff() <=
            1e-6);
    }
  }
  for (const optim::Minimum& m : f->minima()) {
    CHECK(f->gradient(m.x, m.y).norm() < 1e-12);
  }
}

TEST_CASE("twin_basin: the shift translates the surface exactly") {
  // Shifts and points that are multiples of 1/8: (x + s) - s == x exactly.
  const auto f = optim::make_function("twin_basin", nullptr);
  const auto g = optim::make_function("twin_basin",
                                      {{"shift_x", 0.75}, {"shift_y", -1.25}});
  const auto t = optim::translated(optim::make_function("twin_basin", nullptr),
                                   0.75, -1.25);
  for (double x : {-3.5, -2.0, -0.125, 0.0, 1.875, 4.25}) {
    for (double y : {-2.5, 0.0, 0.375, 3.0}) {
      CHECK(g->value(x + 0.75, y - 1.25) == f->value(x, y));
      CHECK(g->gradient(x + 0.75, y - 1.25) == f->gradient(x, y));
      CHECK(g->hessian(x + 0.75, y - 1.25) == f->hessian(x, y));
      CHECK(t->value(x + 0.75, y - 1.25) == f->value(x, y));
      CHECK(t->gradient(x + 0.75, y - 1.25) == f->gradient(x, y));
    }
  }
  REQUIRE(g->minima().size() == 2);
  for (int k = 0; k < 2; ++k) {
    CHECK(g->minima()[k].x == f->minima()[k].x + 0.75);
    CHECK(g->minima()[k].y == f->minima()[k].y - 1.25);
    CHECK(g->minima()[k].f == f->minima()[k].f);
    CHECK(t->minima()[k].x == f->minima()[k].x + 0.75);
  }
  CHECK(g->start() == f->start() + Eigen::Vector2d(0.75, -1.25));
  CHECK(t->domain().xmin == g->domain().xmin);
  // The translation wrapper works for any function.
  const auto r = optim::translated(optim::make_function("rosenbrock", nullptr),
                                   -0.5, 0.25);
  CHECK(r->value(0.5, 1.25) == 0.0);
  CHECK(r->minima()[0].x == 0.5);
}

TEST_CASE("sharp minimum: larger eigenvalues and epsilon-sharpness") {
  const auto f = optim::make_function("twin_basin", nullptr);
  const optim::Minimum s = f->minima()[0], fl = f->minima()[1];
  for (double eps : {1e-3, 1e-2, 0.1}) {
    INFO("epsilon " << eps);
    const auto ms = optim::endpoint_metrics(*f, *f, s.x, s.y, eps);
    const auto mf = optim::endpoint_metrics(*f, *f, fl.x, fl.y, eps);
    CHECK(ms.eigen_min > mf.eigen_max);
    CHECK(ms.epsilon_sharpness > mf.epsilon_sharpness);
    CHECK(mf.epsilon_sharpness > 0.0);
    // Second order: about 100 lambda r^2 / (1 + f) per direction at the
    // corner, r = eps (|x| + 1) and eps.
    const double rx = eps * (std::fabs(s.x) + 1.0), ry = eps;
    const double quad = 100.0 * 0.5 *
                        (ms.eigen_max * rx * rx + ms.eigen_min * ry * ry) /
                        (1.0 + s.f);
    if (eps == 1e-3) {
      CHECK(ms.epsilon_sharpness == doctest::Approx(quad).epsilon(1e-2));
    }
  }
}

TEST_CASE("eigenvalues in closed form match Eigen's solver") {
  std::mt19937_64 rng(20170915);
  for (int i = 0; i < 2000; ++i) {
    const double scale = std::pow(10.0, uniform(rng, -6.0, 6.0));
    double a = scale * uniform(rng, -1.0, 1.0);
    double b = scale * uniform(rng, -1.0, 1.0);
    double c = scale * uniform(rng, -1.0, 1.0);
    if (i % 4 == 1) {  // nearly equal eigenvalues
      c = a * (1.0 + 1e-9 * uniform(rng, -1.0, 1.0));
      b = scale * 1e-10 * uniform(rng, -1.0, 1.0);
    } else if (i % 4 == 2) {  // nearly singular: one eigenvalue ~1e-12 |H|
      const double t = uniform(rng, 0.0, 6.3);
      const double big = scale * uniform(rng, -1.0, 1.0);
      const double small = big * 1e-12;
      const double cs = std::cos(t), sn = std::sin(t);
      a = big * cs * cs + small * sn * sn;
      b = (big - small) * cs * sn;
      c = big * sn * sn + small * cs * cs;
    } else if (i % 4 == 3) {  // diagonal
      b = 0.0;
    }
    Eigen::Matrix2d h;
    h << a, b, b, c;
    const Eigen::Vector2d mine = eigenvalues(h);
    const Eigen::Vector2d ref =
        Eigen::SelfAdjointEigenSolver<Eigen::Matrix2d>(h).eigenvalues();
    INFO(a << " " << b << " " << c);
    CHECK(mine(0) <= mine(1));
    CHECK(std::fabs(mine(0) - ref(0)) <= 1e-14 * h.norm());
    CHECK(std::fabs(mine(1) - ref(1)) <= 1e-14 * h.norm());
    // The closed form keeps relative accuracy in the determinant's product.
    const double det = a * c - b * b;
    if (std::fabs(det) > 1e-6 * h.squaredNorm()) {
      CHECK(mine(0) * mine(1) == doctest::Approx(det).epsilon(1e-12));
    }
  }
  CHECK(optim::symmetric_eigenvalues(0.0, 0.0, 0.0) == Eigen::Vector2d(0, 0));
  CHECK(optim::symmetric_eigenvalues(2.0, 0.0, -3.0) ==
        Eigen::Vector2d(-3.0, 2.0));
  CHECK(optim::symmetric_eigenvalues(1.0, 1.0, 1.0) ==
        Eigen::Vector2d(0.0, 2.0));
}

TEST_CASE("epsilon-sharpness of the quadratic bowl") {
  for (const auto& [a, b] :
       {std::pair{1.0, 10.0}, std::pair{0.5, 30.0}, std::pair{3.0, 0.2}}) {
    const auto f = optim::make_function("quadratic", {{"a", a}, {"b", b}});
    for (double eps : {1e-3, 0.05, 1.0}) {
      INFO("a " << a << " b " << b << " eps " << eps);
      // At the origin f = 0 and the box is [-eps, eps]^2: the maximum is at
      // a corner, (a + b) eps^2 / 2.
      CHECK(optim::epsilon_sharpness(*f, 0.0, 0.0, eps) ==
            doctest::Approx(100.0 * (a + b) * eps * eps / 2.0).epsilon(1e-14));
      // At (x, y): the corner away from the origin, |x| + r_x and |y| + r_y.
      const double x = -1.5, y = 0.25;
      const double rx = eps * (std::fabs(x) + 1.0);
      const double ry = eps * (std::fabs(y) + 1.0);
      const double fx = 0.5 * (a * x * x + b * y * y);
      const double top = 0.5 * (a * (std::fabs(x) + rx) * (std::fabs(x) + rx) +
                                b * (std::fabs(y) + ry) * (std::fabs(y) + ry));
      CHECK(optim::epsilon_sharpness(*f, x, y, eps) ==
            doctest::Approx(100.0 * (top - fx) / (1.0 + fx)).epsilon(1e-13));
    }
  }
}

TEST_CASE("epsilon-sharpness finds an interior maximum by gradient ascent") {
  // f = -(x - 0.0123)^2 - (y + 0.0071)^2 at the origin: the maximum lies
  // strictly inside the box, between grid points; ascent reaches it.
  const auto f = optim::make_function(
      "custom", {{"expression", "-(x - 0.0123)^2 - (y + 0.0071)^2"}});
  const double f0 = f->value(0.0, 0.0);
  const double s = optim::epsilon_sharpness(*f, 0.0, 0.0, 0.05);
  CHECK(s == doctest::Approx(100.0 * (0.0 - f0) / (1.0 + f0)).epsilon(1e-9));
  CHECK(optim::max_in_box(*f, 0.0, 0.0, 0.05) > -1e-18);
}

TEST_CASE("gap: zero without offset, positive for a shifted sharp minimum") {
  const json fn = {{"name", "twin_basin"}};
  const auto f = optim::make_function("twin_basin", nullptr);
  const optim::Minimum s = f->minima()[0], fl = f->minima()[1];
  json r =
      optim::endpoint_metrics_json({{"function", fn}, {"point", {s.x, s.y}}});
  CHECK(r["gap"] == 0.0);
  CHECK(r["train_loss"] == r["test_loss"]);
  CHECK(r["train_loss"].get<double>() == s.f);
  REQUIRE(r["hessian_eigenvalues"].size() == 2);
  CHECK(r["hessian_eigenvalues"][0].get<double>() <=
        r["hessian_eigenvalues"][1].get<double>());
  CHECK(r["epsilon_sharpness"].get<double>() > 0.0);

  const json offset = {0.5, 0.0};
  r = optim::endpoint_metrics_json(
      {{"function", fn}, {"point", {s.x, s.y}}, {"test_offset", offset}});
  const double gap_sharp = r["gap"].get<double>();
  CHECK(gap_sharp > 0.0);
  CHECK(r["test_loss"].get<double>() == f->value(s.x - 0.5, s.y));
  r = optim::endpoint_metrics_json(
      {{"function", fn}, {"point", {fl.x, fl.y}}, {"test_offset", offset}});
  CHECK(r["gap"].get<double>() > 0.0);
  CHECK(r["gap"].get<double>() < gap_sharp);
}

TEST_CASE("the twin-basin loss is never negative") {
  const json params = {
      {"sharp_depth", 2.0}, {"flat_depth", 3.0}, {"confinement", 0.0}};
  const auto f = optim::make_function("twin_basin", params);
  for (const auto& m : f->minima()) CHECK(m.f >= 0.0);
  CHECK(f->value(-1e3, 1e3) == doctest::Approx(5.0));  // far away: D_s + D_f
}

TEST_CASE("epsilon-sharpness is null where 1 + loss <= 0") {
  // Styblinski-Tang's minimum is -78.3: Keskar's measure has no meaning there.
  const json fn = {{"name", "styblinski_tang"}};
  const auto f = optim::make_function("styblinski_tang", nullptr);
  const optim::Minimum s = f->minima()[0];
  REQUIRE(s.f < -1.0);
  CHECK(std::isnan(
      optim::endpoint_metrics(*f, *f, s.x, s.y, 1e-3).epsilon_sharpness));
  const json r =
      optim::endpoint_metrics_json({{"function", fn}, {"point", {s.x, s.y}}});
  CHECK(r["epsilon_sharpness"].is_null());
  CHECK(r["train_loss"].is_number());
}

TEST_CASE("endpoint metrics: invalid configurations name the field") {
  const json fn = {{"name", "twin_basin"}};
  const auto field = [](const json& config) {
    return config_error([&] { optim::endpoint_metrics_json(config); }).field();
  };
  CHECK(field(json::array()) == "");
  CHECK(field({{"point", {0, 0}}}) == "function");
  CHECK(field({{"function", fn}}) == "point");
  CHECK(field({{"function", fn}, {"point", {0}}}) == "point");
  CHECK(field({{"function", fn}, {"point", {0, "a"}}}) == "point");
  CHECK(field({{"function", fn}, {"point", {0, 0}}, {"test_offset", 1}}) ==
        "test_offset");
  for (const json& eps : {json(0.0), json(-1e-3), json(1.5), json("small")}) {
    CHECK(field({{"function", fn}, {"point", {0, 0}}, {"epsilon", eps}}) ==
          "epsilon");
  }
  CHECK(field({{"function", fn}, {"point", {0, 0}}, {"radius", 1}}) ==
        "radius");
  CHECK(field({{"function", {{"name", "nope"}}}, {"point", {0, 0}}}) ==
        "function.name");
  CHECK(field({{"function",
                {{"name", "twin_basin"}, {"params", {{"sharp_width", 0.0}}}}},
               {"point", {0, 0}}}) == "function.params.sharp_width");
  CHECK(field({{"function",
                {{"name", "twin_basin"}, {"params", {{"confinement", -0.1}}}}},
               {"point", {0, 0}}}) == "function.params.confinement");
  const ConfigError e = config_error([&] {
    optim::endpoint_metrics_json(
        {{"function", fn}, {"point", {0, 0}}, {"epsilon", 2}});
  });
  CHECK(std::string(e.what()) == "epsilon: 2 is not a number in (0, 1]");
  // epsilon = 1 is allowed.
  CHECK_NOTHROW(optim::endpoint_metrics_json(
      {{"function", fn}, {"point", {0, 0}}, {"epsilon", 1}}));
}
