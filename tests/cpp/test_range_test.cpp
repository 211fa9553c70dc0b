// SPDX-License-Identifier: MIT
// The learning-rate range test: the ramp, divergence of gradient descent on a
// quadratic at 2/lambda_max, the smoothing and stop rule, the suggested
// bounds, the network form, determinism and errors. Expected values come
// from the closed form of gradient descent on a quadratic bowl.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "optim/optimizers.hpp"
#include "optim/schedule.hpp"
#include "run/path.hpp"
#include "run/range_test.hpp"
#include "run/trainer.hpp"

using optim::json;

namespace {

// SGD on f = (a x^2 + b y^2) / 2: the Hessian's eigenvalues are a and b.
json bowl_test(double a, double b, double x0, double y0, double lr_min,
               double lr_max, long steps) {
  return {
      {"run",
       {{"optimizer", {{"name", "sgd"}}},
        {"function", {{"name", "quadratic"}, {"params", {{"a", a}, {"b", b}}}}},
        {"start", {x0, y0}}}},
      {"lr_min", lr_min},
      {"lr_max", lr_max},
      {"steps", steps}};
}

optim::RangeTestResult range_test(const json& config) {
  return optim::range_test(optim::parse_range_test_config(config));
}

// The ramp written out: update t uses lr_min * q^(t-1).
double ramp(double lr_min, double lr_max, long steps, long t) {
  const double q = std::pow(lr_max / lr_min, 1.0 / (steps - 1));
  return lr_min * std::pow(q, static_cast<double>(t - 1));
}

// Gradient descent on the bowl in closed form: each update multiplies x by
// (1 - a lr) and y by (1 - b lr). Returns f after each update of the ramp.
std::vector<double> bowl_losses(double a, double b, double x0, double y0,
                                double lr_min, double lr_max, long steps) {
  std::vector<double> losses;
  double x = x0, y = y0;
  for (long t = 1; t <= steps; ++t) {
    const double lr = ramp(lr_min, lr_max, steps, t);
    x *= 1 - a * lr;
    y *= 1 - b * lr;
    losses.push_back(0.5 * (a * x * x + b * y * y));
  }
  return losses;
}

bool close(double a, double b, double rel) {
  return std::abs(a - b) <= rel * std::max(std::abs(a), std::abs(b));
}

std::string error_of(const json& config) {
  try {
    optim::parse_range_test_config(config);
  } catch (const optim::ConfigError& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace

TEST_CASE("range test: the ramp is the exponential schedule from lr_min") {
  const optim::LrRamp r{1e-4, 1.0, 101};
  const json spec = optim::ramp_schedule(r);
  CHECK(spec["name"] == "exponential");
  // 4 decades over 100 intervals: q = 10^(4/100).
  CHECK(close(spec["params"]["gamma"].get<double>(), std::pow(10.0, 0.04),
              1e-15));
  const optim::Schedule s(optim::make_schedule(spec), r.lr_min);
  CHECK(s(0) == 1e-4);
  CHECK(close(s(50), 1e-2, 1e-13));
  CHECK(close(s(100), 1.0, 1e-13));
}

TEST_CASE(
    "range test: SGD on a quadratic diverges within one ramp step of "
    "2/lambda_max") {
  // From (0, 1) the whole loss is in the stiff direction: f_t = b/2 y_t^2
  // with y_t = prod (1 - b lr_k), which falls while |1 - b lr| < 1 and rises
  // from the first update with lr > 2/b on. Without smoothing and with stop
  // factor 1 the rule fires on the first rise, so the lr of the diverging
  // update is the first ramp value above 2/b: 2/b < lr <= q * 2/b.
  for (double b : {4.0, 10.0, 40.0}) {
    CAPTURE(b);
    const long steps = 300;
    json config = bowl_test(1.0, b, 0.0, 1.0, 1e-3, 1.0, steps);
    config["smoothing"] = 0.0;
    config["stop_factor"] = 1.0;
    const auto r = range_test(config);
    const double q = std::pow(1e3, 1.0 / (steps - 1));
    const double limit = 2.0 / b;
    REQUIRE(r.diverged);
    CHECK(r.stopped_by_rule);
    CHECK(r.diverged_lr > limit);
    CHECK(r.diverged_lr / q <= limit);
    // The update number itself: the first t with lr_t > 2/b.
    long expected = 1;
    while (ramp(1e-3, 1.0, steps, expected) <= limit) ++expected;
    CHECK(r.diverged_at == expected);
    // The recorded losses are the closed form's, the diverging update too.
    const auto losses = bowl_losses(1.0, b, 0.0, 1.0, 1e-3, 1.0, steps);
    REQUIRE(r.steps == expected);
    for (long t = 1; t <= r.steps; ++t) {
      CHECK(close(r.lr[t - 1], ramp(1e-3, 1.0, steps, t), 1e-14));
      CHECK(close(r.loss[t - 1], losses[t - 1], 1e-11));
      CHECK(r.smoothed[t - 1] == r.loss[t - 1]);
    }
    CHECK(r.start_loss == 0.5 * b);
  }
}

TEST_CASE("range test: off the stiff axis the loss rises only later") {
  // From (1, 1) the flat direction (a = 1) holds most of the loss once the
  // stiff one has been damped near lr = 1/b, and it keeps falling faster as
  // lr grows; the stiff mode, unstable beyond 2/b, must regrow before the
  // loss rises. The first rise, from the closed form:
  const long steps = 300;
  json config = bowl_test(1.0, 10.0, 1.0, 1.0, 1e-3, 1.0, steps);
  config["smoothing"] = 0.0;
  config["stop_factor"] = 1.0;
  const auto losses = bowl_losses(1.0, 10.0, 1.0, 1.0, 1e-3, 1.0, steps);
  long rise = 2;
  while (losses[rise - 1] <= losses[rise - 2]) ++rise;
  const auto r = range_test(config);
  REQUIRE(r.diverged);
  CHECK(r.diverged_at == rise);
  // Several ramp steps beyond 2/lambda_max = 0.2 (at about 0.77).
  CHECK(r.diverged_lr > 3 * 0.2);
}

TEST_CASE("range test: fastai's smoothing, stop rule and suggested bounds") {
  // Defaults: beta 0.98 with bias correction, stop at 4 times the lowest
  // smoothed loss (f* = 0 on the bowl). The expected record is computed here
  // from the closed form and the documented rule.
  const long steps = 400;
  const double lr_min = 1e-3, lr_max = 10.0;
  const auto r =
      range_test(bowl_test(1.0, 10.0, 1.0, 1.0, lr_min, lr_max, steps));
  const auto losses = bowl_losses(1.0, 10.0, 1.0, 1.0, lr_min, lr_max, steps);
  double s = 0.0, best = 0.0;
  long min_at = 0, stop = 0;
  std::vector<double> smoothed;
  for (long t = 1; t <= steps && stop == 0; ++t) {
    s = 0.98 * s + 0.02 * losses[t - 1];
    smoothed.push_back(s / (1 - std::pow(0.98, static_cast<double>(t))));
    if (min_at == 0 || smoothed.back() < best) {
      best = smoothed.back();
      min_at = t;
    }
    if (smoothed.back() > 4 * best) stop = t;
  }
  REQUIRE(stop > 0);
  REQUIRE(r.diverged);
  CHECK(r.stopped_by_rule);
  CHECK(r.diverged_at == stop);
  REQUIRE(r.steps == stop);
  for (long t = 1; t <= r.steps; ++t) {
    CHECK(close(r.smoothed[t - 1], smoothed[t - 1], 1e-11));
  }
  CHECK(r.min_at == min_at);
  // The rule: max_lr = (lr at the lowest smoothed loss) / 10, base = max / 4.
  CHECK(r.lr_at_min == r.lr[r.min_at - 1]);
  CHECK(r.max_lr == r.lr_at_min / 10);
  CHECK(r.base_lr == r.max_lr / 4);
  CHECK(r.f_star == 0.0);
  // Smoothing only delays the rule: nothing fires before the stiff mode is
  // unstable (the loss falls monotonically until lr passes 2/b = 0.2).
  CHECK(r.diverged_lr > 0.2);
  // The suggested band lies below the stability limit 2/b, so a cyclical
  // schedule between the bounds converges on this bowl.
  CHECK(r.max_lr < 0.2);
  const json cyclic = {{"optimizer", {{"name", "sgd"}}},
                       {"schedule",
                        {{"name", "cyclic"},
                         {"params",
                          {{"base_lr", r.base_lr},
                           {"max_lr", r.max_lr},
                           {"step_size_up", 25}}}}},
                       {"function", {{"name", "quadratic"}}},
                       {"start", {1.0, 1.0}},
                       {"steps", 200}};
  const auto run = optim::run_path(optim::parse_run_config(cyclic));
  CHECK_FALSE(run.diverged);
  CHECK(run.loss.back() < 1e-6 * run.loss.front());
}

TEST_CASE("range test: without a known minimum only a blow-up ends it") {
  // saddle x^2 - y^2 has no minimum, so no f*. Gradient descent multiplies x
  // by (1 - 2 lr) and y by (1 + 2 lr) until a coordinate passes the bound.
  const long steps = 200;
  const json config = {{"run",
                        {{"optimizer", {{"name", "sgd"}}},
                         {"function", {{"name", "saddle"}}},
                         {"start", {1.0, 0.5}},
                         {"divergence_bound", 1e6}}},
                       {"lr_min", 1e-3},
                       {"lr_max", 10.0},
                       {"steps", steps}};
  const auto r = range_test(config);
  CHECK(std::isnan(r.f_star));
  REQUIRE(r.diverged);
  CHECK_FALSE(r.stopped_by_rule);
  double x = 1.0, y = 0.5;
  std::vector<double> losses;
  long t = 0;
  while (std::abs(x) <= 1e6 && std::abs(y) <= 1e6) {
    ++t;
    const double lr = ramp(1e-3, 10.0, steps, t);
    x *= 1 - 2 * lr;
    y *= 1 + 2 * lr;
    losses.push_back(x * x - y * y);
  }
  CHECK(r.diverged_at == t);
  REQUIRE(r.steps == t - 1);
  CHECK(close(r.diverged_lr, ramp(1e-3, 10.0, steps, t), 1e-14));
  CHECK(r.divergence_reason == "a coordinate exceeds 1000000");
  bool falling = true;
  for (long k = 1; k <= r.steps; ++k) {
    CHECK(close(r.loss[k - 1], losses[k - 1], 1e-11));
    if (k > 1) falling = falling && losses[k - 1] < losses[k - 2];
  }
  // The closed form falls at every update, so the smoothed loss (an average
  // of earlier, higher values and the new one) does too: its lowest value is
  // the last recorded one, and that is where the suggestion comes from.
  REQUIRE(falling);
  CHECK(r.min_at == r.steps);
  CHECK(r.max_lr == r.lr.back() / 10);
}

TEST_CASE("range test: the tiny network through the trainer's schedule") {
  const json trainer = {{"optimizer", {{"name", "sgd"}}},
                        {"dataset", {{"n", 100}}},
                        {"network", {{"hidden", {8}}}}};
  const optim::LrRamp rp{1e-2, 1e3, 60};
  const json helper = optim::range_test_trainer_config(trainer, rp);
  CHECK(helper["optimizer"]["hyperparameters"]["lr"] == 1e-2);
  CHECK(helper["schedule"]["name"] == "exponential");
  CHECK(helper["eval_every"] == 1);

  const auto r = range_test(
      {{"trainer", trainer}, {"lr_min", 1e-2}, {"lr_max", 1e3}, {"steps", 60}});
  // The same updates, made by a Trainer built from the helper's config.
  optim::Trainer t(helper);
  CHECK(r.start_loss == t.train_loss().front());
  for (long k = 1; k <= r.steps; ++k) {
    t.run(1);
    CHECK(close(r.lr[k - 1], ramp(1e-2, 1e3, 60, k), 1e-13));
    CHECK(t.learning_rate() == r.lr[k - 1]);
    CHECK(r.loss[k - 1] == t.train_loss().back());
  }
  // Five decades up to lr 1000 end in divergence, and the bounds follow the
  // rule.
  CHECK(r.diverged);
  CHECK(r.f_star == 0.0);
  REQUIRE(r.min_at >= 1);
  for (double v : r.smoothed) CHECK(v >= r.smoothed[r.min_at - 1]);
  CHECK(r.max_lr == r.lr[r.min_at - 1] / 10);
  CHECK(r.base_lr == r.max_lr / 4);
}

TEST_CASE("range test: the same config gives the same record") {
  json config = bowl_test(1.0, 10.0, 1.0, 1.0, 1e-3, 10.0, 300);
  config["run"]["noise"] = {{"level", 0.5}, {"seed", 3}};
  const auto a = range_test(config);
  const auto b = range_test(config);
  CHECK(optim::to_json(a) == optim::to_json(b));
  // With noise the losses differ from the noiseless run's.
  config["run"].erase("noise");
  CHECK(range_test(config).loss != a.loss);
}

TEST_CASE("range test: the ramp replaces the run's schedule, steps and lr") {
  json config = bowl_test(1.0, 10.0, 1.0, 1.0, 1e-3, 1.0, 50);
  config["run"]["schedule"] = {{"name", "cosine"}, {"params", {{"t_max", 7}}}};
  config["run"]["steps"] = 500;
  config["run"]["optimizer"]["hyperparameters"] = {{"lr", 0.3}};
  const auto c = optim::parse_range_test_config(config);
  CHECK(c.run.steps == 50);
  CHECK(c.run.schedule == optim::ramp_schedule(c.ramp));
  CHECK(c.run.optimizer["hyperparameters"]["lr"] == 1e-3);
  CHECK(optim::to_json(c)["ramp"] ==
        json{{"lr_min", 1e-3}, {"lr_max", 1.0}, {"steps", 50}});
}

TEST_CASE("range test: default range from the method's page learning rate") {
  // Five decades around the lr a new racer gets on the page (metadata).
  for (const char* method : {"sgd", "adam", "adadelta"}) {
    CAPTURE(method);
    const double page =
        optim::method_metadata(optim::find_method(method))["page"]["lr"];
    const auto c = optim::parse_range_test_config(
        {{"run",
          {{"optimizer", {{"name", method}}},
           {"function", {{"name", "rosenbrock"}}}}}});
    CHECK(close(c.ramp.lr_min, page * 1e-3, 1e-15));
    CHECK(close(c.ramp.lr_max, page * 1e2, 1e-15));
    CHECK(c.ramp.steps == 200);
  }
  // Lookahead: its inner method's rate for a Lookahead racer (Adam: 0.05).
  const json adam = optim::method_metadata(optim::find_method("adam"));
  const auto c = optim::parse_range_test_config(
      {{"run",
        {{"optimizer",
          {{"name", "lookahead"},
           {"hyperparameters", {{"inner", {{"name", "adam"}}}}}}},
         {"function", {{"name", "rosenbrock"}}}}}});
  CHECK(close(c.ramp.lr_min, adam["page"]["innerLr"].get<double>() * 1e-3,
              1e-15));
  CHECK(c.run.optimizer["hyperparameters"]["inner"]["hyperparameters"]["lr"] ==
        c.ramp.lr_min);
}

TEST_CASE("range test: invalid configs are ConfigErrors naming the field") {
  const json ok = bowl_test(1.0, 10.0, 1.0, 1.0, 1e-3, 1.0, 50);
  auto with = [&](const char* key, json value) {
    json c = ok;
    c[key] = std::move(value);
    return c;
  };
  CHECK(error_of(json::array()) ==
        "the range test configuration must be a JSON object, got []");
  CHECK(error_of(json::object()) ==
        "run: is required (or a trainer config as \"trainer\")");
  CHECK(error_of(with("trainer", {{"optimizer", {{"name", "sgd"}}}})) ==
        "trainer: give either a run or a trainer, not both");
  CHECK(error_of(with("lr_min", -1)) ==
        "lr_min: -1 is not a learning rate (it must be > 0)");
  CHECK(error_of(with("lr_max", "big")) ==
        "lr_max: \"big\" is not a finite number");
  CHECK(error_of(with("lr_min", 2.0)) ==
        "lr_max: lr_max = 1 must be greater than lr_min = 2 (defaults: the "
        "method's page lr 0.002 times 0.001 and 100)");
  CHECK(error_of(with("steps", 1)) ==
        "steps: 1 is not an integer in [2, 100000]");
  CHECK(error_of(with("smoothing", 1.0)) ==
        "smoothing: 1 is outside [0, 1) (the weight beta of the previous "
        "average; 0 = no smoothing)");
  CHECK(error_of(with("stop_factor", 0.5)) ==
        "stop_factor: 0.5 is below 1 (the test stops when the smoothed loss "
        "exceeds stop_factor times its lowest value)");
  CHECK(error_of(with("foo", 1)) ==
        "foo: unknown key 'foo' in the range test configuration (expected "
        "run, trainer, lr_min, lr_max, steps, smoothing, stop_factor)");
  json bad = ok;
  bad["run"]["optimizer"]["name"] = "nope";
  CHECK(error_of(bad).rfind("run.optimizer.name: unknown optimizer 'nope'",
                            0) == 0);
  CHECK(error_of({{"trainer",
                   {{"optimizer", {{"name", "sgd"}}}, {"batch_size", -1}}}})
            .rfind("trainer.batch_size: ", 0) == 0);
}
