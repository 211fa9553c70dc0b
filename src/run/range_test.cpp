// SPDX-License-Identifier: MIT
// The learning-rate range test on a 2-D surface or the tiny network.
#include "run/range_test.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "optim/optimizers.hpp"
#include "optim/schedule.hpp"
#include "run/path.hpp"

namespace optim {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr long kDefaultRampSteps = 200;

// The smoothing, the stop rule and the minimum of RangeTestResult, fed one
// update at a time.
class Monitor {
 public:
  Monitor(double smoothing, double stop_factor, double f_star)
      : beta_(smoothing), stop_factor_(stop_factor), f_star_(f_star) {}

  // Records the next update; true when the stop rule fires on it.
  bool push(double lr, double loss, RangeTestResult& r) {
    ++t_;
    s_ = beta_ * s_ + (1 - beta_) * loss;
    const double smoothed = s_ / (1 - std::pow(beta_, static_cast<double>(t_)));
    r.lr.push_back(lr);
    r.loss.push_back(loss);
    r.smoothed.push_back(smoothed);
    lowest_ = std::min(lowest_, loss);
    if (r.min_at == 0 || smoothed < best_) {
      best_ = smoothed;
      r.min_at = t_;
    }
    if (std::isnan(f_star_)) return false;
    const double f_ref = std::min(f_star_, lowest_);
    return smoothed - f_ref > stop_factor_ * (best_ - f_ref);
  }

 private:
  double beta_, stop_factor_, f_star_;
  long t_ = 0;
  double s_ = 0.0;
  double best_ = 0.0;
  double lowest_ = std::numeric_limits<double>::infinity();
};

std::string rule_reason(const RangeTestConfig& c, double f_star) {
  return "the smoothed loss rose above " + format_number(c.stop_factor) +
         " times its lowest value, both measured from min(f* = " +
         format_number(f_star) + ", the lowest loss)";
}

void apply_ramp(TrainerConfig& c, const LrRamp& ramp) {
  c.optimizer = with_learning_rate(c.optimizer, ramp.lr_min);
  c.schedule = ramp_schedule(ramp);
  c.eval_every = 1;
}

void run_2d(const RangeTestConfig& c, RangeTestResult& r) {
  r.f_star = known_minimum_value(c.run);
  const RunResult run = run_path(c.run, PathEngine::automatic, Recording::path);
  r.start_loss = run.loss.empty() ? kNaN : run.loss[0];
  Monitor monitor(c.smoothing, c.stop_factor, r.f_star);
  for (long t = 1; t <= run.steps; ++t) {
    if (monitor.push(run.lr[t - 1], run.loss[t], r)) {
      r.diverged = true;
      r.stopped_by_rule = true;
      r.diverged_at = t;
      r.diverged_lr = run.lr[t - 1];
      r.divergence_reason = rule_reason(c, r.f_star);
      return;
    }
  }
  if (run.diverged) {
    r.diverged = true;
    r.diverged_at = run.diverged_at;
    // The blown-up update is not recorded; its rate is the ramp's.
    r.diverged_lr =
        run.diverged_at == 0
            ? kNaN
            : make_schedule(c.run.schedule)(
                  c.ramp.lr_min, static_cast<long>(run.diverged_at - 1));
    r.divergence_reason = run.divergence_reason;
  }
}

void run_network(const RangeTestConfig& c, RangeTestResult& r) {
  // Binary cross-entropy is never negative and reaches 0 only in the limit.
  r.f_star = 0.0;
  Trainer trainer(c.trainer);
  r.start_loss = trainer.train_loss().front();
  Monitor monitor(c.smoothing, c.stop_factor, r.f_star);
  for (long t = 1; t <= c.ramp.steps; ++t) {
    trainer.run(1);
    const double loss = trainer.train_loss().back();
    const double lr = trainer.learning_rate();
    if (!std::isfinite(loss)) {
      r.diverged = true;
      r.diverged_at = t;
      r.diverged_lr = lr;
      r.divergence_reason = "the training loss is not finite";
      return;
    }
    if (monitor.push(lr, loss, r)) {
      r.diverged = true;
      r.stopped_by_rule = true;
      r.diverged_at = t;
      r.diverged_lr = lr;
      r.divergence_reason = rule_reason(c, r.f_star);
      return;
    }
  }
}

}  // namespace

