// SPDX-License-Identifier: MIT
// Learning-rate search for one racer: log grid, then log-midpoint refinement.
#include "run/tune.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "optim/schedule.hpp"
#include "run/path.hpp"
#include "run/range_test.hpp"

namespace optim {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// The first absolute schedule in a normalized spec (itself or nested), or "".
std::string absolute_schedule(const json& spec) {
  if (spec.is_null()) return "";
  const ScheduleInfo& info = find_schedule(spec.at("name"));
  if (info.absolute) return info.name;
  const json& params = spec.at("params");
  if (params.contains("schedules")) {
    for (const json& item : params.at("schedules")) {
      const std::string found = absolute_schedule(item);
      if (!found.empty()) return found;
    }
  }
  return "";
}

const char* objective_name(TuneObjective o) {
  return o == TuneObjective::final_loss ? "final_loss" : "steps_to_target";
}

TuneTrial evaluate(const TuneConfig& c, double target, double lr, int round) {
  RunConfig run = c.run;
  run.optimizer = with_learning_rate(run.optimizer, lr);
  const RunResult r = run_path(run, PathEngine::automatic, Recording::path);
  TuneTrial t;
  t.lr = lr;
  t.round = round;
  t.diverged = r.diverged;
  t.diverged_at = r.diverged ? r.diverged_at : -1;
  t.final_loss = r.diverged ? kNaN : r.loss.back();
  if (!r.diverged && c.objective == TuneObjective::steps_to_target) {
    for (long s = 0; s <= r.steps; ++s) {
      if (r.loss[s] <= target) {
        t.reached_at = s;
        break;
      }
    }
  }
  if (c.objective == TuneObjective::final_loss) {
    t.objective = t.final_loss;
  } else {
    t.objective = t.reached_at >= 0 ? static_cast<double>(t.reached_at) : kNaN;
  }
  return t;
}

// 0: reached the target, 1: finished, 2: diverged.
int rank_class(const TuneTrial& t) {
  if (t.diverged) return 2;
  return t.reached_at >= 0 ? 0 : 1;
}

// The ranking of TuneResult: true when a is better than b.
bool better(const TuneTrial& a, const TuneTrial& b) {
  const int ca = rank_class(a), cb = rank_class(b);
  if (ca != cb) return ca < cb;
  if (ca == 0 && a.reached_at != b.reached_at) {
    return a.reached_at < b.reached_at;
  }
  if (ca != 2 && a.final_loss != b.final_loss) {
    return a.final_loss < b.final_loss;
  }
  return a.lr < b.lr;
}

long best_index(const std::vector<TuneTrial>& trials) {
  long best = -1;
  for (std::size_t i = 0; i < trials.size(); ++i) {
    if (trials[i].diverged) continue;
    if (best < 0 || better(trials[i], trials[best]))
      best = static_cast<long>(i);
  }
  return best;
}

}  // namespace

TuneConfig parse_tune_config(const json& j) {
  if (!j.is_object()) {
    throw ConfigError("", "the tune configuration must be a JSON object, got " +
                              describe_json(j));
  }
  reject_unknown_keys(
      j, "the tune configuration",
      {"run", "objective", "tol", "lr_min", "lr_max", "grid", "budget"});
  if (!j.contains("run")) throw ConfigError("run", "is required");
  TuneConfig c;
  c.run = within("run", [&] { return parse_run_config(j["run"]); });
  c.run.record_state = false;
  if (c.run.steps < 1) {
    throw ConfigError("run.steps",
                      "0 updates leave every learning rate at the start; "
                      "tuning needs at least 1");
  }
  const std::string absolute = absolute_schedule(c.run.schedule);
  if (!absolute.empty()) {
    throw ConfigError("run.schedule",
                      absolute +
                          " sets absolute learning rates and ignores the "
                          "optimizer's lr, so tuning lr would change nothing; "
                          "use a multiplicative schedule or none");
  }
  if (j.contains("objective")) {
    const json& o = j["objective"];
    if (o == "final_loss") {
      c.objective = TuneObjective::final_loss;
    } else if (o == "steps_to_target") {
      c.objective = TuneObjective::steps_to_target;
    } else {
      throw ConfigError("objective",
                        "must be \"final_loss\" or \"steps_to_target\", got " +
                            describe_json(o));
    }
  }
  if (j.contains("tol")) {
    c.tol = finite_number(j["tol"], "tol");
    if (!(c.tol > 0.0)) {
      throw ConfigError(
          "tol", format_number(c.tol) + " is not > 0 (the target is f* + tol)");
    }
  }
  c.f_star = known_minimum_value(c.run);
  if (c.objective == TuneObjective::steps_to_target && std::isnan(c.f_star)) {
    throw ConfigError(
        "objective",
        "steps_to_target needs the function's minimum value f*, and " +
            c.run.function["name"].get<std::string>() +
            " has no known minimum; use final_loss");
  }
  const LrRange range = parse_lr_range(j, c.run.optimizer);
  c.lr_min = range.lr_min;
  c.lr_max = range.lr_max;
  if (j.contains("grid")) {
    c.grid = static_cast<int>(integer_in(j["grid"], "grid", 2, kMaxTuneGrid));
  }
  if (j.contains("budget")) {
    c.budget =
        static_cast<int>(integer_in(j["budget"], "budget", 1, kMaxTuneBudget));
  }
  if (c.budget < c.grid) {
    throw ConfigError(
        "budget", std::to_string(c.budget) + " runs cannot cover the grid of " +
                      std::to_string(c.grid) + " rates (budget >= grid)");
  }
  return c;
}

