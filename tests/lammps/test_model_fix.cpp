// The forces LAMMPS applies through ModelFix are those of ldyn's model, and one LAMMPS velocity
// Verlet step moves atoms as ldyn's units say it should. Collective: runs on any number of ranks.
#include <gtest/gtest.h>
#include <library.h>

#include "lammps_frame.hpp"
#include "lammps_instance.hpp"
#include "lammps_system.hpp"
#include "model_fix.hpp"
#include "model_fixtures.hpp"
#include "molecular/io/units.hpp"
#include "molecular/md/initial_velocities.hpp"

namespace ldyn::lammps {
namespace {

namespace mol = ldyn::molecular;
namespace units = ldyn::molecular::io::units;

LammpsInstance quiet_instance() {
  return LammpsInstance(MPI_COMM_WORLD, {"-log", "none", "-screen", "none", "-nocite"});
}

/// 60 atoms (20 O, 40 H) in a 9 Å box, unwrapped positions (up to one box away).
mol::System test_system() { return mol::testing::random_system(60, 9.0, 1.0, 7); }

double max_abs(const mol::AtomVectors& a) { return a.cwiseAbs().maxCoeff(); }

void expect_forces_match(mol::Dynamics dynamics) {
  const mol::System system = test_system();
  const mol::ModelSpec spec = mol::testing::small_spec(dynamics);
  const Eigen::VectorXd c = mol::testing::random_coefficients(spec, 0.05, 11);
  mol::AgentModel reference(spec, c), bridged(spec, c);
  mol::AtomVectors expected;
  const double energy = reference.compute(system, expected);

  LammpsInstance lmp = quiet_instance();
  create_lammps_system(lmp, system, false);
  ModelFix fix(lmp, bridged, system);
  lmp.command("run 0");
  // On several ranks each must own some atoms, or the gather/scatter by id is not exercised.
  int owned = lammps_extract_setting(lmp.handle(), "nlocal"), fewest = 0;
  MPI_Allreduce(&owned, &fewest, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
  EXPECT_GT(fewest, 0);
  const mol::AtomVectors applied = gather_forces(lmp);
  ASSERT_EQ(applied.rows(), expected.rows());
  ASSERT_GT(max_abs(expected), 1e-3);  // the model does push
  EXPECT_LE(max_abs(applied - expected), 1e-12 * max_abs(expected));
  EXPECT_EQ(fix.calls(), 1);
  EXPECT_NEAR(fix.last_energy(), energy, 1e-12 * std::abs(energy));
  // A conservative model's energy is LAMMPS's potential energy; agent losses are not an energy.
  if (dynamics == mol::Dynamics::symmetric)
    EXPECT_NEAR(lmp.thermo("pe"), energy, 1e-12 * std::abs(energy));
  else
    EXPECT_EQ(lmp.thermo("pe"), 0.0);
}

TEST(LammpsModelFix, ForcesAreTheModelsSymmetricDynamics) { expect_forces_match(mol::Dynamics::symmetric); }
TEST(LammpsModelFix, ForcesAreTheModelsAgentDynamics) { expect_forces_match(mol::Dynamics::agent); }

TEST(LammpsModelFix, StartFrameRoundTripsUnwrapped) {
  mol::System system = test_system();
  mol::md::maxwell_boltzmann_velocities(system, 300.0, 3);
  LammpsInstance lmp = quiet_instance();
  create_lammps_system(lmp, system, true);
  const mol::io::Frame frame = gather_frame(lmp, system.species, system.box, 0, 0.5);
  ASSERT_EQ(frame.size(), system.size());
  EXPECT_LE(max_abs(frame.positions - system.positions), 1e-12);
  // Å/fs → Å/ps → Å/fs: one rounding each way.
  EXPECT_LE(max_abs(frame.velocities - system.velocities), 1e-15);
  for (std::size_t i = 0; i < system.size(); ++i)
    EXPECT_EQ(frame.species[i], system.species.symbols[static_cast<std::size_t>(system.type[i])]);
}

// One velocity Verlet step by LAMMPS (metal units: ps, Å/ps, eV/Å, g/mol) against the same step
// written in ldyn's units (fs, Å/fs): checks the time step, velocity and mass conversions and that
// the step-1 forces are evaluated at the step-1 positions.
TEST(LammpsModelFix, OneVerletStepMatchesLdynUnits) {
  mol::System system = test_system();
  mol::md::maxwell_boltzmann_velocities(system, 300.0, 5);
  const mol::ModelSpec spec = mol::testing::small_spec(mol::Dynamics::symmetric);
  const Eigen::VectorXd c = mol::testing::random_coefficients(spec, 0.05, 13);
  mol::AgentModel reference(spec, c), bridged(spec, c);

  const double dt = 0.5;  // fs
  mol::AtomVectors f0, f1;
  reference.compute(system, f0);
  mol::System next = system;
  const Eigen::VectorXd inv_m = system.mass.cwiseInverse() / units::amu_a2_per_fs2_to_ev;  // Å/fs² per eV/Å
  const mol::AtomVectors a0 = f0.array().colwise() * inv_m.array();
  next.positions = system.positions + dt * system.velocities + 0.5 * dt * dt * a0;
  reference.compute(next, f1);
  const mol::AtomVectors a1 = f1.array().colwise() * inv_m.array();
  next.velocities = system.velocities + 0.5 * dt * (a0 + a1);

  LammpsInstance lmp = quiet_instance();
  create_lammps_system(lmp, system, true);
  ModelFix fix(lmp, bridged, system);
  lmp.command("timestep " + lammps_number(dt * 1e-3));
  lmp.command("fix integrate all nve");
  lmp.command("run 1");
  const mol::io::Frame frame = gather_frame(lmp, system.species, system.box, 1, dt);
  // LAMMPS's metal-unit constant (1/1.0364269e-4) differs from CODATA's in the 8th digit: the
  // acceleration term carries that difference, the rest is rounding.
  const double accel_scale = 0.5 * dt * dt * max_abs(a0);
  EXPECT_LE(max_abs(frame.positions - next.positions), 1e-6 * accel_scale + 1e-12);
  EXPECT_LE(max_abs(frame.velocities - next.velocities), 1e-6 * dt * max_abs(a1) + 1e-13);
  EXPECT_LE(max_abs(gather_forces(lmp) - f1), 1e-6 * max_abs(f1));
  EXPECT_EQ(fix.calls(), 2);  // setup and step 1
}

// Free flight (a model with zero coefficients and no wall): atoms cross the periodic boundaries
// many times, LAMMPS must keep wrapping them and moving them between ranks (it has no pair style
// and so no neighbour lists of its own), and the unwrapped positions the model and the trajectory
// see must be the straight lines x0 + v t.
TEST(LammpsModelFix, FreeFlightStaysWrappedOwnedAndUnwrapsExactly) {
  mol::System system = test_system();
  mol::md::maxwell_boltzmann_velocities(system, 3000.0, 9);  // H: ~0.08 A/fs, so ~20 A in 250 fs
  mol::ModelSpec spec = mol::testing::small_spec(mol::Dynamics::symmetric);
  spec.wall_strength = 0.0;
  mol::AgentModel model(spec, Eigen::VectorXd::Zero(spec.total_size()));

  LammpsInstance lmp = quiet_instance();
  create_lammps_system(lmp, system, true);
  ModelFix fix(lmp, model, system);
  lmp.command("timestep 0.001");  // 1 fs
  lmp.command("fix integrate all nve");
  lmp.command("run 250");
  const mol::io::Frame frame = gather_frame(lmp, system.species, system.box, 250, 1.0);
  const mol::AtomVectors expected = system.positions + 250.0 * system.velocities;
  EXPECT_LE(max_abs(frame.positions - expected), 1e-9);
  EXPECT_LE(max_abs(fix.system().positions - expected), 1e-9);  // what the model saw last
  EXPECT_GT(max_abs(frame.positions - system.positions), 2.0 * system.box.length[0]);
  // Every rank's atoms lie inside the box [0, L): LAMMPS wrapped (and exchanged) them.
  const int nlocal = lammps_extract_setting(lmp.handle(), "nlocal");
  const auto* x = static_cast<double**>(lammps_extract_atom(lmp.handle(), "x"));
  int outside = 0;
  for (int i = 0; i < nlocal; ++i)
    for (int a = 0; a < 3; ++a) outside += x[i][a] < 0.0 || x[i][a] >= system.box.length[a];
  EXPECT_EQ(outside, 0);
}

}  // namespace
}  // namespace ldyn::lammps
