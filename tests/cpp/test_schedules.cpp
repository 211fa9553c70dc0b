// SPDX-License-Identifier: MIT
// Learning-rate schedules: hand-derived values, golden lr values, validation.
#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include "optim/schedule.hpp"

using optim::ConfigError;
using optim::json;
using optim::make_schedule;
using optim::normalize_schedule;
using optim::schedule_step_limit;

namespace {

// Hand derivations are exact up to a few roundings (and one cancellation in
// 1 + cos near pi), hence 1e-12; golden numbers must match to 1e-14. Both are
// relative: doctest's default Approx scale of 1 would make them absolute.
doctest::Approx hand(double v) {
  return doctest::Approx(v).epsilon(1e-12).scale(0);
}
doctest::Approx golden(double v) {
  return doctest::Approx(v).epsilon(1e-14).scale(0);
}

double at(const char* spec, double lr, long k) {
  return make_schedule(json::parse(spec))(lr, k);
}

}  // namespace

TEST_CASE("schedule registry lists the 13 schedules in page order") {
  const std::vector<std::string> expected = {"constant",
                                             "step",
                                             "multistep",
                                             "exponential",
                                             "inverse_sqrt",
                                             "cosine",
                                             "cosine_warm_restarts",
                                             "cyclic",
                                             "one_cycle",
                                             "linear_warmup",
                                             "exponential_warmup",
                                             "sequential",
                                             "chain"};
  REQUIRE(optim::schedules().size() == expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const optim::ScheduleInfo& info = optim::schedules()[i];
    CHECK(info.name == expected[i]);
    CHECK(&optim::find_schedule(expected[i]) == &info);
    CHECK(info.absolute == (info.name == "cyclic" || info.name == "one_cycle"));
    CHECK_FALSE(info.label.empty());
    CHECK_FALSE(info.formula.empty());
    CHECK_FALSE(info.description.empty());
    for (const optim::ParamSpec& p : info.params) {
      CHECK_MESSAGE(!p.description.empty(), info.name, ".", p.name);
    }
  }
}

TEST_CASE("schedule_metadata describes the schedule and its parameters") {
  const json meta = optim::schedule_metadata(optim::find_schedule("cyclic"));
  CHECK(meta["name"] == "cyclic");
  CHECK(meta["label"].is_string());
  CHECK(meta["formula"].is_string());
  CHECK(meta["description"].is_string());
  CHECK(meta["absolute"] == true);
  REQUIRE(meta["params"].size() == 6);
  CHECK(meta["params"][0]["name"] == "base_lr");
  CHECK(meta["params"][0]["required"] == true);
  CHECK(meta["params"][0]["scale"] == "log");
  CHECK(meta["params"][3]["name"] == "step_size_down");
  CHECK(meta["params"][3]["nullable"] == true);
  CHECK(meta["params"][3]["default"].is_null());
  CHECK(meta["params"][4]["choices"] ==
        json({"triangular", "triangular2", "exp_range"}));
  CHECK(meta["params"][5]["range"] == "(0, 1]");
  const json seq = optim::schedule_metadata(optim::find_schedule("sequential"));
  CHECK(seq["params"][0]["type"] == "schedule list");
  CHECK(seq["params"][1]["type"] == "integer list");
  CHECK(seq["params"][1]["range"] == "[1, 1e+09]");
}

TEST_CASE("normalize_schedule fills defaults, recursively and idempotently") {
  CHECK(normalize_schedule(nullptr) ==
        json::parse(R"({"name": "constant", "params": {}})"));
  CHECK(normalize_schedule(json::parse(R"({"name": "inverse_sqrt"})")) ==
        json::parse(R"({"name": "inverse_sqrt", "params": {}})"));

  const json cyclic = normalize_schedule(
      json::parse(R"({"name": "cyclic", "params": {"base_lr": 0.01,
                                                   "max_lr": 0.1}})"));
  CHECK(cyclic["params"] == json::parse(R"({"base_lr": 0.01, "max_lr": 0.1,
      "step_size_up": 2000, "step_size_down": null, "mode": "triangular",
      "gamma": 1.0})"));

  const json seq = normalize_schedule(json::parse(R"({"name": "sequential",
      "params": {"schedules": [{"name": "linear_warmup"}, null,
                               {"name": "step", "params": {"step_size": 7.0}}],
                 "milestones": [5, 9]}})"));
  const json& items = seq["params"]["schedules"];
  CHECK(items[0]["params"]["warmup_steps"] == 5);
  CHECK(items[0]["params"]["start_factor"].get<double>() == 1.0 / 3.0);
  CHECK(items[1] == json::parse(R"({"name": "constant", "params": {}})"));
  // 7.0 is an integer value and comes back as the integer 7.
  CHECK(items[2]["params"]["step_size"].is_number_integer());
  CHECK(items[2]["params"]["gamma"].get<double>() == 0.1);
  CHECK(normalize_schedule(seq) == seq);
}

