// SPDX-License-Identifier: MIT
// The fixed-size 2-D form of an optimizer (transforms.hpp, namespace fixed2d):
// kept apart from the recipes and metadata of optimizers.cpp, which the wasm
// build compiles for size, so that the update loops built here are compiled
// for speed with the runs that use them.
#include <optional>
#include <string>

#include "core/params.hpp"
#include "optim/optimizers.hpp"
#include "optim/schedule.hpp"
#include "optim/transforms.hpp"

namespace optim {
namespace {

double b1(const Params& p) { return p.number("beta1"); }
double b2(const Params& p) { return p.number("beta2"); }
double eps(const Params& p) { return p.number("eps"); }

// The fields RAdam and NAdam share: weight decay as an L2 term or decoupled
// (decoupled_weight_decay), beta1, beta2 and eps.
template <class Kernel>
void set_moments_and_decay(Kernel& k, const Params& p) {
  if (p.flag("decoupled_weight_decay")) {
    k.decay = p.number("weight_decay");
  } else {
    k.weight_decay = p.number("weight_decay");
  }
  k.beta1 = b1(p);
  k.beta2 = b2(p);
  k.eps = eps(p);
}

}  // namespace

std::optional<Fixed2dOptimizer> make_fixed2d_optimizer(const json& spec,
                                                       const json& schedule,
                                                       long steps) {
  const json normalized = normalize_optimizer(spec);
  const std::string& name = normalized["name"].get_ref<const std::string&>();
  const Params p(normalized["hyperparameters"]);
  // Each branch builds the kernel of exactly the recipe in build_methods().
  std::optional<Fixed2dKernel> kernel;
  if (name == "sgd") {
    fixed2d::Sgd k;
    k.weight_decay = p.number("weight_decay");
    kernel = k;
  } else if (name == "sgd_momentum") {
    fixed2d::SgdMomentum k;
    k.weight_decay = p.number("weight_decay");
    k.trace.momentum = p.number("momentum");
    k.trace.dampening = p.number("dampening");
    k.trace.nesterov = p.flag("nesterov");
    kernel = k;
  } else if (name == "rmsprop") {
    fixed2d::RmsProp k;
    k.weight_decay = p.number("weight_decay");
    k.alpha = p.number("alpha");
    k.eps = eps(p);
    k.centered = p.flag("centered");
    k.momentum = p.number("momentum") > 0.0;
    k.trace.momentum = p.number("momentum");
    kernel = k;
  } else if (name == "adam" || name == "adamw" || name == "nadam_dozat" ||
             (name == "amsgrad" && p.choice("variant") == "torch")) {
    fixed2d::Adam k;
    k.beta1 = b1(p);
    k.beta2 = b2(p);
    k.eps = eps(p);
    k.lr = p.number("lr");
    if (name == "adam" || name == "amsgrad") {
      k.weight_decay = p.number("weight_decay");
    }
    k.amsgrad = name == "amsgrad" ||
                ((name == "adam" || name == "adamw") && p.flag("amsgrad"));
    k.nesterov = name == "nadam_dozat";
    if (name == "adamw") {
      k.decay = p.number("weight_decay");
      k.decay_times_lr = p.choice("wd_mode") == "lr";
    }
    k.bc1 = BiasTable(k.beta1, steps + 1);
    k.bc2 = BiasTable(k.beta2, steps + 1);
    kernel = std::move(k);
  } else if (name == "momentum_classic" || name == "nag" || name == "sgdw") {
    fixed2d::Classic k;
    k.momentum = p.number("momentum");
    k.look_ahead = name == "nag";
    if (name == "sgdw") {
      k.decay = p.number("weight_decay");
      k.decay_times_lr = p.choice("wd_mode") == "lr";
      k.lr = p.number("lr");
    }
    kernel = k;
  } else if (name == "radam") {
    fixed2d::RAdam k;
    set_moments_and_decay(k, p);
    k.threshold = p.number("threshold");
    k.prepare(steps);
    kernel = std::move(k);
  } else if (name == "nadam") {
    fixed2d::NAdam k;
    set_moments_and_decay(k, p);
    k.psi = p.number("momentum_decay");
    k.prepare(steps);
    kernel = std::move(k);
  } else if (name == "adamax") {
    fixed2d::Adamax k;
    k.weight_decay = p.number("weight_decay");
    k.beta1 = b1(p);
    k.beta2 = b2(p);
    k.eps = eps(p);
    k.bc1 = BiasTable(k.beta1, steps);
    kernel = std::move(k);
  } else if (name == "adagrad") {
    fixed2d::Adagrad k;
    k.weight_decay = p.number("weight_decay");
    k.lr_decay = p.number("lr_decay");
    k.initial = p.number("initial_accumulator_value");
    k.eps = eps(p);
    kernel = k;
  } else {
    return std::nullopt;
  }
  Fixed2dOptimizer out{std::move(*kernel), p.number("lr"), std::nullopt};
  if (!schedule.is_null())
    out.schedule.emplace(make_schedule(schedule), out.lr);
  return out;
}

}  // namespace optim
