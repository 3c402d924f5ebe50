// run_lammps_md: the trajectory it writes (frames, times, cell, unwrapped positions) and its
// validation of settings. Collective: runs on any number of ranks.
#include <unistd.h>

#include <filesystem>

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "lammps_instance.hpp"
#include "lammps_md.hpp"
#include "model_fixtures.hpp"
#include "molecular/io/extxyz.hpp"

namespace ldyn::lammps {
namespace {

namespace fs = std::filesystem;
namespace mol = ldyn::molecular;

/// A scratch directory whose name every rank agrees on (rank 0's pid).
fs::path shared_scratch(const std::string& name) {
  int pid = static_cast<int>(::getpid());
  MPI_Bcast(&pid, 1, MPI_INT, 0, MPI_COMM_WORLD);
  const fs::path dir = fs::temp_directory_path() / ("ldyn-lammps-test-" + std::to_string(pid)) / name;
  fs::create_directories(dir);
  return dir;
}

TEST(LammpsMd, WritesUnwrappedTrajectoryWithTimeAndCell) {
  const mol::System start = mol::testing::random_system(60, 9.0, 1.2, 21);
  const mol::ModelSpec spec = mol::testing::small_spec(mol::Dynamics::symmetric);
  mol::AgentModel model(spec, mol::testing::random_coefficients(spec, 0.02, 4));
  const fs::path out = shared_scratch("md") / "traj.extxyz";

  LammpsMdSettings s;
  s.steps = 10;
  s.every = 4;  // frames at 0, 4, 8 and the last step, 10
  s.dt_fs = 0.25;
  s.temperature_K = 200.0;
  s.trajectory_path = out;
  LammpsInstance lmp(MPI_COMM_WORLD, {"-log", "none", "-screen", "none", "-nocite"});
  const LammpsMdSummary summary = run_lammps_md(lmp, model, start, s);
  EXPECT_EQ(summary.steps, 10);
  EXPECT_GT(summary.mean_temperature_K, 0.0);
  MPI_Barrier(MPI_COMM_WORLD);  // rank 0 has renamed the .part file

  const auto frames = mol::io::read_extxyz(out);
  ASSERT_EQ(frames.size(), 4U);
  const double times[] = {0.0, 1.0, 2.0, 2.5};
  const long steps[] = {0, 4, 8, 10};
  for (std::size_t k = 0; k < frames.size(); ++k) {
    EXPECT_EQ(frames[k].step, steps[k]);
    EXPECT_DOUBLE_EQ(frames[k].time_fs, times[k]);
    ASSERT_TRUE(frames[k].cell.has_value());
    EXPECT_DOUBLE_EQ((*frames[k].cell)(1, 1), 9.0);
    EXPECT_TRUE(frames[k].has_velocities());
    EXPECT_TRUE(std::isfinite(frames[k].potential_energy_ev));
  }
  // Step 0 is the start frame itself, unwrapped as it was given.
  EXPECT_LE((frames[0].positions - start.positions).cwiseAbs().maxCoeff(), 1e-12);
  // Atoms move continuously: no jump of a box length between frames.
  EXPECT_LT((frames[3].positions - frames[0].positions).cwiseAbs().maxCoeff(), 1.0);
  MPI_Barrier(MPI_COMM_WORLD);
  if (lmp.rank() == 0) fs::remove_all(out.parent_path().parent_path());
}

TEST(LammpsMd, RejectsImpossibleSettings) {
  LammpsMdSettings s;
  s.dt_fs = 0.0;
  EXPECT_THROW(s.validate(), InvalidOption);
  s = {};
  s.every = 0;
  EXPECT_THROW(s.validate(), InvalidOption);
  s = {};
  s.tau_fs = -1.0;
  EXPECT_THROW(s.validate(), InvalidOption);
  s.ensemble = mol::md::Ensemble::nve;  // tau does not matter without a thermostat
  EXPECT_NO_THROW(s.validate());
}

}  // namespace
}  // namespace ldyn::lammps