TEST_CASE("constant, step, multistep, exponential and inverse_sqrt") {
  CHECK(make_schedule(nullptr)(0.3, 123) == 0.3);
  CHECK(at(R"({"name": "constant"})", 0.01, 0) == 0.01);

  // step_size 50, gamma 0.5, lr 0.05: floor(k/50) = 0, 1, 2, 3 at
  // k = 49, 50, 100, 199 -> 0.05, 0.025, 0.0125, 0.00625 (pub-27).
  const char* step = R"({"name": "step", "params": {"step_size": 50,
                                                    "gamma": 0.5}})";
  CHECK(at(step, 0.05, 0) == hand(0.05));
  CHECK(at(step, 0.05, 49) == hand(0.05));
  CHECK(at(step, 0.05, 50) == hand(0.025));
  CHECK(at(step, 0.05, 100) == hand(0.0125));
  CHECK(at(step, 0.05, 199) == hand(0.00625));

  // milestones [30, 80, 150], gamma 0.3, lr 0.05: 0, 1, 2, 3 milestones
  // passed -> 0.05, 0.015, 0.0045, 0.00135 (pub-28).
  const char* multi = R"({"name": "multistep",
      "params": {"milestones": [30, 80, 150], "gamma": 0.3}})";
  CHECK(at(multi, 0.05, 29) == hand(0.05));
  CHECK(at(multi, 0.05, 30) == hand(0.015));
  CHECK(at(multi, 0.05, 79) == hand(0.015));
  CHECK(at(multi, 0.05, 80) == hand(0.0045));
  CHECK(at(multi, 0.05, 150) == hand(0.00135));
  CHECK(at(multi, 0.05, 10000) == hand(0.00135));
  // Any order; a repeated milestone decays twice (PyTorch's Counter):
  // [30, 10, 30] -> one decay from k = 10, three from k = 30.
  const char* dup = R"({"name": "multistep",
      "params": {"milestones": [30, 10, 30], "gamma": 0.5}})";
  CHECK(at(dup, 1.0, 9) == 1.0);
  CHECK(at(dup, 1.0, 10) == 0.5);
  CHECK(at(dup, 1.0, 29) == 0.5);
  CHECK(at(dup, 1.0, 30) == 0.125);
  CHECK(at(R"({"name": "multistep", "params": {"milestones": []}})", 0.2,
           500) == 0.2);

  // gamma 0.99, lr 0.1: 0.1, 0.099, 0.09801.
  const char* expo = R"({"name": "exponential", "params": {"gamma": 0.99}})";
  CHECK(at(expo, 0.1, 0) == hand(0.1));
  CHECK(at(expo, 0.1, 1) == hand(0.099));
  CHECK(at(expo, 0.1, 2) == hand(0.09801));

  // lr 0.3 / sqrt(k + 1): k = 0, 3, 99 -> 0.3, 0.15, 0.03.
  const char* isqrt = R"({"name": "inverse_sqrt"})";
  CHECK(at(isqrt, 0.3, 0) == hand(0.3));
  CHECK(at(isqrt, 0.3, 3) == hand(0.15));
  CHECK(at(isqrt, 0.3, 99) == hand(0.03));
}

TEST_CASE("cosine anneals from lr to an absolute eta_min") {
  // lr 0.05, eta_min 0.001, t_max 200: k = 0 -> lr; k = 100 -> cos = 0 ->
  // (0.05 + 0.001)/2 = 0.0255; k = 200 -> cos = -1 -> eta_min exactly; the
  // closed form rises again after t_max (k = 300 -> 0.0255).
  const char* cos = R"({"name": "cosine", "params": {"t_max": 200,
                                                     "eta_min": 0.001}})";
  CHECK(at(cos, 0.05, 0) == hand(0.05));
  CHECK(at(cos, 0.05, 100) == hand(0.0255));
  CHECK(at(cos, 0.05, 200) == 0.001);
  CHECK(at(cos, 0.05, 300) == hand(0.0255));
  // eta_min is absolute: doubling lr does not double it.
  CHECK(at(cos, 0.1, 200) == 0.001);
}

