// SPDX-License-Identifier: MIT
// The tiny network: datasets, gradients, exact Hessian-vector products, the
// top Hessian eigenvalue, and seeded training runs.
#include <doctest/doctest.h>

#include <Eigen/Eigenvalues>
#include <algorithm>
#include <cfloat>
#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "core/params.hpp"
#include "core/rng.hpp"
#include "problems/datasets.hpp"
#include "problems/mlp.hpp"
#include "run/trainer.hpp"

using optim::Activation;
using optim::ConfigError;
using optim::Dataset;
using optim::json;
using optim::Mlp;
using optim::Vec;

namespace {

// Initial parameters plus noise, so biases are nonzero too.
Vec test_point(const Mlp& mlp, std::uint64_t seed) {
  Vec p = mlp.init(seed);
  optim::Rng rng(seed + 100);
  for (Eigen::Index k = 0; k < p.size(); ++k) p(k) += 0.3 * rng.normal();
  return p;
}

Vec random_unit(Eigen::Index n, std::uint64_t seed) {
  optim::Rng rng(seed);
  Vec v(n);
  for (Eigen::Index k = 0; k < n; ++k) v(k) = rng.normal();
  return v.normalized();
}

// Smallest |z| over all hidden pre-activations of every point: how far the
// relu network is from a kink.
double distance_to_kink(const Mlp& mlp, const Vec& p, const Dataset& d) {
  double m = 1e300;
  Eigen::MatrixXd a = d.x.transpose();
  const auto& s = mlp.sizes();
  for (std::size_t l = 1; l + 1 < s.size(); ++l) {
    const int layer = static_cast<int>(l);
    Eigen::Map<const Eigen::MatrixXd> w(p.data() + mlp.offset(layer), s[l],
                                        s[l - 1]);
    Eigen::Map<const Vec> b(p.data() + mlp.offset(layer) + s[l] * s[l - 1],
                            s[l]);
    Eigen::MatrixXd z = w * a;
    z.colwise() += b;
    m = std::min(m, z.cwiseAbs().minCoeff());
    a = z.cwiseMax(0.0);
  }
  return m;
}

json trainer_config(long batch_size, const char* optimizer = "adam",
                    double lr = 0.01) {
  return {
      {"dataset",
       {{"name", "two_moons"},
        {"n", 200},
        {"noise", 0.1},
        {"test_fraction", 0.25},
        {"seed", 3}}},
      {"network", {{"hidden", {16, 16}}, {"activation", "tanh"}, {"seed", 5}}},
      {"optimizer", {{"name", optimizer}, {"hyperparameters", {{"lr", lr}}}}},
      {"batch_size", batch_size},
      {"seed", 7}};
}

}  // namespace

TEST_CASE("datasets are deterministic per seed, sized, and balanced") {
  for (const std::string& name : optim::dataset_names()) {
    CAPTURE(name);
    const Dataset a = optim::make_dataset(name, 301, 0.1, 0.1, 42);
    const Dataset b = optim::make_dataset(name, 301, 0.1, 0.1, 42);
    const Dataset c = optim::make_dataset(name, 301, 0.1, 0.1, 43);
    CHECK(a.x.rows() == 301);
    CHECK(a.x.cols() == 2);
    CHECK(a.y.size() == 301);
    CHECK(a.x == b.x);
    CHECK(a.y == b.y);
    CHECK(a.x != c.x);
    CHECK(a.x.allFinite());
    CHECK(a.x.cwiseAbs().maxCoeff() < 3.0);
    for (Eigen::Index i = 0; i < a.y.size(); ++i) {
      CHECK((a.y(i) == 0.0 || a.y(i) == 1.0));
    }
    const double ones = a.y.mean();
    CHECK(ones > 0.4);
    CHECK(ones < 0.6);
    // Exactly round(0.1 * 301) = 30 labels flipped from the clean ones.
    const Dataset clean = optim::make_dataset(name, 301, 0.1, 0.0, 42);
    CHECK(std::abs(clean.y.mean() - 150.0 / 301.0) < 1e-12);
    CHECK((a.y - clean.y).cwiseAbs().sum() == 30.0);

    const optim::Split s = optim::split_dataset(a, 0.25, 9);
    CHECK(s.test.size() == 75);
    CHECK(s.train.size() == 226);
    const optim::Split s2 = optim::split_dataset(a, 0.25, 9);
    CHECK(s.train.x == s2.train.x);
    CHECK(s.test.y == s2.test.y);
    // A permutation: the label counts add up.
    CHECK(s.train.y.sum() + s.test.y.sum() == a.y.sum());
  }
  CHECK_THROWS_AS(optim::make_dataset("moons", 10, 0.0, 0.0, 0), ConfigError);
  try {
    optim::make_dataset("moons", 10, 0.0, 0.0, 0);
  } catch (const ConfigError& e) {
    CHECK(e.field() == "name");
  }
}

