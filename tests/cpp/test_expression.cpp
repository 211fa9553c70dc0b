// SPDX-License-Identifier: MIT
// Tests of user-typed expressions: grammar, exact derivatives, errors, and
// the "custom" function built on them.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "core/rng.hpp"
#include "problems/expression.hpp"
#include "problems/functions2d.hpp"
#include "run/config.hpp"

namespace {

using optim::ConfigError;
using optim::Expression;
using optim::ExpressionError;
using optim::HyperDual;
using optim::json;

constexpr double kPi = 3.14159265358979323846;

double eval(const std::string& text, double x = 0.0, double y = 0.0) {
  return Expression(text).value(x, y);
}

// Value, gradient and Hessian against expected numbers, relative 1e-14.
void check_derivatives(const std::string& text, double x, double y,
                       const HyperDual& want) {
  INFO(text << " at (" << x << ", " << y << ")");
  const HyperDual got = Expression(text).evaluate(x, y);
  const auto near = [](double a, double b) {
    return std::fabs(a - b) <= 1e-14 * std::max(1.0, std::fabs(b));
  };
  CHECK(near(got.v, want.v));
  CHECK(near(got.dx, want.dx));
  CHECK(near(got.dy, want.dy));
  CHECK(near(got.dxx, want.dxx));
  CHECK(near(got.dxy, want.dxy));
  CHECK(near(got.dyy, want.dyy));
}

// The message and column of the error an input raises.
ExpressionError parse_error(const std::string& text) {
  try {
    static_cast<void>(Expression(text));
  } catch (const ExpressionError& e) {
    return e;
  }
  FAIL("no ExpressionError for '" << text << "'");
  return ExpressionError("", 0);
}

bool same_double(double a, double b) {
  return a == b || (std::isnan(a) && std::isnan(b));
}

}  // namespace

TEST_CASE("expression: precedence and associativity") {
  CHECK(eval("2^3^2") == 512.0);  // 2^(3^2)
  CHECK(eval("(2^3)^2") == 64.0);
  CHECK(eval("-2^2") == -4.0);  // -(2^2)
  CHECK(eval("(-2)^2") == 4.0);
  CHECK(eval("1-2-3") == -4.0);
  CHECK(eval("8/4/2") == 1.0);
  CHECK(eval("2+3*4") == 14.0);
  CHECK(eval("2*3+4") == 10.0);
  CHECK(eval("(2+3)*4") == 20.0);
  CHECK(eval("2*3^2") == 18.0);
  CHECK(eval("2^-1") == 0.5);    // the exponent may carry a sign
  CHECK(eval("2^-1^2") == 0.5);  // 2^(-(1^2))
  CHECK(eval("-x^2", 3.0) == -9.0);
  CHECK(eval("--x", 3.0) == 3.0);
  CHECK(eval("+x", 3.0) == 3.0);
  CHECK(eval("x - -y", 3.0, 2.0) == 5.0);
  CHECK(eval("-x*y", 3.0, 2.0) == -6.0);
  CHECK(eval("x/y*2", 3.0, 2.0) == 3.0);
  CHECK(eval("x^y^2", 2.0, 2.0) == 16.0);
  CHECK(eval("pow(2, 3)^2") == 64.0);
}

