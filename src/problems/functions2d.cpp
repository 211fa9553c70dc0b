// SPDX-License-Identifier: MIT
// The classic 2-D test functions with hand-derived gradients and Hessians.
#include "problems/functions2d.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <utility>

#include "problems/expression.hpp"

namespace optim {

void Function2D::grid_values(const double* xs, int w, const double* ys, int h,
                             float* out) const {
  for (int j = 0; j < h; ++j) {
    float* row = out + static_cast<std::size_t>(j) * w;
    for (int i = 0; i < w; ++i)
      row[i] = static_cast<float>(value(xs[i], ys[j]));
  }
}

namespace {

constexpr double kPi = 3.14159265358979323846;

// value_gradient() and value_gradient_at() of a function that states its
// gradient and its value apart: the two called directly, one virtual call
// where the defaults make three (value_gradient, then gradient and value).
// Whole runs call one of them at every iterate. The same numbers as
// gradient() and value(). Functions that share subexpressions between the
// two override value_gradient() again.
template <class Derived>
class Fused : public Function2D {
 public:
  double value_gradient(double x, double y, double g[2]) const override {
    const Derived& f = static_cast<const Derived&>(*this);
    const Eigen::Vector2d d = f.Derived::gradient(x, y);
    store_packed(g, d[0], d[1]);
    return f.Derived::value(x, y);
  }
  double value_gradient_at(double x, double y, double px, double py,
                           double g[2]) const override {
    const Derived& f = static_cast<const Derived&>(*this);
    const Eigen::Vector2d d = f.Derived::gradient(px, py);
    store_packed(g, d[0], d[1]);
    return f.Derived::value(x, y);
  }
};

// A function whose value is combine(column(x), row(y)), with column() and
// row() the parts of the expression that depend on x or on y alone. value()
// and grid_values() both come from these three, so a grid computes each
// column's and row's part once and its inner loop (no calls) vectorizes:
// the same numbers as value() per node, with less work.
template <class Derived>
class Separable : public Fused<Derived> {
 public:
  double value(double x, double y) const final {
    const Derived& f = static_cast<const Derived&>(*this);
    return f.combine(f.column(x), f.row(y));
  }
  void grid_values(const double* xs, int w, const double* ys, int h,
                   float* out) const final {
    const Derived& f = static_cast<const Derived&>(*this);
    std::vector<decltype(f.column(0.0))> columns(w);
    for (int i = 0; i < w; ++i) columns[i] = f.column(xs[i]);
    for (int j = 0; j < h; ++j) {
      const auto r = f.row(ys[j]);
      float* row = out + static_cast<std::size_t>(j) * w;
      for (int i = 0; i < w; ++i) {
        row[i] = static_cast<float>(f.combine(columns[i], r));
      }
    }
  }
};

Eigen::Matrix2d symmetric(double hxx, double hxy, double hyy) {
  Eigen::Matrix2d h;
  h << hxx, hxy, hxy, hyy;
  return h;
}

// f = (a u^2 + b v^2) / 2 with (u, v) = R(angle) (x, y):
// u = c x + s y, v = -s x + c y, c = cos(angle), s = sin(angle).
// grad = R^T diag(a, b) (u, v) = (a u c - b v s, a u s + b v c),
// H = R^T diag(a, b) R = [[a c^2 + b s^2, (a - b) c s], [., a s^2 + b c^2]].
class Quadratic : public Function2D {
 public:
  Quadratic(double a, double b, double angle_degrees)
      : a_(a), b_(b), rotated_(angle_degrees != 0.0) {
    // cos and sin once, here. The angles whose rotation is exact in binary
    // get exact c and s (cos(pi/2) would be 6e-17, not 0).
    if (angle_degrees == 90.0 || angle_degrees == -90.0) {
      c_ = 0.0;
      s_ = angle_degrees > 0.0 ? 1.0 : -1.0;
    } else {
      const double t = angle_degrees * kPi / 180.0;
      c_ = std::cos(t);
      s_ = std::sin(t);
    }
  }
  // Angle 0 keeps the axis-aligned formulas: the same floating-point
  // operations as before rotation existed, so results stay bit-identical
  // (the golden conformance data depends on it).
  double value(double x, double y) const override {
    if (!rotated_) return 0.5 * (a_ * x * x + b_ * y * y);
    const double u = c_ * x + s_ * y, v = c_ * y - s_ * x;
    return 0.5 * (a_ * u * u + b_ * v * v);
  }
  Eigen::Vector2d gradient(double x, double y) const override {
    if (!rotated_) return packed(a_ * x, b_ * y);
    const double au = a_ * (c_ * x + s_ * y), bv = b_ * (c_ * y - s_ * x);
    return packed(c_ * au - s_ * bv, s_ * au + c_ * bv);
  }
  double value_gradient(double x, double y, double g[2]) const override {
    if (!rotated_) {
      store_packed(g, a_ * x, b_ * y);
      return 0.5 * (a_ * x * x + b_ * y * y);
    }
    const double u = c_ * x + s_ * y, v = c_ * y - s_ * x;
    const double au = a_ * u, bv = b_ * v;
    store_packed(g, c_ * au - s_ * bv, s_ * au + c_ * bv);
    return 0.5 * (a_ * u * u + b_ * v * v);
  }
  Eigen::Matrix2d hessian(double, double) const override {
    if (!rotated_) return symmetric(a_, 0.0, b_);
    return symmetric(a_ * c_ * c_ + b_ * s_ * s_, (a_ - b_) * c_ * s_,
                     a_ * s_ * s_ + b_ * c_ * c_);
  }
  Box domain() const override { return {-5.0, 5.0, -5.0, 5.0}; }
  // Off both axes, so the two curvatures act at once and the zig-zag across
  // the stiff y direction shows.
  Eigen::Vector2d start() const override { return {-4.0, 2.0}; }
  std::vector<Minimum> minima() const override { return {{0.0, 0.0, 0.0}}; }

