// SPDX-License-Identifier: MIT
// The gradient-stream lab: the two worked illustrations of optimizers.md
// section 4 reproduced through run_stream, the sequence grammar and its
// errors, the stream config's errors, and the metadata the page reads.
//
// Expected numbers come from the spec or from the formulas written out here
// (closed forms, or the recursions evaluated with 60-digit decimals by a
// separate script); none is read off this code's output.
#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include "optim/optimizers.hpp"
#include "run/stream.hpp"

using optim::ConfigError;
using optim::json;
using optim::SequenceError;

namespace {

json adam(double beta1, bool bias_correction = true) {
  return {{"name", "adam"},
          {"hyperparameters",
           {{"lr", 1.0},
            {"beta1", beta1},
            {"beta2", 0.999},
            {"eps", 0.0},
            {"bias_correction", bias_correction}}}};
}

json sequence(const std::string& text, long repeat = 1) {
  return {{"name", "sequence"},
          {"params", {{"text", text}, {"repeat", repeat}}}};
}

optim::StreamResult stream(const json& config) {
  return optim::run_stream(optim::parse_stream_config(config));
}

double sum(const std::vector<double>& v, std::size_t from, std::size_t to) {
  double s = 0.0;
  for (std::size_t i = from; i < to; ++i) s += v[i];
  return s;
}

const optim::Series* series(const optim::StreamResult& r,
                            const std::string& name) {
  for (const auto& s : r.state) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

// `value` printed with `digits` decimals reads `printed`.
bool prints_as(double value, double printed, int digits) {
  const double scale = std::pow(10.0, digits);
  return std::abs(value * scale - printed * scale) <= 0.5;
}

// The ConfigError of an invalid stream config.
ConfigError config_error(const json& config) {
  try {
    optim::parse_stream_config(config);
  } catch (const ConfigError& e) {
    return e;
  }
  FAIL("accepted: " << config.dump());
  return ConfigError("", "");
}

}  // namespace

TEST_CASE("4.1: after 100000 ones Adam's step for a 1e5 gradient is 31.6 lr") {
  // Adam in PyTorch's form, eps 0, beta2 0.999, lr 1: movements are in units
  // of the learning rate.
  for (const double beta1 : {0.0, 0.9}) {
    CAPTURE(beta1);
    const auto r = stream({{"optimizer", adam(beta1)},
                           {"source", sequence("1 x 100000, 100000")}});
    REQUIRE(r.steps == 100001);
    // v_t = 1 - 0.999^t = the bias correction: v_hat = 1 and m_hat = 1, so
    // every step is exactly lr in exact arithmetic.
    for (const long t : {0L, 1L, 999L, 99999L}) {
      CHECK(r.movement[t] == doctest::Approx(1.0).epsilon(1e-12));
    }
    CHECK(sum(r.movement, 0, 100000) ==
          doctest::Approx(100000.0).epsilon(1e-11));
    // optimizers.md 4.1: the gradient is 1e5 times larger, the step only
    // 31.6 (beta1 0) or 3.16 (beta1 0.9) times.
    const double spike = beta1 == 0.0 ? 31.6227750221 : 3.16256210719;
    CHECK(r.movement[100000] == doctest::Approx(spike).epsilon(1e-9));
    CHECK(r.x[100000] == doctest::Approx(-100000.0 - spike).epsilon(1e-12));
    // The same from the closed form: v = 0.999 (1 - 0.999^1e5) + 0.001 1e10.
    const double v = 0.999 * (1.0 - std::pow(0.999, 1e5)) + 0.001 * 1e10;
    const double v_hat = v / (1.0 - std::pow(0.999, 100001.0));
    if (beta1 == 0.0) {
      CHECK(r.movement[100000] ==
            doctest::Approx(1e5 / std::sqrt(v_hat)).epsilon(1e-12));
    }
    REQUIRE(series(r, "v") != nullptr);
    CHECK(series(r, "v")->values[100000] == doctest::Approx(v).epsilon(1e-14));
    CHECK(r.gradient[100000] == 1e5);
  }
}

TEST_CASE("4.1: the step after the spike, and 14684 lr less movement") {
  for (const double beta1 : {0.0, 0.9}) {
    CAPTURE(beta1);
    const auto r =
        stream({{"optimizer", adam(beta1)},
                {"source", sequence("1 x 100000, 100000, 1 x 20000")}});
    const auto plain = stream(
        {{"optimizer", adam(beta1)}, {"source", sequence("1 x 120001")}});
    REQUIRE(r.steps == 120001);
    REQUIRE(plain.steps == 120001);
    // optimizers.md 4.1, to the digits given.
    const double next = beta1 == 0.0 ? 3.16386e-4 : 2.84776;
    CHECK(prints_as(r.movement[100001] / next, 1.0, 5));
    // The spike's update and the 20 000 after it move 14 684 lr less than
    // with the spike replaced by 1: -14683.83 (beta1 0), -14683.68 (beta1
    // 0.9) to the digits given (60-digit evaluation: -14683.8278199 and
    // -14683.6847678; without the spike's own update the sums are
    // -14714.45 and -14685.85).
    const double lost =
        sum(r.movement, 100000, 120001) - sum(plain.movement, 100000, 120001);
    CHECK(prints_as(lost, beta1 == 0.0 ? -14683.83 : -14683.68, 2));
  }
}

TEST_CASE("4.1 in small: 999 ones, then 100000") {
  // The stream "1 x 999, 100000 x 1" with Adam (beta1 0, eps 0, lr
  // 1). With bias correction the 999 small steps are lr each (999 lr in
  // all). The spike's step is 1e5 / sqrt(v_hat) with v = 0.999 (1 -
  // 0.999^999) + 1e7 and v_hat = v / (1 - 0.999^1000): 25.1456663326 lr.
  // (31.62 lr needs the long history of 4.1, where the correction is 1.)
  const auto r = stream(
      {{"optimizer", adam(0.0)}, {"source", sequence("1 x 999, 100000 x 1")}});
  REQUIRE(r.steps == 1000);
  CHECK(sum(r.movement, 0, 999) == doctest::Approx(999.0).epsilon(1e-12));
  const double v = 0.999 * (1.0 - std::pow(0.999, 999.0)) + 1e7;
  const double v_hat = v / (1.0 - std::pow(0.999, 1000.0));
  CHECK(r.movement[999] ==
        doctest::Approx(1e5 / std::sqrt(v_hat)).epsilon(1e-12));
  CHECK(r.movement[999] == doctest::Approx(25.1456663326181).epsilon(1e-12));

  // Without bias correction (Reddi et al.'s generic Adam = RMSProp here) the
  // first steps are large: 1/sqrt(1 - 0.999^t), 31.6 lr for t = 1; the 999
  // add up to 2122.82134477783 lr. The spike's step is 1e5 / sqrt(0.999 (1 -
  // 0.999^999) + 1e7) = 31.6227756035 lr.
  const auto raw = stream({{"optimizer", adam(0.0, false)},
                           {"source", sequence("1 x 999, 100000 x 1")}});
  REQUIRE(raw.steps == 1000);
  CHECK(raw.movement[0] ==
        doctest::Approx(1.0 / std::sqrt(0.001)).epsilon(1e-14));
  CHECK(sum(raw.movement, 0, 999) ==
        doctest::Approx(2122.82134477783).epsilon(1e-12));
  CHECK(raw.movement[999] ==
        doctest::Approx(1e5 / std::sqrt(v)).epsilon(1e-12));
  CHECK(prints_as(raw.movement[999], 31.62, 2));
}

TEST_CASE("4.2: Reddi's counterexample, Adam at +1 and AMSGrad near -1") {
  // C = 3, alpha = 0.5, T = 3000; beta1 0, beta2 = 1/(1 + C^2), eps 0,
  // alpha/sqrt(t), no bias correction (the paper's forms).
  const double beta2 = 1.0 / (1.0 + 3.0 * 3.0);
  json hyper = {{"lr", 0.5}, {"beta1", 0.0}, {"beta2", beta2}, {"eps", 0.0}};
  json adam_hyper = hyper;
  adam_hyper["bias_correction"] = false;
  json ams_hyper = hyper;
  ams_hyper["variant"] = "paper";
  const json reddi = {{"name", "reddi"},
                      {"params", {{"C", 3.0}, {"steps", 3000}}}};
  const json inverse_sqrt = {{"name", "inverse_sqrt"}};
  struct Row {
    double x0;
    double adam_regret, ams_regret;  // optimizers.md 4.2, printed digits
    double adam_total, ams_total;    // sum of regrets, 60-digit evaluation
  };
  const Row rows[] = {{1.0, 0.6748, 0.0274, 2024.459172, 82.06480828},
                      {0.0, 0.6723, 0.0124, 2017.045062, 37.34004608},
                      {-1.0, 0.6685, 0.0104, 2005.586716, 31.22207097}};
  for (const Row& row : rows) {
    CAPTURE(row.x0);
    const auto a = stream(
        {{"optimizer", {{"name", "adam"}, {"hyperparameters", adam_hyper}}},
         {"schedule", inverse_sqrt},
         {"source", reddi},
         {"start", row.x0}});
    const auto b = stream(
        {{"optimizer", {{"name", "amsgrad"}, {"hyperparameters", ams_hyper}}},
         {"schedule", inverse_sqrt},
         {"source", reddi},
         {"start", row.x0}});
    REQUIRE(a.steps == 3000);
    REQUIRE(b.steps == 3000);
    CHECK(prints_as(a.x.back(), 1.0, 6));
    CHECK(prints_as(a.average_regret.back(), row.adam_regret, 4));
    CHECK(prints_as(b.x.back(), -0.993627, 6));
    CHECK(prints_as(b.average_regret.back(), row.ams_regret, 4));
    CHECK(a.regret.back() == doctest::Approx(row.adam_total).epsilon(1e-9));
    CHECK(b.regret.back() == doctest::Approx(row.ams_total).epsilon(1e-9));
    CHECK(a.average_regret.back() == a.regret.back() / 3000);
    // AMSGrad's final point from the 60-digit evaluation.
    CHECK(b.x.back() == doctest::Approx(-0.9936265017).epsilon(1e-9));
    for (const auto* r : {&a, &b}) {
      for (const double x : r->x) {
        CHECK((x >= -1.0 && x <= 1.0));
      }
    }
  }
}

TEST_CASE("reddi: gradients, regret and the state series by hand") {
  // AMSGrad (paper) from x0 = 0 with C = 3: g = 3, -1, -1, 3, ...
  // v_1 = 0.9 * 9 = 8.1, step 1 = 0.5 * 3 / sqrt(8.1); x_1 = -0.527...
  // regret_1 = f_1(x_0) - f_1(-1) = 3 * 0 + 3 = 3.
  const json hyper = {{"lr", 0.5},
                      {"beta1", 0.0},
                      {"beta2", 0.1},
                      {"eps", 0.0},
                      {"variant", "paper"}};
  const json reddi = {{"name", "reddi"}, {"params", {{"steps", 4}}}};
  const auto r =
      stream({{"optimizer", {{"name", "amsgrad"}, {"hyperparameters", hyper}}},
              {"schedule", {{"name", "inverse_sqrt"}}},
              {"source", reddi}});
  REQUIRE(r.steps == 4);
  CHECK(r.gradient == std::vector<double>{3.0, -1.0, -1.0, 3.0});
  const double x1 = -0.5 * 3.0 / std::sqrt(8.1);
  CHECK(r.x[0] == doctest::Approx(x1).epsilon(1e-15));
  CHECK(r.movement[0] == doctest::Approx(-x1).epsilon(1e-15));
  CHECK(r.regret[0] == 3.0);
  CHECK(r.average_regret[0] == 3.0);
  // Update 2: g = -1, v_2 = 0.81 + 0.9 = 1.71, v_max = 8.1, gamma_2 =
  // 0.5/sqrt(2): x_2 = x_1 + 0.5/sqrt(2) / sqrt(8.1); regret adds -x_1 - 1.
  const double x2 = x1 + 0.5 / std::sqrt(2.0) / std::sqrt(8.1);
  CHECK(r.x[1] == doctest::Approx(x2).epsilon(1e-15));
  CHECK(r.regret[1] == doctest::Approx(3.0 - x1 - 1.0).epsilon(1e-15));
  CHECK(r.average_regret[1] == doctest::Approx((2.0 - x1) / 2).epsilon(1e-15));
  CHECK(r.lr[1] == doctest::Approx(0.5 / std::sqrt(2.0)).epsilon(1e-15));
  REQUIRE(series(r, "v") != nullptr);
  REQUIRE(series(r, "v_max") != nullptr);
  CHECK(series(r, "v")->values[0] == doctest::Approx(8.1).epsilon(1e-15));
  CHECK(series(r, "v")->values[1] == doctest::Approx(1.71).epsilon(1e-15));
  CHECK(series(r, "v_max")->values[1] == doctest::Approx(8.1).epsilon(1e-15));
  CHECK(series(r, "v")->width == 1);
}

TEST_CASE("reddi: x is projected onto [-1, 1]") {
  // SGD with lr 1 from 0: g_1 = 3 takes x to -3, projected to -1; then g =
  // -1 takes it to 0 and 1, then 3 to -2 -> -1.
  const auto r = stream(
      {{"optimizer", {{"name", "sgd"}, {"hyperparameters", {{"lr", 1.0}}}}},
       {"source", {{"name", "reddi"}, {"params", {{"steps", 4}}}}}});
  CHECK(r.x == std::vector<double>{-1.0, 0.0, 1.0, -1.0});
  CHECK(r.movement == std::vector<double>{1.0, 1.0, 1.0, 2.0});
  // regret increments g_t (x_{t-1} + 1): 3, 0, -1, 6.
  CHECK(r.regret == std::vector<double>{3.0, 3.0, 2.0, 8.0});
}

TEST_CASE("sequence: repeat, the gradients in order and |dx|") {
  const auto r = stream(
      {{"optimizer", {{"name", "sgd"}, {"hyperparameters", {{"lr", 0.5}}}}},
       {"source", sequence("2 x 2, -1", 2)},
       {"start", 10.0}});
  REQUIRE(r.steps == 6);
  CHECK(r.gradient == std::vector<double>{2, 2, -1, 2, 2, -1});
  CHECK(r.x == std::vector<double>{9, 8, 8.5, 7.5, 6.5, 7});
  CHECK(r.movement == std::vector<double>{1, 1, 0.5, 1, 1, 0.5});
  CHECK(r.lr == std::vector<double>(6, 0.5));
  CHECK(r.regret.empty());
  CHECK(r.average_regret.empty());
  CHECK(r.start == 10.0);
}

TEST_CASE("every method and a schedule run on the default stream") {
  for (const auto& method : optim::methods()) {
    CAPTURE(method.name);
    json optimizer = {{"name", method.name}};
    if (method.name == "lookahead") {
      optimizer["hyperparameters"] = {{"inner", {{"name", "adam"}}}};
    }
    const auto config = optim::parse_stream_config(
        {{"optimizer", optimizer},
         {"schedule", {{"name", "cosine"}, {"params", {{"t_max", 2000}}}}},
         {"source", {{"name", "sequence"}}}});
    CHECK(config.steps == 2000);  // "1 x 999, 100000 x 1, 1 x 1000"
    const auto r = optim::run_stream(config);
    CHECK(r.steps == 2000);
    CHECK_FALSE(r.diverged);
    CHECK(r.x.size() == 2000);
    CHECK(series(r, "effective_lr") != nullptr);
    for (const auto& s : r.state) CHECK(s.values.size() == 2000u * s.width);
  }
}

TEST_CASE("a non-finite iterate ends the stream as a result") {
  // Adam with eps 0 on a zero gradient: 0/0 at update 1.
  const auto r =
      stream({{"optimizer", adam(0.0)}, {"source", sequence("0, 1")}});
  CHECK(r.diverged);
  CHECK(r.diverged_at == 1);
  CHECK(r.steps == 0);
  CHECK(r.x.empty());
  CHECK(r.divergence_reason == "the iterate is not finite");
}

TEST_CASE("record path leaves out the state series") {
  const auto r = stream({{"optimizer", adam(0.0)},
                         {"source", sequence("1 x 5")},
                         {"record", "path"}});
  CHECK(r.steps == 5);
  CHECK(r.state.empty());
}

TEST_CASE("sequence grammar: what it reads") {
  struct Good {
    std::string text;
    std::vector<optim::SequenceRun> runs;
  };
  const std::vector<Good> table = {
      {"1 x 999, 100000 x 1", {{1.0, 999}, {1e5, 1}}},
      {"1x999,100000", {{1.0, 999}, {1e5, 1}}},
      {"  -2.5e-3 X 4 ,\n.5*2, 7 \xC3\x97 3  ",
       {{-2.5e-3, 4}, {0.5, 2}, {7, 3}}},
      {"+1., 1E2 x 007", {{1.0, 1}, {100.0, 7}}},
      {"0", {{0.0, 1}}},
      {"1 x 1000000", {{1.0, 1000000}}},
  };
  for (const Good& g : table) {
    CAPTURE(g.text);
    const auto runs = optim::parse_gradient_sequence(g.text);
    REQUIRE(runs.size() == g.runs.size());
    for (std::size_t i = 0; i < runs.size(); ++i) {
      CHECK(runs[i].value == g.runs[i].value);
      CHECK(runs[i].count == g.runs[i].count);
    }
  }
}

TEST_CASE("sequence grammar: errors name the column") {
  struct Bad {
    std::string text;
    std::string message;
    int column;
  };
  const std::vector<Bad> table = {
      {"",
       "the sequence is empty (expected values such as '1 x 999, "
       "100000') at column 1",
       1},
      {"   ", "the sequence is empty", 4},
      {"1 x 999,", "unexpected end: expected a number at column 9", 9},
      {"1 x 999, , 2", "expected a number at column 10, got ','", 10},
      {"1 x", "unexpected end: expected a count at column 4", 4},
      {"1 x 0", "the count must be at least 1, got 0 at column 5", 5},
      {"1 x 1.5",
       "the count must be a whole number >= 1 at column 5, got '1.5'", 5},
      {"1 x -3", "the count must be a whole number >= 1 at column 5, got '-3'",
       5},
      {"1 x 2e3",
       "the count must be a whole number >= 1 at column 5, got '2e3'", 5},
      {"1 x 1000001",
       "the count 1000001 is more than the maximum of 1000000 updates at "
       "column 5",
       5},
      {"1 x 99999999999999999999999",
       "the count 99999999999999999999999 is more than the maximum", 5},
      {"1 x 600000, 2 x 400001",
       "the counts add up to more than the maximum of 1000000 updates at "
       "column 17",
       17},
      {"1e999", "the value 1e999 is not a finite number at column 1", 1},
      {"1, -1e400 x 2", "the value -1e400 is not a finite number at column 4",
       4},
      {"nan", "expected a number at column 1, got 'nan'", 1},
      {"1, inf", "expected a number at column 4, got 'inf'", 4},
      {"1 2", "expected ',' or 'x' after the value at column 3, got '2'", 3},
      {"1 x 2 3", "expected ',' after the count at column 7, got '3'", 7},
      {"1e", "expected ',' or 'x' after the value at column 2, got 'e'", 2},
      {"- 1", "expected a number at column 1, got '-'", 1},
      {"1; 2", "expected ',' or 'x' after the value at column 2, got ';'", 2},
      // Columns count characters: the multiplication sign is one.
      {"1 \xC3\x97 2, \xC3\x97",
       "expected a number at column 8, got '\xC3\x97'", 8},
  };
  for (const Bad& b : table) {
    CAPTURE(b.text);
    try {
      optim::parse_gradient_sequence(b.text);
      FAIL("accepted");
    } catch (const SequenceError& e) {
      CHECK(std::string(e.what()).find(b.message) != std::string::npos);
      CHECK(e.column() == b.column);
    }
  }
}

TEST_CASE("stream configs: errors name the field") {
  const json good = {{"optimizer", adam(0.0)}, {"source", sequence("1 x 10")}};
  struct Row {
    json patch;  // merged into `good`
    std::string field;
    std::string message;  // the whole what()
  };
  const std::vector<Row> table = {
      {{{"source", sequence("1 x 10,")}},
       "source.params.text",
       "source.params.text: sequence: unexpected end: expected a number at "
       "column 8"},
      {{{"source", sequence("1 x 1000", 1001)}},
       "source.params.repeat",
       "source.params.repeat: sequence: 1000 gradients x repeat 1001 = "
       "1001000 updates, more than the maximum of 1000000"},
      {{{"source", sequence("1", 0)}},
       "source.params.repeat",
       "source.params.repeat: sequence: repeat = 0 is outside the valid range "
       "[1, 1000000]"},
      {{{"source", {{"name", "reddi"}, {"params", {{"C", 2.0}}}}}},
       "source.params.C",
       "source.params.C: reddi: C = 2 is outside the valid range (2, inf)"},
      {{{"source", {{"name", "reddi"}, {"params", {{"steps", 1000001}}}}}},
       "source.params.steps",
       "source.params.steps: reddi: steps = 1000001 is outside the valid "
       "range [1, 1000000]"},
      {{{"source", {{"name", "reddy"}}}},
       "source.name",
       "source.name: unknown stream source 'reddy' (known: sequence, reddi)"},
      {{{"source", {{"name", "sequence"}, {"params", {{"txt", "1"}}}}}},
       "source.params.txt",
       "source.params.txt: sequence: unknown parameter 'txt' (known: text, "
       "repeat)"},
      {{{"source", "1 x 10"}},
       "source",
       "source: a stream source must be an object {name, params}, got \"1 x "
       "10\""},
      {{{"source", nullptr}}, "source", "source: is required"},
      {{{"optimizer", {{"name", "adam"}, {"hyperparameters", {{"beta1", 1}}}}}},
       "optimizer.hyperparameters.beta1",
       "optimizer.hyperparameters.beta1: adam: beta1 = 1 is outside the valid "
       "range [0, 1)"},
      {{{"start", 1.5}, {"source", {{"name", "reddi"}}}},
       "start",
       "start: x_0 = 1.5 is outside [-1, 1], where the reddi source projects "
       "x"},
      {{{"start", "0"}}, "start", "start: \"0\" is not a finite number"},
      {{{"schedule",
         {{"name", "one_cycle"},
          {"params", {{"max_lr", 0.1}, {"total_steps", 5}}}}}},
       "schedule",
       "schedule: the source gives 10 updates, but the schedule is defined "
       "for only 5 (one_cycle total_steps)"},
      {{{"record", "some"}}, "record", "record: must be \"all\" or \"path\""},
      {{{"steps", 10}},
       "steps",
       "steps: unknown key 'steps' in the stream configuration (expected "
       "optimizer, schedule, source, start, record, id, description)"},
  };
  for (const Row& row : table) {
    json config = good;
    for (const auto& [key, value] : row.patch.items()) {
      if (value.is_null()) {
        config.erase(key);
      } else {
        config[key] = value;
      }
    }
    CAPTURE(config.dump());
    const ConfigError e = config_error(config);
    const std::string what = e.what();
    CAPTURE(what);
    CHECK(e.field() == row.field);
    CHECK(what.rfind(row.message, 0) == 0);
  }
  CHECK(std::string(config_error(json::array()).what()) ==
        "the stream configuration must be a JSON object, got []");
}

TEST_CASE("stream metadata: sources, limits and presets for the page") {
  const json meta = optim::stream_metadata();
  CHECK(meta["maxSteps"] == 1000000);
  REQUIRE(meta["sources"].size() == 2);
  CHECK(meta["sources"][0]["name"] == "sequence");
  CHECK(meta["sources"][1]["name"] == "reddi");
  // The defaults: section 4.1 in small, and 4.2's C = 3, T = 3000.
  const json& text = meta["sources"][0]["params"][0];
  CHECK(text["name"] == "text");
  CHECK(text["default"] == "1 x 999, 100000 x 1, 1 x 1000");
  CHECK(text["maxLength"] == optim::kMaxSequenceLength);
  CHECK(meta["sources"][1]["params"][0]["default"] == 3.0);
  CHECK(meta["sources"][1]["params"][1]["default"] == 3000);
  CHECK(meta["params"][0]["name"] == "start");
  for (const char* name :
       {"gradient", "x", "movement", "lr", "regret", "averageRegret"}) {
    CHECK(meta["series"].contains(name));
  }
  // Every preset is a complete config that runs; the reddi ones are 4.2's.
  REQUIRE(meta["presets"].size() == 4);
  for (const json& preset : meta["presets"]) {
    CAPTURE(preset["name"]);
    const auto config = optim::parse_stream_config(preset["config"]);
    CHECK(optim::to_json(config) == preset["config"]);
    const auto r = optim::run_stream(config);
    CHECK_FALSE(r.diverged);
    if (preset["name"] == "reddi_adam") CHECK(r.x.back() == 1.0);
    if (preset["name"] == "reddi_amsgrad") {
      CHECK(prints_as(r.x.back(), -0.993627, 6));
      CHECK(prints_as(r.average_regret.back(), 0.0124, 4));  // x0 = 0
    }
  }
  // Defaults alone make a valid source.
  for (const json& source : meta["sources"]) {
    CHECK_NOTHROW(
        optim::parse_stream_config({{"optimizer", {{"name", "sgd"}}},
                                    {"source", {{"name", source["name"]}}}}));
  }
}
