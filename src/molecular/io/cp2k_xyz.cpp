#include "molecular/io/cp2k_xyz.hpp"

#include <string>
#include <string_view>

#include "core/compressed_file.hpp"
#include "core/error.hpp"
#include "molecular/io/text.hpp"

namespace ldyn::molecular::io {

namespace {

enum class Field { positions, forces, velocities };

std::string_view trim(std::string_view s) {
  const auto b = s.find_first_not_of(" \t");
  if (b == std::string_view::npos) return {};
  const auto e = s.find_last_not_of(" \t");
  return s.substr(b, e - b + 1);
}

// " i =        0, time =        0.000, E =      3751.3248901833": comma-separated `key = value`.
// Known keys (i, time, E) must hold numbers; other pieces are ignored (CP2K's comment varies
// with the run type, e.g. GEO_OPT prints no time).
void parse_comment(std::string_view comment, Frame& f, const std::string& path, std::size_t line) {
  while (!comment.empty()) {
    const auto comma = comment.find(',');
    const std::string_view piece = comment.substr(0, comma);
    comment = comma == std::string_view::npos ? std::string_view{} : comment.substr(comma + 1);
    const auto eq = piece.find('=');
    if (eq == std::string_view::npos) continue;
    const std::string_view key = trim(piece.substr(0, eq));
    const std::string_view value = trim(piece.substr(eq + 1));
    if (key == "i")
      f.step = text::integer(value, path, line, "step (i =)");
    else if (key == "time")
      f.time_fs = text::real(value, path, line, "time");
    else if (key == "E")
      f.potential_energy_ev = text::real(value, path, line, "energy (E =)") * units::hartree_to_ev;
  }
}

std::vector<Frame> read_cp2k(const std::filesystem::path& file, Field field, double factor,
                             const FrameRange& range) {
  text::check_range(range);
  TextFileReader reader(file);
  const std::string& path = reader.path();
  std::vector<Frame> frames;
  std::vector<std::string_view> tok;
  std::vector<double> values;
  std::string line;
  std::int64_t first_count = -1;
  std::vector<std::string> first_species;
  for (std::size_t index = 0; index < range.stop && reader.next_line(line); ++index) {
    std::int64_t count = 0;
    if (!text::read_atom_count(reader, line, tok, index, count)) break;
    if (first_count >= 0 && count != first_count)
      throw FileError(path, reader.line_number(),
                      "atom count " + std::to_string(count) + " differs from the first frame's " +
                          std::to_string(first_count));
    if (first_count < 0) first_count = count;
    const std::size_t n = static_cast<std::size_t>(count);
    const bool keep = range.contains(index);
    Frame f;
    if (!reader.next_line(line))
      throw FileError(path, reader.line_number() + 1,
                      "file ends inside frame " + std::to_string(index) + " (no comment line)");
    if (keep) parse_comment(line, f, path, reader.line_number());
    values.clear();
    for (std::size_t a = 0; a < n; ++a) {
      if (!reader.next_line(line))
        throw FileError(path, reader.line_number() + 1,
                        "file ends inside frame " + std::to_string(index) + " (expected " +
                            std::to_string(n) + " atoms, found " + std::to_string(a) + ")");
      text::split(line, tok);
      if (tok.size() != 4)
        throw FileError(path, reader.line_number(),
                        "expected 'SYMBOL x y z', got " + std::to_string(tok.size()) + " fields in " +
                            text::quote(line));
      if (!keep) continue;
      const std::size_t ln = reader.line_number();
      f.species.emplace_back(tok[0]);
      for (int k = 1; k <= 3; ++k) values.push_back(text::real(tok[static_cast<std::size_t>(k)], path, ln, "coordinate") * factor);
      if (!first_species.empty() && f.species.back() != first_species[a])
        throw FileError(path, ln,
                        "atom " + std::to_string(a + 1) + " is " + f.species.back() +
                            " but was " + first_species[a] + " in the first frame read");
    }
    if (!keep) continue;
    if (first_species.empty()) first_species = f.species;
    AtomVectors m = Eigen::Map<const AtomVectors>(values.data(), static_cast<Eigen::Index>(n), 3);
    switch (field) {
      case Field::positions: f.positions = std::move(m); break;
      case Field::forces: f.forces = std::move(m); break;
      case Field::velocities: f.velocities = std::move(m); break;
    }
    frames.push_back(std::move(f));
  }
  return frames;
}

}  // namespace

std::vector<Frame> read_cp2k_positions(const std::filesystem::path& path, LengthUnit unit,
                                       const FrameRange& range) {
  return read_cp2k(path, Field::positions, to_angstrom(unit), range);
}

std::vector<Frame> read_cp2k_forces(const std::filesystem::path& path, ForceUnit unit,
                                    const FrameRange& range) {
  return read_cp2k(path, Field::forces, to_ev_per_angstrom(unit), range);
}

std::vector<Frame> read_cp2k_velocities(const std::filesystem::path& path, VelocityUnit unit,
                                        const FrameRange& range) {
  return read_cp2k(path, Field::velocities, to_angstrom_per_fs(unit), range);
}

}  // namespace ldyn::molecular::io
