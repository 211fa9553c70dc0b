// SPDX-License-Identifier: MIT
// Parsing and validation of run and grid configurations.
#include "run/config.hpp"

#include <cmath>
#include <initializer_list>

#include "optim/optimizers.hpp"
#include "optim/schedule.hpp"

namespace optim {

void reject_unknown_keys(const json& object, const std::string& what,
                         std::initializer_list<const char*> known) {
  for (const auto& [key, value] : object.items()) {
    bool ok = false;
    std::string list;
    for (const char* k : known) {
      ok = ok || key == k;
      list += (list.empty() ? "" : ", ") + std::string(k);
    }
    if (!ok) {
      throw ConfigError(key, "unknown key '" + key + "' in " + what +
                                 " (expected " + list + ")");
    }
  }
}

double finite_number(const json& value, const std::string& field) {
  if (!value.is_number() || !std::isfinite(value.get<double>())) {
    throw ConfigError(field, describe_json(value) + " is not a finite number");
  }
  return value.get<double>();
}

long long integer_in(const json& value, const std::string& field, double min,
                     double max) {
  const double d = finite_number(value, field);
  if (std::floor(d) != d || d < min || d > max) {
    throw ConfigError(field, describe_json(value) + " is not an integer in [" +
                                 format_number(min) + ", " +
                                 format_number(max) + "]");
  }
  return static_cast<long long>(d);
}

json normalize_function(const json& spec) {
  if (!spec.is_object()) {
    throw ConfigError("", "a function must be an object {name, params}, got " +
                              describe_json(spec));
  }
  reject_unknown_keys(spec, "function", {"name", "params"});
  if (!spec.contains("name") || !spec["name"].is_string()) {
    throw ConfigError("name", "the function's name is missing or not a string");
  }
  const FunctionInfo& info = find_function(spec["name"].get<std::string>());
  const json params = within("params", [&] {
    return normalize_params(info.name, info.params,
                            spec.value("params", json(nullptr)));
  });
  return {{"name", info.name}, {"params", params}};
}

json function_details(const json& spec) {
  const json normalized = normalize_function(spec);
  const auto f = make_function(normalized["name"], normalized["params"]);
  const Box b = f->domain();
  json minima = json::array();
  for (const auto& m : f->minima()) {
    minima.push_back({{"x", m.x}, {"y", m.y}, {"f", m.f}});
  }
  return {{"function", normalized},
          {"domain",
           {{"xmin", b.xmin},
            {"xmax", b.xmax},
            {"ymin", b.ymin},
            {"ymax", b.ymax}}},
          {"start", {f->start()[0], f->start()[1]}},
          {"minima", minima}};
}

MethodSpec parse_method(const json& j) {
  if (!j.contains("optimizer")) throw ConfigError("optimizer", "is required");
  MethodSpec method;
  method.optimizer =
      within("optimizer", [&] { return normalize_optimizer(j["optimizer"]); });
  const json schedule = j.value("schedule", json(nullptr));
  method.schedule =
      schedule.is_null()
          ? json(nullptr)
          : within("schedule", [&] { return normalize_schedule(schedule); });
  return method;
}

void check_schedule_length(const json& schedule, long steps,
                           const std::string& field,
                           const std::string& updates) {
  if (schedule.is_null()) return;
  const auto limit = schedule_step_limit(schedule);
  if (limit && steps > *limit) {
    throw ConfigError(field, updates +
                                 " updates, but the schedule is defined for "
                                 "only " +
                                 std::to_string(*limit) +
                                 " (one_cycle total_steps)");
  }
}

void check_labels(const json& j) {
  for (const char* label : {"id", "description"}) {
    if (j.contains(label) && !j[label].is_string()) {
      throw ConfigError(label, "must be a string");
    }
  }
}

RunConfig parse_run_config(const json& j) {
  if (!j.is_object()) {
    throw ConfigError(
        "", "the configuration must be a JSON object, got " + describe_json(j));
  }
  reject_unknown_keys(
      j, "the configuration",
      {"optimizer", "schedule", "function", "start", "steps", "noise",
       "divergence_bound", "record", "id", "description"});
  check_labels(j);
  RunConfig config;
  auto method = parse_method(j);
  config.optimizer = std::move(method.optimizer);
  config.schedule = std::move(method.schedule);
  if (!j.contains("function")) throw ConfigError("function", "is required");
  config.function =
      within("function", [&] { return normalize_function(j["function"]); });

  if (j.contains("steps")) {
    config.steps = static_cast<long>(
        integer_in(j["steps"], "steps", 0, static_cast<double>(kMaxSteps)));
  }
  check_schedule_length(config.schedule, config.steps, "steps",
                        std::to_string(config.steps));

  if (j.contains("start")) {
    const json& s = j["start"];
    if (!s.is_array() || s.size() != 2 || !s[0].is_number() ||
        !s[1].is_number() || !std::isfinite(s[0].get<double>()) ||
        !std::isfinite(s[1].get<double>())) {
      throw ConfigError(
          "start",
          "must be [x, y] with two finite numbers, got " + describe_json(s));
    }
    config.start = Vec(2);
    config.start << s[0].get<double>(), s[1].get<double>();
  } else {
    const auto f =
        make_function(config.function["name"], config.function["params"]);
    config.start = f->start();
  }

  if (j.contains("noise") && !j["noise"].is_null()) {
    const json& n = j["noise"];
    if (!n.is_object()) {
      throw ConfigError(
          "noise", "must be an object {level, seed}, got " + describe_json(n));
    }
    within("noise", [&] {
      reject_unknown_keys(n, "noise", {"level", "seed"});
      if (n.contains("level")) {
        config.noise.level = finite_number(n["level"], "level");
        if (config.noise.level < 0.0) {
          throw ConfigError("level", format_number(config.noise.level) +
                                         " is negative (the noise level is a "
                                         "standard deviation >= 0)");
        }
      }
      if (n.contains("seed")) {
        config.noise.seed = static_cast<std::uint64_t>(
            integer_in(n["seed"], "seed", 0, 9007199254740991.0));
      }
      return 0;
    });
  }

  if (j.contains("record")) {
    const json& r = j["record"];
    if (!r.is_string() || (r != "all" && r != "path")) {
      throw ConfigError("record",
                        "must be \"all\" or \"path\", got " + describe_json(r));
    }
    config.record_state = r == "all";
  }
  if (j.contains("divergence_bound")) {
    config.divergence_bound =
        finite_number(j["divergence_bound"], "divergence_bound");
    if (config.divergence_bound <= 0.0) {
      throw ConfigError("divergence_bound", "must be positive");
    }
  }
  return config;
}

Box parse_box(const json& b, bool allow_degenerate) {
  if (!b.is_object()) {
    throw ConfigError(
        "", "must be {xmin, xmax, ymin, ymax}, got " + describe_json(b));
  }
  reject_unknown_keys(b, "box", {"xmin", "xmax", "ymin", "ymax"});
  for (const char* key : {"xmin", "xmax", "ymin", "ymax"}) {
    if (!b.contains(key)) throw ConfigError(key, "is required");
  }
  const Box box{
      finite_number(b["xmin"], "xmin"), finite_number(b["xmax"], "xmax"),
      finite_number(b["ymin"], "ymin"), finite_number(b["ymax"], "ymax")};
  const bool x_ok =
      allow_degenerate ? box.xmin <= box.xmax : box.xmin < box.xmax;
  const bool y_ok =
      allow_degenerate ? box.ymin <= box.ymax : box.ymin < box.ymax;
  const char* relation =
      allow_degenerate ? "must not be less than " : "must be greater than ";
  if (!x_ok) throw ConfigError("xmax", std::string(relation) + "xmin");
  if (!y_ok) throw ConfigError("ymax", std::string(relation) + "ymin");
  return box;
}

GridConfig parse_grid_config(const json& j) {
  if (!j.is_object()) {
    throw ConfigError("", "the grid configuration must be a JSON object, got " +
                              describe_json(j));
  }
  reject_unknown_keys(j, "the grid configuration",
                      {"function", "box", "width", "height"});
  GridConfig grid;
  if (!j.contains("function")) throw ConfigError("function", "is required");
  grid.function =
      within("function", [&] { return normalize_function(j["function"]); });
  if (j.contains("box") && !j["box"].is_null()) {
    grid.box = within("box", [&] { return parse_box(j["box"]); });
  } else {
    grid.box =
        make_function(grid.function["name"], grid.function["params"])->domain();
  }
  for (const char* key : {"width", "height"}) {
    if (!j.contains(key)) throw ConfigError(key, "is required");
  }
  grid.width = static_cast<int>(integer_in(j["width"], "width", 2, 4096));
  grid.height = static_cast<int>(integer_in(j["height"], "height", 2, 4096));
  if (static_cast<long>(grid.width) * grid.height > kMaxGridCells) {
    throw ConfigError(
        "width",
        "width * height = " +
            std::to_string(static_cast<long>(grid.width) * grid.height) +
            " exceeds " + std::to_string(kMaxGridCells) + " cells");
  }
  return grid;
}

json to_json(const RunConfig& c) {
  json j = {{"optimizer", c.optimizer},
            {"schedule", c.schedule},
            {"function", c.function},
            {"start", std::vector<double>(c.start.data(),
                                          c.start.data() + c.start.size())},
            {"steps", c.steps},
            {"divergence_bound", c.divergence_bound},
            {"record", c.record_state ? "all" : "path"}};
  if (c.noise.level > 0.0) {
    j["noise"] = {{"level", c.noise.level}, {"seed", c.noise.seed}};
  }
  return j;
}

}  // namespace optim
