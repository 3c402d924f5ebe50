#include "molecular/io/lammps.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <ostream>
#include <string_view>

#include "core/atomic_file.hpp"
#include "core/compressed_file.hpp"
#include "core/error.hpp"
#include "molecular/io/format.hpp"
#include "molecular/io/text.hpp"
#include "molecular/io/units.hpp"

namespace ldyn::molecular::io {

double standard_atomic_mass(const std::string& symbol) {
  // IUPAC 2021 standard atomic weights (abridged, conventional values).
  static const std::map<std::string, double> table{
      {"H", 1.008},    {"D", 2.014},     {"He", 4.0026},   {"Li", 6.94},    {"Be", 9.0122},
      {"B", 10.81},    {"C", 12.011},    {"N", 14.007},    {"O", 15.999},   {"F", 18.998},
      {"Ne", 20.180},  {"Na", 22.990},   {"Mg", 24.305},   {"Al", 26.982},  {"Si", 28.085},
      {"P", 30.974},   {"S", 32.06},     {"Cl", 35.45},    {"Ar", 39.95},   {"K", 39.098},
      {"Ca", 40.078},  {"Sc", 44.956},   {"Ti", 47.867},   {"V", 50.942},   {"Cr", 51.996},
      {"Mn", 54.938},  {"Fe", 55.845},   {"Co", 58.933},   {"Ni", 58.693},  {"Cu", 63.546},
      {"Zn", 65.38},   {"Ga", 69.723},   {"Ge", 72.630},   {"As", 74.922},  {"Se", 78.971},
      {"Br", 79.904},  {"Kr", 83.798}};
  const auto it = table.find(symbol);
  if (it == table.end())
    throw InvalidOption("mass of " + symbol, "no standard atomic mass known; give it explicitly");
  return it->second;
}

namespace {

// Species -> type (1-based), in order of first appearance.
std::vector<std::string> species_types(std::span<const Frame> frames) {
  std::vector<std::string> types;
  for (const Frame& f : frames)
    for (const std::string& s : f.species)
      if (std::find(types.begin(), types.end(), s) == types.end()) types.push_back(s);
  return types;
}

int type_of(const std::vector<std::string>& types, const std::string& s) {
  return static_cast<int>(std::find(types.begin(), types.end(), s) - types.begin()) + 1;
}

Eigen::Vector3d box_lengths(const std::string& path, std::size_t index, const Frame& f) {
  if (!f.cell)
    throw FileError(path, "frame " + std::to_string(index) + ": LAMMPS output needs a cell");
  const Lattice& c = *f.cell;
  if (c(0, 1) != 0 || c(0, 2) != 0 || c(1, 0) != 0 || c(1, 2) != 0 || c(2, 0) != 0 || c(2, 1) != 0 ||
      !(c(0, 0) > 0 && c(1, 1) > 0 && c(2, 2) > 0))
    throw FileError(path, "frame " + std::to_string(index) +
                              ": LAMMPS output needs an orthogonal cell with positive lengths");
  return c.diagonal();
}

void append_row(std::string& s, const AtomVectors& m, Eigen::Index a, double scale) {
  for (int k = 0; k < 3; ++k) {
    s += ' ';
    format::append(s, m(a, k) * scale);
  }
}

}  // namespace

void write_lammps_data(const std::filesystem::path& path, const Frame& f,
                       const std::map<std::string, double>& masses) {
  const std::string p = path.string();
  format::check_frame(p, 0, f, true);
  const Eigen::Vector3d L = box_lengths(p, 0, f);
  const std::vector<std::string> types = species_types(std::span<const Frame>(&f, 1));
  std::vector<double> mass;
  for (const std::string& s : types) {
    const auto it = masses.find(s);
    mass.push_back(it != masses.end() ? it->second : standard_atomic_mass(s));
    if (!(mass.back() > 0) || !std::isfinite(mass.back()))
      throw InvalidOption("mass of " + s, "must be > 0");
  }
  std::string s = "LAMMPS data file written by ldyn (atom_style atomic, units metal), step " +
                  std::to_string(f.step) + "\n\n";
  s += std::to_string(f.size()) + " atoms\n" + std::to_string(types.size()) + " atom types\n\n";
  const char* axes[3] = {"xlo xhi", "ylo yhi", "zlo zhi"};
  for (int k = 0; k < 3; ++k) {
    s += "0 ";
    format::append(s, L(k));
    s += std::string(" ") + axes[k] + "\n";
  }
  s += "\nMasses\n\n";
  for (std::size_t t = 0; t < types.size(); ++t) {
    s += std::to_string(t + 1) + ' ';
    format::append(s, mass[t]);
    s += "  # " + types[t] + '\n';
  }
  s += "\nAtoms  # atomic\n\n";
  for (Eigen::Index a = 0; a < static_cast<Eigen::Index>(f.size()); ++a) {
    s += std::to_string(a + 1) + ' ' + std::to_string(type_of(types, f.species[static_cast<std::size_t>(a)]));
    append_row(s, f.positions, a, 1.0);
    s += '\n';
  }
  if (f.has_velocities()) {
    s += "\nVelocities\n\n";
    for (Eigen::Index a = 0; a < static_cast<Eigen::Index>(f.size()); ++a) {
      s += std::to_string(a + 1);
      append_row(s, f.velocities, a, units::fs_per_ps);
      s += '\n';
    }
  }
  write_text_atomically(path, s);
}

void write_lammps_dump(const std::filesystem::path& path, std::span<const Frame> frames) {
  const std::string p = path.string();
  std::vector<Eigen::Vector3d> lengths;
  for (std::size_t i = 0; i < frames.size(); ++i) {
    format::check_frame(p, i, frames[i], true);
    lengths.push_back(box_lengths(p, i, frames[i]));
  }
  const std::vector<std::string> types = species_types(frames);
  write_file_atomically(path, [&](std::ostream& out) {
    for (std::size_t i = 0; i < frames.size(); ++i) {
      const Frame& f = frames[i];
      std::string s;
      if (i == 0) s += "ITEM: UNITS\nmetal\n";
      if (std::isfinite(f.time_fs)) {
        s += "ITEM: TIME\n";
        format::append(s, f.time_fs / units::fs_per_ps);
        s += '\n';
      }
      s += "ITEM: TIMESTEP\n" + std::to_string(f.step) + "\nITEM: NUMBER OF ATOMS\n" +
           std::to_string(f.size()) + "\nITEM: BOX BOUNDS";
      for (bool periodic : f.pbc) s += periodic ? " pp" : " ff";
      s += '\n';
      for (int k = 0; k < 3; ++k) {
        s += "0 ";
        format::append(s, lengths[i](k));
        s += '\n';
      }
      s += "ITEM: ATOMS id type element x y z";
      if (f.has_velocities()) s += " vx vy vz";
      if (f.has_forces()) s += " fx fy fz";
      s += '\n';
      for (Eigen::Index a = 0; a < static_cast<Eigen::Index>(f.size()); ++a) {
        const std::string& sp = f.species[static_cast<std::size_t>(a)];
        s += std::to_string(a + 1) + ' ' + std::to_string(type_of(types, sp)) + ' ' + sp;
        append_row(s, f.positions, a, 1.0);
        if (f.has_velocities()) append_row(s, f.velocities, a, units::fs_per_ps);
        if (f.has_forces()) append_row(s, f.forces, a, 1.0);
        s += '\n';
      }
      out << s;
    }
  });
}

namespace {

struct DumpReader {
  TextFileReader reader;
  const std::string& path;
  std::string line;
  std::vector<std::string_view> tok;

