// SPDX-License-Identifier: MIT
// Whole optimizer runs on a 2-D function, and landscape grids.
#pragma once

#include <cmath>
#include <memory>
#include <new>
#include <string>
#include <utility>
#include <vector>

#include "core/rng.hpp"
#include "optim/optimizers.hpp"
#include "run/config.hpp"

namespace optim {

// An allocator whose resize() leaves new elements uninitialized (default-
// rather than value-initialized): a record sized in full before a run is
// then written once, by the run, instead of zero-filled first.
template <class T>
struct UninitializedAllocator : std::allocator<T> {
  template <class U>
  struct rebind {
    using other = UninitializedAllocator<U>;
  };
  UninitializedAllocator() = default;
  template <class U>
  UninitializedAllocator(const UninitializedAllocator<U>&) noexcept {}
  template <class U>
  void construct(U* p) noexcept {
    ::new (static_cast<void*>(p)) U;
  }
  template <class U, class... Args>
  void construct(U* p, Args&&... args) {
    ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
  }
};
using Record = std::vector<double, UninitializedAllocator<double>>;

// A named per-step series of internal state; width is the parameter
// dimension (per-coordinate state) or 1 (scalars). values[(t-1)*width + i] is
// coordinate i after update t.
struct Series {
  std::string name;
  int width = 1;
  Record values;
};

struct RunResult {
  int dim = 2;
  long steps = 0;  // updates completed and recorded
  // (steps + 1) * dim, row 0 the start; trajectory and loss are empty when
  // the start itself is unusable (diverged_at 0).
  Record trajectory;
  Record loss;                // steps + 1: f at each iterate
  Record lr;                  // steps: learning rate of update t
  std::vector<Series> state;  // in the order the optimizer reports them
  // Divergence is a result: the update that produced a non-finite or
  // out-of-bound iterate (or a non-finite loss) is not recorded; diverged_at
  // is its number t (0 when the start itself is unusable).
  bool diverged = false;
  long diverged_at = -1;
  std::string divergence_reason;
};

// Which update loop run_path takes. Both give the same numbers bit for bit;
// `general` (the Chain of transforms) exists for the tests that check it.
enum class PathEngine {
  automatic,  // the fixed-size 2-D loop when the method has one (fixed2d.hpp)
  general,
};

// What run_path records besides trajectory, loss and lr.
enum class Recording {
  all,   // every state series the optimizer reports (the page's charts)
  path,  // no state series: less to record and to copy out of wasm
};

RunResult run_path(const RunConfig& config,
                   PathEngine engine = PathEngine::automatic,
                   Recording recording = Recording::all);

// What the config asks run_path to record: every series unless its
// "record" is "path" (record_state false).
Recording recording_of(const RunConfig& config);

// Frees the records of `result` here. The wasm build compiles its boundary
// for size, and a size-optimized std::vector<double> destructor walks its
// elements one at a time (an empty loop that -Os and -Oz keep): a caller
// compiled that way hands its results here to be freed at once.
void release(RunResult&& result);

// Values f(x_i, y_j) with x_i = xmin + i (xmax - xmin)/(W-1) and
// y_j = ymax - j (ymax - ymin)/(H-1): row 0 is the top edge (image order).
// values[j * W + i]; non-finite values stay as they are.
std::vector<float> evaluate_grid(const GridConfig& config);

// The result as JSON: {"steps", "trajectory": [[x, y], ...], "f": [...],
// "lr": [...], "state": {name: [[...], ...] or [...]}, "diverged",
// "diverged_at", "divergence_reason"}.
json to_json(const RunResult& result);

}  // namespace optim
