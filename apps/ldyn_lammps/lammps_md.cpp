#include "lammps_md.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <string>

#include "core/error.hpp"
#include "lammps_frame.hpp"
#include "lammps_system.hpp"
#include "model_fix.hpp"
#include "molecular/io/extxyz.hpp"
#include "molecular/md/part_file.hpp"

namespace ldyn::lammps {

namespace md = molecular::md;

void LammpsMdSettings::validate() const {
  if (!(dt_fs > 0.0) || !std::isfinite(dt_fs)) throw InvalidOption("--dt", "must be > 0 fs");
  if (steps < 0) throw InvalidOption("--steps", "must be >= 0");
  if (every < 1) throw InvalidOption("--every", "must be >= 1");
  if (!(temperature_K > 0.0) || !std::isfinite(temperature_K))
    throw InvalidOption("--temperature", "must be > 0 K");
  if (ensemble == md::Ensemble::nvt && (!(tau_fs > 0.0) || !std::isfinite(tau_fs)))
    throw InvalidOption("--tau", "must be > 0 fs");
}

namespace {

/// LAMMPS's velocity seed must be a positive 32-bit integer.
long lammps_seed(std::uint64_t seed) { return static_cast<long>(seed % 900000000ULL) + 1; }

}  // namespace

LammpsMdSummary run_lammps_md(LammpsInstance& lmp, molecular::AgentModel& model, const molecular::System& start,
                              const LammpsMdSettings& s) {
  s.validate();
  const double ps = 1e-3;  // metal units: time in ps
  create_lammps_system(lmp, start, s.keep_velocities);
  ModelFix fix(lmp, model, start);
  lmp.command("timestep " + lammps_number(s.dt_fs * ps));
  // rot no: in a periodic box angular momentum is not conserved, so there is nothing to zero
  // (ldyn's own runs remove only the centre-of-mass momentum too).
  if (!s.keep_velocities)
    lmp.command("velocity all create " + lammps_number(s.temperature_K) + " " + std::to_string(lammps_seed(s.seed)) +
                " mom yes rot no dist gaussian");
  if (s.ensemble == md::Ensemble::nvt)
    lmp.command("fix ldyn_integrate all nvt temp " + lammps_number(s.temperature_K) + " " +
                lammps_number(s.temperature_K) + " " + lammps_number(s.tau_fs * ps));
  else
    lmp.command("fix ldyn_integrate all nve");
  // econserve: K + pe + thermostat energy (pe holds the model's energy only when conservative).
  lmp.command("thermo_style custom step time temp pe ke etotal econserve");
  lmp.command("thermo_modify norm no flush yes");
  lmp.command("thermo " + std::to_string(s.every));

  md::PartFile trajectory;
  const bool write = lmp.rank() == 0 && !s.trajectory_path.empty();
  if (write) trajectory.open_fresh(s.trajectory_path);
  std::ostringstream text;
  auto write_frame = [&](long step) {
    molecular::io::Frame frame = gather_frame(lmp, start.species, start.box, step, s.dt_fs);  // collective
    if (!write) return;
    if (model.conservative()) frame.potential_energy_ev = fix.last_energy();
    text.str("");
    molecular::io::write_extxyz_frame(text, frame);
    trajectory.write(text.view());
  };

  lmp.command("run 0");  // computes the step-0 forces (and energy) through the fix
  write_frame(0);
  LammpsMdSummary summary;
  summary.ranks = lmp.ranks();
  const double model0 = fix.model_seconds(), gather0 = fix.gather_seconds();
  double temperature_sum = 0.0;
  long frames = 0;
  const double t0 = MPI_Wtime();
  for (long done = 0; done < s.steps;) {
    const long chunk = std::min(s.every, s.steps - done);
    // pre no: the state is unchanged since the last chunk, so LAMMPS may skip its setup.
    lmp.command("run " + std::to_string(chunk) + " pre no post no");
    done += chunk;
    temperature_sum += lmp.thermo("temp");
    ++frames;
    write_frame(done);
  }
  const double wall = MPI_Wtime() - t0;
  if (write) trajectory.finish();

  summary.steps = s.steps;
  summary.mean_temperature_K = frames > 0 ? temperature_sum / static_cast<double>(frames) : lmp.thermo("temp");
  summary.final_potential_energy_ev = fix.last_energy();
  if (s.steps > 0) {
    const auto steps = static_cast<double>(s.steps);
    summary.wall_seconds_per_step = wall / steps;
    summary.model_seconds_per_step = (fix.model_seconds() - model0) / steps;
    summary.gather_seconds_per_step = (fix.gather_seconds() - gather0) / steps;
  }
  return summary;
}

}  // namespace ldyn::lammps
