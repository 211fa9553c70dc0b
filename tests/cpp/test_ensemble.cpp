// SPDX-License-Identifier: MIT
// Ensembles: endpoints equal run_path's, counts add up, seeds, basins, errors.
#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "core/rng.hpp"
#include "optim/optimizers.hpp"
#include "run/ensemble.hpp"
#include "run/path.hpp"

using optim::json;

namespace {

bool same_bits(double a, double b) {
  return std::memcmp(&a, &b, sizeof a) == 0;
}

json racer(const char* method, json hyper = json::object(),
           json schedule = nullptr) {
  return {{"optimizer", {{"name", method}, {"hyperparameters", hyper}}},
          {"schedule", schedule}};
}

optim::EnsembleResult ensemble(const json& config) {
  return optim::run_ensemble(optim::parse_ensemble_config(config));
}

void check_counts_add_up(const optim::EnsembleResult& r) {
  for (const auto& racer : r.racers) {
    long total = racer.other + racer.diverged;
    for (long c : racer.basin_counts) total += c;
    CHECK(total == r.runs);
    CHECK(racer.endpoints.size() == 2 * static_cast<std::size_t>(r.runs));
    CHECK(racer.gap.size() == static_cast<std::size_t>(r.runs));
  }
}

// run_endpoint against run_path's last iterate, with a fresh optimizer and
// again with the same one (reset must give the same run).
void check_endpoint_matches_path(const json& run_config) {
  const optim::RunConfig c = optim::parse_run_config(run_config);
  const optim::RunResult path = optim::run_path(c);
  REQUIRE_FALSE(path.diverged);
  const auto function =
      optim::make_function(c.function["name"], c.function["params"]);
  const auto optimizer = optim::make_optimizer(c.optimizer, c.schedule);
  for (int repeat = 0; repeat < 2; ++repeat) {
    long diverged_at = 7;
    double loss = 0.0;
    const optim::Vec end =
        optim::run_endpoint(*optimizer, *function, c.start, c.steps, c.noise,
                            c.divergence_bound, &diverged_at, &loss);
    CHECK(diverged_at == -1);
    const std::size_t last = path.trajectory.size() - 2;
    CHECK(same_bits(end[0], path.trajectory[last]));
    CHECK(same_bits(end[1], path.trajectory[last + 1]));
    CHECK(same_bits(loss, path.loss.back()));
  }
}

json run_config(json optimizer, json schedule, double noise) {
  json j = {{"optimizer", optimizer},
            {"schedule", schedule},
            {"function", {{"name", "rosenbrock"}}},
            {"start", {-1.2, 1.0}},
            {"steps", 300}};
  if (noise > 0.0) j["noise"] = {{"level", noise}, {"seed", 42}};
  return j;
}

optim::ConfigError config_error(const json& config) {
  try {
    optim::parse_ensemble_config(config);
  } catch (const optim::ConfigError& e) {
    return e;
  }
  FAIL("no ConfigError for " << config.dump());
  return optim::ConfigError("", "");
}

const json kQuadratic = {{"name", "quadratic"}, {"params", {{"b", 10.0}}}};

}  // namespace

TEST_CASE("ensemble: run_endpoint equals run_path's last iterate bit for bit") {
  const json adam = {{"name", "adam"}, {"hyperparameters", {{"lr", 0.02}}}};
  const json nag = {{"name", "nag"}, {"hyperparameters", {{"lr", 1e-3}}}};
  const json lookahead = {
      {"name", "lookahead"},
      {"hyperparameters", {{"inner", adam}, {"k", 5}, {"alpha", 0.5}}}};
  const json cosine = {{"name", "cosine"}, {"params", {{"t_max", 300}}}};
  for (double noise : {0.0, 0.5}) {
    CAPTURE(noise);
    check_endpoint_matches_path(run_config(adam, nullptr, noise));
    check_endpoint_matches_path(run_config(adam, cosine, noise));
    check_endpoint_matches_path(run_config(nag, nullptr, noise));
    check_endpoint_matches_path(run_config(lookahead, nullptr, noise));
  }
}

