#include "molecular/analysis/rdf_peak.hpp"

#include <cmath>

#include "core/error.hpp"

namespace ldyn::molecular::analysis {

std::optional<Peak> first_peak(std::span<const double> r, std::span<const double> g, double bin_width,
                               const PeakOptions& options) {
  if (r.size() != g.size()) throw InvalidOption("peak", "r and g(r) differ in size");
  if (!(bin_width > 0.0) || !(options.window > 0.0))
    throw InvalidOption("peak", "bin width and window must be > 0");
  std::size_t rise = 0;
  while (rise < g.size() && !(g[rise] >= options.rise_threshold)) ++rise;
  if (rise == g.size()) return std::nullopt;
  std::size_t m = rise;
  for (std::size_t k = rise; k < g.size() && r[k] <= r[rise] + options.window; ++k)
    if (g[k] > g[m]) m = k;
  Peak peak{r[m], g[m]};
  if (m == 0 || m + 1 == g.size()) return peak;
  const double left = g[m - 1], right = g[m + 1];
  const double curvature = left - 2.0 * g[m] + right;
  if (!(curvature < 0.0)) return peak;
  const double delta = (left - right) / (2.0 * curvature);
  peak.position += delta * bin_width;
  peak.height -= 0.25 * (left - right) * delta;
  return peak;
}

}  // namespace ldyn::molecular::analysis
