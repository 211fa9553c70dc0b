// SPDX-License-Identifier: MIT
// The native half of the memory soak: the changes a page session makes (path
// runs of random methods, functions and steps, ensembles, trainers created,
// trained and destroyed), 1000 of them in one process. Under the sanitize
// build (npm run test:sanitize) LeakSanitizer checks that nothing is left.
#include <doctest/doctest.h>

#include <chrono>
#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "core/rng.hpp"
#include "optim/optimizers.hpp"
#include "optim/schedule.hpp"
#include "problems/functions2d.hpp"
#include "run/ensemble.hpp"
#include "run/path.hpp"
#include "run/trainer.hpp"

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define OPTIM_LSAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define OPTIM_LSAN 1
#endif
#ifdef OPTIM_LSAN
#include <sanitizer/lsan_interface.h>
#endif

using optim::json;

namespace {

// A random valid change, as the page makes them from its controls.
class Session {
 public:
  explicit Session(std::uint64_t seed) : rng_(seed) {
    for (const auto& m : optim::methods()) methods_.push_back(m.name);
    for (const auto& f : optim::functions()) functions_.push_back(f.name);
  }

  long pick(long n) {
    const long k = static_cast<long>(rng_.uniform() * static_cast<double>(n));
    return k < n ? k : n - 1;
  }

  // A method with its defaults and a learning rate from its slider's range.
  json optimizer(bool allow_lookahead = true) {
    std::string name;
    do {
      name = methods_[pick(static_cast<long>(methods_.size()))];
    } while (name == "lookahead" && !allow_lookahead);
    json hyper = json::object();
    if (name == "lookahead") {
      hyper["inner"] = optimizer(false);
    } else {
      for (const auto& p : optim::find_method(name).params) {
        if (p.name != "lr") continue;
        const double lo = std::log(p.soft_min > 0 ? p.soft_min : 1e-4);
        const double hi = std::log(p.soft_max > 0 ? p.soft_max : 1.0);
        hyper["lr"] = std::exp(lo + (hi - lo) * rng_.uniform());
      }
    }
    return optim::normalize_optimizer(
        {{"name", name}, {"hyperparameters", hyper}});
  }

  json schedule(long steps) {
    switch (pick(4)) {
      case 0:
        return {{"name", "cosine"}, {"params", {{"t_max", steps}}}};
      case 1:
        return {{"name", "exponential"}, {"params", {{"gamma", 0.99}}}};
      default:
        return nullptr;
    }
  }

  json function() {
    return {{"name", functions_[pick(static_cast<long>(functions_.size()))]}};
  }

  optim::Rng rng_;

 private:
  std::vector<std::string> methods_, functions_;
};

}  // namespace

TEST_CASE("soak: 1000 random valid changes leave no leak and no slowdown") {
  Session session(2026);
  std::unique_ptr<optim::Trainer> lab;  // the network section's one trainer
  double first_half = 0.0, second_half = 0.0;
  long paths = 0, ensembles = 0, trainers = 0;
  for (int change = 0; change < 1000; ++change) {
    const auto t0 = std::chrono::steady_clock::now();
    const long kind = session.pick(10);
    if (kind < 6) {
      const long steps = 1 + session.pick(400);
      json config = {{"optimizer", session.optimizer()},
                     {"schedule", session.schedule(steps)},
                     {"function", session.function()},
                     {"steps", steps},
                     {"record", session.pick(2) ? "all" : "path"}};
      if (session.pick(4) == 0) {
        config["noise"] = {{"level", 0.1}, {"seed", session.pick(1000)}};
      }
      const auto result = optim::run_path(optim::parse_run_config(config));
      REQUIRE(result.steps <= steps);
      ++paths;
    } else if (kind < 8) {
      json racers = json::array();
      for (long r = 0, n = 1 + session.pick(3); r < n; ++r) {
        racers.push_back({{"optimizer", session.optimizer()}});
      }
      const json config = {{"function", session.function()},
                           {"racers", racers},
                           {"steps", 10 + session.pick(100)},
                           {"runs", 1 + session.pick(30)},
                           {"seed", session.pick(1000)}};
      const auto result =
          optim::run_ensemble(optim::parse_ensemble_config(config));
      REQUIRE(result.racers.size() == racers.size());
      ++ensembles;
    } else {
      static const char* const kDatasets[] = {"two_moons", "two_spirals",
                                              "circles", "xor", "blobs"};
      if (!lab || session.pick(3) == 0) {
        json hidden = json::array();
        for (long l = 0, n = session.pick(3); l < n; ++l) {
          hidden.push_back(1 + session.pick(12));
        }
        const json config = {{"dataset",
                              {{"name", kDatasets[session.pick(5)]},
                               {"n", 20 + session.pick(120)}}},
                             {"network", {{"hidden", hidden}}},
                             {"optimizer", session.optimizer()},
                             {"batch_size", session.pick(2) ? 0 : 8}};
        lab = std::make_unique<optim::Trainer>(config);  // the old one goes
        ++trainers;
      }
      lab->run(1 + session.pick(40));
      if (session.pick(4) == 0) {
        const auto grid = lab->predict_grid({-2, 2, -2, 2}, 16, 16);
        REQUIRE(grid.size() == 256);
      }
    }
    const double ms = std::chrono::duration<double, std::milli>(
                          std::chrono::steady_clock::now() - t0)
                          .count();
    (change < 500 ? first_half : second_half) += ms;
  }
  lab.reset();
  MESSAGE(paths << " paths, " << ensembles << " ensembles, " << trainers
                << " trainers; " << first_half << " ms then " << second_half
                << " ms");
  CHECK(paths > 400);
  CHECK(ensembles > 100);
  CHECK(trainers > 20);
  // Work per change stays bounded: the second 500 changes (the same random
  // mix) take no more than three times the first 500, so no state grows
  // from change to change.
  CHECK(second_half < 3.0 * first_half + 1000.0);
#ifdef OPTIM_LSAN
  // Everything the session allocated is gone now, not only at exit.
  CHECK(__lsan_do_recoverable_leak_check() == 0);
#endif
}
