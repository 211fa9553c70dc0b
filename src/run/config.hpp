// SPDX-License-Identifier: MIT
// Experiment configurations in the vocabulary of the golden cases, parsed
// from JSON with one-line errors that name the offending field.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>

#include "core/params.hpp"
#include "core/types.hpp"
#include "problems/functions2d.hpp"

namespace optim {

inline constexpr long kMaxSteps = 100000;
inline constexpr double kDefaultDivergenceBound = 1e12;
inline constexpr long kMaxGridCells = 4L * 1024 * 1024;

struct NoiseSpec {
  double level = 0.0;  // standard deviation of the noise added to g
  std::uint64_t seed = 0;
};

// One optimizer on one function. All specs are normalized (defaults filled).
struct RunConfig {
  json optimizer;  // {"name", "hyperparameters"}
  json schedule;   // {"name", "params"} or null for a constant lr
  json function;   // {"name", "params"}
  Vec start;
  long steps = 200;
  NoiseSpec noise;
  // A run stops when a coordinate's magnitude exceeds this.
  double divergence_bound = kDefaultDivergenceBound;
  // false: record only trajectory, loss and lr, not the state series.
  bool record_state = true;
};

// {"optimizer": OPTIMIZER, "schedule": SCHEDULE|null, "function": FUNCTION,
//  "start": [x, y] (default: the function's suggested start),
//  "steps": N (default 200, at most kMaxSteps),
//  "noise": {"level": sigma >= 0, "seed": integer} (optional),
//  "divergence_bound": number > 0 (optional),
//  "record": "all" (default: every state series too) | "path" (trajectory,
//  loss and lr only),
//  "id", "description": strings (optional labels)}.
// Unknown keys are errors. Throws ConfigError with the field path.
RunConfig parse_run_config(const json& config);

// Helpers shared by the parsers of run, grid, landscape and ensemble configs;
// each throws ConfigError naming `field`.
void reject_unknown_keys(const json& object, const std::string& what,
                         std::initializer_list<const char*> known);
double finite_number(const json& value, const std::string& field);
long long integer_in(const json& value, const std::string& field, double min,
                     double max);

// A config's method: "optimizer" (required) and "schedule" (optional; null
// when absent or null), both normalized. Errors name the field.
struct MethodSpec {
  json optimizer;
  json schedule;
};
MethodSpec parse_method(const json& config);

// Throws ConfigError(field) when `steps` updates run past the end of a
// schedule defined for a number of updates only (one_cycle); `updates`
// names the count in the message ("400 updates", "the source gives 400
// updates"). A null schedule has no end.
void check_schedule_length(const json& schedule, long steps,
                           const std::string& field,
                           const std::string& updates);

// Checks the optional labels "id" and "description" of a config: strings.
void check_labels(const json& config);

// {"xmin", "xmax", "ymin", "ymax"}: finite, xmin < xmax, ymin < ymax; with
// allow_degenerate (a region of start points) min == max is accepted too.
Box parse_box(const json& box, bool allow_degenerate = false);

// Runs f; a ConfigError it throws is re-thrown as seen from `field`.
template <class F>
auto within(const std::string& field, F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const ConfigError& e) {
    throw e.within(field);
  }
}

// Validates {"name", "params"} of a function and returns it normalized.
json normalize_function(const json& spec);

// For a function spec with any parameters: {"function": normalized spec,
//  "domain": {xmin, xmax, ymin, ymax}, "start": [x, y], "minima": [{x, y, f}]}.
json function_details(const json& spec);

// A W x H grid of function values over a box, for the heat map.
struct GridConfig {
  json function;
  Box box;
  int width;
  int height;
};

// {"function": FUNCTION, "box": {"xmin", "xmax", "ymin", "ymax"} (default:
//  the function's domain), "width": W >= 2, "height": H >= 2} with
// W * H <= kMaxGridCells.
GridConfig parse_grid_config(const json& config);

// The canonical form of a run config (every default filled in) as JSON.
json to_json(const RunConfig& config);

}  // namespace optim
