#include "lammps_system.hpp"

#include <library.h>

#include <charconv>
#include <cmath>
#include <vector>

#include "core/error.hpp"
#include "molecular/io/units.hpp"

namespace ldyn::lammps {

std::string lammps_number(double value) {
  char buffer[64];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, result.ptr);
}

void create_lammps_system(LammpsInstance& lmp, const molecular::System& system, bool with_velocities) {
  const auto& L = system.box.length;
  const int types = static_cast<int>(system.species.size());
  lmp.command("units metal");
  lmp.command("atom_style atomic");
  // An id → local index map: lammps_gather_atoms and the force callback look atoms up by id.
  lmp.command("atom_modify map array");
  lmp.command("boundary p p p");
  lmp.command("region ldyn_box block 0 " + lammps_number(L[0]) + " 0 " + lammps_number(L[1]) + " 0 " +
              lammps_number(L[2]));
  lmp.command("create_box " + std::to_string(types) + " ldyn_box");
  for (std::size_t t = 0; t < system.species.size(); ++t)
    lmp.command("mass " + std::to_string(t + 1) + " " + lammps_number(system.species.masses[t]));

  const auto n = static_cast<int>(system.size());
  std::vector<int> id(static_cast<std::size_t>(n)), type(id.size()), image(id.size());
  std::vector<double> x(3 * id.size()), v(3 * id.size(), 0.0);
  for (int i = 0; i < n; ++i) {
    const auto k = static_cast<std::size_t>(i);
    id[k] = i + 1;
    type[k] = system.type[k] + 1;
    int flags[3];
    for (int a = 0; a < 3; ++a) {
      // LAMMPS owns atoms by their position inside [lo, hi): wrap, and keep the shift as image flags
      // (LAMMPS's 32-bit image flags hold −512 … 511 box lengths per axis).
      const double u = system.positions(i, a);
      double shift = std::floor(u / L[a]);
      double w = u - shift * L[a];
      if (w >= L[a]) {  // rounding can land exactly on hi
        w -= L[a];
        shift += 1.0;
      }
      if (std::abs(shift) > 511.0) throw Error("atom " + std::to_string(i + 1) + " lies more than 511 boxes away");
      flags[a] = static_cast<int>(shift);
      x[3 * k + static_cast<std::size_t>(a)] = w;
      if (with_velocities && system.velocities.rows() == n)
        v[3 * k + static_cast<std::size_t>(a)] = system.velocities(i, a) * molecular::io::units::fs_per_ps;
    }
    image[k] = lammps_encode_image_flags(flags[0], flags[1], flags[2]);
  }
  // Every rank passes the whole list; each keeps the atoms inside its sub-domain.
  lammps_create_atoms(lmp.handle(), n, id.data(), type.data(), x.data(), v.data(), image.data(), 0);
  if (lmp.atoms() != n)
    throw Error("LAMMPS holds " + std::to_string(lmp.atoms()) + " atoms after creating " + std::to_string(n));
}

}  // namespace ldyn::lammps
