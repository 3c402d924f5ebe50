#pragma once
// Reference frames for fitting: positions, forces and a periodic cell.
//
// Files are either extended XYZ with forces, or CP2K xyz trajectories given as positions files and
// forces files (a file whose name contains "frc" holds forces); the k-th forces file pairs with the
// k-th positions file, and their frames must agree in number, step and atoms.
#include <filesystem>
#include <optional>
#include <vector>

#include "molecular/io/frame.hpp"
#include "molecular/io/units.hpp"

namespace ldyn::molecular {

struct TrainingDataOptions {
  std::optional<double> cubic_cell;                             ///< Å, for CP2K files
  io::ForceUnit cp2k_force_unit = io::ForceUnit::ev_per_angstrom;  ///< unit of CP2K forces files
  io::FrameRange range;                                          ///< frames kept from each file
};

/// Frames with positions, forces and cell, in file order. Every problem is a FileError naming the
/// file (and frame or line).
std::vector<io::Frame> read_training_frames(const std::vector<std::filesystem::path>& files,
                                            const TrainingDataOptions& options);

}  // namespace ldyn::molecular
