// SPDX-License-Identifier: MIT
// The fixed-size 2-D loop (optim/fixed2d.hpp, run_fixed2d) against the
// general Chain of transforms: the same numbers bit for bit, for every method
// (all but Lookahead have the 2-D form), with options, every schedule, noise
// and divergence; the functions' value_gradient and value_gradient_at
// against value and gradient; and the per-update tables shared between runs.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>
#include <variant>
#include <vector>

#include "optim/fixed2d.hpp"
#include "optim/optimizers.hpp"
#include "optim/rules.hpp"
#include "optim/schedule.hpp"
#include "problems/functions2d.hpp"
#include "run/ensemble.hpp"
#include "run/fixed2d_loop.hpp"
#include "run/path.hpp"

using optim::json;

namespace {

bool same_bits(double a, double b) {
  return std::memcmp(&a, &b, sizeof a) == 0;
}

// Bit-for-bit equality of two series; reports the first difference.
template <class Values>
void check_same(const Values& fast, const Values& general,
                const std::string& what) {
  CAPTURE(what);
  REQUIRE(fast.size() == general.size());
  for (std::size_t i = 0; i < fast.size(); ++i) {
    if (!same_bits(fast[i], general[i])) {
      CAPTURE(i);
      CHECK(fast[i] == general[i]);
      return;
    }
  }
}

void check_same_run(const json& config) {
  CAPTURE(config.dump());
  const optim::RunConfig parsed = optim::parse_run_config(config);
  const auto fast = optim::run_path(parsed, optim::PathEngine::automatic);
  const auto general = optim::run_path(parsed, optim::PathEngine::general);
  CHECK(fast.steps == general.steps);
  CHECK(fast.diverged == general.diverged);
  CHECK(fast.diverged_at == general.diverged_at);
  CHECK(fast.divergence_reason == general.divergence_reason);
  check_same(fast.trajectory, general.trajectory, "trajectory");
  check_same(fast.loss, general.loss, "loss");
  check_same(fast.lr, general.lr, "lr");
  REQUIRE(fast.state.size() == general.state.size());
  for (std::size_t k = 0; k < fast.state.size(); ++k) {
    CHECK(fast.state[k].name == general.state[k].name);
    CHECK(fast.state[k].width == general.state[k].width);
    check_same(fast.state[k].values, general.state[k].values,
               general.state[k].name);
  }
}

json optimizer(const char* name, json hyper) {
  return {{"name", name}, {"hyperparameters", std::move(hyper)}};
}

// The records of a run on the fixed-size kernel itself, through run_fixed2d
// and the kernel's series(): what run_path records, without run_path.
optim::RunResult fixed_run(const optim::RunConfig& config) {
  const auto function =
      optim::make_function(config.function["name"], config.function["params"]);
  auto fixed = optim::make_fixed2d_optimizer(config.optimizer, config.schedule,
                                             config.steps);
  REQUIRE(fixed.has_value());
  optim::RunResult result;
  std::visit(
      [&](auto& kernel) {
        kernel.track_effective(true);
        const auto sources = kernel.series();
        std::vector<optim::Series> series(sources.size());
        for (std::size_t k = 0; k < sources.size(); ++k) {
          series[k].name = sources[k].name;
          series[k].width = sources[k].width;
        }
        Eigen::Vector2d theta(config.start[0], config.start[1]);
        const long at = optim::run_fixed2d(
            kernel, *fixed, *function, theta, config.steps, config.noise,
            config.divergence_bound,
            [&](double f0) {
              result.trajectory = {theta[0], theta[1]};
              result.loss = {f0};
            },
            [&](long t, const Eigen::Vector2d& x, double f, double gamma) {
              result.trajectory.push_back(x[0]);
              result.trajectory.push_back(x[1]);
              result.loss.push_back(f);
              result.lr.push_back(gamma);
              for (std::size_t k = 0; k < series.size(); ++k) {
                series[k].values.insert(series[k].values.end(), sources[k].data,
                                        sources[k].data + sources[k].width);
              }
              result.steps = t;
            });
        result.diverged = at >= 0;
        result.diverged_at = at;
        if (result.steps > 0) result.state = std::move(series);
      },
      fixed->kernel);
  return result;
}

// fixed_run against the general chain, bit for bit.
void check_same_kernel_run(const json& config) {
  CAPTURE(config.dump());
  const optim::RunConfig parsed = optim::parse_run_config(config);
  const auto fast = fixed_run(parsed);
  const auto general = optim::run_path(parsed, optim::PathEngine::general);
  CHECK(fast.steps == general.steps);
  CHECK(fast.diverged == general.diverged);
  CHECK(fast.diverged_at == general.diverged_at);
  check_same(fast.trajectory, general.trajectory, "trajectory");
  check_same(fast.loss, general.loss, "loss");
  check_same(fast.lr, general.lr, "lr");
  REQUIRE(fast.state.size() == general.state.size());
  for (std::size_t k = 0; k < fast.state.size(); ++k) {
    CHECK(fast.state[k].name == general.state[k].name);
    CHECK(fast.state[k].width == general.state[k].width);
    check_same(fast.state[k].values, general.state[k].values,
               general.state[k].name);
  }
}

// Every method with a fixed-size form (every method but Lookahead), with
// each of its options.
std::vector<json> fast_optimizers() {
  return {
      optimizer("sgd", {{"lr", 2e-3}}),
      optimizer("sgd", {{"lr", 2e-3}, {"weight_decay", 0.05}}),
      optimizer("sgd_momentum", {{"lr", 1e-3}}),
      optimizer("momentum_classic", {{"lr", 1e-3}}),
      optimizer("nag", {{"lr", 1e-3}, {"momentum", 0.8}}),
      optimizer("adagrad", {{"lr", 0.1}}),
      optimizer("adagrad", {{"lr", 0.1},
                            {"lr_decay", 0.01},
                            {"initial_accumulator_value", 0.5},
                            {"weight_decay", 0.01}}),
      optimizer("sgd_momentum", {{"lr", 1e-3}, {"dampening", 0.3}}),
      optimizer("sgd_momentum",
                {{"lr", 1e-3}, {"nesterov", true}, {"weight_decay", 0.01}}),
      optimizer("rmsprop", {{"lr", 1e-2}}),
      optimizer("rmsprop", {{"lr", 1e-2}, {"centered", true}}),
      optimizer("rmsprop",
                {{"lr", 1e-2}, {"momentum", 0.5}, {"weight_decay", 0.01}}),
      optimizer("rmsprop",
                {{"lr", 1e-2}, {"centered", true}, {"momentum", 0.9}}),
      optimizer("adam", {{"lr", 2e-2}}),
      optimizer("adam",
                {{"lr", 2e-2}, {"amsgrad", true}, {"weight_decay", 0.01}}),
      optimizer("adam", {{"lr", 2e-3}, {"bias_correction", false}}),
      optimizer("adamw", {{"lr", 2e-2}}),
      optimizer("adamw",
                {{"lr", 2e-2}, {"wd_mode", "schedule"}, {"amsgrad", true}}),
      optimizer("amsgrad", {{"lr", 2e-2}}),
      optimizer("nadam_dozat", {{"lr", 2e-2}}),
      optimizer("adamax", {{"lr", 2e-2}}),
      optimizer("adamax", {{"lr", 2e-2},
                           {"beta1", 0.8},
                           {"beta2", 0.99},
                           {"eps", 1e-3},
                           {"weight_decay", 0.01}}),
      optimizer("sgdw", {{"lr", 1e-3}}),
      optimizer("sgdw",
                {{"lr", 1e-3}, {"momentum", 0.9}, {"weight_decay", 0.05}}),
      optimizer("sgdw", {{"lr", 1e-3},
                         {"momentum", 0.5},
                         {"weight_decay", 0.05},
                         {"wd_mode", "lr"}}),
      optimizer("adadelta", {{"lr", 1.0}}),
      optimizer(
          "adadelta",
          {{"lr", 0.5}, {"rho", 0.95}, {"eps", 1e-4}, {"weight_decay", 0.01}}),
      optimizer("amsgrad", {{"lr", 2e-2}, {"variant", "paper"}}),
      optimizer("amsgrad",
                {{"lr", 2e-2}, {"variant", "paper"}, {"weight_decay", 0.01}}),
      optimizer("amsgrad", {{"lr", 2e-2}, {"weight_decay", 0.01}}),
      optimizer("adabound", {{"lr", 2e-2}}),
      optimizer("adabound", {{"lr", 2e-2},
                             {"amsbound", true},
                             {"final_lr", 0.01},
                             {"gamma", 0.05},
                             {"weight_decay", 0.01}}),
      optimizer("amsbound", {{"lr", 2e-2}}),
      // switch_eps 1e-9 rarely switches on a 2-D toy, 1e-3 switches early
      // (spec § 2.8): both phases.
      optimizer("swats", {{"lr", 2e-2}}),
      optimizer("swats", {{"lr", 2e-2}, {"switch_eps", 1e-3}}),
      optimizer("swats", {{"lr", 1e-2}, {"switch_eps", 1e-5}}),
  };
}

// The methods whose kernels report scalar series, with each of their
// options: RAdam's threshold (the paper's 4, PyTorch's 5, one rectifying
// late: beta2 = 0.99 gives rho_inf = 199, so 150 puts the unrectified phase
// at t < ~60), L2 or decoupled decay; NAdam's psi (0 gives mu = beta1 / 2, a
// large one moves mu_t within the run), betas and eps.
std::vector<json> scalar_series_optimizers() {
  return {
      optimizer("radam", {{"lr", 1e-2}}),
      optimizer("radam", {{"lr", 1e-2}, {"threshold", 4.0}}),
      optimizer("radam", {{"lr", 1e-2},
                          {"beta1", 0.8},
                          {"beta2", 0.99},
                          {"threshold", 150.0},
                          {"eps", 1e-4}}),
      optimizer("radam", {{"lr", 1e-2}, {"weight_decay", 0.02}}),
      optimizer("radam", {{"lr", 1e-2},
                          {"weight_decay", 0.02},
                          {"decoupled_weight_decay", true}}),
      optimizer("nadam", {{"lr", 2e-2}}),
      optimizer("nadam", {{"lr", 2e-2}, {"momentum_decay", 0.0}}),
      optimizer("nadam", {{"lr", 2e-2},
                          {"momentum_decay", 0.5},
                          {"beta1", 0.95},
                          {"beta2", 0.99},
                          {"eps", 1e-4}}),
      optimizer("nadam", {{"lr", 2e-2}, {"weight_decay", 0.02}}),
      optimizer("nadam", {{"lr", 2e-2},
                          {"weight_decay", 0.02},
                          {"decoupled_weight_decay", true}}),
  };
}

json run_config(const json& opt, const char* function, json start,
                json schedule, double noise, long steps) {
  json c = {{"optimizer", opt},
            {"function", {{"name", function}}},
            {"start", std::move(start)},
            {"steps", steps}};
  if (!schedule.is_null()) c["schedule"] = std::move(schedule);
  if (noise > 0.0) c["noise"] = {{"level", noise}, {"seed", 11}};
  return c;
}

}  // namespace