json to_json(const TuneConfig& c) {
  return {{"run", to_json(c.run)},
          {"objective", objective_name(c.objective)},
          {"tol", c.tol},
          {"f_star", std::isnan(c.f_star) ? json(nullptr) : json(c.f_star)},
          {"lr_min", c.lr_min},
          {"lr_max", c.lr_max},
          {"grid", c.grid},
          {"budget", c.budget}};
}

TuneResult tune(const TuneConfig& c) {
  TuneResult result;
  result.target =
      c.objective == TuneObjective::steps_to_target ? c.f_star + c.tol : kNaN;
  std::vector<TuneTrial>& trials = result.trials;
  const double ratio = c.lr_max / c.lr_min;
  for (int i = 0; i < c.grid; ++i) {
    // The ends exactly as given.
    const double lr =
        i == 0 ? c.lr_min
        : i == c.grid - 1
            ? c.lr_max
            : c.lr_min * std::pow(ratio, static_cast<double>(i) / (c.grid - 1));
    trials.push_back(evaluate(c, result.target, lr, 0));
  }
  for (int round = 1; static_cast<int>(trials.size()) < c.budget; ++round) {
    const long b = best_index(trials);
    if (b < 0) break;
    const double best_lr = trials[b].lr;
    // The nearest tried neighbours of the best rate.
    long below = -1, above = -1;
    for (std::size_t i = 0; i < trials.size(); ++i) {
      const double lr = trials[i].lr;
      if (lr < best_lr && (below < 0 || lr > trials[below].lr)) {
        below = static_cast<long>(i);
      }
      if (lr > best_lr && (above < 0 || lr < trials[above].lr)) {
        above = static_cast<long>(i);
      }
    }
    std::vector<long> sides;
    for (long side : {below, above}) {
      if (side < 0) continue;
      const double lo = std::min(trials[side].lr, best_lr);
      const double hi = std::max(trials[side].lr, best_lr);
      if (hi / lo > 1 + kTuneResolution) sides.push_back(side);
    }
    if (sides.empty()) break;
    if (sides.size() == 2 && better(trials[sides[1]], trials[sides[0]])) {
      std::swap(sides[0], sides[1]);
    }
    for (long side : sides) {
      if (static_cast<int>(trials.size()) >= c.budget) break;
      const double lr = std::sqrt(trials[side].lr * best_lr);
      trials.push_back(evaluate(c, result.target, lr, round));
    }
  }
  result.best = best_index(trials);
  result.order.resize(trials.size());
  for (std::size_t i = 0; i < trials.size(); ++i) {
    result.order[i] = static_cast<long>(i);
  }
  std::stable_sort(
      result.order.begin(), result.order.end(),
      [&](long a, long b) { return better(trials[a], trials[b]); });
  return result;
}

json to_json(const TuneResult& r) {
  auto number = [](double v) {
    return std::isnan(v) ? json(nullptr) : json(v);
  };
  auto step = [](long t) { return t < 0 ? json(nullptr) : json(t); };
  json trials = json::array();
  for (const TuneTrial& t : r.trials) {
    trials.push_back({{"lr", t.lr},
                      {"objective", number(t.objective)},
                      {"final_loss", number(t.final_loss)},
                      {"reached_at", step(t.reached_at)},
                      {"diverged", t.diverged},
                      {"diverged_at", step(t.diverged_at)},
                      {"round", t.round}});
  }
  return {{"target", number(r.target)},
          {"trials", trials},
          {"order", r.order},
          {"best", step(r.best)},
          {"best_lr", r.best < 0 ? json(nullptr) : json(r.trials[r.best].lr)}};
}

}  // namespace optim
