// SPDX-License-Identifier: MIT
// Seeded 2-D classification datasets (labels 0/1) for the tiny network, and
// a deterministic train/test split.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/types.hpp"

namespace optim {

struct Dataset {
  Mat x;  // n x 2, one point per row
  Vec y;  // n labels, 0 or 1
  Eigen::Index size() const { return x.rows(); }
};

// "two_moons", "two_spirals", "circles", "xor", "blobs", in the page's order.
const std::vector<std::string>& dataset_names();

// n points, labels alternating 0, 1, 0, ... before label noise (so the
// classes are balanced to within one point). `noise` is the standard
// deviation of Gaussian noise added to each coordinate; `label_noise` is the
// fraction of labels flipped (exactly round(label_noise * n) distinct points).
// All points lie roughly in [-2, 2]^2. Unknown name: ConfigError("name", ...).
Dataset make_dataset(const std::string& name, long n, double noise,
                     double label_noise, std::uint64_t seed);

struct Split {
  Dataset train;
  Dataset test;
};

// A seeded permutation of the points; the first round(test_fraction * n) go
// to the test set, the rest (in permuted order) to the training set.
Split split_dataset(const Dataset& data, double test_fraction,
                    std::uint64_t seed);

// The rows `indices` of `data`, written into `out` (resized as needed).
void gather_rows(const Dataset& data, const std::vector<long>& indices,
                 long begin, long count, Dataset& out);

}  // namespace optim
