// SPDX-License-Identifier: MIT
// Parser, postfix code and the two evaluators (plain and hyper-dual) of
// user-typed functions of x and y.
#include "problems/expression.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <utility>

namespace optim {

namespace {

using Op = Expression::Op;
using Instr = Expression::Instr;

// Every operand pushes one value and needs at least one character of text
// plus one for the operator that combines it, so 500 characters never need
// more than 251 slots. The evaluators keep their stack in a fixed array of
// this size (no allocation per call); the parser checks the bound anyway.
constexpr int kMaxStack = 256;

constexpr double kPi = 3.14159265358979323846;
constexpr double kE = 2.71828182845904523536;

struct Function {
  const char* name;
  Op op;
  int arity;
};

// pow(a, b) compiles to the same code as a^b.
constexpr Function kFunctions[] = {
    {"sin", Op::kSin, 1}, {"cos", Op::kCos, 1},   {"tan", Op::kTan, 1},
    {"exp", Op::kExp, 1}, {"log", Op::kLog, 1},   {"sqrt", Op::kSqrt, 1},
    {"abs", Op::kAbs, 1}, {"tanh", Op::kTanh, 1}, {"pow", Op::kPow, 2},
};

constexpr const char* kFunctionList =
    "sin, cos, tan, exp, log, sqrt, abs, tanh, pow";

// Plain double semantics of every operation: the value evaluator and the
// constant folder both use it, so folding never changes a result.
double apply_unary(Op op, double a, double c) {
  switch (op) {
    case Op::kNeg:
      return -a;
    case Op::kSquare:
      return a * a;
    case Op::kPowConst:
      return std::pow(a, c);
    case Op::kSin:
      return std::sin(a);
    case Op::kCos:
      return std::cos(a);
    case Op::kTan:
      return std::tan(a);
    case Op::kExp:
      return std::exp(a);
    case Op::kLog:
      return std::log(a);
    case Op::kSqrt:
      return std::sqrt(a);
    case Op::kAbs:
      return std::fabs(a);
    case Op::kTanh:
      return std::tanh(a);
    default:
      return a;
  }
}

double apply_binary(Op op, double a, double b) {
  switch (op) {
    case Op::kAdd:
      return a + b;
    case Op::kSub:
      return a - b;
    case Op::kMul:
      return a * b;
    case Op::kDiv:
      return a / b;
    case Op::kPow:
      return std::pow(a, b);
    default:
      return a;
  }
}

bool is_binary(Op op) {
  return op == Op::kAdd || op == Op::kSub || op == Op::kMul || op == Op::kDiv ||
         op == Op::kPow;
}

bool is_leaf(Op op) { return op == Op::kConst || op == Op::kX || op == Op::kY; }

// Fused operations: group (what is computed) and leaf (which operand).
enum class Group { kAdd, kSub, kRSub, kMul, kDiv, kRDiv };

bool is_fused(Op op) { return op >= Op::kAddC; }

Op fused(Group group, Op leaf) {
  const int index = leaf == Op::kConst ? 0 : (leaf == Op::kX ? 1 : 2);
  return static_cast<Op>(static_cast<int>(Op::kAddC) +
                         3 * static_cast<int>(group) + index);
}

Group group_of(Op op) {
  return static_cast<Group>(
      (static_cast<int>(op) - static_cast<int>(Op::kAddC)) / 3);
}

Op leaf_of(Op op) {
  const int index = (static_cast<int>(op) - static_cast<int>(Op::kAddC)) % 3;
  return index == 0 ? Op::kConst : (index == 1 ? Op::kX : Op::kY);
}

enum class Tok { kNumber, kName, kSymbol, kEnd };

struct Token {
  Tok kind = Tok::kEnd;
  std::string text;    // as typed
  double number = 0;   // kNumber
  int column = 0;      // 1-based
  char symbol = '\0';  // kSymbol: one of + - * / ^ ( ) ,
};

// ASCII only, whatever the locale.
bool is_letter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Characters, not bytes: a UTF-8 continuation byte does not count.
std::size_t count_characters(const std::string& s) {
  std::size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

// Recursive descent straight into postfix code. Recursion happens only at
// parentheses (and function calls), which the depth limit bounds; chains of
// signs and of '^' are loops, so no input of any shape overflows the stack.
class Parser {
 public:
  explicit Parser(const std::string& text) : s_(text) {}

  std::vector<Instr> parse() {
    const std::size_t n = count_characters(s_);
    if (n > Expression::kMaxLength) {
      throw ExpressionError("expression has " + std::to_string(n) +
                                " characters, more than the " +
                                std::to_string(Expression::kMaxLength) +
                                " allowed",
                            0);
    }
    next();
    if (tok_.kind == Tok::kEnd) throw ExpressionError("empty expression", 0);
    parse_sum();
    if (tok_.kind != Tok::kEnd) unexpected();
    return std::move(code_);
  }

 private:
  [[noreturn]] void fail(const std::string& message, int column,
                         const std::string& hint = "") const {
    throw ExpressionError(message + " at column " + std::to_string(column) +
                              (hint.empty() ? "" : " (" + hint + ")"),
                          column);
  }

  bool starts_operand() const {
    return tok_.kind == Tok::kNumber || tok_.kind == Tok::kName ||
           (tok_.kind == Tok::kSymbol && tok_.symbol == '(');
  }

  // The current token cannot follow what came before it. Called only after
  // a complete operand, so an operand here is a missing operator.
  [[noreturn]] void unexpected(const char* expected = nullptr) const {
    if (tok_.kind == Tok::kEnd) {
      if (expected)
        fail(std::string("expected '") + expected + "'", tok_.column);
      fail("unexpected end of expression", tok_.column);
    }
    if (starts_operand()) {
      fail("missing operator before '" + tok_.text + "'", tok_.column,
           "write * between factors");
    }
    if (expected) fail(std::string("expected '") + expected + "'", tok_.column);
    fail("unexpected '" + tok_.text + "'", tok_.column);
  }

  bool at(char symbol) const {
    return tok_.kind == Tok::kSymbol && tok_.symbol == symbol;
  }

  void next() {
    while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\t' ||
                                s_[pos_] == '\n' || s_[pos_] == '\r')) {
      ++pos_;
    }
    tok_ = Token();
    tok_.column = static_cast<int>(pos_) + 1;
    if (pos_ == s_.size()) return;
    if (++tokens_ > Expression::kMaxTokens) {
      fail("too many tokens", tok_.column,
           "at most " + std::to_string(Expression::kMaxTokens));
    }
    const std::size_t start = pos_;
    const char c = s_[pos_];
    if (is_digit(c) ||
        (c == '.' && pos_ + 1 < s_.size() && is_digit(s_[pos_ + 1]))) {
      lex_number(start);
    } else if (is_letter(c)) {
      while (pos_ < s_.size() && (is_letter(s_[pos_]) || is_digit(s_[pos_]))) {
        ++pos_;
      }
      tok_.kind = Tok::kName;
      tok_.text = s_.substr(start, pos_ - start);
    } else if (std::string("+-*/^(),").find(c) != std::string::npos) {
      ++pos_;
      tok_.kind = Tok::kSymbol;
      tok_.symbol = c;
      tok_.text = std::string(1, c);
    } else {
      // Show a whole UTF-8 character, not its first byte.
      std::size_t end = pos_ + 1;
      while (end < s_.size() &&
             (static_cast<unsigned char>(s_[end]) & 0xC0) == 0x80) {
        ++end;
      }
      fail("unexpected character '" + s_.substr(pos_, end - pos_) + "'",
           tok_.column);
    }
  }

