#pragma once
// Mean square displacement of one species (ldyn uses the oxygens for water: the O carries 89% of
// the molecule's mass, follows its centre of mass to within the ~0.1 Å of libration, and needs no
// molecule assignment, which a proton hop would change).
//
// Unwrapping: u_0 = x_0 and u_f = u_{f-1} + mic(x_f - x_{f-1}), mic the minimum image in frame f's
// box. Correct whether the file wraps positions into the box or not, as long as no atom moves half
// a box edge between two frames read.
//
// MSD(k·Δt) = 1/((F-k)·n) Σ_{t0=0}^{F-1-k} Σ_i |u_i(t0+k) - u_i(t0)|²: every frame is a time origin,
// for lags k = 0 .. F-1 (cost O(F² n), threads over lags).
#include <vector>

#include <Eigen/Core>

#include "molecular/analysis/prepared_trajectory.hpp"

namespace ldyn::molecular::analysis {

/// Row f: the unwrapped coordinates of the selected atoms in frame f (x0 y0 z0 x1 y1 z1 ...), Å.
using UnwrappedPositions = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

/// The unwrapped positions of the atoms of species index `species` (in file order).
UnwrappedPositions unwrapped_positions(const PreparedTrajectory& t, int species);

struct MeanSquareDisplacement {
  std::vector<double> lag_fs;  ///< k·Δt, k = 0 .. F-1
  std::vector<double> msd;     ///< Å²
};

/// The MSD of the atoms of `symbol` for frames `frame_interval_fs` apart. Error when no atom has
/// that symbol; InvalidOption when the interval is not > 0.
MeanSquareDisplacement mean_square_displacement(const PreparedTrajectory& t, std::string_view symbol,
                                                double frame_interval_fs);

}  // namespace ldyn::molecular::analysis
