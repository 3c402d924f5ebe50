#pragma once
// The first peak of a radial distribution function.
//
// The "first rise" is the first bin where g reaches `rise_threshold` (0.5: below the first peak of
// every pair of liquid water, above the noise of the excluded-volume region). The peak is the
// highest bin m in the window [r_rise, r_rise + window]; a parabola through bins m-1, m, m+1
// (the highest bin and its neighbours) refines it between bins:
//
//   δ = (g[m-1] - g[m+1]) / (2 (g[m-1] - 2 g[m] + g[m+1])),   |δ| ≤ 1/2 when g[m] is the highest,
//   r_peak = r[m] + δ·w,   g_peak = g[m] - (g[m-1] - g[m+1]) δ / 4.
//
// At the ends of the grid, or where the three bins are not concave (a flat top), the bin itself is
// the answer.
#include <optional>
#include <span>

namespace ldyn::molecular::analysis {

struct PeakOptions {
  double rise_threshold = 0.5;  ///< g value that marks the first rise
  double window = 1.0;          ///< Å searched above the first rise
};

struct Peak {
  double position = 0.0;  ///< Å
  double height = 0.0;
};

/// The first peak of g sampled at bin centres r (spacing `bin_width`); nullopt when g never reaches
/// the rise threshold. InvalidOption for sizes that differ, a bin width or window that is not > 0.
std::optional<Peak> first_peak(std::span<const double> r, std::span<const double> g, double bin_width,
                               const PeakOptions& options = {});

}  // namespace ldyn::molecular::analysis
