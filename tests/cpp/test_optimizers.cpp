// SPDX-License-Identifier: MIT
// First updates of every method against numbers derived by hand, the
// equivalences between methods, and convergence on the test functions.
#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include "optim/optimizers.hpp"
#include "run/path.hpp"

using optim::json;
using optim::Vec;

namespace {

Vec vec2(double x, double y) {
  Vec v(2);
  v << x, y;
  return v;
}

json spec(const std::string& name, json hyperparameters) {
  return {{"name", name}, {"hyperparameters", std::move(hyperparameters)}};
}

// Iterates after feeding the optimizer the given gradients from x0 = (0, 0).
std::vector<Vec> feed(const json& optimizer, const std::vector<Vec>& grads,
                      const json& schedule = nullptr) {
  auto opt = optim::make_optimizer(optimizer, schedule);
  Vec x = Vec::Zero(2);
  opt->reset(x);
  std::vector<Vec> out;
  for (const Vec& g : grads) {
    opt->step(x, g);
    out.push_back(x);
  }
  return out;
}

optim::RunResult run(const json& optimizer, const std::string& function,
                     Vec start, long steps, const json& schedule = nullptr,
                     json function_params = json::object()) {
  optim::RunConfig config;
  config.optimizer = optim::normalize_optimizer(optimizer);
  config.schedule = schedule;
  config.function = {{"name", function}, {"params", function_params}};
  config.start = std::move(start);
  config.steps = steps;
  return optim::run_path(config);
}

void check_vec(const Vec& actual, double x, double y, double rel = 1e-13) {
  CHECK(actual[0] == doctest::Approx(x).epsilon(rel));
  CHECK(actual[1] == doctest::Approx(y).epsilon(rel));
}

const optim::Series& series(const optim::RunResult& r, const std::string& n) {
  for (const auto& s : r.state) {
    if (s.name == n) return s;
  }
  FAIL("no series " << n);
  throw std::logic_error("unreachable");
}

// Largest |a - b| / max(1, |b|) over two trajectories of equal length.
template <class A, class B>
double max_rel_diff(const A& a, const B& b) {
  REQUIRE(a.size() == b.size());
  double worst = 0.0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    worst = std::max(worst,
                     std::fabs(a[i] - b[i]) / std::max(1.0, std::fabs(b[i])));
  }
  return worst;
}

const std::vector<Vec> kTwoGrads = {vec2(1, -2), vec2(3, 0.5)};

}  // namespace

TEST_CASE("sgd: two steps on the kappa = 10 bowl") {
  // f = (x^2 + 10 y^2)/2 from (-4, 2), lr 0.05: g = (-4, 20) -> (-3.8, 1);
  // g = (-3.8, 10) -> (-3.61, 0.5).
  const auto r = run(spec("sgd", {{"lr", 0.05}}), "quadratic", vec2(-4, 2), 2);
  CHECK(r.trajectory == optim::Record{-4, 2, -3.8, 1, -3.61, 0.5});
  CHECK(r.loss[0] == 28.0);
  CHECK(r.lr == optim::Record{0.05, 0.05});
}

TEST_CASE("sgd_momentum: the first step takes the raw gradient") {
  // b1 = g1 (no dampening); b2 = 0.9 b1 + 0.5 g2 = (2.4, -1.55).
  const auto x =
      feed(spec("sgd_momentum",
                {{"lr", 0.1}, {"momentum", 0.9}, {"dampening", 0.5}}),
           kTwoGrads);
  check_vec(x[0], -0.1, 0.2);
  check_vec(x[1], -0.34, 0.355);
}

TEST_CASE("sgd_momentum nesterov: d = g + mu b") {
  // d1 = 1.9 g1 = (1.9, -3.8); b2 = (3.9, -1.3), d2 = g2 + 0.9 b2 =
  // (6.51, -0.67).
  const auto x =
      feed(spec("sgd_momentum",
                {{"lr", 0.1}, {"momentum", 0.9}, {"nesterov", true}}),
           kTwoGrads);
  check_vec(x[0], -0.19, 0.38);
  check_vec(x[1], -0.841, 0.447);
}