TEST_CASE("cosine_warm_restarts restarts at t_0, t_0 + t_0*t_mult, ...") {
  // t_0 20, t_mult 2: cycles [0, 20), [20, 60), [60, 140), [140, 300) of
  // lengths 20, 40, 80, 160. Restarts give the full lr; each midpoint (k = 10,
  // 40, 100, 220) gives lr/2; the last step of the first cycle gives
  // lr (1 + cos(19 pi/20))/2 = lr sin^2(pi/40).
  const char* sgdr = R"({"name": "cosine_warm_restarts",
      "params": {"t_0": 20, "t_mult": 2}})";
  for (long k : {0L, 20L, 60L, 140L, 300L}) {
    CHECK_MESSAGE(at(sgdr, 0.02, k) == 0.02, "k = ", k);
  }
  for (long k : {10L, 40L, 100L, 220L}) {
    CHECK_MESSAGE(at(sgdr, 0.02, k) == hand(0.01), "k = ", k);
  }
  CHECK(at(sgdr, 0.02, 19) == hand(0.00012311659404862273));
  // t_mult 1: period t_0. k = 25 -> T_cur 5 of 20 -> lr (1 + cos(pi/4))/2;
  // k = 1e9 with t_0 3 -> T_cur 1 -> (1 + cos(pi/3))/2 = 0.75 (and fast).
  const char* fixed = R"({"name": "cosine_warm_restarts",
      "params": {"t_0": 20, "eta_min": 0.0}})";
  CHECK(at(fixed, 0.02, 25) == hand(0.017071067811865476));
  CHECK(at(R"({"name": "cosine_warm_restarts", "params": {"t_0": 3}})", 0.02,
           1000000000L) == hand(0.015));
  // eta_min is absolute: at T_cur = T_i/2 the value is (lr + eta_min)/2.
  CHECK(at(R"({"name": "cosine_warm_restarts",
               "params": {"t_0": 10, "eta_min": 0.01}})",
           0.03, 15) == hand(0.02));
}

TEST_CASE("cyclic follows Smith's triangle and ignores the optimizer lr") {
  // base 0.01, max 0.2, up = down = 20: total 40, r = 0.5. k = 0 -> x = 0 ->
  // base; k = 10 -> s = 0.5 -> 0.105; k = 20 -> s = 1 -> max; k = 30 ->
  // s = (0.75 - 1)/(0.5 - 1) = 0.5 -> 0.105; k = 40 -> next cycle, base.
  const char* tri = R"({"name": "cyclic", "params": {"base_lr": 0.01,
      "max_lr": 0.2, "step_size_up": 20}})";
  CHECK(at(tri, 1.0, 0) == hand(0.01));
  CHECK(at(tri, 1.0, 10) == hand(0.105));
  CHECK(at(tri, 1.0, 20) == hand(0.2));
  CHECK(at(tri, 1.0, 30) == hand(0.105));
  CHECK(at(tri, 1.0, 40) == hand(0.01));
  CHECK(at(tri, 1.0, 60) == hand(0.2));
  CHECK(at(tri, 123.0, 20) == at(tri, 1.0, 20));

  // triangular2, up 20, down 30: total 50, r = 0.4. Peaks at k = 20, 70, 120
  // with heights 0.19, 0.19/2, 0.19/4; k = 35 -> x = 0.7 -> s = 0.5.
  const char* tri2 = R"({"name": "cyclic", "params": {"base_lr": 0.01,
      "max_lr": 0.2, "step_size_up": 20, "step_size_down": 30,
      "mode": "triangular2"}})";
  CHECK(at(tri2, 1.0, 20) == hand(0.2));
  CHECK(at(tri2, 1.0, 35) == hand(0.105));
  CHECK(at(tri2, 1.0, 50) == hand(0.01));
  CHECK(at(tri2, 1.0, 70) == hand(0.105));
  CHECK(at(tri2, 1.0, 120) == hand(0.0575));

  // exp_range, base 0.01, max 0.4, up 15, gamma 0.99: the height is scaled by
  // gamma^k in iterations: peak at k = 15 -> 0.01 + 0.39 * 0.99^15, second
  // peak k = 45 -> 0.01 + 0.39 * 0.99^45.
  const char* expr = R"({"name": "cyclic", "params": {"base_lr": 0.01,
      "max_lr": 0.4, "step_size_up": 15, "mode": "exp_range",
      "gamma": 0.99}})";
  CHECK(at(expr, 1.0, 0) == hand(0.01));
  CHECK(at(expr, 1.0, 15) == hand(0.3454227583101025));
  CHECK(at(expr, 1.0, 30) == hand(0.01));
  CHECK(at(expr, 1.0, 45) == hand(0.25811233956490964));
}

