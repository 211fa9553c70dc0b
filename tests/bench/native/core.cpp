// SPDX-License-Identifier: MIT
// The bench driver of npm run bench (tests/bench/run.mjs), built natively
// (bench_core) and to wasm (build/wasm/bench-core.cjs): the same core
// calls the page makes through wasm, timed here in C++. Reads one job as JSON
// from argv[1] and prints one line of JSON:
//   {"samples_ms": [...], "result": {...}}
// Jobs ({"kind", "config", "repetitions", "warmup", ...}):
//   path      run_path(config); result: final point and loss, and whether
//             the run took the fixed-size 2-D loop ("fixed2d")
//   ensemble  run_ensemble(config); result: basin counts per racer
//   heat      compute_landscape(config with levels 0) colouring its nodes
//             with "colour_table" (768 bytes RGB) into RGBA; result: RGB sum
//   landscape compute_landscape(config); result: segment counts
//   train     Trainer(config).run("steps") per repetition; result: params
//   eigen     Trainer(config).run("train_steps"), then per repetition
//             top_hessian_eigenvalue("iterations", "seed"); result: value
//   floor     the loop of floor.hpp with config {"start", "lr", "steps",
//             "divergence_bound"}; result: final point, its recorded loss
//             and the steps
#include <chrono>
#include <cmath>
#include <cstdint>
#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include "floor.hpp"
#include "optim/fixed2d.hpp"
#include "run/config.hpp"
#include "run/ensemble.hpp"
#include "run/landscape.hpp"
#include "run/path.hpp"
#include "run/trainer.hpp"

using optim::json;

namespace {

// Times `work` after `warmup` untimed calls; milliseconds per repetition.
template <class F>
std::vector<double> measure(int warmup, int repetitions, F&& work) {
  for (int i = 0; i < warmup; ++i) work();
  std::vector<double> samples;
  for (int i = 0; i < repetitions; ++i) {
    const auto t0 = std::chrono::steady_clock::now();
    work();
    const auto t1 = std::chrono::steady_clock::now();
    samples.push_back(
        std::chrono::duration<double, std::milli>(t1 - t0).count());
  }
  return samples;
}

// NaN and infinities as null, so that the output stays JSON.
json number(double v) { return std::isfinite(v) ? json(v) : json(nullptr); }

// The page's colour table (256 RGB entries) and the grey of non-finite nodes.
optim::ColourMap colour_map(const std::vector<int>& table) {
  optim::ColourMap map{};
  for (int i = 0; i < 256; ++i) {
    map.colours[i] = {static_cast<std::uint8_t>(table.at(3 * i)),
                      static_cast<std::uint8_t>(table.at(3 * i + 1)),
                      static_cast<std::uint8_t>(table.at(3 * i + 2)), 255};
  }
  map.missing = {110, 110, 118, 255};
  return map;
}

json run_job(const json& job) {
  const std::string kind = job.at("kind");
  const json& config = job.at("config");
  const int reps = job.value("repetitions", 5);
  const int warmup = job.value("warmup", 1);
  json result;
  std::vector<double> samples;

  if (kind == "path") {
    const optim::RunConfig parsed = optim::parse_run_config(config);
    optim::RunResult r;
    samples = measure(warmup, reps, [&] {
      r = optim::run_path(
          parsed, optim::PathEngine::automatic,
          parsed.record_state ? optim::Recording::all : optim::Recording::path);
    });
    const std::size_t n = r.loss.size();
    result = {{"x", number(r.trajectory[2 * (n - 1)])},
              {"y", number(r.trajectory[2 * (n - 1) + 1])},
              {"loss", number(r.loss[n - 1])},
              {"steps", r.steps},
              {"diverged", r.diverged},
              {"fixed2d", parsed.start.size() == 2 &&
                              optim::make_fixed2d_optimizer(parsed.optimizer,
                                                            parsed.schedule, 1)
                                  .has_value()}};
  } else if (kind == "floor") {
    const double x0 = config.at("start").at(0), y0 = config.at("start").at(1);
    const double lr = config.at("lr"), bound = config.at("divergence_bound");
    const long steps = config.at("steps");
    std::vector<double> records(bench::floor_records(steps));
    bench::FloorRun r;
    samples = measure(warmup, reps, [&] {
      r = bench::sgd_rosenbrock(x0, y0, lr, steps, bound, records.data());
    });
    result = {{"x", number(r.x)},
              {"y", number(r.y)},
              {"loss", number(records[4 * r.steps + 2])},
              {"steps", r.steps}};
  } else if (kind == "ensemble") {
    const optim::EnsembleConfig parsed = optim::parse_ensemble_config(config);
    optim::EnsembleResult r;
    samples = measure(warmup, reps, [&] { r = optim::run_ensemble(parsed); });
    json racers = json::array();
    for (const auto& racer : r.racers) {
      racers.push_back({{"basinCounts", racer.basin_counts},
                        {"other", racer.other},
                        {"diverged", racer.diverged}});
    }
    result = {{"runs", r.runs}, {"racers", racers}};
  } else if (kind == "heat" || kind == "landscape") {
    const optim::LandscapeConfig parsed = optim::parse_landscape_config(config);
    const bool heat = kind == "heat";
    const optim::ColourMap map =
        heat ? colour_map(job.at("colour_table").get<std::vector<int>>())
             : optim::ColourMap{};
    optim::Landscape l;
    samples = measure(warmup, reps, [&] {
      l = optim::compute_landscape(parsed, heat ? &map : nullptr);
    });
    if (heat) {
      double sum = 0;
      for (std::size_t k = 0; k < l.rgba.size(); ++k) {
        if (k % 4 != 3) sum += l.rgba[k];
      }
      result = {{"rgbSum", sum}};
    } else {
      json counts = json::array();
      for (std::size_t k = 0; k + 1 < l.offsets.size(); ++k) {
        counts.push_back(l.offsets[k + 1] - l.offsets[k]);
      }
      result = {{"segments", counts}, {"min", l.min}, {"max", l.max}};
    }
  } else if (kind == "train") {
    optim::Trainer trainer(config);
    const long steps = job.at("steps");
    samples = measure(warmup, reps, [&] { trainer.run(steps); });
    const optim::Vec& p = trainer.params();
    result = {{"params", std::vector<double>(p.data(), p.data() + p.size())},
              {"steps", trainer.steps()}};
  } else if (kind == "eigen") {
    optim::Trainer trainer(config);
    trainer.run(job.at("train_steps").get<long>());
    const int iterations = job.at("iterations");
    const std::uint64_t seed = job.at("seed");
    double lambda = 0;
    samples = measure(warmup, reps, [&] {
      lambda = trainer.top_hessian_eigenvalue(iterations, seed);
    });
    result = {{"eigenvalue", number(lambda)}};
  } else {
    throw std::invalid_argument("unknown job kind: " + kind);
  }
  return {{"samples_ms", samples}, {"result", result}};
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: bench_core '<job as JSON>'\n";
    return 2;
  }
  try {
    std::cout << run_job(json::parse(argv[1])).dump() << "\n";
  } catch (const std::exception& e) {
    std::cerr << "bench_core: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
