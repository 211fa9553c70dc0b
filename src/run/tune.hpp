// SPDX-License-Identifier: MIT
// The fair race's tuner: searches one racer's learning rate on a log grid,
// then refines around the best, for a stated objective and run budget.
#pragma once

#include <string>
#include <vector>

#include "core/params.hpp"
#include "run/config.hpp"

namespace optim {

inline constexpr int kDefaultTuneGrid = 11;
inline constexpr int kMaxTuneGrid = 101;
inline constexpr int kDefaultTuneBudget = 25;
// With kMaxSteps, at most 1e8 updates in one call: about the work an
// ensemble may do (kMaxEnsembleWork).
inline constexpr int kMaxTuneBudget = 1000;
inline constexpr double kDefaultTuneTol = 1e-3;
// Refinement stops when the best rate's neighbours are within this ratio.
inline constexpr double kTuneResolution = 1e-9;

enum class TuneObjective {
  final_loss,       // f at the last iterate; lower is better
  steps_to_target,  // first t (0: the start) with f_t <= f* + tol; fewer is
                    // better
};

struct TuneConfig {
  RunConfig run;  // the racer; its optimizer's lr is replaced by each trial
  TuneObjective objective = TuneObjective::final_loss;
  double tol = kDefaultTuneTol;
  double f_star = 0.0;  // the function's lowest known minimum (NaN: none)
  double lr_min = 0.0, lr_max = 0.0;
  int grid = kDefaultTuneGrid;
  int budget = kDefaultTuneBudget;
};

// {"run": RUN_CONFIG (method + schedule + function + start + steps + noise,
//          parse_run_config's form; its "record" is ignored),
//  "objective": "final_loss" (default) | "steps_to_target",
//  "tol": > 0 (1e-3; steps_to_target's target is f* + tol, f* the lowest
//         known minimum value of the function),
//  "lr_min", "lr_max": the search range (default: the method's page lr times
//         1e-3 and 1e2, see parse_lr_range),
//  "grid": 2..101 (11) points of the first, log-spaced grid,
//  "budget": grid..1000 (25) runs in all}.
// Errors are ConfigError naming the field: among them a schedule that
// ignores the optimizer's lr (cyclic, one_cycle, also nested), for which
// tuning lr would change nothing, and steps_to_target on a function without
// a known minimum (saddle, custom).
TuneConfig parse_tune_config(const json& config);

json to_json(const TuneConfig& config);

// One run of the search.
struct TuneTrial {
  double lr = 0.0;
  // final_loss: the final loss; steps_to_target: reached_at. NaN when the
  // run diverged, or never reached the target.
  double objective = 0.0;
  double final_loss = 0.0;  // NaN when diverged
  long reached_at = -1;     // steps_to_target: first t with f_t <= target
  bool diverged = false;
  long diverged_at = -1;
  int round = 0;  // 0: the grid; k >= 1: the k-th refinement round
};

// The search, deterministic (the same config gives the same table, bit for
// bit; every trial uses the run's noise seed, so all rates see the same
// noise):
// 1. Grid: lr_i = lr_min * (lr_max / lr_min)^(i / (grid - 1)), i = 0..grid-1.
// 2. Refinement rounds while runs remain: with b the best rate so far and a,
//    c its nearest tried neighbours below and above, try the log-midpoints
//    sqrt(a b) and sqrt(b c) (the side of the better-ranked neighbour first;
//    no neighbour beyond the range's ends). Each round halves the distance
//    from b to its neighbours in log lr, so when the objective is unimodal in
//    log lr the best rate after R rounds is within (log-spacing of the grid)
//    / 2^R of the optimum. It stops when every run has diverged or the
//    neighbours are within kTuneResolution.
// Ranking (best first): runs that reached the target (steps_to_target), by
// reached_at and then final loss; then runs that did not diverge, by final
// loss; then diverged runs. Ties go to the smaller lr.
struct TuneResult {
  double target = 0.0;            // f* + tol (steps_to_target), else NaN
  std::vector<TuneTrial> trials;  // in the order they ran
  long best = -1;  // index of the best trial; -1 when every run diverged
  std::vector<long> order;  // indices of the trials, best first
};

TuneResult tune(const TuneConfig& config);

// {"target", "trials": [{"lr", "objective", "final_loss", "reached_at",
//  "diverged", "diverged_at", "round"}], "order", "best", "best_lr"}; NaN
// and -1 -> null.
json to_json(const TuneResult& result);

}  // namespace optim
