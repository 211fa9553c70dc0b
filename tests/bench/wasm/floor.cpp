// SPDX-License-Identifier: MIT
// The wasm side of the bench's floor (tests/bench/native/floor.hpp), built
// as build/wasm/bench-floor.mjs; not part of the site.
#include "../native/floor.hpp"

#include <emscripten/emscripten.h>

#include <vector>

namespace {
bench::FloorRun last;
std::vector<double> records;  // grown when a longer run needs it
}  // namespace

extern "C" {

// One run; returns the updates recorded. floor_x() and floor_y() read its
// last iterate, floor_loss() its last recorded loss.
EMSCRIPTEN_KEEPALIVE long floor_run(double x, double y, double lr, long steps,
                                    double bound) {
  if (records.size() < bench::floor_records(steps)) {
    records.resize(bench::floor_records(steps));
  }
  last = bench::sgd_rosenbrock(x, y, lr, steps, bound, records.data());
  return last.steps;
}
EMSCRIPTEN_KEEPALIVE double floor_x() { return last.x; }
EMSCRIPTEN_KEEPALIVE double floor_y() { return last.y; }
EMSCRIPTEN_KEEPALIVE double floor_loss() { return records[4 * last.steps + 2]; }
}