double page_learning_rate(const json& optimizer) {
  const MethodInfo& info = find_method(optimizer.at("name"));
  if (info.name == "lookahead") {
    const json& inner = optimizer.at("hyperparameters").at("inner");
    const MethodInfo& inner_info = find_method(inner.at("name"));
    if (inner_info.page.inner_lr > 0.0) return inner_info.page.inner_lr;
    return page_learning_rate(inner);
  }
  if (info.page.lr > 0.0) return info.page.lr;
  for (const ParamSpec& p : info.params) {
    if (p.name == "lr") return p.default_value.get<double>();
  }
  return 1.0;  // not reached: every method but Lookahead has an lr
}

double known_minimum_value(const RunConfig& run) {
  const auto f = make_function(run.function["name"], run.function["params"]);
  double lowest = kNaN;
  for (const Minimum& m : f->minima()) {
    if (std::isnan(lowest) || m.f < lowest) lowest = m.f;
  }
  return lowest;
}

json with_learning_rate(const json& optimizer, double lr) {
  json out = optimizer;
  if (out.at("name") == "lookahead") {
    out["hyperparameters"]["inner"] =
        with_learning_rate(out["hyperparameters"]["inner"], lr);
  } else {
    out["hyperparameters"]["lr"] = lr;
  }
  return out;
}

LrRange parse_lr_range(const json& j, const json& optimizer) {
  const double center = page_learning_rate(optimizer);
  LrRange range{center * kLrRangeBelow, center * kLrRangeAbove};
  auto read = [&](const char* key, double& value) {
    if (!j.contains(key)) return;
    value = finite_number(j[key], key);
    if (!(value > 0.0)) {
      throw ConfigError(key, format_number(value) +
                                 " is not a learning rate (it must be > 0)");
    }
  };
  read("lr_min", range.lr_min);
  read("lr_max", range.lr_max);
  if (!(range.lr_min < range.lr_max)) {
    const char* field = j.contains("lr_max") ? "lr_max" : "lr_min";
    throw ConfigError(
        field,
        "lr_max = " + format_number(range.lr_max) +
            " must be greater than lr_min = " + format_number(range.lr_min) +
            " (defaults: the method's page lr " + format_number(center) +
            " times " + format_number(kLrRangeBelow) + " and " +
            format_number(kLrRangeAbove) + ")");
  }
  return range;
}

json ramp_schedule(const LrRamp& ramp) {
  const double q = std::pow(ramp.lr_max / ramp.lr_min,
                            1.0 / static_cast<double>(ramp.steps - 1));
  return normalize_schedule(
      {{"name", "exponential"}, {"params", {{"gamma", q}}}});
}

json range_test_trainer_config(const json& trainer_config, const LrRamp& ramp) {
  TrainerConfig c = parse_trainer_config(trainer_config);
  apply_ramp(c, ramp);
  return to_json(c);
}

