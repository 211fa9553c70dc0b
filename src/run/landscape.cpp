// SPDX-License-Identifier: MIT
// Landscape grids with contour levels and marching-squares contour segments.
#include "run/landscape.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <string>
#include <utility>

#include "run/path.hpp"

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "lowest_nonzero_byte assumes a little-endian target"
#endif

namespace optim {
namespace {

// Band of a node: how many levels are <= its value, or kNonFinite. A node is
// above level k exactly when band > k, so a cell crosses the levels
// [min band, max band), and finding the cells that cross any level is one
// pass over the bands, whatever the number of levels.
using Band = std::uint8_t;
constexpr Band kNonFinite = 255;
constexpr Band kMixed = 128;  // flags a table bucket that contains a level
static_assert(kMaxContourLevels < kMixed, "bands must fit in 7 bits");

// An unsigned key with the order of the float: key(a) < key(b) exactly when
// a < b, for values other than NaN (and -0 < +0). Flips all bits of
// negative values and only the sign bit of the others.
std::uint32_t float_key(float v) {
  std::uint32_t u;
  std::memcpy(&u, &v, sizeof u);
  const std::uint32_t negative = 0u - (u >> 31);
  return u ^ (negative | 0x80000000u);
}

// The float of a key: the inverse of float_key.
float key_float(std::uint32_t key) {
  const std::uint32_t u = key & 0x80000000u ? key ^ 0x80000000u : ~key;
  float v;
  std::memcpy(&v, &u, sizeof v);
  return v;
}

// colour_pixels through a table over the top bits of the values' keys
// (float_key). The 255 values where colour_index steps are found once as
// keys: boundary[k] is the least key whose index is > k. Each table bucket
// covers a range of keys between those of min and max and stores the index
// of its first key: a value's index is that plus one if the value is at or
// past the next boundary. The few buckets that hold two boundaries or more
// (flagged kSteps) continue by comparing keys.
class ColourBuckets {
 public:
  ColourBuckets(double min, double max, bool log_scale)
      : min_(min), max_(max), log_(log_scale) {
    lo_ = float_key(static_cast<float>(min));
    hi_ = float_key(static_cast<float>(max));
    boundary_[255] = 0xFFFFFFFFu;
    for (int k = 0; k < 255; ++k) {
      boundary_[k] =
          first_key_with_index(k + 1, k == 0 ? lo_ : boundary_[k - 1]);
    }
    // At most kBuckets buckets over [lo_, hi_].
    while ((hi_ >> shift_) - (lo_ >> shift_) >= kBuckets) ++shift_;
    first_bucket_ = lo_ >> shift_;
    const std::uint32_t count = (hi_ >> shift_) - first_bucket_ + 1;
    table_.resize(count);
    int below = 0;  // boundaries <= the bucket's first key
    for (std::uint32_t b = 0; b < count; ++b) {
      const std::uint32_t first = std::max(lo_, (first_bucket_ + b) << shift_);
      const std::uint32_t last =
          std::min(hi_, first | ((std::uint32_t{1} << shift_) - 1));
      while (below < 255 && boundary_[below] <= first) ++below;
      int through = below;  // boundaries <= the bucket's last key
      while (through < 255 && boundary_[through] <= last) ++through;
      table_[b] = static_cast<std::uint16_t>(
          below | (through > below + 1 ? kSteps : 0));
    }
  }

  // rgba[4p .. 4p + 3] = the colour of values[p] for p < n: colours[index]
  // or `missing`. The table's fields are copied to locals first: the byte
  // stores into rgba may alias anything, so members would be reloaded for
  // every pixel.
  void colour(const float* values, std::size_t n,
              const std::uint32_t colours[256], std::uint32_t missing,
              std::uint8_t* rgba) const {
    const std::uint16_t* table = table_.data();
    const std::uint32_t count = static_cast<std::uint32_t>(table_.size());
    const std::uint32_t first_bucket = first_bucket_;
    const int shift = shift_;
    const std::uint32_t* boundary = boundary_;
    for (std::size_t p = 0; p < n; ++p) {
      const float v = values[p];
      const std::uint32_t key = float_key(v);
      const std::uint32_t b = (key >> shift) - first_bucket;
      std::uint32_t c;
      if (b < count) {
        // Most buckets hold at most one boundary: one compare, no branch.
        const std::uint16_t e = table[b];
        int k = (e & 0xFF) + (boundary[e & 0xFF] <= key);
        if (e & kSteps) {
          while (k < 255 && boundary[k] <= key) ++k;
        }
        c = colours[k];
      } else {
        // Outside [min, max]: non-finite (or finite, when min and max are
        // not the values' own range).
        c = v - v == 0.0f ? colours[colour_index(v, min_, max_, log_)]
                          : missing;
      }
      std::memcpy(rgba + 4 * p, &c, 4);
    }
  }

