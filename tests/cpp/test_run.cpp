// SPDX-License-Identifier: MIT
// Whole runs: recorded arrays, divergence as a result, seeded noise, grids.
#include <doctest/doctest.h>

#include <cmath>
#include <random>

#include "core/rng.hpp"
#include "run/path.hpp"

using optim::json;

namespace {

optim::RunResult run(json config) {
  return optim::run_path(optim::parse_run_config(config));
}

json base(const char* method, json hyper, const char* function = "quadratic") {
  return {{"optimizer", {{"name", method}, {"hyperparameters", hyper}}},
          {"function", {{"name", function}}},
          {"start", {-4.0, 2.0}},
          {"steps", 50}};
}

}  // namespace

TEST_CASE("a run records every iterate, loss, learning rate and state") {
  const auto r = run(base("adam", {{"lr", 0.1}}));
  CHECK(r.steps == 50);
  CHECK(r.trajectory.size() == 51 * 2);
  CHECK(r.loss.size() == 51);
  CHECK(r.lr.size() == 50);
  CHECK(r.loss[0] == 28.0);
  REQUIRE(r.state.size() == 3);
  CHECK(r.state[0].name == "m");
  CHECK(r.state[1].name == "v");
  CHECK(r.state[2].name == "effective_lr");
  for (const auto& s : r.state) CHECK(s.values.size() == 50 * 2);
  // m_1 = (1 - beta1) g_0 = 0.1 (-4, 20).
  CHECK(r.state[0].values[0] == doctest::Approx(-0.4));
  CHECK(r.state[0].values[1] == doctest::Approx(2.0));
  // effective lr of update 1: lr / (|g| + eps).
  CHECK(r.state[2].values[0] == doctest::Approx(0.1 / 4));
  for (long t = 0; t <= r.steps; ++t) {
    const double x = r.trajectory[2 * t], y = r.trajectory[2 * t + 1];
    CHECK(r.loss[t] == doctest::Approx(0.5 * (x * x + 10 * y * y)));
  }
}

TEST_CASE("divergence stops the run and reports the step") {
  // SGD with lr 1 on the bowl b = 10: y_t = (1 - 10)^t * 2, |y_12| = 5.6e11,
  // |y_13| = 5.1e12 > 1e12, so update 13 diverges and 12 are recorded.
  auto config = base("sgd", {{"lr", 1.0}});
  config["steps"] = 100;
  const auto r = run(config);
  CHECK(r.diverged);
  CHECK(r.diverged_at == 13);
  CHECK(r.steps == 12);
  CHECK(r.trajectory.size() == 13 * 2);
  CHECK(r.loss.size() == 13);
  CHECK(r.lr.size() == 12);
  for (const auto& s : r.state)
    CHECK(s.values.size() == 12 * std::size_t(s.width));
  CHECK(r.divergence_reason == "a coordinate exceeds 1e+12");
  // A smaller bound stops it earlier: |y_3| = 1458 > 1000.
  config["divergence_bound"] = 1000;
  CHECK(run(config).diverged_at == 3);
  // Non-finite values: Goldstein-Price overflows to inf far out.
  auto far = base("sgd", {{"lr", 1.0}}, "goldstein_price");
  far["start"] = {0.5, 0.5};
  far["steps"] = 20;
  const auto g = run(far);
  CHECK(g.diverged);
  CHECK(g.diverged_at >= 1);
  for (double f : g.loss) CHECK(std::isfinite(f));
}

TEST_CASE("an unusable start is reported as divergence at update 0") {
  auto config = base("sgd", {{"lr", 0.05}});
  config["divergence_bound"] = 3;
  auto r = run(config);  // |x0| = 4 > 3
  CHECK(r.diverged);
  CHECK(r.diverged_at == 0);
  CHECK(r.steps == 0);
  CHECK(r.trajectory.empty());
  CHECK(r.divergence_reason == "the start point has a coordinate beyond 3");
  // Goldstein-Price overflows to inf at (1e100, 1e100).
  config = base("sgd", {{"lr", 0.05}}, "goldstein_price");
  config["start"] = {1e100, 1e100};
  config["divergence_bound"] = 1e200;
  r = run(config);
  CHECK(r.diverged_at == 0);
  CHECK(r.divergence_reason == "the loss at the start point is not finite");
}

TEST_CASE("a run that stays finite is not diverged") {
  const auto r = run(base("sgd", {{"lr", 0.05}}));
  CHECK_FALSE(r.diverged);
  CHECK(r.diverged_at == -1);
  CHECK(r.divergence_reason.empty());
}