 private:
  double a_, b_;
  bool rotated_;
  double c_, s_;
};

// f = (a - x)^2 + b (y - x^2)^2, as u * u + b * v * v with u = a - x,
// v = y - x^2.
class Rosenbrock : public Separable<Rosenbrock> {
 public:
  Rosenbrock(double a, double b) : a_(a), b_(b) {}
  struct Column {
    double uu, xx;
  };
  Column column(double x) const {
    const double u = a_ - x;
    return {u * u, x * x};
  }
  double row(double y) const { return y; }
  double combine(const Column& c, double y) const {
    const double v = y - c.xx;
    return c.uu + b_ * v * v;
  }
  Eigen::Vector2d gradient(double x, double y) const override {
    const double v = y - x * x;
    return packed(-2.0 * (a_ - x) - 4.0 * b_ * x * v, 2.0 * b_ * v);
  }
  double value_gradient(double x, double y, double g[2]) const override {
    const double u = a_ - x, v = y - x * x;
    store_packed(g, -2.0 * u - 4.0 * b_ * x * v, 2.0 * b_ * v);
    return u * u + b_ * v * v;
  }
  Eigen::Matrix2d hessian(double x, double y) const override {
    return symmetric(2.0 - 4.0 * b_ * y + 12.0 * b_ * x * x, -4.0 * b_ * x,
                     2.0 * b_);
  }
  // The classic box, widened when a moves the minimum (a, a^2) out of it.
  Box domain() const override {
    return {std::min(-2.0, a_ - 1.0), std::max(2.0, a_ + 1.0),
            std::min(-1.0, a_ * a_ - 1.0), std::max(3.0, a_ * a_ + 1.0)};
  }
  Eigen::Vector2d start() const override { return {-1.2, 1.0}; }
  std::vector<Minimum> minima() const override { return {{a_, a_ * a_, 0.0}}; }

 private:
  double a_, b_;
};

// f = sum_i t_i^2 with t_i = c_i - x + x y^i, i = 1, 2, 3.
class Beale : public Fused<Beale> {
 public:
  double value(double x, double y) const override {
    const Powers p = powers(y);
    double f = 0.0;
    for (int i = 1; i <= 3; ++i) {
      const double t = kC[i - 1] - x + x * p[i];
      f += t * t;
    }
    return f;
  }
  // grad t_i = (y^i - 1, i x y^(i-1)).
  Eigen::Vector2d gradient(double x, double y) const override {
    const Powers p = powers(y);
    Eigen::Vector2d g = Eigen::Vector2d::Zero();
    for (int i = 1; i <= 3; ++i) {
      const double t = kC[i - 1] - x + x * p[i];
      g += 2.0 * t * Eigen::Vector2d(p[i] - 1.0, i * x * p[i - 1]);
    }
    return g;
  }
  // H = sum_i 2 (grad t_i grad t_i^T + t_i hess t_i), where hess t_i has
  // xx = 0, xy = i y^(i-1), yy = i (i-1) x y^(i-2).
  Eigen::Matrix2d hessian(double x, double y) const override {
    const Powers p = powers(y);
    Eigen::Matrix2d h = Eigen::Matrix2d::Zero();
    for (int i = 1; i <= 3; ++i) {
      const double t = kC[i - 1] - x + x * p[i];
      const Eigen::Vector2d dt(p[i] - 1.0, i * x * p[i - 1]);
      const double tyy = i >= 2 ? i * (i - 1) * x * p[i - 2] : 0.0;
      h += 2.0 * (dt * dt.transpose() + t * symmetric(0.0, i * p[i - 1], tyy));
    }
    return h;
  }
  Box domain() const override { return {-4.5, 4.5, -4.5, 4.5}; }
  // On the plateau left of the curved valley that leads to (3, 0.5).
  Eigen::Vector2d start() const override { return {1.0, 1.5}; }
  std::vector<Minimum> minima() const override { return {{3.0, 0.5, 0.0}}; }

