// SPDX-License-Identifier: MIT
// The datasets of the tiny-network lab.
#include "problems/datasets.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "core/params.hpp"
#include "core/rng.hpp"

namespace optim {

namespace {

constexpr double kPi = 3.14159265358979323846;

// Uniform integer in [0, k) from our own uniform variate.
long uniform_index(Rng& rng, long k) {
  const long i = static_cast<long>(rng.uniform() * static_cast<double>(k));
  return std::min(i, k - 1);
}

// Point i of class `label` before coordinate noise.
Eigen::Vector2d clean_point(const std::string& name, int label, Rng& rng) {
  if (name == "two_moons") {
    // sklearn's make_moons, centred: upper arc and the lower arc shifted.
    const double t = kPi * rng.uniform();
    if (label == 0) return {std::cos(t) - 0.5, std::sin(t) - 0.25};
    return {1.0 - std::cos(t) - 0.5, 0.5 - std::sin(t) - 0.25};
  }
  if (name == "two_spirals") {
    // Two interleaved arms of an Archimedean spiral, 1.5 turns each.
    const double t = std::sqrt(rng.uniform()) * 3.0 * kPi;
    const double r = 1.8 * t / (3.0 * kPi);
    const double sign = label == 0 ? 1.0 : -1.0;
    return {sign * r * std::cos(t), sign * r * std::sin(t)};
  }
  if (name == "circles") {
    const double t = 2.0 * kPi * rng.uniform();
    const double r = label == 0 ? 1.5 : 0.7;
    return {r * std::cos(t), r * std::sin(t)};
  }
  if (name == "xor") {
    // Class 0 in the quadrants where x y > 0, class 1 where x y < 0.
    const double sx = rng.uniform() < 0.5 ? -1.0 : 1.0;
    const double sy = label == 0 ? sx : -sx;
    return {sx * (0.1 + 1.4 * rng.uniform()), sy * (0.1 + 1.4 * rng.uniform())};
  }
  // blobs: two Gaussian clusters of standard deviation 0.4.
  const double c = label == 0 ? -0.8 : 0.8;
  const double dx = 0.4 * rng.normal();
  const double dy = 0.4 * rng.normal();
  return {c + dx, c + dy};
}

}  // namespace

const std::vector<std::string>& dataset_names() {
  static const std::vector<std::string> names = {"two_moons", "two_spirals",
                                                 "circles", "xor", "blobs"};
  return names;
}

Dataset make_dataset(const std::string& name, long n, double noise,
                     double label_noise, std::uint64_t seed) {
  const auto& names = dataset_names();
  if (std::find(names.begin(), names.end(), name) == names.end()) {
    std::string known;
    for (const auto& k : names) known += (known.empty() ? "" : ", ") + k;
    throw ConfigError("name",
                      "unknown dataset '" + name + "' (known: " + known + ")");
  }
  if (n < 1) throw ConfigError("n", "must be at least 1");
  if (!(noise >= 0.0) || !std::isfinite(noise)) {
    throw ConfigError("noise", "must be a finite number >= 0");
  }
  if (!(label_noise >= 0.0 && label_noise <= 1.0)) {
    throw ConfigError("label_noise", "must be in [0, 1]");
  }
  Rng rng(seed);
  Dataset d;
  d.x.resize(n, 2);
  d.y.resize(n);
  for (long i = 0; i < n; ++i) {
    const int label = static_cast<int>(i % 2);
    const Eigen::Vector2d p = clean_point(name, label, rng);
    d.x(i, 0) = p.x() + noise * rng.normal();
    d.x(i, 1) = p.y() + noise * rng.normal();
    d.y(i) = label;
  }
  // Flip exactly round(label_noise * n) distinct labels (partial
  // Fisher-Yates over the indices).
  const long flips = std::lround(label_noise * static_cast<double>(n));
  std::vector<long> idx(static_cast<std::size_t>(n));
  std::iota(idx.begin(), idx.end(), 0L);
  for (long k = 0; k < flips; ++k) {
    const long j = k + uniform_index(rng, n - k);
    std::swap(idx[k], idx[j]);
    d.y(idx[k]) = 1.0 - d.y(idx[k]);
  }
  return d;
}

Split split_dataset(const Dataset& data, double test_fraction,
                    std::uint64_t seed) {
  const long n = data.size();
  std::vector<long> perm(static_cast<std::size_t>(n));
  std::iota(perm.begin(), perm.end(), 0L);
  Rng rng(seed);
  for (long k = n - 1; k > 0; --k) {
    std::swap(perm[k], perm[uniform_index(rng, k + 1)]);
  }
  const long n_test =
      std::clamp(std::lround(test_fraction * static_cast<double>(n)), 0L, n);
  Split s;
  gather_rows(data, perm, 0, n_test, s.test);
  gather_rows(data, perm, n_test, n - n_test, s.train);
  return s;
}

void gather_rows(const Dataset& data, const std::vector<long>& indices,
                 long begin, long count, Dataset& out) {
  out.x.resize(count, 2);
  out.y.resize(count);
  for (long k = 0; k < count; ++k) {
    const long i = indices[static_cast<std::size_t>(begin + k)];
    out.x.row(k) = data.x.row(i);
    out.y(k) = data.y(i);
  }
}

}  // namespace optim
