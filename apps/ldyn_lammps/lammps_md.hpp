#pragma once
// A molecular-dynamics run of an ldyn model integrated by LAMMPS: velocity Verlet (`fix nve`) or
// LAMMPS's Nosé–Hoover chain (`fix nvt`, 3 thermostats like ldyn's default), initial velocities
// from LAMMPS's `velocity create` (Gaussian, centre-of-mass momentum removed, scaled to exactly T
// with 3N − 3 degrees of freedom, independent of the number of ranks) or those of the start frame,
// forces from ModelFix. The run goes in chunks of `every` steps; after each chunk rank 0 appends a
// frame (unwrapped positions, velocities, time, Lattice) to the extended XYZ trajectory, which
// lives as PATH.part until the run ends.
#include <cstdint>
#include <filesystem>

#include "lammps_instance.hpp"
#include "molecular/md/md_settings.hpp"
#include "molecular/model/agent_model.hpp"
#include "molecular/system.hpp"

namespace ldyn::lammps {

struct LammpsMdSettings {
  double dt_fs = 0.5;
  long steps = 1000;
  molecular::md::Ensemble ensemble = molecular::md::Ensemble::nvt;
  double temperature_K = 300.0;
  double tau_fs = 100.0;
  std::uint64_t seed = 1;
  bool keep_velocities = false;  ///< start from the system's velocities instead of drawing them
  long every = 100;              ///< trajectory frame and thermo line every this many steps
  std::filesystem::path trajectory_path;  ///< empty: no trajectory

  /// Throws InvalidOption (named as the CLI names it) for an impossible value.
  void validate() const;
};

struct LammpsMdSummary {
  long steps = 0;
  int ranks = 1;
  double mean_temperature_K = 0.0;  ///< over the frames written (step 0 excluded)
  double final_potential_energy_ev = 0.0;
  double wall_seconds_per_step = 0.0;   ///< the run loop, as rank 0 measured it
  double model_seconds_per_step = 0.0;  ///< rank 0's time inside the model
  double gather_seconds_per_step = 0.0; ///< rank 0's time gathering positions
};

/// Sets up `lmp` (a fresh instance) from `start`, runs, writes the trajectory. Collective.
LammpsMdSummary run_lammps_md(LammpsInstance& lmp, molecular::AgentModel& model,
                              const molecular::System& start, const LammpsMdSettings& settings);

}  // namespace ldyn::lammps