TEST_CASE("classic and PyTorch momentum differ once the lr changes") {
  // step schedule, gamma 0.5 every update: lr 0.1 then 0.05.
  const json schedule = {{"name", "step"},
                         {"params", {{"step_size", 1}, {"gamma", 0.5}}}};
  // classic: v1 = -0.1 g1, v2 = 0.9 v1 - 0.05 g2 = (-0.24, 0.155).
  const auto classic =
      feed(spec("momentum_classic", {{"lr", 0.1}, {"momentum", 0.9}}),
           kTwoGrads, schedule);
  check_vec(classic[1], -0.34, 0.355);
  // PyTorch: b2 = 0.9 g1 + g2 = (3.9, -1.3), x2 = x1 - 0.05 b2.
  const auto torch =
      feed(spec("sgd_momentum", {{"lr", 0.1}, {"momentum", 0.9}}), kTwoGrads,
           schedule);
  check_vec(torch[1], -0.295, 0.265);
}

TEST_CASE("nag takes the gradient at the look-ahead point") {
  // Bowl a=1, b=10 from (-4, 2), lr 0.05, mu 0.9. Update 1: v1 = (0.2, -1).
  // Update 2: phi = (-3.8, 1) + 0.9 v1 = (-3.62, 0.1), g(phi) = (-3.62, 1),
  // v2 = 0.9 v1 - 0.05 g = (0.361, -0.95), theta2 = (-3.439, 0.05).
  const auto r = run(spec("nag", {{"lr", 0.05}, {"momentum", 0.9}}),
                     "quadratic", vec2(-4, 2), 2);
  CHECK(r.trajectory[2] == doctest::Approx(-3.8).epsilon(1e-14));
  CHECK(r.trajectory[4] == doctest::Approx(-3.439).epsilon(1e-14));
  CHECK(r.trajectory[5] == doctest::Approx(0.05).epsilon(1e-13));
  const auto& point = series(r, "lookahead_point");
  CHECK(point.values[2] == doctest::Approx(-3.62).epsilon(1e-14));
  CHECK(point.values[3] == doctest::Approx(0.1).epsilon(1e-13));
}

TEST_CASE("adagrad: eps outside the root, lr_decay on the step") {
  // eps 0: step 1 = 0.5 g/|g| = (0.5, -0.5); s = (10, 20);
  // step 2 = 0.5/(1 + 0.1) * (1/sqrt(10), 2/sqrt(20)).
  const auto x =
      feed(spec("adagrad", {{"lr", 0.5}, {"lr_decay", 0.1}, {"eps", 0.0}}),
           {vec2(3, -4), vec2(1, 2)});
  check_vec(x[0], -0.5, 0.5);
  check_vec(x[1], -0.6437398936440173, 0.2967210929545646);
}

TEST_CASE("rmsprop centered with momentum") {
  // alpha 0.9, eps 0: v = (0.4, 0.1), g_avg = (0.2, -0.1), v - g_avg^2 =
  // (0.36, 0.09) -> step 0.01 (2/0.6, -1/0.3); then b2 = 0.5 b1 + g2/den2.
  const auto x = feed(spec("rmsprop", {{"lr", 0.01},
                                       {"alpha", 0.9},
                                       {"eps", 0.0},
                                       {"momentum", 0.5},
                                       {"centered", true}}),
                      {vec2(2, -1), vec2(1, 3)});
  check_vec(x[0], -1.0 / 30, 1.0 / 30);
  check_vec(x[1], -0.06618809770595441, 0.019154015076218212);
}

TEST_CASE("rmsprop plain: first step is lr g / sqrt((1 - alpha) g^2)") {
  const auto x =
      feed(spec("rmsprop", {{"lr", 0.01}, {"alpha", 0.9}, {"eps", 0.0}}),
           {vec2(2, -1)});
  check_vec(x[0], -0.01 / std::sqrt(0.1), 0.01 / std::sqrt(0.1));
}

TEST_CASE("adadelta uses the updated v in the denominator") {
  // rho 0.9, eps 1e-6: delta1 = sqrt(eps)/sqrt(0.1 g^2 + eps) g.
  const auto x =
      feed(spec("adadelta", {{"lr", 1.0}, {"rho", 0.9}, {"eps", 1e-6}}),
           {vec2(1, -2), vec2(0.5, 0.5)});
  check_vec(x[0], -0.0031622618488986636, 0.003162273707328716);
  check_vec(x[1], -0.0052473917108923716, 0.0020226701349880596);
}