TEST_CASE("expression: leaf operands on either side of + - * /") {
  // Constants, x and y are fused into the operation next to them (left
  // ones by swapping + and *, or by reversed - and /): same numbers.
  struct Row {
    std::string text;
    double (*f)(double, double);
    HyperDual (*d)(double, double);  // exact derivatives
  };
  const std::vector<Row> rows = {
      {"2 - x", [](double x, double) { return 2 - x; },
       [](double x, double) { return HyperDual{2 - x, -1, 0, 0, 0, 0}; }},
      {"x - 2", [](double x, double) { return x - 2; },
       [](double x, double) { return HyperDual{x - 2, 1, 0, 0, 0, 0}; }},
      {"3 / x", [](double x, double) { return 3 / x; },
       [](double x, double) {
         return HyperDual{3 / x, -3 / (x * x), 0, 6 / (x * x * x), 0, 0};
       }},
      {"x / 4", [](double x, double) { return x / 4; },
       [](double x, double) { return HyperDual{x / 4, 0.25, 0, 0, 0, 0}; }},
      {"y - x^2", [](double x, double y) { return y - x * x; },
       [](double x, double y) {
         return HyperDual{y - x * x, -2 * x, 1, -2, 0, 0};
       }},
      {"y / x^2", [](double x, double y) { return y / (x * x); },
       [](double x, double y) {
         const double x2 = x * x, x3 = x2 * x;
         return HyperDual{y / x2,           -2 * y / x3, 1 / x2,
                          6 * y / (x3 * x), -2 / x3,     0};
       }},
      {"x^2 / y", [](double x, double y) { return x * x / y; },
       [](double x, double y) {
         return HyperDual{x * x / y, 2 * x / y,        -x * x / (y * y),
                          2 / y,     -2 * x / (y * y), 2 * x * x / (y * y * y)};
       }},
      {"x^2 - y", [](double x, double y) { return x * x - y; },
       [](double x, double y) {
         return HyperDual{x * x - y, 2 * x, -1, 2, 0, 0};
       }},
      {"3 * x^2", [](double x, double) { return 3 * (x * x); },
       [](double x, double) {
         return HyperDual{3 * (x * x), 6 * x, 0, 6, 0, 0};
       }},
      {"x^2 + y", [](double x, double y) { return x * x + y; },
       [](double x, double y) {
         return HyperDual{x * x + y, 2 * x, 1, 2, 0, 0};
       }},
      {"y * x", [](double x, double y) { return y * x; },
       [](double x, double y) { return HyperDual{x * y, y, x, 0, 1, 0}; }},
      {"y - x", [](double x, double y) { return y - x; },
       [](double x, double y) { return HyperDual{y - x, -1, 1, 0, 0, 0}; }},
  };
  for (const Row& row : rows) {
    for (const auto& [x, y] : std::vector<std::pair<double, double>>{
             {1.5, -2.0}, {-0.3, 0.7}, {3.0, 5.0}}) {
      check_derivatives(row.text, x, y, row.d(x, y));
      CHECK(eval(row.text, x, y) == row.f(x, y));
    }
  }
}

TEST_CASE("expression: numbers, names and whitespace") {
  CHECK(eval("123") == 123.0);
  CHECK(eval("1.5") == 1.5);
  CHECK(eval(".5") == 0.5);
  CHECK(eval("1.") == 1.0);
  CHECK(eval("1e-3") == 1e-3);
  CHECK(eval("2.5E+4") == 2.5e4);
  CHECK(eval("2e3") == 2000.0);
  CHECK(eval("pi") == kPi);
  CHECK(eval("e") == std::exp(1.0));
  CHECK(eval("2*e") == 2.0 * std::exp(1.0));
  CHECK(eval(" \t x\n+\r\n y ", 1.0, 2.0) == 3.0);
  CHECK(eval("x", 0.25, 7.0) == 0.25);
  CHECK(eval("y", 0.25, 7.0) == 7.0);
}

TEST_CASE("expression: constants fold, leaf operands fuse") {
  CHECK(Expression("2*pi/3").size() == 1);
  CHECK(Expression("-(2^3)").size() == 1);
  CHECK(Expression("sin(pi/6)*x").size() == 2);  // x, times c
  CHECK(Expression("x^2").size() == 2);          // x, square
  CHECK(Expression("3*x").size() == 2);          // x, times 3
  CHECK(Expression("x*y + x - y").size() == 4);
  // Folding uses the evaluator's own arithmetic.
  CHECK(eval("sin(pi/6)") == std::sin(kPi / 6.0));
  CHECK(eval("x*(1/3)", 3.0) == 3.0 * (1.0 / 3.0));
}

TEST_CASE("expression: every function's value") {
  const double x = 0.7, y = -1.3;
  CHECK(eval("sin(x)", x) == std::sin(x));
  CHECK(eval("cos(x)", x) == std::cos(x));
  CHECK(eval("tan(x)", x) == std::tan(x));
  CHECK(eval("exp(y)", x, y) == std::exp(y));
  CHECK(eval("log(x)", x) == std::log(x));
  CHECK(eval("sqrt(x)", x) == std::sqrt(x));
  CHECK(eval("abs(y)", x, y) == 1.3);
  CHECK(eval("tanh(y)", x, y) == std::tanh(y));
  CHECK(eval("pow(x, y)", x, y) == std::pow(x, y));
  CHECK(eval("x^y", x, y) == std::pow(x, y));
  CHECK(eval("x^0.5", x) == std::pow(x, 0.5));
  CHECK(eval("sin(x)^2 + cos(x)^2", x) == doctest::Approx(1.0));
}

