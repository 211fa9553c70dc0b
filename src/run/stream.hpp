// SPDX-License-Identifier: MIT
// The gradient-stream lab: one optimizer on a 1-D online problem whose
// gradients come from a typed sequence or from Reddi et al.'s counterexample
// (optimizers.md section 4).
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/params.hpp"
#include "run/path.hpp"

namespace optim {

// The longest stream: updates of a sequence (all its counts times repeat) or
// Reddi steps. Every update records a few doubles per series, so a stream of
// this length holds some tens of megabytes.
inline constexpr long kMaxStreamSteps = 1000000;
// Characters of a sequence's text.
inline constexpr std::size_t kMaxSequenceLength = 10000;

// A value repeated count times ("100000 x 1").
struct SequenceRun {
  double value;
  long count;
};

// A syntax or range error in a sequence's text. what() is the whole message,
// e.g. "expected a number at column 7"; column() is 1-based in characters
// (one past the end for a premature end).
class SequenceError : public std::invalid_argument {
 public:
  SequenceError(const std::string& message, int column)
      : std::invalid_argument(message), column_(column) {}
  int column() const { return column_; }

 private:
  int column_;
};

// Grammar (white space may surround every token):
//   sequence := item (',' item)*
//   item     := value (('x' | 'X' | '*' | U+00D7) count)?      a bare value
//                                                  is the value once
//   value    := ['+' | '-'] (digits ['.' digits] | '.' digits)
//               [('e' | 'E') ['+' | '-'] digits]         finite as a double
//   count    := digits                          a whole number >= 1
// e.g. "1 x 999, 100000" or "1e5 x 1, -1 x 20". The counts may add up to at
// most `max_steps`. Throws SequenceError.
std::vector<SequenceRun> parse_gradient_sequence(
    const std::string& text, long max_steps = kMaxStreamSteps);

// Where a stream's gradients come from, with its parameters' metadata: the
// one source of truth for the config parser and the page's controls.
struct StreamSourceInfo {
  std::string name;  // "sequence", "reddi"
  std::string label;
  std::string formula;  // TeX
  std::string description;
  std::vector<ParamSpec> params;
};

// Every source, in the order the page lists them.
const std::vector<StreamSourceInfo>& stream_sources();

// Throws ConfigError("name", "unknown stream source 'foo' (known: ...)").
const StreamSourceInfo& find_stream_source(const std::string& name);

struct StreamConfig {
  json optimizer;      // {"name", "hyperparameters"}, normalized
  json schedule;       // {"name", "params"} or null for a constant lr
  json source;         // {"name", "params"}, normalized
  double start = 0.0;  // x_0
  long steps = 0;      // updates the source gives
  bool record_state = true;
};

// {"optimizer": OPTIMIZER, "schedule": SCHEDULE|null,
//  "source": {"name": "sequence", "params": {"text": "1 x 999, 100000",
//             "repeat": 1}}
//          | {"name": "reddi", "params": {"C": 3, "steps": 3000}},
//  "start": x_0 (default 0; reddi: within [-1, 1]),
//  "record": "all" (default) | "path" (no state series),
//  "id", "description": strings (optional labels)}.
// Unknown keys are errors. Throws ConfigError with the field path, e.g.
// "source.params.text: sequence: expected a number at column 7".
StreamConfig parse_stream_config(const json& config);

// The canonical form (every default filled in) as JSON.
json to_json(const StreamConfig& config);

// A whole stream. Index t - 1 of every per-update array belongs to update t.
struct StreamResult {
  long steps = 0;  // updates completed and recorded
  double start = 0.0;
  std::vector<double> gradient;  // g_t
  std::vector<double> x;         // x_t, after update t (and the projection)
  std::vector<double> movement;  // |x_t - x_{t-1}|
  std::vector<double> lr;        // gamma_t
  // The optimizer's state after update t (m, v, v_max, ...), width 1.
  std::vector<Series> state;
  // reddi only (empty otherwise): regret_t = sum over s <= t of f_s(x_{s-1})
  // - f_s(x*), x* = -1, with x_{s-1} the point played at step s; and
  // regret_t / t.
  std::vector<double> regret;
  std::vector<double> average_regret;
  // As in run_path: the update that made x non-finite is not recorded.
  bool diverged = false;
  long diverged_at = -1;
  std::string divergence_reason;
};

StreamResult run_stream(const StreamConfig& config);

// For the page: {"sources": [{name, label, formula, description, params}],
//  "params": [the top-level parameters: start, record], "maxSteps",
//  "series": {result field: {label, description}},
//  "presets": [{name, label, description, config}]} (the runs of section 4,
//  each a complete config).
json stream_metadata();

}  // namespace optim