TEST_CASE("fast path: every method but Lookahead has a kernel") {
  for (const json& opt : fast_optimizers()) {
    CAPTURE(opt.dump());
    CHECK(optim::make_fixed2d_optimizer(opt, nullptr, 10).has_value());
  }
  for (const json& opt : scalar_series_optimizers()) {
    CAPTURE(opt.dump());
    CHECK(optim::make_fixed2d_optimizer(opt, nullptr, 10).has_value());
  }
  // The tables above name every method of the table but Lookahead.
  std::vector<std::string> covered;
  for (const json& opt : fast_optimizers()) covered.push_back(opt["name"]);
  for (const json& opt : scalar_series_optimizers()) {
    covered.push_back(opt["name"]);
  }
  for (const auto& info : optim::methods()) {
    CAPTURE(info.name);
    const bool listed =
        std::find(covered.begin(), covered.end(), info.name) != covered.end();
    CHECK(listed == (info.name != "lookahead"));
    json spec = {{"name", info.name}};
    if (info.name == "lookahead") {
      spec["hyperparameters"] = {{"inner", {{"name", "adam"}}}};
    }
    CHECK(optim::make_fixed2d_optimizer(spec, nullptr, 10).has_value() ==
          (info.name != "lookahead"));
  }
}

// One setting of every schedule (shared/reference/optimizers.md § 3), with
// steps within a 400-update run.
std::vector<json> every_schedule() {
  std::vector<json> out = {
      nullptr,
      {{"name", "constant"}},
      {{"name", "step"}, {"params", {{"step_size", 100}, {"gamma", 0.5}}}},
      {{"name", "multistep"},
       {"params", {{"milestones", {50, 200}}, {"gamma", 0.3}}}},
      {{"name", "exponential"}, {"params", {{"gamma", 0.995}}}},
      {{"name", "inverse_sqrt"}},
      {{"name", "cosine"}, {"params", {{"t_max", 300}}}},
      {{"name", "cosine_warm_restarts"},
       {"params", {{"t_0", 60}, {"t_mult", 2}}}},
      {{"name", "cyclic"},
       {"params",
        {{"base_lr", 1e-4},
         {"max_lr", 1e-2},
         {"step_size_up", 50},
         {"mode", "triangular2"}}}},
      {{"name", "one_cycle"},
       {"params", {{"max_lr", 1e-2}, {"total_steps", 400}}}},
      {{"name", "linear_warmup"}, {"params", {{"warmup_steps", 50}}}},
      {{"name", "exponential_warmup"}, {"params", {{"tau", 30}}}},
      {{"name", "sequential"},
       {"params",
        {{"schedules",
          {{{"name", "linear_warmup"}, {"params", {{"warmup_steps", 20}}}},
           {{"name", "cosine"}, {"params", {{"t_max", 380}}}}}},
         {"milestones", {20}}}}},
      {{"name", "chain"},
       {"params",
        {{"schedules",
          {{{"name", "exponential"}, {"params", {{"gamma", 0.998}}}},
           {{"name", "step"}, {"params", {{"step_size", 150}}}}}}}}},
  };
  return out;
}