TEST_CASE("one_cycle endpoints for cos, linear and three phases") {
  // max 0.1, N 100, pct 0.3, div 25, final 1e4: initial 0.004, min 4e-7,
  // phase ends 0.3*100 - 1 = 29 and 99. k = 64 is halfway down:
  // (0.1 + 4e-7)/2. Ignores the optimizer lr.
  const char* cos = R"({"name": "one_cycle", "params": {"max_lr": 0.1,
      "total_steps": 100}})";
  CHECK(at(cos, 1.0, 0) == hand(0.004));
  CHECK(at(cos, 1.0, 29) == hand(0.1));
  CHECK(at(cos, 1.0, 64) == hand(0.0500002));
  CHECK(at(cos, 1.0, 99) == hand(4e-7));
  CHECK(at(cos, 7.0, 29) == at(cos, 1.0, 29));
  // The warm-up is a cosine too: a quarter of the way up (k = 7.25 is not an
  // integer, so compare shape) it lies below the straight line.
  CHECK(at(cos, 1.0, 7) < 0.004 + (0.1 - 0.004) * 7.0 / 29.0);

  // linear, max 0.05, N 200, pct 0.25: ends 49 and 199; k = 124 is halfway
  // down: (0.05 + 2e-7)/2. The last value is 2e-7 up to the cancellation in
  // 0.05 + (2e-7 - 0.05) * 1 (relative 6e-12, hence 1e-10 here).
  const char* lin = R"({"name": "one_cycle", "params": {"max_lr": 0.05,
      "total_steps": 200, "pct_start": 0.25, "anneal_strategy": "linear"}})";
  CHECK(at(lin, 1.0, 0) == hand(0.002));
  CHECK(at(lin, 1.0, 49) == hand(0.05));
  CHECK(at(lin, 1.0, 124) == hand(0.0250001));
  CHECK(at(lin, 1.0, 199) == doctest::Approx(2e-7).epsilon(1e-10).scale(0));

  // three_phase linear, max 0.1, N 200, pct 0.4, div 10, final 100: initial
  // 0.01, min 1e-4, ends 79, 158, 199.
  const char* three = R"({"name": "one_cycle", "params": {"max_lr": 0.1,
      "total_steps": 200, "pct_start": 0.4, "anneal_strategy": "linear",
      "div_factor": 10, "final_div_factor": 100, "three_phase": true}})";
  CHECK(at(three, 1.0, 0) == hand(0.01));
  CHECK(at(three, 1.0, 79) == hand(0.1));
  CHECK(at(three, 1.0, 158) == hand(0.01));
  CHECK(at(three, 1.0, 199) == hand(1e-4));
}

TEST_CASE("linear and exponential warm-up") {
  // W 40, s 0: k = 0 -> 0 (the first update does not move, pub-38); k = 20 ->
  // lr/2; k >= 40 -> lr.
  const char* lin = R"({"name": "linear_warmup", "params": {"warmup_steps": 40,
      "start_factor": 0.0}})";
  CHECK(at(lin, 0.05, 0) == 0.0);
  CHECK(at(lin, 0.05, 20) == hand(0.025));
  CHECK(at(lin, 0.05, 40) == hand(0.05));
  CHECK(at(lin, 0.05, 1000) == hand(0.05));
  // Defaults W 5, s 1/3: lr/3 at k = 0, lr from k = 5.
  CHECK(at(R"({"name": "linear_warmup"})", 0.3, 0) == hand(0.1));
  CHECK(at(R"({"name": "linear_warmup"})", 0.3, 5) == hand(0.3));

  // tau 30, lr 0.02: lr (1 - e^{-1/30}) at k = 0, lr (1 - 1/e) at k = 29,
  // lr (1 - e^{-2}) at k = 59.
  const char* ex = R"({"name": "exponential_warmup", "params": {"tau": 30}})";
  CHECK(at(ex, 0.02, 0) == hand(0.000655677990359882));
  CHECK(at(ex, 0.02, 29) == hand(0.012642411176571153));
  CHECK(at(ex, 0.02, 59) == hand(0.017293294335267745));
}

TEST_CASE("sequential switches at the milestone with the same base lr") {
  // lr 0.2: linear warm-up W 20, s 0.05 for k < 20, then cosine t_max 180 at
  // k - 20. k = 19 -> 0.2 (0.05 + 0.95 * 19/20) = 0.1905; k = 20 -> cosine at
  // 0 -> the full 0.2 (not the warm-up's output); k = 110 -> cosine at 90 ->
  // 0.1; k = 200 -> cosine at 180 -> 0.
  const char* seq = R"({"name": "sequential", "params": {"schedules": [
      {"name": "linear_warmup", "params": {"warmup_steps": 20,
                                           "start_factor": 0.05}},
      {"name": "cosine", "params": {"t_max": 180}}], "milestones": [20]}})";
  CHECK(at(seq, 0.2, 0) == hand(0.01));
  CHECK(at(seq, 0.2, 19) == hand(0.1905));
  CHECK(at(seq, 0.2, 20) == hand(0.2));
  CHECK(at(seq, 0.2, 110) == hand(0.1));
  CHECK(at(seq, 0.2, 200) == 0.0);

  // Three segments: each restarts its own count at its milestone.
  const char* three = R"({"name": "sequential", "params": {"schedules": [
      {"name": "constant"}, {"name": "exponential", "params": {"gamma": 0.5}},
      {"name": "step", "params": {"step_size": 2, "gamma": 0.1}}],
      "milestones": [3, 6]}})";
  CHECK(at(three, 1.0, 2) == 1.0);
  CHECK(at(three, 1.0, 3) == 1.0);
  CHECK(at(three, 1.0, 5) == 0.25);
  CHECK(at(three, 1.0, 6) == 1.0);
  CHECK(at(three, 1.0, 8) == hand(0.1));
}

