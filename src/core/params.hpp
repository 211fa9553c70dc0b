// SPDX-License-Identifier: MIT
// Hyperparameter metadata (type, default, valid range, scale) and validation:
// the one source of truth read by the optimizers, the CLI, the URL codec and
// the controls of the page.
#pragma once

#include <cstddef>
#include <functional>
#include <limits>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

namespace optim {

using json = nlohmann::json;

inline constexpr double kInf = std::numeric_limits<double>::infinity();

enum class ParamType {
  kNumber,   // a finite double
  kInteger,  // an integer-valued number
  kBoolean,
  kChoice,        // one string out of `choices`
  kIntegerList,   // a list of integers, each within [min, max]
  kOptimizer,     // a nested {"name", "hyperparameters"} object (Lookahead)
  kScheduleList,  // a list of nested {"name", "params"} objects
  kString,        // free text of at most `max_length` characters
};

enum class Scale { kLinear, kLog };

// One hyperparameter. `min`/`max` are the valid range (checked), `soft_min`/
// `soft_max` the range a slider offers by default (never checked).
struct ParamSpec {
  std::string name;
  ParamType type = ParamType::kNumber;
  json default_value;  // null together with required = true: must be given
  bool required = false;
  bool nullable = false;  // null is a valid value (e.g. cyclic step_size_down)
  double min = -kInf;
  double max = kInf;
  bool min_inclusive = true;
  bool max_inclusive = true;
  Scale scale = Scale::kLinear;
  double soft_min = 0.0;
  double soft_max = 1.0;
  std::vector<std::string> choices;
  std::size_t max_length = 0;  // kString: in characters (UTF-8 code points)
  // kString: an optional further check of the text (e.g. that it parses).
  // It throws std::invalid_argument whose what() becomes the reason after
  // "<owner>: ", e.g. "custom: unexpected ')' at column 7".
  std::function<void(const std::string&)> check;
  std::string description;

  // "[0, 1)", "(0, inf)", ...
  std::string range_text() const;
  json to_json() const;
};

// Fluent builders for the metadata tables.
ParamSpec number_param(std::string name, double def, double min, double max,
                       std::string description);
ParamSpec integer_param(std::string name, double def, double min, double max,
                        std::string description);
ParamSpec bool_param(std::string name, bool def, std::string description);
ParamSpec choice_param(std::string name, std::string def,
                       std::vector<std::string> choices,
                       std::string description);
ParamSpec string_param(std::string name, std::string def,
                       std::size_t max_length, std::string description);

// Builder modifiers (return a copy so tables read as one expression).
ParamSpec open_min(ParamSpec p);  // min exclusive
ParamSpec open_max(ParamSpec p);  // max exclusive
ParamSpec log_scale(ParamSpec p, double soft_min, double soft_max);
ParamSpec linear_scale(ParamSpec p, double soft_min, double soft_max);
ParamSpec required(ParamSpec p);
ParamSpec nullable(ParamSpec p);
ParamSpec with_check(ParamSpec p,
                     std::function<void(const std::string&)> check);

// Validated hyperparameters with every default filled in.
class Params {
 public:
  Params() : values_(json::object()) {}
  explicit Params(json values) : values_(std::move(values)) {}

  double number(const std::string& name) const;
  int integer(const std::string& name) const;
  bool flag(const std::string& name) const;
  const std::string& choice(const std::string& name) const;
  const std::string& text(const std::string& name) const;
  std::vector<int> integers(const std::string& name) const;
  bool is_null(const std::string& name) const;
  const json& at(const std::string& name) const;
  const json& values() const { return values_; }

 private:
  json values_;
};

// Checks `given` (an object, or null for "all defaults") against `specs` and
// returns the values with defaults filled in. `owner` names the method or
// schedule in messages, e.g. "adam: beta1 = 1.5 is outside the valid range
// [0, 1)". Nested kinds (kOptimizer, kScheduleList) are only checked for
// shape here; their owner validates their content.
json normalize_params(const std::string& owner,
                      const std::vector<ParamSpec>& specs, const json& given);

// Shortest decimal text that reads back as the same double ("0.1", "1e-08").
std::string format_number(double value);

// Compact one-line text of a JSON value for messages.
std::string describe_json(const json& value);

// An invalid configuration or hyperparameter. `field` is the dotted path of
// the offending field relative to where it was thrown ("beta1", later
// "optimizer.hyperparameters.beta1"); `reason` says what is wrong and names
// the method, the parameter, the value and the valid range where they apply.
// what() is "<field>: <reason>", or just the reason when field is empty.
class ConfigError : public std::invalid_argument {
 public:
  ConfigError(std::string field, std::string reason);
  const std::string& field() const { return field_; }
  const std::string& reason() const { return reason_; }
  // The same error seen from the enclosing object: field becomes
  // "<parent>.<field>".
  ConfigError within(const std::string& parent) const;

 private:
  std::string field_;
  std::string reason_;
};

// The entry of `table` called `name`, or ConfigError("name", "unknown <kind>
// 'foo' (known: a, b, ...)"). Shared by methods, schedules and functions.
template <class Info>
const Info& find_by_name(const std::vector<Info>& table,
                         const std::string& name, const char* kind) {
  std::string known;
  for (const Info& info : table) {
    if (info.name == name) return info;
    known += (known.empty() ? "" : ", ") + info.name;
  }
  throw ConfigError("name", std::string("unknown ") + kind + " '" + name +
                                "' (known: " + known + ")");
}

}  // namespace optim