TEST_CASE("fast path: the schedules above are every schedule") {
  std::vector<std::string> named;
  for (const json& s : every_schedule()) {
    if (!s.is_null()) named.push_back(s["name"]);
  }
  for (const auto& info : optim::schedules()) {
    CAPTURE(info.name);
    CHECK(std::find(named.begin(), named.end(), info.name) != named.end());
  }
}

TEST_CASE("fast path: run_path equals the general chain bit for bit") {
  struct Surface {
    const char* name;
    json start;
  };
  const std::vector<Surface> surfaces = {{"rosenbrock", {-1.2, 1.0}},
                                         {"twin_basin", {0.3, 1.5}},
                                         {"quadratic", {-4.0, 2.0}},
                                         {"himmelblau", {0.0, 0.0}},
                                         {"beale", {1.0, 1.0}}};
  std::vector<json> all = fast_optimizers();
  for (const json& opt : scalar_series_optimizers()) all.push_back(opt);
  for (const json& opt : all) {
    for (const Surface& s : surfaces) {
      for (const json& schedule : every_schedule()) {
        for (double noise : {0.0, 0.4}) {
          check_same_run(
              run_config(opt, s.name, s.start, schedule, noise, 400));
        }
      }
    }
  }
}

TEST_CASE("fast path: the kernels equal the general chain bit for bit") {
  // Through run_fixed2d directly, with every series at its width: also the
  // kernels with scalar series, which run_path takes only on request.
  struct Surface {
    const char* name;
    json start;
  };
  const std::vector<Surface> surfaces = {{"rosenbrock", {-1.2, 1.0}},
                                         {"twin_basin", {0.3, 1.5}},
                                         {"quadratic", {-4.0, 2.0}},
                                         {"himmelblau", {0.0, 0.0}},
                                         {"beale", {1.0, 1.0}}};
  std::vector<json> all = fast_optimizers();
  for (const json& opt : scalar_series_optimizers()) all.push_back(opt);
  for (const json& opt : all) {
    for (const Surface& s : surfaces) {
      for (const json& schedule : every_schedule()) {
        for (double noise : {0.0, 0.4}) {
          check_same_kernel_run(
              run_config(opt, s.name, s.start, schedule, noise, 400));
        }
      }
    }
  }
}

