#pragma once
// The state of a LAMMPS instance as an ldyn frame, for trajectories and tests.
#include "lammps_instance.hpp"
#include "molecular/io/frame.hpp"
#include "molecular/system.hpp"

namespace ldyn::lammps {

/// All atoms ordered by id: species symbols from `species` (type t is species t − 1), unwrapped
/// positions (x + image · L, Å), velocities (Å/fs, from LAMMPS's Å/ps), the cell diag(L), periodic
/// along a, b, c, `step` and time = step · dt_fs. Collective; every rank gets the whole frame.
molecular::io::Frame gather_frame(LammpsInstance& lmp, const molecular::SpeciesTable& species,
                                  const molecular::Box& box, long step, double dt_fs);

/// Forces LAMMPS holds (eV/Å), rows by atom id − 1. Collective.
molecular::AtomVectors gather_forces(LammpsInstance& lmp);

}  // namespace ldyn::lammps
