// SPDX-License-Identifier: MIT
// Validation of hyperparameters against their metadata.
#include "core/params.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <utility>

namespace optim {

std::string format_number(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  char buf[40];
  // Whole numbers of ordinary size read best without an exponent ("20", not
  // "2e+01").
  if (std::floor(value) == value && std::fabs(value) < 1e7) {
    std::snprintf(buf, sizeof buf, "%.0f", value);
    return buf;
  }
  for (int precision = 1; precision <= 17; ++precision) {
    std::snprintf(buf, sizeof buf, "%.*g", precision, value);
    if (std::strtod(buf, nullptr) == value) break;
  }
  return buf;
}

std::string describe_json(const json& value) {
  if (value.is_number()) return format_number(value.get<double>());
  std::string text;
  if (value.is_array()) {
    // Element by element, so that NaN and inf show as such (dump() writes
    // them as null).
    for (const auto& item : value) {
      text += (text.empty() ? "[" : ", ") + describe_json(item);
    }
    text = text.empty() ? "[]" : text + "]";
  } else {
    text = value.dump();
  }
  constexpr std::size_t kMax = 60;
  if (text.size() > kMax) text = text.substr(0, kMax - 3) + "...";
  return text;
}

ConfigError::ConfigError(std::string field, std::string reason)
    : std::invalid_argument(field.empty() ? reason : field + ": " + reason),
      field_(std::move(field)),
      reason_(std::move(reason)) {}

ConfigError ConfigError::within(const std::string& parent) const {
  if (parent.empty()) return *this;
  return ConfigError(field_.empty() ? parent : parent + "." + field_, reason_);
}

std::string ParamSpec::range_text() const {
  return std::string(min_inclusive && std::isfinite(min) ? "[" : "(") +
         format_number(min) + ", " + format_number(max) +
         (max_inclusive && std::isfinite(max) ? "]" : ")");
}

namespace {

const char* type_name(ParamType type) {
  switch (type) {
    case ParamType::kNumber:
      return "number";
    case ParamType::kInteger:
      return "integer";
    case ParamType::kBoolean:
      return "boolean";
    case ParamType::kChoice:
      return "choice";
    case ParamType::kIntegerList:
      return "integer list";
    case ParamType::kOptimizer:
      return "optimizer";
    case ParamType::kScheduleList:
      return "schedule list";
    case ParamType::kString:
      return "string";
  }
  return "?";
}

json bound_json(double v) { return std::isfinite(v) ? json(v) : json(nullptr); }

// Characters as a reader counts them: UTF-8 continuation bytes do not count.
std::size_t count_characters(const std::string& s) {
  std::size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

void check_string(const std::string& owner, const ParamSpec& p, const json& v) {
  if (!v.is_string()) {
    throw ConfigError(p.name, owner + ": " + p.name + " = " + describe_json(v) +
                                  " is not a string");
  }
  const std::string& text = v.get_ref<const std::string&>();
  const std::size_t n = count_characters(text);
  if (n > p.max_length) {
    throw ConfigError(p.name, owner + ": " + p.name + " has " +
                                  std::to_string(n) +
                                  " characters, more than the " +
                                  std::to_string(p.max_length) + " allowed");
  }
  if (p.check) {
    try {
      p.check(text);
    } catch (const std::invalid_argument& e) {
      throw ConfigError(p.name, owner + ": " + e.what());
    }
  }
}

bool in_range(const ParamSpec& p, double v) {
  const bool above = p.min_inclusive ? v >= p.min : v > p.min;
  const bool below = p.max_inclusive ? v <= p.max : v < p.max;
  return above && below;
}

// Largest integer a double holds exactly; integers beyond it are rejected.
constexpr double kMaxExactInteger = 9007199254740991.0;

bool is_integer_value(const json& v) {
  if (v.is_number_integer()) return true;
  if (!v.is_number_float()) return false;
  const double d = v.get<double>();
  return std::isfinite(d) && std::floor(d) == d &&
         std::fabs(d) <= kMaxExactInteger;
}

void check_number(const std::string& owner, const ParamSpec& p, const json& v,
                  bool integer) {
  // The message is written only for a value that fails: formatting the value
  // costs more than checking it, and every run's config checks each of its
  // hyperparameters.
  const auto what = [&] {
    return owner + ": " + p.name + " = " + describe_json(v);
  };
  if (!v.is_number()) {
    throw ConfigError(p.name, what() + " is not a number");
  }
  const double d = v.get<double>();
  if (!std::isfinite(d)) throw ConfigError(p.name, what() + " is not finite");
  if (integer && !is_integer_value(v)) {
    throw ConfigError(p.name, what() + " is not an integer");
  }
  if (!in_range(p, d)) {
    throw ConfigError(p.name,
                      what() + " is outside the valid range " + p.range_text());
  }
}

}  // namespace

json ParamSpec::to_json() const {
  json j = {{"name", name},
            {"type", type_name(type)},
            {"default", default_value},
            {"required", required},
            {"nullable", nullable},
            {"description", description}};
  if (type == ParamType::kNumber || type == ParamType::kInteger ||
      type == ParamType::kIntegerList) {
    j["min"] = bound_json(min);
    j["max"] = bound_json(max);
    j["minInclusive"] = min_inclusive;
    j["maxInclusive"] = max_inclusive;
    j["range"] = range_text();
  }
  if (type == ParamType::kNumber || type == ParamType::kInteger) {
    j["scale"] = scale == Scale::kLog ? "log" : "linear";
    j["softMin"] = soft_min;
    j["softMax"] = soft_max;
  }
  if (type == ParamType::kChoice) j["choices"] = choices;
  if (type == ParamType::kString) j["maxLength"] = max_length;
  return j;
}

ParamSpec number_param(std::string name, double def, double min, double max,
                       std::string description) {
  ParamSpec p;
  p.name = std::move(name);
  p.type = ParamType::kNumber;
  p.default_value = def;
  p.min = min;
  p.max = max;
  p.soft_min = std::isfinite(min) ? min : def - 1.0;
  p.soft_max = std::isfinite(max) ? max : (def > 0 ? 10.0 * def : def + 1.0);
  p.description = std::move(description);
  return p;
}

ParamSpec integer_param(std::string name, double def, double min, double max,
                        std::string description) {
  ParamSpec p =
      number_param(std::move(name), def, min, max, std::move(description));
  p.type = ParamType::kInteger;
  p.default_value = static_cast<long long>(def);
  return p;
}

ParamSpec bool_param(std::string name, bool def, std::string description) {
  ParamSpec p;
  p.name = std::move(name);
  p.type = ParamType::kBoolean;
  p.default_value = def;
  p.description = std::move(description);
  return p;
}

ParamSpec choice_param(std::string name, std::string def,
                       std::vector<std::string> choices,
                       std::string description) {
  ParamSpec p;
  p.name = std::move(name);
  p.type = ParamType::kChoice;
  p.default_value = std::move(def);
  p.choices = std::move(choices);
  p.description = std::move(description);
  return p;
}

ParamSpec string_param(std::string name, std::string def,
                       std::size_t max_length, std::string description) {
  ParamSpec p;
  p.name = std::move(name);
  p.type = ParamType::kString;
  p.default_value = std::move(def);
  p.max_length = max_length;
  p.description = std::move(description);
  return p;
}

ParamSpec open_min(ParamSpec p) {
  p.min_inclusive = false;
  return p;
}
ParamSpec open_max(ParamSpec p) {
  p.max_inclusive = false;
  return p;
}
ParamSpec log_scale(ParamSpec p, double soft_min, double soft_max) {
  p.scale = Scale::kLog;
  p.soft_min = soft_min;
  p.soft_max = soft_max;
  return p;
}
ParamSpec linear_scale(ParamSpec p, double soft_min, double soft_max) {
  p.scale = Scale::kLinear;
  p.soft_min = soft_min;
  p.soft_max = soft_max;
  return p;
}
ParamSpec required(ParamSpec p) {
  p.required = true;
  p.default_value = nullptr;
  return p;
}
ParamSpec nullable(ParamSpec p) {
  p.nullable = true;
  return p;
}
ParamSpec with_check(ParamSpec p,
                     std::function<void(const std::string&)> check) {
  p.check = std::move(check);
  return p;
}

json normalize_params(const std::string& owner,
                      const std::vector<ParamSpec>& specs, const json& given) {
  if (!given.is_null() && !given.is_object()) {
    throw ConfigError("", owner + ": parameters must be an object, got " +
                              describe_json(given));
  }
  for (const auto& [key, value] : given.items()) {
    bool known = false;
    for (const auto& p : specs) known = known || p.name == key;
    if (!known) {
      std::string names;
      for (const auto& p : specs) names += (names.empty() ? "" : ", ") + p.name;
      throw ConfigError(
          key, owner + ": unknown parameter '" + key +
                   "' (known: " + (names.empty() ? "none" : names) + ")");
    }
  }
  json out = json::object();
  for (const auto& p : specs) {
    const bool present = given.is_object() && given.contains(p.name);
    if (!present) {
      if (p.required) {
        throw ConfigError(p.name, owner + ": " + p.name + " is required");
      }
      out[p.name] = p.default_value;
      continue;
    }
    const json& v = given.at(p.name);
    if (v.is_null()) {
      if (!p.nullable) {
        throw ConfigError(p.name, owner + ": " + p.name + " must not be null");
      }
      out[p.name] = nullptr;
      continue;
    }
    switch (p.type) {
      case ParamType::kNumber:
        check_number(owner, p, v, false);
        out[p.name] = v.get<double>();
        break;
      case ParamType::kInteger:
        check_number(owner, p, v, true);
        out[p.name] = static_cast<long long>(v.get<double>());
        break;
      case ParamType::kBoolean:
        if (!v.is_boolean()) {
          throw ConfigError(p.name, owner + ": " + p.name + " = " +
                                        describe_json(v) +
                                        " is not a boolean (true or false)");
        }
        out[p.name] = v;
        break;
      case ParamType::kChoice: {
        bool ok = false;
        if (v.is_string()) {
          for (const auto& c : p.choices) ok = ok || c == v.get<std::string>();
        }
        if (!ok) {
          std::string list;
          for (const auto& c : p.choices) {
            list += (list.empty() ? "\"" : ", \"") + c + "\"";
          }
          throw ConfigError(p.name, owner + ": " + p.name + " = " +
                                        describe_json(v) + " is not one of " +
                                        list);
        }
        out[p.name] = v;
        break;
      }
      case ParamType::kIntegerList: {
        if (!v.is_array()) {
          throw ConfigError(p.name, owner + ": " + p.name + " = " +
                                        describe_json(v) +
                                        " is not a list of integers");
        }
        json list = json::array();
        for (std::size_t i = 0; i < v.size(); ++i) {
          ParamSpec item = p;
          item.name = p.name + "[" + std::to_string(i) + "]";
          check_number(owner, item, v[i], true);
          list.push_back(static_cast<long long>(v[i].get<double>()));
        }
        out[p.name] = list;
        break;
      }
      case ParamType::kOptimizer:
        if (!v.is_object()) {
          throw ConfigError(p.name, owner + ": " + p.name + " = " +
                                        describe_json(v) +
                                        " is not an optimizer object");
        }
        out[p.name] = v;
        break;
      case ParamType::kString:
        check_string(owner, p, v);
        out[p.name] = v;
        break;
      case ParamType::kScheduleList:
        if (!v.is_array() || v.empty()) {
          throw ConfigError(p.name,
                            owner + ": " + p.name + " = " + describe_json(v) +
                                " is not a non-empty list of schedules");
        }
        out[p.name] = v;
        break;
    }
  }
  return out;
}

const json& Params::at(const std::string& name) const {
  auto it = values_.find(name);
  if (it == values_.end()) {
    throw std::logic_error("parameter '" + name + "' was not declared");
  }
  return *it;
}

double Params::number(const std::string& name) const {
  return at(name).get<double>();
}
int Params::integer(const std::string& name) const {
  const double v = at(name).get<double>();
  return v > 2147483647.0 ? 2147483647 : static_cast<int>(v);
}
bool Params::flag(const std::string& name) const {
  return at(name).get<bool>();
}
const std::string& Params::choice(const std::string& name) const {
  return at(name).get_ref<const std::string&>();
}
const std::string& Params::text(const std::string& name) const {
  return at(name).get_ref<const std::string&>();
}
std::vector<int> Params::integers(const std::string& name) const {
  std::vector<int> out;
  for (const auto& v : at(name)) {
    const double d = v.get<double>();
    out.push_back(d > 2147483647.0 ? 2147483647 : static_cast<int>(d));
  }
  return out;
}
bool Params::is_null(const std::string& name) const {
  return at(name).is_null();
}

}  // namespace optim
