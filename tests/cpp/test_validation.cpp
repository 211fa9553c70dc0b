// SPDX-License-Identifier: MIT
// Invalid hyperparameters and configurations: each is rejected with a
// one-line message naming the field, the method, the parameter, the value and
// the valid range.
#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include "core/params.hpp"
#include "optim/optimizers.hpp"
#include "run/config.hpp"

using optim::ConfigError;
using optim::json;

namespace {

struct Invalid {
  json optimizer;
  std::string field;    // expected ConfigError::field()
  std::string message;  // expected fragment of what()
};

json spec(const std::string& name, json hyperparameters) {
  return {{"name", name}, {"hyperparameters", std::move(hyperparameters)}};
}

}  // namespace

TEST_CASE("invalid hyperparameters are rejected with field, value and range") {
  const std::vector<Invalid> table = {
      {spec("adam", {{"beta1", 1.0}}), "hyperparameters.beta1",
       "adam: beta1 = 1 is outside the valid range [0, 1)"},
      {spec("adam", {{"beta1", 1.5}}), "hyperparameters.beta1",
       "adam: beta1 = 1.5 is outside the valid range [0, 1)"},
      {spec("adam", {{"beta2", -0.1}}), "hyperparameters.beta2",
       "adam: beta2 = -0.1 is outside the valid range [0, 1)"},
      {spec("adam", {{"lr", 0.0}}), "hyperparameters.lr",
       "adam: lr = 0 is outside the valid range (0, inf)"},
      {spec("adam", {{"eps", -1e-8}}), "hyperparameters.eps",
       "adam: eps = -1e-08 is outside the valid range [0, inf)"},
      {spec("adam", {{"amsgrad", 1}}), "hyperparameters.amsgrad",
       "adam: amsgrad = 1 is not a boolean"},
      {spec("adam", {{"beta3", 0.5}}), "hyperparameters.beta3",
       "adam: unknown parameter 'beta3'"},
      {spec("sgd", {{"lr", "fast"}}), "hyperparameters.lr",
       "sgd: lr = \"fast\" is not a number"},
      {spec("sgd", {{"lr", NAN}}), "hyperparameters.lr",
       "sgd: lr = nan is not finite"},
      {spec("sgd", {{"weight_decay", -0.1}}), "hyperparameters.weight_decay",
       "sgd: weight_decay = -0.1 is outside the valid range [0, inf)"},
      {spec("sgd_momentum", {{"momentum", 1.0}}), "hyperparameters.momentum",
       "sgd_momentum: momentum = 1 is outside the valid range [0, 1)"},
      {spec("sgd_momentum", {{"nesterov", true}, {"momentum", 0.0}}),
       "hyperparameters.nesterov",
       "sgd_momentum: nesterov = true requires momentum > 0 and dampening = 0 "
       "(got momentum = 0, dampening = 0)"},
      {spec("sgd_momentum", {{"nesterov", true}, {"dampening", 0.5}}),
       "hyperparameters.nesterov", "dampening = 0.5"},
      {spec("sgd_momentum", {{"dampening", 2.0}}), "hyperparameters.dampening",
       "outside the valid range [0, 1]"},
      {spec("adagrad", {{"lr_decay", -1.0}}), "hyperparameters.lr_decay",
       "adagrad: lr_decay = -1 is outside the valid range [0, inf)"},
      {spec("adagrad", {{"initial_accumulator_value", -1.0}}),
       "hyperparameters.initial_accumulator_value", "[0, inf)"},
      {spec("rmsprop", {{"alpha", 1.0}}), "hyperparameters.alpha",
       "rmsprop: alpha = 1 is outside the valid range [0, 1)"},
      {spec("rmsprop", {{"centered", "yes"}}), "hyperparameters.centered",
       "is not a boolean"},
      {spec("adadelta", {{"rho", 1.5}}), "hyperparameters.rho",
       "adadelta: rho = 1.5 is outside the valid range [0, 1]"},
      {spec("amsgrad", {{"variant", "keras"}}), "hyperparameters.variant",
       "amsgrad: variant = \"keras\" is not one of \"torch\", \"paper\""},
      {spec("adabound", {{"final_lr", 0.0}}), "hyperparameters.final_lr",
       "(0, inf)"},
      {spec("adabound", {{"gamma", 1.0}}), "hyperparameters.gamma",
       "adabound: gamma = 1 is outside the valid range (0, 1)"},
      {spec("amsbound", {{"amsbound", true}}), "hyperparameters.amsbound",
       "amsbound: unknown parameter 'amsbound'"},
      {spec("swats", {{"switch_eps", -1.0}}), "hyperparameters.switch_eps",
       "[0, inf)"},
      {spec("radam", {{"threshold", 3.0}}), "hyperparameters.threshold",
       "radam: threshold = 3 is outside the valid range [4, inf)"},
      {spec("nadam", {{"momentum_decay", -0.004}}),
       "hyperparameters.momentum_decay", "[0, inf)"},
      {spec("nadam_dozat", {{"weight_decay", 0.1}}),
       "hyperparameters.weight_decay", "unknown parameter 'weight_decay'"},
      {spec("adamw", {{"wd_mode", "both"}}), "hyperparameters.wd_mode",
       "is not one of \"lr\", \"schedule\""},
      {spec("sgdw", {{"momentum", -0.5}}), "hyperparameters.momentum",
       "[0, 1)"},
      {spec("lookahead", json::object()), "hyperparameters.inner",
       "lookahead: inner is required"},
      {spec("lookahead", {{"k", 0}, {"inner", spec("sgd", json::object())}}),
       "hyperparameters.k",
       "lookahead: k = 0 is outside the valid range [1, 1000000]"},
      {spec("lookahead", {{"k", 2.5}, {"inner", spec("sgd", json::object())}}),
       "hyperparameters.k", "lookahead: k = 2.5 is not an integer"},
      {spec("lookahead",
            {{"alpha", 1.5}, {"inner", spec("sgd", json::object())}}),
       "hyperparameters.alpha", "[0, 1]"},
      {spec("lookahead", {{"inner", spec("adam", {{"lr", -1.0}})}}),
       "hyperparameters.inner.hyperparameters.lr",
       "adam: lr = -1 is outside the valid range (0, inf)"},
      {spec("lookahead",
            {{"inner",
              spec("lookahead", {{"inner", spec("sgd", json::object())}})}}),
       "hyperparameters.inner.name", "inner must be another method"},
      {spec("lookahead", {{"inner", 5}}), "hyperparameters.inner",
       "is not an optimizer object"},
      {spec("adamm", json::object()), "name",
       "unknown optimizer 'adamm' (known: sgd, sgd_momentum"},
      {json{{"name", "adam"}, {"lr", 0.1}}, "lr",
       "unknown key 'lr' in optimizer"},
      {json{{"hyperparameters", json::object()}}, "name", "missing"},
      {json("adam"), "", "an optimizer must be an object"},
      {spec("adam", json::array({1, 2})), "hyperparameters",
       "parameters must be an object"},
  };
  for (const auto& row : table) {
    CAPTURE(row.optimizer.dump());
    try {
      optim::normalize_optimizer(row.optimizer);
      FAIL("accepted");
    } catch (const ConfigError& e) {
      CHECK(e.field() == row.field);
      CHECK_MESSAGE(
          std::string(e.what()).find(row.message) != std::string::npos,
          e.what());
      // One line, starting with the field path.
      CHECK(std::string(e.what()).find('\n') == std::string::npos);
      CHECK(std::string(e.what()).rfind(row.field, 0) == 0);
    }
  }
}

