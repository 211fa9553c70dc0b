// SPDX-License-Identifier: MIT
// optim-run: runs one experiment from a JSON config natively and writes the
// trajectory, losses, learning rates and internal state as JSON or CSV.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <stdexcept>
#include <string>

#include "optim/optimizers.hpp"
#include "optim/schedule.hpp"
#include "problems/functions2d.hpp"
#include "run/path.hpp"

namespace {

constexpr const char* kUsage =
    R"(usage: optim-run CONFIG.json [--format json|csv] [--output FILE] [--run K]
       optim-run --metadata

Runs one optimizer on one test function and writes the whole run.
CONFIG.json ('-' reads standard input) holds
  {"optimizer": {"name": "adam", "hyperparameters": {"lr": 0.02}},
   "schedule": {"name": "cosine", "params": {"t_max": 200}},   (optional)
   "function": {"name": "rosenbrock", "params": {}},
   "start": [-1.2, 1.0],  "steps": 200,                          (optional)
   "noise": {"level": 0.1, "seed": 7}}                           (optional)
with the names of shared/reference/conformance.md; omitted hyperparameters
take their defaults. A run written by optim-run (an object with "config"
and "trajectory") runs its config again, and so does run K (default 0) of a
race exported by the playground's page ({"format":
"optimizer-playground/runs", "runs": [...]}).

  --format json   (default) {"config", "steps", "trajectory", "f", "lr",
                  "state", "diverged", "diverged_at", "divergence_reason"}
  --format csv    one row per iterate: step,x,y,f,lr,<state columns>
  --output FILE   write there instead of standard output
  --run K         which run of an exported race (0 = the first racer)
  --metadata      print every method, schedule and function with its
                  parameters (type, default, valid range, scale) as JSON
)";

[[noreturn]] void fail(const std::string& message, int code = 1) {
  std::cerr << "optim-run: " << message << "\n";
  std::exit(code);
}

std::string read_all(const std::string& path) {
  if (path == "-") {
    std::ostringstream s;
    s << std::cin.rdbuf();
    return s.str();
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) fail(path + ": cannot open the file");
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string csv(const optim::RunResult& r) {
  std::ostringstream out;
  const char* axis[] = {"x", "y"};
  out << "step";
  for (int i = 0; i < r.dim; ++i) {
    out << "," << (r.dim == 2 ? axis[i] : "x" + std::to_string(i));
  }
  out << ",f,lr";
  for (const auto& s : r.state) {
    if (s.width == 1) {
      out << "," << s.name;
    } else {
      for (int i = 0; i < s.width; ++i) {
        out << "," << s.name << "_"
            << (s.width == 2 ? axis[i] : std::to_string(i));
      }
    }
  }
  out << "\n";
  for (long t = 0; t <= r.steps; ++t) {
    out << t;
    for (int i = 0; i < r.dim; ++i) {
      out << "," << optim::format_number(r.trajectory[t * r.dim + i]);
    }
    out << "," << optim::format_number(r.loss[t]) << ",";
    if (t > 0) out << optim::format_number(r.lr[t - 1]);
    for (const auto& s : r.state) {
      for (int i = 0; i < s.width; ++i) {
        out << ",";
        if (t > 0) out << optim::format_number(s.values[(t - 1) * s.width + i]);
      }
    }
    out << "\n";
  }
  return out.str();
}

/**
 * The run config in `input`: a config itself, the "config" of a run optim-run
 * wrote, or that of run `index` of a race the page exported.
 */
optim::json select_config(const optim::json& input, long index) {
  if (!input.is_object()) return input;  // parse_run_config names the problem
  if (input.contains("format")) {
    if (input["format"] != "optimizer-playground/runs") {
      throw std::invalid_argument(
          "format: expected \"optimizer-playground/runs\" (an exported race), "
          "got " +
          input["format"].dump());
    }
    const auto runs = input.find("runs");
    if (runs == input.end() || !runs->is_array() || runs->empty()) {
      throw std::invalid_argument(
          "runs: an exported race needs a non-empty array of runs");
    }
    if (index < 0 || index >= static_cast<long>(runs->size())) {
      throw std::invalid_argument(
          "--run " + std::to_string(index) + ": the race has " +
          std::to_string(runs->size()) + " runs (0 to " +
          std::to_string(runs->size() - 1) + ")");
    }
    return select_config((*runs)[static_cast<std::size_t>(index)], 0);
  }
  if (input.contains("config") && input.contains("trajectory"))
    return input["config"];
  return input;
}

optim::json metadata() {
  optim::json methods = optim::json::array();
  for (const auto& m : optim::methods()) {
    methods.push_back(optim::method_metadata(m));
  }
  optim::json schedules = optim::json::array();
  for (const auto& s : optim::schedules()) {
    schedules.push_back(optim::schedule_metadata(s));
  }
  optim::json functions = optim::json::array();
  for (const auto& f : optim::functions()) {
    functions.push_back(optim::function_metadata(f));
  }
  return {{"methods", methods},
          {"schedules", schedules},
          {"functions", functions},
          {"series", optim::state_series_metadata()}};
}

}  // namespace