 private:
  static constexpr std::uint32_t kBuckets = 1 << 14;
  static constexpr std::uint16_t kSteps = 0x100;

  int index_of_key(std::int64_t key) const {
    return colour_index(key_float(static_cast<std::uint32_t>(key)), min_, max_,
                        log_);
  }

  // The least key in [from, hi_] whose index is >= k (indices grow with
  // the key between lo_ and hi_), hi_ + 1 if none. Starts from the key of
  // the value where the scale reaches index k - 1/2 and widens the search
  // from there, so it costs a few colour_index calls per boundary.
  std::uint32_t first_key_with_index(int k, std::uint32_t from) const {
    const double t = (k - 0.5) / 255.0, span = max_ - min_;
    const double guess_value =
        log_ ? min_ + std::expm1(t * std::log1p(span)) : min_ + t * span;
    std::uint32_t guess = float_key(static_cast<float>(guess_value));
    guess = std::min(std::max(guess, from), hi_);
    // Bracket (below, above]: index(below) < k <= index(above), with from - 1
    // and hi_ + 1 standing for the range's ends.
    std::int64_t below = std::int64_t{from} - 1, above = std::int64_t{hi_} + 1;
    if (index_of_key(guess) >= k) {
      above = guess;
      for (std::int64_t step = 1; above - step > below; step *= 2) {
        const std::int64_t probe = above - step;
        if (index_of_key(probe) < k) {
          below = probe;
          break;
        }
        above = probe;
      }
    } else {
      below = guess;
      for (std::int64_t step = 1; below + step < above; step *= 2) {
        const std::int64_t probe = below + step;
        if (index_of_key(probe) >= k) {
          above = probe;
          break;
        }
        below = probe;
      }
    }
    while (above - below > 1) {
      const std::int64_t mid = below + (above - below) / 2;
      (index_of_key(mid) >= k ? above : below) = mid;
    }
    return static_cast<std::uint32_t>(above);
  }

  double min_, max_;
  bool log_;
  std::uint32_t lo_, hi_;
  // boundary_[255] stays above every key: index 255 never steps.
  std::uint32_t boundary_[256] = {};
  int shift_ = 0;
  std::uint32_t first_bucket_ = 0;
  std::vector<std::uint16_t> table_;
};

// Corners of a cell and its edges; each edge runs from its left or upper
// corner A to corner B.
enum Corner { kTL, kTR, kBR, kBL };
enum Edge { kTop, kRight, kBottom, kLeft };
constexpr int kEdgeFrom[4] = {kTL, kTR, kBL, kTL};
constexpr int kEdgeTo[4] = {kTR, kBR, kBR, kBL};
constexpr int kEdgeColumn[4] = {0, 1, 0, 0};  // x of A: node column i + this
constexpr int kEdgeRow[4] = {0, 0, 1, 0};     // y of A: node row j + this

// The segments of each marching-squares case: index = case (bits TL 8, TR 4,
// BR 2, BL 1 set for corners at or above the level) + 16 when the cell
// centre, the average of the corners, is above. The centre matters only for
// the saddles 5 and 10: with it above, the two above corners connect through
// the cell, so case 5 cuts off TL and BR, and case 10 cuts off TR and BL.
// Cases 0 and 15 have no segment and are never looked up.
struct CaseSegments {
  int count;
  Edge edges[4];
};
constexpr CaseSegments kCases[32] = {
    // centre below
    {0, {}},
    {1, {kLeft, kBottom}},
    {1, {kBottom, kRight}},
    {1, {kLeft, kRight}},
    {1, {kTop, kRight}},
    {2, {kLeft, kBottom, kTop, kRight}},
    {1, {kTop, kBottom}},
    {1, {kLeft, kTop}},
    {1, {kLeft, kTop}},
    {1, {kTop, kBottom}},
    {2, {kLeft, kTop, kBottom, kRight}},
    {1, {kTop, kRight}},
    {1, {kLeft, kRight}},
    {1, {kBottom, kRight}},
    {1, {kLeft, kBottom}},
    {0, {}},
    // centre above
    {0, {}},
    {1, {kLeft, kBottom}},
    {1, {kBottom, kRight}},
    {1, {kLeft, kRight}},
    {1, {kTop, kRight}},
    {2, {kLeft, kTop, kBottom, kRight}},
    {1, {kTop, kBottom}},
    {1, {kLeft, kTop}},
    {1, {kLeft, kTop}},
    {1, {kTop, kBottom}},
    {2, {kLeft, kBottom, kTop, kRight}},
    {1, {kTop, kRight}},
    {1, {kLeft, kRight}},
    {1, {kBottom, kRight}},
    {1, {kLeft, kBottom}},
    {0, {}}};

// Segments of one level: a cell writes its one or two segments into room()
// and then commits what it wrote, so the capacity check runs once per cell.
class SegmentBuffer {
 public:
  explicit SegmentBuffer(std::size_t floats) : data_(floats) {}
  // Room for two segments (8 floats) at the end.
  float* room() {
    if (used_ + 8 > data_.size()) {
      data_.resize(std::max<std::size_t>(2 * data_.size(), used_ + 1024));
    }
    return data_.data() + used_;
  }
  void commit(std::size_t floats) { used_ += floats; }
  std::vector<float> take() {
    data_.resize(used_);
    return std::move(data_);
  }