TEST_CASE("fast path: RAdam's and NAdam's scalar series are the spec's") {
  // Independent of both engines: with beta2 = 0.999, rho_t for t = 1..8 is
  // 1.0000, 1.9995, 2.9987, 3.9975, 4.9960, 5.9942, 6.9920, 7.9895 (spec
  // § 2.9), so threshold 4 first rectifies at t = 5, threshold 5 at t = 6.
  const double rho[] = {1.0000, 1.9995, 2.9987, 3.9975,
                        4.9960, 5.9942, 6.9920, 7.9895};
  for (double threshold : {4.0, 5.0}) {
    CAPTURE(threshold);
    const auto run = fixed_run(optim::parse_run_config(
        run_config(optimizer("radam", {{"lr", 1e-3}, {"threshold", threshold}}),
                   "quadratic", {-4.0, 2.0}, nullptr, 0.0, 8)));
    REQUIRE(run.state.size() == 6);
    CHECK(run.state[2].name == "rho");
    CHECK(run.state[3].name == "rectified");
    for (int t = 1; t <= 8; ++t) {
      CAPTURE(t);
      CHECK(run.state[2].values[t - 1] ==
            doctest::Approx(rho[t - 1]).epsilon(1e-4));
      const bool rectified = t >= (threshold == 4.0 ? 5 : 6);
      CHECK(run.state[3].values[t - 1] == (rectified ? 1.0 : 0.0));
      CHECK((run.state[4].values[t - 1] > 0.0) == rectified);
    }
  }
  // mu_t = beta1 (1 - 0.5 * 0.96^(t psi)): psi = 0 gives beta1 / 2.
  const auto run = fixed_run(optim::parse_run_config(
      run_config(optimizer("nadam", {{"momentum_decay", 0.0}, {"beta1", 0.9}}),
                 "quadratic", {-4.0, 2.0}, nullptr, 0.0, 5)));
  REQUIRE(run.state.size() == 4);
  CHECK(run.state[2].name == "mu");
  for (double mu : run.state[2].values) CHECK(mu == 0.45);
}

