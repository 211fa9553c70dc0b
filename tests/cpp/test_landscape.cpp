// SPDX-License-Identifier: MIT
// Landscapes: contour levels, marching-squares contours on the bowl, saddles,
// non-finite values, and the landscape configuration.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <stdexcept>
#include <vector>

#include "run/landscape.hpp"
#include "run/path.hpp"

using optim::json;

namespace {

const double kE = std::exp(1.0);

json bowl_config(int size, double half_width = 3.0) {
  return {{"function",
           {{"name", "quadratic"}, {"params", {{"a", 1.0}, {"b", 1.0}}}}},
          {"box",
           {{"xmin", -half_width},
            {"xmax", half_width},
            {"ymin", -half_width},
            {"ymax", half_width}}},
          {"width", size},
          {"height", size}};
}

// Values of f = (x^2 + y^2)/2 on a size x size grid over [-h, h]^2.
std::vector<float> bowl_values(int size, double h) {
  return optim::evaluate_grid(optim::parse_grid_config(bowl_config(size, h)));
}

struct Point {
  float x, y;
};

std::vector<Point> endpoints(const std::vector<float>& segments) {
  std::vector<Point> points;
  for (std::size_t k = 0; k + 1 < segments.size(); k += 2) {
    points.push_back({segments[k], segments[k + 1]});
  }
  return points;
}

// How many endpoints lie within tol of p.
int count_near(const std::vector<Point>& points, Point p, double tol) {
  int n = 0;
  for (const Point& q : points) {
    n += std::hypot(q.x - p.x, q.y - p.y) < tol;
  }
  return n;
}

// Whether segments (as unordered pairs of points) equal the expected ones,
// in any order.
bool same_segments(std::vector<float> got, std::vector<float> expected) {
  if (got.size() != expected.size()) return false;
  auto near = [](const float* a, const float* b) {
    return std::abs(a[0] - b[0]) < 1e-6 && std::abs(a[1] - b[1]) < 1e-6;
  };
  std::vector<bool> used(expected.size() / 4, false);
  for (std::size_t s = 0; s < got.size(); s += 4) {
    bool found = false;
    for (std::size_t e = 0; e < expected.size() && !found; e += 4) {
      const float* g = &got[s];
      const float* x = &expected[e];
      if (!used[e / 4] && ((near(g, x) && near(g + 2, x + 2)) ||
                           (near(g, x + 2) && near(g + 2, x)))) {
        used[e / 4] = true;
        found = true;
      }
    }
    if (!found) return false;
  }
  return true;
}

// Marching squares written out per cell, as in a textbook: the reference for
// the table- and band-based implementation.
std::vector<float> reference_contour(const std::vector<float>& v, int w, int h,
                                     const optim::Box& box, double level) {
  const double dx = (box.xmax - box.xmin) / (w - 1);
  const double dy = (box.ymax - box.ymin) / (h - 1);
  std::vector<float> out;
  for (int j = 0; j + 1 < h; ++j) {
    for (int i = 0; i + 1 < w; ++i) {
      const double tl = v[j * w + i], tr = v[j * w + i + 1];
      const double bl = v[(j + 1) * w + i], br = v[(j + 1) * w + i + 1];
      if (!std::isfinite(tl) || !std::isfinite(tr) || !std::isfinite(bl) ||
          !std::isfinite(br)) {
        continue;
      }
      const double x0 = box.xmin + i * dx, x1 = box.xmin + (i + 1) * dx;
      const double y0 = box.ymax - j * dy, y1 = box.ymax - (j + 1) * dy;
      auto top = [&] {
        return Point{float(x0 + (level - tl) / (tr - tl) * dx), float(y0)};
      };
      auto bottom = [&] {
        return Point{float(x0 + (level - bl) / (br - bl) * dx), float(y1)};
      };
      auto left = [&] {
        return Point{float(x0), float(y0 - (level - tl) / (bl - tl) * dy)};
      };
      auto right = [&] {
        return Point{float(x1), float(y0 - (level - tr) / (br - tr) * dy)};
      };
      auto add = [&](Point a, Point b) {
        out.insert(out.end(), {a.x, a.y, b.x, b.y});
      };
      const bool a_tl = tl >= level, a_tr = tr >= level;
      const bool a_br = br >= level, a_bl = bl >= level;
      const int c = a_tl * 8 + a_tr * 4 + a_br * 2 + a_bl;
      const bool centre = (tl + tr + br + bl) / 4 >= level;
      switch (c) {
        case 1:
        case 14:
          add(left(), bottom());
          break;
        case 2:
        case 13:
          add(bottom(), right());
          break;
        case 3:
        case 12:
          add(left(), right());
          break;
        case 4:
        case 11:
          add(top(), right());
          break;
        case 6:
        case 9:
          add(top(), bottom());
          break;
        case 7:
        case 8:
          add(left(), top());
          break;
        case 5:
        case 10:
          if ((c == 5) == centre) {
            add(left(), top());
            add(bottom(), right());
          } else {
            add(left(), bottom());
            add(top(), right());
          }
          break;
        default:
          break;
      }
    }
  }
  return out;
}

}  // namespace

