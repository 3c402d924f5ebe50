#pragma once
// How far apart two radial distribution functions are: the mean absolute error
//
//   MAE = (1/K) Σ_k |g1(r_k) - g2(r_k)|
//
// over the bins k both share (same width w, both grids start at r = 0) whose upper edge is at most
// r_limit (6 Å: the first three solvation shells of water).
#include <span>

namespace ldyn::molecular::analysis {

/// MAE of g1 and g2 (bin widths w1, w2) on their common bins up to r_limit. InvalidOption when the
/// widths differ (by more than rounding) or no bin is common.
double rdf_mean_absolute_error(std::span<const double> g1, double w1, std::span<const double> g2, double w2,
                               double r_limit = 6.0);

}  // namespace ldyn::molecular::analysis