TEST_CASE("fast path: long runs past the bias corrections' exact range") {
  // beta2 = 0.999 makes 1 - beta2^t exactly 1 only after ~37000 updates.
  check_same_run(run_config(optimizer("adam", {{"lr", 2e-2}}), "rosenbrock",
                            {-1.2, 1.0}, nullptr, 0.0, 40000));
  check_same_run(run_config(optimizer("nadam_dozat", {{"lr", 2e-2}}),
                            "twin_basin", {0.3, 1.5}, nullptr, 0.1, 40000));
  check_same_kernel_run(run_config(optimizer("radam", {{"lr", 1e-2}}),
                                   "twin_basin", {0.3, 1.5}, nullptr, 0.1,
                                   40000));
  check_same_kernel_run(run_config(optimizer("nadam", {{"lr", 2e-2}}),
                                   "twin_basin", {0.3, 1.5}, nullptr, 0.1,
                                   40000));
  check_same_kernel_run(run_config(optimizer("adamax", {{"lr", 2e-2}}),
                                   "rosenbrock", {-1.2, 1.0}, nullptr, 0.0,
                                   40000));
}

TEST_CASE("fast path: divergence matches the general chain") {
  // SGD with a large step on Rosenbrock overflows; a start beyond the bound
  // and a tiny bound give the other two reasons; zero steps record only the
  // start.
  const json sgd = optimizer("sgd", {{"lr", 0.5}});
  const json adam = optimizer("adam", {{"lr", 3.0}});
  check_same_run(run_config(sgd, "rosenbrock", {-1.2, 1.0}, nullptr, 0.0, 200));
  check_same_run(
      run_config(adam, "rosenbrock", {-1.2, 1.0}, nullptr, 0.0, 200));
  check_same_run(run_config(optimizer("adam", {{"lr", 0.1}}), "saddle",
                            {0.1, 0.1}, nullptr, 0.0, 5000));
  check_same_run(run_config(sgd, "rosenbrock", {1e13, 0.0}, nullptr, 0.0, 10));
  check_same_run(run_config(sgd, "rosenbrock", {1.0, 1.0}, nullptr, 0.0, 0));
  // RAdam's unrectified steps are plain lr * m_hat: lr 0.05 overflows on
  // Rosenbrock (spec § 2.9); NAdam and Adamax with a huge lr, SGDW too.
  for (const json& opt :
       {optimizer("radam", {{"lr", 0.05}}), optimizer("radam", {{"lr", 3.0}}),
        optimizer("nadam", {{"lr", 3.0}}), optimizer("adamax", {{"lr", 3.0}}),
        optimizer("sgdw", {{"lr", 0.5}, {"weight_decay", 0.1}})}) {
    const json c =
        run_config(opt, "rosenbrock", {-1.2, 1.0}, nullptr, 0.0, 200);
    check_same_kernel_run(c);
    check_same_run(c);
  }
  CHECK(fixed_run(optim::parse_run_config(
                      run_config(optimizer("radam", {{"lr", 0.05}}),
                                 "rosenbrock", {-1.2, 1.0}, nullptr, 0.0, 200)))
            .diverged);
  check_same_kernel_run(run_config(optimizer("nadam", {{"lr", 0.1}}),
                                   "rosenbrock", {1e13, 0.0}, nullptr, 0.0,
                                   10));
  check_same_kernel_run(run_config(optimizer("radam", {{"lr", 0.1}}),
                                   "rosenbrock", {1.0, 1.0}, nullptr, 0.0, 0));
  json bounded = run_config(optimizer("sgd_momentum", {{"lr", 0.01}}),
                            "quadratic", {-4.0, 2.0}, nullptr, 0.0, 100);
  bounded["divergence_bound"] = 4.5;
  check_same_run(bounded);

  const auto fast = optim::run_path(optim::parse_run_config(
      run_config(sgd, "rosenbrock", {-1.2, 1.0}, nullptr, 0.0, 200)));
  CHECK(fast.diverged);  // the case above does exercise divergence
}

