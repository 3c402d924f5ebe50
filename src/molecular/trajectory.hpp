#pragma once
// One entry point for the trajectories that analyses read: extended XYZ (written by ldyn, ASE, ...)
// or CP2K's xyz output, plain or compressed, with the periodic cell every analysis needs.
//
// The format is recognized from the first comment line: an extended XYZ comment carries
// `Lattice=` or `Properties=` (keys matched regardless of case); anything else is read as a CP2K
// file (` i = step, time = fs, E = energy`; a plain XYZ comment reads the same way).
#include <filesystem>
#include <optional>
#include <vector>

#include "molecular/io/frame.hpp"
#include "molecular/io/units.hpp"

namespace ldyn::molecular {

/// Reads frames from an extended XYZ file or a CP2K xyz trajectory (plain/.xz/.gz), detecting
/// the format from the first comment line (extxyz has Lattice= or Properties=). CP2K files hold
/// positions in Å (`length_unit` to change). `cubic_cell` (Å) gives the cell to frames without one
/// (all CP2K frames); a frame that ends up with no cell is a FileError naming the file. When both
/// the file and cubic_cell give a cell and they differ, FileError.
///
/// A frame given `cubic_cell` becomes periodic along a, b and c. Cells "differ" when an entry of the
/// lattice differs from diag(L, L, L) by more than 1e-6 Å (files print a handful of decimals).
/// A file (or range) with no frames at all is a FileError too: there is nothing to analyse.
/// `cubic_cell` must be finite and > 0 (InvalidOption otherwise).
std::vector<io::Frame> read_trajectory(const std::filesystem::path& path, std::optional<double> cubic_cell,
                                       const io::FrameRange& range = {},
                                       io::LengthUnit length_unit = io::LengthUnit::angstrom);

/// Adds velocities read from a CP2K velocities file (Å/fs by default) to `frames`; FileError if the
/// frame counts or steps differ. Use the same `range` as for the positions. Atoms must match too
/// (count and species, in order); velocities already in the frames are replaced.
void attach_cp2k_velocities(std::vector<io::Frame>& frames, const std::filesystem::path& path,
                            io::VelocityUnit unit, const io::FrameRange& range = {});

}  // namespace ldyn::molecular
