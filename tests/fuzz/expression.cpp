// SPDX-License-Identifier: MIT
// Fuzz target: the expression parser on any text, and on what it accepts,
// the value and the hyper-dual evaluators at finite points, which must agree.
#include "problems/expression.hpp"

#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>

#include "fuzz_common.hpp"

using optim::Expression;
using optim::ExpressionError;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const Expression e(text);
    // Points where functions are tame and where they are not: zero, the
    // negative half-axes (log, sqrt), large and tiny magnitudes.
    constexpr double kPoints[][2] = {
        {0.0, 0.0},   {1.0, -1.0},   {-2.5, 3.0},    {0.5, 1e-300},
        {1e300, -7},  {-1e-8, 1e8},  {3.14159, 2.0}, {-0.0, -1e-320},
        {123.4, 0.1}, {-50.0, -50.0}};
    for (const auto& p : kPoints) {
      const double v = e.value(p[0], p[1]);
      const double d = e.evaluate(p[0], p[1]).v;
      // expression.hpp: both evaluators do the same arithmetic on the value.
      const bool same = std::isnan(v) ? std::isnan(d) : v == d;
      if (!same) {
        optim::fuzz::fail("value " + std::to_string(v) + " but evaluate " +
                          std::to_string(d) + " for '" + text + "'");
      }
    }
  } catch (const ExpressionError& error) {
    const int column = error.column();
    if (column < 0 || static_cast<std::size_t>(column) > size + 1 ||
        std::strlen(error.what()) == 0) {
      optim::fuzz::fail("bad error '" + std::string(error.what()) +
                        "' at column " + std::to_string(column));
    }
  }
  return 0;
}
