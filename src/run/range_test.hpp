// SPDX-License-Identifier: MIT
// The learning-rate range test (Smith 2017): one run whose learning rate
// rises exponentially, its loss against the learning rate, where it diverged
// and the bounds it suggests for a cyclical schedule.
#pragma once

#include <string>
#include <vector>

#include "core/params.hpp"
#include "run/config.hpp"
#include "run/trainer.hpp"

namespace optim {

// The default search range around a method's page learning rate lr (its
// metadata): [lr * kLrRangeBelow, lr * kLrRangeAbove], five decades. Shared by
// the range test and the tuner.
inline constexpr double kLrRangeBelow = 1e-3;
inline constexpr double kLrRangeAbove = 1e2;

// The learning rate a new racer of this method starts with on the page: the
// method's page lr (MethodPage::lr), else the default of its "lr". For
// Lookahead, that of its inner method (the inner's page inner_lr when set).
// Takes a normalized optimizer spec.
double page_learning_rate(const json& optimizer);

// f*: the lowest value among the run's function's known minima (the
// metadata's), NaN when it lists none (saddle, custom).
double known_minimum_value(const RunConfig& run);

// The normalized optimizer spec with its lr replaced; for Lookahead the
// inner optimizer's lr, which is the base of the schedule (optimizers.md
// 2.14).
json with_learning_rate(const json& optimizer, double lr);

// Reads "lr_min" and "lr_max" of `config` (finite, 0 < lr_min < lr_max),
// each defaulting to page_learning_rate(optimizer) times kLrRangeBelow or
// kLrRangeAbove. Throws ConfigError naming the field.
struct LrRange {
  double lr_min = 0.0;
  double lr_max = 0.0;
};
LrRange parse_lr_range(const json& config, const json& optimizer);

// The exponential ramp over `steps` updates: update t (1-based) uses
//   gamma_t = lr_min * q^(t-1),  q = (lr_max / lr_min)^(1 / (steps - 1)),
// so update 1 uses lr_min and update `steps` lr_max (up to rounding in q).
// Like fastai's LRFinder it rises exponentially, so every decade gets the
// same number of updates; Smith (2017) raised the rate linearly.
struct LrRamp {
  double lr_min = 0.0;
  double lr_max = 0.0;
  long steps = 0;  // >= 2
};

// The ramp is the core's `exponential` schedule (gamma_k = lr * gamma^k,
// optimizers.md § 3) with gamma = q > 1 on an optimizer whose lr is lr_min:
// {"name": "exponential", "params": {"gamma": q}}. No schedule is added for
// it, so the page and the Trainer run it like any other.
json ramp_schedule(const LrRamp& ramp);

// A trainer config (parse_trainer_config's form) turned into a range test:
// its optimizer's lr becomes lr_min, its schedule the ramp (replacing any),
// and eval_every 1, so that train_loss() has the loss on the whole training
// set after every update. Returns the normalized config.
json range_test_trainer_config(const json& trainer_config, const LrRamp& ramp);

inline constexpr double kDefaultSmoothing = 0.98;
inline constexpr double kDefaultStopFactor = 4.0;
// The suggested bounds (see RangeTestResult): max_lr = lr at the minimum of
// the smoothed loss / kMaxLrDivisor, base_lr = max_lr / kBaseLrDivisor.
inline constexpr double kMaxLrDivisor = 10.0;
inline constexpr double kBaseLrDivisor = 4.0;

struct RangeTestConfig {
  bool network = false;   // false: a 2-D run; true: the tiny network
  RunConfig run;          // 2-D: ramp, lr_min and steps already applied
  TrainerConfig trainer;  // network: range_test_trainer_config applied
  LrRamp ramp;
  double smoothing = kDefaultSmoothing;
  double stop_factor = kDefaultStopFactor;
};

// {"run": RUN_CONFIG} (a 2-D run, parse_run_config's form) or
// {"trainer": TRAINER_CONFIG} (the tiny network), exactly one, and
//  "lr_min", "lr_max": see parse_lr_range,
//  "steps": 2..kMaxSteps (200): the ramp's length,
//  "smoothing": beta in [0, 1) (0.98; 0 = no smoothing),
//  "stop_factor": >= 1 (4).
// The ramp replaces the run's (or trainer's) schedule, its steps and its
// optimizer's lr; everything else (method, hyperparameters, function, start,
// noise, dataset, network, batches) is used as given. Unknown keys are
// errors; throws ConfigError with the field path ("run.optimizer.name").
RangeTestConfig parse_range_test_config(const json& config);

// Per recorded update t = 1..steps (index t - 1):
// - lr: the learning rate of update t (the ramp);
// - loss: the loss after update t: f at iterate t (2-D), or the loss on the
//   whole training set (network);
// - smoothed: the exponential moving average with bias correction of
//   fastai's AvgSmoothLoss, s_t = beta s_{t-1} + (1 - beta) loss_t with s_0 =
//   0, smoothed_t = s_t / (1 - beta^t) (beta = smoothing; 0 gives the loss).
// Divergence, whichever comes first:
// - the stop rule (fastai's LRFinder, there with f_ref = 0): the test stops
//   after the first update t with
//     smoothed_t - f_ref > stop_factor * (min_{s <= t} smoothed_s - f_ref),
//   where f_ref = min(f*, the lowest loss so far) and f* is the function's
//   lowest known minimum value (0 for the network's cross-entropy), so that
//   the rule measures the distance to the minimum on surfaces whose minimum
//   is not 0. Update t is recorded. A function without known minima (saddle,
//   custom) has no f*, and only a blow-up ends its test;
// - a blow-up: the update that made the iterate non-finite or beyond the
//   run's divergence bound, or the loss non-finite (as in run_path: that
//   update is not recorded).
// Suggested bounds for a cyclical schedule (optimizers.md 3.1), from the
// recorded updates: t_min = the first update with the lowest smoothed loss,
//   max_lr = lr_{t_min} / 10  (fastai's "minimum" suggestion: one tenth of
//                              the rate at the minimum before divergence),
//   base_lr = max_lr / 4      (Smith 2017, § 3.3: "set base_lr to 1/3 or 1/4
//                              of max_lr"; 1/4 is taken).
// When t_min is the last update of a test that did not diverge, the loss was
// still falling: lr_max was too small for the test to say much.
// With smoothing 0 and stop_factor 1 the rule fires on the first update whose
// loss exceeds every earlier one. Gradient descent on a quadratic becomes
// unstable once lr passes 2/lambda_max, but the loss shows it only where the
// unstable direction holds a visible share of the loss: from a start on that
// eigenvector, at the first ramp rate above 2/lambda_max; from a generic
// start, only after that direction has regrown (tests/cpp/
// test_range_test.cpp).
struct RangeTestResult {
  long steps = 0;  // recorded updates
  double start_loss = 0.0;
  std::vector<double> lr, loss, smoothed;
  double f_star = 0.0;  // f*; NaN when the function has no known minimum
  bool diverged = false;
  long diverged_at = -1;         // the update t, or -1
  double diverged_lr = 0.0;      // the ramp's lr of that update (NaN if none)
  bool stopped_by_rule = false;  // false: a blow-up (when diverged)
  std::string divergence_reason;
  long min_at = 0;         // t_min, 0 when nothing was recorded
  double lr_at_min = 0.0;  // NaN when nothing was recorded
  double max_lr = 0.0;     // suggested bounds, NaN when nothing was recorded
  double base_lr = 0.0;
};

RangeTestResult range_test(const RangeTestConfig& config);

// {"kind": "run" | "trainer", "config", "ramp", "smoothing", "stop_factor"}:
// the config with every default filled in.
json to_json(const RangeTestConfig& config);

// {"steps", "start_loss", "lr", "loss", "smoothed", "f_star", "diverged",
//  "diverged_at", "diverged_lr", "stopped_by_rule", "divergence_reason",
//  "min_at", "lr_at_min", "suggested": {"base_lr", "max_lr"}}; NaN -> null.
json to_json(const RangeTestResult& result);

}  // namespace optim