TEST_CASE("expression: hand-derived gradients and Hessians") {
  // f = x^2 y: f_x = 2xy, f_y = x^2, f_xx = 2y, f_xy = 2x, f_yy = 0.
  check_derivatives("x^2*y", 1.5, -2.0, {-4.5, -6.0, 2.25, -4.0, 3.0, 0.0});
  // f = sin(x) e^y: every y derivative keeps e^y.
  {
    const double x = 0.3, y = 0.4, s = std::sin(x) * std::exp(y),
                 c = std::cos(x) * std::exp(y);
    check_derivatives("sin(x)*exp(y)", x, y, {s, c, s, -s, c, s});
  }
  // f = x^y at (2, 3): f_x = y x^(y-1) = 12, f_y = x^y ln x = 8 ln 2,
  // f_xx = y (y-1) x^(y-2) = 12, f_xy = x^(y-1) (1 + y ln x) = 4 (1 + 3 ln 2),
  // f_yy = x^y ln^2 x = 8 ln^2 2.
  {
    const double l = std::log(2.0);
    const HyperDual want = {
        8.0, 12.0, 8.0 * l, 12.0, 4.0 * (1.0 + 3.0 * l), 8.0 * l * l};
    check_derivatives("pow(x, y)", 2.0, 3.0, want);
    check_derivatives("x^y", 2.0, 3.0, want);
  }
  // f = r = sqrt(x^2 + y^2 + 1) at (1, 2), r^2 = 6: f_x = x/r, f_y = y/r,
  // f_xx = (y^2 + 1)/r^3, f_xy = -xy/r^3, f_yy = (x^2 + 1)/r^3.
  {
    const double r = std::sqrt(6.0), r3 = r * r * r;
    check_derivatives("sqrt(x^2+y^2+1)", 1.0, 2.0,
                      {r, 1.0 / r, 2.0 / r, 5.0 / r3, -2.0 / r3, 2.0 / r3});
  }
  // f = |x - y|: gradient +-(1, -1), 0 on the kink; Hessian 0.
  check_derivatives("abs(x-y)", 3.0, 1.0, {2.0, 1.0, -1.0, 0.0, 0.0, 0.0});
  check_derivatives("abs(x-y)", 1.0, 3.0, {2.0, -1.0, 1.0, 0.0, 0.0, 0.0});
  check_derivatives("abs(x-y)", 2.0, 2.0, {0.0, 0.0, 0.0, 0.0, 0.0, 0.0});
  // f = x / y: f_x = 1/y, f_y = -x/y^2, f_xx = 0, f_xy = -1/y^2,
  // f_yy = 2x/y^3.
  check_derivatives("x/y", 3.0, 2.0, {1.5, 0.5, -0.75, 0.0, -0.25, 0.75});
  // tan' = 1 + tan^2, tan'' = 2 tan (1 + tan^2); tanh' = 1 - tanh^2,
  // tanh'' = -2 tanh (1 - tanh^2); log' = 1/x, log'' = -1/x^2.
  {
    const double t = std::tan(0.4), th = std::tanh(0.4);
    check_derivatives("tan(x)", 0.4, 0.0,
                      {t, 1.0 + t * t, 0.0, 2.0 * t * (1.0 + t * t), 0.0, 0.0});
    check_derivatives(
        "tanh(y)", 0.0, 0.4,
        {th, 0.0, 1.0 - th * th, 0.0, 0.0, -2.0 * th * (1.0 - th * th)});
    check_derivatives("log(x)", 0.4, 0.0,
                      {std::log(0.4), 2.5, 0.0, -6.25, 0.0, 0.0});
  }
  // x^c with constant c: the power rule, exact at 0 for c = 0, 1, 2.
  check_derivatives("x^3", -2.0, 0.0, {-8.0, 12.0, 0.0, -12.0, 0.0, 0.0});
  check_derivatives("x^1", 0.0, 0.0, {0.0, 1.0, 0.0, 0.0, 0.0, 0.0});
  check_derivatives("x^0", 0.0, 0.0, {1.0, 0.0, 0.0, 0.0, 0.0, 0.0});
  check_derivatives("x^2", 0.0, 0.0, {0.0, 0.0, 0.0, 2.0, 0.0, 0.0});
  // 2^x = e^(x ln 2).
  {
    const double l = std::log(2.0), v = std::pow(2.0, 1.5);
    check_derivatives("2^x", 1.5, 0.0, {v, v * l, 0.0, v * l * l, 0.0, 0.0});
  }
}

