// SPDX-License-Identifier: MIT
// The page settings in the core's metadata: each method's racer learning rate,
// its place among the first racers and in the "Add racer" order, the state
// chart it opens with; each function's heat-map colour scale. The page reads
// these, so a new method or function needs no page edit.
#include <doctest/doctest.h>

#include <algorithm>
#include <set>
#include <string>

#include "optim/optimizers.hpp"
#include "problems/functions2d.hpp"

using optim::json;

TEST_CASE(
    "page settings: first racers and the add order are places 0, 1, 2, ...") {
  std::set<int> first, order;
  for (const auto& m : optim::methods()) {
    if (m.page.first >= 0) CHECK(first.insert(m.page.first).second);
    if (m.page.order >= 0) CHECK(order.insert(m.page.order).second);
  }
  CHECK(first.size() == 5);
  CHECK(*first.rbegin() == static_cast<int>(first.size()) - 1);
  CHECK(*order.rbegin() == static_cast<int>(order.size()) - 1);
}

TEST_CASE(
    "page settings: a racer's learning rate is a valid lr, its chart a series "
    "it reports") {
  int inner = 0;
  for (const auto& m : optim::methods()) {
    CAPTURE(m.name);
    const json meta = optim::method_metadata(m);
    if (m.page.lr > 0.0) {
      // The method takes this learning rate.
      CHECK_NOTHROW(optim::normalize_optimizer(
          {{"name", m.name}, {"hyperparameters", {{"lr", m.page.lr}}}}));
    }
    if (!m.page.chart.empty()) {
      const auto& state = meta["state"];
      CHECK(std::find(state.begin(), state.end(), m.page.chart) != state.end());
      CHECK(meta["page"]["chart"] == m.page.chart);
    }
    if (m.page.digits_lr > 0.0) {
      // A digits rate is a valid lr of the method, and the page reads it.
      CHECK_NOTHROW(optim::normalize_optimizer(
          {{"name", m.name}, {"hyperparameters", {{"lr", m.page.digits_lr}}}}));
      CHECK(meta["page"]["digitsLr"] == m.page.digits_lr);
    } else {
      CHECK_FALSE(meta["page"].contains("digitsLr"));
    }
    if (m.page.inner_lr > 0.0) {
      ++inner;
      CHECK(meta["page"]["innerLr"] == m.page.inner_lr);
    }
    CHECK(meta["page"].is_object());
  }
  CHECK(inner ==
        1);  // exactly one method is Lookahead's inner method in a new racer
}

TEST_CASE("page settings: every function names its colour scale") {
  for (const auto& f : optim::functions()) {
    CAPTURE(f.name);
    const json meta = optim::function_metadata(f);
    const std::string colour = meta["page"]["colour"];
    CHECK((colour == "log" || colour == "linear"));
  }
  CHECK(optim::function_metadata(
            optim::find_function("rastrigin"))["page"]["colour"] == "linear");
  CHECK(optim::function_metadata(
            optim::find_function("rosenbrock"))["page"]["colour"] == "log");
}
