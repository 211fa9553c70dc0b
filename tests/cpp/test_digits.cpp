// SPDX-License-Identifier: MIT
// The handwritten digits: the vendored file, the images as the trainer takes
// them, the stratified split and the label noise.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "core/params.hpp"
#include "digits_csv.hpp"
#include "problems/datasets.hpp"

using optim::ConfigError;
using optim::Dataset;

namespace {

const optim::test::DigitsCsv& csv() {
  static const optim::test::DigitsCsv digits = optim::test::read_digits_csv();
  return digits;
}

const Dataset& all_digits() {
  static const Dataset d = optim::digits_dataset(csv().pixels, csv().labels);
  return d;
}

std::vector<long> class_counts(const Dataset& d) {
  std::vector<long> counts(10, 0);
  for (Eigen::Index i = 0; i < d.y.size(); ++i) {
    ++counts[static_cast<std::size_t>(d.y(i))];
  }
  return counts;
}

// The rows of x and their labels, sorted: the multiset of the points.
std::vector<std::vector<double>> sorted_points(const Dataset& d) {
  std::vector<std::vector<double>> rows;
  for (Eigen::Index i = 0; i < d.x.rows(); ++i) {
    std::vector<double> r;
    for (Eigen::Index k = 0; k < d.x.cols(); ++k) r.push_back(d.x(i, k));
    r.push_back(d.y(i));
    rows.push_back(std::move(r));
  }
  std::sort(rows.begin(), rows.end());
  return rows;
}

}  // namespace

TEST_CASE("digits: the vendored file has the UCI set's shape") {
  // UCI "Optical Recognition of Handwritten Digits", test part: 1797
  // images of 8 x 8 integer pixels in 0..16, ten classes.
  const auto& d = csv();
  REQUIRE(d.labels.size() == 1797);
  REQUIRE(d.pixels.size() == 1797 * 64);
  for (double v : d.pixels) {
    REQUIRE(v >= 0.0);
    REQUIRE(v <= 16.0);
    REQUIRE(v == std::floor(v));
  }
  std::map<double, long> counts;
  for (double y : d.labels) ++counts[y];
  REQUIRE(counts.size() == 10);
  CHECK(counts.begin()->first == 0.0);
  CHECK(counts.rbegin()->first == 9.0);
  for (const auto& [label, count] : counts) {
    CAPTURE(label);
    CHECK(count >= 170);  // about 180 each
  }
  // Some pixels reach 16 (a fully set 4 x 4 block), and the corners are
  // mostly empty.
  CHECK(*std::max_element(d.pixels.begin(), d.pixels.end()) == 16.0);
}

TEST_CASE("digits: images are scaled to [0, 1] and checked entry by entry") {
  const Dataset& d = all_digits();
  REQUIRE(d.x.rows() == 1797);
  REQUIRE(d.x.cols() == 64);
  // The file's first line: 0,0,5,13,9,1,0,0,0,0,13,15,... label 0.
  CHECK(d.x(0, 2) == 5.0 / 16.0);
  CHECK(d.x(0, 3) == 13.0 / 16.0);
  CHECK(d.x(0, 11) == 15.0 / 16.0);
  CHECK(d.y(0) == 0.0);
  CHECK(d.x.minCoeff() == 0.0);
  CHECK(d.x.maxCoeff() == 1.0);

  const std::vector<double> pixels(128, 3.0), labels = {1.0, 7.0};
  CHECK(optim::digits_dataset(pixels, labels).x(1, 63) == 3.0 / 16.0);
  auto field_of = [](std::vector<double> px, std::vector<double> lb) {
    try {
      optim::digits_dataset(px, lb);
    } catch (const ConfigError& e) {
      return e.field();
    }
    return std::string("accepted");
  };
  CHECK(field_of({}, {}) == "labels");
  CHECK(field_of(std::vector<double>(127, 0.0), labels) == "images");
  std::vector<double> bad = pixels;
  bad[70] = 17.0;
  CHECK(field_of(bad, labels) == "images[70]");
  bad[70] = 2.5;
  CHECK(field_of(bad, labels) == "images[70]");
  bad[70] = -1.0;
  CHECK(field_of(bad, labels) == "images[70]");
  bad[70] = NAN;
  CHECK(field_of(bad, labels) == "images[70]");
  CHECK(field_of(pixels, {1.0, 10.0}) == "labels[1]");
  CHECK(field_of(pixels, {0.5, 1.0}) == "labels[0]");
}

