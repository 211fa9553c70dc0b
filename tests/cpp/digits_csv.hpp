// SPDX-License-Identifier: MIT
// The vendored digits for the native tests: the CSV that CMake decompresses
// from data/digits/digits.csv.gz into the build directory (OPTIM_DIGITS_CSV),
// read as the numbers the page passes to the trainer.
#pragma once

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace optim::test {

struct DigitsCsv {
  std::vector<double> pixels;  // 64 per image, row-major
  std::vector<double> labels;  // one per image
};

// One image per line: 64 pixel values, then the label (65 integers).
inline DigitsCsv read_digits_csv(const std::string& path = OPTIM_DIGITS_CSV) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error(path + ": cannot open the digits");
  DigitsCsv out;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    std::istringstream fields(line);
    std::string field;
    std::vector<double> row;
    while (std::getline(fields, field, ',')) row.push_back(std::stod(field));
    if (row.size() != 65) {
      throw std::runtime_error(path + ": a line of " +
                               std::to_string(row.size()) + " values, not 65");
    }
    out.pixels.insert(out.pixels.end(), row.begin(), row.end() - 1);
    out.labels.push_back(row.back());
  }
  return out;
}

}  // namespace optim::test