TEST_CASE("chain multiplies multiplicative schedules") {
  // step (10, 0.5) then exponential 0.9, lr 1: at k = 25 this is
  // 0.5^2 * 0.9^25 = 0.25 * 0.0717897987691853.
  const json spec = json::parse(R"({"name": "chain", "params": {"schedules": [
      {"name": "step", "params": {"step_size": 10, "gamma": 0.5}},
      {"name": "exponential", "params": {"gamma": 0.9}}]}})");
  const optim::ScheduleFn chain = make_schedule(spec);
  CHECK(chain(1.0, 25) == hand(0.017947449692296325));
  const optim::ScheduleFn step = make_schedule(spec["params"]["schedules"][0]);
  const optim::ScheduleFn expo = make_schedule(spec["params"]["schedules"][1]);
  for (long k = 0; k < 60; ++k) {
    // With lr = 1 the product is formed in the same order: bitwise equal.
    CHECK(chain(1.0, k) == step(1.0, k) * expo(1.0, k));
    CHECK(chain(0.02, k) == hand(0.02 * step(1.0, k) * expo(1.0, k)));
  }
  // An absolute schedule first: its output becomes the base of the next;
  // at k = 20 the triangle peaks at 0.2 and step halves twice: 0.05.
  const char* abs = R"({"name": "chain", "params": {"schedules": [
      {"name": "cyclic", "params": {"base_lr": 0.01, "max_lr": 0.2,
                                    "step_size_up": 20}},
      {"name": "step", "params": {"step_size": 10, "gamma": 0.5}}]}})";
  CHECK(at(abs, 99.0, 20) == hand(0.05));
}

TEST_CASE("Schedule binds the base lr") {
  const optim::Schedule s(
      make_schedule(json::parse(R"({"name": "inverse_sqrt"})")), 0.3);
  CHECK(s.base_lr() == 0.3);
  CHECK(s(3) == hand(0.15));
}

