// SPDX-License-Identifier: MIT
// The options of the trainer's measuring calls (sharpness, loss slices,
// decision boundary, replaced parameters) as plain JSON: their defaults and
// checks, so that the Embind boundary only converts and forwards. Each
// parser throws ConfigError naming the field.
#pragma once

#include <cstdint>

#include "core/params.hpp"
#include "core/types.hpp"
#include "problems/functions2d.hpp"

namespace optim {

// A seed: null (or absent) for 0, else an integer in [0, 2^53 - 1].
std::uint64_t parse_seed(const json& seed, const std::string& field = "seed");

// A parameter vector: an array of finite numbers.
Vec parse_vector(const json& values, const std::string& field);

// epsilon (finite) and seed of Trainer::epsilon_sharpness.
struct SharpnessOptions {
  double epsilon;
  std::uint64_t seed = 0;
};
SharpnessOptions parse_sharpness_options(const json& epsilon, const json& seed);

// Trainer::random_slice: {"seed" (0), "points" (41, integer in [2, 1001]),
// "radius" (1, > 0)}; null for all defaults.
struct RandomSliceOptions {
  std::uint64_t seed = 0;
  int points = 41;
  double radius = 1.0;
};
RandomSliceOptions parse_random_slice_options(const json& options);

// Trainer::line_slice: {"points" (41), "from" (-0.5), "to" (1.5), from <
// to}; null for all defaults.
struct LineSliceOptions {
  int points = 41;
  double from = -0.5;
  double to = 1.5;
};
LineSliceOptions parse_line_slice_options(const json& options);

// Trainer::predict_grid's box and size (integers in [2, 1024]).
struct PredictionGrid {
  Box box;
  int width, height;
};
PredictionGrid parse_prediction_grid(const json& box, const json& width,
                                     const json& height);

}  // namespace optim