TEST_CASE("contour levels: log and linear spacing by hand") {
  const double max = std::exp(3.0) - 1.0;
  // log1p(max - min) = 3, so level i is expm1(3 (i+1)/(N+1)).
  const auto log = optim::contour_levels(0.0, max, 2, true);
  REQUIRE(log.size() == 2);
  CHECK(log[0] == doctest::Approx(kE - 1.0));
  CHECK(log[1] == doctest::Approx(kE * kE - 1.0));
  const auto log5 = optim::contour_levels(0.0, max, 5, true);
  REQUIRE(log5.size() == 5);
  for (int i = 0; i < 5; ++i) {
    CHECK(log5[i] == doctest::Approx(std::expm1(3.0 * (i + 1) / 6)));
  }
  const auto linear = optim::contour_levels(0.0, max, 2, false);
  REQUIRE(linear.size() == 2);
  CHECK(linear[0] == doctest::Approx(max / 3));
  CHECK(linear[1] == doctest::Approx(2 * max / 3));
  // Shifted by min: level = min + offset.
  const auto shifted = optim::contour_levels(10.0, 10.0 + max, 2, true);
  CHECK(shifted[0] == doctest::Approx(10.0 + kE - 1.0));
  // No levels for a flat landscape or a zero count.
  CHECK(optim::contour_levels(1.0, 1.0, 20, true).empty());
  CHECK(optim::contour_levels(0.0, 1.0, 0, false).empty());
}

TEST_CASE("bowl contours lie on the circle of radius sqrt(2L) and close") {
  // r = 1.837, inside the box [-3, 3]^2. Not 1.7: the node (1.8, 0.4) lies
  // on that circle, and a contour through a node has coincident endpoints.
  const double level = 1.6875;
  const double r = std::sqrt(2 * level);
  const int size = 61;
  const double cell = 6.0 / (size - 1);
  const auto segments = optim::marching_squares(
      bowl_values(size, 3.0), size, size, {-3.0, 3.0, -3.0, 3.0}, level);
  REQUIRE(segments.size() % 4 == 0);
  REQUIRE(segments.size() > 0);
  const auto points = endpoints(segments);
  // Linear interpolation of a quadratic along an edge: error at most
  // cell^2 / (8 r), under 1 % of a cell here.
  for (const Point& p : points) {
    CHECK(std::abs(std::hypot(p.x, p.y) - r) < 0.02 * cell);
  }
  // Closed: every endpoint is shared by exactly two segments.
  for (const Point& p : points) {
    CHECK(count_near(points, p, 1e-4 * cell) == 2);
  }
  // The polygon's length approximates the circumference.
  double length = 0;
  for (std::size_t k = 0; k < segments.size(); k += 4) {
    length += std::hypot(segments[k + 2] - segments[k],
                         segments[k + 3] - segments[k + 1]);
  }
  CHECK(length == doctest::Approx(2 * M_PI * r).epsilon(0.01));
}

TEST_CASE("a contour cut by the box ends on the boundary") {
  const double level = 6.0;  // r = 3.46 leaves the box [-3, 3]^2
  const auto segments = optim::marching_squares(bowl_values(41, 3.0), 41, 41,
                                                {-3.0, 3.0, -3.0, 3.0}, level);
  REQUIRE(segments.size() > 0);
  const auto points = endpoints(segments);
  int on_boundary = 0;
  for (const Point& p : points) {
    const bool boundary = std::abs(std::abs(p.x) - 3.0) < 1e-5 ||
                          std::abs(std::abs(p.y) - 3.0) < 1e-5;
    on_boundary += boundary;
    CHECK(count_near(points, p, 1e-5) == (boundary ? 1 : 2));
  }
  CHECK(on_boundary == 8);  // four arcs, one per corner of the box
}