TEST_CASE("adam: first step lr g/(|g| + eps), second by hand") {
  const auto x =
      feed(spec("adam", {{"lr", 0.05}}), {vec2(-4, 20), vec2(1, -2)});
  check_vec(x[0], 0.049999999875000006, -0.049999999975);
  // m2 = 0.09 g1 + 0.1 g2, v2 = 0.000999 g1^2 + 0.001 g2^2, bc1 = 0.19,
  // bc2 = 0.001999.
  check_vec(x[1], 0.0734734083548635, -0.07963242566684761);
}

TEST_CASE("adam without bias correction: step lr m/(sqrt(v) + eps)") {
  // m1 = 0.1 g, v1 = 0.001 g^2, no correction: lr 0.1 |g|/(sqrt(0.001)|g| +
  // eps) per coordinate, about lr/sqrt(10) instead of lr.
  const auto x = feed(spec("adam", {{"lr", 0.05}, {"bias_correction", false}}),
                      {vec2(-4, 20), vec2(1, -2)});
  check_vec(x[0], 0.05 * 0.4 / (std::sqrt(0.001) * 4 + 1e-8),
            -0.05 * 2.0 / (std::sqrt(0.001) * 20 + 1e-8));
  // m2 = 0.09 g1 + 0.1 g2 = (-0.26, 1.6), v2 = 0.000999 g1^2 + 0.001 g2^2 =
  // (0.016984, 0.4036).
  check_vec(x[1], x[0][0] + 0.05 * 0.26 / (std::sqrt(0.016984) + 1e-8),
            x[0][1] - 0.05 * 1.6 / (std::sqrt(0.4036) + 1e-8));
}

TEST_CASE("adamax: first step is lr g/(|g| + eps)") {
  const auto x = feed(spec("adamax", {{"lr", 0.002}}), {vec2(-4, 20)});
  check_vec(x[0], 0.002 * 4 / (4 + 1e-8), -0.002 * 20 / (20 + 1e-8));
}

TEST_CASE("amsgrad keeps the largest second moment") {
  // After a large gradient, Adam's step for a small one grows back as v
  // decays; AMSGrad's stays pinned by v_max.
  std::vector<Vec> grads = {vec2(100, 100)};
  for (int i = 0; i < 3000; ++i) grads.push_back(vec2(1, 1));
  const auto adam = feed(spec("adam", {{"lr", 1.0}, {"beta1", 0.0}}), grads);
  const auto ams = feed(spec("amsgrad", {{"lr", 1.0}, {"beta1", 0.0}}), grads);
  const double adam_last = adam[3000][0] - adam[2999][0];
  const double ams_last = ams[3000][0] - ams[2999][0];
  // v_1 = 0.001 * 100^2 = 10 = v_max; Adam: v_3001 = 0.999^3000 * 10 +
  // (1 - 0.999^3000); both divide by sqrt(v/bc2) with bc2 = 1 - 0.999^3001.
  const double bc2 = 1 - std::pow(0.999, 3001);
  const double v = std::pow(0.999, 3000) * 10 + (1 - std::pow(0.999, 3000));
  CHECK(ams_last == doctest::Approx(-1.0 / std::sqrt(10.0 / bc2)));
  CHECK(adam_last == doctest::Approx(-1.0 / std::sqrt(v / bc2)));
}

TEST_CASE("amsgrad paper variant: no bias correction") {
  // m1 = 0.1 g, v1 = 0.001 g^2 = v_max: step = lr 0.1 g/(sqrt(0.001)|g|).
  const auto x =
      feed(spec("amsgrad", {{"lr", 0.01}, {"eps", 0.0}, {"variant", "paper"}}),
           {vec2(2, -3)});
  check_vec(x[0], -0.01 * 0.1 / std::sqrt(0.001),
            0.01 * 0.1 / std::sqrt(0.001));
}

