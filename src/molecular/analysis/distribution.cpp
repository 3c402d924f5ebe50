#include "molecular/analysis/distribution.hpp"

#include <cmath>

#include "core/error.hpp"

namespace ldyn::molecular::analysis {

Distribution distribution(std::span<const double> samples, double lo, double hi, double bin_width) {
  if (samples.empty()) throw Error("a distribution needs at least one sample");
  if (!(bin_width > 0.0 && hi > lo)) throw InvalidOption("histogram", "needs hi > lo and a bin width > 0");
  Distribution d;
  d.lo = lo;
  d.bin_width = bin_width;
  d.samples = samples.size();
  const auto bins = static_cast<std::size_t>(std::ceil((hi - lo) / bin_width - 1e-9));
  std::vector<double> count(bins, 0.0);
  double sum = 0.0;
  for (double x : samples) {
    sum += x;
    const double k = std::floor((x - lo) / bin_width);
    if (k >= 0.0 && k < static_cast<double>(bins)) count[static_cast<std::size_t>(k)] += 1.0;
    else ++d.outside;
  }
  const auto n = static_cast<double>(samples.size());
  d.mean = sum / n;
  double squares = 0.0;
  for (double x : samples) squares += (x - d.mean) * (x - d.mean);
  d.stddev = std::sqrt(squares / n);
  d.centre.resize(bins);
  d.density.resize(bins);
  for (std::size_t k = 0; k < bins; ++k) {
    d.centre[k] = lo + (static_cast<double>(k) + 0.5) * bin_width;
    d.density[k] = count[k] / (n * bin_width);
  }
  return d;
}

}  // namespace ldyn::molecular::analysis
