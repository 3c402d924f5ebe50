#pragma once
// CP2K's PROJECT-1.ener (MOTION/PRINT/ENERGY): one '#' header line, then one row per printed step:
//   step  time[fs]  kinetic[Hartree]  temperature[K]  potential[Hartree]  conserved[Hartree]  used time[s]
// Energies are converted to eV. The units in the header (e.g. "Kin.[a.u.]", "Time[fs]") are
// checked when present: a unit ldyn does not know is an error, never a silent misreading.
// Files may be .xz or .gz.
#include <cstdint>
#include <filesystem>
#include <vector>

namespace ldyn::molecular::io {

/// Columns of a .ener file, one entry per row.
struct Cp2kEnergies {
  std::vector<std::int64_t> step;
  std::vector<double> time_fs;
  std::vector<double> kinetic_ev;
  std::vector<double> temperature_k;
  std::vector<double> potential_ev;
  std::vector<double> conserved_ev;
  std::vector<double> used_time_s;

  std::size_t size() const { return step.size(); }
};

Cp2kEnergies read_cp2k_ener(const std::filesystem::path& path);

}  // namespace ldyn::molecular::io