TEST_CASE("adabound: bounds at t = 1 and clipping") {
  // Unclipped first step ~ lr sign(g); bounds: lower = 0.1 (1 - 1/1.001),
  // upper = 0.1 (1 + 1000).
  auto r = run(spec("adabound", {{"lr", 0.01}}), "booth", vec2(-5, 5), 1);
  const double g0 = 2 * (-5 + 10 - 7) + 4 * (-10 + 5 - 5);  // booth dx
  CHECK(r.trajectory[2] ==
        doctest::Approx(-5 - 0.01 * (g0 < 0 ? -1 : 1)).epsilon(1e-9));
  CHECK(series(r, "lower").values[0] == doctest::Approx(9.990009990008543e-05));
  CHECK(series(r, "upper").values[0] == doctest::Approx(100.10000000000001));
  // A huge lr is clipped to the upper bound: theta1 = theta0 - 100.1 * 0.1 g.
  const auto x = feed(spec("adabound", {{"lr", 1000.0}}), {vec2(1, -2)});
  check_vec(x[0], -10.01, 20.02);
}

TEST_CASE("swats switches on pub-16 at k = 16 with Lambda = 4.66e-4") {
  // Golden info of shared/conformance/public.json, case pub-16.
  const auto r = run(spec("swats", {{"lr", 0.02}, {"switch_eps", 1e-5}}),
                     "beale", vec2(2, 1.2), 200);
  const auto& phase = series(r, "phase").values;
  long first_sgd = -1;
  for (std::size_t i = 0; i < phase.size() && first_sgd < 0; ++i) {
    if (phase[i] == 1.0) first_sgd = static_cast<long>(i) + 1;
  }
  CHECK(first_sgd == 16);
  CHECK(series(r, "sgd_lr").values[15] ==
        doctest::Approx(0.00046606332609742056).epsilon(1e-9));
  // The default tolerance 1e-9 never switches on this toy problem.
  const auto never =
      run(spec("swats", {{"lr", 0.02}}), "beale", vec2(2, 1.2), 200);
  CHECK(series(never, "phase").values.back() == 0.0);
}

TEST_CASE("radam: rho_t, and the first rectified step for thresholds 4 and 5") {
  const double rho[] = {1.0,
                        1.999499749846109,
                        2.9986659997755396,
                        3.9974987498546852,
                        4.995998000395048,
                        5.994163751655833};
  for (double threshold : {4.0, 5.0}) {
    const auto r = run(spec("radam", {{"lr", 0.01}, {"threshold", threshold}}),
                       "booth", vec2(-3, 5), 8);
    const auto& rho_t = series(r, "rho").values;
    for (int t = 0; t < 6; ++t)
      CHECK(rho_t[t] == doctest::Approx(rho[t]).epsilon(1e-12));
    const auto& rect = series(r, "rectified").values;
    const int first = threshold == 4.0 ? 5 : 6;
    for (int t = 1; t <= 8; ++t) CHECK(rect[t - 1] == (t >= first ? 1.0 : 0.0));
    // r_5 = 0.0173 (threshold 4), r_6 = 0.0258.
    CHECK(series(r, "rectification").values[first - 1] ==
          doctest::Approx(threshold == 4.0 ? 0.017311503166315034
                                           : 0.02582111280185855));
  }
  // The first update is un-adapted: theta1 = theta0 - lr m_hat = theta0 - lr g.
  const auto x = feed(spec("radam", {{"lr", 0.01}}), {vec2(3, -4)});
  check_vec(x[0], -0.03, 0.04);
}

TEST_CASE("radam thresholds 4 and 5 first differ at iterate 5") {
  const auto a = run(spec("radam", {{"lr", 0.1}, {"threshold", 4.0}}), "booth",
                     vec2(-3, 5), 10);
  const auto b = run(spec("radam", {{"lr", 0.1}, {"threshold", 5.0}}), "booth",
                     vec2(-3, 5), 10);
  for (int i = 0; i < 2 * 5; ++i) CHECK(a.trajectory[i] == b.trajectory[i]);
  CHECK(a.trajectory[10] != b.trajectory[10]);
}