TEST_CASE("fast path: ensembles end where run_endpoint's chain ends") {
  const json config = {
      {"function", {{"name", "twin_basin"}}},
      {"racers",
       {{{"optimizer", optimizer("adam", {{"lr", 0.05}})},
         {"schedule", nullptr}},
        {{"optimizer",
          optimizer("rmsprop", {{"lr", 0.01}, {"centered", true}})},
         {"schedule", {{"name", "cosine"}, {"params", {{"t_max", 150}}}}}},
        {{"optimizer", optimizer("sgd", {{"lr", 1000.0}})},
         {"schedule", nullptr}},
        {{"optimizer", optimizer("radam", {{"lr", 0.05}})},
         {"schedule", nullptr}},
        {{"optimizer", optimizer("nadam", {{"lr", 0.05}})},
         {"schedule", {{"name", "cosine"}, {"params", {{"t_max", 150}}}}}},
        {{"optimizer", optimizer("adamax", {{"lr", 0.05}})},
         {"schedule", nullptr}},
        {{"optimizer",
          optimizer("sgdw",
                    {{"lr", 0.01}, {"momentum", 0.9}, {"weight_decay", 0.01}})},
         {"schedule", nullptr}}}},
      {"steps", 150},
      {"runs", 20},
      {"seed", 4},
      {"noise", {{"level", 0.5}}}};
  const optim::EnsembleConfig parsed = optim::parse_ensemble_config(config);
  const auto result = optim::run_ensemble(parsed);
  const auto function = optim::make_function("twin_basin", nullptr);
  long diverged = 0;
  for (std::size_t k = 0; k < parsed.racers.size(); ++k) {
    const auto chain = optim::make_optimizer(parsed.racers[k].optimizer,
                                             parsed.racers[k].schedule);
    for (long r = 0; r < parsed.runs; ++r) {
      CAPTURE(k);
      CAPTURE(r);
      optim::Vec start(2);
      // Recompute run r's start as run_ensemble draws it.
      optim::Rng rng(parsed.seed + r);
      const double u = rng.uniform();
      const double v = rng.uniform();
      start << parsed.box.xmin + (parsed.box.xmax - parsed.box.xmin) * u,
          parsed.box.ymin + (parsed.box.ymax - parsed.box.ymin) * v;
      long at = -1;
      double loss = 0.0;
      const optim::Vec end = optim::run_endpoint(
          *chain, *function, start, parsed.steps,
          {parsed.noise_level, parsed.seed + static_cast<std::uint64_t>(r)},
          optim::kDefaultDivergenceBound, &at, &loss);
      const auto& out = result.racers[k];
      CHECK(same_bits(out.endpoints[2 * r], end[0]));
      CHECK(same_bits(out.endpoints[2 * r + 1], end[1]));
      CHECK(same_bits(out.train_loss[r], loss));
      CHECK((out.basin[r] == -2) == (at >= 0));
      diverged += at >= 0 ? 1 : 0;
    }
  }
  CHECK(diverged > 0);  // SGD with lr 1000 diverges
}

