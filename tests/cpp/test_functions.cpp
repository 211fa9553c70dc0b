// SPDX-License-Identifier: MIT
// Tests of the 2-D test functions: derivatives, minima, hand values, metadata.
#include <doctest/doctest.h>

#include <Eigen/Eigenvalues>
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "problems/functions2d.hpp"

namespace {

using optim::Box;
using optim::ConfigError;
using optim::Function2D;
using optim::json;
using optim::kInf;

constexpr double kPi = 3.14159265358979323846;

struct Case {
  std::string name;
  json params;
};

// Every function with its defaults, plus non-default parameters for the
// parametric ones (one of them moves the Rosenbrock minimum out of the
// default box, another switches the Rastrigin ripples off, some turn the
// quadratic and some type in other custom functions).
std::vector<Case> all_cases() {
  std::vector<Case> cases;
  for (const auto& info : optim::functions()) {
    cases.push_back({info.name, nullptr});
  }
  cases.push_back({"quadratic", {{"a", 0.5}, {"b", 30.0}}});
  cases.push_back({"quadratic", {{"angle", 30.0}}});
  cases.push_back({"quadratic", {{"a", 0.5}, {"b", 30.0}, {"angle", -70.0}}});
  cases.push_back({"quadratic", {{"a", 3.0}, {"b", 0.2}, {"angle", 90.0}}});
  cases.push_back({"rosenbrock", {{"a", -0.5}, {"b", 20.0}}});
  cases.push_back({"rosenbrock", {{"a", 2.5}, {"b", 1.0}}});
  cases.push_back({"rastrigin", {{"A", 3.0}}});
  cases.push_back({"rastrigin", {{"A", 0.0}}});
  cases.push_back({"ackley", {{"a", 5.0}, {"b", 0.7}, {"c", 3.0}}});
  cases.push_back({"custom", {{"expression", "(1-x)^2 + 100*(y-x^2)^2"}}});
  cases.push_back(
      {"custom", {{"expression", "sin(x)*cos(y) + 0.1*(x^2 + y^2)"}}});
  cases.push_back(
      {"custom",
       {{"expression",
         "log(1 + x^2) + exp(y/5)*tanh(x - y) + pow(2, x/3) - x/(4 + y^2)"}}});
  return cases;
}

// A 5 x 5 grid over the domain at uneven fractions, so that no point sits on
// a symmetry axis, at the origin or at a minimum.
std::vector<Eigen::Vector2d> sample_points(const Box& d) {
  const double fractions[] = {0.03, 0.27, 0.52, 0.74, 0.97};
  std::vector<Eigen::Vector2d> points;
  for (double fx : fractions) {
    for (double fy : fractions) {
      points.emplace_back(d.xmin + fx * (d.xmax - d.xmin),
                          d.ymin + (1.0 - fy) * (d.ymax - d.ymin));
    }
  }
  return points;
}

// Step 1e-6 relative to the coordinate: truncation error ~h^2 and rounding
// error ~eps/h balance near there (1e-12, as in some visualizers, is all
// rounding).
double step(double t) { return 1e-6 * std::max(1.0, std::fabs(t)); }

Eigen::Vector2d fd_gradient(const Function2D& f, double x, double y) {
  const double hx = step(x), hy = step(y);
  return {(f.value(x + hx, y) - f.value(x - hx, y)) / (2.0 * hx),
          (f.value(x, y + hy) - f.value(x, y - hy)) / (2.0 * hy)};
}

// Column j is the central difference of the analytic gradient along j.
Eigen::Matrix2d fd_hessian(const Function2D& f, double x, double y) {
  const double hx = step(x), hy = step(y);
  Eigen::Matrix2d h;
  h.col(0) = (f.gradient(x + hx, y) - f.gradient(x - hx, y)) / (2.0 * hx);
  h.col(1) = (f.gradient(x, y + hy) - f.gradient(x, y - hy)) / (2.0 * hy);
  return h;
}

bool inside(const Box& d, double x, double y) {
  return d.xmin <= x && x <= d.xmax && d.ymin <= y && y <= d.ymax;
}

std::string describe(const Case& c) { return c.name + " " + c.params.dump(); }

// The error a call raises, or a failed check when it raises none.
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

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("functions are listed in page order") {
  const std::vector<std::string> expected = {
      "quadratic", "rosenbrock",     "beale",           "himmelblau",
      "saddle",    "rastrigin",      "ackley",          "styblinski_tang",
      "booth",     "six_hump_camel", "goldstein_price", "twin_basin",
      "custom"};
  std::vector<std::string> names;
  for (const auto& info : optim::functions()) {
    names.push_back(info.name);
    CHECK_FALSE(info.label.empty());
    CHECK_FALSE(info.formula.empty());
    CHECK_FALSE(info.description.empty());
    CHECK(info.build);
  }
  CHECK(names == expected);
  CHECK(optim::find_function("six_hump_camel").label == "Six-hump camel");
}

TEST_CASE("gradient matches central differences over the domain") {
  for (const Case& c : all_cases()) {
    const auto f = optim::make_function(c.name, c.params);
    for (const Eigen::Vector2d& p : sample_points(f->domain())) {
      INFO(describe(c) << " at (" << p.x() << ", " << p.y() << ")");
      const Eigen::Vector2d g = f->gradient(p.x(), p.y());
      const Eigen::Vector2d fd = fd_gradient(*f, p.x(), p.y());
      const double tol = 1e-6 * std::max(1.0, g.norm());
      CHECK(std::fabs(g.x() - fd.x()) <= tol);
      CHECK(std::fabs(g.y() - fd.y()) <= tol);
    }
  }
}

TEST_CASE("Hessian is symmetric and matches differences of the gradient") {
  for (const Case& c : all_cases()) {
    const auto f = optim::make_function(c.name, c.params);
    for (const Eigen::Vector2d& p : sample_points(f->domain())) {
      INFO(describe(c) << " at (" << p.x() << ", " << p.y() << ")");
      const Eigen::Matrix2d h = f->hessian(p.x(), p.y());
      const Eigen::Matrix2d fd = fd_hessian(*f, p.x(), p.y());
      const double tol = 1e-6 * std::max(1.0, h.norm());
      CHECK(h(0, 1) == h(1, 0));
      CHECK((h - fd).cwiseAbs().maxCoeff() <= tol);
    }
  }
}

TEST_CASE("listed minima are minima with the listed value") {
  for (const Case& c : all_cases()) {
    const auto f = optim::make_function(c.name, c.params);
    const Box d = f->domain();
    // No minimum (saddle) or an unknown one (custom).
    if (c.name == "saddle" || c.name == "custom") {
      CHECK(f->minima().empty());
      continue;
    }
    REQUIRE_FALSE(f->minima().empty());
    for (const optim::Minimum& m : f->minima()) {
      INFO(describe(c) << " minimum (" << m.x << ", " << m.y << ")");
      CHECK(inside(d, m.x, m.y));
      CHECK(std::fabs(f->value(m.x, m.y) - m.f) <=
            1e-9 * std::max(1.0, std::fabs(m.f)));
      // The coordinates have 10 digits, so the gradient is ~|H| * 5e-11.
      CHECK(f->gradient(m.x, m.y).norm() < 1e-7);
      const Eigen::Matrix2d h = f->hessian(m.x, m.y);
      const double min_eig =
          Eigen::SelfAdjointEigenSolver<Eigen::Matrix2d>(h).eigenvalues()(0);
      CHECK(min_eig >= -1e-9 * std::max(1.0, h.norm()));
    }
    // No sample point does better than the lowest listed minimum: it is
    // global in the box. (twin_basin lists both basins' minima, one of them
    // only local; every other function lists global minima only.)
    double lowest = kInf;
    for (const optim::Minimum& m : f->minima()) lowest = std::min(lowest, m.f);
    for (const Eigen::Vector2d& p : sample_points(d)) {
      INFO(describe(c) << " at (" << p.x() << ", " << p.y() << ")");
      CHECK(f->value(p.x(), p.y()) >= lowest);
    }
  }
}

TEST_CASE("start lies inside the domain and moves every coordinate") {
  for (const Case& c : all_cases()) {
    INFO(describe(c));
    const auto f = optim::make_function(c.name, c.params);
    const Box d = f->domain();
    CHECK(d.xmin < d.xmax);
    CHECK(d.ymin < d.ymax);
    const Eigen::Vector2d s = f->start();
    CHECK(inside(d, s.x(), s.y()));
    // A zero component makes Adam's first step 0/(0 + eps) in it.
    const Eigen::Vector2d g = f->gradient(s.x(), s.y());
    CHECK(std::fabs(g.x()) > 1e-3);
    CHECK(std::fabs(g.y()) > 1e-3);
    CHECK(std::isfinite(f->value(s.x(), s.y())));
  }
}

TEST_CASE("values at hand-computed points") {
  const auto f = [](const std::string& name, double x, double y,
                    const json& params = nullptr) {
    return optim::make_function(name, params)->value(x, y);
  };
  // 1/2 (16 + 10 * 4).
  CHECK(f("quadratic", -4, 2) == doctest::Approx(28.0).epsilon(1e-15));
  CHECK(f("quadratic", 3, 2, {{"a", 2.0}, {"b", 0.5}}) ==
        doctest::Approx(10.0).epsilon(1e-15));
  // Angle 90: u = y, v = -x, so f = (a y^2 + b x^2) / 2 = (4 + 90) / 2,
  // exactly (cos 90 is taken as 0, not 6e-17).
  CHECK(f("quadratic", 3, 2, {{"angle", 90.0}}) == 47.0);
  CHECK(f("quadratic", 3, 2, {{"angle", -90.0}}) == 47.0);
  // Angle 45: (1, 1) lies on the u axis (u = sqrt 2, v = 0): f = a;
  // (1, -1) on the v axis: f = b.
  CHECK(f("quadratic", 1, 1, {{"angle", 45.0}}) ==
        doctest::Approx(1.0).epsilon(1e-15));
  CHECK(f("quadratic", 1, -1, {{"angle", 45.0}}) ==
        doctest::Approx(10.0).epsilon(1e-15));
  CHECK(f("quadratic", -1, 1, {{"angle", -45.0}}) ==
        doctest::Approx(1.0).epsilon(1e-15));
  // 2.2^2 + 100 * 0.44^2 = 4.84 + 19.36.
  CHECK(f("rosenbrock", -1.2, 1) == doctest::Approx(24.2).epsilon(1e-14));
  CHECK(f("rosenbrock", 0, 0) == 1.0);
  CHECK(f("rosenbrock", 2, 4, {{"a", 2.0}}) == 0.0);
  CHECK(f("beale", 3, 0.5) == 0.0);
  // 1.5^2 + 2.25^2 + 2.625^2.
  CHECK(f("beale", 1, 1) == doctest::Approx(14.203125).epsilon(1e-15));
  CHECK(f("himmelblau", 3, 2) == 0.0);
  CHECK(f("himmelblau", 0, 0) == 170.0);  // 121 + 49
  CHECK(f("saddle", 1, 2) == -3.0);
  // 20 + (0.25 + 10) + (0.25 + 10): cos(pi) = -1.
  CHECK(f("rastrigin", 0.5, -0.5) == doctest::Approx(40.5).epsilon(1e-15));
  CHECK(f("rastrigin", 1, 2, {{"A", 3.0}}) ==
        doctest::Approx(5.0).epsilon(1e-14));
  CHECK(f("ackley", 0, 0) == 0.0);
  // a = 0, c = 2 pi at integers: e - e^1 = 0; at (0.5, 0.5): e - e^-1.
  CHECK(f("ackley", 0.5, 0.5, {{"a", 0.0}}) ==
        doctest::Approx(std::exp(1.0) - std::exp(-1.0)).epsilon(1e-14));
  // Reference value of the spec's own implementation (conformance pub-19).
  CHECK(f("ackley", 1.5, -1.2) ==
        doctest::Approx(6.7681664588420105).epsilon(1e-13));
  // 1/2 (0.0625 - 4 + 2.5 + 0.0625 - 4 - 2.5).
  CHECK(f("styblinski_tang", 0.5, -0.5) ==
        doctest::Approx(-3.9375).epsilon(1e-15));
  CHECK(f("booth", 1, 3) == 0.0);
  CHECK(f("booth", -5, -5) == 884.0);  // 22^2 + 20^2
  // (4 - 2.1 + 1/3) + 1 + 0.
  CHECK(f("six_hump_camel", -1, -1) ==
        doctest::Approx(3.0 + 7.0 / 30.0).epsilon(1e-15));
  CHECK(f("goldstein_price", 0, -1) == 3.0);   // A = 1, B = 30 - 27
  CHECK(f("goldstein_price", 0, 0) == 600.0);  // A = 20, B = 30
  // A = 1 + 1 * 19, B = 30 + 6.25 * 76.75.
  CHECK(f("goldstein_price", -0.5, 0.5) ==
        doctest::Approx(10193.75).epsilon(1e-15));
}

TEST_CASE("gradient and Hessian at hand-computed points") {
  const auto rosenbrock = optim::make_function("rosenbrock", nullptr);
  // g = (-2 * 2.2 - 400 * (-1.2) * (-0.44), 200 * (-0.44)).
  const Eigen::Vector2d g = rosenbrock->gradient(-1.2, 1);
  CHECK(g.x() == doctest::Approx(-215.6).epsilon(1e-14));
  CHECK(g.y() == doctest::Approx(-88.0).epsilon(1e-14));
  // H = [[2 - 400 + 1200 * 1.44, 480], [480, 200]].
  const Eigen::Matrix2d h = rosenbrock->hessian(-1.2, 1);
  CHECK(h(0, 0) == doctest::Approx(1330.0).epsilon(1e-14));
  CHECK(h(0, 1) == doctest::Approx(480.0).epsilon(1e-14));
  CHECK(h(1, 1) == 200.0);

  const auto booth = optim::make_function("booth", nullptr);
  CHECK(booth->gradient(0, 0) == Eigen::Vector2d(-34.0, -38.0));
  CHECK(booth->hessian(7, -3) ==
        (Eigen::Matrix2d() << 10, 8, 8, 10).finished());

  // Quadratic at angle 90: grad = (b x, a y), H = diag(b, a), exactly.
  const auto q90 = optim::make_function("quadratic", {{"angle", 90.0}});
  CHECK(q90->gradient(3, 2) == Eigen::Vector2d(30.0, 2.0));
  CHECK(q90->hessian(3, 2) == (Eigen::Matrix2d() << 10, 0, 0, 1).finished());
  // Angle 45: H = [[a + b, a - b], [a - b, a + b]] / 2; at (1, 1), on the u
  // axis, grad = a (1, 1).
  const auto q45 = optim::make_function("quadratic", {{"angle", 45.0}});
  const Eigen::Matrix2d h45 = q45->hessian(0, 0);
  CHECK(h45(0, 0) == doctest::Approx(5.5).epsilon(1e-15));
  CHECK(h45(0, 1) == doctest::Approx(-4.5).epsilon(1e-15));
  CHECK(h45(1, 1) == doctest::Approx(5.5).epsilon(1e-15));
  CHECK(q45->gradient(1, 1).x() == doctest::Approx(1.0).epsilon(1e-15));
  CHECK(q45->gradient(1, 1).y() == doctest::Approx(1.0).epsilon(1e-15));
  CHECK(q45->gradient(1, -1).x() == doctest::Approx(10.0).epsilon(1e-15));
  CHECK(q45->gradient(1, -1).y() == doctest::Approx(-10.0).epsilon(1e-15));

  const auto camel = optim::make_function("six_hump_camel", nullptr);
  // (8 - 8.4 + 2 + 1, 1 - 8 + 16), H = [[8 - 25.2 + 10, 1], [1, 40]].
  CHECK(camel->gradient(1, 1).x() == doctest::Approx(2.6).epsilon(1e-14));
  CHECK(camel->gradient(1, 1).y() == 9.0);
  CHECK(camel->hessian(1, 1)(0, 0) == doctest::Approx(-7.2).epsilon(1e-14));
  CHECK(camel->hessian(1, 1)(1, 1) == 40.0);
}

TEST_CASE("ackley: the kink at the origin is defined and handled exactly") {
  const auto f = optim::make_function("ackley", nullptr);
  // The radial term contributes 0 to the gradient and the Hessian at the
  // origin; the cosine term alone gives (c^2 / 2) e on the diagonal.
  CHECK(f->gradient(0, 0) == Eigen::Vector2d::Zero());
  const Eigen::Matrix2d h = f->hessian(0, 0);
  const double diag = 2.0 * kPi * kPi * std::exp(1.0);
  CHECK(h(0, 0) == doctest::Approx(diag).epsilon(1e-15));
  CHECK(h(1, 1) == doctest::Approx(diag).epsilon(1e-15));
  CHECK(h(0, 1) == 0.0);

  // Next to the origin the cone's slope is a b / sqrt(2) in every direction
  // and its value a b r with r = |(x, y)| / sqrt(2), even where x^2 would
  // underflow; the cosine term adds only O(t) and O(t^2) there.
  const double slope = 20.0 * 0.2 / std::sqrt(2.0);
  for (double t : {1e-8, 1e-200}) {
    INFO("t = " << t);
    const Eigen::Vector2d g = f->gradient(t, 0);
    CHECK(std::fabs(g.x() - slope) <= 1e-6);
    CHECK(std::fabs(g.y()) <= 1e-12);
    CHECK(std::fabs(f->gradient(-t, -t).norm() - slope) <= 1e-6);
    // Never negative rounding noise near the minimum.
    CHECK(std::fabs(f->value(t, -t) - 4.0 * t) <= 1e-6 * 4.0 * t);
    CHECK(f->hessian(t, t).allFinite());
  }
}

TEST_CASE("quadratic: angle 0 is the axis-aligned bowl, bit for bit") {
  const auto plain = optim::make_function("quadratic", {{"a", 0.7}});
  const auto zero =
      optim::make_function("quadratic", {{"a", 0.7}, {"angle", 0.0}});
  for (double x : {-4.1, 0.3, 2.9}) {
    for (double y : {-1.7, 0.0, 3.3}) {
      CHECK(plain->value(x, y) == 0.5 * (0.7 * x * x + 10.0 * y * y));
      CHECK(zero->value(x, y) == plain->value(x, y));
      CHECK(plain->gradient(x, y) == Eigen::Vector2d(0.7 * x, 10.0 * y));
      CHECK(zero->gradient(x, y) == plain->gradient(x, y));
      CHECK(zero->hessian(x, y) == plain->hessian(x, y));
    }
  }
  // Turning the bowl keeps its eigenvalues and turns its eigenvectors.
  const auto turned =
      optim::make_function("quadratic", {{"a", 0.7}, {"angle", 30.0}});
  const Eigen::SelfAdjointEigenSolver<Eigen::Matrix2d> eig(
      turned->hessian(0, 0));
  CHECK(eig.eigenvalues()(0) == doctest::Approx(0.7).epsilon(1e-14));
  CHECK(eig.eigenvalues()(1) == doctest::Approx(10.0).epsilon(1e-14));
  const Eigen::Vector2d axis = eig.eigenvectors().col(0);
  CHECK(std::fabs(axis.y() / axis.x()) ==
        doctest::Approx(std::tan(kPi / 6.0)).epsilon(1e-13));
}

TEST_CASE("parameters: defaults are filled in") {
  // b = 10 given, a = 1 by default: 2.2^2 + 10 * 0.44^2.
  CHECK(optim::make_function("rosenbrock", {{"b", 10.0}})->value(-1.2, 1) ==
        doctest::Approx(6.776).epsilon(1e-14));
  CHECK(optim::make_function("rosenbrock", json::object())->value(0.3, 0.7) ==
        optim::make_function("rosenbrock", nullptr)->value(0.3, 0.7));
  CHECK(optim::make_function("ackley", {{"c", 2.0 * kPi}})->value(1.5, -1.2) ==
        optim::make_function("ackley", nullptr)->value(1.5, -1.2));
  // The Rosenbrock box grows to keep the minimum (a, a^2) inside.
  const Box wide = optim::make_function("rosenbrock", {{"a", -3.0}})->domain();
  CHECK(wide.xmin == -4.0);
  CHECK(wide.ymax == 10.0);
  const Box classic = optim::make_function("rosenbrock", nullptr)->domain();
  CHECK(classic.xmin == -2.0);
  CHECK(classic.xmax == 2.0);
  CHECK(classic.ymin == -1.0);
  CHECK(classic.ymax == 3.0);
}

TEST_CASE("parameters: invalid values and names are rejected") {
  ConfigError e = config_error([] {
    optim::make_function("quadratic", {{"a", -1.0}});
  });
  CHECK(e.field() == "a");
  CHECK(contains(e.what(),
                 "quadratic: a = -1 is outside the valid range (0, inf)"));

  e = config_error([] { optim::make_function("quadratic", {{"b", 0.0}}); });
  CHECK(e.field() == "b");
  CHECK(contains(e.what(), "quadratic: b = 0 is outside the valid range"));

  e = config_error([] {
    optim::make_function("quadratic", {{"angle", 91.0}});
  });
  CHECK(e.field() == "angle");
  CHECK(contains(e.what(),
                 "quadratic: angle = 91 is outside the valid range [-90, 90]"));

  e = config_error([] { optim::make_function("rastrigin", {{"A", -1.0}}); });
  CHECK(e.field() == "A");
  CHECK(contains(e.what(),
                 "rastrigin: A = -1 is outside the valid range [0, inf)"));

  e = config_error([] { optim::make_function("rosenbrock", {{"b", -5.0}}); });
  CHECK(contains(e.what(),
                 "rosenbrock: b = -5 is outside the valid range (0, inf)"));

  e = config_error([] { optim::make_function("ackley", {{"b", 0.0}}); });
  CHECK(
      contains(e.what(), "ackley: b = 0 is outside the valid range (0, inf)"));
  e = config_error([] { optim::make_function("ackley", {{"c", -1.0}}); });
  CHECK(
      contains(e.what(), "ackley: c = -1 is outside the valid range [0, inf)"));

  e = config_error([] { optim::make_function("rosenbrock", {{"a", "1"}}); });
  CHECK(e.field() == "a");
  CHECK(contains(e.what(), "is not a number"));

  e = config_error([] { optim::make_function("rosenbrock", {{"c", 1.0}}); });
  CHECK(e.field() == "c");
  CHECK(contains(e.what(), "rosenbrock: unknown parameter 'c' (known: a, b)"));
  e = config_error([] { optim::make_function("beale", {{"a", 1.0}}); });
  CHECK(contains(e.what(), "beale: unknown parameter 'a' (known: none)"));

  e = config_error([] { optim::make_function("booth", json::array()); });
  CHECK(contains(e.what(), "booth: parameters must be an object"));

  // Any finite a is valid for Rosenbrock.
  CHECK(optim::make_function("rosenbrock", {{"a", -1e6}})->value(-1e6, 1e12) ==
        0.0);
}

TEST_CASE("unknown function names are rejected with the known list") {
  const ConfigError e =
      config_error([] { optim::make_function("foo", nullptr); });
  CHECK(e.field() == "name");
  CHECK(std::string(e.what()) ==
        "name: unknown function 'foo' (known: quadratic, rosenbrock, beale, "
        "himmelblau, saddle, rastrigin, ackley, styblinski_tang, booth, "
        "six_hump_camel, goldstein_price, twin_basin, custom)");
  CHECK_THROWS_AS(optim::find_function("Rosenbrock"), ConfigError);
}

TEST_CASE("metadata describes defaults, domain, start and minima") {
  const json q = optim::function_metadata(optim::find_function("quadratic"));
  CHECK(q["name"] == "quadratic");
  CHECK(q["params"].size() == 3);
  CHECK(q["params"][0]["name"] == "a");
  CHECK(q["params"][0]["scale"] == "log");
  CHECK(q["params"][0]["range"] == "(0, inf)");
  CHECK(q["params"][1]["default"] == 10.0);
  CHECK(q["params"][2]["name"] == "angle");
  CHECK(q["params"][2]["default"] == 0.0);
  CHECK(q["params"][2]["range"] == "[-90, 90]");
  CHECK(q["params"][2]["scale"] == "linear");
  CHECK(q["params"][2]["softMin"] == -90.0);
  CHECK(q["params"][2]["softMax"] == 90.0);
  CHECK(q["start"] == json::array({-4.0, 2.0}));
  CHECK(q["domain"] ==
        json({{"xmin", -5.0}, {"xmax", 5.0}, {"ymin", -5.0}, {"ymax", 5.0}}));
  CHECK(q["minima"] == json::array({{{"x", 0.0}, {"y", 0.0}, {"f", 0.0}}}));

  const json r = optim::function_metadata(optim::find_function("rosenbrock"));
  CHECK(r["start"] == json::array({-1.2, 1.0}));
  CHECK(r["minima"][0]["y"] == 1.0);

  const json a = optim::function_metadata(optim::find_function("ackley"));
  CHECK(a["params"][2]["default"].get<double>() == 2.0 * kPi);

  CHECK(optim::function_metadata(optim::find_function("himmelblau"))["minima"]
            .size() == 4);
  const json s = optim::function_metadata(optim::find_function("saddle"));
  CHECK(s["minima"].is_array());
  CHECK(s["minima"].empty());
  CHECK(s["params"].is_array());
  CHECK(s["params"].empty());

  for (const auto& info : optim::functions()) {
    const json m = optim::function_metadata(info);
    INFO(info.name);
    for (const char* key : {"name", "label", "formula", "description", "params",
                            "domain", "start", "minima"}) {
      CHECK(m.contains(key));
    }
    CHECK(m["params"].size() == info.params.size());
  }
}
