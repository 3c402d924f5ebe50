#pragma once
// Small text helpers shared by the subcommands: printf-style formatting, JSON values, and plots
// that warn instead of failing when gnuplot is missing.
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <string>

#include "core/plot.hpp"

namespace ldyn::cli {

/// printf into a std::string.
template <class... Args>
std::string format(const char* pattern, Args... args) {
  char buf[512];
  std::snprintf(buf, sizeof buf, pattern, args...);
  return buf;
}

/// A JSON number, or null when it is not finite.
inline std::string json_number(double v) { return std::isfinite(v) ? format("%.10g", v) : "null"; }

/// A JSON string with quotes, backslashes and control characters escaped.
inline std::string json_string(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (static_cast<unsigned char>(c) < 0x20) {
      out += format("\\u%04x", static_cast<unsigned>(c));
      continue;
    }
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

/// Writes the PNG and says so, or warns on stderr why it could not (the job goes on).
inline void save_plot(const LinePlot& plot, const std::filesystem::path& png) {
  std::string why;
  if (write_png(plot, png, &why))
    std::printf("plot: %s\n", png.string().c_str());
  else
    std::fprintf(stderr, "warning: no plot %s: %s\n", png.string().c_str(), why.c_str());
}

}  // namespace ldyn::cli
