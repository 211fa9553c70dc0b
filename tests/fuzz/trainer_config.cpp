// SPDX-License-Identifier: MIT
// Fuzz target: the trainer-config reader on any JSON. What it accepts must
// reach the same config from its canonical form, and a small trainer built
// from it must train a few steps (the digits on 30 made-up images).
#include <algorithm>
#include <cstdint>
#include <vector>

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
  std::vector<double> pixels, labels;
  for (int i = 0; i < 30; ++i) {
    labels.push_back(i % optim::kDigitClasses);
    for (int k = 0; k < optim::kDigitPixels; ++k) {
      pixels.push_back((7 * i + k) % 17);
    }
  }
  const optim::Dataset digits = optim::digits_dataset(pixels, labels);
  const bool images = config.dataset == optim::kDigits;
  optim::fuzz::must_run("Trainer", [&] {
    optim::Trainer trainer(config, images ? &digits : nullptr);
    trainer.run(3);
    static_cast<void>(trainer.learning_rate());
  });
  return 0;
}
