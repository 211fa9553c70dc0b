// SPDX-License-Identifier: MIT
// Fuzz target: the trainer-config reader on any JSON. What it accepts must
// reach the same config from its canonical form, and a small trainer built
// from it must train a few steps.
#include <algorithm>
#include <cstdint>

#include "fuzz_common.hpp"
#include "run/trainer.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  const auto input = optim::fuzz::read_config(data, size);
  if (!input) return 0;
  optim::TrainerConfig config;
  if (!optim::fuzz::accepted("parse_trainer_config", [&] {
        config = optim::parse_trainer_config(*input);
      })) {
    return 0;
  }
  const optim::json canonical = optim::to_json(config);
  optim::TrainerConfig again;
  if (!optim::fuzz::accepted("parse_trainer_config(to_json)", [&] {
        again = optim::parse_trainer_config(canonical);
      })) {
    optim::fuzz::fail("the canonical form is rejected: " + canonical.dump());
  }
  if (optim::to_json(again) != canonical) {
    optim::fuzz::fail("the canonical form is not a fixed point: " +
                      canonical.dump() + " -> " + optim::to_json(again).dump());
  }
  // Shrunk to keep thousands of inputs a second: every layer and option
  // stays, only sizes go down.
  config.n = std::min(config.n, 40L);
  config.batch_size = std::min(config.batch_size, config.n);
  for (int& width : config.hidden) width = std::min(width, 6);
  optim::fuzz::must_run("Trainer", [&] {
    optim::Trainer trainer(config);
    trainer.run(3);
    static_cast<void>(trainer.learning_rate());
  });
  return 0;
}
