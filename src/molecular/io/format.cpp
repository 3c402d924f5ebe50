#include "molecular/io/format.hpp"

#include "core/error.hpp"

namespace ldyn::molecular::io::format {

void check_frame(const std::string& path, std::size_t index, const Frame& f, bool need_positions) {
  const auto fail = [&](const std::string& why) {
    throw FileError(path, "frame " + std::to_string(index) + ": " + why);
  };
  const auto n = static_cast<Eigen::Index>(f.species.size());
  if (f.positions.rows() != n && (need_positions || f.positions.rows() != 0))
    fail(std::to_string(f.positions.rows()) + " positions for " + std::to_string(n) + " atoms");
  if (f.velocities.rows() != 0 && f.velocities.rows() != n)
    fail(std::to_string(f.velocities.rows()) + " velocities for " + std::to_string(n) + " atoms");
  if (f.forces.rows() != 0 && f.forces.rows() != n)
    fail(std::to_string(f.forces.rows()) + " forces for " + std::to_string(n) + " atoms");
  if (!f.positions.allFinite()) fail("non-finite position");
  if (!f.velocities.allFinite()) fail("non-finite velocity");
  if (!f.forces.allFinite()) fail("non-finite force");
  if (f.cell && !f.cell->allFinite()) fail("non-finite cell");
  if ((f.pbc[0] || f.pbc[1] || f.pbc[2]) && !f.cell) fail("periodic but has no cell");
  for (const std::string& s : f.species)
    if (s.empty() || s.find_first_of(" \t\r\n\"") != std::string::npos)
      fail("species symbol '" + s + "' is empty or has blanks or quotes");
}

}  // namespace ldyn::molecular::io::format
