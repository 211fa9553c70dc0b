// SPDX-License-Identifier: MIT
// Matrix products of the tiny network's shapes (widths up to a few dozen,
// hundreds of points), by a register-blocked kernel of 2-lane SIMD vectors.
//
// Why not Eigen's product: for a 32 x 32 times 32 x 400 product Eigen packs
// both operands into blocks before multiplying, which at these sizes costs
// about as much as the arithmetic. In WebAssembly (V8) Eigen's product of
// these shapes ran at about 10 GFLOP/s and this kernel at 18 to 22, which
// made full-batch training steps about 1.4 times and Hessian-vector
// products about 1.7 times faster (npm run bench, workloads e and f). Each
// tile of 8 rows x 2 columns keeps its 8 sums in registers (16 of them on
// x86-64, which V8 also uses for wasm SIMD).
//
// Every entry is summed in one fixed order, so the results do not depend on
// the tiling: in order of the inner index, from zero or from the entry's old
// value (`accumulate`). An entry that is the dot product of two contiguous
// vectors (p q with one row, the output layer; p q' with one row and one
// column) sums the even and the odd inner indices apart and adds the two
// sums, then the old value.
#pragma once

#include "core/types.hpp"

namespace optim {

// c = p q, or c += p q with `accumulate`. c (m x n), p (m x k), q (k x n).
// c must not overlap p or q.
void multiply(Eigen::Ref<Mat> c, const Eigen::Ref<const Mat>& p,
              const Eigen::Ref<const Mat>& q, bool accumulate = false);

// c = p q', or c += p q' with `accumulate`. c (m x n), p (m x k), q (n x k).
void multiply_transposed(Eigen::Ref<Mat> c, const Eigen::Ref<const Mat>& p,
                         const Eigen::Ref<const Mat>& q,
                         bool accumulate = false);

}  // namespace optim