TEST_CASE("digits: the split is stratified and deterministic per seed") {
  const Dataset& all = all_digits();
  const std::vector<long> n_c = class_counts(all);
  const double n = 1797.0;
  for (double fraction : {0.3, 0.25, 0.1, 0.9}) {
    for (std::uint64_t seed : {0u, 1u, 7u}) {
      CAPTURE(fraction);
      CAPTURE(seed);
      const optim::Split s =
          optim::stratified_split(all, 10, fraction, 0, seed);
      const long n_test = std::lround(fraction * n);
      REQUIRE(s.test.size() == n_test);
      REQUIRE(s.train.size() == 1797 - n_test);
      // Each class's share of the test set is within one image of the
      // ideal n_test n_c / n, and the training set holds the rest.
      const std::vector<long> t_c = class_counts(s.test);
      const std::vector<long> r_c = class_counts(s.train);
      for (std::size_t c = 0; c < 10; ++c) {
        CAPTURE(c);
        CHECK(std::abs(t_c[c] - n_test * n_c[c] / n) < 1.0);
        CHECK(t_c[c] + r_c[c] == n_c[c]);
      }
      // Together the two sets are the dataset, each point once.
      Dataset both;
      both.x.resize(1797, 64);
      both.x << s.test.x, s.train.x;
      both.y.resize(1797);
      both.y << s.test.y, s.train.y;
      CHECK(sorted_points(both) == sorted_points(all));
      // The same seed gives the same split, row for row.
      const optim::Split again =
          optim::stratified_split(all, 10, fraction, 0, seed);
      CHECK(again.test.x == s.test.x);
      CHECK(again.train.y == s.train.y);
      CHECK(again.train.x == s.train.x);
    }
  }
  // Another seed holds out other images.
  const optim::Split a = optim::stratified_split(all, 10, 0.3, 0, 0);
  const optim::Split b = optim::stratified_split(all, 10, 0.3, 0, 1);
  CHECK(class_counts(a.test) == class_counts(b.test));
  CHECK(a.test.x != b.test.x);

  // A training subset is stratified over the classes left after the test
  // set, and a size beyond them is all of them.
  const std::vector<long> rest = class_counts(a.train);
  for (long size : {500L, 37L, 1L, 1258L}) {
    CAPTURE(size);
    const optim::Split s = optim::stratified_split(all, 10, 0.3, size, 0);
    CHECK(s.test.x == a.test.x);
    REQUIRE(s.train.size() == size);
    const std::vector<long> c = class_counts(s.train);
    for (std::size_t k = 0; k < 10; ++k) {
      CHECK(std::abs(c[k] - size * rest[k] / 1258.0) < 1.0);
    }
  }
  CHECK(optim::stratified_split(all, 10, 0.3, 5000, 0).train.size() == 1258);
  CHECK(optim::stratified_split(all, 10, 0.0, 0, 0).test.size() == 0);
  // Labels outside the classes are refused.
  CHECK_THROWS_AS(optim::stratified_split(all, 9, 0.3, 0, 0),
                  std::invalid_argument);
}

TEST_CASE(
    "digits: label noise changes exactly round(f n) labels, never to "
    "the same class") {
  const Dataset clean = optim::stratified_split(all_digits(), 10, 0.3, 0, 3)
                            .train;  // 1258 images
  for (double fraction : {0.0, 0.1, 0.25, 0.5, 1.0, 0.0004}) {
    CAPTURE(fraction);
    Dataset noisy = clean;
    optim::replace_labels(noisy, 10, fraction, 11);
    CHECK(noisy.x == clean.x);
    long changed = 0;
    for (Eigen::Index i = 0; i < clean.y.size(); ++i) {
      changed += noisy.y(i) != clean.y(i);
      CHECK(noisy.y(i) >= 0.0);
      CHECK(noisy.y(i) <= 9.0);
      CHECK(noisy.y(i) == std::floor(noisy.y(i)));
    }
    // Every chosen label moved to another class: the count of changed
    // labels is the count chosen.
    CHECK(changed == std::lround(fraction * 1258.0));
    Dataset again = clean;
    optim::replace_labels(again, 10, fraction, 11);
    CHECK(again.y == noisy.y);
  }
  // All labels replaced: each moves by 1..9 classes, and every shift occurs
  // (the replacement is uniform over the other nine classes).
  Dataset noisy = clean;
  optim::replace_labels(noisy, 10, 1.0, 5);
  std::vector<long> shifts(10, 0);
  for (Eigen::Index i = 0; i < clean.y.size(); ++i) {
    const long shift =
        (static_cast<long>(noisy.y(i)) - static_cast<long>(clean.y(i)) + 10) %
        10;
    ++shifts[static_cast<std::size_t>(shift)];
  }
  CHECK(shifts[0] == 0);
  for (std::size_t k = 1; k < 10; ++k) {
    CAPTURE(k);
    // 1258 / 9 = 140 expected, standard deviation about 11.
    CHECK(shifts[k] > 90);
    CHECK(shifts[k] < 190);
  }
}
