// SPDX-License-Identifier: MIT
// Fuzz target: the run-config reader on any JSON, as the page's links and
// the CLI reach it. What it accepts must reach the same config again from its
// canonical form, and a short run of it must finish.
#include <algorithm>
#include <cstdint>

#include "fuzz_common.hpp"
#include "run/config.hpp"
#include "run/path.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  const auto input = optim::fuzz::read_config(data, size);
  if (!input) return 0;
  optim::RunConfig config;
  if (!optim::fuzz::accepted("parse_run_config", [&] {
        config = optim::parse_run_config(*input);
      })) {
    return 0;
  }
  const optim::json canonical = optim::to_json(config);
  optim::RunConfig again;
  if (!optim::fuzz::accepted("parse_run_config(to_json)", [&] {
        again = optim::parse_run_config(canonical);
      })) {
    optim::fuzz::fail("the canonical form is rejected: " + canonical.dump());
  }
  if (optim::to_json(again) != canonical) {
    optim::fuzz::fail("the canonical form is not a fixed point: " +
                      canonical.dump() + " -> " + optim::to_json(again).dump());
  }
  // A few steps are enough to run every update rule once or twice; the
  // schedule limits only shrink.
  config.steps = std::min(config.steps, 40L);
  for (const auto recording : {optim::Recording::all, optim::Recording::path}) {
    optim::fuzz::must_run("run_path", [&] {
      const auto result =
          optim::run_path(config, optim::PathEngine::automatic, recording);
      if (result.steps > config.steps) optim::fuzz::fail("too many steps");
    });
  }
  return 0;
}