TEST_CASE("nadam: first step and mu with psi = 0") {
  // mu1 = 0.9 (1 - 0.5 * 0.96^0.004), mu2 = 0.9 (1 - 0.5 * 0.96^0.008);
  // step = lr (1 + 0.1 mu2/(1 - mu1 mu2)) g/(|g| + eps).
  const auto x = feed(spec("nadam", json::object()), {vec2(-4, 20)});
  check_vec(x[0], 0.002112903551428517, -0.0021129035556543244);
  // psi = 0 gives mu = beta1/2, not beta1.
  const auto r =
      run(spec("nadam", {{"momentum_decay", 0.0}}), "booth", vec2(-3, 5), 3);
  for (double mu : series(r, "mu").values) CHECK(mu == doctest::Approx(0.45));
}

TEST_CASE("nadam_dozat: first step lr (1 + 0.09/0.19) g/(|g| + eps)") {
  const auto x = feed(spec("nadam_dozat", json::object()), {vec2(-4, 20)});
  check_vec(x[0], 0.0029473684136842107, -0.0029473684195789477);
}

TEST_CASE("adamw and sgdw: decoupled decay in both modes") {
  // adamw lr mode: theta1 = theta0 (1 - lr wd) - lr g/(|g| + eps).
  auto r = run(spec("adamw", {{"lr", 0.1}, {"weight_decay", 0.5}}), "quadratic",
               vec2(-4, 2), 1);
  CHECK(r.trajectory[2] == doctest::Approx(-4 * 0.95 + 0.1 * 4 / (4 + 1e-8)));
  // schedule mode without a schedule: eta = 1, theta0 (1 - wd).
  r = run(spec("adamw",
               {{"lr", 0.1}, {"weight_decay", 0.5}, {"wd_mode", "schedule"}}),
          "quadratic", vec2(-4, 2), 1);
  CHECK(r.trajectory[2] == doctest::Approx(-4 * 0.5 + 0.1 * 4 / (4 + 1e-8)));
  // sgdw: theta1 = theta0 - lr g - d lambda theta0, d = eta = 1 or lr.
  r = run(spec("sgdw", {{"lr", 0.05}, {"weight_decay", 0.1}}), "quadratic",
          vec2(-4, 2), 1);
  CHECK(r.trajectory[2] == doctest::Approx(-4 + 0.05 * 4 + 0.1 * 4));
  r = run(
      spec("sgdw", {{"lr", 0.05}, {"weight_decay", 0.1}, {"wd_mode", "lr"}}),
      "quadratic", vec2(-4, 2), 1);
  CHECK(r.trajectory[2] == doctest::Approx(-4 + 0.05 * 4 + 0.005 * 4));
}

TEST_CASE("lookahead: k steps forward, one step back") {
  // sgd lr 0.1 on a constant gradient (1, 1), k 2, alpha 0.5:
  // fast -0.1, -0.2 -> slow 0 + 0.5 (-0.2) = -0.1; fast -0.2, -0.3 -> -0.2.
  const auto x = feed(
      spec("lookahead",
           {{"k", 2}, {"alpha", 0.5}, {"inner", spec("sgd", {{"lr", 0.1}})}}),
      {vec2(1, 1), vec2(1, 1), vec2(1, 1), vec2(1, 1)});
  check_vec(x[0], -0.1, -0.1);
  check_vec(x[1], -0.1, -0.1);
  check_vec(x[2], -0.2, -0.2);
  check_vec(x[3], -0.2, -0.2);
}

