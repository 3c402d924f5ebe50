#include "core/plot.hpp"

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <unistd.h>

namespace ldyn {
namespace {

std::string quote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

}  // namespace

bool gnuplot_available() { return std::system("command -v gnuplot >/dev/null 2>&1") == 0; }

bool write_png(const LinePlot& plot, const std::filesystem::path& png, std::string* why) {
  namespace fs = std::filesystem;
  auto fail = [&](const std::string& reason) {
    if (why) *why = reason;
    return false;
  };
  if (!gnuplot_available()) return fail("gnuplot not found (apt-get install gnuplot-nox)");
  std::error_code ec;
  const fs::path parent = png.has_parent_path() ? png.parent_path() : fs::path(".");
  fs::create_directories(parent, ec);
  const std::string stem = "." + png.filename().string() + ".tmp" + std::to_string(::getpid());
  const fs::path data = parent / (stem + ".dat"), script = parent / (stem + ".gp"),
                 tmp_png = parent / (stem + ".png");
  {
    std::ofstream d(data);
    d.precision(10);
    for (const auto& s : plot.series) {
      for (std::size_t i = 0; i < s.x.size() && i < s.y.size(); ++i) {
        // Log axes cannot show non-positive values; gnuplot skips lines it cannot parse.
        if ((plot.log_y && !(s.y[i] > 0)) || (plot.log_x && !(s.x[i] > 0)) || !std::isfinite(s.y[i]))
          d << "? ?\n";
        else
          d << s.x[i] << ' ' << s.y[i] << '\n';
      }
      d << "\n\n";
    }
    std::ofstream g(script);
    g << "set terminal pngcairo size 900,600 enhanced font 'Sans,11'\n"
      << "set output " << quote(tmp_png.string()) << "\n"
      << "set title " << quote(plot.title) << " noenhanced\n"
      << "set xlabel " << quote(plot.xlabel) << " noenhanced\n"
      << "set ylabel " << quote(plot.ylabel) << " noenhanced\n"
      << "set grid\nset key outside right noenhanced\nset datafile missing '?'\n";
    if (plot.log_y) g << "set logscale y\nset format y '10^{%L}'\n";
    if (plot.log_x) g << "set logscale x\nset format x '10^{%L}'\n";
    g << "plot ";
    for (std::size_t i = 0; i < plot.series.size(); ++i) {
      if (i) g << ", ";
      g << quote(data.string()) << " index " << i << " using 1:2 with lines lw 2 title "
        << quote(plot.series[i].name);
    }
    g << "\n";
  }
  const std::string cmd = "gnuplot " + quote(script.string()) + " 2>/dev/null";
  const int rc = std::system(cmd.c_str());
  fs::remove(data, ec);
  fs::remove(script, ec);
  if (rc != 0 || !fs::exists(tmp_png)) {
    fs::remove(tmp_png, ec);
    return fail("gnuplot failed to draw " + png.string());
  }
  fs::rename(tmp_png, png, ec);
  if (ec) return fail("cannot move the plot into place: " + ec.message());
  return true;
}

}  // namespace ldyn