TEST_CASE(
    "functions: value_gradient and value_gradient_at are value and gradient "
    "bit for bit") {
  for (const auto& info : optim::functions()) {
    CAPTURE(info.name);
    const auto f = optim::make_function(info.name, nullptr);
    const optim::Box box = f->domain();
    for (int i = 0; i <= 6; ++i) {
      for (int j = 0; j <= 6; ++j) {
        const double x = box.xmin + (box.xmax - box.xmin) * i / 6.0 + 0.013;
        const double y = box.ymin + (box.ymax - box.ymin) * j / 6.0 - 0.007;
        double g[2];
        const double value = f->value_gradient(x, y, g);
        const Eigen::Vector2d expected = f->gradient(x, y);
        CHECK(same_bits(value, f->value(x, y)));
        CHECK(same_bits(g[0], expected[0]));
        CHECK(same_bits(g[1], expected[1]));
        // The gradient at another point of the box (the grid mirrored).
        const double px = box.xmax - (x - box.xmin);
        const double py = box.ymax - (y - box.ymin);
        double h[2];
        const double at = f->value_gradient_at(x, y, px, py, h);
        const Eigen::Vector2d elsewhere = f->gradient(px, py);
        CHECK(same_bits(at, f->value(x, y)));
        CHECK(same_bits(h[0], elsewhere[0]));
        CHECK(same_bits(h[1], elsewhere[1]));
      }
    }
  }
  // The rotated quadratic takes its own branch.
  const auto rotated = optim::make_function(
      "quadratic", {{"a", 1.0}, {"b", 10.0}, {"angle", 30.0}});
  double g[2];
  const double value = rotated->value_gradient(0.7, -1.3, g);
  CHECK(same_bits(value, rotated->value(0.7, -1.3)));
  CHECK(same_bits(g[0], rotated->gradient(0.7, -1.3)[0]));
  CHECK(same_bits(g[1], rotated->gradient(0.7, -1.3)[1]));
}

