#include "molecular/analysis/msd.hpp"

#include <cmath>
#include <string>

#include "core/error.hpp"

namespace ldyn::molecular::analysis {

UnwrappedPositions unwrapped_positions(const PreparedTrajectory& t, int species) {
  std::vector<Eigen::Index> atoms;
  for (std::size_t a = 0; a < t.atom_count(); ++a)
    if (t.type[a] == species) atoms.push_back(static_cast<Eigen::Index>(a));
  const auto n = static_cast<Eigen::Index>(atoms.size());
  UnwrappedPositions u(static_cast<Eigen::Index>(t.frame_count()), 3 * n);
  for (Eigen::Index i = 0; i < n; ++i) u.block<1, 3>(0, 3 * i) = t.frames[0].positions.row(atoms[static_cast<std::size_t>(i)]);
  for (std::size_t f = 1; f < t.frame_count(); ++f) {
    const io::AtomVectors& now = t.frames[f].positions;
    const io::AtomVectors& before = t.frames[f - 1].positions;
    const auto row = static_cast<Eigen::Index>(f);
    for (Eigen::Index i = 0; i < n; ++i) {
      const Eigen::Index a = atoms[static_cast<std::size_t>(i)];
      const Vec3 step = t.boxes[f].minimum_image((now.row(a) - before.row(a)).transpose());
      u.block<1, 3>(row, 3 * i) = u.block<1, 3>(row - 1, 3 * i) + step.transpose();
    }
  }
  return u;
}

MeanSquareDisplacement mean_square_displacement(const PreparedTrajectory& t, std::string_view symbol,
                                                double frame_interval_fs) {
  if (!(std::isfinite(frame_interval_fs) && frame_interval_fs > 0.0))
    throw InvalidOption("frame interval", "must be > 0 fs");
  const int species = t.species_index(symbol);
  if (species < 0) throw Error(t.source + ": no " + std::string(symbol) + " atoms for the mean square displacement");
  const UnwrappedPositions u = unwrapped_positions(t, species);
  const Eigen::Index frames = u.rows();
  const double atoms = static_cast<double>(u.cols() / 3);
  MeanSquareDisplacement m;
  m.lag_fs.resize(static_cast<std::size_t>(frames));
  m.msd.resize(static_cast<std::size_t>(frames));
  // One lag per iteration, its origins summed in order: the same result for any thread count.
#pragma omp parallel for schedule(dynamic)
  for (Eigen::Index k = 0; k < frames; ++k) {
    double sum = 0.0;
    for (Eigen::Index t0 = 0; t0 + k < frames; ++t0) sum += (u.row(t0 + k) - u.row(t0)).squaredNorm();
    const auto at = static_cast<std::size_t>(k);
    m.lag_fs[at] = static_cast<double>(k) * frame_interval_fs;
    m.msd[at] = sum / (static_cast<double>(frames - k) * atoms);
  }
  return m;
}

}  // namespace ldyn::molecular::analysis
