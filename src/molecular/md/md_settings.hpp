#pragma once
// What a molecular-dynamics run does: integrator, ensemble, initial velocities, outputs and the
// limits that stop a run that has blown up. Option names in errors are the CLI's (--dt, ...).
#include <cstdint>
#include <filesystem>
#include <string_view>

namespace ldyn::molecular::md {

enum class Ensemble { nve, nvt };
enum class InitialVelocities {
  maxwell_boltzmann,  ///< drawn at `temperature_K` from `seed` (initial_velocities.hpp)
  keep,               ///< those of the start frame
};

/// When a run counts as blown up (blow_up.hpp).
struct BlowUpLimits {
  /// K; 0 means automatic: 5 × the target in NVT, 5 × the initial temperature (at least 1000 K) in NVE.
  double max_temperature_K = 0.0;
  double min_distance_A = 0.5;  ///< two atoms closer than this stop the run; 0 turns the check off
  long distance_check_every = 10;  ///< steps between distance checks
};

struct MdSettings {
  double dt_fs = 0.5;
  long steps = 1000;
  Ensemble ensemble = Ensemble::nvt;
  double temperature_K = 300.0;  ///< thermostat target, and the Maxwell–Boltzmann temperature
  InitialVelocities initial_velocities = InitialVelocities::maxwell_boltzmann;
  double tau_fs = 100.0;          ///< Nosé–Hoover chain time constant
  int chain_length = 3;
  int yoshida_order = 3;
  int thermostat_substeps = 1;
  std::uint64_t seed = 1;

  long log_every = 10;            ///< log CSV rows every this many steps (and at step 0)
  long trajectory_every = 100;    ///< trajectory frames every this many steps (and at step 0)
  long checkpoint_every = 0;      ///< 0: only at the end of the run (when checkpoint_path is set)
  std::filesystem::path log_path;         ///< empty: no log
  std::filesystem::path trajectory_path;  ///< empty: no trajectory
  std::filesystem::path checkpoint_path;  ///< empty: no checkpoints
  std::filesystem::path resume_from;      ///< a checkpoint to continue from; empty: a fresh run
  bool progress = true;           ///< progress bar on stderr (only when it is a terminal)
  BlowUpLimits limits;

  /// Throws InvalidOption naming the first impossible value.
  void validate() const;
};

/// "nve" or "nvt" (case-insensitive); throws InvalidOption naming --ensemble otherwise.
Ensemble parse_ensemble(std::string_view name);
std::string_view ensemble_name(Ensemble ensemble);

}  // namespace ldyn::molecular::md
