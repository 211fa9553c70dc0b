// SPDX-License-Identifier: MIT
// The shape of the tiny network's loss around a solution: epsilon-sharpness
// against independent oracles, filter-normalized directions, loss slices.
#include <doctest/doctest.h>

#include <cmath>
#include <stdexcept>
#include <vector>

#include "core/params.hpp"
#include "core/rng.hpp"
#include "problems/datasets.hpp"
#include "problems/mlp.hpp"
#include "run/mlp_geometry.hpp"
#include "run/trainer.hpp"

using optim::Activation;
using optim::Dataset;
using optim::json;
using optim::Mlp;
using optim::Vec;

namespace {

Vec noisy_point(const Mlp& mlp, std::uint64_t seed) {
  Vec p = mlp.init(seed);
  optim::Rng rng(seed + 7);
  for (Eigen::Index k = 0; k < p.size(); ++k) p(k) += 0.3 * rng.normal();
  return p;
}

// The incoming weights of neuron i of `layer` (a row of the column-major W).
Vec row(const Mlp& mlp, const Vec& p, int layer, Eigen::Index i) {
  const auto& s = mlp.sizes();
  const Eigen::Index rows = s[layer], cols = s[layer - 1];
  Vec r(cols);
  for (Eigen::Index k = 0; k < cols; ++k)
    r(k) = p(mlp.offset(layer) + i + k * rows);
  return r;
}

json trainer_config(const char* optimizer, std::uint64_t network_seed) {
  return {{"dataset",
           {{"name", "two_moons"},
            {"n", 120},
            {"test_fraction", 0.25},
            {"seed", 2}}},
          {"network", {{"hidden", {8, 8}}, {"seed", network_seed}}},
          {"optimizer",
           {{"name", optimizer}, {"hyperparameters", {{"lr", 0.02}}}}}};
}

}  // namespace

TEST_CASE(
    "epsilon-sharpness of a convex loss equals the best corner of the box") {
  // No hidden layer: logistic regression, a convex loss in its 3 parameters,
  // so its maximum over the box is at one of the 8 corners: an exact oracle.
  const Dataset data = optim::make_dataset("blobs", 60, 0.3, 0.0, 4);
  const Mlp mlp({2, 1}, Activation::tanh);
  for (std::uint64_t seed : {1u, 2u, 3u}) {
    const Vec x = noisy_point(mlp, seed);
    for (double eps : {1e-3, 0.05, 0.5}) {
      CAPTURE(seed);
      CAPTURE(eps);
      const double f0 = mlp.loss(x, data);
      double best = f0;
      for (int corner = 0; corner < 8; ++corner) {
        Vec z = x;
        for (int i = 0; i < 3; ++i) {
          const double r = eps * (std::abs(x(i)) + 1.0);
          z(i) += (corner >> i & 1) ? r : -r;
        }
        best = std::max(best, mlp.loss(z, data));
      }
      const double expected = 100.0 * (best - f0) / (1.0 + f0);
      CHECK(optim::mlp_epsilon_sharpness(mlp, x, data, eps, 0) ==
            doctest::Approx(expected).epsilon(1e-12));
    }
  }
}

TEST_CASE("small-epsilon sharpness matches its first-order value") {
  // For small epsilon the maximum over the box of the linearized loss is
  // sum_i r_i |g_i| with r_i = epsilon (|x_i| + 1).
  const Dataset data = optim::make_dataset("two_moons", 80, 0.1, 0.0, 6);
  const Mlp mlp({2, 6, 6, 1}, Activation::tanh);
  const Vec x = noisy_point(mlp, 9);
  Vec g;
  const double f0 = mlp.loss_and_gradient(x, data, g);
  const double eps = 1e-7;
  const double first_order = 100.0 * eps *
                             ((x.array().abs() + 1.0) * g.array().abs()).sum() /
                             (1.0 + f0);
  CHECK(optim::mlp_epsilon_sharpness(mlp, x, data, eps, 3) ==
        doctest::Approx(first_order).epsilon(1e-4));
}

TEST_CASE("epsilon-sharpness is at least any sampled point of the box") {
  const Dataset data = optim::make_dataset("xor", 80, 0.1, 0.0, 1);
  const Mlp mlp({2, 8, 1}, Activation::relu);
  const Vec x = noisy_point(mlp, 4);
  const double eps = 0.01;
  const double f0 = mlp.loss(x, data);
  const double s = optim::mlp_epsilon_sharpness(mlp, x, data, eps, 1);
  optim::Rng rng(77);
  for (int k = 0; k < 300; ++k) {
    Vec z = x;
    for (Eigen::Index i = 0; i < x.size(); ++i) {
      z(i) += eps * (std::abs(x(i)) + 1.0) * (2.0 * rng.uniform() - 1.0);
    }
    CHECK(s >= 100.0 * (mlp.loss(z, data) - f0) / (1.0 + f0));
  }
  CHECK(s >= 0.0);
  CHECK_THROWS_AS(optim::mlp_epsilon_sharpness(mlp, x, data, 0.0, 1),
                  std::invalid_argument);
  CHECK_THROWS_AS(optim::mlp_epsilon_sharpness(mlp, x, data, 1.5, 1),
                  std::invalid_argument);
  CHECK_THROWS_AS(optim::mlp_epsilon_sharpness(mlp, x, data, NAN, 1),
                  std::invalid_argument);
}

