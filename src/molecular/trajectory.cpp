#include "molecular/trajectory.hpp"

#include <cmath>
#include <cstdio>
#include <string>

#include "core/compressed_file.hpp"
#include "core/error.hpp"
#include "molecular/io/cp2k_xyz.hpp"
#include "molecular/io/extxyz.hpp"
#include "molecular/io/text.hpp"

namespace ldyn::molecular {

namespace {

// Files print the cell with a handful of decimals; a mismatch smaller than this is the same cell.
constexpr double cell_tolerance_angstrom = 1e-6;

// True when the second line of the file is an extended XYZ comment. Only the first frame's comment
// is looked at: the readers check every frame against their own format anyway.
bool is_extended_xyz(const std::filesystem::path& path) {
  TextFileReader reader(path);
  std::string count, comment;
  if (!reader.next_line(count) || !reader.next_line(comment)) return false;  // the reader reports it
  const std::string key_text = io::text::lower(comment);
  return key_text.find("lattice=") != std::string::npos ||
         key_text.find("properties=") != std::string::npos;
}

std::string angstrom(double length) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.10g", length);
  return std::string(buf) + " Å";
}

void give_cubic_cell(io::Frame& frame, std::size_t index, double length, const std::string& path) {
  const io::Lattice cubic = io::Lattice::Identity() * length;
  if (!frame.cell) {
    frame.cell = cubic;
    frame.pbc = {true, true, true};
    return;
  }
  if ((*frame.cell - cubic).cwiseAbs().maxCoeff() > cell_tolerance_angstrom)
    throw FileError(path, "frame " + std::to_string(index) + " has a cell (Lattice) that differs from the cubic cell " +
                              angstrom(length) + " given");
}

}  // namespace

std::vector<io::Frame> read_trajectory(const std::filesystem::path& path, std::optional<double> cubic_cell,
                                       const io::FrameRange& range, io::LengthUnit length_unit) {
  if (cubic_cell && !(std::isfinite(*cubic_cell) && *cubic_cell > 0.0))
    throw InvalidOption("cubic cell", "must be a finite length > 0 Å (got " + angstrom(*cubic_cell) + ")");
  std::vector<io::Frame> frames = is_extended_xyz(path) ? io::read_extxyz(path, range)
                                                        : io::read_cp2k_positions(path, length_unit, range);
  const std::string name = path.string();
  if (frames.empty()) throw FileError(name, "no frames (in the selected range)");
  for (std::size_t i = 0; i < frames.size(); ++i) {
    if (cubic_cell) give_cubic_cell(frames[i], i, *cubic_cell, name);
    if (!frames[i].cell)
      throw FileError(name, "frame " + std::to_string(i) +
                                " has no cell: the file gives none (CP2K files never do), so a cubic cell "
                                "length is needed");
  }
  return frames;
}

void attach_cp2k_velocities(std::vector<io::Frame>& frames, const std::filesystem::path& path,
                            io::VelocityUnit unit, const io::FrameRange& range) {
  std::vector<io::Frame> velocity_frames = io::read_cp2k_velocities(path, unit, range);
  const std::string name = path.string();
  if (velocity_frames.size() != frames.size())
    throw FileError(name, "holds " + std::to_string(velocity_frames.size()) + " frames, the positions " +
                              std::to_string(frames.size()));
  for (std::size_t i = 0; i < frames.size(); ++i) {
    io::Frame& f = frames[i];
    const io::Frame& v = velocity_frames[i];
    if (v.step != f.step)
      throw FileError(name, "frame " + std::to_string(i) + " is step " + std::to_string(v.step) +
                                ", the positions' is step " + std::to_string(f.step));
    if (v.species != f.species)
      throw FileError(name, "frame " + std::to_string(i) + " holds other atoms (count or species) than the positions");
  }
  for (std::size_t i = 0; i < frames.size(); ++i) frames[i].velocities = std::move(velocity_frames[i].velocities);
}

}  // namespace ldyn::molecular
