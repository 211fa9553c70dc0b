// SPDX-License-Identifier: MIT
// Gradient streams: the sequence grammar, the sources, the config parser and
// the 1-D online run on any optimizer recipe.
#include "run/stream.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "optim/optimizers.hpp"
#include "optim/schedule.hpp"
#include "run/config.hpp"
#include "run/recorder.hpp"

namespace optim {
namespace {

// The sequence of the page's first stream: section 4.1 in small.
constexpr const char* kDefaultSequence = "1 x 999, 100000 x 1, 1 x 1000";

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}
bool is_continuation(char c) {
  return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

// The multiplication sign U+00D7 in UTF-8.
constexpr const char* kTimesSign = "\xC3\x97";

// Reads the grammar of parse_gradient_sequence; columns count characters
// (UTF-8 code points), not bytes.
class SequenceParser {
 public:
  SequenceParser(const std::string& text, long max_steps)
      : s_(text), max_steps_(max_steps) {}

  std::vector<SequenceRun> parse() {
    skip_space();
    if (at_end()) {
      fail(
          "the sequence is empty (expected values such as '1 x 999, "
          "100000')",
          pos_);
    }
    std::vector<SequenceRun> runs;
    long total = 0;
    while (true) {
      skip_space();
      const std::size_t value_at = pos_;
      const double value = number();
      skip_space();
      long count = 1;
      std::size_t count_at = value_at;
      const bool counted = times_sign();
      if (counted) {
        skip_space();
        count_at = pos_;
        count = whole_count();
        skip_space();
      }
      if (count > max_steps_ - total) {
        fail("the counts add up to more than the maximum of " +
                 std::to_string(max_steps_) + " updates",
             count_at);
      }
      total += count;
      runs.push_back({value, count});
      if (at_end()) return runs;
      if (s_[pos_] != ',') {
        fail(counted ? "expected ',' after the count"
                     : "expected ',' or 'x' after the value",
             pos_, true);
      }
      ++pos_;
    }
  }

 private:
  // "<message> at column <c>", then ", got '<text there>'" when `got`.
  [[noreturn]] void fail(const std::string& message, std::size_t at,
                         bool got = false) const {
    const int column = this->column(at);
    throw SequenceError(message + " at column " + std::to_string(column) +
                            (got ? ", got '" + word(at) + "'" : ""),
                        column);
  }

  int column(std::size_t at) const {
    int c = 1;
    for (std::size_t i = 0; i < at && i < s_.size(); ++i) {
      if (!is_continuation(s_[i])) ++c;
    }
    return c;
  }

  bool at_end() const { return pos_ >= s_.size(); }

  void skip_space() {
    while (!at_end() && is_space(s_[pos_])) ++pos_;
  }

  // The text from `at` to the next space or comma (at most 16 characters),
  // for messages.
  std::string word(std::size_t at) const {
    std::size_t end = at;
    int characters = 0;
    while (end < s_.size() && !is_space(s_[end]) && s_[end] != ',') {
      ++end;
      while (end < s_.size() && is_continuation(s_[end])) ++end;
      if (++characters == 16) break;
    }
    if (end == at) return s_.substr(at, 1);
    return s_.substr(at, end - at);
  }

  void digits() {
    while (!at_end() && is_digit(s_[pos_])) ++pos_;
  }

  // value := ['+' | '-'] (digits ['.' digits] | '.' digits) [exponent]
  double number() {
    const std::size_t start = pos_;
    if (at_end()) fail("unexpected end: expected a number", start);
    std::size_t p = pos_;
    if (s_[p] == '+' || s_[p] == '-') ++p;
    const bool whole = p < s_.size() && is_digit(s_[p]);
    const bool fraction =
        p + 1 < s_.size() && s_[p] == '.' && is_digit(s_[p + 1]);
    if (!whole && !fraction) {
      fail("expected a number", start, true);
    }
    pos_ = p;
    digits();
    if (!at_end() && s_[pos_] == '.') {
      ++pos_;
      digits();
    }
    if (!at_end() && (s_[pos_] == 'e' || s_[pos_] == 'E')) {
      std::size_t k = pos_ + 1;
      if (k < s_.size() && (s_[k] == '+' || s_[k] == '-')) ++k;
      if (k < s_.size() && is_digit(s_[k])) {
        pos_ = k;
        digits();
      }
    }
    const std::string text = s_.substr(start, pos_ - start);
    // strtod reads the C locale's '.', which is all the grammar allows.
    const double value = std::strtod(text.c_str(), nullptr);
    if (!std::isfinite(value)) {
      fail("the value " + text + " is not a finite number", start);
    }
    return value;
  }

  bool times_sign() {
    if (at_end()) return false;
    const char c = s_[pos_];
    if (c == 'x' || c == 'X' || c == '*') {
      ++pos_;
      return true;
    }
    if (s_.compare(pos_, 2, kTimesSign) == 0) {
      pos_ += 2;
      return true;
    }
    return false;
  }

  // count := digits, a whole number >= 1
  long whole_count() {
    const std::size_t start = pos_;
    if (at_end()) fail("unexpected end: expected a count", start);
    digits();
    const bool not_whole =
        pos_ == start || (!at_end() && !is_space(s_[pos_]) && s_[pos_] != ',');
    if (not_whole) {
      fail("the count must be a whole number >= 1", start, true);
    }
    // Leading zeros are harmless; more than 18 significant digits would
    // overflow the sum.
    std::size_t first = start;
    while (first + 1 < pos_ && s_[first] == '0') ++first;
    const std::string text = s_.substr(first, pos_ - first);
    if (text.size() > 18 || std::stoll(text) > max_steps_) {
      fail("the count " + text + " is more than the maximum of " +
               std::to_string(max_steps_) + " updates",
           start);
    }
    const long count = std::stol(text);
    if (count == 0) fail("the count must be at least 1, got 0", start);
    return count;
  }

  const std::string& s_;
  long max_steps_;
  std::size_t pos_ = 0;
};

// The number of gradients of the sequence's text, once.
long sequence_length(const std::vector<SequenceRun>& runs) {
  long total = 0;
  for (const SequenceRun& run : runs) total += run.count;
  return total;
}

std::vector<StreamSourceInfo> build_sources() {
  std::vector<StreamSourceInfo> list;
  list.push_back(
      {"sequence",
       "Gradient sequence",
       R"(g_1, g_2, \dots \text{ as typed},\quad f_t(x) = g_t\, x)",
       "The gradients as typed: value x count, comma separated (\"1 x 999, "
       "100000 x 1\" is 999 gradients of 1, then one of 100000), the whole "
       "list run `repeat` times. Each loss is linear, so the gradient does "
       "not depend on x; x is not projected.",
       {with_check(string_param("text", kDefaultSequence, kMaxSequenceLength,
                                "value x count, comma separated; a bare "
                                "value counts once; counts are whole numbers "
                                ">= 1, e.g. 1 x 999, 100000 x 1, 1 x 1000"),
                   [](const std::string& text) {
                     static_cast<void>(parse_gradient_sequence(text));
                   }),
        linear_scale(
            integer_param("repeat", 1, 1, static_cast<double>(kMaxStreamSteps),
                          "how many times the whole sequence runs; all "
                          "counts times repeat are at most " +
                              std::to_string(kMaxStreamSteps) + " updates"),
            1, 10)}});
  list.push_back(
      {"reddi",
       "Reddi et al.'s online problem",
       R"(f_t(x) = \begin{cases} C\,x & t \bmod 3 = 1 \\ -x & \text{otherwise} \end{cases},\quad x \in [-1, 1])",
       "Reddi, Kale & Kumar 2018, Theorem 1: three steps' losses add up to "
       "(C - 2) x, so the best fixed point is x* = -1; x is projected onto "
       "[-1, 1] after every update. With beta1 = 0, beta2 = 1/(1 + C^2) and "
       "alpha/sqrt(t), Adam without bias correction goes to the worst point "
       "+1 and AMSGrad to -1. The regret is measured against x*.",
       {linear_scale(open_min(number_param(
                         "C", 3.0, 2.0, kInf,
                         "gradient of every third loss (t mod 3 = 1); C > 2 "
                         "makes x* = -1 the best point")),
                     2.0, 10.0),
        linear_scale(integer_param("steps", 3000, 1,
                                   static_cast<double>(kMaxStreamSteps),
                                   "number of online steps T"),
                     1, 10000)}});
  return list;
}

// Validates {"name", "params"} of a source and returns it normalized, with
// the sequence's total length checked against kMaxStreamSteps.
json normalize_source(const json& spec) {
  if (!spec.is_object()) {
    throw ConfigError("",
                      "a stream source must be an object {name, params}, "
                      "got " +
                          describe_json(spec));
  }
  reject_unknown_keys(spec, "stream source", {"name", "params"});
  if (!spec.contains("name") || !spec["name"].is_string()) {
    throw ConfigError("name", "the source's name is missing or not a string");
  }
  const StreamSourceInfo& info =
      find_stream_source(spec["name"].get<std::string>());
  const json params = within("params", [&] {
    return normalize_params(info.name, info.params,
                            spec.value("params", json(nullptr)));
  });
  if (info.name == "sequence") {
    const long length = sequence_length(
        parse_gradient_sequence(params.at("text").get<std::string>()));
    const long long repeat = params.at("repeat").get<long long>();
    if (repeat > kMaxStreamSteps / length) {
      throw ConfigError(
          "params.repeat",
          "sequence: " + std::to_string(length) + " gradients x repeat " +
              std::to_string(repeat) + " = " +
              std::to_string(static_cast<long long>(length) * repeat) +
              " updates, more than the maximum of " +
              std::to_string(kMaxStreamSteps));
    }
  }
  return {{"name", info.name}, {"params", params}};
}

// The number of updates a normalized source gives.
long source_steps(const json& source) {
  const json& p = source.at("params");
  if (source.at("name") == "reddi") return p.at("steps").get<long>();
  return sequence_length(
             parse_gradient_sequence(p.at("text").get<std::string>())) *
         p.at("repeat").get<long>();
}

ParamSpec start_param() {
  return linear_scale(
      number_param("start", 0.0, -kInf, kInf, "x_0; for reddi within [-1, 1]"),
      -1.0, 1.0);
}

ParamSpec record_param() {
  return choice_param("record", "all", {"all", "path"},
                      "all: also every state series of the optimizer; "
                      "path: gradient, x, movement, lr and regret only");
}

// One stream of the metadata's presets, normalized.
json preset(const char* name, const char* label, const char* description,
            const json& config) {
  return {{"name", name},
          {"label", label},
          {"description", description},
          {"config", to_json(parse_stream_config(config))}};
}

json presets() {
  const json spike = {{"name", "sequence"}, {"params", json::object()}};
  const json reddi = {{"name", "reddi"}, {"params", json::object()}};
  const json inverse_sqrt = {{"name", "inverse_sqrt"}};
  // beta2 = 1/(1 + C^2) = 0.1 for the default C = 3.
  const json paper = {
      {"lr", 0.5}, {"beta1", 0.0}, {"beta2", 0.1}, {"eps", 0.0}};
  json adam_paper = paper;
  adam_paper["bias_correction"] = false;
  json amsgrad_paper = paper;
  amsgrad_paper["variant"] = "paper";
  const json unit = {{"lr", 1.0}, {"beta1", 0.0}, {"eps", 0.0}};
  return json::array(
      {preset("rare_spike_adam", "Adam forgets a rare large gradient",
              "Section 4.1 in small: Adam (beta1 0, eps 0) with lr 1, so "
              "movements read in learning rates. Each gradient of 1 moves x "
              "by 1; the gradient 100000 times larger moves it only some "
              "tens, and the unit gradients after it move x much less until "
              "v has decayed.",
              {{"optimizer", {{"name", "adam"}, {"hyperparameters", unit}}},
               {"source", spike}}),
       preset("rare_spike_amsgrad", "AMSGrad keeps it",
              "The same stream for AMSGrad (PyTorch form, beta1 0, eps 0, lr "
              "1): v_max keeps the spike's second moment, so every later "
              "step stays small.",
              {{"optimizer", {{"name", "amsgrad"}, {"hyperparameters", unit}}},
               {"source", spike}}),
       preset(
           "reddi_adam", "Adam fails on Reddi et al.'s problem",
           "Section 4.2: Adam without bias correction, beta1 0, beta2 = "
           "1/(1 + C^2), eps 0, alpha/sqrt(t) with alpha 0.5: x goes to "
           "+1, the worst point, and the average regret stays near 0.67.",
           {{"optimizer", {{"name", "adam"}, {"hyperparameters", adam_paper}}},
            {"schedule", inverse_sqrt},
            {"source", reddi}}),
       preset("reddi_amsgrad", "AMSGrad solves it",
              "Section 4.2: AMSGrad as in Reddi et al. (no bias correction) "
              "with the same settings: x goes to near x* = -1 and the "
              "average regret tends to 0.",
              {{"optimizer",
                {{"name", "amsgrad"}, {"hyperparameters", amsgrad_paper}}},
               {"schedule", inverse_sqrt},
               {"source", reddi}})});
}

}  // namespace

std::vector<SequenceRun> parse_gradient_sequence(const std::string& text,
                                                 long max_steps) {
  return SequenceParser(text, max_steps).parse();
}

const std::vector<StreamSourceInfo>& stream_sources() {
  static const std::vector<StreamSourceInfo> table = build_sources();
  return table;
}

const StreamSourceInfo& find_stream_source(const std::string& name) {
  return find_by_name(stream_sources(), name, "stream source");
}

StreamConfig parse_stream_config(const json& j) {
  if (!j.is_object()) {
    throw ConfigError("",
                      "the stream configuration must be a JSON object, "
                      "got " +
                          describe_json(j));
  }
  reject_unknown_keys(j, "the stream configuration",
                      {"optimizer", "schedule", "source", "start", "record",
                       "id", "description"});
  check_labels(j);
  StreamConfig config;
  auto method = parse_method(j);
  config.optimizer = std::move(method.optimizer);
  config.schedule = std::move(method.schedule);
  if (!j.contains("source")) throw ConfigError("source", "is required");
  config.source =
      within("source", [&] { return normalize_source(j["source"]); });
  config.steps = source_steps(config.source);
  check_schedule_length(config.schedule, config.steps, "schedule",
                        "the source gives " + std::to_string(config.steps));
  if (j.contains("start")) {
    config.start = finite_number(j["start"], "start");
    if (config.source.at("name") == "reddi" && std::abs(config.start) > 1.0) {
      throw ConfigError("start", "x_0 = " + format_number(config.start) +
                                     " is outside [-1, 1], where the reddi "
                                     "source projects x");
    }
  }
  if (j.contains("record")) {
    const json& r = j["record"];
    if (!r.is_string() || (r != "all" && r != "path")) {
      throw ConfigError("record",
                        "must be \"all\" or \"path\", got " + describe_json(r));
    }
    config.record_state = r == "all";
  }
  return config;
}

json to_json(const StreamConfig& c) {
  return {{"optimizer", c.optimizer},
          {"schedule", c.schedule},
          {"source", c.source},
          {"start", c.start},
          {"record", c.record_state ? "all" : "path"}};
}

StreamResult run_stream(const StreamConfig& config) {
  const json& p = config.source.at("params");
  const bool reddi = config.source.at("name") == "reddi";
  auto optimizer = make_optimizer(config.optimizer, config.schedule);

  StreamResult r;
  r.start = config.start;
  const std::size_t n = static_cast<std::size_t>(config.steps);
  for (auto* series : {&r.gradient, &r.x, &r.movement, &r.lr}) {
    series->reserve(n);
  }
  if (reddi) {
    r.regret.reserve(n);
    r.average_regret.reserve(n);
  }
  Recorder recorder(r.state, config.steps);

  Vec x = Vec::Constant(1, config.start);
  Vec g(1);
  optimizer->reset(x);
  double regret = 0.0;
  long t = 0;
  // Update t + 1 with gradient `gradient`; false once x is not finite.
  auto update = [&](double gradient) {
    ++t;
    const double played = x[0];
    g[0] = gradient;
    // The gradient does not depend on x (every f_t is linear), so NAG's
    // look-ahead point changes nothing.
    optimizer->step(x, g);
    if (!std::isfinite(x[0])) {
      r.diverged = true;
      r.diverged_at = t;
      r.divergence_reason = "the iterate is not finite";
      return false;
    }
    // Projection onto the feasible set F = [-1, 1].
    if (reddi) x[0] = std::clamp(x[0], -1.0, 1.0);
    r.gradient.push_back(gradient);
    r.x.push_back(x[0]);
    r.movement.push_back(std::abs(x[0] - played));
    r.lr.push_back(optimizer->learning_rate());
    if (reddi) {
      // f_t(x_{t-1}) - f_t(x*) = g_t x_{t-1} - g_t (-1).
      regret += gradient * played + gradient;
      r.regret.push_back(regret);
      r.average_regret.push_back(regret / static_cast<double>(t));
    }
    if (config.record_state) {
      recorder.begin_update();
      optimizer->report(recorder);
    }
    r.steps = t;
    return true;
  };

  if (reddi) {
    const double c = p.at("C").get<double>();
    const long steps = p.at("steps").get<long>();
    for (long s = 1; s <= steps; ++s) {
      if (!update(s % 3 == 1 ? c : -1.0)) break;
    }
    return r;
  }
  const std::vector<SequenceRun> runs =
      parse_gradient_sequence(p.at("text").get<std::string>());
  const long repeat = p.at("repeat").get<long>();
  for (long k = 0; k < repeat; ++k) {
    for (const SequenceRun& run : runs) {
      for (long i = 0; i < run.count; ++i) {
        if (!update(run.value)) return r;
      }
    }
  }
  return r;
}

json stream_metadata() {
  json sources = json::array();
  for (const StreamSourceInfo& s : stream_sources()) {
    json params = json::array();
    for (const ParamSpec& p : s.params) params.push_back(p.to_json());
    sources.push_back({{"name", s.name},
                       {"label", s.label},
                       {"formula", s.formula},
                       {"description", s.description},
                       {"params", params}});
  }
  auto series = [](const char* label, const char* description) {
    return json{{"label", label}, {"description", description}};
  };
  return {{"sources", sources},
          {"params",
           json::array({start_param().to_json(), record_param().to_json()})},
          {"maxSteps", kMaxStreamSteps},
          {"series",
           {{"gradient", series("gradient g_t", "the gradient of update t")},
            {"x", series("x_t",
                         "the point after update t (for reddi projected "
                         "onto [-1, 1])")},
            {"movement",
             series("movement |x_t - x_{t-1}|", "how far update t moved x")},
            {"lr", series("learning rate", "gamma_t of update t")},
            {"regret", series("regret",
                              "sum over s <= t of f_s(x_{s-1}) - f_s(x*), x* = "
                              "-1 (reddi only)")},
            {"averageRegret", series("average regret",
                                     "regret / t; a method without regret "
                                     "drives it to 0 (reddi only)")}}},
          {"presets", presets()}};
}

}  // namespace optim
