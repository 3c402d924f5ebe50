#include "lammps_frame.hpp"

#include <library.h>

#include <string>

#include "core/error.hpp"
#include "molecular/io/units.hpp"

namespace ldyn::lammps {

namespace io = molecular::io;

molecular::io::Frame gather_frame(LammpsInstance& lmp, const molecular::SpeciesTable& species,
                                  const molecular::Box& box, long step, double dt_fs) {
  const auto x = lmp.gather_doubles("x", 3);
  const auto v = lmp.gather_doubles("v", 3);
  const auto image = lmp.gather_ints("image", 1);
  const auto type = lmp.gather_ints("type", 1);
  const auto n = static_cast<Eigen::Index>(type.size());
  io::Frame frame;
  frame.positions.resize(n, 3);
  frame.velocities.resize(n, 3);
  for (Eigen::Index i = 0; i < n; ++i) {
    const auto k = static_cast<std::size_t>(i);
    const int t = type[k] - 1;
    if (t < 0 || t >= static_cast<int>(species.size()))
      throw Error("LAMMPS atom " + std::to_string(i + 1) + " has type " + std::to_string(t + 1) +
                  ", which names no species");
    frame.species.push_back(species.symbols[static_cast<std::size_t>(t)]);
    int flags[3];
    lammps_decode_image_flags(image[k], flags);
    for (int a = 0; a < 3; ++a) {
      const auto j = 3 * k + static_cast<std::size_t>(a);
      frame.positions(i, a) = x[j] + flags[a] * box.length[a];
      frame.velocities(i, a) = v[j] / io::units::fs_per_ps;
    }
  }
  frame.cell = io::Lattice(box.length.matrix().asDiagonal());
  frame.pbc = {true, true, true};
  frame.step = step;
  frame.time_fs = static_cast<double>(step) * dt_fs;
  return frame;
}

molecular::AtomVectors gather_forces(LammpsInstance& lmp) {
  const auto f = lmp.gather_doubles("f", 3);
  molecular::AtomVectors out(static_cast<Eigen::Index>(f.size() / 3), 3);
  for (Eigen::Index i = 0; i < out.rows(); ++i)
    for (int a = 0; a < 3; ++a) out(i, a) = f[3 * static_cast<std::size_t>(i) + static_cast<std::size_t>(a)];
  return out;
}

}  // namespace ldyn::lammps