TEST_CASE("segments grow with resolution; levels outside the range: none") {
  const optim::Box box{-3.0, 3.0, -3.0, 3.0};
  std::size_t previous = 0;
  for (int size : {11, 21, 41, 81, 161}) {
    const auto s = optim::marching_squares(bowl_values(size, 3.0), size, size,
                                           box, 2.0 + 1.0 / 3);
    CHECK(s.size() > previous);
    previous = s.size();
  }
  const auto values = bowl_values(21, 3.0);  // min 0, max 9
  CHECK(optim::marching_squares(values, 21, 21, box, -0.5).empty());
  CHECK(optim::marching_squares(values, 21, 21, box, 9.5).empty());
  CHECK_FALSE(optim::marching_squares(values, 21, 21, box, 4.5).empty());
}

TEST_CASE("saddle cells: the centre average picks the pairing") {
  // One cell over [0, 1]^2; values[j * 2 + i], row 0 at the top (y = 1).
  const optim::Box unit{0.0, 1.0, 0.0, 1.0};
  // Case 5: TR and BL above. TL 0, TR 1 / BL 1, BR 0; centre 0.5.
  const std::vector<float> case5 = {0, 1, 1, 0};
  // Level 0.4 < centre: TR and BL connect through the centre, so the lines
  // cut off TL and BR.
  CHECK(same_segments(optim::marching_squares(case5, 2, 2, unit, 0.4),
                      {0.0f, 0.6f, 0.4f, 1.0f,     // left - top
                       0.6f, 0.0f, 1.0f, 0.4f}));  // bottom - right
  // Level 0.6 > centre: TR and BL are separate peaks, cut off each.
  CHECK(same_segments(optim::marching_squares(case5, 2, 2, unit, 0.6),
                      {0.0f, 0.4f, 0.4f, 0.0f,     // left - bottom
                       0.6f, 1.0f, 1.0f, 0.6f}));  // top - right
  // Case 10: TL and BR above. TL 1, TR 0 / BL 0, BR 1.
  const std::vector<float> case10 = {1, 0, 0, 1};
  // Level 0.4: TL and BR connect; the lines cut off TR and BL.
  CHECK(same_segments(optim::marching_squares(case10, 2, 2, unit, 0.4),
                      {0.6f, 1.0f, 1.0f, 0.6f,     // top - right
                       0.0f, 0.4f, 0.4f, 0.0f}));  // left - bottom
  // Level 0.6: TL and BR separate.
  CHECK(same_segments(optim::marching_squares(case10, 2, 2, unit, 0.6),
                      {0.0f, 0.6f, 0.4f, 1.0f,     // left - top
                       0.6f, 0.0f, 1.0f, 0.4f}));  // bottom - right
  // A plain case for orientation: only BL above (case 1), level 0.5.
  CHECK(same_segments(
      optim::marching_squares({0, 0, 1, 0}, 2, 2, unit, 0.5),
      {0.0f, 0.5f, 0.5f, 0.0f}));  // left (y = 0.5) - bottom (x = 0.5)
}

