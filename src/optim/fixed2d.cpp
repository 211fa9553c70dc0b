// SPDX-License-Identifier: MIT
// The fixed-size 2-D form of an optimizer (fixed2d.hpp), built from its
// method's recipe: kept apart from the recipes and metadata of
// optimizers.cpp, which the wasm build compiles for size, so that the update
// loops built here are compiled for speed with the runs that use them.
#include "optim/fixed2d.hpp"

#include <type_traits>
#include <utility>

#include "optim/optimizers.hpp"

namespace optim {
namespace {

using fixed2d::Chain2d;
using fixed2d::V2;

// Where a transform sits in Chain2d's form: 0 add_l2, 1 the core, 2 trace,
// 3 scale_by_learning_rate, 4 trace_classic, 5 add_decayed_weights.
template <class S>
constexpr int slot_of() {
  if constexpr (std::is_same_v<S, AddL2Spec>) return 0;
  if constexpr (std::is_same_v<S, TraceSpec>) return 2;
  if constexpr (std::is_same_v<S, LearningRateSpec>) return 3;
  if constexpr (std::is_same_v<S, TraceClassicSpec>) return 4;
  if constexpr (std::is_same_v<S, AddDecayedWeightsSpec>) return 5;
  return 1;
}

int slot(const TransformSpec& spec) {
  return std::visit(
      [](const auto& s) { return slot_of<std::decay_t<decltype(s)>>(); }, spec);
}

// Sets the optional transforms of `chain` from the recipe.
template <class Core>
void set_frame(Chain2d<Core>& chain, const std::vector<TransformSpec>& specs) {
  using Rule = rules::RuleOf<V2>;
  for (const TransformSpec& spec : specs) {
    std::visit(
        [&](const auto& s) {
          using S = std::decay_t<decltype(s)>;
          if constexpr (std::is_same_v<S, AddL2Spec>) {
            chain.l2.emplace(Rule::make(s));
          } else if constexpr (std::is_same_v<S, TraceSpec>) {
            chain.trace.emplace(Rule::make(s));
          } else if constexpr (std::is_same_v<S, LearningRateSpec>) {
            chain.learning_rate.emplace(Rule::make(s));
          } else if constexpr (std::is_same_v<S, TraceClassicSpec>) {
            chain.classic.emplace(Rule::make(s));
          } else if constexpr (std::is_same_v<S, AddDecayedWeightsSpec>) {
            chain.decay.emplace(Rule::make(s));
          }
        },
        spec);
  }
}

}  // namespace

std::optional<Fixed2dOptimizer> make_fixed2d_optimizer(const json& spec,
                                                       const json& schedule,
                                                       long steps) {
  const json normalized = normalize_optimizer(spec);
  const MethodInfo& info = find_method(normalized["name"]);
  if (!info.recipe) return std::nullopt;  // a wrapper (Lookahead)
  const Params p(normalized["hyperparameters"]);
  const double lr = p.number("lr");
  const std::vector<TransformSpec> specs = info.recipe(p);
  // The recipe must list its transforms in Chain2d's order, one of each.
  const TransformSpec* core = nullptr;
  int last = -1;
  for (const TransformSpec& s : specs) {
    const int at = slot(s);
    if (at <= last) return std::nullopt;
    last = at;
    if (at == 1) core = &s;
  }
  auto build = [&](auto chain) -> Fixed2dKernel {
    set_frame(chain, specs);
    chain.prepare(steps);
    return chain;
  };
  Fixed2dKernel kernel =
      core == nullptr
          ? build(Chain2d<fixed2d::NoCore>(fixed2d::NoCore{}, lr))
          : std::visit(
                [&](const auto& s) -> Fixed2dKernel {
                  using S = std::decay_t<decltype(s)>;
                  if constexpr (slot_of<S>() == 1) {
                    auto rule = rules::RuleOf<V2>::make(s);
                    return build(Chain2d<decltype(rule)>(std::move(rule), lr));
                  } else {
                    return Chain2d<fixed2d::NoCore>(fixed2d::NoCore{}, lr);
                  }
                },
                *core);
  Fixed2dOptimizer out{std::move(kernel), lr, std::nullopt};
  if (!schedule.is_null()) out.schedule.emplace(make_schedule(schedule), lr);
  return out;
}

}  // namespace optim