  // 123, 1.5, .5, 1., 1e-3, 2.5E+4. An 'e' that no digits follow is not an
  // exponent: "2e" is the number 2 followed by the name e.
  void lex_number(std::size_t start) {
    while (pos_ < s_.size() && is_digit(s_[pos_])) ++pos_;
    if (pos_ < s_.size() && s_[pos_] == '.') {
      ++pos_;
      while (pos_ < s_.size() && is_digit(s_[pos_])) ++pos_;
    }
    if (pos_ < s_.size() && (s_[pos_] == 'e' || s_[pos_] == 'E')) {
      std::size_t k = pos_ + 1;
      if (k < s_.size() && (s_[k] == '+' || s_[k] == '-')) ++k;
      if (k < s_.size() && is_digit(s_[k])) {
        while (k < s_.size() && is_digit(s_[k])) ++k;
        pos_ = k;
      }
    }
    tok_.kind = Tok::kNumber;
    tok_.text = s_.substr(start, pos_ - start);
    // strtod reads the C locale's '.', which is all the grammar allows.
    tok_.number = std::strtod(tok_.text.c_str(), nullptr);
    if (pos_ < s_.size() && is_letter(s_[pos_])) {
      std::size_t end = pos_;
      while (end < s_.size() && (is_letter(s_[end]) || is_digit(s_[end]))) {
        ++end;
      }
      const std::string name = s_.substr(pos_, end - pos_);
      fail("'" + tok_.text + name + "': write " + tok_.text + "*" + name,
           tok_.column);
    }
    if (!std::isfinite(tok_.number)) {
      fail("number '" + tok_.text + "' is too large", tok_.column);
    }
  }

