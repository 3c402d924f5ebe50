#include "particles/cell_list.hpp"

#include <algorithm>
#include <cmath>

namespace ldyn::particles {

CellList::CellList(double box_x, double box_y, double min_cell)
    : nx_(std::max(3u, static_cast<std::uint32_t>(std::floor(box_x / min_cell)))),
      ny_(std::max(3u, static_cast<std::uint32_t>(std::floor(box_y / min_cell)))),
      start_(static_cast<std::size_t>(nx_) * ny_ + 1) {}

void CellList::build(std::span<const std::uint32_t> px, std::span<const std::uint32_t> py) {
  const std::size_t n = px.size();
  order_.resize(n);
  cell_.resize(n);
  std::fill(start_.begin(), start_.end(), 0u);
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint32_t c = cell_y_of(py[i]) * nx_ + cell_x_of(px[i]);
    cell_[i] = c;
    ++start_[c + 1];
  }
  max_per_cell_ = 0;
  for (std::size_t c = 1; c < start_.size(); ++c) max_per_cell_ = std::max<std::size_t>(max_per_cell_, start_[c]);
  for (std::size_t c = 1; c < start_.size(); ++c) start_[c] += start_[c - 1];
  // Filling in index order keeps each cell sorted by index (a stable counting sort): the order
  // neighbours are visited in depends on which cell a particle is in, never on its history.
  std::vector<std::uint32_t>& next = cell_;  // reuse: cell_ becomes the write cursor per particle
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint32_t c = next[i];
    order_[start_[c]++] = static_cast<std::uint32_t>(i);
  }
  // start_[c] now holds the end of cell c: shift back to starts.
  for (std::size_t c = start_.size() - 1; c > 0; --c) start_[c] = start_[c - 1];
  start_[0] = 0;
}

}  // namespace ldyn::particles