  explicit DumpReader(const std::filesystem::path& p) : reader(p), path(reader.path()) {}

  // The line after an ITEM line.
  const std::string& value_line(std::string_view item) {
    if (!reader.next_line(line))
      throw FileError(path, reader.line_number() + 1,
                      "file ends after 'ITEM: " + std::string(item) + "'");
    return line;
  }
  std::string_view single(std::string_view item) {
    value_line(item);
    text::split(line, tok);
    if (tok.size() != 1)
      throw FileError(path, reader.line_number(),
                      "expected one value after 'ITEM: " + std::string(item) + "', got " + text::quote(line));
    return tok[0];
  }
};

}  // namespace

std::vector<Frame> read_lammps_dump(const std::filesystem::path& file, const FrameRange& range) {
  text::check_range(range);
  DumpReader r(file);
  const std::string& path = r.path;
  std::vector<Frame> frames;
  Frame f;
  bool have_step = false, have_count = false, have_box = false;
  std::size_t n = 0;
  std::size_t index = 0;
  while (index < range.stop && r.reader.next_line(r.line)) {
    const std::size_t ln = r.reader.line_number();
    if (text::blank(r.line)) continue;
    if (r.line.rfind("ITEM:", 0) != 0)
      throw FileError(path, ln, "expected an 'ITEM:' line, got " + text::quote(r.line));
    const std::string item = r.line.substr(r.line.find_first_not_of(' ', 5) == std::string::npos
                                               ? r.line.size()
                                               : r.line.find_first_not_of(' ', 5));
    if (item == "UNITS") {
      const std::string_view u = r.single("UNITS");
      if (u != "metal")
        throw FileError(path, r.reader.line_number(),
                        "unknown unit style " + text::quote(u) + " (ldyn reads LAMMPS 'metal' units)");
    } else if (item == "TIME") {
      f.time_fs = text::real(r.single("TIME"), path, r.reader.line_number(), "time") * units::fs_per_ps;
    } else if (item == "TIMESTEP") {
      f.step = text::integer(r.single("TIMESTEP"), path, r.reader.line_number(), "timestep");
      have_step = true;
    } else if (item == "NUMBER OF ATOMS") {
      n = static_cast<std::size_t>(text::integer(r.single("NUMBER OF ATOMS"), path,
                                                 r.reader.line_number(), "atom count", 0, text::max_atoms));
      have_count = true;
    } else if (item.rfind("BOX BOUNDS", 0) == 0) {
      text::split(std::string_view(item).substr(10), r.tok);
      if (r.tok.size() != 3)
        throw FileError(path, ln, "expected 3 boundary flags (e.g. 'pp pp pp'), got " + text::quote(item) +
                                      " (a triclinic box is not supported)");
      for (std::size_t k = 0; k < 3; ++k) f.pbc[k] = r.tok[k] == "pp";
      Lattice c = Lattice::Zero();
      for (int k = 0; k < 3; ++k) {
        r.value_line("BOX BOUNDS");
        text::split(r.line, r.tok);
        if (r.tok.size() != 2)
          throw FileError(path, r.reader.line_number(), "expected 'lo hi', got " + text::quote(r.line));
        const double lo = text::real(r.tok[0], path, r.reader.line_number(), "box bound");
        const double hi = text::real(r.tok[1], path, r.reader.line_number(), "box bound");
        if (!(hi > lo)) throw FileError(path, r.reader.line_number(), "box bound hi <= lo");
        c(k, k) = hi - lo;
      }
      f.cell = c;
      have_box = true;
    } else if (item.rfind("ATOMS", 0) == 0) {
      if (!have_step || !have_count || !have_box)
        throw FileError(path, ln, "'ITEM: ATOMS' before TIMESTEP, NUMBER OF ATOMS and BOX BOUNDS");
      std::vector<std::string> names;
      text::split(std::string_view(item).substr(5), r.tok);
      for (auto t : r.tok) names.emplace_back(t);
      const auto col = [&](const char* name) -> std::ptrdiff_t {
        const auto it = std::find(names.begin(), names.end(), name);
        return it == names.end() ? -1 : it - names.begin();
      };
      const std::ptrdiff_t id = col("id"), type = col("type"), element = col("element");
      const std::ptrdiff_t x[3] = {col("x"), col("y"), col("z")};
      const std::ptrdiff_t v[3] = {col("vx"), col("vy"), col("vz")};
      const std::ptrdiff_t fc[3] = {col("fx"), col("fy"), col("fz")};
      if (x[0] < 0 || x[1] < 0 || x[2] < 0 || (type < 0 && element < 0))
        throw FileError(path, ln, "ATOMS columns need x y z and type or element");
      const bool has_v = v[0] >= 0 && v[1] >= 0 && v[2] >= 0;
      const bool has_f = fc[0] >= 0 && fc[1] >= 0 && fc[2] >= 0;
      const bool keep = range.contains(index);
      std::vector<std::int64_t> ids;
      std::vector<std::size_t> lines;
      std::vector<double> pos, vel, frc;
      std::vector<std::string> species;
      for (std::size_t a = 0; a < n; ++a) {
        if (!r.reader.next_line(r.line))
          throw FileError(path, r.reader.line_number() + 1,
                          "file ends inside frame " + std::to_string(index) + " (expected " +
                              std::to_string(n) + " atoms, found " + std::to_string(a) + ")");
        const std::size_t al = r.reader.line_number();
        text::split(r.line, r.tok);
        if (r.tok.size() != names.size())
          throw FileError(path, al, "expected " + std::to_string(names.size()) + " columns, got " +
                                        std::to_string(r.tok.size()));
        if (!keep) continue;
        const auto at = [&](std::ptrdiff_t c) { return r.tok[static_cast<std::size_t>(c)]; };
        ids.push_back(id >= 0 ? text::integer(at(id), path, al, "atom id") : static_cast<std::int64_t>(a));
        lines.push_back(al);
        species.emplace_back(element >= 0 ? at(element) : at(type));
        if (type >= 0) text::integer(at(type), path, al, "atom type");
        for (int k = 0; k < 3; ++k) pos.push_back(text::real(at(x[k]), path, al, "position"));
        if (has_v)
          for (int k = 0; k < 3; ++k)
            vel.push_back(text::real(at(v[k]), path, al, "velocity") / units::fs_per_ps);
        if (has_f)
          for (int k = 0; k < 3; ++k) frc.push_back(text::real(at(fc[k]), path, al, "force"));
      }
      if (keep) {
        std::vector<std::size_t> order(n);
        std::iota(order.begin(), order.end(), std::size_t{0});
        std::stable_sort(order.begin(), order.end(), [&](std::size_t i, std::size_t j) { return ids[i] < ids[j]; });
        for (std::size_t i = 1; i < n; ++i)
          if (ids[order[i]] == ids[order[i - 1]])
            throw FileError(path, lines[order[i]], "duplicate atom id " + std::to_string(ids[order[i]]));
        const auto rows = static_cast<Eigen::Index>(n);
        f.positions.resize(rows, 3);
        if (has_v) f.velocities.resize(rows, 3);
        if (has_f) f.forces.resize(rows, 3);
        for (std::size_t i = 0; i < n; ++i) {
          const std::size_t s = order[i];
          const auto row = static_cast<Eigen::Index>(i);
          f.species.push_back(species[s]);
          for (int k = 0; k < 3; ++k) {
            f.positions(row, k) = pos[3 * s + static_cast<std::size_t>(k)];
            if (has_v) f.velocities(row, k) = vel[3 * s + static_cast<std::size_t>(k)];
            if (has_f) f.forces(row, k) = frc[3 * s + static_cast<std::size_t>(k)];
          }
        }
        frames.push_back(std::move(f));
      }
      f = Frame{};
      have_step = have_count = have_box = false;
      ++index;
    } else {
      throw FileError(path, ln, "unknown item " + text::quote(r.line));
    }
  }
  if ((have_step || have_count || have_box) && index < range.stop)
    throw FileError(path, r.reader.line_number() + 1, "file ends inside a frame (no 'ITEM: ATOMS')");
  return frames;
}

}  // namespace ldyn::molecular::io