  void parse_sum() {
    parse_product();
    while (at('+') || at('-')) {
      const Op op = tok_.symbol == '+' ? Op::kAdd : Op::kSub;
      next();
      const std::size_t right = code_.size();
      parse_product();
      emit_arithmetic(op, right);
    }
  }

  void parse_product() {
    parse_signed();
    while (at('*') || at('/')) {
      const Op op = tok_.symbol == '*' ? Op::kMul : Op::kDiv;
      const int column = tok_.column;
      next();
      if (op == Op::kMul && at('*') && tok_.column == column + 1) {
        fail("'**': use ^ for powers", column);
      }
      const std::size_t right = code_.size();
      parse_signed();
      emit_arithmetic(op, right);
    }
  }

  // Leading signs; returns whether they negate.
  bool parse_signs() {
    bool negate = false;
    while (at('+') || at('-')) {
      negate = negate != (tok_.symbol == '-');
      next();
    }
    return negate;
  }

  void parse_signed() {
    const bool negate = parse_signs();
    parse_power();
    if (negate) emit(Op::kNeg);
  }

  // p0 ^ s1 p1 ^ s2 p2 ... = p0 ^ s1(p1 ^ s2(p2 ...)): push every operand,
  // then apply the powers and signs from the right.
  void parse_power() {
    parse_primary();
    std::vector<bool> signs;
    while (at('^')) {
      next();
      signs.push_back(parse_signs());
      parse_primary();
    }
    for (auto it = signs.rbegin(); it != signs.rend(); ++it) {
      if (*it) emit(Op::kNeg);
      emit(Op::kPow);
    }
  }

  void open_paren() {
    if (++depth_ > Expression::kMaxDepth) {
      fail("too deeply nested", tok_.column,
           "at most " + std::to_string(Expression::kMaxDepth) +
               " levels of parentheses");
    }
    next();
  }

  void close_paren() {
    if (!at(')')) unexpected(")");
    --depth_;
    next();
  }