TEST_CASE("mlp gradient passes a central-difference gradient check") {
  const Dataset data = optim::make_dataset("two_moons", 40, 0.1, 0.05, 1);
  for (Activation act : {Activation::tanh, Activation::relu}) {
    CAPTURE(static_cast<int>(act));
    const Mlp mlp({2, 5, 4, 1}, act);
    CHECK(mlp.num_params() == 5 * 3 + 4 * 6 + 1 * 5);
    const Vec p = test_point(mlp, 11);
    if (act == Activation::relu) REQUIRE(distance_to_kink(mlp, p, data) > 1e-4);
    Vec g;
    const double loss = mlp.loss_and_gradient(p, data, g);
    CHECK(loss == doctest::Approx(mlp.loss(p, data)).epsilon(1e-14));
    Vec fd(p.size());
    const double h = 1e-6;
    for (Eigen::Index k = 0; k < p.size(); ++k) {
      Vec pp = p, pm = p;
      pp(k) += h;
      pm(k) -= h;
      fd(k) = (mlp.loss(pp, data) - mlp.loss(pm, data)) / (2 * h);
    }
    CHECK((g - fd).norm() <= 1e-7 * g.norm());
    CHECK((g - fd).cwiseAbs().maxCoeff() < 1e-8);
  }
}

TEST_CASE("mlp loss is stable for large logits") {
  // A single linear layer 2-1: z = w . x + b, with huge weights.
  const Mlp mlp({2, 1}, Activation::tanh);
  Dataset d;
  d.x = Eigen::MatrixXd::Constant(2, 2, 1.0);
  d.y = Vec::Zero(2);
  d.y(1) = 1.0;
  Vec p(3);
  p << 500.0, 500.0, 0.0;  // z = 1000 for both points
  Vec g;
  const double loss = mlp.loss_and_gradient(p, d, g);
  CHECK(std::isfinite(loss));
  CHECK(loss == doctest::Approx(500.0));  // (1000 + 0) / 2
  CHECK(g.allFinite());
}

TEST_CASE("mlp Hessian-vector product is exact: matches finite differences") {
  const Dataset data = optim::make_dataset("circles", 50, 0.1, 0.0, 2);
  for (Activation act : {Activation::tanh, Activation::relu}) {
    CAPTURE(static_cast<int>(act));
    const Mlp mlp({2, 6, 5, 1}, act);
    const Vec p = test_point(mlp, 21);
    if (act == Activation::relu) REQUIRE(distance_to_kink(mlp, p, data) > 1e-4);
    const Vec v = random_unit(mlp.num_params(), 3);
    const Vec u = random_unit(mlp.num_params(), 4);
    Vec hv, hu, gp, gm;
    mlp.hessian_vector_product(p, data, v, hv);
    mlp.hessian_vector_product(p, data, u, hu);
    const double eps = 1e-5;
    mlp.loss_and_gradient(p + eps * v, data, gp);
    mlp.loss_and_gradient(p - eps * v, data, gm);
    const Vec fd = (gp - gm) / (2 * eps);
    CHECK((hv - fd).norm() <= 1e-6 * hv.norm());
    // The Hessian is symmetric: u' H v = v' H u to rounding.
    CHECK(u.dot(hv) == doctest::Approx(v.dot(hu)).epsilon(1e-12));
  }
}