TEST_CASE("run_path: Recording::path leaves out only the state series") {
  const json c = run_config(optimizer("adam", {{"lr", 2e-2}}), "rosenbrock",
                            {-1.2, 1.0}, nullptr, 0.3, 300);
  const optim::RunConfig parsed = optim::parse_run_config(c);
  for (auto engine :
       {optim::PathEngine::automatic, optim::PathEngine::general}) {
    const auto all = optim::run_path(parsed, engine);
    const auto lean = optim::run_path(parsed, engine, optim::Recording::path);
    CHECK(all.state.size() == 3);  // m, v, effective_lr
    CHECK(lean.state.empty());
    CHECK(lean.steps == all.steps);
    check_same(lean.trajectory, all.trajectory, "trajectory");
    check_same(lean.loss, all.loss, "loss");
    check_same(lean.lr, all.lr, "lr");
  }
}

namespace {

// A clock that counts its calls: the running sum of t * scale (a clock with
// state, as NAdam's running product).
struct CountingClock {
  double scale;
  long* calls;
  double sum = 0.0;
  double operator()(long t) {
    ++*calls;
    sum += static_cast<double>(t) * scale;
    return sum;
  }
  bool operator==(const CountingClock& o) const {
    return scale == o.scale && sum == o.sum;
  }
};

// The values of a fresh clock of `scale` for t = 1..n.
std::vector<double> clock_values(double scale, long n) {
  long calls = 0;
  CountingClock c{scale, &calls};
  std::vector<double> out;
  for (long t = 1; t <= n; ++t) out.push_back(c(t));
  return out;
}

}  // namespace

TEST_CASE("PerStep: tables are shared between equal clocks, values unchanged") {
  using Steps = optim::rules::PerStep<CountingClock>;
  long calls = 0;
  // Scales no other test uses: the shared tables are process-wide.
  const double scale = 0.37;
  const std::vector<double> expected = clock_values(scale, 60);

  Steps first(CountingClock{scale, &calls});
  first.prepare(50);
  CHECK(calls == 50);
  Steps second(CountingClock{scale, &calls});
  second.prepare(50);
  CHECK(calls == 50);  // the same table, not made again
  // Past the table each runs on from where it ends, and reset() rewinds.
  for (Steps* s : {&first, &second}) {
    for (int pass = 0; pass < 2; ++pass) {
      s->reset();
      for (long t = 1; t <= 60; ++t) CHECK(same_bits((*s)(t), expected[t - 1]));
    }
  }
  // Another length or another clock makes its own table.
  Steps longer(CountingClock{scale, &calls});
  const long before = calls;
  longer.prepare(55);
  CHECK(calls == before + 55);
  Steps other(CountingClock{scale * 2, &calls});
  other.prepare(50);
  CHECK(calls == before + 105);
  const std::vector<double> doubled = clock_values(scale * 2, 50);
  for (long t = 1; t <= 50; ++t) CHECK(same_bits(other(t), doubled[t - 1]));
  // A few tables are kept: after four others, the first is made again.
  for (int k = 1; k <= 4; ++k) {
    Steps filler(CountingClock{scale * (3 + k), &calls});
    filler.prepare(10);
  }
  const long kept = calls;
  Steps again(CountingClock{scale, &calls});
  again.prepare(50);
  CHECK(calls == kept + 50);
  // The tables in use stay valid while shared ones are replaced.
  for (long t = 1; t <= 50; ++t) CHECK(same_bits(first(t), expected[t - 1]));
}