TEST_CASE("equivalences") {
  const Vec start = vec2(-1.2, 1.0);
  auto same = [&](const json& a, const json& b, double tol, long steps = 300,
                  const json& schedule = nullptr) {
    const auto ra = run(a, "rosenbrock", start, steps, schedule);
    const auto rb = run(b, "rosenbrock", start, steps, schedule);
    REQUIRE(ra.steps == steps);
    REQUIRE(rb.steps == steps);
    CHECK(max_rel_diff(ra.trajectory, rb.trajectory) <= tol);
  };
  const json cosine = {{"name", "cosine"}, {"params", {{"t_max", 300}}}};
  SUBCASE("AdamW with weight_decay 0 is Adam") {
    same(spec("adamw", {{"lr", 0.02}, {"weight_decay", 0.0}}),
         spec("adam", {{"lr", 0.02}}), 0.0);
    same(spec("adamw", {{"lr", 0.02}, {"weight_decay", 0.0}}),
         spec("adam", {{"lr", 0.02}}), 0.0, 300, cosine);
  }
  SUBCASE("momentum 0 is SGD") {
    same(spec("sgd_momentum", {{"lr", 1e-3}, {"momentum", 0.0}}),
         spec("sgd", {{"lr", 1e-3}}), 0.0);
  }
  SUBCASE("Lookahead with alpha 1 is its inner optimizer") {
    for (int k : {1, 3}) {
      same(spec("lookahead", {{"k", k},
                              {"alpha", 1.0},
                              {"inner", spec("adam", {{"lr", 0.02}})}}),
           spec("adam", {{"lr", 0.02}}), 1e-14, 300, cosine);
    }
  }
  SUBCASE("classic momentum equals PyTorch momentum under a constant lr") {
    same(spec("momentum_classic", {{"lr", 2e-4}}),
         spec("sgd_momentum", {{"lr", 2e-4}}), 1e-12);
  }
  SUBCASE(
      "Adam(amsgrad) is AMSGrad (torch) and AdaBound(amsbound) is AMSBound") {
    same(spec("adam", {{"lr", 0.02}, {"amsgrad", true}}),
         spec("amsgrad", {{"lr", 0.02}}), 0.0);
    same(spec("adabound", {{"lr", 0.02}, {"amsbound", true}}),
         spec("amsbound", {{"lr", 0.02}}), 0.0);
  }
  SUBCASE("Adam without bias correction: amsgrad is AMSGrad (paper)") {
    same(spec("adam",
              {{"lr", 0.02}, {"amsgrad", true}, {"bias_correction", false}}),
         spec("amsgrad", {{"lr", 0.02}, {"variant", "paper"}}), 0.0, 300,
         cosine);
  }
  SUBCASE("Adam without bias correction and beta1 0 is RMSProp") {
    same(spec("adam", {{"lr", 0.02},
                       {"beta1", 0.0},
                       {"beta2", 0.99},
                       {"bias_correction", false}}),
         spec("rmsprop", {{"lr", 0.02}, {"alpha", 0.99}}), 0.0, 300, cosine);
  }
  SUBCASE("SGDW with wd_mode lr is SGD with L2 (no momentum, constant lr)") {
    same(spec("sgdw", {{"lr", 1e-3}, {"weight_decay", 0.3}, {"wd_mode", "lr"}}),
         spec("sgd", {{"lr", 1e-3}, {"weight_decay", 0.3}}), 1e-13);
  }
  SUBCASE("PyTorch nesterov iterates are NAG's look-ahead points") {
    const auto torch =
        run(spec("sgd_momentum", {{"lr", 0.01}, {"nesterov", true}}),
            "quadratic", vec2(3, 2), 100);
    const auto nag =
        run(spec("nag", {{"lr", 0.01}}), "quadratic", vec2(3, 2), 101);
    const auto& points = series(nag, "lookahead_point").values;
    // lookahead_point of update t + 1 is theta_t + mu v_t.
    std::vector<double> phi(points.begin(), points.begin() + 2 * 101);
    CHECK(max_rel_diff(torch.trajectory, phi) <= 1e-12);
  }
  SUBCASE("decoupled decay is not L2 for Adam") {
    const auto l2 = run(spec("adam", {{"lr", 0.02}, {"weight_decay", 0.1}}),
                        "rosenbrock", start, 50);
    const auto dec = run(spec("adamw", {{"lr", 0.02}, {"weight_decay", 0.1}}),
                         "rosenbrock", start, 50);
    CHECK(max_rel_diff(l2.trajectory, dec.trajectory) > 1e-3);
  }
}

