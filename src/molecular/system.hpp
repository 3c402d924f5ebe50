#pragma once
// The state of a molecular system as the engine sees it: an orthorhombic periodic box, atoms with a
// species (an index into a table of symbols and masses), positions, velocities and masses.
// Units (io/units.hpp): Å, fs, eV, g/mol. Positions are never wrapped into the box: the engine works
// with minimum-image differences, so trajectories stay unwrapped (diffusion reads them directly).
#include <cmath>
#include <string>
#include <string_view>
#include <vector>

#include <Eigen/Core>

#include "molecular/io/frame.hpp"

namespace ldyn::molecular {

using Vec3 = Eigen::Vector3d;
using AtomVectors = io::AtomVectors;

/// An orthorhombic periodic box [0, Lx) × [0, Ly) × [0, Lz).
struct Box {
  Eigen::Array3d length{0.0, 0.0, 0.0};

  double volume() const { return length.prod(); }
  /// The shortest periodic image of a difference vector.
  Vec3 minimum_image(const Vec3& d) const {
    Vec3 r;
    for (int a = 0; a < 3; ++a) r[a] = d[a] - length[a] * std::nearbyint(d[a] / length[a]);
    return r;
  }
  /// Half the shortest edge: the largest cutoff the minimum-image convention allows.
  double half_min_length() const { return 0.5 * length.minCoeff(); }

  /// The box of a frame's cell. Throws FileError naming `source` if the cell is missing, not
  /// periodic along all three axes, not orthorhombic, or not positive and finite.
  static Box from_frame(const io::Frame& frame, std::string_view source);
};

/// Species by index: symbol and mass (g/mol).
struct SpeciesTable {
  std::vector<std::string> symbols;
  std::vector<double> masses;

  std::size_t size() const { return symbols.size(); }
  /// Index of `symbol`, or -1 when it is not in the table.
  int find(std::string_view symbol) const;
  /// Index of `symbol`; throws Error naming `source` when it is not in the table.
  int index_of(std::string_view symbol, std::string_view source) const;
  /// A table of standard atomic weights for the given symbols.
  static SpeciesTable standard(const std::vector<std::string>& symbols);
};

struct System {
  Box box;
  SpeciesTable species;
  std::vector<int> type;      ///< species index of each atom
  AtomVectors positions;      ///< Å, unwrapped
  AtomVectors velocities;     ///< Å/fs
  Eigen::VectorXd mass;       ///< g/mol, per atom (from the species table)

  std::size_t size() const { return type.size(); }

  /// The system of a frame: box from its cell, species mapped through `table` (unknown symbols are
  /// an error naming `source`), velocities zero when the frame has none.
  static System from_frame(const io::Frame& frame, const SpeciesTable& table, std::string_view source);
  /// The frame of this system (cell, pbc, symbols, positions, velocities).
  io::Frame to_frame() const;
};

/// Kinetic energy, eV.
double kinetic_energy(const System& system);
/// Instantaneous temperature, K, with `constraints` degrees of freedom removed (3 for a fixed
/// centre of mass).
double temperature(const System& system, double constraints = 3.0);

}  // namespace ldyn::molecular