TEST_CASE("defaults are filled in and every default lies in its valid range") {
  for (const auto& method : optim::methods()) {
    CAPTURE(method.name);
    json given = json::object();
    if (method.name == "lookahead") given["inner"] = {{"name", "sgd"}};
    const json normalized = optim::normalize_optimizer(
        {{"name", method.name}, {"hyperparameters", given}});
    for (const auto& p : method.params) {
      CAPTURE(p.name);
      REQUIRE(normalized["hyperparameters"].contains(p.name));
      if (p.type == optim::ParamType::kNumber ||
          p.type == optim::ParamType::kInteger) {
        const double d = p.default_value.get<double>();
        CHECK((p.min_inclusive ? d >= p.min : d > p.min));
        CHECK((p.max_inclusive ? d <= p.max : d < p.max));
        CHECK(p.soft_min <= p.soft_max);
        if (p.scale == optim::Scale::kLog) CHECK(p.soft_min > 0.0);
      }
    }
    // The metadata builds and runs one step with the defaults.
    const json meta = optim::method_metadata(method);
    CHECK(meta["params"].size() == method.params.size());
    CHECK(std::find(meta["state"].begin(), meta["state"].end(),
                    "effective_lr") != meta["state"].end());
  }
}

TEST_CASE("conformance.md 1.1 defaults") {
  auto hp = [](const char* name) {
    json given = json::object();
    if (std::string(name) == "lookahead") given["inner"] = {{"name", "sgd"}};
    return optim::normalize_optimizer(
        {{"name", name}, {"hyperparameters", given}})["hyperparameters"];
  };
  CHECK(hp("sgd") == json{{"lr", 0.001}, {"weight_decay", 0.0}});
  CHECK(hp("sgd_momentum") == json{{"lr", 0.001},
                                   {"momentum", 0.9},
                                   {"dampening", 0.0},
                                   {"nesterov", false},
                                   {"weight_decay", 0.0}});
  CHECK(hp("adagrad") == json{{"lr", 0.01},
                              {"lr_decay", 0.0},
                              {"weight_decay", 0.0},
                              {"initial_accumulator_value", 0.0},
                              {"eps", 1e-10}});
  CHECK(hp("rmsprop") == json{{"lr", 0.01},
                              {"alpha", 0.99},
                              {"eps", 1e-08},
                              {"weight_decay", 0.0},
                              {"momentum", 0.0},
                              {"centered", false}});
  CHECK(hp("adadelta") ==
        json{{"lr", 1.0}, {"rho", 0.9}, {"eps", 1e-06}, {"weight_decay", 0.0}});
  CHECK(hp("adamax") == json{{"lr", 0.002},
                             {"beta1", 0.9},
                             {"beta2", 0.999},
                             {"eps", 1e-08},
                             {"weight_decay", 0.0}});
  CHECK(hp("adabound")["final_lr"] == 0.1);
  CHECK(hp("adabound")["gamma"] == 0.001);
  CHECK(hp("swats") == json{{"lr", 0.001},
                            {"beta1", 0.9},
                            {"beta2", 0.999},
                            {"eps", 1e-09},
                            {"switch_eps", 1e-09}});
  CHECK(hp("radam")["threshold"] == 5.0);
  CHECK(hp("nadam")["lr"] == 0.002);
  CHECK(hp("nadam")["momentum_decay"] == 0.004);
  CHECK(hp("adamw")["weight_decay"] == 0.01);
  CHECK(hp("adamw")["wd_mode"] == "lr");
  CHECK(hp("sgdw")["wd_mode"] == "schedule");
  CHECK(hp("sgdw")["momentum"] == 0.0);
  CHECK(hp("lookahead")["k"] == 5);
  CHECK(hp("lookahead")["alpha"] == 0.5);
}