TEST_CASE("golden lr values of public.json") {
  struct Golden {
    const char* id;
    double lr;
    const char* spec;
    std::vector<std::pair<long, double>> values;
  };
  const std::vector<Golden> cases = {
      {"pub-31",
       0.02,
       R"({"name": "cosine_warm_restarts", "params": {"t_0": 20, "t_mult": 2,
           "eta_min": 0.0}})",
       {{0, 0.02},
        {19, 0.0001231165940486234},
        {20, 0.02},
        {59, 3.082666266872036e-05},
        {60, 0.02},
        {139, 7.709637592770991e-06},
        {140, 0.02},
        {199, 0.01400748833103141}}},
      {"pub-33",
       1.0,
       R"({"name": "cyclic", "params": {"base_lr": 0.01, "max_lr": 0.2,
           "step_size_up": 20, "step_size_down": 30, "mode": "triangular2",
           "gamma": 1.0}})",
       {{0, 0.01},
        {10, 0.10499999999999997},
        {20, 0.19999999999999996},
        {50, 0.01},
        {70, 0.10499999999999997},
        {120, 0.05749999999999999},
        {199, 0.01079166666666665}}},
      {"pub-34",
       1.0,
       R"({"name": "cyclic", "params": {"base_lr": 0.01, "max_lr": 0.4,
           "step_size_up": 15, "step_size_down": null, "mode": "exp_range",
           "gamma": 0.99}})",
       {{15, 0.3454227583101025},
        {45, 0.25811233956490964},
        {199, 0.04870523940341112}}},
      {"pub-35",
       1.0,
       R"({"name": "one_cycle", "params": {"max_lr": 0.0005,
           "total_steps": 200, "pct_start": 0.3, "anneal_strategy": "cos",
           "div_factor": 25.0, "final_div_factor": 10000.0,
           "three_phase": false}})",
       {{0, 1.9999999999999998e-05},
        {30, 0.0002663889251450659},
        {59, 0.0005},
        {60, 0.0004999370589873917},
        {199, 2e-09}}},
      {"pub-36",
       1.0,
       R"({"name": "one_cycle", "params": {"max_lr": 0.05, "total_steps": 200,
           "pct_start": 0.25, "anneal_strategy": "linear",
           "div_factor": 25.0, "final_div_factor": 10000.0,
           "three_phase": false}})",
       {{0, 0.002},
        {49, 0.05},
        {50, 0.049666668000000004},
        {199, 1.9999999999881224e-07}}},
      {"pub-37",
       1.0,
       R"({"name": "one_cycle", "params": {"max_lr": 0.1, "total_steps": 200,
           "pct_start": 0.4, "anneal_strategy": "linear", "div_factor": 10.0,
           "final_div_factor": 100.0, "three_phase": true}})",
       {{0, 0.01},
        {40, 0.055569620253164566},
        {79, 0.1},
        {80, 0.09886075949367089},
        {158, 0.009999999999999995},
        {159, 0.009758536585365855},
        {199, 9.99999999999994e-05}}},
      {"pub-40",
       0.2,
       R"({"name": "sequential", "params": {"schedules": [
           {"name": "linear_warmup", "params": {"warmup_steps": 20,
                                                "start_factor": 0.05}},
           {"name": "cosine", "params": {"t_max": 180, "eta_min": 0.0}}],
           "milestones": [20]}})",
       {{0, 0.010000000000000002},
        {19, 0.19050000000000003},
        {20, 0.2},
        {110, 0.1},
        {199, 1.5230484360873043e-05}}},
      {"pub-41",
       0.02,
       R"({"name": "chain", "params": {"schedules": [
           {"name": "linear_warmup", "params": {"warmup_steps": 10,
                                                "start_factor": 0.1}},
           {"name": "exponential", "params": {"gamma": 0.995}}]}})",
       {{0, 0.002},
        {5, 0.010727736284340626},
        {10, 0.019022202609315437},
        {100, 0.012115408729814559},
        {199, 0.007376036617611398}}},
  };
  for (const Golden& c : cases) {
    const optim::ScheduleFn fn = make_schedule(json::parse(c.spec));
    // No structured binding: clang 14 cannot capture one in doctest's
    // message lambda.
    for (const std::pair<long, double>& value : c.values) {
      const long k = value.first;
      CHECK_MESSAGE(fn(c.lr, k) == golden(value.second), std::string(c.id),
                    " k = ", k);
    }
  }
}