TEST_CASE("mlp top Hessian eigenvalue (largest magnitude) matches Eigen") {
  // Dense Hessians of tiny networks, column by column from exact HVPs; the
  // power iteration converges to the eigenvalue of largest |lambda|.
  const Dataset data = optim::make_dataset("xor", 60, 0.1, 0.0, 4);
  const std::vector<std::pair<std::vector<int>, Activation>> nets = {
      {{2, 3, 1}, Activation::tanh},
      {{2, 4, 1}, Activation::relu},
      {{2, 3, 3, 1}, Activation::tanh}};
  for (const auto& [sizes, act] : nets) {
    const Mlp mlp(sizes, act);
    const Vec p = test_point(mlp, 8);
    const Eigen::Index n = mlp.num_params();
    Eigen::MatrixXd h(n, n);
    Vec e, col;
    for (Eigen::Index k = 0; k < n; ++k) {
      e = Vec::Unit(n, k);
      mlp.hessian_vector_product(p, data, e, col);
      h.col(k) = col;
    }
    CHECK((h - h.transpose()).cwiseAbs().maxCoeff() <
          1e-12 * (1.0 + h.cwiseAbs().maxCoeff()));
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> solver(h);
    const Vec ev = solver.eigenvalues();  // ascending
    const double top =
        std::abs(ev(0)) > std::abs(ev(n - 1)) ? ev(0) : ev(n - 1);
    const double power = optim::top_hessian_eigenvalue(mlp, p, data, 500, 1);
    CAPTURE(n);
    CAPTURE(top);
    CHECK(power == doctest::Approx(top).epsilon(1e-8));
    // The default 20 iterations already get within a few percent.
    const double quick = optim::top_hessian_eigenvalue(mlp, p, data, 20, 1);
    CHECK(std::abs(quick - top) <= 0.05 * std::abs(top));
  }
}

TEST_CASE("vector_tanh is within a few ulps of std::tanh") {
  // A sweep over 1e-300 .. 40 in both signs (a factor of 1.001 apart, so
  // every branch and rounding regime is hit), plus the special values and
  // inputs so large that 2^(-2|x| / ln2) is below the normal range.
  std::vector<double> xs = {0.0,     -0.0,    0.3,      -0.3,        20.0,
                            19.0625, 1e300,   -1e300,   400.0,       -710.0,
                            1e5,     DBL_MAX, -DBL_MAX, DBL_TRUE_MIN};
  for (double x = 1e-300; x < 40.0; x *= 1.001) {
    xs.push_back(x);
    xs.push_back(-x);
  }
  // An odd row count, so columns start at odd offsets.
  const Eigen::Index rows = 7;
  xs.resize((xs.size() + rows - 1) / rows * rows, 0.5);
  Eigen::MatrixXd z = Eigen::Map<Eigen::MatrixXd>(
      xs.data(), rows, static_cast<Eigen::Index>(xs.size()) / rows);
  optim::vector_tanh(z);
  double worst = 0.0;
  for (Eigen::Index k = 0; k < z.size(); ++k) {
    const double x = xs[static_cast<std::size_t>(k)];
    const double ref = std::tanh(x);
    const double ulp = std::nextafter(std::abs(ref), INFINITY) - std::abs(ref);
    worst = std::max(worst, std::abs(z(k) - ref) / ulp);
    if (x == 0.0) CHECK(std::signbit(z(k)) == std::signbit(x));
  }
  CHECK(worst <= 4.0);
  Eigen::MatrixXd special(1, 3);
  special << INFINITY, -INFINITY, NAN;
  optim::vector_tanh(special);
  CHECK(special(0) == 1.0);
  CHECK(special(1) == -1.0);
  CHECK(std::isnan(special(2)));
}

TEST_CASE("mlp grid predictions are probabilities in image order") {
  const Mlp mlp({2, 8, 1}, Activation::tanh);
  const Vec p = test_point(mlp, 2);
  const auto values = mlp.predict_grid(p, {-2, 2, -1, 1}, 5, 3);
  REQUIRE(values.size() == 15);
  for (float v : values) {
    CHECK(v >= 0.0f);
    CHECK(v <= 1.0f);
  }
  // values[j * W + i] at (xmin + i dx, ymax - j dy): row 0 is y = 1.
  Eigen::MatrixXd pt(1, 2);
  pt << 0.0, 1.0;
  const double z = mlp.logits(p, pt)(0);
  CHECK(values[2] == doctest::Approx(1.0 / (1.0 + std::exp(-z))).epsilon(1e-6));
}

TEST_CASE("trainer runs are reproducible bit for bit (full and mini-batch)") {
  for (long batch : {0L, 16L}) {
    CAPTURE(batch);
    optim::Trainer a(trainer_config(batch));
    optim::Trainer b(trainer_config(batch));
    a.run(120);
    a.run(80);
    b.run(200);
    CHECK(a.steps() == 200);
    CHECK(a.params() == b.params());
    CHECK(a.batch_loss() == b.batch_loss());
    CHECK(a.train_loss() == b.train_loss());
    CHECK(a.test_accuracy() == b.test_accuracy());
    CHECK(a.top_hessian_eigenvalue() == b.top_hessian_eigenvalue());
  }
  // Another shuffling seed changes a mini-batch run, not a full-batch one.
  json c = trainer_config(16);
  c["seed"] = 8;
  optim::Trainer a(trainer_config(16)), b(c);
  a.run(50);
  b.run(50);
  CHECK(a.params() != b.params());
  c = trainer_config(0);
  c["seed"] = 8;
  optim::Trainer f(trainer_config(0)), g(c);
  f.run(50);
  g.run(50);
  CHECK(f.params() == g.params());
}

