// SPDX-License-Identifier: MIT
// Seeded random numbers that are identical natively and in WebAssembly.
#pragma once

#include <cstdint>
#include <random>

namespace optim {

// std::mt19937_64 is fully specified by the standard, but the
// std::*_distribution adaptors are not (libstdc++ and libc++ differ), so the
// conversions to uniform and normal variates are our own. The normal sampler is
// Marsaglia's polar method: it needs only sqrt (correctly rounded everywhere)
// and log, so native and wasm builds draw the same numbers.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : engine_(seed) {}

  // Uniform in [0, 1) with 53 random bits.
  double uniform() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }

  // Standard normal N(0, 1).
  double normal();

 private:
  std::mt19937_64 engine_;
  double spare_ = 0.0;
  bool has_spare_ = false;
};

}  // namespace optim
