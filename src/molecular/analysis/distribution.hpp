#pragma once
// The distribution of a sampled quantity (a bond length, an angle): a histogram on a fixed range
// plus the mean and standard deviation of all samples (those outside the range included).
//
//   mean = (1/n) Σ x_i,   std = sqrt((1/n) Σ (x_i - mean)²)   (population form: n samples are the
//   whole trajectory, not a sample of it)
//
// The histogram is a probability density: density_k = count_k / (n · w), so that Σ density_k · w is
// the fraction of samples inside [lo, hi).
#include <cstddef>
#include <span>
#include <vector>

namespace ldyn::molecular::analysis {

struct Distribution {
  double lo = 0.0, bin_width = 0.0;
  std::vector<double> centre;   ///< bin centres
  std::vector<double> density;  ///< per unit of the quantity
  double mean = 0.0, stddev = 0.0;
  std::size_t samples = 0;
  std::size_t outside = 0;      ///< samples outside [lo, hi)
};

/// The distribution of `samples` (Error if there are none) with bins of `bin_width` on [lo, hi).
Distribution distribution(std::span<const double> samples, double lo, double hi, double bin_width);

}  // namespace ldyn::molecular::analysis