TEST_CASE("trainer with adam learns two_moons") {
  json config = trainer_config(0, "adam", 0.02);
  config["eval_every"] = 25;
  optim::Trainer t(config);
  CHECK(t.train_data().size() == 150);
  CHECK(t.test_data().size() == 50);
  t.run(400);
  REQUIRE(t.eval_steps().size() == 17);  // steps 0, 25, ..., 400
  CHECK(t.eval_steps().back() == 400.0);
  CHECK(t.batch_loss().size() == 400);
  CHECK(t.train_loss().back() < 0.2 * t.train_loss().front());
  CHECK(t.train_accuracy().back() > 0.9);
  CHECK(t.test_accuracy().back() > 0.85);
  CHECK(t.learning_rate() == 0.02);
  // Near a minimum the top eigenvalue is positive.
  CHECK(t.top_hessian_eigenvalue() > 0.0);

  // Mini-batches of 32 with SGD with momentum also learn.
  optim::Trainer m(trainer_config(32, "sgd_momentum", 0.1));
  CHECK(m.batch_size() == 32);
  m.run(600);
  CHECK(m.train_accuracy().back() > 0.85);
}

TEST_CASE("trainer configs: defaults filled, errors name the field") {
  const optim::TrainerConfig c =
      optim::parse_trainer_config({{"optimizer", {{"name", "adam"}}}});
  CHECK(c.dataset == "two_moons");
  CHECK(c.hidden == std::vector<int>{32, 32});
  CHECK(c.optimizer["hyperparameters"].contains("lr"));
  CHECK(optim::parse_trainer_config(optim::to_json(c)).optimizer ==
        c.optimizer);

  const json adam = {{"name", "adam"}};
  const std::vector<std::pair<json, std::string>> cases = {
      {json::object(), "optimizer"},
      {{{"optimizer", adam}, {"epochs", 3}}, "epochs"},
      {{{"optimizer", {{"name", "adum"}}}}, "optimizer.name"},
      {{{"optimizer", {{"name", "adam"}, {"hyperparameters", {{"lr", -1}}}}}},
       "optimizer.hyperparameters.lr"},
      {{{"optimizer", adam}, {"dataset", {{"name", "moons"}}}}, "dataset.name"},
      {{{"optimizer", adam}, {"dataset", {{"n", 5000}}}}, "dataset.n"},
      {{{"optimizer", adam}, {"dataset", {{"noise", -0.1}}}}, "dataset.noise"},
      {{{"optimizer", adam}, {"dataset", {{"label_noise", 0.7}}}},
       "dataset.label_noise"},
      {{{"optimizer", adam}, {"dataset", {{"test_fraction", 1.0}}}},
       "dataset.test_fraction"},
      {{{"optimizer", adam}, {"dataset", {{"seed", -1}}}}, "dataset.seed"},
      {{{"optimizer", adam}, {"dataset", {{"size", 3}}}}, "dataset.size"},
      {{{"optimizer", adam}, {"network", {{"hidden", {8, 8, 8, 8, 8}}}}},
       "network.hidden"},
      {{{"optimizer", adam}, {"network", {{"hidden", {8, 129}}}}},
       "network.hidden[1]"},
      {{{"optimizer", adam}, {"network", {{"activation", "gelu"}}}},
       "network.activation"},
      {{{"optimizer", adam}, {"batch_size", 201}}, "batch_size"},
      {{{"optimizer", adam}, {"batch_size", 1.5}}, "batch_size"},
      {{{"optimizer", adam}, {"eval_every", 0}}, "eval_every"},
      {{{"optimizer", adam}, {"schedule", {{"name", "nope"}}}},
       "schedule.name"},
  };
  for (const auto& [config, field] : cases) {
    CAPTURE(config.dump());
    try {
      optim::Trainer t(config);
      FAIL("accepted");
    } catch (const ConfigError& e) {
      CHECK(e.field() == field);
    }
  }
}