TEST_CASE("marching squares matches a per-cell reference on random grids") {
  // Small integers make nodes equal to the level (ties count as above),
  // and -0, negative values, infinities and NaN all occur.
  std::mt19937 rng(7);
  const float specials[] = {-0.0f,
                            0.0f,
                            std::numeric_limits<float>::infinity(),
                            -std::numeric_limits<float>::infinity(),
                            std::numeric_limits<float>::quiet_NaN(),
                            1e-30f,
                            -1e-30f,
                            3.0e38f};
  const optim::Box box{-2.0, 3.0, -1.0, 1.5};
  std::size_t total = 0;
  for (int trial = 0; trial < 20; ++trial) {
    const int w = 2 + trial % 9, h = 2 + (trial * 7) % 11;
    std::vector<float> values(std::size_t(w) * h);
    for (float& v : values) {
      const int r = static_cast<int>(rng() % 40);
      v = r < 32 ? static_cast<float>(r % 9 - 4) * (r < 16 ? 1.0f : 0.5f)
                 : specials[r - 32];
    }
    for (double level :
         {-4.0, -1.5, -1.0, 0.0, 0.25, 1.0, 2.0, 3.9, 1e-30, -1e-40, 2.9e38}) {
      const auto got = optim::marching_squares(values, w, h, box, level);
      const auto expected = reference_contour(values, w, h, box, level);
      CAPTURE(trial);
      CAPTURE(level);
      CHECK(same_segments(got, expected));
      total += got.size() / 4;
    }
  }
  CHECK(total > 300);
  CHECK_THROWS_AS(optim::marching_squares({1, 2, 3}, 2, 2, box, 1.5),
                  std::invalid_argument);
  CHECK_THROWS_AS(optim::landscape_from_values({1, 2}, 2, 1, box, 3, true),
                  std::invalid_argument);
}

TEST_CASE("non-finite corners skip the cell; min and max ignore them") {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const float inf = std::numeric_limits<float>::infinity();
  // 3 x 2 nodes, two cells; the right cell has a NaN corner.
  const optim::Box box{0.0, 2.0, 0.0, 1.0};
  const std::vector<float> values = {0, 1, nan,  //
                                     0, 1, 1};
  const auto s = optim::marching_squares(values, 3, 2, box, 0.5);
  REQUIRE(s.size() == 4);  // the left cell only: a vertical line at x = 0.5
  CHECK(s[0] == doctest::Approx(0.5));
  CHECK(s[2] == doctest::Approx(0.5));

  // 4 x 2 nodes: only the left cell has four finite corners (TL 0, TR 4 /
  // BL 1, BR 2); the others touch inf, -inf or NaN.
  const auto l = optim::landscape_from_values({0, 4, inf, nan,  //
                                               1, 2, -inf, 3},
                                              4, 2, box, 3, false);
  CHECK(l.min == 0.0);
  CHECK(l.max == 4.0);
  CHECK(l.levels == std::vector<double>{1.0, 2.0, 3.0});
  // One segment per level, all inside the left cell x in [0, 2/3].
  CHECK(l.offsets == std::vector<std::uint32_t>{0, 1, 2, 3});
  for (std::size_t k = 0; k < l.segments.size(); k += 2) {
    CHECK(l.segments[k] >= 0.0f);
    CHECK(l.segments[k] <= 2.0f / 3 + 1e-6f);
  }

  const auto none =
      optim::landscape_from_values({nan, inf, nan, nan}, 2, 2, box, 5, true);
  CHECK(none.min == 0.0);
  CHECK(none.max == 0.0);
  CHECK(none.levels.empty());
  CHECK(none.offsets == std::vector<std::uint32_t>{0});

  // Through the configuration: Rosenbrock overflows float at |x| = 1e10, so
  // only the middle column is finite: f(0, y) = 1 + 100 y^2 with y in
  // {1e10, 0, -1e10} is 1e22, 1, 1e22.
  const auto r = optim::compute_landscape(optim::parse_landscape_config(
      {{"function", {{"name", "rosenbrock"}}},
       {"box",
        {{"xmin", -1e10}, {"xmax", 1e10}, {"ymin", -1e10}, {"ymax", 1e10}}},
       {"width", 3},
       {"height", 3}}));
  CHECK(std::isinf(r.values[0]));
  CHECK(r.min == 1.0);
  CHECK(r.max == doctest::Approx(1e22).epsilon(1e-6));
  CHECK(r.levels.size() == 20);
  CHECK(r.segments.empty());  // every cell has an infinite corner
}

