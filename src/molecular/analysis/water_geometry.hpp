#pragma once
// Intramolecular geometry of water, sampled over every frame: the O–H bond length of every H (to
// the O its molecule is built on, molecules.hpp) and the H–O–H angle of every molecule with exactly
// two H (molecules with another count, e.g. during a proton hop, give bonds but no angle).
// Vectors are minimum-image differences, so molecules split by the box edge are measured whole.
#include <cstddef>
#include <vector>

#include "molecular/analysis/prepared_trajectory.hpp"

namespace ldyn::molecular::analysis {

struct WaterGeometrySamples {
  std::vector<double> bond_oh;    ///< Å, frame by frame, H atoms in file order
  std::vector<double> angle_hoh;  ///< degrees, frame by frame, O atoms in file order
  std::size_t molecules_without_two_h = 0;  ///< (frame, O) pairs skipped for the angle
};

/// Bond lengths and angles of every frame (empty when the trajectory has no O or no H).
WaterGeometrySamples water_geometry(const PreparedTrajectory& t);

}  // namespace ldyn::molecular::analysis
