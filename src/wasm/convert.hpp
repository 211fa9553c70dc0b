// SPDX-License-Identifier: MIT
// What every Embind module of the core shares: JS values to JSON and back,
// typed arrays over the core's vectors, and the guard that turns a C++
// exception into a JS Error without unwinding wasm frames (boundary.js).
// Included by one binding file per module (bindings.cpp, tools.cpp).
#pragma once

#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

#include "core/params.hpp"
#include "run/path.hpp"

namespace optim_wasm {

using emscripten::val;
using optim::json;

// Runs f and returns its result as a JS value, or, when it throws, a
// Module.BoundaryFailure carrying the message. The failure is returned, never
// thrown from here: a JS exception thrown inside a wasm call unwinds the wasm
// frames without their epilogues, so their shadow-stack space (16 bytes a
// call) and the caught C++ exception would never be freed, and the module
// would die after some 10^5 rejected calls. The JS side of the boundary
// (boundary.js, linked as --post-js) throws an Error with the message from
// JavaScript instead.
template <class F>
inline val guard(F&& f) {
  std::string message;
  try {
    if constexpr (std::is_void_v<decltype(f())>) {
      f();
      return val::undefined();
    } else {
      return val(f());
    }
  } catch (const std::exception& e) {
    message = e.what();
  } catch (...) {
    message = "internal error: an exception that is not a std::exception";
  }
  return val::module_property("BoundaryFailure").new_(message);
}

// Integers of parsed JSON text as doubles, as from_js reads every JS number.
inline void numbers_as_doubles(json& j) {
  if (j.is_number_integer()) {
    j = json(j.get<double>());
  } else if (j.is_structured()) {
    for (auto& item : j) numbers_as_doubles(item);
  }
}

// A JS value as JSON, field by field, so that what JSON.stringify would hide
// is reported instead: NaN and Infinity stay numbers (and are rejected by
// validation as not finite), functions, symbols and BigInts are errors naming
// the field, typed arrays read as arrays, and self-references stop at a
// depth limit. Properties that are undefined count as absent. Plain JSON data
// (boundary.js jsonTextOf says which) is read as one text instead, with the
// same result: a config of a few dozen fields costs one call, not hundreds.
inline json from_js(const val& value, const std::string& path = "",
                    int depth = 0) {
  if (depth == 0) {
    const val text = val::module_property("jsonTextOf")(value);
    if (text.isString()) {
      json parsed = json::parse(text.as<std::string>(), nullptr, false);
      if (!parsed.is_discarded()) {
        numbers_as_doubles(parsed);
        return parsed;
      }
    }
  }
  constexpr int kMaxDepth = 32;
  if (depth > kMaxDepth) {
    throw optim::ConfigError(path,
                             "is nested too deeply (or refers to itself)");
  }
  const std::string type = value.typeOf().as<std::string>();
  if (type == "undefined" || value.isNull()) return json(nullptr);
  if (type == "number") return json(value.as<double>());
  if (type == "boolean") return json(value.as<bool>());
  if (type == "string") return json(value.as<std::string>());
  if (type != "object") {
    throw optim::ConfigError(path, "is a " + type + ", not a JSON value");
  }
  auto child = [&](const std::string& key) {
    return path.empty() ? key : path + "." + key;
  };
  if (val::global("Array").call<bool>("isArray", value) ||
      (val::global("ArrayBuffer").call<bool>("isView", value) &&
           !value.instanceof
       (val::global("DataView")))) {
    json out = json::array();
    const unsigned length = value["length"].as<unsigned>();
    for (unsigned i = 0; i < length; ++i) {
      out.push_back(
          from_js(value[i], path + "[" + std::to_string(i) + "]", depth + 1));
    }
    return out;
  }
  json out = json::object();
  const val keys = val::global("Object").call<val>("keys", value);
  const unsigned count = keys["length"].as<unsigned>();
  for (unsigned i = 0; i < count; ++i) {
    const std::string key = keys[i].as<std::string>();
    const val item = value[key];
    if (item.isUndefined()) continue;
    out[key] = from_js(item, child(key), depth + 1);
  }
  return out;
}

inline val to_js(const json& value) {
  return val::global("JSON").call<val>("parse", value.dump());
}

template <class T, class Allocator>
inline val typed_array(const char* type,
                       const std::vector<T, Allocator>& data) {
  return val::global(type).new_(
      val(emscripten::typed_memory_view(data.size(), data.data())));
}

// A run's state series by name: {name: {width, values: Float64Array}}.
inline val series_js(const std::vector<optim::Series>& series) {
  val out = val::object();
  for (const auto& s : series) {
    val entry = val::object();
    entry.set("width", s.width);
    entry.set("values", typed_array("Float64Array", s.values));
    out.set(s.name, entry);
  }
  return out;
}

// The names of every guarded binding, read by boundary.js to wrap each one:
// "name" for a module function, "Class.name" for a method. Registering a
// binding through these helpers is what makes its errors JS Errors.
inline std::vector<std::string>& guarded_names() {
  static std::vector<std::string> names;
  return names;
}

template <class F>
inline void bind_function(const char* name, F f) {
  emscripten::function(name, f);
  guarded_names().push_back(name);
}

template <class C, class F>
inline void bind_method(emscripten::class_<C>& c, const char* owner,
                        const char* name, F f) {
  c.function(name, f);
  guarded_names().push_back(std::string(owner) + "." + name);
}

inline val guarded_bindings() {
  val out = val::array();
  for (const std::string& name : guarded_names()) {
    out.call<void>("push", val(name));
  }
  return out;
}

}  // namespace optim_wasm
