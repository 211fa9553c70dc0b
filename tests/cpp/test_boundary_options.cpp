// SPDX-License-Identifier: MIT
// The defaults and checks the Embind boundary forwards to: the trainer's
// measuring options, the heat map's configuration and colour table, what
// run_path records, and its divergence reasons on both engines.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "run/config.hpp"
#include "run/landscape.hpp"
#include "run/path.hpp"
#include "run/trainer_options.hpp"

using optim::ConfigError;
using optim::json;

namespace {

// The field of the ConfigError that f throws ("" and a failed check if none).
template <class F>
std::string error_field(F&& f) {
  try {
    f();
  } catch (const ConfigError& e) {
    return e.field();
  }
  FAIL("no ConfigError thrown");
  return "";
}

}  // namespace

TEST_CASE("slice options: the page's defaults") {
  const auto random = optim::parse_random_slice_options(nullptr);
  CHECK(random.seed == 0);
  CHECK(random.points == 41);
  CHECK(random.radius == 1.0);
  const auto line = optim::parse_line_slice_options(json::object());
  CHECK(line.points == 41);
  CHECK(line.from == -0.5);
  CHECK(line.to == 1.5);
  const auto given = optim::parse_random_slice_options(
      {{"seed", 7}, {"points", 5}, {"radius", 0.25}});
  CHECK(given.seed == 7);
  CHECK(given.points == 5);
  CHECK(given.radius == 0.25);
  const auto span =
      optim::parse_line_slice_options({{"from", 0.0}, {"to", 2.0}});
  CHECK(span.from == 0.0);
  CHECK(span.to == 2.0);
}

TEST_CASE("slice options: each bad value names its field") {
  CHECK(error_field([] { optim::parse_random_slice_options(3.0); }) ==
        "options");
  CHECK(error_field([] {
          optim::parse_random_slice_options({{"direction", 1}});
        }) == "direction");
  CHECK(error_field([] {
          optim::parse_random_slice_options({{"points", 1}});
        }) == "points");
  CHECK(error_field([] {
          optim::parse_random_slice_options({{"points", 1002}});
        }) == "points");
  CHECK(error_field([] {
          optim::parse_random_slice_options({{"radius", 0.0}});
        }) == "radius");
  CHECK(error_field([] {
          optim::parse_random_slice_options({{"seed", -1}});
        }) == "seed");
  CHECK(error_field([] {
          optim::parse_line_slice_options({{"from", 1.0}, {"to", 1.0}});
        }) == "to");
  CHECK(error_field([] {
          optim::parse_line_slice_options({{"radius", 1.0}});
        }) == "radius");
}

TEST_CASE("sharpness options, seeds and parameter vectors") {
  const auto o = optim::parse_sharpness_options(1e-3, nullptr);
  CHECK(o.epsilon == 1e-3);
  CHECK(o.seed == 0);
  CHECK(optim::parse_sharpness_options(0.1, 12).seed == 12);
  CHECK(error_field([] {
          optim::parse_sharpness_options(std::nan(""), nullptr);
        }) == "epsilon");
  CHECK(error_field([] { optim::parse_sharpness_options(0.1, 0.5); }) ==
        "seed");
  CHECK(optim::parse_seed(9007199254740991.0) == 9007199254740991ULL);
  const optim::Vec v = optim::parse_vector({1.0, -2.5}, "params");
  REQUIRE(v.size() == 2);
  CHECK(v[1] == -2.5);
  CHECK(error_field([] { optim::parse_vector(nullptr, "params"); }) ==
        "params");
  CHECK(error_field([] {
          optim::parse_vector({1.0, "x"}, "otherParams");
        }) == "otherParams[1]");
}

TEST_CASE("prediction grid: box and size") {
  const json box = {{"xmin", -1}, {"xmax", 1}, {"ymin", -2}, {"ymax", 2}};
  const auto g = optim::parse_prediction_grid(box, 64, 48);
  CHECK(g.box.ymax == 2.0);
  CHECK(g.width == 64);
  CHECK(g.height == 48);
  CHECK(error_field([&] { optim::parse_prediction_grid(box, 1, 48); }) ==
        "width");
  CHECK(error_field([&] { optim::parse_prediction_grid(box, 64, 1025); }) ==
        "height");
  CHECK(error_field([] {
          optim::parse_prediction_grid(
              {{"xmin", 1}, {"xmax", -1}, {"ymin", 0}, {"ymax", 1}}, 64, 48)
              .box;
        }).rfind("box", 0) == 0);
}

TEST_CASE("heat map configuration and colour table") {
  const json config = {
      {"function", {{"name", "rosenbrock"}}},
      {"box", {{"xmin", -2}, {"xmax", 2}, {"ymin", -1}, {"ymax", 3}}},
      {"width", 20},
      {"height", 10}};
  CHECK(optim::parse_heatmap_config(config).levels == 0);
  json with_levels = config;
  with_levels["levels"] = 5;
  CHECK(error_field([&] { optim::parse_heatmap_config(with_levels); }) ==
        "levels");

  std::vector<std::uint8_t> rgb(768);
  for (std::size_t k = 0; k < rgb.size(); ++k) rgb[k] = k % 251;
  const optim::ColourMap map = optim::parse_colour_table(rgb);
  CHECK(map.colours[255][2] == rgb[767]);
  CHECK(map.colours[0][3] == 255);
  CHECK(map.missing[3] == 0);  // no colour for non-finite values: transparent
  rgb.insert(rgb.end(), {9, 8, 7});
  const optim::ColourMap grey = optim::parse_colour_table(rgb);
  CHECK(grey.missing[0] == 9);
  CHECK(grey.missing[3] == 255);
  CHECK_THROWS_AS(optim::parse_colour_table({}), std::invalid_argument);
  CHECK_THROWS_AS(optim::parse_colour_table(std::vector<std::uint8_t>(770)),
                  std::invalid_argument);
}

TEST_CASE("run_path: what a config records, and divergence reasons") {
  json c = {
      {"optimizer", {{"name", "sgd"}, {"hyperparameters", {{"lr", 0.5}}}}},
      {"function", {{"name", "rosenbrock"}}},
      {"start", {-1.2, 1.0}},
      {"steps", 50}};
  CHECK(optim::recording_of(optim::parse_run_config(c)) ==
        optim::Recording::all);
  c["record"] = "path";
  CHECK(optim::recording_of(optim::parse_run_config(c)) ==
        optim::Recording::path);
  // One text per reason, from both engines.
  const optim::RunConfig parsed = optim::parse_run_config(c);
  const auto fast = optim::run_path(parsed, optim::PathEngine::automatic);
  const auto general = optim::run_path(parsed, optim::PathEngine::general);
  CHECK(fast.diverged);
  CHECK_FALSE(fast.divergence_reason.empty());
  CHECK(fast.divergence_reason == general.divergence_reason);
  json far = c;
  far["start"] = {1e13, 0.0};
  for (auto engine :
       {optim::PathEngine::automatic, optim::PathEngine::general}) {
    const std::string reason =
        optim::run_path(optim::parse_run_config(far), engine).divergence_reason;
    CHECK(reason.rfind("the start point has a coordinate beyond ", 0) == 0);
  }
}
