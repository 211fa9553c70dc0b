// SPDX-License-Identifier: MIT
// Learning-rate schedules: pure functions of the 0-based update index k.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/params.hpp"

namespace optim {

// gamma = f(base_lr, k). Multiplicative schedules scale base_lr; absolute ones
// (cyclic, one_cycle) ignore it. chain passes each result on as the next
// schedule's base_lr.
using ScheduleFn = std::function<double(double base_lr, long k)>;

struct ScheduleInfo {
  std::string name;
  std::string label;
  std::string formula;  // TeX
  std::string description;
  bool absolute = false;
  std::vector<ParamSpec> params;
};

// Every schedule, in the order the page lists them.
const std::vector<ScheduleInfo>& schedules();

// Throws ConfigError("name", "unknown schedule 'foo' (known: ...)").
const ScheduleInfo& find_schedule(const std::string& name);

// Validates a schedule spec {"name": ..., "params": {...}} ("params" may be
// omitted for defaults; null spec means constant) including nested schedules
// and cross-parameter rules, and returns it with every default filled in.
// Errors are ConfigError with the field path relative to the spec
// ("params.gamma", "params.schedules[1].params.t_max").
json normalize_schedule(const json& spec);

// Builds the schedule from a spec (normalized here if it was not).
ScheduleFn make_schedule(const json& spec);

// The number of updates a schedule is defined for (one_cycle: total_steps),
// or nullopt when it has no end. Takes a normalized spec.
std::optional<long> schedule_step_limit(const json& normalized_spec);

// A schedule bound to its base learning rate: gamma_t = (*this)(t - 1).
class Schedule {
 public:
  Schedule(ScheduleFn fn, double base_lr)
      : fn_(std::move(fn)), base_lr_(base_lr) {}
  double operator()(long k) const { return fn_(base_lr_, k); }
  double base_lr() const { return base_lr_; }

 private:
  ScheduleFn fn_;
  double base_lr_;
};

json schedule_metadata(const ScheduleInfo& info);

}  // namespace optim
