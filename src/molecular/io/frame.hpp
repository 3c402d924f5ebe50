#pragma once
// One configuration of atoms, in ldyn's units (units.hpp): Å, fs, eV, eV/Å, Å/fs.
#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include <Eigen/Core>

namespace ldyn::molecular::io {

/// N×3 per-atom vectors, one atom per row (x, y, z contiguous).
using AtomVectors = Eigen::Matrix<double, Eigen::Dynamic, 3, Eigen::RowMajor>;
/// Lattice vectors a, b, c as the rows of a 3×3 matrix, Å.
using Lattice = Eigen::Matrix3d;

struct Frame {
  std::vector<std::string> species;  ///< chemical symbol of each atom ("O", "H", ...)
  AtomVectors positions;             ///< Å; 0 rows in a frame read from a forces or velocities file
  AtomVectors velocities;            ///< Å/fs; 0 rows when absent
  AtomVectors forces;                ///< eV/Å; 0 rows when absent
  std::optional<Lattice> cell;       ///< lattice vectors as rows, Å; absent for a free cluster
  std::array<bool, 3> pbc{false, false, false};  ///< periodic along a, b, c
  std::int64_t step = 0;             ///< MD step number
  double time_fs = std::numeric_limits<double>::quiet_NaN();             ///< NaN if unknown
  double potential_energy_ev = std::numeric_limits<double>::quiet_NaN();  ///< NaN if unknown

  std::size_t size() const { return species.size(); }
  bool has_velocities() const { return velocities.rows() > 0; }
  bool has_forces() const { return forces.rows() > 0; }
};

/// Which frames of a trajectory to keep: indices first, first + stride, ... below stop (0-based).
struct FrameRange {
  std::size_t first = 0;
  std::size_t stop = std::numeric_limits<std::size_t>::max();
  std::size_t stride = 1;  ///< must be >= 1

  bool contains(std::size_t i) const { return i >= first && i < stop && (i - first) % stride == 0; }
};

}  // namespace ldyn::molecular::io
