// SPDX-License-Identifier: MIT
// The tiny network's datasets: seeded 2-D classification sets (labels 0/1),
// the handwritten digits (8 x 8 images, labels 0..9) from numbers the caller
// passes in, and deterministic train/test splits.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/types.hpp"

namespace optim {

struct Dataset {
  Mat x;  // n x d, one point per row (d = 2, or 64 pixels for the digits)
  Vec y;  // n labels: 0 or 1, or the class 0..K-1
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

// The UCI optical digits (Alpaydin & Kaynak 1998; data/digits/): 8 x 8
// images whose pixels count the set pixels of 4 x 4 blocks (0..16).
inline constexpr int kDigitPixels = 64;
inline constexpr int kDigitClasses = 10;
inline constexpr long kMaxDigits = 10000;

// The digits as numbers: `pixels` holds 64 values per image (row-major, each
// an integer in [0, 16]), `labels` one integer in [0, 9] per image, 1 to
// kMaxDigits images. Returns x = pixels / 16 (n x 64, in [0, 1]) and y =
// labels. Errors are ConfigError naming "images", "labels" or the first bad
// value ("images[130]").
Dataset digits_dataset(const std::vector<double>& pixels,
                       const std::vector<double>& labels);

// A stratified split of points labelled 0..classes-1. The test set takes
// round(test_fraction * n) points, each class in proportion to its size:
// class c of n_c points gives its floor of the share n_test n_c / n, and the
// points left over go to the classes with the largest remainders (the lower
// class first on a tie), so every class is within one point of its share
// (Hamilton's method). The training set is the rest, or `train_size` of it
// (0: all; at most the rest), apportioned over the classes the same way.
// Which points of a class are taken, and the order of both sets, are seeded.
Split stratified_split(const Dataset& data, int classes, double test_fraction,
                       long train_size, std::uint64_t seed);

// Label noise: exactly round(fraction * n) distinct points (seeded) get a
// label drawn uniformly from the classes - 1 other classes.
void replace_labels(Dataset& data, int classes, double fraction,
                    std::uint64_t seed);

// The rows `indices` of `data`, written into `out` (resized as needed).
void gather_rows(const Dataset& data, const std::vector<long>& indices,
                 long begin, long count, Dataset& out);

}  // namespace optim