TEST_CASE("ensemble: run r of every racer is run_path from start r, noise r") {
  const json config = {{"function", {{"name", "himmelblau"}}},
                       {"racers",
                        {racer("sgd_momentum", {{"lr", 1e-3}}),
                         racer("lookahead", {{"inner", {{"name", "adam"}}}})}},
                       {"steps", 100},
                       {"runs", 5},
                       {"seed", 9},
                       {"noise", {{"level", 0.3}}}};
  const auto result = ensemble(config);
  for (long r = 0; r < 5; ++r) {
    optim::Rng rng(9 + r);
    const double u = rng.uniform();
    const double v = rng.uniform();
    for (std::size_t k = 0; k < 2; ++k) {
      json rc = {{"optimizer", config["racers"][k]["optimizer"]},
                 {"function", config["function"]},
                 {"start", {-5.0 + 10.0 * u, -5.0 + 10.0 * v}},
                 {"steps", 100},
                 {"noise", {{"level", 0.3}, {"seed", 9 + r}}}};
      const auto path = optim::run_path(optim::parse_run_config(rc));
      REQUIRE_FALSE(path.diverged);
      const std::size_t last = path.trajectory.size() - 2;
      CHECK(
          same_bits(result.racers[k].endpoints[2 * r], path.trajectory[last]));
      CHECK(same_bits(result.racers[k].endpoints[2 * r + 1],
                      path.trajectory[last + 1]));
    }
  }
}

// Fixed-size racers run several runs side by side (run_fixed2d_lanes) and the
// last few one at a time: every run must still be its own run_path, whatever
// its neighbours do (diverge early, take the look-ahead gradient, draw noise).
TEST_CASE("ensemble: runs side by side are each run_path bit for bit") {
  const json cosine = {{"name", "cosine"}, {"params", {{"t_max", 150}}}};
  const json racers = {
      racer("sgd", {{"lr", 2e-3}}), racer("nag", {{"lr", 1e-3}}),
      racer("adam", {{"lr", 0.05}}), racer("rmsprop", {{"lr", 0.01}}, cosine),
      racer("lookahead", {{"inner", {{"name", "adam"}}}})};
  for (double noise : {0.0, 2.0}) {
    CAPTURE(noise);
    const json config = {{"function", {{"name", "rosenbrock"}}},
                         {"racers", racers},
                         {"steps", 150},
                         {"runs", 11},
                         {"seed", 3},
                         {"noise", {{"level", noise}}}};
    const auto c = optim::parse_ensemble_config(config);
    const auto result = optim::run_ensemble(c);
    long diverged = 0, finished = 0;
    for (std::size_t k = 0; k < racers.size(); ++k) {
      const auto& out = result.racers[k];
      for (long r = 0; r < 11; ++r) {
        CAPTURE(k);
        CAPTURE(r);
        optim::Rng rng(3 + r);
        const double u = rng.uniform();
        const double v = rng.uniform();
        json rc = {{"optimizer", racers[k]["optimizer"]},
                   {"schedule", racers[k]["schedule"]},
                   {"function", config["function"]},
                   {"start",
                    {c.box.xmin + (c.box.xmax - c.box.xmin) * u,
                     c.box.ymin + (c.box.ymax - c.box.ymin) * v}},
                   {"steps", 150},
                   {"noise", {{"level", noise}, {"seed", 3 + r}}}};
        const auto path = optim::run_path(optim::parse_run_config(rc));
        if (path.diverged) {
          ++diverged;
          CHECK(std::isnan(out.endpoints[2 * r]));
          CHECK(std::isnan(out.endpoints[2 * r + 1]));
          CHECK(std::isnan(out.train_loss[r]));
          CHECK(out.basin[r] == -2);
        } else {
          ++finished;
          const std::size_t last = path.trajectory.size() - 2;
          CHECK(same_bits(out.endpoints[2 * r], path.trajectory[last]));
          CHECK(same_bits(out.endpoints[2 * r + 1], path.trajectory[last + 1]));
          CHECK(same_bits(out.train_loss[r], path.loss.back()));
          CHECK(out.basin[r] >= -1);
        }
      }
    }
    // Both kinds of run occur, so that lanes ending early are exercised.
    CHECK(diverged > 0);
    CHECK(finished > 0);
  }
}

