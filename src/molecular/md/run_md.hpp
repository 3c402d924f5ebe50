#pragma once
// The molecular-dynamics run loop: velocity Verlet (velocity_verlet.hpp), optionally wrapped in a
// Nosé–Hoover chain (nose_hoover_chain.hpp) for NVT, with outputs (md_outputs.hpp), checkpoints
// (md_checkpoint.hpp) and blow-up checks (blow_up.hpp). The force field is the caller's.
//
// The conserved quantity in the log:
//  * conservative force field: K + U + thermostat energy (U what compute() returned);
//  * otherwise: K + thermostat energy − W, with W the work the forces did since step 0,
//    accumulated each step as the trapezoid of F·v dt. Without a potential, K − W is what the
//    equations of motion conserve exactly (dK/dt = F·v); the integrator conserves it only in the
//    limit dt → 0, so its drift measures the integration error just as total energy does for
//    conservative forces.
#include <cstddef>

#include "molecular/force_field.hpp"
#include "molecular/md/md_settings.hpp"
#include "molecular/system.hpp"

namespace ldyn::molecular::md {

/// What a call of run_md did. Statistics cover the states of this call, its start state included
/// (for a resumed run: from the checkpoint's step on).
struct MdSummary {
  long first_step = 0, last_step = 0;
  long steps_done = 0;
  double mean_temperature_K = 0.0;
  double conserved_drift_ev_per_atom_per_ps = 0.0;  ///< least-squares slope
  double conserved_max_deviation_ev = 0.0;          ///< largest |H(t) − H(first)|
  double kinetic_std_ev = 0.0;                       ///< the scale to judge the two above against
  double wall_seconds_per_step = 0.0;
  std::size_t neighbor_list_builds = 0;              ///< of the distance check's list
};

/// Runs `settings.steps` steps (or continues from settings.resume_from up to that step), updating
/// `system` in place. Throws InvalidOption for bad settings, FileError for outputs and checkpoints,
/// and BlowUpError — after renaming the outputs into place — when the system blows up.
MdSummary run_md(System& system, ForceField& force_field, const MdSettings& settings);

}  // namespace ldyn::molecular::md
