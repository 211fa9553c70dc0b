// SPDX-License-Identifier: MIT
// The Embind boundary: converts JS values to the core's JSON configs and
// results to JS objects with typed arrays, and forwards. No logic here.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <array>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "optim/optimizers.hpp"
#include "optim/schedule.hpp"
#include "problems/datasets.hpp"
#include "problems/functions2d.hpp"
#include "run/config.hpp"
#include "run/ensemble.hpp"
#include "run/landscape.hpp"
#include "run/path.hpp"
#include "run/sharpness.hpp"
#include "run/trainer.hpp"
#include "run/trainer_options.hpp"
#include "wasm/convert.hpp"

using emscripten::val;
using optim::json;
using namespace optim_wasm;

namespace {

val metadata(const char* which) {
  json out = json::array();
  const std::string w = which;
  if (w == "methods") {
    for (const auto& m : optim::methods())
      out.push_back(optim::method_metadata(m));
  } else if (w == "schedules") {
    for (const auto& s : optim::schedules()) {
      out.push_back(optim::schedule_metadata(s));
    }
  } else {
    for (const auto& f : optim::functions()) {
      out.push_back(optim::function_metadata(f));
    }
  }
  return to_js(out);
}

val methods() {
  return guard([] { return metadata("methods"); });
}
val schedules() {
  return guard([] { return metadata("schedules"); });
}
val functions() {
  return guard([] { return metadata("functions"); });
}
val series() {
  return guard([] { return to_js(optim::state_series_metadata()); });
}

val normalize_optimizer(val spec) {
  return guard(
      [&] { return to_js(optim::normalize_optimizer(from_js(spec))); });
}

val normalize_schedule(val spec) {
  return guard([&] { return to_js(optim::normalize_schedule(from_js(spec))); });
}

val normalize_config(val config) {
  return guard([&] {
    return to_js(optim::to_json(optim::parse_run_config(from_js(config))));
  });
}

val function_info(val spec) {
  return guard([&] { return to_js(optim::function_details(from_js(spec))); });
}

val evaluate(val spec, double x, double y) {
  return guard([&] {
    const json normalized = optim::normalize_function(from_js(spec));
    const auto f =
        optim::make_function(normalized["name"], normalized["params"]);
    const Eigen::Vector2d g = f->gradient(x, y);
    const Eigen::Matrix2d h = f->hessian(x, y);
    val out = val::object();
    out.set("value", f->value(x, y));
    out.set("gradient", to_js({g[0], g[1]}));
    out.set("hessian", to_js({{h(0, 0), h(0, 1)}, {h(1, 0), h(1, 1)}}));
    return out;
  });
}

val run(val config) {
  return guard([&] {
    const optim::RunConfig parsed = optim::parse_run_config(from_js(config));
    optim::RunResult r = optim::run_path(parsed, optim::PathEngine::automatic,
                                         optim::recording_of(parsed));
    val out = val::object();
    out.set("config", to_js(optim::to_json(parsed)));
    out.set("dim", r.dim);
    out.set("steps", static_cast<double>(r.steps));
    out.set("trajectory", typed_array("Float64Array", r.trajectory));
    out.set("loss", typed_array("Float64Array", r.loss));
    out.set("lr", typed_array("Float64Array", r.lr));
    out.set("state", series_js(r.state));
    out.set("diverged", r.diverged);
    out.set("divergedAt",
            r.diverged ? val(static_cast<double>(r.diverged_at)) : val::null());
    out.set("divergenceReason", r.divergence_reason);
    optim::release(std::move(r));
    return out;
  });
}

val grid(val config) {
  return guard([&] {
    const std::vector<float> values =
        optim::evaluate_grid(optim::parse_grid_config(from_js(config)));
    return typed_array("Float32Array", values);
  });
}

// The colour table's bytes (a Uint8Array or Uint8ClampedArray; anything
// else reads as no bytes, which parse_colour_table rejects).
optim::ColourMap colour_map(const val& table) {
  const bool bytes = table.instanceof
      (val::global("Uint8Array")) || table.instanceof
      (val::global("Uint8ClampedArray"));
  return optim::parse_colour_table(
      bytes ? emscripten::convertJSArrayToNumberVector<std::uint8_t>(table)
            : std::vector<std::uint8_t>{});
}

// The RGBA pixels of the latest landscape or heatmap call with colours. The
// JS view of them stays valid until the next such call or until wasm memory
// grows (any call may grow it; the view then has length 0).
std::vector<std::uint8_t>& heat_pixels() {
  static std::vector<std::uint8_t> pixels;
  return pixels;
}

val rgba_view(std::vector<std::uint8_t> rgba) {
  std::vector<std::uint8_t>& kept = heat_pixels();
  optim::release(std::exchange(kept, std::move(rgba)));
  const val bytes(emscripten::typed_memory_view(kept.size(), kept.data()));
  return val::global("Uint8ClampedArray")
      .new_(bytes["buffer"], bytes["byteOffset"], bytes["length"]);
}

val landscape_js(const optim::Landscape& l) {
  val out = val::object();
  out.set("values", typed_array("Float32Array", l.values));
  out.set("width", l.width);
  out.set("height", l.height);
  out.set("box", to_js({{"xmin", l.box.xmin},
                        {"xmax", l.box.xmax},
                        {"ymin", l.box.ymin},
                        {"ymax", l.box.ymax}}));
  out.set("min", l.min);
  out.set("max", l.max);
  out.set("levels", typed_array("Float64Array", l.levels));
  out.set("segments", typed_array("Float32Array", l.segments));
  out.set("offsets", typed_array("Uint32Array", l.offsets));
  return out;
}

val landscape(val config) {
  return guard([&] {
    optim::Landscape l = optim::compute_landscape(
        optim::parse_landscape_config(from_js(config)));
    val out = landscape_js(l);
    optim::release(std::move(l));
    return out;
  });
}

// landscape(config, colours): also the heat map, as `rgba` (see heat_pixels).
val landscape_coloured(val config, val colours) {
  return guard([&] {
    const optim::ColourMap map = colour_map(colours);
    optim::Landscape l = optim::compute_landscape(
        optim::parse_landscape_config(from_js(config)), &map);
    val out = landscape_js(l);
    out.set("rgba", rgba_view(std::move(l.rgba)));
    optim::release(std::move(l));
    return out;
  });
}

// The heat map alone: {width, height, min, max, rgba} (see heat_pixels).
val heatmap(val config, val colours) {
  return guard([&] {
    const optim::ColourMap map = colour_map(colours);
    optim::Landscape l = optim::compute_landscape(
        optim::parse_heatmap_config(from_js(config)), &map);
    val out = val::object();
    out.set("width", l.width);
    out.set("height", l.height);
    out.set("min", l.min);
    out.set("max", l.max);
    out.set("rgba", rgba_view(std::move(l.rgba)));
    optim::release(std::move(l));
    return out;
  });
}

val endpoint_metrics(val config) {
  return guard(
      [&] { return to_js(optim::endpoint_metrics_json(from_js(config))); });
}

val ensemble(val config) {
  return guard([&] {
    const optim::EnsembleResult r =
        optim::run_ensemble(optim::parse_ensemble_config(from_js(config)));
    json minima = json::array();
    for (const auto& m : r.minima) {
      minima.push_back({{"x", m.x}, {"y", m.y}, {"f", m.f}});
    }
    val racers = val::array();
    for (const auto& racer : r.racers) {
      val entry = val::object();
      entry.set("basinCounts", to_js(racer.basin_counts));
      entry.set("other", static_cast<double>(racer.other));
      entry.set("diverged", static_cast<double>(racer.diverged));
      entry.set("endpoints", typed_array("Float64Array", racer.endpoints));
      entry.set("trainLoss", typed_array("Float64Array", racer.train_loss));
      entry.set("testLoss", typed_array("Float64Array", racer.test_loss));
      entry.set("gap", typed_array("Float64Array", racer.gap));
      entry.set("basin", typed_array("Int32Array", racer.basin));
      racers.call<void>("push", entry);
    }
    val out = val::object();
    out.set("runs", static_cast<double>(r.runs));
    out.set("minima", to_js(minima));
    out.set("racers", racers);
    return out;
  });
}

// The numbers of an Array or a typed array, copied in one call (anything
// else reads as no numbers, which the core rejects naming the field).
std::vector<double> numbers_from_js(const val& values) {
  const bool array = val::global("Array").call<bool>("isArray", values) ||
                     (val::global("ArrayBuffer").call<bool>("isView", values) &&
                          !values.instanceof
                      (val::global("DataView")));
  return array ? emscripten::convertJSArrayToNumberVector<double>(values)
               : std::vector<double>{};
}

// The MLP trainer: the one bound class (it keeps its state between chunks).
// JS `new m.Trainer(config, digits)` calls this factory (boundary.js), so
// that an invalid config comes back as an Error like every other call's.
// `digits` ({images, labels}, the digits dataset only) may be undefined.
val make_trainer(val config, val digits) {
  return guard([&] {
    if (digits.isUndefined() || digits.isNull()) {
      return std::make_shared<optim::Trainer>(from_js(config));
    }
    const optim::Dataset images = optim::digits_dataset(
        numbers_from_js(digits["images"]), numbers_from_js(digits["labels"]));
    return std::make_shared<optim::Trainer>(from_js(config), &images);
  });
}

val trainer_run(optim::Trainer& trainer, double k) {
  return guard([&] { trainer.run(static_cast<long>(k)); });
}

val trainer_history_js(const optim::Trainer& t) {
  val out = val::object();
  out.set("steps", static_cast<double>(t.steps()));
  out.set("batchLoss", typed_array("Float64Array", t.batch_loss()));
  out.set("evalSteps", typed_array("Float64Array", t.eval_steps()));
  out.set("trainLoss", typed_array("Float64Array", t.train_loss()));
  out.set("testLoss", typed_array("Float64Array", t.test_loss()));
  out.set("trainAccuracy", typed_array("Float64Array", t.train_accuracy()));
  out.set("testAccuracy", typed_array("Float64Array", t.test_accuracy()));
  return out;
}

val trainer_history(const optim::Trainer& t) {
  return guard([&] { return trainer_history_js(t); });
}

val trainer_params(const optim::Trainer& t) {
  return guard([&] {
    const optim::Vec& p = t.params();
    return typed_array("Float64Array",
                       std::vector<double>(p.data(), p.data() + p.size()));
  });
}

// Points row by row ([x0, y0, x1, y1, ...], or 64 pixels per digit) and
// labels, for drawing the data.
val dataset_to_js(const optim::Dataset& d) {
  const optim::Mat rows = d.x.transpose();  // column-major: point by point
  val out = val::object();
  out.set("dim", static_cast<int>(d.x.cols()));
  out.set("points", typed_array("Float64Array",
                                std::vector<double>(
                                    rows.data(), rows.data() + rows.size())));
  out.set("labels", typed_array("Float64Array",
                                std::vector<double>(d.y.data(),
                                                    d.y.data() + d.y.size())));
  return out;
}

val trainer_data(const optim::Trainer& t) {
  return guard([&] {
    val out = val::object();
    out.set("train", dataset_to_js(t.train_data()));
    out.set("test", dataset_to_js(t.test_data()));
    return out;
  });
}

val trainer_predictions(const optim::Trainer& t) {
  return guard([&] {
    val out = val::object();
    out.set("train", typed_array("Int32Array", t.predict_train()));
    out.set("test", typed_array("Int32Array", t.predict_test()));
    return out;
  });
}

val trainer_top_eigenvalue(const optim::Trainer& t, int iterations,
                           double seed) {
  return guard([&] {
    return t.top_hessian_eigenvalue(iterations,
                                    static_cast<std::uint64_t>(seed));
  });
}

// A parameter vector from an Array or a typed array of numbers (anything
// else reads as null, which parse_vector rejects).
optim::Vec vector_from_js(const val& values, const std::string& field) {
  const bool array = val::global("Array").call<bool>("isArray", values) ||
                     (val::global("ArrayBuffer").call<bool>("isView", values) &&
                          !values.instanceof
                      (val::global("DataView")));
  return optim::parse_vector(array ? from_js(values, field) : json(nullptr),
                             field);
}

val trainer_set_params(optim::Trainer& t, val values) {
  return guard([&] { t.set_params(vector_from_js(values, "params")); });
}

val trainer_sharpness(const optim::Trainer& t, double epsilon, val seed) {
  return guard([&] {
    const optim::SharpnessOptions o =
        optim::parse_sharpness_options(json(epsilon), from_js(seed, "seed"));
    return t.epsilon_sharpness(o.epsilon, o.seed);
  });
}

val slice_to_js(const optim::LossSlice& s) {
  val out = val::object();
  out.set("alphas", typed_array("Float64Array", s.alphas));
  out.set("train", typed_array("Float64Array", s.train));
  out.set("test", typed_array("Float64Array", s.test));
  return out;
}

val trainer_random_slice(const optim::Trainer& t, val options) {
  return guard([&] {
    const optim::RandomSliceOptions o =
        optim::parse_random_slice_options(from_js(options, "options"));
    return slice_to_js(t.random_slice(o.seed, o.points, o.radius));
  });
}

val trainer_line_slice(const optim::Trainer& t, val other, val options) {
  return guard([&] {
    const optim::Vec b = vector_from_js(other, "otherParams");
    const optim::LineSliceOptions o =
        optim::parse_line_slice_options(from_js(options, "options"));
    return slice_to_js(t.line_slice(b, o.points, o.from, o.to));
  });
}

val normalize_trainer_config(val config) {
  return guard([&] {
    return to_js(optim::to_json(optim::parse_trainer_config(from_js(config))));
  });
}

val trainer_boundary(const optim::Trainer& t, val box, double width,
                     double height) {
  return guard([&] {
    const optim::PredictionGrid g =
        optim::parse_prediction_grid(from_js(box, "box"), width, height);
    return typed_array("Float32Array",
                       t.predict_grid(g.box, g.width, g.height));
  });
}

}  // namespace

