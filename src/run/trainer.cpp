// SPDX-License-Identifier: MIT
// MLP training runs: config validation, seeded mini-batches, histories.
#include "run/trainer.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>
#include <string>

#include "optim/optimizers.hpp"
#include "optim/schedule.hpp"
#include "run/config.hpp"

namespace optim {

namespace {

constexpr double kMaxSeed = 9007199254740992.0;  // 2^53

std::uint64_t seed_in(const json& object, const char* key) {
  if (!object.contains(key)) return 0;
  return static_cast<std::uint64_t>(integer_in(object[key], key, 0, kMaxSeed));
}

void require_object(const json& value, const std::string& field,
                    const char* what) {
  if (!value.is_object()) {
    throw ConfigError(field, std::string(what) + " must be an object, got " +
                                 describe_json(value));
  }
}

void parse_dataset(const json& d, TrainerConfig& c) {
  require_object(d, "", "the dataset");
  if (d.contains("name")) {
    if (!d["name"].is_string()) {
      throw ConfigError("name", "the dataset's name must be a string");
    }
    c.dataset = d["name"].get<std::string>();
    const auto& names = dataset_names();
    if (c.dataset != kDigits &&
        std::find(names.begin(), names.end(), c.dataset) == names.end()) {
      std::string known;
      for (const auto& k : names) known += k + ", ";
      throw ConfigError("name", "unknown dataset '" + c.dataset +
                                    "' (known: " + known + kDigits + ")");
    }
  }
  const bool digits = c.dataset == kDigits;
  if (digits) {
    reject_unknown_keys(
        d, "the digits dataset",
        {"name", "train_size", "label_noise", "test_fraction", "seed"});
    if (d.contains("train_size")) {
      c.train_size = integer_in(d["train_size"], "train_size", 0, kMaxDigits);
    }
  } else {
    reject_unknown_keys(
        d, "dataset",
        {"name", "n", "noise", "label_noise", "test_fraction", "seed"});
  }
  if (d.contains("n")) c.n = integer_in(d["n"], "n", 10, kMaxPoints);
  if (d.contains("noise")) {
    c.noise = finite_number(d["noise"], "noise");
    if (c.noise < 0.0 || c.noise > 10.0) {
      throw ConfigError("noise", "must be in [0, 10]");
    }
  }
  if (d.contains("label_noise")) {
    // Two classes: beyond one half, noise would swap the classes' meaning.
    // Ten: any fraction, up to every training label wrong (which a network
    // can still memorize).
    c.label_noise = finite_number(d["label_noise"], "label_noise");
    if (c.label_noise < 0.0 || c.label_noise > (digits ? 1.0 : 0.5)) {
      throw ConfigError("label_noise",
                        digits ? "must be in [0, 1]" : "must be in [0, 0.5]");
    }
  }
  if (d.contains("test_fraction")) {
    c.test_fraction = finite_number(d["test_fraction"], "test_fraction");
    if (c.test_fraction < 0.0 || c.test_fraction > 0.9) {
      throw ConfigError("test_fraction", "must be in [0, 0.9]");
    }
  }
  c.dataset_seed = seed_in(d, "seed");
}

void parse_network(const json& nw, TrainerConfig& c) {
  require_object(nw, "", "the network");
  reject_unknown_keys(nw, "network", {"hidden", "activation", "loss", "seed"});
  if (nw.contains("hidden")) {
    const json& h = nw["hidden"];
    if (!h.is_array() || h.size() > kMaxHiddenLayers) {
      throw ConfigError("hidden", "must be an array of at most " +
                                      std::to_string(kMaxHiddenLayers) +
                                      " layer widths, got " + describe_json(h));
    }
    c.hidden.clear();
    for (std::size_t i = 0; i < h.size(); ++i) {
      c.hidden.push_back(static_cast<int>(
          integer_in(h[i], "hidden[" + std::to_string(i) + "]", 1, kMaxWidth)));
    }
  }
  if (nw.contains("activation")) {
    if (!nw["activation"].is_string()) {
      throw ConfigError("activation", "must be \"tanh\" or \"relu\"");
    }
    c.activation = nw["activation"].get<std::string>();
    parse_activation(c.activation);
  }
  if (nw.contains("loss")) {
    if (!nw["loss"].is_string()) {
      throw ConfigError("loss", "must be \"cross_entropy\" or \"mse\"");
    }
    c.loss = nw["loss"].get<std::string>();
    parse_loss(c.loss);
  }
  c.network_seed = seed_in(nw, "seed");
}

std::vector<int> layer_sizes(const TrainerConfig& c) {
  const bool digits = c.dataset == kDigits;
  std::vector<int> sizes = {digits ? kDigitPixels : 2};
  sizes.insert(sizes.end(), c.hidden.begin(), c.hidden.end());
  sizes.push_back(digits ? kDigitClasses : 1);
  return sizes;
}

// The train/test split of the config's dataset. The split's (and the label
// noise's) seed is derived from the dataset's, so one seed fixes the points,
// which of them are held out and which labels are replaced.
Split make_split(const TrainerConfig& c, const Dataset* digits) {
  const std::uint64_t split_seed = c.dataset_seed ^ 0x5DEECE66DULL;
  if (c.dataset != kDigits) {
    if (digits != nullptr) {
      throw ConfigError("dataset", "the " + c.dataset +
                                       " points are generated; only the "
                                       "digits dataset takes images");
    }
    return split_dataset(
        make_dataset(c.dataset, c.n, c.noise, c.label_noise, c.dataset_seed),
        c.test_fraction, split_seed);
  }
  if (digits == nullptr) {
    throw ConfigError("dataset",
                      "the digits dataset needs its images and labels, "
                      "given to the trainer with the config");
  }
  if (digits->x.cols() != kDigitPixels) {
    throw std::invalid_argument("the digits must have 64 pixels each");
  }
  Split s = stratified_split(*digits, kDigitClasses, c.test_fraction,
                             c.train_size, split_seed);
  replace_labels(s.train, kDigitClasses, c.label_noise,
                 c.dataset_seed ^ 0x9E3779B97F4A7C15ULL);
  return s;
}

}  // namespace

TrainerConfig parse_trainer_config(const json& j) {
  require_object(j, "", "a trainer config");
  reject_unknown_keys(j, "trainer config",
                      {"dataset", "network", "optimizer", "schedule",
                       "batch_size", "seed", "eval_every"});
  TrainerConfig c;
  if (j.contains("dataset")) {
    within("dataset", [&] { parse_dataset(j["dataset"], c); });
  }
  if (j.contains("network")) {
    within("network", [&] { parse_network(j["network"], c); });
  }
  auto method = parse_method(j);
  c.optimizer = std::move(method.optimizer);
  c.schedule = std::move(method.schedule);
  if (j.contains("batch_size")) {
    // The digits' size is known only with the images: a batch larger than
    // the training set is the full batch.
    c.batch_size = integer_in(
        j["batch_size"], "batch_size", 0,
        static_cast<double>(c.dataset == kDigits ? kMaxDigits : c.n));
  }
  c.seed = seed_in(j, "seed");
  if (j.contains("eval_every")) {
    c.eval_every = integer_in(j["eval_every"], "eval_every", 1, kMaxSteps);
  }
  return c;
}

json to_json(const TrainerConfig& c) {
  json dataset = {{"name", c.dataset},
                  {"label_noise", c.label_noise},
                  {"test_fraction", c.test_fraction},
                  {"seed", c.dataset_seed}};
  if (c.dataset == kDigits) {
    dataset["train_size"] = c.train_size;
  } else {
    dataset["n"] = c.n;
    dataset["noise"] = c.noise;
  }
  return {{"dataset", dataset},
          {"network",
           {{"hidden", c.hidden},
            {"activation", c.activation},
            {"loss", c.loss},
            {"seed", c.network_seed}}},
          {"optimizer", c.optimizer},
          {"schedule", c.schedule},
          {"batch_size", c.batch_size},
          {"seed", c.seed},
          {"eval_every", c.eval_every}};
}

Trainer::Trainer(const json& config, const Dataset* digits)
    : Trainer(parse_trainer_config(config), digits) {}

Trainer::Trainer(const TrainerConfig& config, const Dataset* digits)
    : config_(config),
      mlp_(layer_sizes(config), parse_activation(config.activation),
           parse_loss(config.loss)),
      data_(make_split(config, digits)),
      optimizer_(make_optimizer(config.optimizer, config.schedule)),
      shuffle_rng_(config.seed) {
  params_ = mlp_.init(config.network_seed);
  optimizer_->reset(params_);
  const long n_train = static_cast<long>(data_.train.size());
  batch_size_ = config.batch_size == 0 || config.batch_size >= n_train
                    ? n_train
                    : config.batch_size;
  order_.resize(static_cast<std::size_t>(n_train));
  std::iota(order_.begin(), order_.end(), 0L);
  cursor_ = n_train;  // the first mini-batch shuffles
  evaluate();
}

void Trainer::next_batch() {
  const long n = static_cast<long>(order_.size());
  if (cursor_ + batch_size_ > n) {
    // Fisher-Yates with our own uniform variates (identical in wasm).
    for (long k = n - 1; k > 0; --k) {
      long j = static_cast<long>(shuffle_rng_.uniform() *
                                 static_cast<double>(k + 1));
      if (j > k) j = k;
      std::swap(order_[k], order_[j]);
    }
    cursor_ = 0;
  }
  gather_rows(data_.train, order_, cursor_, batch_size_, batch_);
  cursor_ += batch_size_;
}

void Trainer::run(long k) {
  // The page runs a few hundred steps per chunk; a chunk this large is a
  // mistake, not a request.
  constexpr long kMaxChunk = 1000000;
  if (k < 0 || k > kMaxChunk) {
    throw std::invalid_argument("Trainer.run: k = " + std::to_string(k) +
                                " is outside [0, 1000000]");
  }
  const bool full = batch_size_ == static_cast<long>(data_.train.size());
  for (long t = 0; t < k; ++t) {
    const Dataset* batch = &data_.train;
    if (!full) {
      next_batch();
      batch = &batch_;
    }
    optimizer_->gradient_point(params_, point_);
    const double loss = mlp_.loss_and_gradient(point_, *batch, grad_);
    optimizer_->step(params_, grad_);
    ++step_;
    batch_loss_.push_back(loss);
    if (step_ % config_.eval_every == 0) evaluate();
  }
}

void Trainer::evaluate() {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  eval_steps_.push_back(static_cast<double>(step_));
  const Mlp::Evaluation train = mlp_.evaluate(params_, data_.train);
  train_loss_.push_back(train.loss);
  train_acc_.push_back(train.accuracy);
  if (data_.test.size() > 0) {
    const Mlp::Evaluation test = mlp_.evaluate(params_, data_.test);
    test_loss_.push_back(test.loss);
    test_acc_.push_back(test.accuracy);
  } else {
    test_loss_.push_back(nan);
    test_acc_.push_back(nan);
  }
}

double Trainer::learning_rate() const {
  return step_ == 0 ? 0.0 : optimizer_->learning_rate();
}

double Trainer::top_hessian_eigenvalue(int iterations,
                                       std::uint64_t seed) const {
  return optim::top_hessian_eigenvalue(mlp_, params_, data_.train, iterations,
                                       seed);
}

void Trainer::set_params(const Vec& params) {
  if (params.size() != params_.size()) {
    throw std::invalid_argument(
        "params: expected " + std::to_string(params_.size()) +
        " values for this network, got " + std::to_string(params.size()));
  }
  if (!params.allFinite()) {
    throw std::invalid_argument("params: every value must be finite");
  }
  params_ = params;
}

double Trainer::epsilon_sharpness(double epsilon, std::uint64_t seed) const {
  return mlp_epsilon_sharpness(mlp_, params_, data_.train, epsilon, seed);
}

LossSlice Trainer::random_slice(std::uint64_t seed, int points,
                                double radius) const {
  if (!(radius > 0.0 && std::isfinite(radius))) {
    throw std::invalid_argument("radius must be a finite number > 0");
  }
  return loss_slice(mlp_, params_,
                    filter_normalized_direction(mlp_, params_, seed),
                    data_.train, data_.test, -radius, radius, points);
}

LossSlice Trainer::line_slice(const Vec& other, int points, double from,
                              double to) const {
  return optim::line_slice(mlp_, params_, other, data_.train, data_.test, from,
                           to, points);
}

std::vector<float> Trainer::predict_grid(const Box& box, int width,
                                         int height) const {
  return mlp_.predict_grid(params_, box, width, height);
}

std::vector<int> Trainer::predict_train() const {
  return mlp_.predict(params_, data_.train.x);
}

std::vector<int> Trainer::predict_test() const {
  return mlp_.predict(params_, data_.test.x);
}

}  // namespace optim