  void parse_primary() {
    if (tok_.kind == Tok::kNumber) {
      emit_const(tok_.number);
      next();
      return;
    }
    if (tok_.kind == Tok::kSymbol && tok_.symbol == '(') {
      open_paren();
      parse_sum();
      close_paren();
      return;
    }
    if (tok_.kind != Tok::kName) {
      if (tok_.kind == Tok::kEnd) {
        fail("unexpected end of expression", tok_.column);
      }
      fail("unexpected '" + tok_.text + "'", tok_.column);
    }
    const Token name = tok_;
    next();
    if (name.text == "x" || name.text == "y" || name.text == "pi" ||
        name.text == "e") {
      if (name.text == "x") {
        code_.push_back({Op::kX, 0.0});
      } else if (name.text == "y") {
        code_.push_back({Op::kY, 0.0});
      } else {
        emit_const(name.text == "pi" ? kPi : kE);
      }
      return;
    }
    for (const Function& f : kFunctions) {
      if (name.text != f.name) continue;
      if (!at('(')) {
        fail("expected '(' after '" + name.text + "'", tok_.column);
      }
      open_paren();
      parse_sum();
      if (f.arity == 2) {
        if (!at(',')) {
          if (at(')')) {
            fail(name.text + " takes two arguments", tok_.column,
                 "write pow(a, b)");
          }
          unexpected(",");
        }
        next();
        parse_sum();
      } else if (at(',')) {
        fail(name.text + " takes one argument", tok_.column);
      }
      close_paren();
      emit(f.op);
      return;
    }
    if (at('(')) {
      fail("unknown function '" + name.text + "'", name.column,
           std::string("known: ") + kFunctionList);
    }
    fail("unknown name '" + name.text + "'", name.column,
         "use x, y, pi, e or a function");
  }

  void emit_const(double c) { code_.push_back({Op::kConst, c}); }

  // + - * / whose right operand's code starts at `right`. Folds constants,
  // else fuses a leaf operand (a constant, x or y) into the operation: the
  // right one as is, the left one by swapping (a + b and a * b are exactly
  // b + a and b * a in IEEE arithmetic) or with the reversed - and /. A
  // code that ends in a push is that one push, so the left operand is a
  // single leaf exactly when the instruction before `right` is one.
  void emit_arithmetic(Op op, std::size_t right) {
    const std::size_t n = code_.size();
    const bool right_leaf = right + 1 == n && is_leaf(code_[n - 1].op);
    const bool left_leaf = right >= 1 && is_leaf(code_[right - 1].op);
    if (right_leaf && left_leaf && code_[n - 1].op == Op::kConst &&
        code_[n - 2].op == Op::kConst) {
      emit(op);
      return;
    }
    const bool add = op == Op::kAdd, sub = op == Op::kSub, mul = op == Op::kMul;
    if (right_leaf) {
      const Instr leaf = code_.back();
      code_.pop_back();
      const Group g =
          add ? Group::kAdd
              : (sub ? Group::kSub : (mul ? Group::kMul : Group::kDiv));
      code_.push_back({fused(g, leaf.op), leaf.c});
      return;
    }
    if (left_leaf) {
      const Instr leaf = code_[right - 1];
      code_.erase(code_.begin() + static_cast<std::ptrdiff_t>(right - 1));
      const Group g =
          add ? Group::kAdd
              : (sub ? Group::kRSub : (mul ? Group::kMul : Group::kRDiv));
      code_.push_back({fused(g, leaf.op), leaf.c});
      return;
    }
    code_.push_back({op, 0.0});
  }

  // Appends an operation, folding it when its operands are constants (with
  // the evaluator's own arithmetic, so folding changes no result), and
  // turning a^c with constant c into the power rule.
  void emit(Op op) {
    const std::size_t n = code_.size();
    if (is_binary(op)) {
      const bool b_const = code_[n - 1].op == Op::kConst;
      const bool a_const = n >= 2 && code_[n - 2].op == Op::kConst;
      if (a_const && b_const) {
        code_[n - 2].c = apply_binary(op, code_[n - 2].c, code_[n - 1].c);
        code_.pop_back();
        return;
      }
      if (op == Op::kPow && b_const) {
        const double c = code_[n - 1].c;
        code_.pop_back();
        emit(c == 2.0 ? Op::kSquare : Op::kPowConst, c);
        return;
      }
      code_.push_back({op, 0.0});
      return;
    }
    emit(op, 0.0);
  }

