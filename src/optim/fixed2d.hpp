// SPDX-License-Identifier: MIT
// The fixed-size 2-D form of an optimizer, for whole runs on the 2-D test
// functions (run_path, ensembles): its recipe's transforms (rules.hpp) on
// Eigen::Vector2d, composed at compile time. It computes what the Chain of
// the same recipe computes, with the same rules, so the iterates and the
// reported state are bit for bit the Chain's (tests/cpp/test_fastpath.cpp);
// what it saves is the Chain's per-update overhead (virtual calls, dynamic
// vectors, per-update pow for the bias corrections, the recorder looking
// series up by name). Private to src/optim and src/run.
#pragma once

#include <Eigen/Core>
#include <cstddef>
#include <optional>
#include <type_traits>
#include <variant>
#include <vector>

#include "core/params.hpp"
#include "optim/rules.hpp"
#include "optim/schedule.hpp"

namespace optim {
namespace fixed2d {

using V2 = Eigen::Vector2d;

// The core of recipes that have no scaling transform (sgd, the momentum
// methods, sgdw): it leaves the update as it is.
struct NoCore : rules::RuleBase<V2> {
  void reset(Eigen::Index) {}
  void apply(V2&, const V2&, const StepInfo&) {}
};

// One reported series: `width` doubles at `data` (2 per coordinate, 1 for a
// scalar), valid while the kernel lives.
struct SeriesView {
  const char* name;
  const double* data;
  int width;
};

// A recipe of the form
//   [add_l2] core [trace] [scale_by_learning_rate] [trace_classic]
//   [add_decayed_weights]
// where the core is one scaling transform (or none) and the bracketed ones
// may be left out: every recipe of build_methods() has this form. The core's
// type is fixed at compile time, the others are switched on at run time.
template <class Core>
class Chain2d {
 public:
  Chain2d(Core core, double lr) : core(std::move(core)), lr_(lr) {}

  std::optional<rules::AddL2<V2>> l2;
  Core core;
  std::optional<rules::Trace<V2>> trace;
  std::optional<rules::ScaleByLearningRate<V2>> learning_rate;
  std::optional<rules::TraceClassic<V2>> classic;
  std::optional<rules::AddDecayedWeights<V2>> decay;

  // Fills the tables of per-update scalars for runs of up to `steps`.
  void prepare(long steps) { core.prepare(steps); }

  void reset() {
    each([](auto& rule) { rule.reset(2); });
    effective_.setZero();
  }

  // Whether the gradient is taken elsewhere than at theta (NAG).
  bool shifts_gradient() const { return classic && classic->shifts_gradient(); }
  void gradient_point(const V2& theta, V2& point) const {
    point = theta;
    each([&](const auto& rule) { rule.shift_gradient_point(point); });
  }

  // Whether step() computes the effective learning rate, a reported series:
  // runs that record no state (ensembles, lean paths) skip its work.
  void track_effective(bool on) { track_effective_ = on; }

  // Update t with gradient g and learning rate gamma_t, as Chain::step.
  void step(V2& theta, const V2& g, long t, double gamma) {
    const StepInfo info{t, gamma, gamma / lr_};
    V2 u = g;
    each([&](auto& rule) { rule.apply(u, theta, info); });
    theta += u;
    if (track_effective_) {
      effective_.setOnes();
      each([&](const auto& rule) { rule.scale_effective(effective_); });
    }
  }

  // Writes the reported series after the last update at row `row` of the
  // records `to`, one per series in series() order: a pair at to[i] + 2 row
  // (one 16-byte copy), a scalar at to[i] + row. Unrolled at compile time,
  // where a loop over series() would walk a table on every update.
  void write_series(double* const* to, std::size_t row) const {
    double* const* out = to;
    each([&](const auto& rule) {
      rule.series([&](const char*, const auto& value) {
        if constexpr (std::is_same_v<std::decay_t<decltype(value)>, double>) {
          (*out++)[row] = value;
        } else {
          Eigen::Map<V2>(*out++ + 2 * row) = value;
        }
      });
    });
    Eigen::Map<V2>(*out + 2 * row) = effective_;
  }

  // The reported series in the Chain's order, effective_lr last (computed
  // only with track_effective(true)).
  std::vector<SeriesView> series() const {
    std::vector<SeriesView> out;
    each([&](const auto& rule) {
      rule.series([&](const char* name, const auto& value) {
        if constexpr (std::is_same_v<std::decay_t<decltype(value)>, double>) {
          out.push_back({name, &value, 1});
        } else {
          out.push_back({name, value.data(), 2});
        }
      });
    });
    out.push_back({"effective_lr", effective_.data(), 2});
    return out;
  }

 private:
  template <class F>
  void each(F&& f) {
    if (l2) f(*l2);
    f(core);
    if (trace) f(*trace);
    if (learning_rate) f(*learning_rate);
    if (classic) f(*classic);
    if (decay) f(*decay);
  }
  template <class F>
  void each(F&& f) const {
    if (l2) f(*l2);
    f(core);
    if (trace) f(*trace);
    if (learning_rate) f(*learning_rate);
    if (classic) f(*classic);
    if (decay) f(*decay);
  }

  double lr_;
  bool track_effective_ = false;
  V2 effective_ = V2::Zero();
};

}  // namespace fixed2d

// One instantiation per core transform.
using Fixed2dKernel =
    std::variant<fixed2d::Chain2d<fixed2d::NoCore>,
                 fixed2d::Chain2d<rules::ScaleByAdagrad<fixed2d::V2>>,
                 fixed2d::Chain2d<rules::ScaleByRms<fixed2d::V2>>,
                 fixed2d::Chain2d<rules::ScaleByAdadelta<fixed2d::V2>>,
                 fixed2d::Chain2d<rules::ScaleByAdam<fixed2d::V2>>,
                 fixed2d::Chain2d<rules::ScaleByAdamax<fixed2d::V2>>,
                 fixed2d::Chain2d<rules::ScaleByAmsgradPaper<fixed2d::V2>>,
                 fixed2d::Chain2d<rules::ScaleByAdaBound<fixed2d::V2>>,
                 fixed2d::Chain2d<rules::ScaleBySwats<fixed2d::V2>>,
                 fixed2d::Chain2d<rules::ScaleByRAdam<fixed2d::V2>>,
                 fixed2d::Chain2d<rules::ScaleByNAdam<fixed2d::V2>>>;

// The fixed-size 2-D form of an optimizer, with its learning rate and
// schedule, for runs of up to `steps` updates.
struct Fixed2dOptimizer {
  Fixed2dKernel kernel;
  double lr = 0.0;                   // the method's lr hyperparameter
  std::optional<Schedule> schedule;  // gamma_t = (*schedule)(t - 1), else lr
  double learning_rate(long t) const {
    return schedule ? (*schedule)(t - 1) : lr;
  }
};

// The fixed-size form of `spec` (normalized here) when its method's recipe
// has the form of Chain2d (every method but Lookahead), else nullopt: such
// runs take the general Chain.
std::optional<Fixed2dOptimizer> make_fixed2d_optimizer(const json& spec,
                                                       const json& schedule,
                                                       long steps);

}  // namespace optim