EMSCRIPTEN_BINDINGS(optim) {
  bind_function("methods", &methods);
  bind_function("schedules", &schedules);
  bind_function("functions", &functions);
  bind_function("series", &series);
  bind_function("normalizeOptimizer", &normalize_optimizer);
  bind_function("normalizeSchedule", &normalize_schedule);
  bind_function("normalizeConfig", &normalize_config);
  bind_function("functionInfo", &function_info);
  bind_function("evaluate", &evaluate);
  bind_function("run", &run);
  bind_function("grid", &grid);
  bind_function("landscape", &landscape);
  bind_function("landscape", &landscape_coloured);
  bind_function("heatmap", &heatmap);
  bind_function("ensemble", &ensemble);
  bind_function("endpointMetrics", &endpoint_metrics);
  bind_function("normalizeTrainerConfig", &normalize_trainer_config);
  // The class has no bound constructor: boundary.js makes `new m.Trainer()`
  // call the guarded factory.
  bind_function("_makeTrainer", &make_trainer);
  emscripten::class_<optim::Trainer> trainer("Trainer");
  trainer.smart_ptr<std::shared_ptr<optim::Trainer>>("TrainerPtr");
  bind_method(trainer, "Trainer", "run", &trainer_run);
  bind_method(trainer, "Trainer", "history", &trainer_history);
  bind_method(trainer, "Trainer", "params", &trainer_params);
  bind_method(trainer, "Trainer", "data", &trainer_data);
  bind_method(trainer, "Trainer", "predictions", &trainer_predictions);
  bind_method(trainer, "Trainer", "topEigenvalue", &trainer_top_eigenvalue);
  bind_method(trainer, "Trainer", "setParams", &trainer_set_params);
  bind_method(trainer, "Trainer", "sharpness", &trainer_sharpness);
  bind_method(trainer, "Trainer", "randomSlice", &trainer_random_slice);
  bind_method(trainer, "Trainer", "lineSlice", &trainer_line_slice);
  bind_method(trainer, "Trainer", "boundary", &trainer_boundary);
  emscripten::function("_guardedBindings", &guarded_bindings);
}
