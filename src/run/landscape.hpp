// SPDX-License-Identifier: MIT
// The loss landscape for the page: a grid of values, its heat map as RGBA
// pixels through a colour table, and its contour lines (marching squares),
// computed together in one call.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "run/config.hpp"

namespace optim {

inline constexpr int kMaxContourLevels = 64;

struct LandscapeConfig {
  json function;  // normalized {"name", "params"}
  Box box;
  int width;
  int height;
  int levels = 20;
  bool log_scale = true;
};

// The grid configuration (see parse_grid_config) plus "levels": integer in
// [0, kMaxContourLevels] (default 20) and "scale": "log" | "linear" (default
// "log"). Unknown keys are errors. Throws ConfigError with the field path.
LandscapeConfig parse_landscape_config(const json& config);

struct Landscape {
  std::vector<float> values;  // values[j * width + i], row 0 = top = ymax
  int width = 0;
  int height = 0;
  Box box{};
  double min = 0.0;  // over finite values only; 0 when there are none
  double max = 0.0;
  std::vector<double> levels;  // ascending
  // [x0, y0, x1, y1, ...] in world coordinates, 4 floats per segment.
  std::vector<float> segments;
  // levels.size() + 1 entries: the segments of level k are the segment
  // indices offsets[k] .. offsets[k + 1] - 1.
  std::vector<std::uint32_t> offsets;
  // The heat map, 4 bytes R, G, B, A per node in the order of values; empty
  // unless computed with a colour map.
  std::vector<std::uint8_t> rgba;
};

// The heat map's colours: colours[k] for colour_index k, `missing` for
// non-finite values; each R, G, B, A.
struct ColourMap {
  std::array<std::array<std::uint8_t, 4>, 256> colours;
  std::array<std::uint8_t, 4> missing;
};

// The heat map's configuration: a landscape configuration without "levels"
// (ConfigError "levels" if given); levels is 0.
LandscapeConfig parse_heatmap_config(const json& config);

// The colour map of a colour table: 256 RGB entries (768 bytes) for t = 0..1,
// optionally followed by one more for non-finite values (771 bytes; without
// it they are transparent). Throws std::invalid_argument for other sizes.
ColourMap parse_colour_table(const std::vector<std::uint8_t>& rgb);

// The colour table index of a finite value f on the page's scale:
// t = log1p(f - min) / log1p(max - min) (log) or (f - min) / (max - min)
// (linear), clamped to [0, 1], index round(255 t); 0 when max <= min.
int colour_index(double f, double min, double max, bool log_scale);

// rgba[4k .. 4k + 3] = the colour of values[k]: map.colours[colour_index(
// values[k], min, max, log_scale)] for finite values, map.missing otherwise.
// rgba holds 4 * values.size() bytes. The same pixels as colour_index per
// value, without its logarithm per value: the values where the index steps
// are found once, then each value takes one table lookup by its top bits.
void colour_pixels(const std::vector<float>& values, double min, double max,
                   bool log_scale, const ColourMap& map, std::uint8_t* rgba);

// The landscape of the config, its heat map too when `colours` is given.
// The values are evaluate_grid's (each function's grid_values()).
Landscape compute_landscape(const LandscapeConfig& config,
                            const ColourMap* colours = nullptr);

// Free a landscape, or a heat map's pixels, here, compiled for speed: see
// release(RunResult&&) in path.hpp.
void release(Landscape&& landscape);
void release(std::vector<std::uint8_t>&& bytes);

// The landscape of given grid values (as evaluate_grid lays them out).
// Throws std::invalid_argument unless width, height >= 2 and values has
// width * height entries (so does marching_squares).
Landscape landscape_from_values(std::vector<float> values, int width,
                                int height, const Box& box, int levels,
                                bool log_scale);

// `count` levels strictly between min and max, ascending, i = 0..count-1:
// linear: min + (i+1)/(count+1) (max - min);
// log:    min + expm1((i+1)/(count+1) log1p(max - min)), denser near the
// minimum, matching the page's colour scale t = log1p(f - min) /
// log1p(max - min). Empty when max <= min.
std::vector<double> contour_levels(double min, double max, int count,
                                   bool log_scale);

// The contour of one level as segments [x0, y0, x1, y1, ...] in world
// coordinates: marching squares over the grid nodes with linear
// interpolation on cell edges. A node counts as above when value >= level;
// saddle cells take the average of their corners as the centre value; cells
// with a non-finite corner are skipped. Segments come cell by cell, rows top
// to bottom; endpoints on an edge shared by two cells are equal, so a
// contour away from the boundary is closed.
std::vector<float> marching_squares(const std::vector<float>& values, int width,
                                    int height, const Box& box, double level);

// {"width", "height", "box": {xmin, xmax, ymin, ymax}, "min", "max",
//  "levels": [...], "values": [...], "segments": [...], "offsets": [...]}.
json to_json(const Landscape& landscape);

}  // namespace optim