 private:
  std::vector<float> data_;
  std::size_t used_ = 0;
};

class Contourer {
 public:
  Contourer(const std::vector<float>& values, int width, int height,
            const Box& box)
      : values_(values.data()),
        width_(width),
        height_(height),
        xmin_(box.xmin),
        ymax_(box.ymax),
        dx_((box.xmax - box.xmin) / (width - 1)),
        dy_((box.ymax - box.ymin) / (height - 1)) {}

  // The segments of each level; levels ascending.
  std::vector<std::vector<float>> run(const std::vector<double>& levels) {
    // A smooth contour across the box has about width + height segments.
    std::vector<SegmentBuffer> out(
        levels.size(), SegmentBuffer(4 * std::size_t(width_ + height_)));
    const std::size_t n = static_cast<std::size_t>(width_) * height_;
    std::vector<Band> bands(n);
    compute_bands(levels, bands.data());
    for (int j = 0; j + 1 < height_; ++j) {
      const Band* top = bands.data() + static_cast<std::size_t>(j) * width_;
      const Band* bottom = top + width_;
      auto cell = [&](int i) {
        const Band tl = top[i], tr = top[i + 1], br = bottom[i + 1],
                   bl = bottom[i];
        const Band lo = std::min(std::min(tl, tr), std::min(br, bl));
        const Band hi = std::max(std::max(tl, tr), std::max(br, bl));
        if (hi == kNonFinite) return;
        for (Band k = lo; k < hi; ++k) {
          const int c =
              (tl > k) << 3 | (tr > k) << 2 | (br > k) << 1 | (bl > k);
          emit_cell(i, j, c, levels[k], out[k]);
        }
      };
      // Most cells cross no level. Eight cells at a time: byte k of `d` is
      // nonzero when cell i + k has corners in different bands, and only
      // those cells are visited, so branches follow crossings, not cells.
      int i = 0;
      for (; i + 9 <= width_; i += 8) {
        std::uint64_t d = differences8(top + i, bottom + i);
        while (d != 0) {
          const int k = lowest_nonzero_byte(d);
          cell(i + k);
          d &= ~(std::uint64_t{0xFF} << (8 * k));
        }
      }
      for (; i + 1 < width_; ++i) {
        if (top[i] != top[i + 1] || top[i] != bottom[i] ||
            bottom[i] != bottom[i + 1]) {
          cell(i);
        }
      }
    }
    std::vector<std::vector<float>> segments;
    segments.reserve(out.size());
    for (auto& buffer : out) segments.push_back(buffer.take());
    return segments;
  }