TEST_CASE("invalid schedule specs name the field and the problem") {
  struct Bad {
    const char* spec;
    const char* field;
    const char* fragment;
  };
  const std::vector<Bad> cases = {
      {R"("cosine")", "", "a schedule must be an object"},
      {R"({"name": "warp"})", "name",
       "unknown schedule 'warp' (known: constant, step,"},
      {R"({"params": {}})", "name", "a schedule needs a \"name\""},
      {R"({"name": 5})", "name", "schedule name = 5 is not a string"},
      {R"({"name": "step", "param": {}})", "param",
       "unknown key 'param' in schedule"},
      {R"({"name": "step", "params": [1]})", "params",
       "step: parameters must be an object"},
      {R"({"name": "step"})", "params.step_size",
       "step: step_size is required"},
      {R"({"name": "step", "params": {"step_size": 10, "gama": 0.5}})",
       "params.gama", "step: unknown parameter 'gama'"},
      {R"({"name": "step", "params": {"step_size": 0}})", "params.step_size",
       "step: step_size = 0 is outside the valid range [1, 1e+09]"},
      {R"({"name": "step", "params": {"step_size": 1e10}})", "params.step_size",
       "is outside the valid range [1, 1e+09]"},
      {R"({"name": "step", "params": {"step_size": 2.5}})", "params.step_size",
       "step: step_size = 2.5 is not an integer"},
      {R"({"name": "step", "params": {"step_size": 5, "gamma": 0}})",
       "params.gamma", "step: gamma = 0 is outside the valid range (0, inf)"},
      {R"({"name": "exponential", "params": {"gamma": -0.5}})", "params.gamma",
       "exponential: gamma = -0.5 is outside the valid range (0, inf)"},
      {R"({"name": "cosine", "params": {"t_max": "100"}})", "params.t_max",
       "cosine: t_max = \"100\" is not a number"},
      {R"({"name": "cosine", "params": {"t_max": null}})", "params.t_max",
       "cosine: t_max must not be null"},
      {R"({"name": "cosine", "params": {"t_max": 10, "eta_min": -1}})",
       "params.eta_min", "outside the valid range [0, inf)"},
      {R"({"name": "cosine_warm_restarts", "params": {"t_0": 5,
           "t_mult": 0}})",
       "params.t_mult", "cosine_warm_restarts: t_mult = 0 is outside"},
      {R"({"name": "cyclic", "params": {"max_lr": 0.1}})", "params.base_lr",
       "cyclic: base_lr is required"},
      {R"({"name": "cyclic", "params": {"base_lr": 0.01, "max_lr": 0}})",
       "params.max_lr",
       "cyclic: max_lr = 0 is outside the valid range (0, "
       "inf)"},
      {R"({"name": "cyclic", "params": {"base_lr": 0.01, "max_lr": 0.1,
           "mode": "triangle"}})",
       "params.mode", "cyclic: mode = \"triangle\" is not one of"},
      {R"({"name": "cyclic", "params": {"base_lr": 0.01, "max_lr": 0.1,
           "gamma": 1.5}})",
       "params.gamma", "cyclic: gamma = 1.5 is outside the valid range (0, 1]"},
      {R"({"name": "one_cycle", "params": {"max_lr": 0.1}})",
       "params.total_steps", "one_cycle: total_steps is required"},
      {R"({"name": "one_cycle", "params": {"max_lr": 0.1, "total_steps": 10,
           "pct_start": 1}})",
       "params.pct_start", "outside the valid range (0, 1)"},
      {R"({"name": "one_cycle", "params": {"max_lr": 0.1, "total_steps": 10,
           "three_phase": "yes"}})",
       "params.three_phase", "three_phase = \"yes\" is not a boolean"},
      // 0.3 * 3 - 1 < 0: the warm-up would run backwards.
      {R"({"name": "one_cycle", "params": {"max_lr": 0.1, "total_steps": 3}})",
       "params.pct_start",
       "one_cycle: pct_start = 0.3 with total_steps = 3 gives a warm-up phase "
       "of length"},
      // 0.1 * 10 - 1 = 0: PyTorch would divide by zero.
      {R"({"name": "one_cycle", "params": {"max_lr": 0.1, "total_steps": 10,
           "pct_start": 0.1}})",
       "params.pct_start",
       "phase of length 0 updates; it must be positive "
       "(pct_start * total_steps > 1)"},
      // Ends 4.5, 9, 9: the final phase is empty.
      {R"({"name": "one_cycle", "params": {"max_lr": 0.1, "total_steps": 10,
           "pct_start": 0.55, "three_phase": true}})",
       "params.pct_start",
       "final phase of length 0 updates; it must be positive (2 * pct_start * "
       "total_steps < total_steps + 1)"},
      {R"({"name": "linear_warmup", "params": {"start_factor": 1.5}})",
       "params.start_factor", "outside the valid range [0, 1]"},
      {R"({"name": "linear_warmup", "params": {"warmup_steps": 0}})",
       "params.warmup_steps", "outside the valid range [1, 1e+09]"},
      {R"({"name": "exponential_warmup", "params": {"tau": 0}})", "params.tau",
       "outside the valid range (0, inf)"},
      {R"({"name": "multistep", "params": {"milestones": "30"}})",
       "params.milestones", "multistep: milestones = \"30\" is not a list"},
      {R"({"name": "multistep", "params": {"milestones": [10, -1]}})",
       "params.milestones[1]",
       "multistep: milestones[1] = -1 is outside the valid range [0, 1e+09]"},
      {R"({"name": "chain", "params": {"schedules": []}})", "params.schedules",
       "is not a non-empty list of schedules"},
      {R"({"name": "chain", "params": {"schedules": [{"name": "cosine"}]}})",
       "params.schedules[0].params.t_max", "cosine: t_max is required"},
      {R"({"name": "sequential", "params": {"schedules": [{"name":
           "constant"}]}})",
       "params.milestones", "sequential: milestones is required"},
      {R"({"name": "sequential", "params": {"schedules": [{"name":
           "constant"}, {"name": "constant"}], "milestones": []}})",
       "params.milestones",
       "sequential: milestones = [] has 0 entries but 2 schedules need "
       "exactly 1"},
      {R"({"name": "sequential", "params": {"schedules": [{"name":
           "constant"}, {"name": "constant"}], "milestones": [20, 30]}})",
       "params.milestones",
       "sequential: milestones = [20, 30] has 2 entries but 2 schedules need "
       "exactly 1 (one fewer than schedules)"},
      // Ends 29, 58, 39: the final phase (58 -> 39) would run backwards.
      {R"({"name": "one_cycle", "params": {"max_lr": 0.1, "total_steps": 40,
           "pct_start": 0.75, "three_phase": true}})",
       "params.pct_start",
       "one_cycle: pct_start = 0.75 with total_steps = 40 and three_phase "
       "gives the final phase of length -19 updates"},
      {R"({"name": "sequential", "params": {"schedules": [{"name":
           "constant"}, {"name": "constant"}], "milestones": [0]}})",
       "params.milestones[0]", "outside the valid range [1, 1e+09]"},
      {R"({"name": "sequential", "params": {"schedules": [{"name": "constant"},
           {"name": "constant"}, {"name": "constant"}],
           "milestones": [20, 20]}})",
       "params.milestones[1]",
       "sequential: milestones must be strictly increasing, but milestones[1] "
       "= 20 follows milestones[0] = 20"},
      {R"({"name": "sequential", "params": {"schedules": [{"name": "constant"},
           {"name": "cosine", "params": {"t_max": -1}}], "milestones": [5]}})",
       "params.schedules[1].params.t_max",
       "cosine: t_max = -1 is outside the valid range [1, 1e+09]"},
      {R"({"name": "sequential", "params": {"schedules": [{"name": "one_cycle",
           "params": {"max_lr": 0.1, "total_steps": 10}},
           {"name": "constant"}], "milestones": [20]}})",
       "params.schedules[0]",
       "sequential: schedules[0] (one_cycle) is defined for 10 updates but "
       "its segment runs 20 updates (from 0 to milestones[0] = 20)"},
      {R"({"name": "chain", "params": {"schedules": [{"name": "sequential",
           "params": {"schedules": [{"name": "foo"}], "milestones": []}}]}})",
       "params.schedules[0].params.schedules[0].name",
       "unknown schedule 'foo'"},
  };
  for (const Bad& c : cases) {
    INFO("spec: ", std::string(c.spec));
    try {
      normalize_schedule(json::parse(c.spec));
      FAIL("no error");
    } catch (const ConfigError& e) {
      CHECK(e.field() == c.field);
      CHECK_MESSAGE(
          std::string(e.reason()).find(c.fragment) != std::string::npos,
          std::string(e.what()));
    }
    // make_schedule validates the same way.
    CHECK_THROWS_AS(make_schedule(json::parse(c.spec)), ConfigError);
  }
}

