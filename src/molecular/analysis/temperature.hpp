#pragma once
// Instantaneous temperature of each frame from its velocities (equipartition):
//
//   T = Σ_i m_i |v_i|² / ((3N - 3) k_B)
//
// with standard atomic masses (SpeciesTable::standard) and 3N - 3 degrees of freedom: the
// thermostatted MD that made the data keeps the centre of mass at rest. Computed by
// molecular::temperature (system.hpp), the same function the engine reports with.
#include <vector>

#include "molecular/analysis/prepared_trajectory.hpp"

namespace ldyn::molecular::analysis {

/// The temperature (K) of every frame; empty when no frame carries velocities. FileError naming the
/// trajectory when only some do or a velocity is not finite; InvalidOption for a symbol without a
/// standard mass.
std::vector<double> frame_temperatures(const PreparedTrajectory& t);

}  // namespace ldyn::molecular::analysis
