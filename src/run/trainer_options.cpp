// SPDX-License-Identifier: MIT
// Defaults and checks of the trainer's measuring calls.
#include "run/trainer_options.hpp"

#include "run/config.hpp"

namespace optim {
namespace {

constexpr double kMaxSafeInteger = 9007199254740991.0;  // 2^53 - 1

// The options object of a slice: null for {}, only `known` keys.
json slice_options(const json& options,
                   std::initializer_list<const char*> known) {
  json o = options.is_null() ? json::object() : options;
  if (!o.is_object()) throw ConfigError("options", "must be an object");
  reject_unknown_keys(o, "slice options", known);
  return o;
}

int slice_points(const json& o) {
  return o.contains("points")
             ? static_cast<int>(integer_in(o["points"], "points", 2, 1001))
             : 41;
}

}  // namespace

std::uint64_t parse_seed(const json& seed, const std::string& field) {
  return seed.is_null() ? 0
                        : static_cast<std::uint64_t>(
                              integer_in(seed, field, 0, kMaxSafeInteger));
}

Vec parse_vector(const json& values, const std::string& field) {
  if (!values.is_array())
    throw ConfigError(field, "must be an array of numbers");
  Vec out(static_cast<Eigen::Index>(values.size()));
  for (std::size_t i = 0; i < values.size(); ++i) {
    out(static_cast<Eigen::Index>(i)) =
        finite_number(values[i], field + "[" + std::to_string(i) + "]");
  }
  return out;
}

SharpnessOptions parse_sharpness_options(const json& epsilon,
                                         const json& seed) {
  return {finite_number(epsilon, "epsilon"), parse_seed(seed)};
}

RandomSliceOptions parse_random_slice_options(const json& options) {
  const json o = slice_options(options, {"seed", "points", "radius"});
  RandomSliceOptions out;
  if (o.contains("seed")) {
    out.seed = static_cast<std::uint64_t>(
        integer_in(o["seed"], "seed", 0, kMaxSafeInteger));
  }
  out.points = slice_points(o);
  if (o.contains("radius")) out.radius = finite_number(o["radius"], "radius");
  if (!(out.radius > 0.0)) throw ConfigError("radius", "must be > 0");
  return out;
}

LineSliceOptions parse_line_slice_options(const json& options) {
  const json o = slice_options(options, {"points", "from", "to"});
  LineSliceOptions out;
  out.points = slice_points(o);
  if (o.contains("from")) out.from = finite_number(o["from"], "from");
  if (o.contains("to")) out.to = finite_number(o["to"], "to");
  if (!(out.from < out.to)) throw ConfigError("to", "must be > from");
  return out;
}

PredictionGrid parse_prediction_grid(const json& box, const json& width,
                                     const json& height) {
  return {within("box", [&] { return parse_box(box); }),
          static_cast<int>(integer_in(width, "width", 2, 1024)),
          static_cast<int>(integer_in(height, "height", 2, 1024))};
}

}  // namespace optim
