// SPDX-License-Identifier: MIT
// optim-train: one trainer run, JSON in and out, for comparing the wasm
// trainer with the native one (tests/js/digits.test.mjs). Reads from
// standard input
//   {"config": TRAINER CONFIG, "digits": {"images": [...], "labels": [...]}
//    (the digits dataset only), "steps": k,
//    "eigenvalue": {"iterations", "seed"}, "sharpness": {"epsilon", "seed"},
//    "random_slice": {"seed", "points", "radius"}}   (the last three optional)
// and writes {"steps", "batch_loss", "eval_steps", "train_loss", "test_loss",
// "train_accuracy", "test_accuracy", "params", "predict_test", and the
// measures asked for: "eigenvalue", "sharpness", "random_slice": {"alphas",
// "train", "test"}} (NaN as null).
#include <iostream>
#include <iterator>
#include <memory>
#include <stdexcept>
#include <string>

#include "core/params.hpp"
#include "problems/datasets.hpp"
#include "run/trainer.hpp"

using optim::json;

namespace {

json run(const json& job) {
  std::unique_ptr<optim::Dataset> digits;
  if (job.contains("digits")) {
    digits = std::make_unique<optim::Dataset>(optim::digits_dataset(
        job["digits"].at("images").get<std::vector<double>>(),
        job["digits"].at("labels").get<std::vector<double>>()));
  }
  optim::Trainer t(job.at("config"), digits.get());
  t.run(job.at("steps").get<long>());
  const optim::Vec& p = t.params();
  json out = {{"steps", t.steps()},
              {"batch_loss", t.batch_loss()},
              {"eval_steps", t.eval_steps()},
              {"train_loss", t.train_loss()},
              {"test_loss", t.test_loss()},
              {"train_accuracy", t.train_accuracy()},
              {"test_accuracy", t.test_accuracy()},
              {"params", std::vector<double>(p.data(), p.data() + p.size())},
              {"predict_test", t.predict_test()}};
  if (job.contains("eigenvalue")) {
    const json& e = job["eigenvalue"];
    out["eigenvalue"] = t.top_hessian_eigenvalue(
        e.at("iterations").get<int>(), e.at("seed").get<std::uint64_t>());
  }
  if (job.contains("sharpness")) {
    const json& s = job["sharpness"];
    out["sharpness"] = t.epsilon_sharpness(s.at("epsilon").get<double>(),
                                           s.at("seed").get<std::uint64_t>());
  }
  if (job.contains("random_slice")) {
    const json& r = job["random_slice"];
    const optim::LossSlice slice =
        t.random_slice(r.at("seed").get<std::uint64_t>(),
                       r.at("points").get<int>(), r.at("radius").get<double>());
    out["random_slice"] = {
        {"alphas", slice.alphas}, {"train", slice.train}, {"test", slice.test}};
  }
  return out;
}

}  // namespace

int main() {
  try {
    const std::string text(std::istreambuf_iterator<char>(std::cin), {});
    std::cout << run(json::parse(text)).dump() << "\n";
  } catch (const std::exception& e) {
    std::cerr << "optim-train: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
