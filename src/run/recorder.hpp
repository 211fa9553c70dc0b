// SPDX-License-Identifier: MIT
// The state series an optimizer reports after each update, recorded into
// flat per-series arrays; shared by run_path and run_stream. Private to
// src/run.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <vector>

#include "optim/transform.hpp"
#include "run/path.hpp"

namespace optim {

// Appends each reported series to `series`. An optimizer reports the same
// series in the same order after every update, so the k-th report of an
// update goes to the k-th series; the first update creates them, with room
// for `capacity` updates.
class Recorder : public StateSink {
 public:
  Recorder(std::vector<Series>& series, long capacity)
      : series_(series), names_(series.size(), nullptr), capacity_(capacity) {}
  void begin_update() { next_ = 0; }
  void vector(const char* name, const Vec& value) override {
    Series& s = slot(name, static_cast<int>(value.size()));
    s.values.insert(s.values.end(), value.data(), value.data() + value.size());
  }
  void scalar(const char* name, double value) override {
    slot(name, 1).values.push_back(value);
  }

 private:
  Series& slot(const char* name, int width) {
    if (next_ < series_.size()) {
      Series& s = series_[next_];
      // Optimizers report their series with literals: the pointer this
      // series was reported with last time needs no string comparison
      // (a quarter of the general loop's time, natively and in wasm).
      const char*& last = names_[next_++];
      if (last != name) {
        if (s.name != name) {
          throw std::logic_error("state series '" + std::string(name) +
                                 "' reported out of order");
        }
        last = name;
      }
      return s;
    }
    ++next_;
    names_.push_back(name);
    series_.push_back({name, width, {}});
    series_.back().values.reserve(static_cast<std::size_t>(capacity_) * width);
    return series_.back();
  }
  std::vector<Series>& series_;
  std::vector<const char*> names_;  // as last reported, per series
  long capacity_;
  std::size_t next_ = 0;
};

}  // namespace optim