  void emit(Op op, double c) {
    Instr& last = code_.back();
    if (last.op == Op::kConst) {
      last.c = apply_unary(op, last.c, c);
      return;
    }
    code_.push_back({op, c});
  }

  const std::string& s_;
  std::size_t pos_ = 0;
  Token tok_;
  int tokens_ = 0;
  int depth_ = 0;
  std::vector<Instr> code_;
};

int max_stack(const std::vector<Instr>& code) {
  int sp = 0, top = 0;
  for (const Instr& in : code) {
    if (in.op == Op::kConst || in.op == Op::kX || in.op == Op::kY) {
      top = std::max(top, ++sp);
    } else if (is_binary(in.op)) {
      --sp;
    }
  }
  return top;
}

// --- Hyper-dual arithmetic -------------------------------------------------

HyperDual constant(double v) { return {v, 0.0, 0.0, 0.0, 0.0, 0.0}; }

// f(u) from f, f' and f'' at u.v:
// (f o u)_i = f' u_i, (f o u)_ij = f'' u_i u_j + f' u_ij.
HyperDual chain(const HyperDual& u, double f, double d1, double d2) {
  HyperDual r;
  r.v = f;
  r.dx = d1 * u.dx;
  r.dy = d1 * u.dy;
  r.dxx = d2 * u.dx * u.dx + d1 * u.dxx;
  r.dxy = d2 * u.dx * u.dy + d1 * u.dxy;
  r.dyy = d2 * u.dy * u.dy + d1 * u.dyy;
  return r;
}

HyperDual add(const HyperDual& a, const HyperDual& b) {
  return {a.v + b.v,     a.dx + b.dx,   a.dy + b.dy,
          a.dxx + b.dxx, a.dxy + b.dxy, a.dyy + b.dyy};
}

HyperDual sub(const HyperDual& a, const HyperDual& b) {
  return {a.v - b.v,     a.dx - b.dx,   a.dy - b.dy,
          a.dxx - b.dxx, a.dxy - b.dxy, a.dyy - b.dyy};
}

HyperDual neg(const HyperDual& a) {
  return {-a.v, -a.dx, -a.dy, -a.dxx, -a.dxy, -a.dyy};
}

// (ab)_ij = a_ij b + a_i b_j + a_j b_i + a b_ij.
HyperDual mul(const HyperDual& a, const HyperDual& b) {
  HyperDual r;
  r.v = a.v * b.v;
  r.dx = a.dx * b.v + a.v * b.dx;
  r.dy = a.dy * b.v + a.v * b.dy;
  r.dxx = a.dxx * b.v + 2.0 * a.dx * b.dx + a.v * b.dxx;
  r.dxy = a.dxy * b.v + a.dx * b.dy + a.dy * b.dx + a.v * b.dxy;
  r.dyy = a.dyy * b.v + 2.0 * a.dy * b.dy + a.v * b.dyy;
  return r;
}

// q = a/b from a = q b: q_i = (a_i - q b_i) / b,
// q_ij = (a_ij - q_i b_j - q_j b_i - q b_ij) / b.
HyperDual div(const HyperDual& a, const HyperDual& b) {
  HyperDual q;
  q.v = a.v / b.v;
  q.dx = (a.dx - q.v * b.dx) / b.v;
  q.dy = (a.dy - q.v * b.dy) / b.v;
  q.dxx = (a.dxx - 2.0 * q.dx * b.dx - q.v * b.dxx) / b.v;
  q.dxy = (a.dxy - q.dx * b.dy - q.dy * b.dx - q.v * b.dxy) / b.v;
  q.dyy = (a.dyy - 2.0 * q.dy * b.dy - q.v * b.dyy) / b.v;
  return q;
}

// a^c, c constant: the power rule. The factors c and c (c - 1) are tested
// for 0 first so that x^0 and x^1 have exact derivatives 0 at x = 0 instead
// of 0 * pow(0, -1) = NaN. Negative a with an integer c works as in pow; a
// fractional c gives NaN there, value and derivatives alike.
HyperDual pow_const(const HyperDual& a, double c) {
  const double d1 = c == 0.0 ? 0.0 : c * std::pow(a.v, c - 1.0);
  const double d2 =
      c == 0.0 || c == 1.0 ? 0.0 : c * (c - 1.0) * std::pow(a.v, c - 2.0);
  return chain(a, std::pow(a.v, c), d1, d2);
}

// a^b with b depending on x or y: the derivatives of exp(b log a), i.e. the
// chain rule through P = b log a with f = f' = f'' = a^b. The value is pow's
// (the same as the value evaluator's); the derivatives need log a and so are
// NaN for a <= 0, where a real a^b is not differentiable in b.
HyperDual pow_general(const HyperDual& a, const HyperDual& b) {
  const HyperDual log_a =
      chain(a, std::log(a.v), 1.0 / a.v, -1.0 / (a.v * a.v));
  const double w = std::pow(a.v, b.v);
  return chain(mul(b, log_a), w, w, w);
}

HyperDual apply_unary(Op op, const HyperDual& u, double c) {
  const double v = u.v;
  switch (op) {
    case Op::kNeg:
      return neg(u);
    case Op::kSquare:
      return chain(u, v * v, 2.0 * v, 2.0);
    case Op::kPowConst:
      return pow_const(u, c);
    case Op::kSin: {
      const double s = std::sin(v), co = std::cos(v);
      return chain(u, s, co, -s);
    }
    case Op::kCos: {
      const double s = std::sin(v), co = std::cos(v);
      return chain(u, co, -s, -co);
    }
    case Op::kTan: {
      // tan' = 1 + tan^2, tan'' = 2 tan (1 + tan^2).
      const double t = std::tan(v), d1 = 1.0 + t * t;
      return chain(u, t, d1, 2.0 * t * d1);
    }
    case Op::kExp: {
      const double e = std::exp(v);
      return chain(u, e, e, e);
    }
    case Op::kLog:
      return chain(u, std::log(v), 1.0 / v, -1.0 / (v * v));
    case Op::kSqrt: {
      // sqrt' = 1 / (2 sqrt), sqrt'' = -sqrt' / (2 v); infinite at 0.
      const double s = std::sqrt(v), d1 = 0.5 / s;
      return chain(u, s, d1, -0.5 * d1 / v);
    }
    case Op::kAbs: {
      // abs'(0) = 0, the symmetric subgradient: a method that reaches the
      // kink stays there, as for Ackley's cone. abs'' = 0 everywhere (the
      // delta at 0 is dropped).
      const double sign = v > 0.0 ? 1.0 : (v < 0.0 ? -1.0 : 0.0);
      return chain(u, std::fabs(v), sign, 0.0);
    }
    case Op::kTanh: {
      // tanh' = 1 - tanh^2, tanh'' = -2 tanh (1 - tanh^2).
      const double t = std::tanh(v), d1 = 1.0 - t * t;
      return chain(u, t, d1, -2.0 * t * d1);
    }
    default:
      return u;
  }
}

HyperDual apply_binary(Op op, const HyperDual& a, const HyperDual& b) {
  switch (op) {
    case Op::kAdd:
      return add(a, b);
    case Op::kSub:
      return sub(a, b);
    case Op::kMul:
      return mul(a, b);
    case Op::kDiv:
      return div(a, b);
    case Op::kPow:
      return pow_general(a, b);
    default:
      return a;
  }
}

HyperDual apply_fused(const Instr& in, const HyperDual& a, double x, double y) {
  const Op leaf = leaf_of(in.op);
  const HyperDual b =
      leaf == Op::kConst
          ? constant(in.c)
          : (leaf == Op::kX ? HyperDual{x, 1.0, 0.0, 0.0, 0.0, 0.0}
                            : HyperDual{y, 0.0, 1.0, 0.0, 0.0, 0.0});
  switch (group_of(in.op)) {
    case Group::kAdd:
      return add(a, b);
    case Group::kSub:
      return sub(a, b);
    case Group::kRSub:
      return sub(b, a);
    case Group::kMul:
      return mul(a, b);
    case Group::kDiv:
      return div(a, b);
    case Group::kRDiv:
      return div(b, a);
  }
  return a;
}

}  // namespace

