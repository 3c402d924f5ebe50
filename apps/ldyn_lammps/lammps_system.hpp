#pragma once
// Puts an ldyn System into a LAMMPS instance: `units metal` (Å, eV, ps, g/mol; velocities Å/ps),
// atom_style atomic, a periodic orthogonal box [0, L), one atom type per species of the system's
// table (type = species index + 1, masses from the table, i.e. from the model file), atoms with
// ids 1..N in the system's order.
#include <string>

#include "lammps_instance.hpp"
#include "molecular/system.hpp"

namespace ldyn::lammps {

/// A number as LAMMPS should read it: shortest round-trip form, so LAMMPS sees the same double.
std::string lammps_number(double value);

/// Defines the box, types, masses and atoms. Positions are wrapped into the box with image flags
/// that keep their unwrapped values; velocities (converted to Å/ps) are set when `with_velocities`.
/// Collective. Throws ldyn::Error when LAMMPS does not end up holding all N atoms.
void create_lammps_system(LammpsInstance& lmp, const molecular::System& system, bool with_velocities);

}  // namespace ldyn::lammps
