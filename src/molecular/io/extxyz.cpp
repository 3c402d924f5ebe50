#include "molecular/io/extxyz.hpp"

#include <array>
#include <cctype>
#include <cmath>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>

#include "core/atomic_file.hpp"
#include "core/compressed_file.hpp"
#include "core/error.hpp"
#include "molecular/io/format.hpp"
#include "molecular/io/text.hpp"

namespace ldyn::molecular::io {

namespace {


using KeyValues = std::vector<std::pair<std::string, std::string>>;

// key=value key="quoted value" flag ...; keys lower-cased.
KeyValues parse_comment(std::string_view s, const std::string& path, std::size_t line) {
  KeyValues kv;
  std::size_t i = 0;
  const std::size_t n = s.size();
  while (i < n) {
    while (i < n && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
    if (i == n) break;
    const std::size_t k0 = i;
    while (i < n && s[i] != '=' && !std::isspace(static_cast<unsigned char>(s[i]))) ++i;
    std::string key = text::lower(s.substr(k0, i - k0));
    std::string value = "T";  // a bare key is a true flag, as in ASE
    if (i < n && s[i] == '=') {
      ++i;
      if (i < n && (s[i] == '"' || s[i] == '\'')) {
        const char q = s[i++];
        const std::size_t close = s.find(q, i);
        if (close == std::string_view::npos)
          throw FileError(path, line, "unterminated quoted value of key '" + key + "'");
        value = std::string(s.substr(i, close - i));
        i = close + 1;
      } else {
        const std::size_t v0 = i;
        while (i < n && !std::isspace(static_cast<unsigned char>(s[i]))) ++i;
        value = std::string(s.substr(v0, i - v0));
      }
    }
    if (key.empty()) throw FileError(path, line, "empty key in the comment line");
    kv.emplace_back(std::move(key), std::move(value));
  }
  return kv;
}

enum class Target { skip, species, pos, vel, forces };
struct Column {
  Target target;
  std::size_t width;
};

std::vector<Column> parse_properties(const std::string& props, const std::string& path, std::size_t line) {
  std::vector<std::string_view> parts;
  std::string_view s = props;
  while (true) {
    const auto c = s.find(':');
    parts.push_back(s.substr(0, c));
    if (c == std::string_view::npos) break;
    s.remove_prefix(c + 1);
  }
  if (parts.size() % 3 != 0)
    throw FileError(path, line, "Properties " + text::quote(props) + " is not name:type:count triples");
  std::vector<Column> cols;
  bool have_species = false, have_pos = false;
  for (std::size_t i = 0; i < parts.size(); i += 3) {
    const std::string name = text::lower(parts[i]);
    const std::string_view type = parts[i + 1];
    if (type != "S" && type != "R" && type != "I" && type != "L")
      throw FileError(path, line, "property '" + name + "' has unknown type " + text::quote(type));
    const auto width = static_cast<std::size_t>(
        text::integer(parts[i + 2], path, line, "property column count", 1, 1000));
    Target t = Target::skip;
    if (name == "species") t = Target::species;
    else if (name == "pos") t = Target::pos;
    else if (name == "vel" || name == "velo" || name == "velocities") t = Target::vel;
    else if (name == "forces" || name == "force") t = Target::forces;
    if (t == Target::species && (type != "S" || width != 1))
      throw FileError(path, line, "property 'species' must be S:1");
    if (t != Target::skip && t != Target::species && (type != "R" || width != 3))
      throw FileError(path, line, "property '" + name + "' must be R:3");
    have_species |= t == Target::species;
    have_pos |= t == Target::pos;
    cols.push_back({t, width});
  }
  if (!have_species || !have_pos)
    throw FileError(path, line, "Properties " + text::quote(props) + " lacks species:S:1 or pos:R:3");
  return cols;
}

bool parse_bool(std::string_view t, const std::string& path, std::size_t line) {
  const std::string l = text::lower(t);
  if (l == "t" || l == "true") return true;
  if (l == "f" || l == "false") return false;
  throw FileError(path, line, "pbc flag " + text::quote(t) + " is not T or F");
}

}  // namespace

std::vector<Frame> read_extxyz(const std::filesystem::path& file, const FrameRange& range) {
  text::check_range(range);
  TextFileReader reader(file);
  const std::string& path = reader.path();
  std::vector<Frame> frames;
  std::vector<std::string_view> tok;
  std::vector<double> pos, vel, frc;
  std::string line;
  for (std::size_t index = 0; index < range.stop && reader.next_line(line); ++index) {
    std::int64_t count = 0;
    if (!text::read_atom_count(reader, line, tok, index, count)) break;
    const auto n = static_cast<std::size_t>(count);
    if (!reader.next_line(line))
      throw FileError(path, reader.line_number() + 1,
                      "file ends inside frame " + std::to_string(index) + " (no comment line)");
    const std::size_t comment_line = reader.line_number();
    const bool keep = range.contains(index);
    Frame f;
    std::vector<Column> cols{{Target::species, 1}, {Target::pos, 3}};
    if (keep) {
      std::optional<Lattice> lattice;
      std::optional<std::array<bool, 3>> pbc;
      for (const auto& [key, value] : parse_comment(line, path, comment_line)) {
        if (key == "properties") {
          cols = parse_properties(value, path, comment_line);
        } else if (key == "lattice") {
          text::split(value, tok);
          if (tok.size() != 9)
            throw FileError(path, comment_line, "Lattice needs 9 numbers, got " + std::to_string(tok.size()));
          Lattice l;
          for (int k = 0; k < 9; ++k)
            l(k / 3, k % 3) = text::real(tok[static_cast<std::size_t>(k)], path, comment_line, "Lattice entry");
          lattice = l;
        } else if (key == "pbc") {
          text::split(value, tok);
          if (tok.size() != 3)
            throw FileError(path, comment_line, "pbc needs 3 flags, got " + text::quote(value));
          pbc = std::array<bool, 3>{parse_bool(tok[0], path, comment_line),
                                    parse_bool(tok[1], path, comment_line),
                                    parse_bool(tok[2], path, comment_line)};
        } else if (key == "energy") {
          f.potential_energy_ev = text::real(value, path, comment_line, "energy");
        } else if (key == "time") {
          f.time_fs = text::real(value, path, comment_line, "time");
        } else if (key == "step") {
          f.step = text::integer(value, path, comment_line, "step");
        }
      }
      f.cell = lattice;
      f.pbc = pbc ? *pbc : std::array<bool, 3>{bool(lattice), bool(lattice), bool(lattice)};
      if ((f.pbc[0] || f.pbc[1] || f.pbc[2]) && !lattice)
        throw FileError(path, comment_line, "periodic frame (pbc=\"T ...\") without a Lattice");
    }
    std::size_t width = 0;
    bool has_vel = false, has_frc = false;
    for (const Column& c : cols) {
      width += c.width;
      has_vel |= c.target == Target::vel;
      has_frc |= c.target == Target::forces;
    }
    pos.clear();
    vel.clear();
    frc.clear();
    for (std::size_t a = 0; a < n; ++a) {
      if (!reader.next_line(line))
        throw FileError(path, reader.line_number() + 1,
                        "file ends inside frame " + std::to_string(index) + " (expected " +
                            std::to_string(n) + " atoms, found " + std::to_string(a) + ")");
      if (!keep) continue;
      const std::size_t ln = reader.line_number();
      text::split(line, tok);
      if (tok.size() != width)
        throw FileError(path, ln, "expected " + std::to_string(width) + " fields (Properties), got " +
                                      std::to_string(tok.size()) + " in " + text::quote(line));
      std::size_t t = 0;
      for (const Column& c : cols) {
        std::vector<double>* dst = c.target == Target::pos ? &pos
                                   : c.target == Target::vel ? &vel
                                   : c.target == Target::forces ? &frc
                                                                : nullptr;
        if (c.target == Target::species) f.species.emplace_back(tok[t]);
        if (dst)
          for (std::size_t k = 0; k < 3; ++k) dst->push_back(text::real(tok[t + k], path, ln, "value"));
        t += c.width;
      }
    }
    if (!keep) continue;
    const auto rows = static_cast<Eigen::Index>(n);
    f.positions = Eigen::Map<const AtomVectors>(pos.data(), rows, 3);
    if (has_vel) f.velocities = Eigen::Map<const AtomVectors>(vel.data(), rows, 3);
    if (has_frc) f.forces = Eigen::Map<const AtomVectors>(frc.data(), rows, 3);
    frames.push_back(std::move(f));
  }
  return frames;
}

void write_extxyz_frame(std::ostream& out, const Frame& f) {
  std::string s;
  s += std::to_string(f.size());
  s += '\n';
  if (f.cell) {
    s += "Lattice=\"";
    for (int k = 0; k < 9; ++k) {
      if (k) s += ' ';
      format::append(s, (*f.cell)(k / 3, k % 3));
    }
    s += "\" ";
  }
  s += "Properties=species:S:1:pos:R:3";
  if (f.has_velocities()) s += ":vel:R:3";
  if (f.has_forces()) s += ":forces:R:3";
  if (std::isfinite(f.potential_energy_ev)) {
    s += " energy=";
    format::append(s, f.potential_energy_ev);
  }
  s += " step=" + std::to_string(f.step);
  if (std::isfinite(f.time_fs)) {
    s += " time=";
    format::append(s, f.time_fs);
  }
  s += " pbc=\"";
  for (int k = 0; k < 3; ++k) s += (k ? " " : "") + std::string(f.pbc[static_cast<std::size_t>(k)] ? "T" : "F");
  s += "\"\n";
  for (Eigen::Index a = 0; a < static_cast<Eigen::Index>(f.size()); ++a) {
    s += f.species[static_cast<std::size_t>(a)];
    const auto row = [&](const AtomVectors& m) {
      for (int k = 0; k < 3; ++k) {
        s += ' ';
        format::append(s, m(a, k));
      }
    };
    row(f.positions);
    if (f.has_velocities()) row(f.velocities);
    if (f.has_forces()) row(f.forces);
    s += '\n';
  }
  out << s;
}

void write_extxyz(const std::filesystem::path& path, std::span<const Frame> frames) {
  for (std::size_t i = 0; i < frames.size(); ++i) format::check_frame(path.string(), i, frames[i], true);
  write_file_atomically(path, [&](std::ostream& out) {
    for (const Frame& f : frames) write_extxyz_frame(out, f);
  });
}

}  // namespace ldyn::molecular::io
