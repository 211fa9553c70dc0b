// SPDX-License-Identifier: MIT
// What the fuzz targets share: JSON read as the wasm boundary reads a JS
// value, and the one rule that every rejection is a clear std::exception.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>

#include "core/params.hpp"

namespace optim::fuzz {

// A finding: print it and abort, so libFuzzer keeps the input.
[[noreturn]] inline void fail(const std::string& what) {
  std::fprintf(stderr, "fuzz finding: %s\n", what.c_str());
  std::abort();
}

// Deeper than the boundary's from_js accepts (its limit is 32 levels).
inline bool too_deep(const json& value, int depth = 0) {
  if (depth > 32) return true;
  if (!value.is_structured()) return false;
  for (const auto& item : value) {
    if (too_deep(item, depth + 1)) return true;
  }
  return false;
}

// A JS value can hold what JSON text cannot: the strings "NaN", "Infinity"
// and "-Infinity" stand for those numbers, as from_js passes them on.
inline void special_numbers(json& value) {
  if (value.is_string()) {
    const std::string s = value.get<std::string>();
    constexpr double inf = std::numeric_limits<double>::infinity();
    if (s == "NaN") value = std::numeric_limits<double>::quiet_NaN();
    if (s == "Infinity") value = inf;
    if (s == "-Infinity") value = -inf;
    return;
  }
  if (value.is_structured()) {
    for (auto& item : value) special_numbers(item);
  }
}

// The input as a config, or nothing when it is not JSON the boundary would
// pass on.
inline std::optional<json> read_config(const std::uint8_t* data,
                                       std::size_t size) {
  json value = json::parse(data, data + size, nullptr, false);
  if (value.is_discarded() || too_deep(value)) return std::nullopt;
  special_numbers(value);
  return value;
}

// Runs f. A rejection must be a std::invalid_argument (ConfigError and
// ExpressionError are ones) with a message; a JSON library error, a
// std::logic_error or anything else means a check is missing in the core.
// Returns whether f accepted the input.
template <class F>
bool accepted(const char* what, F&& f) {
  try {
    f();
    return true;
  } catch (const json::exception& e) {
    fail(std::string(what) + ": unchecked JSON access: " + e.what());
  } catch (const std::invalid_argument& e) {
    if (std::string(e.what()).empty()) fail(std::string(what) + ": no message");
    return false;
  } catch (const std::exception& e) {
    fail(std::string(what) + ": not an invalid_argument: " + e.what());
  }
}

// Runs f on a config the reader accepted: it must not throw at all, since a
// rejection this late means the reader let something invalid through.
template <class F>
void must_run(const char* what, F&& f) {
  try {
    f();
  } catch (const std::exception& e) {
    fail(std::string(what) + " threw on an accepted config: " + e.what());
  }
}

}  // namespace optim::fuzz