 private:
  static constexpr double kC[3] = {1.5, 2.25, 2.625};
  using Powers = std::array<double, 4>;  // y^0 .. y^3
  static Powers powers(double y) { return {1.0, y, y * y, y * y * y}; }
};

// f = u^2 + v^2 with u = x^2 + y - 11, v = x + y^2 - 7.
class Himmelblau : public Separable<Himmelblau> {
 public:
  struct Part {
    double t, tt;  // the coordinate and its square
  };
  Part column(double x) const { return {x, x * x}; }
  Part row(double y) const { return {y, y * y}; }
  double combine(const Part& x, const Part& y) const {
    const double u = x.tt + y.t - 11.0, v = x.t + y.tt - 7.0;
    return u * u + v * v;
  }
  Eigen::Vector2d gradient(double x, double y) const override {
    const double u = x * x + y - 11.0, v = x + y * y - 7.0;
    return packed(4.0 * x * u + 2.0 * v, 2.0 * u + 4.0 * y * v);
  }
  double value_gradient(double x, double y, double g[2]) const override {
    const double u = x * x + y - 11.0, v = x + y * y - 7.0;
    store_packed(g, 4.0 * x * u + 2.0 * v, 2.0 * u + 4.0 * y * v);
    return u * u + v * v;
  }
  Eigen::Matrix2d hessian(double x, double y) const override {
    const double u = x * x + y - 11.0, v = x + y * y - 7.0;
    return symmetric(4.0 * u + 8.0 * x * x + 2.0, 4.0 * (x + y),
                     4.0 * v + 8.0 * y * y + 2.0);
  }
  Box domain() const override { return {-5.0, 5.0, -5.0, 5.0}; }
  // Between the four basins, about one unit from the local maximum at
  // (-0.27, -0.92): the first steps decide which minimum a method reaches.
  Eigen::Vector2d start() const override { return {0.0, 0.0}; }
  std::vector<Minimum> minima() const override {
    return {{3.0, 2.0, 0.0},
            {-2.8051180870, 3.1313125183, 0.0},
            {-3.7793102534, -3.2831859913, 0.0},
            {3.5844283403, -1.8481265270, 0.0}};
  }
};

// f = x^2 - y^2: unbounded below, saddle point at the origin.
class Saddle : public Fused<Saddle> {
 public:
  double value(double x, double y) const override { return x * x - y * y; }
  Eigen::Vector2d gradient(double x, double y) const override {
    return packed(2.0 * x, -2.0 * y);
  }
  Eigen::Matrix2d hessian(double, double) const override {
    return symmetric(2.0, 0.0, -2.0);
  }
  Box domain() const override { return {-2.0, 2.0, -2.0, 2.0}; }
  // Barely off the attracting x axis: how fast a method leaves the saddle
  // along y is the point of this surface (exactly on the axis it never does).
  Eigen::Vector2d start() const override { return {1.5, 0.01}; }
  std::vector<Minimum> minima() const override { return {}; }
};

// f = 2A + sum_i (x_i^2 - A cos(2 pi x_i)), evaluated left to right:
// 2A + x^2 - A cos(2 pi x) + y^2 - A cos(2 pi y). Its two cosines per value
// dominate a grid's time, which computes each once per column and row.
class Rastrigin : public Separable<Rastrigin> {
 public:
  explicit Rastrigin(double a) : a_(a) {}
  double column(double x) const {
    return 2.0 * a_ + x * x - a_ * std::cos(2.0 * kPi * x);
  }
  struct Row {
    double yy, cy;  // y^2 and A cos(2 pi y)
  };
  Row row(double y) const { return {y * y, a_ * std::cos(2.0 * kPi * y)}; }
  double combine(double column, const Row& r) const {
    return column + r.yy - r.cy;
  }
  Eigen::Vector2d gradient(double x, double y) const override {
    return packed(2.0 * x + 2.0 * kPi * a_ * std::sin(2.0 * kPi * x),
                  2.0 * y + 2.0 * kPi * a_ * std::sin(2.0 * kPi * y));
  }
  Eigen::Matrix2d hessian(double x, double y) const override {
    const double k = 4.0 * kPi * kPi * a_;
    return symmetric(2.0 + k * std::cos(2.0 * kPi * x), 0.0,
                     2.0 + k * std::cos(2.0 * kPi * y));
  }
  Box domain() const override { return {-5.12, 5.12, -5.12, 5.12}; }
  // A few local minima away from the origin, on a slope of a bump.
  Eigen::Vector2d start() const override { return {2.3, -1.7}; }
  std::vector<Minimum> minima() const override { return {{0.0, 0.0, 0.0}}; }

 private:
  double a_;
};

// f = -a exp(-b r) - exp((cos cx + cos cy) / 2) + a + e, r = sqrt((x^2+y^2)/2).
class Ackley : public Fused<Ackley> {
 public:
  Ackley(double a, double b, double c) : a_(a), b_(b), c_(c) {}

  // Written as -a expm1(-b r) - e expm1(-s), s = sin^2(cx/2) + sin^2(cy/2)
  // (from cos t = 1 - 2 sin^2(t/2)): the textbook form cancels a + e against
  // two terms of the same size and leaves rounding noise, even negative
  // values, near the minimum, where the heat map and the loss curves look.
  double value(double x, double y) const override {
    const double sx = std::sin(0.5 * c_ * x), sy = std::sin(0.5 * c_ * y);
    return -a_ * std::expm1(-b_ * radius(x, y)) -
           std::exp(1.0) * std::expm1(-(sx * sx + sy * sy));
  }

  // Radial term: grad = k (x, y) with k = a b e^(-br) / (2r), since
  // dr/dx = x / (2r). Cosine term: d/dx = (c/2) E sin(cx) with
  // E = exp((cos cx + cos cy) / 2).
  Eigen::Vector2d gradient(double x, double y) const override {
    const double e = cosine_exp(x, y);
    Eigen::Vector2d g(0.5 * c_ * e * std::sin(c_ * x),
                      0.5 * c_ * e * std::sin(c_ * y));
    const double r = radius(x, y);
    // The cone has a kink at the origin: its one-sided slopes have norm
    // a b / sqrt(2) in every direction. 0 is the symmetric subgradient and
    // keeps an optimizer that reaches the minimum there.
    if (r > 0.0) {
      const double k = a_ * b_ * std::exp(-b_ * r);
      g += k * Eigen::Vector2d(x / (2.0 * r), y / (2.0 * r));
    }
    return g;
  }