TEST_CASE("compute_landscape: values, range, levels and offsets agree") {
  auto config = bowl_config(81);
  config["levels"] = 12;
  const auto l =
      optim::compute_landscape(optim::parse_landscape_config(config));
  CHECK(l.width == 81);
  CHECK(l.height == 81);
  CHECK(l.values.size() == 81u * 81u);
  CHECK(l.values[0] == 9.0f);             // corner (-3, 3)
  CHECK(l.values[40 * 81 + 40] == 0.0f);  // centre (0, 0)
  CHECK(l.min == 0.0);
  CHECK(l.max == 9.0);
  CHECK(l.levels == optim::contour_levels(0.0, 9.0, 12, true));
  REQUIRE(l.offsets.size() == 13);
  CHECK(l.offsets.front() == 0);
  CHECK(l.offsets.back() * 4 == l.segments.size());
  for (std::size_t k = 0; k < l.levels.size(); ++k) {
    CHECK(l.offsets[k] < l.offsets[k + 1]);  // every level has a contour
    // The block of level k is marching_squares at that level.
    const std::vector<float> block(l.segments.begin() + 4 * l.offsets[k],
                                   l.segments.begin() + 4 * l.offsets[k + 1]);
    CHECK(block ==
          optim::marching_squares(l.values, 81, 81, l.box, l.levels[k]));
    // And on its circle, within interpolation error.
    const double r = std::sqrt(2 * l.levels[k]);
    for (const Point& p : endpoints(block)) {
      CHECK(std::abs(std::hypot(p.x, p.y) - r) < 0.05 * 6.0 / 80);
    }
  }
  // Linear scale and zero levels.
  config["scale"] = "linear";
  config["levels"] = 2;
  const auto lin =
      optim::compute_landscape(optim::parse_landscape_config(config));
  CHECK(lin.levels == std::vector<double>{3.0, 6.0});
  config["levels"] = 0;
  const auto zero =
      optim::compute_landscape(optim::parse_landscape_config(config));
  CHECK(zero.levels.empty());
  CHECK(zero.segments.empty());
  CHECK(zero.offsets == std::vector<std::uint32_t>{0});

  const json j = optim::to_json(lin);
  CHECK(j["levels"] == json{3.0, 6.0});
  CHECK(j["offsets"].size() == 3);
  CHECK(j["segments"].size() == 4 * lin.offsets.back());
}

TEST_CASE("landscape configuration: defaults and invalid fields") {
  const auto c = optim::parse_landscape_config(
      {{"function", {{"name", "booth"}}}, {"width", 4}, {"height", 3}});
  CHECK(c.levels == 20);
  CHECK(c.log_scale);
  CHECK(c.width == 4);
  CHECK(c.height == 3);
  CHECK(c.box.xmin == -10.0);  // the function's domain
  CHECK(c.function["name"] == "booth");

  auto with = [](const char* key, json value) {
    json j = {{"function", {{"name", "booth"}}}, {"width", 4}, {"height", 3}};
    j[key] = std::move(value);
    return j;
  };
  CHECK(optim::parse_landscape_config(with("levels", 64)).levels == 64);
  CHECK_FALSE(optim::parse_landscape_config(with("scale", "linear")).log_scale);
  CHECK_THROWS_WITH_AS(optim::parse_landscape_config(with("levels", 65)),
                       "levels: 65 is not an integer in [0, 64]",
                       optim::ConfigError);
  CHECK_THROWS_WITH_AS(optim::parse_landscape_config(with("levels", 2.5)),
                       "levels: 2.5 is not an integer in [0, 64]",
                       optim::ConfigError);
  CHECK_THROWS_WITH_AS(optim::parse_landscape_config(with("levels", -1)),
                       doctest::Contains("levels: "), optim::ConfigError);
  CHECK_THROWS_WITH_AS(optim::parse_landscape_config(with("scale", "cubic")),
                       "scale: \"cubic\" is not one of \"log\", \"linear\"",
                       optim::ConfigError);
  CHECK_THROWS_WITH_AS(optim::parse_landscape_config(with("colour", "red")),
                       doctest::Contains("colour: unknown key 'colour'"),
                       optim::ConfigError);
  // Grid fields keep their messages.
  CHECK_THROWS_WITH_AS(optim::parse_landscape_config(with("width", 1)),
                       "width: 1 is not an integer in [2, 4096]",
                       optim::ConfigError);
  CHECK_THROWS_WITH_AS(
      optim::parse_landscape_config(with("function", {{"name", "nope"}})),
      doctest::Contains("function.name: unknown"), optim::ConfigError);
  CHECK_THROWS_AS(optim::parse_landscape_config(json::array()),
                  optim::ConfigError);
}

