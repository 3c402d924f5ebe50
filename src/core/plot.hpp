#pragma once
// Line plots as PNG files, drawn by gnuplot (Debian's gnuplot-nox, pngcairo terminal).
// Plotting is an extra: when gnuplot is missing the caller gets `false` and a reason, the run goes on.
#include <filesystem>
#include <string>
#include <vector>

namespace ldyn {

struct PlotSeries {
  std::string name;
  std::vector<double> x, y;
};

struct LinePlot {
  std::string title;
  std::string xlabel = "step";
  std::string ylabel;
  bool log_x = false;
  bool log_y = false;
  std::vector<PlotSeries> series;
};

/// Renders `plot` to `png` (atomically). Returns false and sets `why` if it could not.
bool write_png(const LinePlot& plot, const std::filesystem::path& png, std::string* why = nullptr);

/// True when a gnuplot executable is on PATH.
bool gnuplot_available();

}  // namespace ldyn