  // Radial term: with u = (x, y) / (2r) (|u|^2 = 1/2),
  // H = (a b e^(-br) / r) (I/2 - (b r + 1) u u^T). The 1/r factor is kept
  // outside the bounded bracket so that tiny r overflows only as a whole,
  // never as inf - inf. Cosine term: xx = (c^2/2) E (cos cx - sin^2(cx)/2),
  // xy = -(c^2/4) E sin(cx) sin(cy).
  Eigen::Matrix2d hessian(double x, double y) const override {
    const double e = cosine_exp(x, y);
    const double scx = std::sin(c_ * x), scy = std::sin(c_ * y);
    const double c2 = c_ * c_;
    Eigen::Matrix2d h =
        symmetric(0.5 * c2 * e * (std::cos(c_ * x) - 0.5 * scx * scx),
                  -0.25 * c2 * e * scx * scy,
                  0.5 * c2 * e * (std::cos(c_ * y) - 0.5 * scy * scy));
    const double r = radius(x, y);
    // The cone's curvature grows like 1/r and is infinite at the origin;
    // as for the gradient, its contribution there is defined as 0 so that
    // Newton-type consumers and sharpness measures get a finite matrix.
    if (r > 0.0) {
      const double s = a_ * b_ * std::exp(-b_ * r) / r;
      const Eigen::Vector2d u(x / (2.0 * r), y / (2.0 * r));
      h += s * (0.5 * Eigen::Matrix2d::Identity() -
                (b_ * r + 1.0) * u * u.transpose());
    }
    return h;
  }

  Box domain() const override { return {-5.0, 5.0, -5.0, 5.0}; }
  // In the bumpy region just outside the central funnel.
  Eigen::Vector2d start() const override { return {1.5, -1.2}; }
  std::vector<Minimum> minima() const override { return {{0.0, 0.0, 0.0}}; }

 private:
  // hypot avoids the underflow of x^2 + y^2 for tiny x, y, so r == 0 exactly
  // at the origin and only there.
  static double radius(double x, double y) {
    return std::hypot(x, y) / std::sqrt(2.0);
  }
  double cosine_exp(double x, double y) const {
    return std::exp(0.5 * (std::cos(c_ * x) + std::cos(c_ * y)));
  }
  double a_, b_, c_;
};

// f = (1/2) sum_i (x_i^4 - 16 x_i^2 + 5 x_i).
class StyblinskiTang : public Fused<StyblinskiTang> {
 public:
  double value(double x, double y) const override {
    return 0.5 * (term(x) + term(y));
  }
  Eigen::Vector2d gradient(double x, double y) const override {
    return packed(2.0 * x * x * x - 16.0 * x + 2.5,
                  2.0 * y * y * y - 16.0 * y + 2.5);
  }
  Eigen::Matrix2d hessian(double x, double y) const override {
    return symmetric(6.0 * x * x - 16.0, 0.0, 6.0 * y * y - 16.0);
  }
  Box domain() const override { return {-5.0, 5.0, -5.0, 5.0}; }
  // Between the basins: descent ends in the local minimum near (2.75, -2.90),
  // not in the global one at (-2.90, -2.90).
  Eigen::Vector2d start() const override { return {0.5, -0.5}; }
  std::vector<Minimum> minima() const override {
    return {{-2.9035340278, -2.9035340278, -78.3323314075}};
  }

 private:
  static double term(double t) {
    const double t2 = t * t;
    return t2 * t2 - 16.0 * t2 + 5.0 * t;
  }
};

// f = u^2 + v^2 with u = x + 2y - 7, v = 2x + y - 5.
class Booth : public Fused<Booth> {
 public:
  double value(double x, double y) const override {
    const double u = x + 2.0 * y - 7.0, v = 2.0 * x + y - 5.0;
    return u * u + v * v;
  }
  Eigen::Vector2d gradient(double x, double y) const override {
    const double u = x + 2.0 * y - 7.0, v = 2.0 * x + y - 5.0;
    return packed(2.0 * u + 4.0 * v, 4.0 * u + 2.0 * v);
  }
  Eigen::Matrix2d hessian(double, double) const override {
    return symmetric(10.0, 8.0, 10.0);
  }
  Box domain() const override { return {-10.0, 10.0, -10.0, 10.0}; }
  // Offset from (1, 3) along both eigenvectors, (1, 1) and (1, -1), so the
  // condition number 9 shows.
  Eigen::Vector2d start() const override { return {-5.0, 5.0}; }
  std::vector<Minimum> minima() const override { return {{1.0, 3.0, 0.0}}; }
};

// f = (4 - 2.1 x^2 + x^4/3) x^2 + x y + (-4 + 4 y^2) y^2.
class SixHumpCamel : public Fused<SixHumpCamel> {
 public:
  double value(double x, double y) const override {
    const double x2 = x * x, y2 = y * y;
    return (4.0 - 2.1 * x2 + x2 * x2 / 3.0) * x2 + x * y +
           (-4.0 + 4.0 * y2) * y2;
  }
  Eigen::Vector2d gradient(double x, double y) const override {
    const double x2 = x * x;
    return packed(8.0 * x - 8.4 * x2 * x + 2.0 * x2 * x2 * x + y,
                  x - 8.0 * y + 16.0 * y * y * y);
  }
  Eigen::Matrix2d hessian(double x, double y) const override {
    const double x2 = x * x;
    return symmetric(8.0 - 25.2 * x2 + 10.0 * x2 * x2, 1.0,
                     -8.0 + 48.0 * y * y);
  }
  Box domain() const override { return {-3.0, 3.0, -2.0, 2.0}; }
  // Upper left among the humps, away from both global minima.
  Eigen::Vector2d start() const override { return {-1.5, 1.0}; }
  std::vector<Minimum> minima() const override {
    return {{0.0898420131, -0.7126564030, -1.0316284535},
            {-0.0898420131, 0.7126564030, -1.0316284535}};
  }
};

// f = A B with A = 1 + a^2 P, a = x + y + 1, B = 30 + b^2 Q, b = 2x - 3y,
// P = 19 - 14x + 3x^2 - 14y + 6xy + 3y^2,
// Q = 18 - 32x + 12x^2 + 48y - 36xy + 27y^2.
class GoldsteinPrice : public Fused<GoldsteinPrice> {
 public:
  double value(double x, double y) const override {
    const Parts p = parts(x, y);
    return p.A * p.B;
  }
  Eigen::Vector2d gradient(double x, double y) const override {
    const Parts p = parts(x, y);
    return packed(p.Ax * p.B + p.A * p.Bx, p.Ax * p.B + p.A * p.By);
  }
  // A depends on x and y only through a = x + y + 1 and P (whose x and y
  // derivatives agree), so A_x = A_y and all its second derivatives are
  // 2P + 4a P_x + 6a^2. B_xx = 8Q + 8b Q_x + 24b^2,
  // B_xy = -12Q + 4b Q_y - 6b Q_x - 36b^2, B_yy = 18Q - 12b Q_y + 54b^2.
  Eigen::Matrix2d hessian(double x, double y) const override {
    const Parts p = parts(x, y);
    const double A2 = 2.0 * p.P + 4.0 * p.a * p.Px + 6.0 * p.a * p.a;
    const double Bxx = 8.0 * p.Q + 8.0 * p.b * p.Qx + 24.0 * p.b * p.b;
    const double Bxy =
        -12.0 * p.Q + 4.0 * p.b * p.Qy - 6.0 * p.b * p.Qx - 36.0 * p.b * p.b;
    const double Byy = 18.0 * p.Q - 12.0 * p.b * p.Qy + 54.0 * p.b * p.b;
    return symmetric(A2 * p.B + 2.0 * p.Ax * p.Bx + p.A * Bxx,
                     A2 * p.B + p.Ax * p.By + p.Ax * p.Bx + p.A * Bxy,
                     A2 * p.B + 2.0 * p.Ax * p.By + p.A * Byy);
  }
  Box domain() const override { return {-2.0, 2.0, -2.0, 2.0}; }
  // High up (f ~ 1e4): the descent crosses several orders of magnitude, so a
  // fixed step size is too large there or too small near the minima.
  Eigen::Vector2d start() const override { return {-0.5, 0.5}; }
  std::vector<Minimum> minima() const override { return {{0.0, -1.0, 3.0}}; }

