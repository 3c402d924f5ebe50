#include "molecular/io/units.hpp"

#include <string>

#include "core/error.hpp"
#include "molecular/io/text.hpp"

namespace ldyn::molecular::io {

namespace {
[[noreturn]] void unknown(std::string_view option, std::string_view name, const char* expected) {
  throw InvalidOption(std::string(option),
                      "unknown unit '" + std::string(name) + "' (expected " + expected + ")");
}
}  // namespace

double to_angstrom(LengthUnit unit) {
  switch (unit) {
    case LengthUnit::angstrom: return 1.0;
    case LengthUnit::bohr: return units::bohr_to_angstrom;
  }
  throw InvalidOption("unit", "unknown length unit");
}

double to_ev_per_angstrom(ForceUnit unit) {
  switch (unit) {
    case ForceUnit::ev_per_angstrom: return 1.0;
    case ForceUnit::hartree_per_bohr: return units::hartree_per_bohr_to_ev_per_angstrom;
  }
  throw InvalidOption("unit", "unknown force unit");
}

double to_angstrom_per_fs(VelocityUnit unit) {
  switch (unit) {
    case VelocityUnit::angstrom_per_fs: return 1.0;
    case VelocityUnit::bohr_per_atomic_time: return units::bohr_per_atomic_time_to_angstrom_per_fs;
  }
  throw InvalidOption("unit", "unknown velocity unit");
}

LengthUnit parse_length_unit(std::string_view name, std::string_view option) {
  const std::string n = text::lower(name);
  if (n == "angstrom" || n == "a") return LengthUnit::angstrom;
  if (n == "bohr" || n == "au") return LengthUnit::bohr;
  unknown(option, name, "angstrom or bohr");
}

ForceUnit parse_force_unit(std::string_view name, std::string_view option) {
  const std::string n = text::lower(name);
  if (n == "ev/angstrom" || n == "ev/a") return ForceUnit::ev_per_angstrom;
  if (n == "hartree/bohr" || n == "au") return ForceUnit::hartree_per_bohr;
  unknown(option, name, "eV/angstrom or hartree/bohr");
}

VelocityUnit parse_velocity_unit(std::string_view name, std::string_view option) {
  const std::string n = text::lower(name);
  if (n == "angstrom/fs" || n == "a/fs") return VelocityUnit::angstrom_per_fs;
  if (n == "bohr/au_time" || n == "au") return VelocityUnit::bohr_per_atomic_time;
  unknown(option, name, "angstrom/fs or bohr/au_time");
}

}  // namespace ldyn::molecular::io