TEST_CASE(
    "a filter-normalized direction has the solution's filter norms and no bias "
    "part") {
  const Mlp mlp({2, 5, 4, 1}, Activation::tanh);
  const Vec p = noisy_point(mlp, 3);
  const Vec d = optim::filter_normalized_direction(mlp, p, 11);
  REQUIRE(d.size() == p.size());
  const auto& s = mlp.sizes();
  for (int layer = 1; layer < static_cast<int>(s.size()); ++layer) {
    for (Eigen::Index i = 0; i < s[layer]; ++i) {
      CHECK(row(mlp, d, layer, i).norm() ==
            doctest::Approx(row(mlp, p, layer, i).norm()).epsilon(1e-13));
    }
    const Eigen::Index bias = mlp.offset(layer) + s[layer] * s[layer - 1];
    CHECK(d.segment(bias, s[layer]).isZero(0.0));
  }
  CHECK(d == optim::filter_normalized_direction(mlp, p, 11));
  CHECK(d != optim::filter_normalized_direction(mlp, p, 12));
  // Not merely a rescaled copy of the parameters.
  CHECK(std::abs(d.normalized().dot(p.normalized())) < 0.9);
}

TEST_CASE("loss slices pass through their end points exactly") {
  const Dataset train = optim::make_dataset("circles", 60, 0.05, 0.0, 1);
  const Dataset test = optim::make_dataset("circles", 30, 0.05, 0.0, 2);
  const Mlp mlp({2, 6, 1}, Activation::tanh);
  const Vec a = noisy_point(mlp, 1), b = noisy_point(mlp, 2);
  const auto line = optim::line_slice(mlp, a, b, train, test, -0.5, 1.5, 9);
  REQUIRE(line.alphas.size() == 9);
  CHECK(line.alphas.front() == -0.5);
  CHECK(line.alphas.back() == 1.5);
  CHECK(line.alphas[2] == 0.0);
  CHECK(line.alphas[6] == 1.0);
  CHECK(line.train[2] == mlp.loss(a, train));
  CHECK(line.test[2] == mlp.loss(a, test));
  CHECK(line.train[6] == mlp.loss(b, train));
  CHECK(line.test[6] == mlp.loss(b, test));
  const Vec mid = 0.25 * a + 0.75 * b;
  CHECK(line.train[5] == doctest::Approx(mlp.loss(mid, train)).epsilon(1e-14));

  const Vec d = optim::filter_normalized_direction(mlp, a, 5);
  const auto random =
      optim::loss_slice(mlp, a, d, train, Dataset{}, -1.0, 1.0, 5);
  CHECK(random.train[2] == mlp.loss(a, train));
  CHECK(random.train[4] ==
        doctest::Approx(mlp.loss(a + d, train)).epsilon(1e-14));
  for (double v : random.test) CHECK(std::isnan(v));

  CHECK_THROWS_AS(optim::line_slice(mlp, a, b, train, test, 1.0, 1.0, 9),
                  std::invalid_argument);
  CHECK_THROWS_AS(optim::line_slice(mlp, a, b, train, test, 0.0, 1.0, 1),
                  std::invalid_argument);
  CHECK_THROWS_AS(
      optim::line_slice(mlp, a, Vec::Zero(3), train, test, 0.0, 1.0, 9),
      std::invalid_argument);
}

TEST_CASE("a trainer measures another trainer's solution on its data") {
  optim::Trainer sgd(trainer_config("sgd", 1));
  optim::Trainer adam(trainer_config("adam", 1));
  sgd.run(50);
  adam.run(50);
  const auto line = sgd.line_slice(adam.params(), 11, 0.0, 1.0);
  CHECK(line.train.front() == sgd.model().loss(sgd.params(), sgd.train_data()));
  CHECK(line.train.back() ==
        adam.model().loss(adam.params(), adam.train_data()));
  CHECK(line.test.back() == adam.model().loss(adam.params(), adam.test_data()));

  optim::Trainer copy(trainer_config("sgd", 2));
  copy.set_params(adam.params());
  CHECK(copy.params() == adam.params());
  CHECK(copy.random_slice(4, 21, 1.0).train[10] == line.train.back());
  CHECK(copy.epsilon_sharpness(1e-3, 0) == adam.epsilon_sharpness(1e-3, 0));
  CHECK_THROWS_AS(copy.set_params(Vec::Zero(4)), std::invalid_argument);
  Vec bad = adam.params();
  bad(0) = NAN;
  CHECK_THROWS_AS(copy.set_params(bad), std::invalid_argument);
  CHECK_THROWS_AS(copy.random_slice(0, 21, 0.0), std::invalid_argument);
}