TEST_CASE("run configurations: errors name the field") {
  const json good = {{"optimizer", {{"name", "adam"}}},
                     {"function", {{"name", "rosenbrock"}}}};
  struct Row {
    json patch;  // merged into `good`
    std::string field;
    std::string message;
  };
  const std::vector<Row> table = {
      {{{"optimizer",
         {{"name", "adam"}, {"hyperparameters", {{"beta1", 1.5}}}}}},
       "optimizer.hyperparameters.beta1",
       "optimizer.hyperparameters.beta1: adam: beta1 = 1.5 is outside the "
       "valid "
       "range [0, 1)"},
      {{{"function", {{"name", "rosenbrok"}}}},
       "function.name",
       "unknown function 'rosenbrok'"},
      {{{"function", {{"name", "quadratic"}, {"params", {{"a", -1}}}}}},
       "function.params.a",
       "quadratic: a = -1 is outside the valid range (0, inf)"},
      {{{"schedule", {{"name", "cosine"}}}}, "schedule.params.t_max", "t_max"},
      {{{"schedule", {{"name", "warp"}}}},
       "schedule.name",
       "unknown schedule 'warp'"},
      {{{"steps", -1}}, "steps", "is not an integer in [0, 100000]"},
      {{{"steps", 1e6}}, "steps", "is not an integer in [0, 100000]"},
      {{{"steps", 2.5}}, "steps", "is not an integer"},
      {{{"steps", 300},
        {"schedule",
         {{"name", "one_cycle"},
          {"params", {{"max_lr", 0.1}, {"total_steps", 100}}}}}},
       "steps",
       "defined for only 100"},
      {{{"start", {1.0}}}, "start", "must be [x, y]"},
      {{{"start", {1.0, "a"}}}, "start", "must be [x, y]"},
      {{{"noise", {{"level", -1}}}}, "noise.level", "negative"},
      {{{"noise", {{"level", 0.1}, {"seed", 1.5}}}},
       "noise.seed",
       "not an integer"},
      {{{"noise", {{"sigma", 0.1}}}},
       "noise.sigma",
       "unknown key 'sigma' in noise"},
      {{{"noise", 5}}, "noise", "must be an object"},
      {{{"divergence_bound", 0}}, "divergence_bound", "must be positive"},
      {{{"record", "state"}}, "record", "must be \"all\" or \"path\""},
      {{{"record", true}}, "record", "must be \"all\" or \"path\""},
      {{{"seed", 5}}, "seed", "unknown key 'seed' in the configuration"},
      {{{"id", 5}}, "id", "must be a string"},
  };
  for (const auto& row : table) {
    json config = good;
    config.update(row.patch);
    CAPTURE(config.dump());
    try {
      optim::parse_run_config(config);
      FAIL("accepted");
    } catch (const ConfigError& e) {
      CHECK(e.field() == row.field);
      CHECK_MESSAGE(
          std::string(e.what()).find(row.message) != std::string::npos,
          e.what());
    }
  }
  for (const json& bad : {json(nullptr), json(5), json::array()}) {
    CHECK_THROWS_AS(optim::parse_run_config(bad), ConfigError);
  }
  CHECK_THROWS_WITH_AS(
      optim::parse_run_config({{"function", {{"name", "booth"}}}}),
      "optimizer: is required", ConfigError);
}

TEST_CASE("run configurations: defaults") {
  const auto c =
      optim::parse_run_config({{"optimizer", {{"name", "sgd"}}},
                               {"function", {{"name", "rosenbrock"}}}});
  CHECK(c.steps == 200);
  CHECK(c.start[0] == -1.2);  // the function's suggested start
  CHECK(c.start[1] == 1.0);
  CHECK(c.schedule.is_null());
  CHECK(c.noise.level == 0.0);
  CHECK(c.function["params"] == json{{"a", 1.0}, {"b", 100.0}});
  CHECK(c.optimizer["hyperparameters"]["lr"] == 0.001);
}

TEST_CASE("format_number gives the shortest round-trip text") {
  CHECK(optim::format_number(0.1) == "0.1");
  CHECK(optim::format_number(1e-8) == "1e-08");
  CHECK(optim::format_number(20) == "20");
  CHECK(optim::format_number(0.00046606332609742056) ==
        "0.00046606332609742056");
  CHECK(optim::format_number(1.0 / 3) == "0.3333333333333333");
  CHECK(optim::format_number(INFINITY) == "inf");
}