TEST_CASE("expression: derivatives match central differences") {
  const Expression f(
      "sin(x*y) + exp(-x^2/4)*cos(y) + log(1 + x^2 + y^2) - tanh(x - 2*y)"
      " + sqrt(abs(x) + 1)*y^3/(2 + cos(x)) + 2^(x/3)"
      " + pow(1.5 + sin(y), 0.7*x) + tan(0.3*x) - x/(3 + y^2)");
  optim::Rng rng(20240611);
  const double h = 1e-6;
  for (int k = 0; k < 50; ++k) {
    const double x = 4.0 * rng.uniform() - 2.0, y = 4.0 * rng.uniform() - 2.0;
    INFO("at (" << x << ", " << y << ")");
    const HyperDual d = f.evaluate(x, y);
    const double gx = (f.value(x + h, y) - f.value(x - h, y)) / (2.0 * h);
    const double gy = (f.value(x, y + h) - f.value(x, y - h)) / (2.0 * h);
    const double gtol = 1e-6 * std::max(1.0, std::hypot(d.dx, d.dy));
    CHECK(std::fabs(d.dx - gx) <= gtol);
    CHECK(std::fabs(d.dy - gy) <= gtol);
    // Hessian columns: differences of the exact gradient.
    const HyperDual xp = f.evaluate(x + h, y), xm = f.evaluate(x - h, y);
    const HyperDual yp = f.evaluate(x, y + h), ym = f.evaluate(x, y - h);
    const double hxx = (xp.dx - xm.dx) / (2.0 * h);
    const double hyx = (xp.dy - xm.dy) / (2.0 * h);
    const double hxy = (yp.dx - ym.dx) / (2.0 * h);
    const double hyy = (yp.dy - ym.dy) / (2.0 * h);
    const double htol =
        1e-6 *
        std::max(1.0, std::fabs(d.dxx) + std::fabs(d.dxy) + std::fabs(d.dyy));
    CHECK(std::fabs(d.dxx - hxx) <= htol);
    CHECK(std::fabs(d.dxy - hxy) <= htol);
    CHECK(std::fabs(d.dxy - hyx) <= htol);
    CHECK(std::fabs(d.dyy - hyy) <= htol);
  }
}

TEST_CASE("expression: the value path equals the AD value bit for bit") {
  const std::vector<std::string> texts = {
      "x^2 + 3*y^2 + sin(2*x)",        "(1-x)^2 + 100*(y-x^2)^2",
      "x^y + pow(abs(y), 1/3) - 2^-x", "log(x) * sqrt(y) / tan(x*y)",
      "exp(x)^tanh(y) - cos(-x)^3",    "1/(x - y)",
  };
  optim::Rng rng(7);
  for (const auto& text : texts) {
    const Expression f(text);
    for (int k = 0; k < 40; ++k) {
      // Some points on x = y and at 0 as well, for inf and NaN.
      double x = 6.0 * rng.uniform() - 3.0, y = 6.0 * rng.uniform() - 3.0;
      if (k == 0) x = y = 0.0;
      if (k == 1) y = x;
      INFO(text << " at (" << x << ", " << y << ")");
      CHECK(same_double(f.value(x, y), f.evaluate(x, y).v));
    }
  }
}

TEST_CASE("expression: non-finite results are values, not errors") {
  CHECK(std::isnan(eval("log(x)", -1.0)));
  CHECK(std::isnan(eval("sqrt(x)", -1.0)));
  CHECK(eval("1/x", 0.0) == HUGE_VAL);
  CHECK(eval("log(x)", 0.0) == -HUGE_VAL);
  CHECK(std::isnan(eval("x/x", 0.0)));
  CHECK(eval("exp(x)", 1000.0) == HUGE_VAL);
  CHECK(std::isnan(Expression("log(x)").evaluate(-1.0, 0.0).v));
}

