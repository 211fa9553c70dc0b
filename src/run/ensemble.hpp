// SPDX-License-Identifier: MIT
// Ensembles: many seeded runs of several racers, reporting only where they end.
#pragma once

#include <cstdint>
#include <vector>

#include "optim/transform.hpp"
#include "run/config.hpp"

namespace optim {

inline constexpr long kMaxEnsembleRuns = 1000;
inline constexpr int kMaxEnsembleRacers = 12;
// runs * racers * steps: about a second of work in wasm at 8 x 1000 x 2000,
// so this caps one call at roughly ten seconds.
inline constexpr double kMaxEnsembleWork = 2e8;

// One run reduced to its endpoint: the same arithmetic as run_path (gradient
// at gradient_point(), noise from Rng(noise.seed) when noise.level > 0, the
// loss checked after every update), so a run that does not diverge ends
// exactly at run_path's last iterate. Nothing is recorded and nothing is
// allocated per step. `optimizer` is reset to `start` first. On divergence
// the result is (NaN, NaN) and *diverged_at (if given) is the update number as
// in RunResult (0 for an unusable start); otherwise *diverged_at is -1.
// *final_loss (if given) is f at the endpoint (NaN when diverged).
Vec run_endpoint(Optimizer& optimizer, const Function2D& function, Vec start,
                 long steps, const NoiseSpec& noise, double bound,
                 long* diverged_at = nullptr, double* final_loss = nullptr);

struct Racer {
  json optimizer;  // normalized {"name", "hyperparameters"}
  json schedule;   // normalized {"name", "params"} or null
};

struct EnsembleConfig {
  json function;  // normalized {"name", "params"}
  std::vector<Racer> racers;
  long steps = 2000;
  long runs = 100;
  std::uint64_t seed = 1;
  // Starts: uniform over `box` (x from the first draw of Rng(seed + run), y
  // from the second) unless `fixed_start`, then `point` for every run.
  bool fixed_start = false;
  Box box{0.0, 0.0, 0.0, 0.0};
  Vec point;
  double noise_level = 0.0;  // the noise of run r is seeded with seed + r
  double basin_radius = 0.5;
  double test_dx = 0.0, test_dy = 0.0;  // test loss f(x - dx, y - dy)
};

// {"function": FUNCTION, "racers": [{"optimizer": OPTIMIZER,
//  "schedule": SCHEDULE|null}, ...] (1..12), "steps": 1..100000 (2000),
//  "runs": 1..1000 (100), "seed": integer >= 0 (1),
//  "start": {"box": {xmin, xmax, ymin, ymax}} or {"point": [x, y]}
//  (default: a box over the function's domain), "noise": {"level": >= 0},
//  "basin_radius": > 0 (0.5), "test_offset": [dx, dy] ([0, 0])}, with
// runs * racers * steps <= kMaxEnsembleWork. Unknown keys are errors; throws
// ConfigError with the field path ("racers[1].optimizer.name").
EnsembleConfig parse_ensemble_config(const json& config);

struct RacerResult {
  // basin_counts[k]: runs ending within basin_radius of minimum k (the
  // nearest such minimum); other: finite endpoints in no basin. The counts,
  // other and diverged add up to runs.
  std::vector<long> basin_counts;
  long other = 0;
  long diverged = 0;
  // Per run r: endpoints[2r], endpoints[2r + 1] (NaN when diverged), the
  // train loss there, the test loss f(x - dx, y - dy) and gap = test - train.
  std::vector<double> endpoints;
  std::vector<double> train_loss;
  std::vector<double> test_loss;
  std::vector<double> gap;
  // Per run: index of the basin, -1 for other, -2 for diverged.
  std::vector<int> basin;
};

struct EnsembleResult {
  long runs = 0;
  std::vector<Minimum> minima;      // the function's known minima, in order
  std::vector<RacerResult> racers;  // in the order of the config
};

EnsembleResult run_ensemble(const EnsembleConfig& config);

// {"runs", "minima": [{x, y, f}], "racers": [{"basin_counts", "other",
//  "diverged", "endpoints": [[x, y] or [null, null]], "train_loss",
//  "test_loss", "gap", "basin"}]}; NaN becomes null.
json to_json(const EnsembleResult& result);

}  // namespace optim
