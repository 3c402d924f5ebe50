#pragma once
// LAMMPS files, in LAMMPS `units metal`: Å, eV, eV/Å, ps, so velocities Å/ps and time ps
// (converted from and to ldyn's Å/fs and fs).
//
// Data file (read_data), atom_style atomic: one atom type per species, numbered in the order the
// species first appear; a Masses section (g/mol); an orthogonal box [0, L) from the cell's
// diagonal (a triclinic cell is an error); positions as they are (LAMMPS wraps them back into
// periodic dimensions; the `boundary` command of the input script says which are periodic);
// a Velocities section (Å/ps) when the frame has velocities.
//
// Dump file (the `custom` style, `dump_modify units yes time yes`):
//   ITEM: UNITS / metal                 (first frame only)
//   ITEM: TIME / t[ps]                  (when the frame's time is known)
//   ITEM: TIMESTEP / step
//   ITEM: NUMBER OF ATOMS / N
//   ITEM: BOX BOUNDS pp pp pp / 0 Lx / 0 Ly / 0 Lz    (pp = periodic, ff = not)
//   ITEM: ATOMS id type element x y z [vx vy vz] [fx fy fz]
// The reader takes these files and those LAMMPS writes with any subset of such columns (x y z and
// type or element required, others skipped), sorts atoms by id, and rejects a triclinic box or
// units other than metal. Positions and forces round-trip exactly; velocities and time to within
// one rounding (×1000 then ÷1000). The box origin is not kept (the cell is diag(hi - lo)).
#include <filesystem>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "molecular/io/frame.hpp"

namespace ldyn::molecular::io {

/// Standard atomic weight (g/mol) of a chemical symbol (H ... Kr, plus D); InvalidOption if unknown.
double standard_atomic_mass(const std::string& symbol);

/// Writes `frame` as a LAMMPS data file (atom_style atomic) atomically. `masses` overrides or
/// extends the standard atomic masses by symbol.
void write_lammps_data(const std::filesystem::path& path, const Frame& frame,
                       const std::map<std::string, double>& masses = {});

/// Writes `frames` as a LAMMPS custom dump atomically; every frame needs an orthogonal cell.
void write_lammps_dump(const std::filesystem::path& path, std::span<const Frame> frames);

/// Reads a LAMMPS dump (plain, .xz or .gz). Without an element column, species are the type numbers.
std::vector<Frame> read_lammps_dump(const std::filesystem::path& path, const FrameRange& range = {});

}  // namespace ldyn::molecular::io
