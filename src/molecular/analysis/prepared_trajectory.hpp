#pragma once
// A trajectory checked once before it is analysed, so that the analyses' loops need no checks:
// every frame has finite positions for the same atoms (count and species, in order) as the first,
// and an orthorhombic cell periodic along a, b and c. It also holds what several analyses share:
// a species index per atom, each frame's box, and each frame's molecules (molecules.hpp).
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "molecular/io/frame.hpp"
#include "molecular/system.hpp"

namespace ldyn::molecular::analysis {

struct PreparedTrajectory {
  std::span<const io::Frame> frames;  ///< not owned: the frames must outlive this object
  std::string source;                 ///< names the trajectory in error messages
  std::vector<std::string> species;   ///< distinct symbols, in order of first appearance
  std::vector<int> type;              ///< species index of each atom
  std::vector<Box> boxes;             ///< the box of each frame
  std::vector<int> molecule;          ///< frame-major: molecule id of atom a in frame f at f·N + a

  std::size_t frame_count() const { return frames.size(); }
  std::size_t atom_count() const { return type.size(); }
  /// The molecule ids of frame `f`.
  std::span<const int> molecules(std::size_t f) const {
    return std::span<const int>(molecule).subspan(f * atom_count(), atom_count());
  }
  /// Index of `symbol` in `species`, or -1 when no atom has it.
  int species_index(std::string_view symbol) const;
  /// Number of atoms of species index `s`.
  std::size_t count(int s) const;
  /// The largest RDF range the minimum-image convention allows in every frame: half the shortest
  /// box edge of any frame.
  double largest_rdf_range() const;
};

/// Checks `frames` (FileError naming `source` for the first problem found: no frames, a frame
/// without positions, other atoms than the first frame, a non-finite position, a missing,
/// non-periodic or triclinic cell) and assigns molecules in every frame.
PreparedTrajectory prepare_trajectory(std::span<const io::Frame> frames, std::string source);

}  // namespace ldyn::molecular::analysis
