// SPDX-License-Identifier: MIT
// Whole runs recorded into flat arrays, and landscape grids.
#include "run/path.hpp"

#include <cmath>
#include <utility>

#include "core/rng.hpp"
#include "optim/fixed2d.hpp"
#include "optim/optimizers.hpp"
#include "run/fixed2d_loop.hpp"
#include "run/recorder.hpp"

namespace optim {
namespace {

bool within_bound(const Vec& x, double bound) {
  for (Eigen::Index i = 0; i < x.size(); ++i) {
    if (!std::isfinite(x[i])) return false;
  }
  return x.cwiseAbs().maxCoeff() <= bound;
}

// The divergence reason of an iterate that failed the checks after update t
// (or of the start, t = 0).
std::string divergence_reason(const double* x, int dim, double bound, long t) {
  bool finite = true, bounded = true;
  for (int i = 0; i < dim; ++i) {
    finite = finite && std::isfinite(x[i]);
    bounded = bounded && std::abs(x[i]) <= bound;
  }
  if (t == 0) {
    return !bounded ? "the start point has a coordinate beyond " +
                          format_number(bound)
                    : "the loss at the start point is not finite";
  }
  return !finite    ? "the iterate is not finite"
         : !bounded ? "a coordinate exceeds " + format_number(bound)
                    : "the loss is not finite";
}

// run_path on a fixed-size kernel: the same records as the general loop,
// written straight into the result.
template <class Kernel>
RunResult run_path_fixed(Kernel& kernel, const Fixed2dOptimizer& optimizer,
                         const Function2D& function, const RunConfig& config,
                         Recording recording) {
  RunResult result;
  result.dim = 2;
  const std::size_t rows = static_cast<std::size_t>(config.steps);
  // The kernel's state, in report order; it stays in place.
  const std::vector<fixed2d::SeriesView> sources =
      recording == Recording::all ? kernel.series()
                                  : std::vector<fixed2d::SeriesView>{};
  kernel.track_effective(recording == Recording::all);
  // Each state record is sized in full (left uninitialized, see Record) and
  // written in place by update t at row t - 1 (the kernel's write_series),
  // then cut to the updates that did not diverge. Appending instead cost the
  // wasm build a capacity check and a stored end per value: for methods that
  // report many series (SWATS, RAdam) more than the update itself.
  result.state.resize(sources.size());
  std::vector<double*> records(sources.size());
  for (std::size_t k = 0; k < sources.size(); ++k) {
    Series& s = result.state[k];
    s.name = sources[k].name;
    s.width = sources[k].width;
    s.values.resize(s.width * rows);
    records[k] = s.values.data();
  }
  double* const* const to = records.data();
  const bool record_state = !records.empty();
  // The path's records likewise: row 0 the start, row t update t.
  result.trajectory.resize(2 * (rows + 1));
  result.loss.resize(rows + 1);
  result.lr.resize(rows);
  double* const trajectory = result.trajectory.data();
  double* const loss = result.loss.data();
  double* const lr = result.lr.data();

  Eigen::Vector2d theta(config.start[0], config.start[1]);
  const long diverged_at = run_fixed2d(
      kernel, optimizer, function, theta, config.steps, config.noise,
      config.divergence_bound,
      [&](double f0) {
        trajectory[0] = theta[0];
        trajectory[1] = theta[1];
        loss[0] = f0;
      },
      [&](long t, const Eigen::Vector2d& x, double f, double gamma) {
        const std::size_t row = static_cast<std::size_t>(t - 1);
        // The point as one 16-byte vector: half the loads and stores of two
        // doubles, which the wasm build does not merge.
        Eigen::Map<Eigen::Vector2d> point(trajectory + 2 * row + 2);
        point = x;
        loss[row + 1] = f;
        lr[row] = gamma;
        if (record_state) kernel.write_series(to, row);
      });
  const long steps = diverged_at < 0 ? config.steps : diverged_at - 1;
  if (diverged_at >= 0) {
    result.diverged = true;
    result.diverged_at = diverged_at;
    result.divergence_reason = divergence_reason(
        theta.data(), 2, config.divergence_bound, diverged_at);
  }
  // The records hold the updates that did not diverge; a run that diverged
  // at its start records nothing.
  result.steps = diverged_at == 0 ? 0 : steps;
  // Cut every record to what was written: nothing when the start itself
  // failed, else the start and the updates that did not diverge.
  const std::size_t kept = static_cast<std::size_t>(result.steps);
  const std::size_t points = diverged_at == 0 ? 0 : kept + 1;
  result.trajectory.resize(2 * points);
  result.loss.resize(points);
  result.lr.resize(kept);
  for (Series& s : result.state) s.values.resize(s.width * kept);
  if (result.steps == 0) result.state.clear();
  return result;
}

}  // namespace

RunResult run_path(const RunConfig& config, PathEngine engine,
                   Recording recording) {
  const auto function =
      make_function(config.function["name"], config.function["params"]);
  if (engine == PathEngine::automatic && config.start.size() == 2) {
    auto fixed =
        make_fixed2d_optimizer(config.optimizer, config.schedule, config.steps);
    if (fixed) {
      return std::visit(
          [&](auto& kernel) {
            return run_path_fixed(kernel, *fixed, *function, config, recording);
          },
          fixed->kernel);
    }
  }
  auto optimizer = make_optimizer(config.optimizer, config.schedule);
  const int dim = static_cast<int>(config.start.size());

  RunResult result;
  result.dim = dim;
  result.trajectory.reserve((config.steps + 1) * dim);
  result.loss.reserve(config.steps + 1);
  result.lr.reserve(config.steps);

  Vec x = config.start;
  const double f0 = function->value(x[0], x[1]);
  if (!within_bound(x, config.divergence_bound) || !std::isfinite(f0)) {
    result.diverged = true;
    result.diverged_at = 0;
    result.divergence_reason =
        divergence_reason(x.data(), dim, config.divergence_bound, 0);
    return result;
  }
  result.trajectory.insert(result.trajectory.end(), x.data(), x.data() + dim);
  result.loss.push_back(f0);

  optimizer->reset(x);
  Rng rng(config.noise.seed);
  const bool noisy = config.noise.level > 0.0;
  Vec point(dim), grad(dim);
  Recorder recorder(result.state, config.steps);
  for (long t = 1; t <= config.steps; ++t) {
    optimizer->gradient_point(x, point);
    grad = function->gradient(point[0], point[1]);
    if (noisy) {
      for (int i = 0; i < dim; ++i)
        grad[i] += config.noise.level * rng.normal();
    }
    optimizer->step(x, grad);
    const double f = within_bound(x, config.divergence_bound)
                         ? function->value(x[0], x[1])
                         : NAN;
    if (!std::isfinite(f)) {
      result.diverged = true;
      result.diverged_at = t;
      result.divergence_reason =
          divergence_reason(x.data(), dim, config.divergence_bound, t);
      break;
    }
    result.trajectory.insert(result.trajectory.end(), x.data(), x.data() + dim);
    result.loss.push_back(f);
    result.lr.push_back(optimizer->learning_rate());
    if (recording == Recording::all) {
      recorder.begin_update();
      optimizer->report(recorder);
    }
    result.steps = t;
  }
  return result;
}

Recording recording_of(const RunConfig& config) {
  return config.record_state ? Recording::all : Recording::path;
}

void release(RunResult&& result) { const RunResult freed(std::move(result)); }

std::vector<float> evaluate_grid(const GridConfig& config) {
  const auto function =
      make_function(config.function["name"], config.function["params"]);
  const Box& b = config.box;
  const int w = config.width, h = config.height;
  const double dx = (b.xmax - b.xmin) / (w - 1);
  const double dy = (b.ymax - b.ymin) / (h - 1);
  std::vector<double> xs(w), ys(h);
  for (int i = 0; i < w; ++i) xs[i] = b.xmin + i * dx;
  for (int j = 0; j < h; ++j) ys[j] = b.ymax - j * dy;
  std::vector<float> values(static_cast<std::size_t>(w) * h);
  function->grid_values(xs.data(), w, ys.data(), h, values.data());
  return values;
}

json to_json(const RunResult& r) {
  json trajectory = json::array();
  for (long t = 0; t * r.dim < static_cast<long>(r.trajectory.size()); ++t) {
    trajectory.push_back(
        std::vector<double>(r.trajectory.begin() + t * r.dim,
                            r.trajectory.begin() + (t + 1) * r.dim));
  }
  json state = json::object();
  for (const auto& s : r.state) {
    if (s.width == 1) {
      state[s.name] = s.values;
      continue;
    }
    json rows = json::array();
    for (std::size_t t = 0; t * s.width < s.values.size(); ++t) {
      rows.push_back(std::vector<double>(s.values.begin() + t * s.width,
                                         s.values.begin() + (t + 1) * s.width));
    }
    state[s.name] = rows;
  }
  return {
      {"steps", r.steps},
      {"trajectory", trajectory},
      {"f", r.loss},
      {"lr", r.lr},
      {"state", state},
      {"diverged", r.diverged},
      {"diverged_at", r.diverged_at < 0 ? json(nullptr) : json(r.diverged_at)},
      {"divergence_reason", r.divergence_reason}};
}

}  // namespace optim