 private:
  struct Parts {
    double a, P, Px, A, Ax;
    double b, Q, Qx, Qy, B, Bx, By;
  };
  static Parts parts(double x, double y) {
    Parts p;
    p.a = x + y + 1.0;
    p.P = 19.0 - 14.0 * x + 3.0 * x * x - 14.0 * y + 6.0 * x * y + 3.0 * y * y;
    p.Px = -14.0 + 6.0 * x + 6.0 * y;  // = P_y
    p.A = 1.0 + p.a * p.a * p.P;
    p.Ax = 2.0 * p.a * p.P + p.a * p.a * p.Px;  // = A_y
    p.b = 2.0 * x - 3.0 * y;
    p.Q =
        18.0 - 32.0 * x + 12.0 * x * x + 48.0 * y - 36.0 * x * y + 27.0 * y * y;
    p.Qx = -32.0 + 24.0 * x - 36.0 * y;
    p.Qy = 48.0 - 36.0 * x + 54.0 * y;
    p.B = 30.0 + p.b * p.b * p.Q;
    p.Bx = 4.0 * p.b * p.Q + p.b * p.b * p.Qx;
    p.By = -6.0 * p.b * p.Q + p.b * p.b * p.Qy;
    return p;
  }
};

// f = -Ds G_s - Df G_f + (c/2)(u^2 + v^2) in shifted coordinates
// (u, v) = (x - shift_x, y - shift_y), with the Gaussian wells
// G_k = exp(-|p_k|^2 / (2 w_k^2)), p_k = (u - centre_k, v), the sharp centre at
// -distance/2 and the flat one at +distance/2 (Keskar et al. 2017, Fig. 1: the
// test surface is the same function shifted). Per well,
// grad(-D G) = (D G / w^2) p and hess(-D G) = (D G / w^2) (I - p p^T / w^2);
// the confinement adds c (u, v) and c I.
class TwinBasin : public Function2D {
 public:
  TwinBasin(double distance, double sharp_width, double flat_width,
            double sharp_depth, double flat_depth, double confinement,
            double shift_x, double shift_y)
      : half_(0.5 * distance),
        ws_(sharp_width),
        wf_(flat_width),
        ds_(sharp_depth),
        df_(flat_depth),
        c_(confinement),
        sx_(shift_x),
        sy_(shift_y),
        ws2_(ws_ * ws_),
        wf2_(wf_ * wf_),
        two_ws2_(2.0 * ws_ * ws_),
        two_wf2_(2.0 * wf_ * wf_) {
    // Newton's method from each well's centre, in unshifted coordinates.
    for (double centre : {-half_, half_}) {
      const Eigen::Vector2d m = newton(Eigen::Vector2d(centre, 0.0));
      bool duplicate = false;
      for (const Minimum& other : minima_) {
        duplicate = duplicate || (std::fabs(other.x - sx_ - m.x()) <= 1e-9 &&
                                  std::fabs(other.y - sy_ - m.y()) <= 1e-9);
      }
      if (!duplicate) {
        minima_.push_back({m.x() + sx_, m.y() + sy_, local_value(m)});
      }
    }
  }
  double value(double x, double y) const override {
    return local_value({x - sx_, y - sy_});
  }
  Eigen::Vector2d gradient(double x, double y) const override {
    return local_gradient({x - sx_, y - sy_});
  }
  // local_value and local_gradient with each well's exponential computed
  // once, written out per coordinate: the same operations in the same order
  // as well(), local_value and local_gradient (|p|^2 = p_x^2 + p_y^2).
  double value_gradient(double x, double y, double g[2]) const override {
    const double qx = x - sx_, qy = y - sy_;
    const double sharp_x = qx + half_, flat_x = qx - half_;
    const double gs = std::exp(-(sharp_x * sharp_x + qy * qy) / two_ws2_);
    const double gf = std::exp(-(flat_x * flat_x + qy * qy) / two_wf2_);
    const double ks = ds_ * gs / ws2_, kf = df_ * gf / wf2_;
    store_packed(g, ks * sharp_x + kf * flat_x + c_ * qx,
                 ks * qy + kf * qy + c_ * qy);
    return ds_ + df_ - ds_ * gs - df_ * gf + 0.5 * c_ * (qx * qx + qy * qy);
  }
  Eigen::Matrix2d hessian(double x, double y) const override {
    return local_hessian({x - sx_, y - sy_});
  }
  // Three flat widths (and one unit) beyond both centres; y as wide as the
  // wider well needs.
  Box domain() const override {
    const double w = 3.0 * std::max(ws_, wf_) + 1.0;
    return {sx_ - half_ - w, sx_ + half_ + w, sy_ - w, sy_ + w};
  }
  // Between the basins and off the axis.
  Eigen::Vector2d start() const override { return {sx_, sy_ + 1.5}; }
  // The minima of the two basins, sharp first: one is global, the other only
  // local (with equal depths they differ by the wells' overlap and the
  // confinement). One entry when the wells have merged into one basin.
  std::vector<Minimum> minima() const override { return minima_; }

