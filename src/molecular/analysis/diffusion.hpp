#pragma once
// Self-diffusion from the mean square displacement (Einstein relation, 3 dimensions):
//
//   MSD(t) ≈ 6 D t + c   for t beyond the ballistic and caging regimes,
//
// D = slope / 6 with the slope of a least-squares line (slope and intercept free) through the MSD
// points whose lag lies in [start·T, end·T], T the longest lag (the run length). The default window
// 1/5 .. 1/2 skips the short-time regime and the long lags averaged over few time origins.
//
// Units: 1 Å²/fs = 1e-16 cm² / 1e-15 s = 0.1 cm²/s, so D[1e-5 cm²/s] = D[Å²/fs] · 1e4.
//
// Finite-size (Yeh–Hummer) correction, I.-C. Yeh and G. Hummer, J. Phys. Chem. B 108, 15873 (2004):
// a periodic box slows diffusion through the hydrodynamic self-interaction of the images,
//
//   D∞ = D_PBC + ξ k_B T / (6 π η L),   ξ = 2.837297 (cubic lattice),
//
// with k_B = 1.380649e-23 J/K, T in K, η the shear viscosity in Pa·s, L the box edge in m; the term
// is in m²/s and times 1e9 in 1e-5 cm²/s. For water near 300 K, η ≈ 0.85e-3 Pa·s; in a 12.43 Å box
// the correction is about 0.59e-5 cm²/s.
#include <cstddef>

#include "molecular/analysis/msd.hpp"

namespace ldyn::molecular::analysis {

/// 1 Å²/fs in units of 1e-5 cm²/s.
inline constexpr double angstrom2_per_fs_in_1e5_cm2_per_s = 1e4;
/// Yeh–Hummer's ξ for a cubic box.
inline constexpr double yeh_hummer_xi = 2.837297;

struct DiffusionWindow {
  double start = 0.2;  ///< fraction of the run length
  double end = 0.5;
};

struct DiffusionFit {
  double d_1e5_cm2_per_s = 0.0;  ///< D = slope/6
  double slope_a2_per_fs = 0.0;
  double intercept_a2 = 0.0;
  double lag_start_fs = 0.0, lag_end_fs = 0.0;  ///< first and last lag fitted
  std::size_t points = 0;
};

/// The number of MSD points the window holds (a fit needs 2).
std::size_t points_in_window(const MeanSquareDisplacement& msd, const DiffusionWindow& window);

/// Fits D. InvalidOption ("diffusion window") when 0 ≤ start < end ≤ 1 does not hold or the window
/// holds fewer than 2 points.
DiffusionFit fit_diffusion(const MeanSquareDisplacement& msd, const DiffusionWindow& window = {});

/// ξ k_B T / (6 π η L) in 1e-5 cm²/s, for T in K, η in Pa·s and L in Å. InvalidOption for an input
/// that is not finite and > 0.
double yeh_hummer_correction(double temperature_k, double viscosity_pa_s, double box_length_angstrom);

}  // namespace ldyn::molecular::analysis
