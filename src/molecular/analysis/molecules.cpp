#include "molecular/analysis/molecules.hpp"

#include <limits>

namespace ldyn::molecular::analysis {

void assign_molecules(const io::AtomVectors& positions, const Box& box, std::span<const int> type, int oxygen,
                      int hydrogen, std::span<int> molecule) {
  const std::size_t n = type.size();
  for (std::size_t a = 0; a < n; ++a) {
    molecule[a] = static_cast<int>(a);
    if (type[a] != hydrogen || oxygen < 0) continue;
    const Vec3 h = positions.row(static_cast<Eigen::Index>(a)).transpose();
    double nearest = std::numeric_limits<double>::infinity();
    for (std::size_t o = 0; o < n; ++o) {
      if (type[o] != oxygen) continue;
      const double d2 = box.minimum_image(positions.row(static_cast<Eigen::Index>(o)).transpose() - h).squaredNorm();
      // Strictly nearer: on an exact tie the first oxygen in file order wins, whatever the threads.
      if (d2 < nearest) {
        nearest = d2;
        molecule[a] = static_cast<int>(o);
      }
    }
  }
}

std::vector<int> molecule_ids(const io::Frame& frame, const Box& box) {
  std::vector<int> type(frame.size());
  for (std::size_t a = 0; a < frame.size(); ++a)
    type[a] = frame.species[a] == "O" ? 0 : frame.species[a] == "H" ? 1 : 2;
  std::vector<int> molecule(frame.size());
  assign_molecules(frame.positions, box, type, 0, 1, molecule);
  return molecule;
}

}  // namespace ldyn::molecular::analysis
