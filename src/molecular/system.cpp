#include "molecular/system.hpp"

#include <cmath>
#include <string>

#include "core/error.hpp"
#include "molecular/io/lammps.hpp"
#include "molecular/io/units.hpp"

namespace ldyn::molecular {

Box Box::from_frame(const io::Frame& frame, std::string_view source) {
  const std::string where(source);
  if (!frame.cell) throw FileError(where, "no cell (Lattice) given; a periodic box is needed");
  if (!(frame.pbc[0] && frame.pbc[1] && frame.pbc[2]))
    throw FileError(where, "the cell must be periodic along a, b and c");
  const io::Lattice& m = *frame.cell;
  if (!m.allFinite()) throw FileError(where, "the cell holds a non-finite number");
  const double diag = m.diagonal().cwiseAbs().maxCoeff();
  for (int r = 0; r < 3; ++r)
    for (int c = 0; c < 3; ++c)
      if (r != c && std::abs(m(r, c)) > 1e-9 * diag)
        throw FileError(where, "the cell is not orthorhombic (triclinic cells are not supported)");
  Box box;
  box.length = m.diagonal().array();
  if ((box.length <= 0.0).any()) throw FileError(where, "cell lengths must be > 0");
  return box;
}

int SpeciesTable::find(std::string_view symbol) const {
  for (std::size_t i = 0; i < symbols.size(); ++i)
    if (symbols[i] == symbol) return static_cast<int>(i);
  return -1;
}

int SpeciesTable::index_of(std::string_view symbol, std::string_view source) const {
  const int i = find(symbol);
  if (i < 0) {
    std::string known;
    for (const auto& s : symbols) known += (known.empty() ? "" : ", ") + s;
    throw FileError(std::string(source),
                    "unknown species '" + std::string(symbol) + "' (the model knows " + known + ")");
  }
  return i;
}

SpeciesTable SpeciesTable::standard(const std::vector<std::string>& symbols) {
  SpeciesTable t;
  t.symbols = symbols;
  for (const auto& s : symbols) t.masses.push_back(io::standard_atomic_mass(s));
  return t;
}

System System::from_frame(const io::Frame& frame, const SpeciesTable& table, std::string_view source) {
  System s;
  s.box = Box::from_frame(frame, source);
  s.species = table;
  const auto n = static_cast<Eigen::Index>(frame.size());
  if (frame.positions.rows() != n) throw FileError(std::string(source), "the frame has no positions");
  s.type.resize(frame.size());
  s.mass.resize(n);
  for (std::size_t i = 0; i < frame.size(); ++i) {
    s.type[i] = table.index_of(frame.species[i], source);
    s.mass[static_cast<Eigen::Index>(i)] = table.masses[static_cast<std::size_t>(s.type[i])];
  }
  s.positions = frame.positions;
  if (!s.positions.allFinite()) throw FileError(std::string(source), "a position is not finite");
  s.velocities = frame.has_velocities() ? frame.velocities : AtomVectors::Zero(n, 3);
  if (!s.velocities.allFinite()) throw FileError(std::string(source), "a velocity is not finite");
  return s;
}

io::Frame System::to_frame() const {
  io::Frame f;
  f.species.reserve(size());
  for (int t : type) f.species.push_back(species.symbols[static_cast<std::size_t>(t)]);
  f.positions = positions;
  f.velocities = velocities;
  f.cell = io::Lattice(box.length.matrix().asDiagonal());
  f.pbc = {true, true, true};
  return f;
}

double kinetic_energy(const System& system) {
  const double mv2 = (system.velocities.rowwise().squaredNorm().transpose().array() *
                      system.mass.transpose().array()).sum();
  return 0.5 * mv2 * io::units::amu_a2_per_fs2_to_ev;
}

double temperature(const System& system, double constraints) {
  const double dof = 3.0 * static_cast<double>(system.size()) - constraints;
  if (dof <= 0.0) return 0.0;
  return 2.0 * kinetic_energy(system) / (dof * io::units::boltzmann_ev_per_k);
}

}  // namespace ldyn::molecular