int main(int argc, char** argv) {
  std::string config_path, format = "json", output;
  bool want_metadata = false;
  long run_index = 0;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      std::cout << kUsage;
      return 0;
    } else if (arg == "--metadata") {
      want_metadata = true;
    } else if (arg == "--format" || arg == "--output") {
      if (i + 1 >= argc) fail(arg + " needs a value\n" + kUsage, 2);
      (arg == "--format" ? format : output) = argv[++i];
    } else if (arg == "--run") {
      if (i + 1 >= argc) fail(arg + " needs a value\n" + kUsage, 2);
      const std::string value = argv[++i];
      char* end = nullptr;
      run_index = std::strtol(value.c_str(), &end, 10);
      if (value.empty() || *end != '\0' || run_index < 0) {
        fail("--run must be a run's index (0, 1, ...), got '" + value + "'", 2);
      }
    } else if (arg.size() > 1 && arg[0] == '-' && arg != "-") {
      fail("unknown option " + arg + "\n" + kUsage, 2);
    } else if (config_path.empty()) {
      config_path = arg;
    } else {
      fail("only one config file may be given\n" + std::string(kUsage), 2);
    }
  }
  if (format != "json" && format != "csv") {
    fail("--format must be json or csv, got '" + format + "'", 2);
  }
  if (!want_metadata && config_path.empty()) fail(kUsage, 2);

  std::string text;
  if (want_metadata) {
    text = metadata().dump(2) + "\n";
  } else {
    optim::json config;
    try {
      config = optim::json::parse(read_all(config_path));
    } catch (const optim::json::parse_error& e) {
      std::string what = e.what();
      const auto cut = what.find("] ");
      fail(config_path + ": not valid JSON: " +
           (cut == std::string::npos ? what : what.substr(cut + 2)));
    }
    try {
      const optim::RunConfig run =
          optim::parse_run_config(select_config(config, run_index));
      const optim::RunResult result = optim::run_path(
          run, optim::PathEngine::automatic,
          run.record_state ? optim::Recording::all : optim::Recording::path);
      if (format == "csv") {
        text = csv(result);
      } else {
        optim::json out = optim::to_json(result);
        out["config"] = optim::to_json(run);
        text = out.dump() + "\n";
      }
    } catch (const std::invalid_argument& e) {
      fail(config_path + ": " + e.what());
    }
  }

  if (output.empty()) {
    std::cout << text;
    std::cout.flush();
    if (!std::cout) fail("cannot write to standard output");
  } else {
    std::ofstream out(output, std::ios::binary);
    out << text;
    out.close();
    if (!out) fail(output + ": cannot write the file");
  }
  return 0;
}
