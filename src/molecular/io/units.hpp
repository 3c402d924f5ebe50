#pragma once
// Units of the molecular module. Inside ldyn every quantity is in one unit system:
//   length Å, time fs, energy eV, force eV/Å, velocity Å/fs, mass g/mol.
// Files in other units are converted ONCE, when they are read, with the factors below.
// Values: CODATA 2018 recommended values (E. Tiesinga et al., Rev. Mod. Phys. 93, 025010 (2021);
// NIST SP 961, 2019).
#include <string_view>

namespace ldyn::molecular::io {

namespace units {
/// Hartree energy in eV.
inline constexpr double hartree_to_ev = 27.211386245988;
/// Bohr radius in Å.
inline constexpr double bohr_to_angstrom = 0.529177210903;
/// Hartree/Bohr in eV/Å.
inline constexpr double hartree_per_bohr_to_ev_per_angstrom = hartree_to_ev / bohr_to_angstrom;
/// Atomic unit of time (ħ/E_h) in fs.
inline constexpr double atomic_time_to_fs = 2.4188843265857e-2;
/// Bohr per atomic unit of time in Å/fs.
inline constexpr double bohr_per_atomic_time_to_angstrom_per_fs = bohr_to_angstrom / atomic_time_to_fs;
/// LAMMPS `units metal` velocities are Å/ps, time is ps.
inline constexpr double fs_per_ps = 1000.0;
/// Kinetic energy: 1 (g/mol)·Å²/fs² in eV (= 1e7 J/kg·... / N_A / e; 103.642696...).
inline constexpr double amu_a2_per_fs2_to_ev = 1.0e-3 / 6.02214076e23 * 1.0e10 / 1.602176634e-19;
/// Boltzmann constant in eV/K (exact in the 2019 SI).
inline constexpr double boltzmann_ev_per_k = 1.380649e-23 / 1.602176634e-19;
}  // namespace units

/// The unit of the numbers in a positions file.
enum class LengthUnit { angstrom, bohr };
/// The unit of the numbers in a forces file. CP2K's default is Hartree/Bohr.
enum class ForceUnit { ev_per_angstrom, hartree_per_bohr };
/// The unit of the numbers in a velocities file. CP2K's default is Bohr/(atomic time unit).
enum class VelocityUnit { angstrom_per_fs, bohr_per_atomic_time };

/// Factors that turn a number in the unit into Å, eV/Å and Å/fs.
/// Throw InvalidOption for a value outside the enumeration.
double to_angstrom(LengthUnit unit);
double to_ev_per_angstrom(ForceUnit unit);
double to_angstrom_per_fs(VelocityUnit unit);

/// Units by name, as a configuration file or the command line spells them (case-insensitive):
/// "angstrom"/"A", "bohr"; "eV/angstrom"/"eV/A", "hartree/bohr"/"au";
/// "angstrom/fs"/"A/fs", "bohr/au_time"/"au". Unknown names throw InvalidOption naming `option`.
LengthUnit parse_length_unit(std::string_view name, std::string_view option = "unit");
ForceUnit parse_force_unit(std::string_view name, std::string_view option = "unit");
VelocityUnit parse_velocity_unit(std::string_view name, std::string_view option = "unit");

}  // namespace ldyn::molecular::io