 private:
  double well(const Eigen::Vector2d& p, double w) const {
    return std::exp(-p.squaredNorm() / (2.0 * w * w));
  }
  Eigen::Vector2d sharp(const Eigen::Vector2d& q) const {
    return {q.x() + half_, q.y()};
  }
  Eigen::Vector2d flat(const Eigen::Vector2d& q) const {
    return {q.x() - half_, q.y()};
  }
  // D_s + D_f lifts the surface to f >= 0, so that Keskar's
  // epsilon-sharpness (relative to 1 + f) has its intended meaning.
  double local_value(const Eigen::Vector2d& q) const {
    return ds_ + df_ - ds_ * well(sharp(q), ws_) - df_ * well(flat(q), wf_) +
           0.5 * c_ * q.squaredNorm();
  }
  Eigen::Vector2d local_gradient(const Eigen::Vector2d& q) const {
    const Eigen::Vector2d ps = sharp(q), pf = flat(q);
    return ds_ * well(ps, ws_) / (ws_ * ws_) * ps +
           df_ * well(pf, wf_) / (wf_ * wf_) * pf + c_ * q;
  }
  Eigen::Matrix2d local_hessian(const Eigen::Vector2d& q) const {
    const Eigen::Vector2d ps = sharp(q), pf = flat(q);
    const Eigen::Matrix2d id = Eigen::Matrix2d::Identity();
    const Eigen::Matrix2d h = ds_ * well(ps, ws_) / (ws_ * ws_) *
                                  (id - ps * ps.transpose() / (ws_ * ws_)) +
                              df_ * well(pf, wf_) / (wf_ * wf_) *
                                  (id - pf * pf.transpose() / (wf_ * wf_)) +
                              c_ * id;
    return symmetric(h(0, 0), 0.5 * (h(0, 1) + h(1, 0)), h(1, 1));
  }
  // Newton steps safeguarded for any parameters: where the Hessian is not
  // positive definite, a gradient step; every step backtracked until f
  // decreases. Stops at |grad| < 1e-12 or when no step decreases f.
  Eigen::Vector2d newton(Eigen::Vector2d q) const {
    for (int i = 0; i < 200; ++i) {
      const Eigen::Vector2d g = local_gradient(q);
      if (g.norm() < 1e-12) break;
      const Eigen::Matrix2d h = local_hessian(q);
      Eigen::Vector2d d;
      const double det = h(0, 0) * h(1, 1) - h(0, 1) * h(0, 1);
      if (h(0, 0) > 0.0 && det > 0.0) {
        d = -Eigen::Vector2d(h(1, 1) * g.x() - h(0, 1) * g.y(),
                             h(0, 0) * g.y() - h(0, 1) * g.x()) /
            det;
      } else {
        d = -g * (ws_ * ws_ / ds_);
      }
      const double f = local_value(q);
      double t = 1.0;
      bool moved = false;
      for (int k = 0; k < 60 && !moved; ++k, t *= 0.5) {
        const Eigen::Vector2d next = q + t * d;
        // Near the minimum f stops resolving progress; accept a full
        // Newton step that shrinks the gradient instead.
        if (local_value(next) < f || (local_value(next) == f &&
                                      local_gradient(next).norm() < g.norm())) {
          q = next;
          moved = true;
        }
      }
      if (!moved) break;
    }
    return q;
  }

  double half_, ws_, wf_, ds_, df_, c_, sx_, sy_;
  // The wells' w^2 and 2 w^2, computed as the expressions above write them.
  double ws2_, wf2_, two_ws2_, two_wf2_;
  std::vector<Minimum> minima_;
};

// A user-typed f(x, y), differentiated exactly by forward-mode AD (see
// expression.hpp). Its minima are unknown.
class Custom : public Fused<Custom> {
 public:
  explicit Custom(const std::string& text) : expression_(text) {}
  double value(double x, double y) const override {
    return expression_.value(x, y);
  }
  Eigen::Vector2d gradient(double x, double y) const override {
    const HyperDual f = expression_.evaluate(x, y);
    return packed(f.dx, f.dy);
  }
  Eigen::Matrix2d hessian(double x, double y) const override {
    const HyperDual f = expression_.evaluate(x, y);
    return symmetric(f.dxx, f.dxy, f.dyy);
  }
  Box domain() const override { return {-5.0, 5.0, -5.0, 5.0}; }
  Eigen::Vector2d start() const override { return {-4.0, 3.0}; }
  std::vector<Minimum> minima() const override { return {}; }

