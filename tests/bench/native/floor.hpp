// SPDX-License-Identifier: MIT
// The floor of the bench's every-method 2-D table (tests/bench/workloads/
// paths.mjs): SGD on Rosenbrock (a = 1, b = 100) written for this one case,
// as plainly as C++ allows. Per update it does what the core's 2-D loop must
// (the gradient and the loss at the new iterate, the bound and finiteness
// checks, the point, loss and learning rate recorded), with the function
// inlined and the records written into a block the caller allocated once, so
// that neither side times the allocator or the first touch of fresh pages.
// Built into the bench driver (core.cpp) natively and to wasm with the
// core's flags, its wasm / native ratio is what the two compilers make of
// this shape of loop before anything a general engine adds.
#pragma once

#include <cmath>
#include <cstddef>

namespace bench {

struct FloorRun {
  double x = 0.0, y = 0.0;  // the last iterate that passed the checks
  long steps = 0;           // updates recorded
};

// `steps` updates of SGD with learning rate `lr` from (x, y); a coordinate
// beyond `bound` or a non-finite loss stops the run, as in the core. The
// records (x, y, f, lr per row, the start first) go to `out`, room for
// floor_records(steps) doubles.
inline std::size_t floor_records(long steps) {
  return 4 * static_cast<std::size_t>(steps + 1);
}
// Never inlined: the driver times one call per run, and V8 swaps in its
// optimized code for a wasm function only between calls (wasm has no
// on-stack replacement), so a loop inlined into the driver's single call
// would be timed in V8's baseline code throughout.
[[gnu::noinline]] inline FloorRun sgd_rosenbrock(double x, double y, double lr,
                                                 long steps, double bound,
                                                 double* out) {
  constexpr double a = 1.0, b = 100.0;
  double g0 = 0.0, g1 = 0.0;
  const auto value_gradient = [&](double px, double py) {
    const double u = a - px, v = py - px * px;
    g0 = -2.0 * u - 4.0 * b * px * v;
    g1 = 2.0 * b * v;
    return u * u + b * v * v;
  };
  FloorRun run{x, y, 0};
  const double f0 = value_gradient(x, y);
  out[0] = x;
  out[1] = y;
  out[2] = f0;
  out[3] = lr;
  for (long t = 1; t <= steps; ++t) {
    x += -lr * g0;
    y += -lr * g1;
    if (!(std::abs(x) <= bound && std::abs(y) <= bound)) break;
    const double f = value_gradient(x, y);
    if (!std::isfinite(f)) break;
    double* row = out + 4 * t;
    row[0] = x;
    row[1] = y;
    row[2] = f;
    row[3] = lr;
    run = {x, y, t};
  }
  return run;
}

}  // namespace bench
