// SPDX-License-Identifier: MIT
// Shared numeric types: parameters are one flat Eigen vector of any length.
#pragma once

#include <Eigen/Core>

namespace optim {

using Vec = Eigen::VectorXd;
using Mat = Eigen::MatrixXd;

}  // namespace optim