 private:
  // bands[p] for every node: how many levels are <= its value, or
  // kNonFinite. Through a table over the top 16 bits of the value's ordered
  // key: most of its 65536 buckets lie within one band (or hold only inf
  // and NaN), so most nodes cost one lookup; only the few buckets that
  // contain a level compare keys. Measured on 800 x 600 grids with 20
  // levels: half the time of stepping from the left neighbour's band, a
  // quarter of a binary search per node (both mispredict branches).
  void compute_bands(const std::vector<double>& levels, Band* bands) const {
    // Each level as the key of the smallest float >= it: for a float v,
    // v >= level exactly when key(v) >= that key.
    const std::size_t count = levels.size();
    std::vector<std::uint32_t> keys(count);
    for (std::size_t k = 0; k < count; ++k) {
      float t = static_cast<float>(levels[k]);
      if (static_cast<double>(t) < levels[k]) {
        t = std::nextafter(t, std::numeric_limits<float>::infinity());
      }
      // -0 orders below +0 by key but compares equal: -0 >= 0 must hold.
      keys[k] = float_key(t == 0.0f ? -0.0f : t);
    }
    std::vector<Band> table(std::size_t{1} << 16);
    std::size_t below = 0;  // levels with key <= the bucket's first key
    for (std::uint32_t bucket = 0; bucket < table.size(); ++bucket) {
      const std::uint32_t first = bucket << 16, last = first | 0xFFFF;
      while (below < count && keys[below] <= first) ++below;
      std::size_t through = below;  // levels with key <= the last key
      while (through < count && keys[through] <= last) ++through;
      const std::uint32_t high_bits = bucket < 0x8000 ? ~bucket : bucket;
      const bool non_finite = (high_bits & 0x7F80) == 0x7F80;  // exponent
      table[bucket] = non_finite         ? kNonFinite
                      : through == below ? static_cast<Band>(below)
                                         : static_cast<Band>(kMixed | below);
    }
    const std::size_t n = static_cast<std::size_t>(width_) * height_;
    for (std::size_t p = 0; p < n; ++p) {
      const std::uint32_t key = float_key(values_[p]);
      Band b = table[key >> 16];
      if ((b & kMixed) && b != kNonFinite) {
        std::size_t k = b & ~kMixed;
        while (k < count && keys[k] <= key) ++k;
        b = static_cast<Band>(k);
      }
      bands[p] = b;
    }
  }

  // Byte k (in memory order) is nonzero when the corners of cell k, nodes
  // k and k + 1 of both rows, are not all in one band.
  static std::uint64_t differences8(const Band* top, const Band* bottom) {
    std::uint64_t t0, t1, b0, b1;
    std::memcpy(&t0, top, 8);
    std::memcpy(&t1, top + 1, 8);
    std::memcpy(&b0, bottom, 8);
    std::memcpy(&b1, bottom + 1, 8);
    return (t0 ^ t1) | (t0 ^ b0) | (b0 ^ b1);
  }

  // The memory index of the lowest nonzero byte of d != 0 on little-endian
  // targets (x86, ARM, WebAssembly; GCC and Clang builtin).
  static int lowest_nonzero_byte(std::uint64_t d) {
    return __builtin_ctzll(d) >> 3;
  }

  // The segments of level `level` in cell (i, j), case c. A crossing on an
  // edge is at t = (level - A) / (B - A) from its corner A; the edge's
  // corners, start and direction come from tables rather than a switch, as
  // the edges change from cell to cell unpredictably. Two cells sharing an
  // edge evaluate the same expression on the same numbers, so their
  // endpoints agree and contours close.
  void emit_cell(int i, int j, int c, double level, SegmentBuffer& out) const {
    const std::size_t p = static_cast<std::size_t>(j) * width_ + i;
    const double v[4] = {values_[p], values_[p + 1], values_[p + width_ + 1],
                         values_[p + width_]};
    const double xs[2] = {xmin_ + i * dx_, xmin_ + (i + 1) * dx_};
    const double ys[2] = {ymax_ - j * dy_, ymax_ - (j + 1) * dy_};
    // Along the edge: (dx, 0) for top and bottom, (0, -dy) for the sides.
    const double ux[4] = {dx_, 0.0, dx_, 0.0};
    const double uy[4] = {0.0, -dy_, 0.0, -dy_};
    const bool centre_above = (v[0] + v[1] + v[2] + v[3]) / 4 >= level;
    const CaseSegments& segments = kCases[c | centre_above << 4];
    float* q = out.room();
    for (int k = 0; k < 2 * segments.count; ++k) {
      const Edge e = segments.edges[k];
      const double a = v[kEdgeFrom[e]];
      const double t = (level - a) / (v[kEdgeTo[e]] - a);
      q[2 * k] = static_cast<float>(xs[kEdgeColumn[e]] + t * ux[e]);
      q[2 * k + 1] = static_cast<float>(ys[kEdgeRow[e]] + t * uy[e]);
    }
    out.commit(4 * segments.count);
  }

