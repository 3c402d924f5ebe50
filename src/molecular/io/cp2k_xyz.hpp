#pragma once
// CP2K's XYZ trajectories: PROJECT-pos-1.xyz, -frc-1.xyz, -vel-1.xyz (MOTION/PRINT).
//
//       192                                         <- atom count
//  i =        0, time =        0.000, E =      3751.3248901833   <- step, time [fs], E [Hartree]
//   O         1.5019857156        1.4129343304        0.4320269379
//   ...
//
// The files do not say their unit: the caller does. CP2K prints positions in Å, forces in
// Hartree/Bohr and velocities in Bohr/(atomic time unit) unless the PRINT section sets UNIT.
// Numbers are converted to Å, eV/Å and Å/fs as they are read; E to eV. Files may be .xz or .gz.
// Every frame must hold the same atoms (count and species) as the first one read.
#include <filesystem>
#include <vector>

#include "molecular/io/frame.hpp"
#include "molecular/io/units.hpp"

namespace ldyn::molecular::io {

/// Frames with `positions` (Å) filled.
std::vector<Frame> read_cp2k_positions(const std::filesystem::path& path, LengthUnit unit,
                                       const FrameRange& range = {});
/// Frames with `forces` (eV/Å) filled and `positions` empty.
std::vector<Frame> read_cp2k_forces(const std::filesystem::path& path, ForceUnit unit,
                                    const FrameRange& range = {});
/// Frames with `velocities` (Å/fs) filled and `positions` empty.
std::vector<Frame> read_cp2k_velocities(const std::filesystem::path& path, VelocityUnit unit,
                                        const FrameRange& range = {});

}  // namespace ldyn::molecular::io
