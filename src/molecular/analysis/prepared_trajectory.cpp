#include "molecular/analysis/prepared_trajectory.hpp"

#include <algorithm>
#include <limits>

#include "core/error.hpp"
#include "molecular/analysis/molecules.hpp"

namespace ldyn::molecular::analysis {

int PreparedTrajectory::species_index(std::string_view symbol) const {
  const auto it = std::find(species.begin(), species.end(), symbol);
  return it == species.end() ? -1 : static_cast<int>(it - species.begin());
}

std::size_t PreparedTrajectory::count(int s) const {
  return static_cast<std::size_t>(std::count(type.begin(), type.end(), s));
}

double PreparedTrajectory::largest_rdf_range() const {
  double r = std::numeric_limits<double>::infinity();
  for (const Box& b : boxes) r = std::min(r, b.half_min_length());
  return r;
}

PreparedTrajectory prepare_trajectory(std::span<const io::Frame> frames, std::string source) {
  if (frames.empty()) throw FileError(source, "no frames to analyse");
  PreparedTrajectory t;
  t.frames = frames;
  t.source = std::move(source);
  const io::Frame& first = frames.front();
  for (const std::string& s : first.species) {
    if (t.species_index(s) < 0) t.species.push_back(s);
    t.type.push_back(t.species_index(s));
  }
  const auto n = static_cast<Eigen::Index>(first.size());
  t.boxes.reserve(frames.size());
  for (std::size_t f = 0; f < frames.size(); ++f) {
    const io::Frame& frame = frames[f];
    const std::string where = t.source + " (frame " + std::to_string(f) + ")";
    if (frame.species != first.species)
      throw FileError(where, "other atoms (count or species) than the first frame");
    if (frame.positions.rows() != n) throw FileError(where, "no positions");
    if (!frame.positions.allFinite()) throw FileError(where, "a position is not finite");
    t.boxes.push_back(Box::from_frame(frame, where));
  }
  t.molecule.resize(frames.size() * first.size());
  const int oxygen = t.species_index("O"), hydrogen = t.species_index("H");
  const auto frame_count = static_cast<std::ptrdiff_t>(frames.size());
#pragma omp parallel for schedule(static)
  for (std::ptrdiff_t f = 0; f < frame_count; ++f) {
    const auto i = static_cast<std::size_t>(f);
    assign_molecules(frames[i].positions, t.boxes[i], t.type, oxygen, hydrogen,
                     std::span<int>(t.molecule).subspan(i * first.size(), first.size()));
  }
  return t;
}

}  // namespace ldyn::molecular::analysis