 private:
  Expression expression_;
};

// Syntax errors as the parameter's ConfigError: "custom: unexpected ')' at
// column 7" for field "expression".
std::unique_ptr<Function2D> make_custom(const Params& p) {
  try {
    return std::make_unique<Custom>(p.text("expression"));
  } catch (const ExpressionError& e) {
    throw ConfigError("expression", std::string("custom: ") + e.what());
  }
}

template <class F>
std::unique_ptr<Function2D> no_params(const Params&) {
  return std::make_unique<F>();
}

const FunctionPage kLogColour{false};
const FunctionPage kLinearColour{true};

std::vector<FunctionInfo> make_table() {
  std::vector<FunctionInfo> t;
  t.push_back(
      {"quadratic",
       "Quadratic bowl",
       "\\tfrac{1}{2}\\left(a u^2 + b v^2\\right),\\ "
       "u = x\\cos\\theta + y\\sin\\theta,\\ "
       "v = y\\cos\\theta - x\\sin\\theta",
       "An elliptic bowl whose condition number b/a sets how much gradient "
       "descent zig-zags across the narrow direction; the angle turns its "
       "axes away from the coordinate axes, which per-coordinate methods "
       "(Adam, RMSProp) feel and plain gradient descent does not.",
       {log_scale(open_min(number_param("a", 1.0, 0.0, kInf,
                                        "Curvature along the first axis (x at "
                                        "angle 0).")),
                  0.1, 100.0),
        log_scale(open_min(number_param("b", 10.0, 0.0, kInf,
                                        "Curvature along the second axis (y at "
                                        "angle 0); b/a is the condition "
                                        "number.")),
                  0.1, 100.0),
        number_param("angle", 0.0, -90.0, 90.0,
                     "Rotation of the bowl's axes, in degrees "
                     "(counterclockwise).")},
       [](const Params& p) {
         return std::make_unique<Quadratic>(p.number("a"), p.number("b"),
                                            p.number("angle"));
       },
       kLogColour});
  t.push_back(
      {"rosenbrock",
       "Rosenbrock",
       "(a - x)^2 + b\\left(y - x^2\\right)^2",
       "A curved, flat-bottomed banana valley: reaching the valley is quick, "
       "following it to the minimum at (a, a^2) is slow.",
       {linear_scale(number_param("a", 1.0, -kInf, kInf,
                                  "Position of the minimum (a, a^2)."),
                     -2.0, 2.0),
        log_scale(open_min(number_param("b", 100.0, 0.0, kInf,
                                        "Steepness of the valley walls.")),
                  1.0, 1000.0)},
       [](const Params& p) {
         return std::make_unique<Rosenbrock>(p.number("a"), p.number("b"));
       },
       kLogColour});
  t.push_back({"beale",
               "Beale",
               "(1.5 - x + xy)^2 + (2.25 - x + xy^2)^2 + (2.625 - x + xy^3)^2",
               "Flat plateaus and steep ridges around a narrow curved valley "
               "to (3, 0.5): a step size that moves on the plateau overshoots "
               "at the ridges.",
               {},
               no_params<Beale>,
               kLogColour});
  t.push_back({"himmelblau",
               "Himmelblau",
               "(x^2 + y - 11)^2 + (x + y^2 - 7)^2",
               "Four global minima of equal depth: which one an optimizer "
               "reaches depends on the start and on its dynamics.",
               {},
               no_params<Himmelblau>,
               kLogColour});
  t.push_back({"saddle",
               "Saddle",
               "x^2 - y^2",
               "A saddle point at the origin and no minimum: methods differ in "
               "how quickly they escape from near the saddle along y.",
               {},
               no_params<Saddle>,
               kLinearColour});
  t.push_back(
      {"rastrigin",
       "Rastrigin",
       "2A + x^2 - A\\cos(2\\pi x) + y^2 - A\\cos(2\\pi y)",
       "A bowl covered by a regular grid of local minima whose depth A sets; "
       "gradient methods stop in a nearby one.",
       {linear_scale(
           number_param("A", 10.0, 0.0, kInf,
                        "Amplitude of the ripples (0: a plain bowl)."),
           0.0, 20.0)},
       [](const Params& p) {
         return std::make_unique<Rastrigin>(p.number("A"));
       },
       kLinearColour});
  t.push_back(
      {"ackley",
       "Ackley",
       "-a\\,e^{-b\\sqrt{(x^2+y^2)/2}} - e^{(\\cos cx + \\cos cy)/2} + a + e",
       "A nearly flat, bumpy outer region around a deep funnel whose tip at "
       "the origin is a kink.",
       {linear_scale(
            number_param("a", 20.0, 0.0, kInf, "Depth of the central funnel."),
            0.0, 40.0),
        log_scale(open_min(number_param("b", 0.2, 0.0, kInf,
                                        "Steepness of the funnel.")),
                  0.02, 2.0),
        linear_scale(
            number_param("c", 2.0 * kPi, 0.0, kInf, "Frequency of the bumps."),
            0.0, 4.0 * kPi)},
       [](const Params& p) {
         return std::make_unique<Ackley>(p.number("a"), p.number("b"),
                                         p.number("c"));
       },
       kLinearColour});
  t.push_back(
      {"styblinski_tang",
       "Styblinski\u2013Tang",
       "\\tfrac{1}{2}\\left(x^4 - 16x^2 + 5x + y^4 - 16y^2 + 5y\\right)",
       "Four basins of different depth; descent ends in the one it starts "
       "in, and only one holds the global minimum at (-2.90, -2.90).",
       {},
       no_params<StyblinskiTang>,
       kLinearColour});
  t.push_back({"booth",
               "Booth",
               "(x + 2y - 7)^2 + (2x + y - 5)^2",
               "A tilted convex quadratic valley with condition number 9 and "
               "its minimum at (1, 3).",
               {},
               no_params<Booth>,
               kLogColour});
  t.push_back({"six_hump_camel",
               "Six-hump camel",
               "\\left(4 - 2.1x^2 + \\tfrac{x^4}{3}\\right)x^2 + xy + "
               "\\left(-4 + 4y^2\\right)y^2",
               "Six local minima, two of them global and mirror images "
               "through the origin, separated by low ridges.",
               {},
               no_params<SixHumpCamel>,
               kLinearColour});
  t.push_back(
      {"goldstein_price",
       "Goldstein\u2013Price",
       "\\left[1 + (x+y+1)^2\\left(19 - 14x + 3x^2 - 14y + 6xy + "
       "3y^2\\right)\\right]\\left[30 + (2x-3y)^2\\left(18 - 32x + 12x^2 + "
       "48y - 36xy + 27y^2\\right)\\right]",
       "Values spanning six orders of magnitude and several local minima: a "
       "step size that is fine in one region diverges in another.",
       {},
       no_params<GoldsteinPrice>,
       kLogColour});
  t.push_back(
      {"twin_basin",
       "Sharp and flat minima",
       "D_s + D_f - D_s e^{-((u + d/2)^2 + v^2)/(2 w_s^2)} "
       "- D_f e^{-((u - d/2)^2 + v^2)/(2 w_f^2)} + \\tfrac{c}{2}(u^2 + v^2),\\ "
       "u = x - s_x,\\ v = y - s_y",
       "A sharp well (left) and a flat well (right), of equal depth by "
       "default, in a weak bowl that keeps runs from wandering off; f >= 0. "
       "A test "
       "surface is the same function shifted (Keskar et al. 2017, Fig. 1): "
       "the shift costs little loss at the flat minimum and much at the sharp "
       "one. The listed minima are the two basins' minima, sharp first: one "
       "is global, the other local.",
       {log_scale(open_min(number_param("distance", 4.0, 0.0, kInf,
                                        "Distance between the two centres.")),
                  0.5, 10.0),
        log_scale(open_min(number_param("sharp_width", 0.3, 0.0, kInf,
                                        "Width of the sharp well.")),
                  0.05, 3.0),
        log_scale(open_min(number_param("flat_width", 1.2, 0.0, kInf,
                                        "Width of the flat well.")),
                  0.05, 3.0),
        linear_scale(open_min(number_param("sharp_depth", 1.0, 0.0, kInf,
                                           "Depth of the sharp well.")),
                     0.1, 3.0),
        linear_scale(open_min(number_param("flat_depth", 1.0, 0.0, kInf,
                                           "Depth of the flat well.")),
                     0.1, 3.0),
        linear_scale(number_param("confinement", 0.02, 0.0, kInf,
                                  "Curvature of the bowl around both wells "
                                  "(0: none)."),
                     0.0, 0.2),
        linear_scale(number_param("shift_x", 0.0, -kInf, kInf,
                                  "Translation of the whole surface along x."),
                     -2.0, 2.0),
        linear_scale(number_param("shift_y", 0.0, -kInf, kInf,
                                  "Translation of the whole surface along y."),
                     -2.0, 2.0)},
       [](const Params& p) {
         return std::make_unique<TwinBasin>(
             p.number("distance"), p.number("sharp_width"),
             p.number("flat_width"), p.number("sharp_depth"),
             p.number("flat_depth"), p.number("confinement"),
             p.number("shift_x"), p.number("shift_y"));
       },
       kLinearColour});
  // The static formula is generic; the page shows the typed expression.
  t.push_back(
      {"custom",
       "Custom",
       "f(x, y)",
       "A function you type, with x, y, + - * / ^, parentheses, sin cos tan "
       "exp log sqrt abs tanh, pow(a, b), pi and e; its gradient and Hessian "
       "are exact (automatic differentiation, not finite differences).",
       {with_check(string_param("expression", "x^2 + 3*y^2 + sin(2*x)",
                                Expression::kMaxLength,
                                "f(x, y), e.g. (1-x)^2 + 100*(y-x^2)^2."),
                   [](const std::string& text) {
                     static_cast<void>(Expression(text));
                   })},
       make_custom,
       kLogColour});
  return t;
}

}  // namespace

const std::vector<FunctionInfo>& functions() {
  static const std::vector<FunctionInfo> table = make_table();
  return table;
}

const FunctionInfo& find_function(const std::string& name) {
  return find_by_name(functions(), name, "function");
}

std::unique_ptr<Function2D> make_function(const std::string& name,
                                          const json& params) {
  const FunctionInfo& info = find_function(name);
  return info.build(Params(normalize_params(name, info.params, params)));
}

json function_metadata(const FunctionInfo& info) {
  json params = json::array();
  for (const auto& p : info.params) params.push_back(p.to_json());
  const auto f =
      info.build(Params(normalize_params(info.name, info.params, nullptr)));
  const Box d = f->domain();
  const Eigen::Vector2d s = f->start();
  json minima = json::array();
  for (const Minimum& m : f->minima()) {
    minima.push_back({{"x", m.x}, {"y", m.y}, {"f", m.f}});
  }
  return {{"name", info.name},
          {"label", info.label},
          {"formula", info.formula},
          {"description", info.description},
          {"params", params},
          {"domain",
           {{"xmin", d.xmin},
            {"xmax", d.xmax},
            {"ymin", d.ymin},
            {"ymax", d.ymax}}},
          {"start", {s.x(), s.y()}},
          {"minima", minima},
          {"page", {{"colour", info.page.linear_colour ? "linear" : "log"}}}};
}

}  // namespace optim
