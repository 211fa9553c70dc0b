// SPDX-License-Identifier: MIT
// The Embind boundary of the tools module (optim-tools.mjs), which the page
// loads only when a tool is opened: the gradient-stream lab, the learning-rate
// range test and the learning-rate tuner. Converts and forwards, as
// bindings.cpp does for the page's module.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include "run/range_test.hpp"
#include "run/stream.hpp"
#include "run/tune.hpp"
#include "wasm/convert.hpp"

using emscripten::val;
using optim::json;
using namespace optim_wasm;

namespace {

val stream_metadata() {
  return guard([] { return to_js(optim::stream_metadata()); });
}

val normalize_stream_config(val config) {
  return guard([&] {
    return to_js(optim::to_json(optim::parse_stream_config(from_js(config))));
  });
}

val run_stream(val config) {
  return guard([&] {
    const optim::StreamConfig parsed =
        optim::parse_stream_config(from_js(config));
    const optim::StreamResult r = optim::run_stream(parsed);
    val out = val::object();
    out.set("config", to_js(optim::to_json(parsed)));
    out.set("steps", static_cast<double>(r.steps));
    out.set("start", r.start);
    out.set("gradient", typed_array("Float64Array", r.gradient));
    out.set("x", typed_array("Float64Array", r.x));
    out.set("movement", typed_array("Float64Array", r.movement));
    out.set("lr", typed_array("Float64Array", r.lr));
    out.set("state", series_js(r.state));
    out.set("regret", typed_array("Float64Array", r.regret));
    out.set("averageRegret", typed_array("Float64Array", r.average_regret));
    out.set("diverged", r.diverged);
    out.set("divergedAt",
            r.diverged ? val(static_cast<double>(r.diverged_at)) : val::null());
    out.set("divergenceReason", r.divergence_reason);
    return out;
  });
}

val normalize_range_test_config(val config) {
  return guard([&] {
    return to_js(
        optim::to_json(optim::parse_range_test_config(from_js(config))));
  });
}

val range_test(val config) {
  return guard([&] {
    const optim::RangeTestConfig parsed =
        optim::parse_range_test_config(from_js(config));
    json out = optim::to_json(optim::range_test(parsed));
    out["config"] = optim::to_json(parsed);
    return to_js(out);
  });
}

val normalize_tune_config(val config) {
  return guard([&] {
    return to_js(optim::to_json(optim::parse_tune_config(from_js(config))));
  });
}

val tune(val config) {
  return guard([&] {
    const optim::TuneConfig parsed = optim::parse_tune_config(from_js(config));
    json out = optim::to_json(optim::tune(parsed));
    out["config"] = optim::to_json(parsed);
    return to_js(out);
  });
}

}  // namespace

EMSCRIPTEN_BINDINGS(optim_tools) {
  bind_function("streamMetadata", &stream_metadata);
  bind_function("normalizeStreamConfig", &normalize_stream_config);
  bind_function("runStream", &run_stream);
  bind_function("normalizeRangeTestConfig", &normalize_range_test_config);
  bind_function("rangeTest", &range_test);
  bind_function("normalizeTuneConfig", &normalize_tune_config);
  bind_function("tune", &tune);
  emscripten::function("_guardedBindings", &guarded_bindings);
}
