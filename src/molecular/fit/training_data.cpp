#include "molecular/fit/training_data.hpp"

#include <string>

#include "core/error.hpp"
#include "molecular/io/cp2k_xyz.hpp"
#include "molecular/trajectory.hpp"

namespace ldyn::molecular {
namespace {

bool is_forces_file(const std::filesystem::path& p) {
  return p.filename().string().find("frc") != std::string::npos;
}

void check_forces(const std::vector<io::Frame>& frames, const std::string& path) {
  for (std::size_t k = 0; k < frames.size(); ++k) {
    if (!frames[k].has_forces()) throw FileError(path, "frame " + std::to_string(k) + " has no forces");
    if (!frames[k].forces.allFinite()) throw FileError(path, "frame " + std::to_string(k) + ": a force is not finite");
  }
}

}  // namespace

std::vector<io::Frame> read_training_frames(const std::vector<std::filesystem::path>& files,
                                            const TrainingDataOptions& options) {
  if (files.empty()) throw InvalidOption("--data", "no files given");
  std::vector<std::filesystem::path> positions, forces;
  std::vector<io::Frame> all;
  for (const auto& f : files) {
    if (is_forces_file(f)) {
      forces.push_back(f);
      continue;
    }
    std::vector<io::Frame> frames = read_trajectory(f, options.cubic_cell, options.range);
    if (frames.front().has_forces()) {  // extended XYZ with forces
      check_forces(frames, f.string());
      all.insert(all.end(), frames.begin(), frames.end());
    } else {
      positions.push_back(f);
    }
  }
  if (positions.size() != forces.size())
    throw InvalidOption("--data", std::to_string(positions.size()) + " positions file(s) without forces but " +
                                      std::to_string(forces.size()) + " forces file(s) (names containing 'frc'): "
                                      "give one forces file per CP2K positions file, or extended XYZ with forces");
  for (std::size_t k = 0; k < positions.size(); ++k) {
    std::vector<io::Frame> frames = read_trajectory(positions[k], options.cubic_cell, options.range);
    const std::vector<io::Frame> f = io::read_cp2k_forces(forces[k], options.cp2k_force_unit, options.range);
    const std::string fp = forces[k].string();
    if (f.size() != frames.size())
      throw FileError(fp, std::to_string(f.size()) + " frames of forces, but " + positions[k].string() + " has " +
                              std::to_string(frames.size()) + " frames of positions");
    for (std::size_t q = 0; q < frames.size(); ++q) {
      if (f[q].step != frames[q].step)
        throw FileError(fp, "frame " + std::to_string(q) + " is step " + std::to_string(f[q].step) +
                                " but the positions frame is step " + std::to_string(frames[q].step));
      if (f[q].species != frames[q].species)
        throw FileError(fp, "frame " + std::to_string(q) + ": atoms differ from " + positions[k].string());
      frames[q].forces = f[q].forces;
    }
    check_forces(frames, fp);
    all.insert(all.end(), frames.begin(), frames.end());
  }
  return all;
}

}  // namespace ldyn::molecular
