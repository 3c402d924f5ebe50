#pragma once
// A cell list over 32-bit fixed-point positions on a periodic box: particles sorted by cell with a
// counting sort (O(N), no allocation after the first build). Neighbours of a particle within the
// cell size are all in its own and the 8 adjacent cells; with at least 3 cells per axis no cell
// appears twice among them.
#include <cstdint>
#include <span>
#include <vector>

namespace ldyn::particles {

class CellList {
 public:
  /// Cells of at least `min_cell` (length) on a box of `box_x` x `box_y`; at least 3 per axis.
  CellList(double box_x, double box_y, double min_cell);

  /// Sorts the particles into cells; px, py are fixed-point positions (2^32 units = box).
  void build(std::span<const std::uint32_t> px, std::span<const std::uint32_t> py);

  std::uint32_t cells_x() const { return nx_; }
  std::uint32_t cells_y() const { return ny_; }
  std::uint32_t cell_x_of(std::uint32_t px) const {
    return static_cast<std::uint32_t>((static_cast<std::uint64_t>(px) * nx_) >> 32);
  }
  std::uint32_t cell_y_of(std::uint32_t py) const {
    return static_cast<std::uint32_t>((static_cast<std::uint64_t>(py) * ny_) >> 32);
  }
  /// The particles in cell (cx, cy), in increasing index order.
  std::span<const std::uint32_t> particles_in(std::uint32_t cx, std::uint32_t cy) const {
    const std::size_t c = static_cast<std::size_t>(cy) * nx_ + cx;
    return {order_.data() + start_[c], order_.data() + start_[c + 1]};
  }
  /// The most particles one for_each_near() can visit (the 9 fullest cells' worth, bounded above).
  std::size_t max_near() const { return 9 * max_per_cell_; }
  /// Calls f(j) for every particle j in the 3 x 3 cells around the cell of (px, py).
  template <class F>
  void for_each_near(std::uint32_t px, std::uint32_t py, F&& f) const {
    const std::uint32_t cx = cell_x_of(px), cy = cell_y_of(py);
    const std::uint32_t xs[3] = {cx == 0 ? nx_ - 1 : cx - 1, cx, cx + 1 == nx_ ? 0 : cx + 1};
    const std::uint32_t ys[3] = {cy == 0 ? ny_ - 1 : cy - 1, cy, cy + 1 == ny_ ? 0 : cy + 1};
    for (std::uint32_t y : ys)
      for (std::uint32_t x : xs)
        for (std::uint32_t j : particles_in(x, y)) f(j);
  }

 private:
  std::uint32_t nx_ = 3, ny_ = 3;
  std::vector<std::uint32_t> start_;  ///< (cells + 1) offsets into order_
  std::vector<std::uint32_t> order_;  ///< particle indices sorted by cell
  std::vector<std::uint32_t> cell_;   ///< cell of each particle (scratch of build)
  std::size_t max_per_cell_ = 0;
};

}  // namespace ldyn::particles