TEST_CASE("expression: errors name the place") {
  struct Row {
    std::string text;
    std::string message;
    int column;
  };
  const std::vector<Row> rows = {
      {")", "unexpected ')' at column 1", 1},
      {"sin(x))", "unexpected ')' at column 7", 7},
      {"x+", "unexpected end of expression at column 3", 3},
      {"x^", "unexpected end of expression at column 3", 3},
      {"((((", "unexpected end of expression at column 5", 5},
      {"2x", "'2x': write 2*x at column 1", 1},
      {"y + 2pi", "'2pi': write 2*pi at column 5", 5},
      {"3e", "'3e': write 3*e at column 1", 1},
      {"sin x", "expected '(' after 'sin' at column 5", 5},
      {"sin", "expected '(' after 'sin' at column 4", 4},
      {"foo(x)",
       "unknown function 'foo' at column 1 (known: sin, cos, tan, exp, log, "
       "sqrt, abs, tanh, pow)",
       1},
      {"z", "unknown name 'z' at column 1 (use x, y, pi, e or a function)", 1},
      {"x + Y", "unknown name 'Y' at column 5 (use x, y, pi, e or a function)",
       5},
      {"", "empty expression", 0},
      {" \t ", "empty expression", 0},
      {"(x + 1", "expected ')' at column 7", 7},
      {"sin(x + 1, 2)", "sin takes one argument at column 10", 10},
      {"pow(x)", "pow takes two arguments at column 6 (write pow(a, b))", 6},
      {"pow(x y)",
       "missing operator before 'y' at column 7 (write * between factors)", 7},
      {"x y",
       "missing operator before 'y' at column 3 (write * between factors)", 3},
      {"2 (x)",
       "missing operator before '(' at column 3 (write * between factors)", 3},
      {"x**2", "'**': use ^ for powers at column 2", 2},
      {"*x", "unexpected '*' at column 1", 1},
      {"x,y", "unexpected ',' at column 2", 2},
      {"()", "unexpected ')' at column 2", 2},
      {"x # 2", "unexpected character '#' at column 3", 3},
      {"x + \xc3\xa9", "unexpected character '\xc3\xa9' at column 5", 5},
      {"1e999", "number '1e999' is too large at column 1", 1},
  };
  for (const Row& row : rows) {
    INFO("input: '" << row.text << "'");
    const ExpressionError e = parse_error(row.text);
    CHECK(std::string(e.what()) == row.message);
    CHECK(e.column() == row.column);
  }
}

TEST_CASE("expression: limits on length and nesting") {
  // 500 characters are fine, 501 are not.
  std::string text = "x";
  while (text.size() < 499) text += "+x";
  CHECK(Expression(text + " ").value(1.0, 0.0) == 250.0);
  const ExpressionError e = parse_error(text + "+x");
  CHECK(std::string(e.what()) ==
        "expression has 501 characters, more than the 500 allowed");
  // 250 operands in one '^' chain need 250 stack slots.
  std::string tower = "1";
  while (tower.size() < 499) tower += "^1";
  CHECK(Expression(tower).value(0.0, 0.0) == 1.0);
  std::string xtower = "x";
  while (xtower.size() < 499) xtower += "^x";
  CHECK(Expression(xtower).value(1.0, 0.0) == 1.0);

  // 64 levels of parentheses are fine, 65 are not.
  const auto nested = [](int n, const std::string& open) {
    std::string s;
    for (int i = 0; i < n; ++i) s += open;
    s += "x";
    for (int i = 0; i < n; ++i) s += ")";
    return s;
  };
  CHECK(Expression(nested(64, "(")).value(2.0, 0.0) == 2.0);
  CHECK(Expression(nested(64, "abs(")).value(-2.0, 0.0) == 2.0);
  const ExpressionError deep = parse_error(nested(65, "("));
  CHECK(std::string(deep.what()) ==
        "too deeply nested at column 65 (at most 64 levels of parentheses)");
  CHECK(deep.column() == 65);
  CHECK(parse_error(nested(65, "sin(")).column() == 4 * 64 + 4);
}