TEST_CASE("seeded gradient noise is reproducible") {
  auto noisy = base("sgd", {{"lr", 0.05}});
  noisy["noise"] = {{"level", 0.5}, {"seed", 42}};
  const auto a = run(noisy), b = run(noisy);
  CHECK(a.trajectory == b.trajectory);
  const auto clean = run(base("sgd", {{"lr", 0.05}}));
  CHECK(a.trajectory != clean.trajectory);
  noisy["noise"]["seed"] = 43;
  CHECK(run(noisy).trajectory != a.trajectory);
  noisy["noise"]["level"] = 0.0;
  CHECK(run(noisy).trajectory == clean.trajectory);
  // First update by hand: x1 = x0 - lr (g + sigma n), n from Rng(42).
  optim::Rng rng(42);
  const double n0 = rng.normal(), n1 = rng.normal();
  CHECK(a.trajectory[2] ==
        doctest::Approx(-4 - 0.05 * (-4 + 0.5 * n0)).epsilon(1e-15));
  CHECK(a.trajectory[3] ==
        doctest::Approx(2 - 0.05 * (20 + 0.5 * n1)).epsilon(1e-15));
}

TEST_CASE("the RNG is std::mt19937_64 with our own conversions") {
  // The standard fixes mt19937_64's output: the first value for the default
  // seed 5489 is 14514284786278117030.
  optim::Rng rng(5489);
  CHECK(rng.uniform() ==
        static_cast<double>(14514284786278117030ULL >> 11) * 0x1.0p-53);
  // Normal variates: mean 0, variance 1 (200 000 draws: 5 sigma bounds).
  optim::Rng normal(7);
  double sum = 0, sum_sq = 0;
  constexpr int kN = 200000;
  for (int i = 0; i < kN; ++i) {
    const double z = normal.normal();
    sum += z;
    sum_sq += z * z;
  }
  CHECK(std::fabs(sum / kN) < 5 / std::sqrt(double(kN)));
  CHECK(std::fabs(sum_sq / kN - 1) < 5 * std::sqrt(2.0 / kN));
}

TEST_CASE("grids: values by hand, row 0 at the top") {
  // Booth f = (x + 2y - 7)^2 + (2x + y - 5)^2 on x in {0, 1, 2}, y in {1, 0}.
  const auto values = optim::evaluate_grid(optim::parse_grid_config(
      {{"function", {{"name", "booth"}}},
       {"box", {{"xmin", 0}, {"xmax", 2}, {"ymin", 0}, {"ymax", 1}}},
       {"width", 3},
       {"height", 2}}));
  const std::vector<float> expected = {41, 20, 9, 74, 45, 26};
  CHECK(values == expected);
  CHECK_THROWS_WITH_AS(
      optim::parse_grid_config(
          {{"function", {{"name", "booth"}}}, {"width", 1}, {"height", 5}}),
      "width: 1 is not an integer in [2, 4096]", optim::ConfigError);
  CHECK_THROWS_WITH_AS(
      optim::parse_grid_config({{"function", {{"name", "booth"}}},
                                {"width", 4096},
                                {"height", 4096}}),
      doctest::Contains("exceeds"), optim::ConfigError);
  CHECK_THROWS_WITH_AS(
      optim::parse_grid_config(
          {{"function", {{"name", "booth"}}},
           {"box", {{"xmin", 1}, {"xmax", 0}, {"ymin", 0}, {"ymax", 1}}},
           {"width", 3},
           {"height", 3}}),
      "box.xmax: must be greater than xmin", optim::ConfigError);
  // Default box: the function's domain.
  const auto grid = optim::parse_grid_config(
      {{"function", {{"name", "booth"}}}, {"width", 2}, {"height", 2}});
  CHECK(grid.box.xmin == -10.0);
}

TEST_CASE("to_json writes the whole run") {
  const auto r = run(base("nag", {{"lr", 0.05}}));
  const json j = optim::to_json(r);
  CHECK(j["steps"] == 50);
  CHECK(j["trajectory"].size() == 51);
  CHECK(j["trajectory"][0] == json{-4.0, 2.0});
  CHECK(j["f"].size() == 51);
  CHECK(j["lr"].size() == 50);
  CHECK(j["state"]["lookahead_point"].size() == 50);
  CHECK(j["state"]["lookahead_point"][0] == json{-4.0, 2.0});
  CHECK(j["diverged"] == false);
  CHECK(j["diverged_at"].is_null());
}