Expression::Expression(const std::string& text) : text_(text) {
  code_ = Parser(text_).parse();
  if (max_stack(code_) > kMaxStack) {
    throw ExpressionError("expression is too complex", 0);
  }
}

double Expression::value(double x, double y) const {
  // The topmost value lives in a register (`top`); the array holds the rest,
  // plus the meaningless initial `top` at its bottom.
  double stack[kMaxStack + 1];
  double* rest = stack;  // next free slot
  double top = 0.0;
  for (const Instr& in : code_) {
    switch (in.op) {
      case Op::kConst:
        *rest++ = top;
        top = in.c;
        break;
      case Op::kX:
        *rest++ = top;
        top = x;
        break;
      case Op::kY:
        *rest++ = top;
        top = y;
        break;
      case Op::kAdd:
        top = *--rest + top;
        break;
      case Op::kSub:
        top = *--rest - top;
        break;
      case Op::kMul:
        top = *--rest * top;
        break;
      case Op::kDiv:
        top = *--rest / top;
        break;
      case Op::kPow:
        top = std::pow(*--rest, top);
        break;
      case Op::kSquare:
        top *= top;
        break;
      case Op::kNeg:
        top = -top;
        break;
#define OPTIM_FUSED(NAME, EXPR) \
  case Op::NAME##C: {           \
    const double b = in.c;      \
    top = EXPR;                 \
    break;                      \
  }                             \
  case Op::NAME##X: {           \
    const double b = x;         \
    top = EXPR;                 \
    break;                      \
  }                             \
  case Op::NAME##Y: {           \
    const double b = y;         \
    top = EXPR;                 \
    break;                      \
  }
        OPTIM_FUSED(kAdd, top + b)
        OPTIM_FUSED(kSub, top - b)
        OPTIM_FUSED(kRSub, b - top)
        OPTIM_FUSED(kMul, top * b)
        OPTIM_FUSED(kDiv, top / b)
        OPTIM_FUSED(kRDiv, b / top)
#undef OPTIM_FUSED
      default:
        top = apply_unary(in.op, top, in.c);
        break;
    }
  }
  return top;
}

HyperDual Expression::evaluate(double x, double y) const {
  // HyperDual is trivial: this array costs no initialization.
  HyperDual stack[kMaxStack];
  HyperDual* top = stack;
  for (const Instr& in : code_) {
    switch (in.op) {
      case Op::kConst:
        *top++ = constant(in.c);
        break;
      case Op::kX:
        *top++ = {x, 1.0, 0.0, 0.0, 0.0, 0.0};
        break;
      case Op::kY:
        *top++ = {y, 0.0, 1.0, 0.0, 0.0, 0.0};
        break;
      default:
        if (is_fused(in.op)) {
          top[-1] = apply_fused(in, top[-1], x, y);
        } else if (is_binary(in.op)) {
          --top;
          top[-1] = apply_binary(in.op, top[-1], top[0]);
        } else {
          top[-1] = apply_unary(in.op, top[-1], in.c);
        }
        break;
    }
  }
  return stack[0];
}

}  // namespace optim