  const float* values_;
  int width_, height_;
  double xmin_, ymax_, dx_, dy_;
};

void check_grid(const std::vector<float>& values, int width, int height) {
  if (width < 2 || height < 2 ||
      values.size() != static_cast<std::size_t>(width) * height) {
    throw std::invalid_argument(
        "a grid needs width, height >= 2 and width * height values, got " +
        std::to_string(values.size()) + " values for " + std::to_string(width) +
        " x " + std::to_string(height));
  }
}

// The least and greatest finite value, or 0 and 0 when there is none.
// Eight independent lanes without branches, so that compilers vectorize it
// (one running minimum is a chain of dependent compares); v - v is 0 exactly
// for finite v and NaN for inf and NaN.
void finite_range(const std::vector<float>& values, float& min, float& max) {
  constexpr int kLanes = 8;
  float lo[kLanes], hi[kLanes];
  for (int k = 0; k < kLanes; ++k) {
    lo[k] = std::numeric_limits<float>::infinity();
    hi[k] = -std::numeric_limits<float>::infinity();
  }
  const std::size_t n = values.size();
  std::size_t p = 0;
  for (; p + kLanes <= n; p += kLanes) {
    for (int k = 0; k < kLanes; ++k) {
      const float v = values[p + k];
      const bool finite = v - v == 0.0f;
      lo[k] = finite && v < lo[k] ? v : lo[k];
      hi[k] = finite && v > hi[k] ? v : hi[k];
    }
  }
  for (; p < n; ++p) {
    const float v = values[p];
    if (v - v == 0.0f) {
      lo[0] = std::min(lo[0], v);
      hi[0] = std::max(hi[0], v);
    }
  }
  min = *std::min_element(lo, lo + kLanes);
  max = *std::max_element(hi, hi + kLanes);
  if (!(min <= max)) min = max = 0.0f;
}

}  // namespace

LandscapeConfig parse_landscape_config(const json& j) {
  if (!j.is_object()) {
    throw ConfigError(
        "", "the landscape configuration must be a JSON object, got " +
                describe_json(j));
  }
  static const char* const kKnown[] = {"function", "box",    "width",
                                       "height",   "levels", "scale"};
  for (const auto& item : j.items()) {
    const std::string& key = item.key();
    if (std::find(std::begin(kKnown), std::end(kKnown), key) ==
        std::end(kKnown)) {
      throw ConfigError(key, "unknown key '" + key +
                                 "' in the landscape configuration (expected "
                                 "function, box, width, height, levels, "
                                 "scale)");
    }
  }
  json grid_json = j;
  grid_json.erase("levels");
  grid_json.erase("scale");
  const GridConfig grid = parse_grid_config(grid_json);

  LandscapeConfig config{grid.function, grid.box, grid.width, grid.height};
  if (j.contains("levels")) {
    const json& v = j["levels"];
    const double d = v.is_number() ? v.get<double>() : NAN;
    if (!(std::floor(d) == d && d >= 0 && d <= kMaxContourLevels)) {
      throw ConfigError("levels", describe_json(v) +
                                      " is not an integer in [0, " +
                                      std::to_string(kMaxContourLevels) + "]");
    }
    config.levels = static_cast<int>(d);
  }
  if (j.contains("scale")) {
    const json& v = j["scale"];
    if (v == "log" || v == "linear") {
      config.log_scale = v == "log";
    } else {
      throw ConfigError(
          "scale", describe_json(v) + " is not one of \"log\", \"linear\"");
    }
  }
  return config;
}

LandscapeConfig parse_heatmap_config(const json& j) {
  if (j.is_object() && j.contains("levels")) {
    throw ConfigError("levels", "a heat map has no contour levels");
  }
  LandscapeConfig config = parse_landscape_config(j);
  config.levels = 0;
  return config;
}

ColourMap parse_colour_table(const std::vector<std::uint8_t>& rgb) {
  if (rgb.size() != 768 && rgb.size() != 771) {
    throw std::invalid_argument(
        "colours: expected a Uint8Array or Uint8ClampedArray of 256 RGB "
        "entries (768 bytes), optionally + 3 for non-finite values (771)");
  }
  ColourMap map;
  for (int k = 0; k < 256; ++k) {
    map.colours[k] = {rgb[3 * k], rgb[3 * k + 1], rgb[3 * k + 2], 255};
  }
  map.missing =
      rgb.size() == 771
          ? std::array<std::uint8_t, 4>{rgb[768], rgb[769], rgb[770], 255}
          : std::array<std::uint8_t, 4>{0, 0, 0, 0};
  return map;
}

std::vector<double> contour_levels(double min, double max, int count,
                                   bool log_scale) {
  std::vector<double> levels;
  if (!(max > min) || count <= 0) return levels;
  levels.reserve(count);
  const double range = max - min;
  const double log_range = std::log1p(range);
  for (int i = 0; i < count; ++i) {
    const double t = static_cast<double>(i + 1) / (count + 1);
    levels.push_back(log_scale ? min + std::expm1(t * log_range)
                               : min + t * range);
  }
  return levels;
}

int colour_index(double f, double min, double max, bool log_scale) {
  if (!(max > min)) return 0;
  double t = log_scale ? std::log1p(f - min) / std::log1p(max - min)
                       : (f - min) / (max - min);
  t = t > 0.0 ? std::min(t, 1.0) : 0.0;  // NaN (f < min - 1 on log) to 0
  return static_cast<int>(std::round(255.0 * t));
}

void colour_pixels(const std::vector<float>& values, double min, double max,
                   bool log_scale, const ColourMap& map, std::uint8_t* rgba) {
  // Colours as 32-bit words in memory order, one store per pixel.
  std::uint32_t colours[256], missing;
  for (int k = 0; k < 256; ++k) {
    std::memcpy(&colours[k], map.colours[k].data(), 4);
  }
  std::memcpy(&missing, map.missing.data(), 4);
  const std::size_t n = values.size();
  // The table needs a range of finite floats (compute_landscape's always
  // is); other ranges take colour_index per value.
  if (!(max > min) || !std::isfinite(max - min) ||
      !std::isfinite(static_cast<float>(min)) ||
      !std::isfinite(static_cast<float>(max))) {
    for (std::size_t p = 0; p < n; ++p) {
      const float v = values[p];
      const std::uint32_t c =
          v - v == 0.0f ? colours[colour_index(v, min, max, log_scale)]
                        : missing;
      std::memcpy(rgba + 4 * p, &c, 4);
    }
    return;
  }
  ColourBuckets(min, max, log_scale)
      .colour(values.data(), n, colours, missing, rgba);
}

std::vector<float> marching_squares(const std::vector<float>& values, int width,
                                    int height, const Box& box, double level) {
  check_grid(values, width, height);
  return std::move(Contourer(values, width, height, box).run({level})[0]);
}

Landscape landscape_from_values(std::vector<float> values, int width,
                                int height, const Box& box, int levels,
                                bool log_scale) {
  check_grid(values, width, height);
  Landscape l;
  l.values = std::move(values);
  l.width = width;
  l.height = height;
  l.box = box;
  float lo, hi;
  finite_range(l.values, lo, hi);
  l.min = lo;
  l.max = hi;
  l.levels = contour_levels(lo, hi, levels, log_scale);
  l.offsets.push_back(0);
  if (l.levels.empty()) return l;

  const auto per_level = Contourer(l.values, width, height, box).run(l.levels);
  std::size_t total = 0;
  for (const auto& s : per_level) total += s.size();
  l.segments.reserve(total);
  l.offsets.reserve(per_level.size() + 1);
  for (const auto& s : per_level) {
    l.segments.insert(l.segments.end(), s.begin(), s.end());
    l.offsets.push_back(static_cast<std::uint32_t>(l.segments.size() / 4));
  }
  return l;
}

Landscape compute_landscape(const LandscapeConfig& config,
                            const ColourMap* colours) {
  const GridConfig grid{config.function, config.box, config.width,
                        config.height};
  Landscape l =
      landscape_from_values(evaluate_grid(grid), config.width, config.height,
                            config.box, config.levels, config.log_scale);
  if (colours != nullptr) {
    l.rgba.resize(4 * l.values.size());
    colour_pixels(l.values, l.min, l.max, config.log_scale, *colours,
                  l.rgba.data());
  }
  return l;
}

json to_json(const Landscape& l) {
  return {{"width", l.width},
          {"height", l.height},
          {"box",
           {{"xmin", l.box.xmin},
            {"xmax", l.box.xmax},
            {"ymin", l.box.ymin},
            {"ymax", l.box.ymax}}},
          {"min", l.min},
          {"max", l.max},
          {"levels", l.levels},
          {"values", l.values},
          {"segments", l.segments},
          {"offsets", l.offsets}};
}

void release(Landscape&& landscape) {
  const Landscape freed(std::move(landscape));
}

void release(std::vector<std::uint8_t>&& bytes) {
  const std::vector<std::uint8_t> freed(std::move(bytes));
}

}  // namespace optim
