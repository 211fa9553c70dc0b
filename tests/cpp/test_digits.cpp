// SPDX-License-Identifier: MIT
// The handwritten digits: the vendored file, as the native build
// decompresses it.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <vector>

#include "digits_csv.hpp"

namespace {

const optim::test::DigitsCsv& csv() {
  static const optim::test::DigitsCsv digits = optim::test::read_digits_csv();
  return digits;
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