namespace {

json function_grid(const std::string& name, const json& params, double xmin,
                   double xmax, double ymin, double ymax, int w, int h) {
  return {
      {"function", {{"name", name}, {"params", params}}},
      {"box", {{"xmin", xmin}, {"xmax", xmax}, {"ymin", ymin}, {"ymax", ymax}}},
      {"width", w},
      {"height", h}};
}

// A colour map whose 256 colours are all different and differ from the
// non-finite colour, so a pixel tells which index it got.
optim::ColourMap distinct_colours() {
  optim::ColourMap map;
  for (int k = 0; k < 256; ++k) {
    map.colours[k] = {static_cast<std::uint8_t>(k),
                      static_cast<std::uint8_t>(255 - k),
                      static_cast<std::uint8_t>(k ^ 0x5A), 255};
  }
  map.missing = {7, 8, 9, 0};
  return map;
}

// The page's colour level of f, written out as web/render/landscape.js
// does: t = log1p(f - min) / log1p(max - min) or (f - min) / (max - min),
// clamped to [0, 1], table entry round(255 t).
int page_level(float f, double min, double max, bool log_scale) {
  const double span = max - min;
  if (!(span > 0)) return 0;
  const double v = f;
  double t =
      log_scale ? std::log1p(v - min) / std::log1p(span) : (v - min) / span;
  // Below min - 1 the log is NaN: the low end too (the page never gets
  // there, its min is the values' own).
  if (!(t > 0)) t = 0;
  if (t > 1) t = 1;
  return static_cast<int>(std::floor(t * 255 + 0.5));
}

// Checks every pixel of colour_pixels against page_level; returns how many
// pixels were checked.
std::size_t check_pixels(const std::vector<float>& values, double min,
                         double max, bool log_scale) {
  const optim::ColourMap map = distinct_colours();
  std::vector<std::uint8_t> rgba(4 * values.size(), 0xEE);
  optim::colour_pixels(values, min, max, log_scale, map, rgba.data());
  std::size_t bad = 0;
  for (std::size_t p = 0; p < values.size(); ++p) {
    const float f = values[p];
    const auto& want = std::isfinite(f)
                           ? map.colours[page_level(f, min, max, log_scale)]
                           : map.missing;
    const bool same = std::equal(want.begin(), want.end(), &rgba[4 * p]);
    if (!same && bad++ < 5) {
      CAPTURE(p);
      CAPTURE(f);
      CAPTURE(log_scale);
      CHECK(same);
    }
  }
  CHECK(bad == 0);
  return values.size();
}

}  // namespace

TEST_CASE("landscape values equal evaluate_grid bit for bit") {
  const std::vector<json> grids = {
      function_grid("rosenbrock", {{"a", 1.0}, {"b", 100.0}}, -2, 2, -1, 3, 203,
                    101),
      function_grid("rosenbrock", {{"a", -1.3}, {"b", 2.5}}, -3.1, 0.7, -2.2,
                    4.9, 77, 131),
      function_grid("rastrigin", {{"A", 10.0}}, -5.12, 5.12, -5.12, 5.12, 257,
                    199),
      function_grid("rastrigin", {{"A", 3.7}}, -0.3, 11.0, -7.5, 0.25, 64, 50),
      function_grid("rastrigin", {{"A", 0.0}}, -1, 1, -1, 1, 9, 7),
      function_grid("himmelblau", json::object(), -5, 5, -5, 5, 180, 121),
      function_grid("himmelblau", json::object(), 1e-3, 2e-3, -40, 3, 33, 17),
      // Functions without a loop of their own.
      function_grid("quadratic", {{"a", 1.0}, {"b", 10.0}, {"angle", 30.0}}, -4,
                    4, -3, 3, 40, 30),
      function_grid("ackley", json::object(), -5, 5, -5, 5, 41, 43),
  };
  for (const json& g : grids) {
    CAPTURE(g.dump());
    json config = g;
    config["levels"] = 3;
    const auto expected = optim::evaluate_grid(optim::parse_grid_config(g));
    const auto l =
        optim::compute_landscape(optim::parse_landscape_config(config));
    REQUIRE(l.values.size() == expected.size());
    std::size_t differ = 0;
    for (std::size_t p = 0; p < expected.size(); ++p) {
      differ += std::memcmp(&l.values[p], &expected[p], sizeof(float)) != 0;
    }
    CHECK(differ == 0);
  }
}

