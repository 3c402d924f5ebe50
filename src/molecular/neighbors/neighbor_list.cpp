#include "molecular/neighbors/neighbor_list.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include <omp.h>

#include "core/error.hpp"

namespace ldyn::molecular {

NeighborList::NeighborList(double cutoff, double skin) : cutoff_(cutoff), skin_(skin) {
  if (!(std::isfinite(cutoff) && cutoff > 0.0))
    throw InvalidOption("cutoff", "must be a finite number > 0 Å (got " + std::to_string(cutoff) + ")");
  if (!(std::isfinite(skin) && skin >= 0.0))
    throw InvalidOption("skin", "must be a finite number >= 0 Å (got " + std::to_string(skin) + ")");
}

bool NeighborList::update(const Box& box, const AtomVectors& positions) {
  bool stale = builds_ == 0 || positions.rows() != built_positions_.rows() ||
               (box.length != built_box_.length).any();
  if (!stale) {
    const double limit2 = 0.25 * skin_ * skin_;
    for (Eigen::Index i = 0; i < positions.rows() && !stale; ++i)
      stale = (positions.row(i) - built_positions_.row(i)).squaredNorm() > limit2;
  }
  if (stale) build(box, positions);
  return stale;
}

void NeighborList::bin_atoms(const Box& box, const AtomVectors& positions) {
  const double reach = cutoff_ + skin_;
  for (int a = 0; a < 3; ++a) cells_[a] = std::max(1, static_cast<int>(box.length[a] / reach));
  const auto n = static_cast<std::size_t>(positions.rows());
  const int ncell = cells_.prod();
  cell_of_atom_.resize(n);
  cell_start_.assign(static_cast<std::size_t>(ncell) + 1, 0);
  for (std::size_t i = 0; i < n; ++i) {
    int c[3];
    for (int a = 0; a < 3; ++a) {
      // Positions are unwrapped: fold into [0, L) first.
      const double s = positions(static_cast<Eigen::Index>(i), a) / box.length[a];
      c[a] = std::min(cells_[a] - 1, static_cast<int>((s - std::floor(s)) * cells_[a]));
    }
    const int id = (c[2] * cells_[1] + c[1]) * cells_[0] + c[0];
    cell_of_atom_[i] = id;
    ++cell_start_[static_cast<std::size_t>(id) + 1];
  }
  for (int c = 0; c < ncell; ++c) cell_start_[static_cast<std::size_t>(c) + 1] += cell_start_[static_cast<std::size_t>(c)];
  cell_atoms_.resize(n);
  std::vector<int> fill(cell_start_.begin(), cell_start_.end() - 1);
  for (std::size_t i = 0; i < n; ++i)
    cell_atoms_[static_cast<std::size_t>(fill[static_cast<std::size_t>(cell_of_atom_[i])]++)] = static_cast<int>(i);
}

void NeighborList::build(const Box& box, const AtomVectors& positions) {
  const double reach = cutoff_ + skin_;
  if (reach > box.half_min_length())
    throw InvalidOption("cutoff", "cutoff + skin = " + std::to_string(reach) +
                                      " Å exceeds half the shortest box edge (" +
                                      std::to_string(box.half_min_length()) +
                                      " Å): the minimum-image convention needs a larger box");
  if (!positions.allFinite()) throw NonFiniteError("neighbour list: a position is not finite");
  bin_atoms(box, positions);
  const auto n = static_cast<std::size_t>(positions.rows());
  const double reach2 = reach * reach;

  // With fewer than 3 cells along an axis the 27 neighbouring cells repeat: then visit each distinct
  // cell once along that axis.
  int span[3];
  for (int a = 0; a < 3; ++a) span[a] = std::min(3, cells_[a]);

  auto visit = [&](std::size_t i, auto&& emit) {
    const int id = cell_of_atom_[i];
    const int cx = id % cells_[0], cy = (id / cells_[0]) % cells_[1], cz = id / (cells_[0] * cells_[1]);
    const Vec3 xi = positions.row(static_cast<Eigen::Index>(i)).transpose();
    for (int dz = 0; dz < span[2]; ++dz)
      for (int dy = 0; dy < span[1]; ++dy)
        for (int dx = 0; dx < span[0]; ++dx) {
          const int x = (cx + dx - (span[0] == 3 ? 1 : 0) + cells_[0]) % cells_[0];
          const int y = (cy + dy - (span[1] == 3 ? 1 : 0) + cells_[1]) % cells_[1];
          const int z = (cz + dz - (span[2] == 3 ? 1 : 0) + cells_[2]) % cells_[2];
          const auto c = static_cast<std::size_t>((z * cells_[1] + y) * cells_[0] + x);
          for (int k = cell_start_[c]; k < cell_start_[c + 1]; ++k) {
            const int j = cell_atoms_[static_cast<std::size_t>(k)];
            if (static_cast<std::size_t>(j) == i) continue;
            const Vec3 raw = positions.row(j).transpose() - xi;
            // The shift is an exact multiple of the box (−L·n per axis), so raw + shift rounds
            // exactly as minimum_image(raw) does, whichever step the list was built at.
            Vec3 shift;
            for (int a = 0; a < 3; ++a) shift[a] = -box.length[a] * std::nearbyint(raw[a] / box.length[a]);
            const Vec3 d = raw + shift;
            if (d.squaredNorm() <= reach2) emit(j, shift);
          }
        }
  };

  // Two passes (count, then fill) so that threads write disjoint ranges of one flat array.
  counts_.assign(n, 0);
  const auto ni = static_cast<std::ptrdiff_t>(n);
#pragma omp parallel for schedule(static)
  for (std::ptrdiff_t i = 0; i < ni; ++i) {
    std::size_t count = 0;
    visit(static_cast<std::size_t>(i), [&](int, const Vec3&) { ++count; });
    counts_[static_cast<std::size_t>(i)] = count;
  }
  sort_scratch_.resize(static_cast<std::size_t>(omp_get_max_threads()));
  offsets_.assign(n + 1, 0);
  for (std::size_t i = 0; i < n; ++i) offsets_[i + 1] = offsets_[i] + counts_[i];
  neighbors_.resize(offsets_[n]);
  shifts_.resize(offsets_[n]);
#pragma omp parallel for schedule(static)
  for (std::ptrdiff_t i = 0; i < ni; ++i) {
    const auto u = static_cast<std::size_t>(i);
    // Sorted by index: the order (and so the rounding of every sum over neighbours) must not
    // depend on which cells atoms happened to be in when the list was built, or a run resumed
    // from a checkpoint would not repeat the unbroken one bit for bit.
    auto& entries = sort_scratch_[static_cast<std::size_t>(omp_get_thread_num())];
    entries.clear();
    visit(u, [&](int j, const Vec3& shift) { entries.emplace_back(j, shift); });
    std::sort(entries.begin(), entries.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
    std::size_t at = offsets_[u];
    for (const auto& [j, shift] : entries) {
      neighbors_[at] = j;
      shifts_[at++] = shift;
    }
  }
  built_box_ = box;
  built_positions_ = positions;
  ++builds_;
}

}  // namespace ldyn::molecular