TEST_CASE("nesting is limited to 8 levels") {
  auto nest = [](int levels) {
    json spec = {{"name", "constant"}};
    for (int i = 0; i < levels; ++i) {
      spec = {{"name", "chain"}, {"params", {{"schedules", {spec}}}}};
    }
    return spec;
  };
  CHECK(make_schedule(nest(8))(0.5, 3) == 0.5);
  try {
    normalize_schedule(nest(9));
    FAIL("no error");
  } catch (const ConfigError& e) {
    std::string path;
    for (int i = 0; i < 8; ++i) path += "params.schedules[0].";
    CHECK(e.field() == path + "params.schedules");
    CHECK(e.reason() == "chain: schedules are nested more than 8 levels deep");
  }
}

TEST_CASE("schedule_step_limit") {
  auto limit = [](const char* spec) {
    return schedule_step_limit(normalize_schedule(json::parse(spec)));
  };
  CHECK_FALSE(schedule_step_limit(normalize_schedule(nullptr)));
  CHECK_FALSE(limit(R"({"name": "cosine", "params": {"t_max": 10}})"));
  CHECK_FALSE(limit(R"({"name": "cyclic", "params": {"base_lr": 0.1,
                                                     "max_lr": 1}})"));
  CHECK(limit(R"({"name": "one_cycle", "params": {"max_lr": 0.1,
                                                  "total_steps": 100}})") ==
        100L);
  // The last segment's limit counts from the last milestone: 20 + 100.
  CHECK(limit(R"({"name": "sequential", "params": {"schedules": [
      {"name": "linear_warmup"},
      {"name": "one_cycle", "params": {"max_lr": 0.1, "total_steps": 100}}],
      "milestones": [20]}})") == 120L);
  CHECK(limit(R"({"name": "sequential", "params": {"schedules": [
      {"name": "one_cycle", "params": {"max_lr": 0.1, "total_steps": 40}}],
      "milestones": []}})") == 40L);
  // A bounded segment followed by an unbounded one: no limit.
  CHECK_FALSE(limit(R"({"name": "sequential", "params": {"schedules": [
      {"name": "one_cycle", "params": {"max_lr": 0.1, "total_steps": 30}},
      {"name": "constant"}], "milestones": [30]}})"));
  CHECK(limit(R"({"name": "chain", "params": {"schedules": [
      {"name": "one_cycle", "params": {"max_lr": 0.1, "total_steps": 100}},
      {"name": "exponential", "params": {"gamma": 0.9}},
      {"name": "one_cycle", "params": {"max_lr": 0.1, "total_steps": 80}}]}})") ==
        80L);
  CHECK_FALSE(limit(R"({"name": "chain", "params": {"schedules": [
      {"name": "constant"}, {"name": "inverse_sqrt"}]}})"));
}