TEST_CASE("ensemble: counts add up to runs for every racer") {
  const auto r =
      ensemble({{"function", {{"name", "himmelblau"}}},
                {"racers",
                 {racer("sgd", {{"lr", 0.01}}), racer("adam", {{"lr", 0.05}}),
                  racer("sgd_momentum", {{"lr", 0.02}}), racer("rmsprop")}},
                {"steps", 300},
                {"runs", 60},
                {"noise", {{"level", 1.0}}},
                {"basin_radius", 0.3}});
  REQUIRE(r.racers.size() == 4);
  REQUIRE(r.minima.size() == 4);
  check_counts_add_up(r);
}

TEST_CASE("ensemble: a fixed start without noise gives identical endpoints") {
  const auto r = ensemble({{"function", {{"name", "rosenbrock"}}},
                           {"racers", {racer("adam", {{"lr", 0.01}})}},
                           {"steps", 200},
                           {"runs", 20},
                           {"start", {{"point", {-1.2, 1.0}}}}});
  const auto& e = r.racers[0].endpoints;
  for (long i = 1; i < 20; ++i) {
    CHECK(same_bits(e[2 * i], e[0]));
    CHECK(same_bits(e[2 * i + 1], e[1]));
  }
  check_counts_add_up(r);
}

TEST_CASE("ensemble: the same seed repeats, another seed differs") {
  json config = {{"function", {{"name", "rosenbrock"}}},
                 {"racers", {racer("adam", {{"lr", 0.01}}), racer("sgd")}},
                 {"steps", 100},
                 {"runs", 10},
                 {"seed", 3},
                 {"noise", {{"level", 0.1}}}};
  const auto a = ensemble(config);
  const auto b = ensemble(config);
  CHECK(optim::to_json(a).dump() == optim::to_json(b).dump());
  for (std::size_t k = 0; k < 2; ++k) {
    CHECK(a.racers[k].endpoints == b.racers[k].endpoints);
  }
  config["seed"] = 4;
  const auto c = ensemble(config);
  CHECK(a.racers[0].endpoints != c.racers[0].endpoints);
  CHECK(a.racers[1].endpoints != c.racers[1].endpoints);
}

TEST_CASE("ensemble: SGD on the quadratic bowl always ends in its basin") {
  const auto r = ensemble({{"function", kQuadratic},
                           {"racers", {racer("sgd", {{"lr", 0.05}})}},
                           {"steps", 500},
                           {"runs", 100}});
  REQUIRE(r.minima.size() == 1);
  const auto& s = r.racers[0];
  CHECK(s.diverged == 0);
  CHECK(s.basin_counts[0] == 100 - s.diverged);
  CHECK(s.other == 0);
}

TEST_CASE("ensemble: SGD on Himmelblau reaches more than one basin") {
  const auto r = ensemble({{"function", {{"name", "himmelblau"}}},
                           {"racers", {racer("sgd", {{"lr", 1e-3}})}},
                           {"steps", 2000},
                           {"runs", 100}});
  REQUIRE(r.minima.size() == 4);
  int reached = 0;
  for (long c : r.racers[0].basin_counts) reached += c > 0;
  CHECK(reached > 1);
  check_counts_add_up(r);
}

TEST_CASE("ensemble: diverging runs are counted with NaN endpoints") {
  // SGD with lr 1 multiplies v by 1 - 10 = -9 every update.
  const auto r = ensemble({{"function", kQuadratic},
                           {"racers", {racer("sgd", {{"lr", 1.0}})}},
                           {"steps", 100},
                           {"runs", 20}});
  const auto& s = r.racers[0];
  CHECK(s.diverged == 20);
  CHECK(s.other == 0);
  CHECK(s.basin_counts[0] == 0);
  for (std::size_t i = 0; i < 20; ++i) {
    CHECK(std::isnan(s.endpoints[2 * i]));
    CHECK(std::isnan(s.endpoints[2 * i + 1]));
    CHECK(std::isnan(s.train_loss[i]));
    CHECK(std::isnan(s.gap[i]));
    CHECK(s.basin[i] == -2);
  }
  const json j = optim::to_json(r);
  CHECK(j["racers"][0]["endpoints"][0][0].is_null());
  CHECK(j["racers"][0]["diverged"] == 20);
}

