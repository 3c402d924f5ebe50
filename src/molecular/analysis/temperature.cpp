#include "molecular/analysis/temperature.hpp"

#include <string>

#include "core/error.hpp"

namespace ldyn::molecular::analysis {

std::vector<double> frame_temperatures(const PreparedTrajectory& t) {
  std::size_t with_velocities = 0;
  for (const io::Frame& f : t.frames) with_velocities += f.has_velocities() ? 1 : 0;
  if (with_velocities == 0) return {};
  if (with_velocities != t.frame_count())
    throw FileError(t.source, "only " + std::to_string(with_velocities) + " of " + std::to_string(t.frame_count()) +
                                  " frames carry velocities");
  // One System, its velocities replaced frame by frame (same size: no allocation).
  System system = System::from_frame(t.frames[0], SpeciesTable::standard(t.species), t.source);
  std::vector<double> temperatures;
  temperatures.reserve(t.frame_count());
  for (std::size_t f = 0; f < t.frame_count(); ++f) {
    const io::AtomVectors& v = t.frames[f].velocities;
    if (v.rows() != static_cast<Eigen::Index>(t.atom_count()) || !v.allFinite())
      throw FileError(t.source + " (frame " + std::to_string(f) + ")", "velocities missing for some atoms or not finite");
    system.velocities = v;
    temperatures.push_back(temperature(system, 3.0));
  }
  return temperatures;
}

}  // namespace ldyn::molecular::analysis
