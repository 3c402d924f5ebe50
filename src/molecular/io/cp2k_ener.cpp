#include "molecular/io/cp2k_ener.hpp"

#include <string>
#include <string_view>

#include "core/compressed_file.hpp"
#include "core/error.hpp"
#include "molecular/io/text.hpp"
#include "molecular/io/units.hpp"

namespace ldyn::molecular::io {

namespace {

// Checks every "[unit]" in the header: times must be fs (or s for "UsedTime"), energies a.u.
// (Hartree), temperatures K.
void check_header_units(std::string_view header, const std::string& path, std::size_t line) {
  std::size_t pos = 0;
  while ((pos = header.find('[', pos)) != std::string_view::npos) {
    const std::size_t close = header.find(']', pos);
    if (close == std::string_view::npos) throw FileError(path, line, "unclosed '[' in the header");
    // The column name is the run of non-blank characters before '['.
    std::size_t name_start = header.find_last_of(" \t", pos);
    name_start = name_start == std::string_view::npos ? 0 : name_start + 1;
    const std::string_view name = header.substr(name_start, pos - name_start);
    const std::string_view unit = header.substr(pos + 1, close - pos - 1);
    bool ok = false;
    if (name == "UsedTime") ok = unit == "s";
    else if (name == "Time") ok = unit == "fs";
    else if (name == "Temp") ok = unit == "K";
    else ok = unit == "a.u." || unit == "hartree" || unit == "Hartree";
    if (!ok)
      throw FileError(path, line,
                      "unknown unit '" + std::string(unit) + "' of column '" + std::string(name) +
                          "' (ldyn reads CP2K's defaults: Time[fs], Temp[K], energies [a.u.], UsedTime[s])");
    pos = close + 1;
  }
}

}  // namespace

Cp2kEnergies read_cp2k_ener(const std::filesystem::path& file) {
  TextFileReader reader(file);
  const std::string& path = reader.path();
  Cp2kEnergies e;
  std::string line;
  std::vector<std::string_view> tok;
  while (reader.next_line(line)) {
    const std::size_t ln = reader.line_number();
    const auto first = line.find_first_not_of(" \t");
    if (first == std::string::npos) continue;
    if (line[first] == '#') {
      check_header_units(line, path, ln);
      continue;
    }
    text::split(line, tok);
    if (tok.size() != 7)
      throw FileError(path, ln,
                      "expected 7 columns (step, time, kinetic, temperature, potential, conserved, "
                      "used time), got " + std::to_string(tok.size()));
    e.step.push_back(text::integer(tok[0], path, ln, "step"));
    e.time_fs.push_back(text::real(tok[1], path, ln, "time"));
    e.kinetic_ev.push_back(text::real(tok[2], path, ln, "kinetic energy") * units::hartree_to_ev);
    e.temperature_k.push_back(text::real(tok[3], path, ln, "temperature"));
    e.potential_ev.push_back(text::real(tok[4], path, ln, "potential energy") * units::hartree_to_ev);
    e.conserved_ev.push_back(text::real(tok[5], path, ln, "conserved quantity") * units::hartree_to_ev);
    e.used_time_s.push_back(text::real(tok[6], path, ln, "used time"));
  }
  return e;
}

}  // namespace ldyn::molecular::io
