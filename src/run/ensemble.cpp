// SPDX-License-Identifier: MIT
// Ensembles of seeded runs reduced to endpoints, basins and gaps.
#include "run/ensemble.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <initializer_list>
#include <memory>
#include <string>

#include "core/rng.hpp"
#include "optim/fixed2d.hpp"
#include "optim/optimizers.hpp"
#include "optim/schedule.hpp"
#include "run/fixed2d_loop.hpp"
#include "run/path.hpp"

namespace optim {
namespace {

// Like path.cpp's check (every coordinate finite and |x_i| <= bound) but
// without temporaries: NaN and infinity both fail the comparison.
bool within_bound(const Vec& x, double bound) {
  for (Eigen::Index i = 0; i < x.size(); ++i) {
    if (!(std::abs(x[i]) <= bound)) return false;
  }
  return true;
}

// Whether p and q are the same point bit for bit (0 and -0 differ: a
// gradient there may differ in the sign of a zero).
bool same_point(const Vec& p, const Vec& q) {
  for (Eigen::Index i = 0; i < p.size(); ++i) {
    if (std::memcmp(&p[i], &q[i], sizeof(double)) != 0) return false;
  }
  return true;
}

// [a, b] with two finite numbers.
void number_pair(const json& value, const std::string& field, double& a,
                 double& b) {
  if (!value.is_array() || value.size() != 2) {
    throw ConfigError(
        field, "must be [" + std::string(field == "point" ? "x, y" : "dx, dy") +
                   "] with two finite numbers, got " + describe_json(value));
  }
  a = finite_number(value[0], field + "[0]");
  b = finite_number(value[1], field + "[1]");
}

Racer parse_racer(const json& r, long steps) {
  if (!r.is_object()) {
    throw ConfigError("",
                      "a racer must be an object {optimizer, schedule}, "
                      "got " +
                          describe_json(r));
  }
  reject_unknown_keys(r, "a racer", {"optimizer", "schedule"});
  auto method = parse_method(r);
  Racer racer;
  racer.optimizer = std::move(method.optimizer);
  racer.schedule = std::move(method.schedule);
  check_schedule_length(racer.schedule, steps, "schedule",
                        std::to_string(steps));
  return racer;
}

double nan() { return std::nan(""); }

json number_or_null(double v) { return std::isfinite(v) ? json(v) : json(); }

json numbers_or_null(const std::vector<double>& values) {
  json out = json::array();
  for (double v : values) out.push_back(number_or_null(v));
  return out;
}

// Runs of one racer on its fixed-size kernel, kLanes side by side
// (run_fixed2d_lanes): each run's endpoint and last loss (NaN both for a
// diverged run, as run_endpoint) and the update where it diverged (-1: none).
constexpr int kLanes = 4;

template <class Kernel>
void run_fixed_racer(const Kernel& kernel, const Fixed2dOptimizer& optimizer,
                     const Function2D& function, const EnsembleConfig& c,
                     const std::vector<double>& starts,
                     std::vector<double>& endpoints,
                     std::vector<double>& train_loss,
                     std::vector<long>& diverged) {
  const std::size_t runs = static_cast<std::size_t>(c.runs);
  std::vector<Kernel> lanes(kLanes, kernel);
  for (std::size_t r = 0; r < runs; r += kLanes) {
    const int count = static_cast<int>(std::min<std::size_t>(kLanes, runs - r));
    Eigen::Vector2d theta[kLanes];
    NoiseSpec noise[kLanes];
    double f[kLanes];
    for (int k = 0; k < count; ++k) {
      theta[k] = {starts[2 * (r + k)], starts[2 * (r + k) + 1]};
      noise[k] = {c.noise_level, c.seed + r + k};
    }
    const auto keep_loss = [&](int k, double loss) { f[k] = loss; };
    run_fixed2d_lanes<kLanes>(lanes.data(), optimizer, function, theta, c.steps,
                              noise, kDefaultDivergenceBound, &diverged[r],
                              count, keep_loss,
                              [&](int k, long, const Eigen::Vector2d&,
                                  double loss, double) { keep_loss(k, loss); });
    for (int k = 0; k < count; ++k) {
      const bool ok = diverged[r + k] < 0;
      endpoints[2 * (r + k)] = ok ? theta[k][0] : nan();
      endpoints[2 * (r + k) + 1] = ok ? theta[k][1] : nan();
      train_loss[r + k] = ok ? f[k] : nan();
    }
  }
}

}  // namespace

Vec run_endpoint(Optimizer& optimizer, const Function2D& function, Vec start,
                 long steps, const NoiseSpec& noise, double bound,
                 long* diverged_at, double* final_loss) {
  Vec& x = start;
  const Eigen::Index dim = x.size();
  const auto diverge = [&](long t) -> Vec {
    if (diverged_at) *diverged_at = t;
    if (final_loss) *final_loss = nan();
    return Vec::Constant(dim, nan());
  };
  // The gradient at the current iterate, computed with its loss; used when
  // the optimizer takes the gradient there (all but NAG and the like).
  double at_x[2];
  double f = function.value_gradient(x[0], x[1], at_x);
  if (!within_bound(x, bound) || !std::isfinite(f)) return diverge(0);

  // The loop below mirrors run_path's step for step (same calls in the same
  // order, same noise draws) minus the recording.
  optimizer.reset(x);
  Rng rng(noise.seed);
  const bool noisy = noise.level > 0.0;
  Vec point(dim), grad(dim);
  for (long t = 1; t <= steps; ++t) {
    optimizer.gradient_point(x, point);
    if (same_point(point, x)) {
      grad[0] = at_x[0];
      grad[1] = at_x[1];
    } else {
      grad = function.gradient(point[0], point[1]);
    }
    if (noisy) {
      for (Eigen::Index i = 0; i < dim; ++i)
        grad[i] += noise.level * rng.normal();
    }
    optimizer.step(x, grad);
    if (!within_bound(x, bound)) return diverge(t);
    f = function.value_gradient(x[0], x[1], at_x);
    if (!std::isfinite(f)) return diverge(t);
  }
  if (diverged_at) *diverged_at = -1;
  if (final_loss) *final_loss = f;
  return start;
}

EnsembleConfig parse_ensemble_config(const json& j) {
  if (!j.is_object()) {
    throw ConfigError("",
                      "the ensemble configuration must be a JSON object, "
                      "got " +
                          describe_json(j));
  }
  reject_unknown_keys(j, "the ensemble configuration",
                      {"function", "racers", "steps", "runs", "seed", "start",
                       "noise", "basin_radius", "test_offset"});
  EnsembleConfig c;
  if (!j.contains("function")) throw ConfigError("function", "is required");
  c.function =
      within("function", [&] { return normalize_function(j["function"]); });
  const auto function = make_function(c.function["name"], c.function["params"]);

  if (j.contains("steps")) {
    c.steps = static_cast<long>(
        integer_in(j["steps"], "steps", 1, static_cast<double>(kMaxSteps)));
  }
  if (j.contains("runs")) {
    c.runs = static_cast<long>(integer_in(
        j["runs"], "runs", 1, static_cast<double>(kMaxEnsembleRuns)));
  }
  if (j.contains("seed")) {
    c.seed = static_cast<std::uint64_t>(
        integer_in(j["seed"], "seed", 0, 9007199254740991.0));
  }

  if (!j.contains("racers")) throw ConfigError("racers", "is required");
  const json& racers = j["racers"];
  if (!racers.is_array() || racers.empty() ||
      racers.size() > static_cast<std::size_t>(kMaxEnsembleRacers)) {
    throw ConfigError("racers", "must be a list of 1 to " +
                                    std::to_string(kMaxEnsembleRacers) +
                                    " racers, got " + describe_json(racers));
  }
  for (std::size_t i = 0; i < racers.size(); ++i) {
    c.racers.push_back(within("racers[" + std::to_string(i) + "]",
                              [&] { return parse_racer(racers[i], c.steps); }));
  }

  const double work = static_cast<double>(c.runs) *
                      static_cast<double>(c.racers.size()) *
                      static_cast<double>(c.steps);
  if (work > kMaxEnsembleWork) {
    throw ConfigError("runs", "runs * racers * steps = " + format_number(work) +
                                  " exceeds " +
                                  format_number(kMaxEnsembleWork) +
                                  " updates; use fewer runs, racers or steps");
  }

  c.box = function->domain();
  if (j.contains("start") && !j["start"].is_null()) {
    const json& s = j["start"];
    within("start", [&] {
      if (!s.is_object() || s.size() != 1 ||
          !(s.contains("box") || s.contains("point"))) {
        throw ConfigError("",
                          "must be {\"box\": {xmin, xmax, ymin, ymax}} or "
                          "{\"point\": [x, y]}, got " +
                              describe_json(s));
      }
      if (s.contains("box")) {
        c.box = within("box", [&] {
          return parse_box(s["box"], /*allow_degenerate=*/true);
        });
      } else {
        c.fixed_start = true;
        c.point = Vec(2);
        number_pair(s["point"], "point", c.point[0], c.point[1]);
      }
      return 0;
    });
  }

  if (j.contains("noise") && !j["noise"].is_null()) {
    const json& n = j["noise"];
    if (!n.is_object()) {
      throw ConfigError("noise",
                        "must be an object {level}, got " + describe_json(n));
    }
    within("noise", [&] {
      reject_unknown_keys(n, "noise", {"level"});
      if (n.contains("level")) {
        c.noise_level = finite_number(n["level"], "level");
        if (c.noise_level < 0.0) {
          throw ConfigError("level", format_number(c.noise_level) +
                                         " is negative (the noise level is a "
                                         "standard deviation >= 0)");
        }
      }
      return 0;
    });
  }

  if (j.contains("basin_radius")) {
    c.basin_radius = finite_number(j["basin_radius"], "basin_radius");
    if (c.basin_radius <= 0.0) {
      throw ConfigError("basin_radius", "must be positive");
    }
  }
  if (j.contains("test_offset")) {
    number_pair(j["test_offset"], "test_offset", c.test_dx, c.test_dy);
  }
  return c;
}

EnsembleResult run_ensemble(const EnsembleConfig& c) {
  const auto function = make_function(c.function["name"], c.function["params"]);
  EnsembleResult result;
  result.runs = c.runs;
  result.minima = function->minima();
  const std::size_t runs = static_cast<std::size_t>(c.runs);

  // Starts depend only on the run, so every racer sees the same ones.
  std::vector<double> starts(2 * runs);
  for (std::size_t r = 0; r < runs; ++r) {
    if (c.fixed_start) {
      starts[2 * r] = c.point[0];
      starts[2 * r + 1] = c.point[1];
    } else {
      Rng rng(c.seed + r);
      const double u = rng.uniform();
      const double v = rng.uniform();
      starts[2 * r] = c.box.xmin + (c.box.xmax - c.box.xmin) * u;
      starts[2 * r + 1] = c.box.ymin + (c.box.ymax - c.box.ymin) * v;
    }
  }

  for (const Racer& racer : c.racers) {
    // One optimizer per racer, reset at the start of every run: the
    // fixed-size form when the method has one, else the Chain.
    auto fixed =
        make_fixed2d_optimizer(racer.optimizer, racer.schedule, c.steps);
    const auto optimizer =
        fixed ? nullptr : make_optimizer(racer.optimizer, racer.schedule);
    RacerResult out;
    out.basin_counts.assign(result.minima.size(), 0);
    out.endpoints.resize(2 * runs);
    out.train_loss.resize(runs);
    out.test_loss.resize(runs);
    out.gap.resize(runs);
    out.basin.resize(runs);
    // Every run's end, last loss and divergence first, then their reduction.
    std::vector<long> diverged(runs, -1);
    if (fixed) {
      std::visit(
          [&](auto& kernel) {
            run_fixed_racer(kernel, *fixed, *function, c, starts, out.endpoints,
                            out.train_loss, diverged);
          },
          fixed->kernel);
    } else {
      Vec start(2);
      for (std::size_t r = 0; r < runs; ++r) {
        start << starts[2 * r], starts[2 * r + 1];
        const NoiseSpec noise{c.noise_level, c.seed + r};
        const Vec end = run_endpoint(*optimizer, *function, start, c.steps,
                                     noise, kDefaultDivergenceBound,
                                     &diverged[r], &out.train_loss[r]);
        out.endpoints[2 * r] = end[0];
        out.endpoints[2 * r + 1] = end[1];
      }
    }
    for (std::size_t r = 0; r < runs; ++r) {
      const long diverged_at = diverged[r];
      const Eigen::Vector2d end(out.endpoints[2 * r], out.endpoints[2 * r + 1]);
      const double train = out.train_loss[r];
      if (diverged_at >= 0) {
        out.test_loss[r] = out.gap[r] = nan();
        out.basin[r] = -2;
        ++out.diverged;
        continue;
      }
      const double test =
          function->value(end[0] - c.test_dx, end[1] - c.test_dy);
      out.test_loss[r] = test;
      out.gap[r] = test - train;
      int best = -1;
      double best_distance = c.basin_radius;
      for (std::size_t k = 0; k < result.minima.size(); ++k) {
        const double d = std::hypot(end[0] - result.minima[k].x,
                                    end[1] - result.minima[k].y);
        if (d <= best_distance && (best < 0 || d < best_distance)) {
          best = static_cast<int>(k);
          best_distance = d;
        }
      }
      out.basin[r] = best;
      if (best >= 0) {
        ++out.basin_counts[best];
      } else {
        ++out.other;
      }
    }
    result.racers.push_back(std::move(out));
  }
  return result;
}

json to_json(const EnsembleResult& result) {
  json minima = json::array();
  for (const auto& m : result.minima) {
    minima.push_back({{"x", m.x}, {"y", m.y}, {"f", m.f}});
  }
  json racers = json::array();
  for (const auto& r : result.racers) {
    json endpoints = json::array();
    for (std::size_t i = 0; i + 1 < r.endpoints.size(); i += 2) {
      endpoints.push_back(
          {number_or_null(r.endpoints[i]), number_or_null(r.endpoints[i + 1])});
    }
    racers.push_back({{"basin_counts", r.basin_counts},
                      {"other", r.other},
                      {"diverged", r.diverged},
                      {"endpoints", endpoints},
                      {"train_loss", numbers_or_null(r.train_loss)},
                      {"test_loss", numbers_or_null(r.test_loss)},
                      {"gap", numbers_or_null(r.gap)},
                      {"basin", r.basin}});
  }
  return {{"runs", result.runs}, {"minima", minima}, {"racers", racers}};
}

}  // namespace optim
