#pragma once
// A full Verlet neighbour list with a skin, built from cell lists in O(N).
//
// Every atom j within cutoff + skin of atom i (minimum image) at build time is listed for i, and i
// for j. Between builds, atoms may move up to skin/2 each before a pair inside the cutoff could be
// missing, so update() rebuilds only when some atom has moved more than that (or the box or the
// atom count changed). Users compute d = box.minimum_image(x_j − x_i) and skip |d| > cutoff.
//
// The minimum-image convention requires cutoff + skin ≤ half the shortest box edge: larger values
// are refused (InvalidOption), since a second periodic image could then also be in range.
#include <cstddef>
#include <span>
#include <utility>
#include <vector>

#include "molecular/system.hpp"

namespace ldyn::molecular {

class NeighborList {
 public:
  /// Throws InvalidOption for cutoff ≤ 0, skin < 0 or non-finite values.
  NeighborList(double cutoff, double skin);

  /// Rebuilds the list if any atom moved more than skin/2 since the last build, or the box or the
  /// number of atoms changed. Returns true when it rebuilt.
  bool update(const Box& box, const AtomVectors& positions);
  /// Rebuilds unconditionally.
  void build(const Box& box, const AtomVectors& positions);

  /// The neighbours of atom i (indices, ascending).
  std::span<const int> neighbors(std::size_t i) const {
    return {neighbors_.data() + offsets_[i], neighbors_.data() + offsets_[i + 1]};
  }
  /// For each neighbour j of i (same order), the periodic shift s with x_j − x_i + s the
  /// minimum-image difference at build time. It stays the minimum image until the next rebuild
  /// (no atom moves more than skin/2 and cutoff + skin ≤ half the box), so hot loops can skip the
  /// rounding of minimum_image().
  std::span<const Vec3> shifts(std::size_t i) const {
    return {shifts_.data() + offsets_[i], shifts_.data() + offsets_[i + 1]};
  }
  std::size_t size() const { return offsets_.empty() ? 0 : offsets_.size() - 1; }
  double cutoff() const { return cutoff_; }
  double skin() const { return skin_; }
  /// Number of builds so far (for logs and tests).
  std::size_t builds() const { return builds_; }

 private:
  void bin_atoms(const Box& box, const AtomVectors& positions);

  double cutoff_, skin_;
  std::size_t builds_ = 0;
  Box built_box_;
  AtomVectors built_positions_;
  std::vector<std::size_t> offsets_;
  std::vector<int> neighbors_;
  std::vector<Vec3> shifts_;
  std::vector<std::vector<std::pair<int, Vec3>>> sort_scratch_;  // per thread
  std::vector<std::size_t> counts_;
  // Cell list: atoms sorted by cell (cell_start_[c] .. cell_start_[c+1]).
  Eigen::Array3i cells_{0, 0, 0};
  std::vector<int> cell_of_atom_, cell_start_, cell_atoms_;
};

}  // namespace ldyn::molecular
