// SPDX-License-Identifier: MIT
// The 2-D test functions of the playground, with exact gradient and Hessian,
// a natural plotting domain, a suggested start and the known global minima.
#pragma once

#include <Eigen/Core>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/params.hpp"

namespace optim {

struct Box {
  double xmin, xmax, ymin, ymax;
};

struct Minimum {
  double x, y, f;
};

// (a, b) written to out[0], out[1] with one 16-byte store, and a vector
// returned that way. The update loops read a gradient back as one 16-byte
// vector, and a load that spans two separate 8-byte stores cannot take its
// value from the processor's store buffer: it waits until both reach the
// cache, some ten cycles on every update. GCC writes such a pair as one store
// by itself; clang, and so the wasm build, writes two unless told.
inline void store_packed(double* out, double a, double b) {
  Eigen::Map<Eigen::Vector2d> whole(out);
  whole = Eigen::Vector2d(a, b);
}
inline Eigen::Vector2d packed(double a, double b) {
  Eigen::Vector2d out;
  store_packed(out.data(), a, b);
  return out;
}

class Function2D {
 public:
  virtual ~Function2D() = default;
  virtual double value(double x, double y) const = 0;
  virtual Eigen::Vector2d gradient(double x, double y) const = 0;
  // f and its gradient at one point: returns value(x, y) and stores
  // gradient(x, y) in grad[0], grad[1], bit for bit the same numbers. Whole
  // runs need both at every iterate; functions override it to evaluate their
  // shared subexpressions (Rosenbrock's y - x^2, twin_basin's exponentials)
  // once.
  virtual double value_gradient(double x, double y, double grad[2]) const {
    const Eigen::Vector2d g = gradient(x, y);
    store_packed(grad, g[0], g[1]);
    return value(x, y);
  }
  // value(x, y), with gradient(px, py) stored in grad[0], grad[1]: the
  // value at an iterate and the gradient at another point (NAG's look-ahead
  // point, for its next update), bit for bit the same numbers, in one call
  // where two would be made.
  virtual double value_gradient_at(double x, double y, double px, double py,
                                   double grad[2]) const {
    const Eigen::Vector2d g = gradient(px, py);
    store_packed(grad, g[0], g[1]);
    return value(x, y);
  }
  virtual Eigen::Matrix2d hessian(double x, double y) const = 0;
  // Values at the nodes of a grid: out[j * w + i] = value(xs[i], ys[j]) as a
  // float, bit for bit. Functions whose value splits into a part of x and a
  // part of y (Separable in functions2d.cpp) compute those once per column
  // and per row; the others call value() per node.
  virtual void grid_values(const double* xs, int w, const double* ys, int h,
                           float* out) const;
  // Natural plotting/search domain.
  virtual Box domain() const = 0;
  // A start point that shows the function's character (classic choice where
  // the literature has one, e.g. (-1.2, 1) for Rosenbrock).
  virtual Eigen::Vector2d start() const = 0;
  // Known minima: the global ones (twin_basin lists both basins' minima,
  // global first or not); empty when unknown or unbounded below.
  virtual std::vector<Minimum> minima() const = 0;
};

// How the playground page presents a function; nothing here changes a value.
struct FunctionPage {
  // The heat map's colours: log(1 + f - min) for values spanning decades,
  // linear for surfaces whose values span little (ripples, saddles).
  bool linear_colour = false;
};

struct FunctionInfo {
  std::string name;     // "rosenbrock"
  std::string label;    // "Rosenbrock"
  std::string formula;  // TeX, e.g. "(a-x)^2 + b(y-x^2)^2"
  std::string description;
  std::vector<ParamSpec> params;
  std::function<std::unique_ptr<Function2D>(const Params&)> build;
  FunctionPage page;
};

// Every function, in the order the page lists them.
const std::vector<FunctionInfo>& functions();

// Throws ConfigError("name", "unknown function 'foo' (known: ...)").
const FunctionInfo& find_function(const std::string& name);

// Validates `params` (object or null for defaults; errors are ConfigError with
// field = the parameter name) and builds the function.
std::unique_ptr<Function2D> make_function(const std::string& name,
                                          const json& params);

// {"name", "label", "formula", "description", "params": [ParamSpec...],
//  "domain": {...}, "start": [x, y], "minima": [{x, y, f}],
//  "page": {"colour": "log" | "linear"}} with domain, start and minima for
// the default parameters.
json function_metadata(const FunctionInfo& info);

}  // namespace optim