TEST_CASE("colour_pixels: each pixel is the table entry of its level") {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const float inf = std::numeric_limits<float>::infinity();
  std::size_t checked = 0;
  // Grids of real functions with their own range, on both scales.
  for (const char* name : {"rosenbrock", "rastrigin", "goldstein_price",
                           "saddle", "six_hump_camel"}) {
    json config = function_grid(name, nullptr, -2, 2, -1.5, 2.5, 160, 120);
    config["function"].erase("params");
    config["levels"] = 0;
    for (const char* scale : {"log", "linear"}) {
      config["scale"] = scale;
      const optim::ColourMap map = distinct_colours();
      const auto l =
          optim::compute_landscape(optim::parse_landscape_config(config), &map);
      REQUIRE(l.rgba.size() == 4 * l.values.size());
      CAPTURE(name);
      checked += check_pixels(l.values, l.min, l.max, scale[1] == 'o');
      // compute_landscape's pixels are colour_pixels of its values.
      std::vector<std::uint8_t> again(l.rgba.size());
      optim::colour_pixels(l.values, l.min, l.max, scale[1] == 'o', map,
                           again.data());
      CHECK(again == l.rgba);
    }
  }
  // Values right at the steps of the scale: each step value and its float
  // neighbours, for ranges from tiny to huge and across zero, plus
  // non-finite values and values outside [min, max].
  const std::pair<float, float> ranges[] = {{0.0f, 3600.0f},   {-2.5f, 7.0f},
                                            {1e-7f, 2e-7f},    {-1e30f, 1e30f},
                                            {-8.0f, -7.9999f}, {5.0f, 5.0f}};
  for (const auto& [lo, hi] : ranges) {
    for (bool log_scale : {true, false}) {
      std::vector<float> values = {lo, hi, nan, inf, -inf, -nan, -0.0f, 0.0f};
      const double span = double(hi) - double(lo);
      for (int k = 0; k < 256; ++k) {
        const double t = (k - 0.5) / 255;
        const float step = static_cast<float>(
            log_scale ? lo + std::expm1(t * std::log1p(span)) : lo + t * span);
        float v = step;
        for (int n = 0; n < 3; ++n) v = std::nextafter(v, -inf);
        for (int n = 0; n < 7; ++n) {
          if (v >= lo && v <= hi) values.push_back(v);
          v = std::nextafter(v, inf);
        }
      }
      std::mt19937 rng(3);
      std::uniform_real_distribution<double> u(0.0, 1.0);
      for (int n = 0; n < 2000; ++n) {
        values.push_back(static_cast<float>(lo + u(rng) * span));
      }
      CAPTURE(lo);
      CAPTURE(hi);
      checked += check_pixels(values, lo, hi, log_scale);
      // A range that is not the values' own: outside it, the clamped ends.
      checked +=
          check_pixels(values, lo + 0.25 * span, hi - 0.25 * span, log_scale);
      // And a range beyond the floats.
      checked += check_pixels(values, -1e300, 1e300, log_scale);
    }
  }
  CHECK(checked > 100000);
}

TEST_CASE("landscape contours of real functions match the per-cell reference") {
  for (const char* name :
       {"rosenbrock", "rastrigin", "himmelblau", "ackley", "goldstein_price"}) {
    json config = function_grid(name, nullptr, -2.5, 2.2, -1.7, 3.1, 61, 47);
    config["function"].erase("params");
    config["levels"] = 20;
    for (const char* scale : {"log", "linear"}) {
      config["scale"] = scale;
      const auto l =
          optim::compute_landscape(optim::parse_landscape_config(config));
      REQUIRE(l.offsets.size() == 21);
      std::size_t total = 0;
      for (std::size_t k = 0; k < 20; ++k) {
        const std::vector<float> block(
            l.segments.begin() + 4 * l.offsets[k],
            l.segments.begin() + 4 * l.offsets[k + 1]);
        CAPTURE(name);
        CAPTURE(scale);
        CAPTURE(k);
        CHECK(same_segments(
            block, reference_contour(l.values, 61, 47, l.box, l.levels[k])));
        total += block.size() / 4;
      }
      CHECK(total > 100);
    }
  }
}
