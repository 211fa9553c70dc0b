// SPDX-License-Identifier: MIT
// Training the tiny network on a 2-D dataset or on the handwritten digits
// with any optimizer of the core: the object the lab's worker drives with
// run(k) in chunks.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/params.hpp"
#include "core/rng.hpp"
#include "optim/transform.hpp"
#include "problems/datasets.hpp"
#include "problems/mlp.hpp"
#include "run/mlp_geometry.hpp"

namespace optim {

inline constexpr int kMaxHiddenLayers = 4;
inline constexpr int kMaxWidth = 128;
inline constexpr long kMaxPoints = 2000;
// The dataset whose points are not generated but passed in (Trainer).
inline constexpr const char* kDigits = "digits";

struct TrainerConfig {
  std::string dataset = "two_moons";
  long n = 200;         // 2-D datasets
  double noise = 0.1;   // 2-D datasets
  long train_size = 0;  // digits: 0 = the whole training split
  double label_noise = 0.0;
  double test_fraction = 0.3;
  std::uint64_t dataset_seed = 0;
  std::vector<int> hidden = {32, 32};
  std::string activation = "tanh";
  std::string loss = "cross_entropy";
  std::uint64_t network_seed = 0;
  json optimizer;           // normalized {"name", "hyperparameters"}
  json schedule = nullptr;  // normalized, or null for a constant lr
  long batch_size = 0;      // 0: full batch
  std::uint64_t seed = 0;   // shuffling of mini-batches
  long eval_every = 10;
};

// {"dataset": {"name" (two_moons | two_spirals | circles | xor | blobs),
//              "n": 10..2000 (200), "noise": >= 0 (0.1),
//              "label_noise": [0, 0.5] (0), "test_fraction": [0, 0.9] (0.3),
//              "seed": integer (0)}
//          or {"name": "digits", "train_size": 0 (all) or 1..10000 (0),
//              "label_noise": [0, 1] (0), "test_fraction": [0, 0.9] (0.3),
//              "seed": integer (0)},
//  "network": {"hidden": [w1, ...] (0..4 widths in 1..128, [32, 32]),
//              "activation": "tanh" | "relu" ("tanh"),
//              "loss": "cross_entropy" | "mse" ("cross_entropy"),
//              "seed": integer (0)},
//  "optimizer": OPTIMIZER (required), "schedule": SCHEDULE | null,
//  "batch_size": 0 (full batch) or 1..n (digits: 1..10000) (0),
//  "seed": integer (0), "eval_every": 1..100000 (10)}; "dataset" and
// "network" may be omitted.
//
// The 2-D datasets are generated (make_dataset), split at random
// (split_dataset) and fed to a 2-h1-..-1 network. The digits come from the
// caller (digits_dataset), are split stratified (stratified_split), with
// label noise on the training set only (replace_labels), and feed a
// 64-h1-..-10 network with a softmax output.
// Unknown keys are errors; errors are ConfigError with the field path
// ("dataset.n", "network.hidden[2]", "optimizer.hyperparameters.lr").
TrainerConfig parse_trainer_config(const json& config);
json to_json(const TrainerConfig& config);

class Trainer {
 public:
  // `digits`: the images of the digits dataset (see digits_dataset), which
  // the digits need and the 2-D datasets refuse (ConfigError "dataset").
  explicit Trainer(const json& config, const Dataset* digits = nullptr);
  explicit Trainer(const TrainerConfig& config,
                   const Dataset* digits = nullptr);

  // k optimizer updates. Each takes the loss and gradient on one batch at the
  // optimizer's gradient point. Mini-batches: consecutive slices of a seeded
  // permutation of the training set, reshuffled once fewer than batch_size
  // points remain in it (the last partial slice of an epoch is dropped).
  // Full batch when batch_size is 0 or >= the training set's size.
  void run(long k);

  const TrainerConfig& config() const { return config_; }
  const Mlp& model() const { return mlp_; }
  const Dataset& train_data() const { return data_.train; }
  const Dataset& test_data() const { return data_.test; }
  const Vec& params() const { return params_; }
  long steps() const { return step_; }
  long batch_size() const { return batch_size_; }  // effective

  // Per update t = 1..steps(): the loss of the batch it used.
  const std::vector<double>& batch_loss() const { return batch_loss_; }
  // Evaluations at step 0 and every eval_every steps: the step, and loss
  // and accuracy on the full train and test sets (test values are NaN when
  // the test set is empty).
  const std::vector<double>& eval_steps() const { return eval_steps_; }
  const std::vector<double>& train_loss() const { return train_loss_; }
  const std::vector<double>& test_loss() const { return test_loss_; }
  const std::vector<double>& train_accuracy() const { return train_acc_; }
  const std::vector<double>& test_accuracy() const { return test_acc_; }

  // Learning rate of the last update (0 before the first).
  double learning_rate() const;

  // The Hessian's eigenvalue of largest magnitude at the current parameters
  // over the full training set: power iteration on exact Hessian-vector
  // products, returning the Rayleigh quotient (see top_hessian_eigenvalue).
  double top_hessian_eigenvalue(int iterations = 20,
                                std::uint64_t seed = 0) const;

  // Replaces the parameters (same length as params(), all finite; else
  // std::invalid_argument). The optimizer's state is left as it is: this is
  // for measuring a solution, e.g. another trainer's, on this one's data.
  void set_params(const Vec& params);

  // Measures of the loss's shape at the current parameters over the training
  // set (slices also over the test set); see run/mlp_geometry.hpp.
  double epsilon_sharpness(double epsilon, std::uint64_t seed = 0) const;
  // alpha in [-radius, radius] along a filter-normalized seeded direction.
  LossSlice random_slice(std::uint64_t seed, int points, double radius) const;
  // alpha in [from, to] on the line from params() (0) to `other` (1).
  LossSlice line_slice(const Vec& other, int points, double from,
                       double to) const;

  // The sigmoid output on a W x H grid (see Mlp::predict_grid; 2-D datasets
  // only).
  std::vector<float> predict_grid(const Box& box, int width, int height) const;

  // The network's class for every training and test point (Mlp::predict),
  // e.g. to show the misclassified digits.
  std::vector<int> predict_train() const;
  std::vector<int> predict_test() const;

 private:
  void evaluate();
  void next_batch();

  TrainerConfig config_;
  Mlp mlp_;
  Split data_;
  std::unique_ptr<Optimizer> optimizer_;
  Vec params_, point_, grad_;
  long batch_size_ = 0;
  long step_ = 0;
  Rng shuffle_rng_;
  std::vector<long> order_;
  long cursor_ = 0;
  Dataset batch_;
  std::vector<double> batch_loss_, eval_steps_, train_loss_, test_loss_,
      train_acc_, test_acc_;
};

}  // namespace optim
