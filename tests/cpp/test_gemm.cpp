// SPDX-License-Identifier: MIT
// The network's matrix products against plain loops that sum in the order
// the kernel promises (src/problems/gemm.hpp), over shapes that exercise
// every tile and remainder, strided operands, and accumulation.
#include <doctest/doctest.h>

#include <stdexcept>

#include "core/rng.hpp"
#include "core/types.hpp"
#include "problems/gemm.hpp"

using optim::Mat;

namespace {

Mat random_mat(Eigen::Index rows, Eigen::Index cols, optim::Rng& rng) {
  Mat m(rows, cols);
  for (Eigen::Index j = 0; j < cols; ++j) {
    for (Eigen::Index i = 0; i < rows; ++i) m(i, j) = rng.normal();
  }
  return m;
}

// c0 + sum_t p(i, t) q(t, j), added one t after another; with `lanes`, the
// even and the odd t summed apart from zero, added, then added to c0.
Mat reference(const Mat& c0, const Mat& p, const Mat& q, bool lanes) {
  Mat c(p.rows(), q.cols());
  for (Eigen::Index i = 0; i < p.rows(); ++i) {
    for (Eigen::Index j = 0; j < q.cols(); ++j) {
      if (lanes) {
        double even = 0.0, odd = 0.0;
        Eigen::Index t = 0;
        for (; t + 2 <= p.cols(); t += 2) {
          even += p(i, t) * q(t, j);
          odd += p(i, t + 1) * q(t + 1, j);
        }
        double sum = even + odd;
        if (t < p.cols()) sum += p(i, t) * q(t, j);
        c(i, j) = c0(i, j) + sum;
      } else {
        double sum = c0(i, j);
        for (Eigen::Index t = 0; t < p.cols(); ++t) sum += p(i, t) * q(t, j);
        c(i, j) = sum;
      }
    }
  }
  return c;
}

}  // namespace

TEST_CASE("matrix products sum in the promised order for every shape") {
  optim::Rng rng(7);
  for (const Eigen::Index m : {1, 2, 3, 7, 8, 9, 10, 17, 32}) {
    for (const Eigen::Index n : {1, 2, 3, 5, 32}) {
      for (const Eigen::Index k : {0, 1, 2, 3, 32, 401}) {
        CAPTURE(m);
        CAPTURE(n);
        CAPTURE(k);
        const Mat p = random_mat(m, k, rng);
        const Mat q = random_mat(k, n, rng);
        const Mat qt = q.transpose();
        const Mat c0 = random_mat(m, n, rng);
        const Mat zero = Mat::Zero(m, n);
        // Entries that are dot products of two contiguous vectors sum in
        // two lanes: p q with one row, and p q' with one row and one
        // column (p q' with one row and more columns is computed as q p').
        const bool lanes = m == 1;
        const bool lanes_t = m == 1 && n == 1;
        Mat c = Mat::Constant(m, n, 99.0);
        optim::multiply(c, p, q);
        CHECK(c == reference(zero, p, q, lanes));
        c = c0;
        optim::multiply(c, p, q, /*accumulate=*/true);
        CHECK(c == reference(c0, p, q, lanes));
        c.setConstant(99.0);
        optim::multiply_transposed(c, p, qt);
        CHECK(c == reference(zero, p, q, lanes_t));
        c = c0;
        optim::multiply_transposed(c, p, qt, /*accumulate=*/true);
        CHECK(c == reference(c0, p, q, lanes_t));
      }
    }
  }
}

TEST_CASE("matrix products read and write strided blocks, nothing else") {
  optim::Rng rng(8);
  const Mat big_p = random_mat(20, 50, rng);
  const Mat big_q = random_mat(60, 30, rng);
  const Mat big_c = random_mat(25, 40, rng);
  for (const Eigen::Index m : {1, 9}) {
    CAPTURE(m);
    // p: m x 45 at (3, 2) of a 20 x 50 matrix; q: 45 x 7 at (10, 4).
    const auto p = big_p.block(3, 2, m, 45);
    const auto q = big_q.block(10, 4, 45, 7);
    Mat c = big_c;
    optim::multiply(c.block(5, 6, m, 7), p, q, /*accumulate=*/true);
    // A row taken out of a matrix is strided: the plain order applies.
    const Mat expected = reference(big_c.block(5, 6, m, 7), p, q, false);
    CHECK(c.block(5, 6, m, 7) == expected);
    Mat outside = c;
    outside.block(5, 6, m, 7) = big_c.block(5, 6, m, 7);
    CHECK(outside == big_c);

    // p q' with q' = 7 x 45 at (1, 1) of a 30 x 60 matrix.
    const Mat big_qt = big_q.transpose();
    c = big_c;
    optim::multiply_transposed(c.block(5, 6, m, 7), p,
                               big_qt.block(4, 10, 7, 45));
    CHECK(c.block(5, 6, m, 7) == reference(Mat::Zero(m, 7), p, q, false));
    outside = c;
    outside.block(5, 6, m, 7) = big_c.block(5, 6, m, 7);
    CHECK(outside == big_c);
  }
}

TEST_CASE("matrix products reject operands whose sizes do not match") {
  Mat c(3, 4);
  const Mat p = Mat::Ones(3, 5);
  CHECK_THROWS_AS(optim::multiply(c, p, Mat::Ones(6, 4)),
                  std::invalid_argument);
  CHECK_THROWS_AS(optim::multiply(c, p, Mat::Ones(5, 3)),
                  std::invalid_argument);
  CHECK_THROWS_AS(optim::multiply_transposed(c, p, Mat::Ones(5, 4)),
                  std::invalid_argument);
  Mat short_c(2, 4);
  CHECK_THROWS_AS(optim::multiply_transposed(short_c, p, Mat::Ones(4, 5)),
                  std::invalid_argument);
  CHECK_NOTHROW(optim::multiply_transposed(c, p, Mat::Ones(4, 5)));
}
