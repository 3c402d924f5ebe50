#include "molecular/analysis/rdf_error.hpp"

#include <algorithm>
#include <cmath>

#include "core/error.hpp"

namespace ldyn::molecular::analysis {

double rdf_mean_absolute_error(std::span<const double> g1, double w1, std::span<const double> g2, double w2,
                               double r_limit) {
  if (!(w1 > 0.0) || std::abs(w1 - w2) > 1e-9 * w1)
    throw InvalidOption("bin width", "the two g(r) have different bins; compute them with the same width");
  const auto below_limit = static_cast<std::size_t>(std::floor(r_limit / w1 + 1e-9));
  const std::size_t bins = std::min({g1.size(), g2.size(), below_limit});
  if (bins == 0) throw InvalidOption("r limit", "no bin of the two g(r) lies below it");
  double sum = 0.0;
  for (std::size_t k = 0; k < bins; ++k) sum += std::abs(g1[k] - g2[k]);
  return sum / static_cast<double>(bins);
}

}  // namespace ldyn::molecular::analysis
