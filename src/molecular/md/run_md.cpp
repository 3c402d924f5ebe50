#include "molecular/md/run_md.hpp"

#include <chrono>
#include <cstdint>
#include <cmath>
#include <cstdio>
#include <limits>
#include <optional>
#include <string>
#include <utility>

#include "core/error.hpp"
#include "core/progress.hpp"
#include "molecular/io/units.hpp"
#include "molecular/md/blow_up.hpp"
#include "molecular/md/initial_velocities.hpp"
#include "molecular/md/md_checkpoint.hpp"
#include "molecular/md/md_outputs.hpp"
#include "molecular/md/nose_hoover_chain.hpp"
#include "molecular/md/run_statistics.hpp"
#include "molecular/md/velocity_verlet.hpp"

namespace ldyn::molecular::md {
namespace {

void check_system(const System& system) {
  const auto n = static_cast<Eigen::Index>(system.size());
  if (n < 2) throw Error("molecular dynamics needs at least 2 atoms (got " + std::to_string(n) + ")");
  if (system.positions.rows() != n || system.mass.size() != n)
    throw Error("molecular dynamics: the system's positions or masses do not match its " + std::to_string(n) +
                " atoms");
  if ((system.mass.array() <= 0.0).any()) throw Error("molecular dynamics: every atom needs a mass > 0");
}

}  // namespace

MdSummary run_md(System& system, ForceField& force_field, const MdSettings& settings) {
  settings.validate();
  check_system(system);
  const auto n = static_cast<Eigen::Index>(system.size());
  if (system.velocities.rows() != n) system.velocities = AtomVectors::Zero(n, 3);
  const double dof = 3.0 * static_cast<double>(n) - 3.0;  // centre of mass fixed
  const double dt = settings.dt_fs;
  const bool conservative = force_field.conservative();

  std::optional<NoseHooverChain> thermostat;
  if (settings.ensemble == Ensemble::nvt)
    thermostat.emplace(NoseHooverChainSettings{settings.temperature_K, settings.tau_fs, settings.chain_length,
                                               settings.yoshida_order, settings.thermostat_substeps},
                       dof);

  MdOutputs outputs;
  long start = 0;
  double work = 0.0, initial_temperature = 0.0;
  std::optional<std::pair<std::uint64_t, std::uint64_t>> resumed_bytes;  // log, trajectory
  if (!settings.resume_from.empty()) {
    const MdCheckpoint c = read_md_checkpoint(settings.resume_from, system, settings);
    if (c.step > settings.steps)
      throw InvalidOption("--steps", std::to_string(settings.steps) + " is before the checkpoint's step " +
                                         std::to_string(c.step) + " (" + settings.resume_from.string() + ")");
    start = c.step;
    system.positions = c.positions;
    system.velocities = c.velocities;
    if (thermostat) thermostat->set_state(c.thermostat_positions, c.thermostat_velocities);
    work = c.work_ev;
    initial_temperature = c.initial_temperature_K;
    resumed_bytes = {c.log_bytes, c.trajectory_bytes};
  } else {
    if (settings.initial_velocities == InitialVelocities::maxwell_boltzmann)
      maxwell_boltzmann_velocities(system, settings.temperature_K, settings.seed);
    initial_temperature = temperature(system, 3.0);
  }

  const double to_kelvin = 2.0 / (dof * io::units::boltzmann_ev_per_k);
  const auto time_of = [&](long step) { return static_cast<double>(step) * dt; };
  const auto conserved_of = [&](double kinetic, double energy) {
    const double bath = thermostat ? thermostat->energy() : 0.0;
    return conservative ? kinetic + energy + bath : kinetic + bath - work;
  };
  const double no_energy = std::numeric_limits<double>::quiet_NaN();

  AtomVectors forces(n, 3);
  const VelocityVerlet integrator(system, dt);
  BlowUpDetector detector(resolve_max_temperature(settings.limits, settings.ensemble, settings.temperature_K,
                                                  initial_temperature),
                          settings.limits.min_distance_A, settings.limits.distance_check_every, system.box);
  // Outputs last: settings that the pieces above refuse leave no files behind.
  if (resumed_bytes)
    outputs.open_resumed(settings, system, resumed_bytes->first, resumed_bytes->second);
  else
    outputs.open_fresh(settings, system);
  RunStatistics statistics;
  const bool show_progress = settings.progress && ProgressBar::terminal_available();
  ProgressBar progress(settings.steps - start, "md", show_progress);
  char status[48] = "";
  long step = start, last_checkpoint = settings.resume_from.empty() ? -1 : start;

  const auto checkpoint = [&] {
    MdCheckpoint c;
    c.step = step;
    c.dt_fs = dt;
    c.ensemble = settings.ensemble;
    c.species = atom_symbols(system);
    c.positions = system.positions;
    c.velocities = system.velocities;
    if (thermostat) {
      c.thermostat_positions.assign(thermostat->positions().begin(), thermostat->positions().end());
      c.thermostat_velocities.assign(thermostat->velocities().begin(), thermostat->velocities().end());
    }
    c.work_ev = work;
    c.initial_temperature_K = initial_temperature;
    c.log_bytes = outputs.log_bytes();
    c.trajectory_bytes = outputs.trajectory_bytes();
    write_md_checkpoint(settings.checkpoint_path, c);
    last_checkpoint = step;
  };

  const auto started = std::chrono::steady_clock::now();
  try {
    double energy = force_field.compute(system, forces);
    double kinetic = kinetic_energy(system);
    detector.check(system, forces, step, kinetic * to_kelvin);
    detector.check_distances(system, step);
    statistics.add(time_of(step), kinetic * to_kelvin, kinetic, conserved_of(kinetic, energy));
    if (settings.resume_from.empty()) {
      outputs.write_log({step, time_of(step), kinetic * to_kelvin, kinetic, energy, conserved_of(kinetic, energy),
                         total_momentum(system).norm()});
      outputs.write_frame(system, step, time_of(step), conservative ? energy : no_energy);
    }

    while (step < settings.steps) {
      ++step;
      if (thermostat) thermostat->half_step(system, dt);
      const VelocityVerlet::StepResult r = integrator.step(system, force_field, forces);
      if (thermostat) thermostat->half_step(system, dt);
      energy = r.energy;
      work += r.work;
      kinetic = kinetic_energy(system);
      const double t_now = kinetic * to_kelvin;
      detector.check(system, forces, step, t_now);
      const double conserved = conserved_of(kinetic, energy);
      statistics.add(time_of(step), t_now, kinetic, conserved);

      if (step % settings.log_every == 0)
        outputs.write_log({step, time_of(step), t_now, kinetic, energy, conserved, total_momentum(system).norm()});
      if (step % settings.trajectory_every == 0)
        outputs.write_frame(system, step, time_of(step), conservative ? energy : no_energy);
      if (!settings.checkpoint_path.empty() && settings.checkpoint_every > 0 && step % settings.checkpoint_every == 0)
        checkpoint();
      if (show_progress) {  // formatting the status costs more than a small system's step
        std::snprintf(status, sizeof status, "T %.1f K", t_now);
        progress.update(step - start, status);
      }
    }
  } catch (const BlowUpError&) {
    // Show the user everything up to the blow-up; no checkpoint of a broken state.
    outputs.finish();
    throw;
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  if (!settings.checkpoint_path.empty() && last_checkpoint != step) checkpoint();
  outputs.finish();
  progress.finish(status);

  MdSummary s;
  s.first_step = start;
  s.last_step = step;
  s.steps_done = step - start;
  s.mean_temperature_K = statistics.mean_temperature();
  s.conserved_drift_ev_per_atom_per_ps = statistics.conserved_slope() * 1000.0 / static_cast<double>(n);
  s.conserved_max_deviation_ev = statistics.conserved_max_deviation();
  s.kinetic_std_ev = statistics.kinetic_std();
  s.wall_seconds_per_step = s.steps_done > 0 ? seconds / static_cast<double>(s.steps_done) : 0.0;
  s.neighbor_list_builds = detector.neighbor_builds();
  return s;
}

}  // namespace ldyn::molecular::md
