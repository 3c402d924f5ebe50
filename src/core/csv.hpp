#pragma once
// A CSV table built in memory and written atomically. Non-finite numbers are written as empty
// fields, so spreadsheet and pandas readers see missing values rather than strings.
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "core/atomic_file.hpp"

namespace ldyn {

class CsvTable {
 public:
  explicit CsvTable(std::vector<std::string> columns) : columns_(std::move(columns)) {
    for (std::size_t i = 0; i < columns_.size(); ++i) text_ += (i ? "," : "") + columns_[i];
    text_ += '\n';
  }
  /// Appends one row; `cells` must have one entry per column.
  void add_row(const std::vector<std::string>& cells) {
    for (std::size_t i = 0; i < cells.size(); ++i) text_ += (i ? "," : "") + cells[i];
    text_ += '\n';
  }
  static std::string number(double v) {
    if (!std::isfinite(v)) return {};
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.10g", v);
    return buf;
  }
  static std::string integer(long v) { return std::to_string(v); }
  const std::string& text() const { return text_; }
  void write(const std::filesystem::path& path) const { write_text_atomically(path, text_); }

 private:
  std::vector<std::string> columns_;
  std::string text_;
};

}  // namespace ldyn