TEST_CASE("custom function: the same numbers as the expression") {
  const std::string text = "x^2*y + sin(x)*exp(y) - sqrt(x^2 + y^2 + 1)";
  const auto f = optim::make_function("custom", {{"expression", text}});
  const Expression e(text);
  for (const auto& [x, y] : std::vector<std::pair<double, double>>{
           {0.3, -0.4}, {-2.0, 1.5}, {4.0, 4.0}}) {
    const HyperDual d = e.evaluate(x, y);
    CHECK(f->value(x, y) == e.value(x, y));
    CHECK(f->gradient(x, y) == Eigen::Vector2d(d.dx, d.dy));
    CHECK(f->hessian(x, y) ==
          (Eigen::Matrix2d() << d.dxx, d.dxy, d.dxy, d.dyy).finished());
  }
  CHECK(f->domain().xmin == -5.0);
  CHECK(f->domain().ymax == 5.0);
  CHECK(f->start() == Eigen::Vector2d(-4.0, 3.0));
  CHECK(f->minima().empty());

  // The default is a pleasant bowl with a ripple.
  const auto d = optim::make_function("custom", nullptr);
  CHECK(d->value(1.0, 1.0) == 4.0 + std::sin(2.0));
}

TEST_CASE("custom function: Rosenbrock typed in equals the built-in one") {
  const auto typed = optim::make_function(
      "custom", {{"expression", "(1-x)^2 + 100*(y-x^2)^2"}});
  const auto built_in = optim::make_function("rosenbrock", nullptr);
  optim::Rng rng(3);
  for (int k = 0; k < 100; ++k) {
    const double x = 4.0 * rng.uniform() - 2.0, y = 4.0 * rng.uniform() - 1.0;
    INFO("at (" << x << ", " << y << ")");
    const double f = built_in->value(x, y);
    CHECK(std::fabs(typed->value(x, y) - f) <= 1e-12 * std::fabs(f));
    const Eigen::Vector2d g = built_in->gradient(x, y);
    CHECK((typed->gradient(x, y) - g).norm() <= 1e-12 * g.norm());
    const Eigen::Matrix2d h = built_in->hessian(x, y);
    CHECK((typed->hessian(x, y) - h).norm() <= 1e-12 * h.norm());
  }
}

TEST_CASE("custom function: errors are ConfigErrors of the expression") {
  const auto error = [](const json& params) {
    try {
      optim::make_function("custom", params);
    } catch (const ConfigError& e) {
      return e;
    }
    FAIL("no ConfigError");
    return ConfigError("", "");
  };
  ConfigError e = error({{"expression", "sin(x))"}});
  CHECK(e.field() == "expression");
  CHECK(e.reason() == "custom: unexpected ')' at column 7");
  e = error({{"expression", 5}});
  CHECK(e.field() == "expression");
  CHECK(e.reason() == "custom: expression = 5 is not a string");
  e = error({{"expression", std::string(501, 'x')}});
  CHECK(e.reason() ==
        "custom: expression has 501 characters, more than the 500 allowed");
  e = error({{"expression", ""}});
  CHECK(e.reason() == "custom: empty expression");

  // Seen from a run configuration, the field is the whole path.
  try {
    optim::parse_run_config(
        {{"optimizer", {{"name", "adam"}}},
         {"function",
          {{"name", "custom"}, {"params", {{"expression", "sin(x))"}}}}}});
    FAIL("no ConfigError");
  } catch (const ConfigError& c) {
    CHECK(std::string(c.what()) ==
          "function.params.expression: custom: unexpected ')' at column 7");
  }
}

TEST_CASE("custom function: metadata of a string parameter") {
  const json m = optim::function_metadata(optim::find_function("custom"));
  CHECK(m["label"] == "Custom");
  CHECK(m["minima"].empty());
  REQUIRE(m["params"].size() == 1);
  const json& p = m["params"][0];
  CHECK(p["name"] == "expression");
  CHECK(p["type"] == "string");
  CHECK(p["maxLength"] == 500);
  CHECK(p["default"] == "x^2 + 3*y^2 + sin(2*x)");
  CHECK_FALSE(p.contains("range"));
  CHECK_FALSE(p.contains("min"));
}