RangeTestConfig parse_range_test_config(const json& j) {
  if (!j.is_object()) {
    throw ConfigError("",
                      "the range test configuration must be a JSON object, "
                      "got " +
                          describe_json(j));
  }
  reject_unknown_keys(j, "the range test configuration",
                      {"run", "trainer", "lr_min", "lr_max", "steps",
                       "smoothing", "stop_factor"});
  const bool has_run = j.contains("run") && !j["run"].is_null();
  const bool has_trainer = j.contains("trainer") && !j["trainer"].is_null();
  if (has_run == has_trainer) {
    throw ConfigError(has_run ? "trainer" : "run",
                      has_run ? "give either a run or a trainer, not both"
                              : "is required (or a trainer config as "
                                "\"trainer\")");
  }
  RangeTestConfig c;
  c.network = has_trainer;
  // The method (its page lr gives the default range) comes from the config
  // as given; its schedule, steps and lr are replaced below.
  json optimizer;
  if (has_run) {
    c.run = within("run", [&] { return parse_run_config(j["run"]); });
    optimizer = c.run.optimizer;
  } else {
    c.trainer =
        within("trainer", [&] { return parse_trainer_config(j["trainer"]); });
    optimizer = c.trainer.optimizer;
  }
  const LrRange range = parse_lr_range(j, optimizer);
  c.ramp.lr_min = range.lr_min;
  c.ramp.lr_max = range.lr_max;
  c.ramp.steps = kDefaultRampSteps;
  if (j.contains("steps")) {
    c.ramp.steps = static_cast<long>(
        integer_in(j["steps"], "steps", 2, static_cast<double>(kMaxSteps)));
  }
  if (j.contains("smoothing")) {
    c.smoothing = finite_number(j["smoothing"], "smoothing");
    if (c.smoothing < 0.0 || c.smoothing >= 1.0) {
      throw ConfigError("smoothing",
                        format_number(c.smoothing) +
                            " is outside [0, 1) (the weight beta of the "
                            "previous average; 0 = no smoothing)");
    }
  }
  if (j.contains("stop_factor")) {
    c.stop_factor = finite_number(j["stop_factor"], "stop_factor");
    if (c.stop_factor < 1.0) {
      throw ConfigError("stop_factor",
                        format_number(c.stop_factor) +
                            " is below 1 (the test stops when the smoothed "
                            "loss exceeds stop_factor times its lowest "
                            "value)");
    }
  }
  if (has_run) {
    c.run.optimizer = with_learning_rate(c.run.optimizer, c.ramp.lr_min);
    c.run.schedule = ramp_schedule(c.ramp);
    c.run.steps = c.ramp.steps;
    c.run.record_state = false;
  } else {
    apply_ramp(c.trainer, c.ramp);
  }
  return c;
}

RangeTestResult range_test(const RangeTestConfig& c) {
  RangeTestResult r;
  r.diverged_lr = kNaN;
  if (c.network) {
    run_network(c, r);
  } else {
    run_2d(c, r);
  }
  r.steps = static_cast<long>(r.lr.size());
  r.lr_at_min = r.max_lr = r.base_lr = kNaN;
  if (r.min_at > 0) {
    r.lr_at_min = r.lr[r.min_at - 1];
    r.max_lr = r.lr_at_min / kMaxLrDivisor;
    r.base_lr = r.max_lr / kBaseLrDivisor;
  }
  return r;
}

json to_json(const RangeTestConfig& c) {
  return {{"kind", c.network ? "trainer" : "run"},
          {"config", c.network ? to_json(c.trainer) : to_json(c.run)},
          {"ramp",
           {{"lr_min", c.ramp.lr_min},
            {"lr_max", c.ramp.lr_max},
            {"steps", c.ramp.steps}}},
          {"smoothing", c.smoothing},
          {"stop_factor", c.stop_factor}};
}

json to_json(const RangeTestResult& r) {
  auto number = [](double v) {
    return std::isnan(v) ? json(nullptr) : json(v);
  };
  return {
      {"steps", r.steps},
      {"start_loss", number(r.start_loss)},
      {"lr", r.lr},
      {"loss", r.loss},
      {"smoothed", r.smoothed},
      {"f_star", number(r.f_star)},
      {"diverged", r.diverged},
      {"diverged_at", r.diverged_at < 0 ? json(nullptr) : json(r.diverged_at)},
      {"diverged_lr", number(r.diverged_lr)},
      {"stopped_by_rule", r.stopped_by_rule},
      {"divergence_reason", r.divergence_reason},
      {"min_at", r.min_at},
      {"lr_at_min", number(r.lr_at_min)},
      {"suggested",
       {{"base_lr", number(r.base_lr)}, {"max_lr", number(r.max_lr)}}}};
}

}  // namespace optim