TEST_CASE("every method converges on the bowl and on Booth") {
  struct Row {
    const char* name;
    json hyperparameters;
    long steps;
  };
  const std::vector<Row> table = {
      {"sgd", {{"lr", 0.05}}, 1000},
      {"sgd_momentum", {{"lr", 0.02}}, 1000},
      {"sgd_momentum", {{"lr", 0.02}, {"nesterov", true}}, 1000},
      {"momentum_classic", {{"lr", 0.02}}, 1000},
      {"nag", {{"lr", 0.02}}, 1000},
      {"adagrad", {{"lr", 0.5}}, 3000},
      {"rmsprop", {{"lr", 0.01}}, 3000},
      {"rmsprop", {{"lr", 0.01}, {"centered", true}, {"momentum", 0.5}}, 3000},
      {"adadelta", {{"lr", 0.2}}, 6000},
      {"adam", {{"lr", 0.05}}, 3000},
      {"adamax", {{"lr", 0.05}}, 3000},
      {"amsgrad", {{"lr", 0.05}}, 3000},
      {"amsgrad", {{"lr", 0.05}, {"variant", "paper"}}, 3000},
      {"adabound", {{"lr", 0.05}, {"final_lr", 0.02}}, 3000},
      {"amsbound", {{"lr", 0.05}, {"final_lr", 0.02}}, 3000},
      {"swats", {{"lr", 0.05}, {"switch_eps", 1e-6}}, 3000},
      {"radam", {{"lr", 0.05}}, 3000},
      {"nadam", {{"lr", 0.05}}, 3000},
      {"nadam_dozat", {{"lr", 0.05}}, 3000},
      {"adamw", {{"lr", 0.05}, {"weight_decay", 0.0}}, 3000},
      {"sgdw", {{"lr", 0.02}, {"momentum", 0.9}}, 1000},
      {"lookahead", {{"inner", spec("adam", {{"lr", 0.05}})}}, 3000},
  };
  for (const auto& row : table) {
    for (const char* function : {"quadratic", "booth"}) {
      CAPTURE(row.name);
      CAPTURE(row.hyperparameters.dump());
      CAPTURE(function);
      const Vec start =
          std::string(function) == "booth" ? vec2(-5, -5) : vec2(-4, 2);
      const auto r =
          run(spec(row.name, row.hyperparameters), function, start, row.steps);
      REQUIRE_FALSE(r.diverged);
      // Minimum: (0, 0) for the bowl, (1, 3) for Booth, both with f = 0.
      const double x = r.trajectory[2 * r.steps],
                   y = r.trajectory[2 * r.steps + 1];
      const double tx = std::string(function) == "booth" ? 1.0 : 0.0;
      const double ty = std::string(function) == "booth" ? 3.0 : 0.0;
      CHECK(std::hypot(x - tx, y - ty) < 1e-2);
      CHECK(r.loss.back() < 1e-3 * r.loss.front());
    }
  }
}

TEST_CASE("methods work on vectors of any length, coordinate by coordinate") {
  // f = sum_i (x_i - c_i)^2 / 2 in 7 dimensions: every method but SWATS (whose
  // switching test uses dot products over the whole vector) acts on each
  // coordinate alone, so coordinate i of the 7-D run equals a 1-D run.
  constexpr int kDim = 7;
  Vec c(kDim), x0(kDim);
  for (int i = 0; i < kDim; ++i) {
    c[i] = 0.3 * i - 1.0;
    x0[i] = 1.0 + 0.25 * i;
  }
  auto run_nd = [](const json& spec, Vec x, const Vec& target) {
    auto opt = optim::make_optimizer(spec);
    opt->reset(x);
    Vec point(x.size());
    std::vector<Vec> out;
    for (int t = 0; t < 60; ++t) {
      opt->gradient_point(x, point);
      opt->step(x, point - target);
      out.push_back(x);
    }
    return out;
  };
  for (const auto& method : optim::methods()) {
    if (method.name == "swats") continue;
    CAPTURE(method.name);
    json hyper = {{"lr", 0.05}};
    if (method.name == "lookahead")
      hyper = {{"inner", spec("nag", {{"lr", 0.05}})}};
    if (method.name == "adadelta") hyper = {{"lr", 1.0}};
    const json s = spec(method.name, hyper);
    const auto full = run_nd(s, x0, c);
    for (int i = 0; i < kDim; ++i) {
      const auto single = run_nd(s, x0.segment(i, 1), c.segment(i, 1));
      for (std::size_t t = 0; t < full.size(); ++t) {
        CHECK(full[t][i] == doctest::Approx(single[t][0]).epsilon(1e-14));
      }
    }
  }
  // SWATS runs in any dimension too and starts as Adam: first step ~ lr.
  const auto swats = run_nd(spec("swats", {{"lr", 0.05}}), x0, c);
  for (int i = 0; i < kDim; ++i) {
    CHECK(x0[i] - swats[0][i] ==
          doctest::Approx(0.05 * (x0[i] > c[i] ? 1 : -1)));
  }
}