TEST_CASE("ensemble: test loss and gap with an offset, by hand") {
  const auto r = ensemble({{"function", kQuadratic},
                           {"racers", {racer("sgd", {{"lr", 0.01}})}},
                           {"steps", 10},
                           {"runs", 3},
                           {"start", {{"point", {2.0, 1.0}}}},
                           {"test_offset", {0.5, -0.25}}});
  const auto& s = r.racers[0];
  // Ten updates of SGD on 0.5 (x^2 + 10 y^2): x *= 0.99, y *= 0.9 each.
  const double x = 2.0 * std::pow(0.99, 10);
  const double y = 1.0 * std::pow(0.9, 10);
  const double train = 0.5 * (x * x + 10.0 * y * y);
  const double test =
      0.5 * ((x - 0.5) * (x - 0.5) + 10.0 * (y + 0.25) * (y + 0.25));
  for (std::size_t i = 0; i < 3; ++i) {
    CHECK(s.endpoints[2 * i] == doctest::Approx(x).epsilon(1e-12));
    CHECK(s.endpoints[2 * i + 1] == doctest::Approx(y).epsilon(1e-12));
    CHECK(s.train_loss[i] == doctest::Approx(train).epsilon(1e-12));
    CHECK(s.test_loss[i] == doctest::Approx(test).epsilon(1e-12));
    CHECK(s.gap[i] == doctest::Approx(test - train).epsilon(1e-12));
  }
  // (1.63, 0.35) is more than 0.5 from the minimum at the origin.
  CHECK(s.other == 3);
}

TEST_CASE("ensemble: invalid configs name their fields") {
  const json good = {{"function", {{"name", "rosenbrock"}}},
                     {"racers", {racer("adam")}}};
  struct Row {
    json patch;
    std::string field;
  };
  const std::vector<Row> table = {
      {{{"runs", 0}}, "runs"},
      {{{"runs", 1001}}, "runs"},
      {{{"racers", json::array()}}, "racers"},
      {{{"color", "red"}}, "color"},
      {{{"steps", 100000},
        {"runs", 1000},
        {"racers", {racer("adam"), racer("sgd"), racer("nag")}}},
       "runs"},
      {{{"racers", {racer("adam"), racer("adamm")}}},
       "racers[1].optimizer.name"},
      {{{"racers", {racer("adam", {{"beta1", 2}})}}},
       "racers[0].optimizer.hyperparameters.beta1"},
      {{{"steps", 0}}, "steps"},
      {{{"seed", -1}}, "seed"},
      {{{"start", {{"box", {{"xmin", 1}}}}}}, "start.box.xmax"},
      {{{"start", {{"point", {1, "a"}}}}}, "start.point[1]"},
      {{{"start", {{"circle", 1}}}}, "start"},
      {{{"noise", {{"level", -1}}}}, "noise.level"},
      {{{"noise", {{"seed", 1}}}}, "noise.seed"},
      {{{"basin_radius", 0}}, "basin_radius"},
      {{{"test_offset", {1}}}, "test_offset"},
  };
  for (const Row& row : table) {
    json config = good;
    config.merge_patch(row.patch);
    CAPTURE(config.dump());
    CHECK(config_error(config).field() == row.field);
  }
}

TEST_CASE("ensemble: defaults") {
  const auto c = optim::parse_ensemble_config(
      {{"function", {{"name", "himmelblau"}}}, {"racers", {racer("adam")}}});
  CHECK(c.steps == 2000);
  CHECK(c.runs == 100);
  CHECK(c.seed == 1);
  CHECK_FALSE(c.fixed_start);
  CHECK(c.box.xmin == -5.0);
  CHECK(c.box.ymax == 5.0);
  CHECK(c.noise_level == 0.0);
  CHECK(c.basin_radius == 0.5);
  CHECK(c.test_dx == 0.0);
  CHECK(c.racers[0].schedule.is_null());
}
