// SPDX-License-Identifier: MIT
// A user-typed function of x and y: parsed once into postfix code, evaluated
// fast for its value and exactly (forward-mode AD) for gradient and Hessian.
#pragma once

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace optim {

// A syntax error. what() is the whole message, e.g. "unexpected ')' at
// column 7"; column() is 1-based (one past the end for a premature end, 0
// when no position applies, e.g. "empty expression").
class ExpressionError : public std::invalid_argument {
 public:
  ExpressionError(const std::string& message, int column)
      : std::invalid_argument(message), column_(column) {}
  int column() const { return column_; }

 private:
  int column_;
};

// A value with its first and second partial derivatives in x and y: a
// second-order hyper-dual number. Arithmetic on it applies the exact chain
// and product rules, so evaluating an expression on HyperDual inputs gives
// the exact gradient and Hessian (up to rounding), with no step size.
// Trivial on purpose (HyperDual{} is all zeros; a plain array of them costs
// no initialization in the evaluator).
struct HyperDual {
  double v;
  double dx, dy;
  double dxx, dxy, dyy;
};

// Grammar (loosest binding first):
//   expr    := term (('+' | '-') term)*
//   term    := unary (('*' | '/') unary)*
//   unary   := ('-' | '+')* power
//   power   := primary ('^' unary)?          right-associative: 2^3^2 = 2^9
//   primary := number | 'x' | 'y' | 'pi' | 'e' | '(' expr ')'
//            | fn '(' expr ')' | 'pow' '(' expr ',' expr ')'
//   fn      := sin cos tan exp log sqrt abs tanh
// Unary minus binds looser than '^' (-x^2 = -(x^2)) but the exponent may
// carry its own sign (2^-x). Implicit multiplication ("2x", "x y", "2(x)")
// is an error that says where to put the '*'.
class Expression {
 public:
  static constexpr std::size_t kMaxLength = 500;  // characters of text
  static constexpr int kMaxDepth = 64;            // nested parentheses
  static constexpr int kMaxTokens = 1000;

  // Throws ExpressionError.
  explicit Expression(const std::string& text);

  // The fast path (the heat map calls it for every pixel): no allocation.
  double value(double x, double y) const;
  // Value, gradient and Hessian. value(x, y) == evaluate(x, y).v exactly:
  // both apply the same floating-point operations to the value.
  HyperDual evaluate(double x, double y) const;

  const std::string& text() const { return text_; }
  // Number of postfix instructions (after constant folding).
  std::size_t size() const { return code_.size(); }

  enum class Op : std::uint8_t {
    kConst,
    kX,
    kY,
    kAdd,
    kSub,
    kMul,
    kDiv,
    kPow,       // a^b with b depending on x or y
    kPowConst,  // a^c with a constant c (stored in the instruction)
    kSquare,    // a^2
    kNeg,
    kSin,
    kCos,
    kTan,
    kExp,
    kLog,
    kSqrt,
    kAbs,
    kTanh,
    // a (op) leaf with the leaf operand (the constant c, x or y) fused into
    // the operation, which saves a dispatch; kRSub/kRDiv: leaf (op) a.
    // Ordered as kAddC + 3 * group + leaf, see expression.cpp.
    kAddC,
    kAddX,
    kAddY,
    kSubC,
    kSubX,
    kSubY,
    kRSubC,
    kRSubX,
    kRSubY,
    kMulC,
    kMulX,
    kMulY,
    kDivC,
    kDivX,
    kDivY,
    kRDivC,
    kRDivX,
    kRDivY,
  };
  struct Instr {
    Op op;
    double c;  // kConst, k...C: the constant; kPowConst: the exponent
  };

 private:
  std::string text_;
  std::vector<Instr> code_;
};

}  // namespace optim
