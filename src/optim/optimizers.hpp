// SPDX-License-Identifier: MIT
// Named optimizers: their hyperparameter metadata and their recipes (chains
// of transforms), looked up by the names of the spec ("adam", "sgdw", ...).
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/params.hpp"
#include "optim/transforms.hpp"

namespace optim {

// How the playground page presents a method; nothing here changes a run.
struct MethodPage {
  // Learning rate of a new racer on the page (0: the core's default). The
  // papers' defaults are made for networks and barely move a 2-D point; these
  // move on Rosenbrock from (-1.2, 1) within 300 steps without diverging.
  double lr = 0.0;
  int first = -1;     // place among a new user's first racers (-1: not there)
  int order = -1;     // place in the page's "Add racer" order (-1: not offered)
  std::string chart;  // state series its state chart opens with ("": default)
  // Lookahead's inner method in a new racer, with this learning rate.
  double inner_lr = 0.0;
  // Learning rate on the page's handwritten digits (0: none; the racer's own is
  // used). Derived by scripts/digits-rates.mjs: the best mean test accuracy
  // over three seeds at the digits section's defaults, among the rates of a
  // coarse grid whose next larger rate still trains.
  double digits_lr = 0.0;
};

struct MethodInfo {
  std::string name;       // "adamw"
  std::string label;      // "AdamW"
  std::string formula;    // the update rule in TeX
  std::string reference;  // paper or code it follows
  std::string description;
  std::vector<ParamSpec> params;
  MethodPage page;
  // Rules between parameters (nesterov needs momentum > 0); throws
  // ConfigError with the parameter's name as field.
  std::function<void(const Params&)> check;
  // The recipe: its transforms in order (make_optimizer builds the Chain,
  // fixed2d.hpp the fixed-size 2-D form); empty for lookahead, which wraps
  // another optimizer.
  std::function<std::vector<TransformSpec>(const Params&)> recipe;
};

// Every method, in the order the page lists them.
const std::vector<MethodInfo>& methods();

// Throws ConfigError("name", "unknown optimizer 'foo' (known: ...)").
const MethodInfo& find_method(const std::string& name);

// Validates an optimizer spec {"name": ..., "hyperparameters": {...}}
// ("hyperparameters" may be omitted for defaults), recursively for
// Lookahead's inner optimizer, and returns it with every default filled in.
// Errors are ConfigError with field paths relative to the spec
// ("hyperparameters.beta1", "hyperparameters.inner.hyperparameters.lr").
json normalize_optimizer(const json& spec);

// Builds the optimizer (normalizing the spec first). `schedule` is a schedule
// spec or null for a constant learning rate; its base lr is the method's lr
// (for Lookahead: the inner optimizer's lr).
std::unique_ptr<Optimizer> make_optimizer(const json& spec,
                                          const json& schedule = nullptr);

// Labels and descriptions of every state series any optimizer reports, by
// name: {"m": {"label", "description", "per_coordinate"}, ...}.
json state_series_metadata();

// {"name", "label", "formula", "reference", "description",
//  "params": [ParamSpec...], "state": [series reported with the defaults],
//  "page": {"lr", "first", "order", "chart", "innerLr"} (only those set)}.
json method_metadata(const MethodInfo& info);

}  // namespace optim
