// SPDX-License-Identifier: MIT
// The datasets of the tiny-network lab.
#include "problems/datasets.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <string>

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

Dataset digits_dataset(const std::vector<double>& pixels,
                       const std::vector<double>& labels) {
  const long n = static_cast<long>(labels.size());
  if (n < 1 || n > kMaxDigits) {
    throw ConfigError("labels", "needs 1 to " + std::to_string(kMaxDigits) +
                                    " labels, one per image; got " +
                                    std::to_string(n));
  }
  if (pixels.size() != labels.size() * kDigitPixels) {
    throw ConfigError(
        "images",
        "needs 64 pixel values per image: " + std::to_string(pixels.size()) +
            " values for " + std::to_string(n) + " labels");
  }
  // An integer in [0, max], else an error naming the entry.
  auto check = [](double v, double max, const char* field, std::size_t i,
                  const char* what) {
    if (!(v >= 0.0 && v <= max && v == std::floor(v))) {
      throw ConfigError(std::string(field) + "[" + std::to_string(i) + "]",
                        format_number(v) + " is not " + what);
    }
  };
  Dataset d;
  d.x.resize(n, kDigitPixels);
  d.y.resize(n);
  for (long i = 0; i < n; ++i) {
    const std::size_t at = static_cast<std::size_t>(i);
    check(labels[at], kDigitClasses - 1, "labels", at, "a digit 0 to 9");
    d.y(i) = labels[at];
    for (int k = 0; k < kDigitPixels; ++k) {
      const std::size_t j = at * kDigitPixels + k;
      check(pixels[j], 16.0, "images", j, "a pixel value 0 to 16");
      d.x(i, k) = pixels[j] / 16.0;
    }
  }
  return d;
}

namespace {

// Hamilton's method: `count` items over groups of the given sizes, group g
// getting floor(q_g) or floor(q_g) + 1 of its share q_g = count size_g /
// total, the extra ones to the largest remainders q_g - floor(q_g) (lower g
// first on ties). count <= total.
std::vector<long> apportion(const std::vector<long>& sizes, long count) {
  long total = 0;
  for (long s : sizes) total += s;
  std::vector<long> out(sizes.size(), 0);
  if (total == 0) return out;
  std::vector<double> remainder(sizes.size());
  long given = 0;
  for (std::size_t g = 0; g < sizes.size(); ++g) {
    const double share = static_cast<double>(count) *
                         static_cast<double>(sizes[g]) /
                         static_cast<double>(total);
    out[g] = std::min(static_cast<long>(std::floor(share)), sizes[g]);
    remainder[g] = share - static_cast<double>(out[g]);
    given += out[g];
  }
  // In exact arithmetic the remainders add up to count - given, so fewer
  // than the number of groups with a remainder get one more; the checks only
  // guard against rounding. Each group gets at most one.
  while (given < count) {
    std::size_t best = sizes.size();
    for (std::size_t g = 0; g < sizes.size(); ++g) {
      if (remainder[g] >= 0.0 && out[g] < sizes[g] &&
          (best == sizes.size() || remainder[g] > remainder[best])) {
        best = g;
      }
    }
    if (best == sizes.size()) break;
    ++out[best];
    ++given;
    remainder[best] = -1.0;
  }
  return out;
}

void check_labels(const Dataset& data, int classes) {
  for (Eigen::Index i = 0; i < data.y.size(); ++i) {
    const double y = data.y(i);
    if (!(y >= 0.0 && y < classes && y == std::floor(y))) {
      throw std::invalid_argument("label " + format_number(y) + " of point " +
                                  std::to_string(i) + " is not a class 0 to " +
                                  std::to_string(classes - 1));
    }
  }
}

void shuffle(std::vector<long>& v, Rng& rng) {
  for (long k = static_cast<long>(v.size()) - 1; k > 0; --k) {
    std::swap(v[static_cast<std::size_t>(k)],
              v[static_cast<std::size_t>(uniform_index(rng, k + 1))]);
  }
}

}  // namespace

Split stratified_split(const Dataset& data, int classes, double test_fraction,
                       long train_size, std::uint64_t seed) {
  const long n = data.size();
  check_labels(data, classes);
  std::vector<std::vector<long>> members(static_cast<std::size_t>(classes));
  for (long i = 0; i < n; ++i) {
    members[static_cast<std::size_t>(data.y(i))].push_back(i);
  }
  Rng rng(seed);
  std::vector<long> sizes;
  for (auto& m : members) {
    shuffle(m, rng);
    sizes.push_back(static_cast<long>(m.size()));
  }
  const long n_test =
      std::clamp(std::lround(test_fraction * static_cast<double>(n)), 0L, n);
  const std::vector<long> test_counts = apportion(sizes, n_test);
  std::vector<long> rest(sizes.size());
  for (std::size_t c = 0; c < sizes.size(); ++c) {
    rest[c] = sizes[c] - test_counts[c];
  }
  const long n_rest = n - n_test;
  const std::vector<long> train_counts =
      apportion(rest, train_size > 0 ? std::min(train_size, n_rest) : n_rest);
  std::vector<long> test, train;
  for (std::size_t c = 0; c < members.size(); ++c) {
    const auto first = members[c].begin();
    test.insert(test.end(), first, first + test_counts[c]);
    train.insert(train.end(), first + test_counts[c],
                 first + test_counts[c] + train_counts[c]);
  }
  shuffle(test, rng);
  shuffle(train, rng);
  Split s;
  gather_rows(data, test, 0, static_cast<long>(test.size()), s.test);
  gather_rows(data, train, 0, static_cast<long>(train.size()), s.train);
  return s;
}

void replace_labels(Dataset& data, int classes, double fraction,
                    std::uint64_t seed) {
  const long n = data.size();
  check_labels(data, classes);
  if (classes < 2) {
    throw std::invalid_argument("label noise needs at least 2 classes");
  }
  const long count =
      std::clamp(std::lround(fraction * static_cast<double>(n)), 0L, n);
  std::vector<long> idx(static_cast<std::size_t>(n));
  std::iota(idx.begin(), idx.end(), 0L);
  Rng rng(seed);
  for (long k = 0; k < count; ++k) {
    // Partial Fisher-Yates: idx[0..k] are distinct points.
    std::swap(idx[k], idx[k + uniform_index(rng, n - k)]);
    const long i = idx[k];
    const long shift = 1 + uniform_index(rng, classes - 1);
    data.y(i) =
        static_cast<double>((static_cast<long>(data.y(i)) + shift) % classes);
  }
}

void gather_rows(const Dataset& data, const std::vector<long>& indices,
                 long begin, long count, Dataset& out) {
  out.x.resize(count, data.x.cols());
  out.y.resize(count);
  for (long k = 0; k < count; ++k) {
    const long i = indices[static_cast<std::size_t>(begin + k)];
    out.x.row(k) = data.x.row(i);
    out.y(k) = data.y(i);
  }
}

}  // namespace optim
