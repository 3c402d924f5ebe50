// `ldyn water run`: molecular dynamics driven by a fitted agent-loss model (velocity Verlet, NVE or
// a Nosé–Hoover chain), from a reference frame or a generated box.
#include <omp.h>

#include <cstdio>
#include <filesystem>
#include <string>

#include "cli_text.hpp"
#include "commands.hpp"
#include "core/error.hpp"
#include "core/progress.hpp"
#include "molecular/md/run_md.hpp"
#include "molecular/md/water_box.hpp"
#include "molecular/model/agent_model.hpp"
#include "molecular/model/model_file.hpp"
#include "molecular/trajectory.hpp"

namespace ldyn::cli {
namespace {

namespace fs = std::filesystem;
namespace mol = ldyn::molecular;

struct RunArgs {
  std::string model, start, out, log, checkpoint, resume, ensemble = "nvt", dynamics;
  double cell = 0.0, temperature = 300.0, dt = 0.5, tau = 100.0, density = 0.997;
  long steps = 1000, every = 100, log_every = 10, checkpoint_every = 0, start_frame = 0;
  int molecules = 0, threads = 0;
  std::uint64_t seed = 1;
  bool keep_velocities = false;
  double min_distance = mol::md::BlowUpLimits{}.min_distance_A, max_temperature = 0.0;
};

/// The start configuration: a frame of --start, or a generated box of --molecules.
mol::System start_system(const RunArgs& a, const mol::SpeciesTable& species) {
  if (!a.start.empty() && a.molecules > 0) throw InvalidOption("--start", "give --start or --molecules, not both");
  if (a.start.empty()) {
    if (a.molecules <= 0) throw InvalidOption("--start", "give a start frame (--start FILE) or --molecules N");
    mol::md::WaterBoxSettings box;
    box.molecules = a.molecules;
    box.density_g_cm3 = a.density;
    box.seed = a.seed;
    mol::System s = mol::md::make_water_box(box);
    // Map the box's {O, H} onto the model's species order.
    return mol::System::from_frame(s.to_frame(), species, "generated box");
  }
  if (a.start_frame < 0) throw InvalidOption("--start-frame", "must be >= 0");
  const auto index = static_cast<std::size_t>(a.start_frame);
  const auto frames = mol::read_trajectory(a.start, a.cell > 0 ? std::optional<double>(a.cell) : std::nullopt,
                                           {index, index + 1, 1});
  return mol::System::from_frame(frames.front(), species, a.start);
}

int run(const RunArgs& a) {
  if (a.threads < 0) throw InvalidOption("--threads", "must be >= 0");
  if (a.threads > 0) omp_set_num_threads(a.threads);
  mol::ModelFile file = mol::read_model_file(a.model);
  if (!a.dynamics.empty()) file.spec.dynamics = mol::parse_dynamics(a.dynamics);
  mol::AgentModel model(file.spec, file.coefficients);
  mol::System system = start_system(a, file.spec.species);

  mol::md::MdSettings s;
  s.dt_fs = a.dt;
  s.steps = a.steps;
  s.ensemble = mol::md::parse_ensemble(a.ensemble);
  s.temperature_K = a.temperature;
  s.tau_fs = a.tau;
  s.seed = a.seed;
  const bool has_velocities = system.velocities.cwiseAbs().maxCoeff() > 0.0;
  s.initial_velocities = a.keep_velocities && has_velocities ? mol::md::InitialVelocities::keep
                                                             : mol::md::InitialVelocities::maxwell_boltzmann;
  if (a.keep_velocities && !has_velocities)
    std::fprintf(stderr, "warning: the start frame has no velocities; drawing them at %g K\n", a.temperature);
  s.trajectory_every = a.every;
  s.log_every = a.log_every;
  s.trajectory_path = a.out;
  s.log_path = a.log.empty() ? fs::path(a.out).replace_extension(".log.csv") : fs::path(a.log);
  s.checkpoint_path = a.checkpoint;
  s.checkpoint_every = a.checkpoint_every;
  s.resume_from = a.resume;
  s.progress = ProgressBar::terminal_available();
  s.limits.min_distance_A = a.min_distance;
  s.limits.max_temperature_K = a.max_temperature;

  std::printf("model: %s (%s dynamics, %d coefficients)\n", a.model.c_str(), mol::to_string(file.spec.dynamics),
              file.spec.total_size());
  std::printf("system: %zu atoms in a %.4f x %.4f x %.4f A box; %s, dt %g fs, %ld steps, %d thread(s)\n",
              system.size(), system.box.length[0], system.box.length[1], system.box.length[2],
              a.ensemble.c_str(), a.dt, a.steps, omp_get_max_threads());
  const auto summary = mol::md::run_md(system, model, s);
  std::printf("done: steps %ld..%ld, mean temperature %.1f K, conserved-quantity drift %.3g eV/atom/ps, "
              "%.3f ms/step\n",
              summary.first_step, summary.last_step, summary.mean_temperature_K,
              summary.conserved_drift_ev_per_atom_per_ps, 1e3 * summary.wall_seconds_per_step);
  std::printf("trajectory: %s\nlog: %s\n", a.out.c_str(), s.log_path.string().c_str());
  return 0;
}

}  // namespace

void register_water_run(CLI::App& water) {
  auto a = std::make_shared<RunArgs>();
  CLI::App* sub = water.add_subcommand("run", "molecular dynamics with a fitted model");
  sub->add_option("--model", a->model, "model file from 'ldyn water fit'")->required();
  sub->add_option("--start", a->start, "start frame: extended XYZ or CP2K xyz (with --cell)");
  sub->add_option("--start-frame", a->start_frame, "index of the start frame in --start (0-based)")->capture_default_str();
  sub->add_option("--cell", a->cell, "cubic cell edge (A) for a CP2K start file");
  sub->add_option("--molecules", a->molecules, "start from a generated box of N molecules instead");
  sub->add_option("--density", a->density, "density of the generated box (g/cm^3)")->capture_default_str();
  sub->add_option("--steps", a->steps, "number of MD steps")->capture_default_str();
  sub->add_option("--dt", a->dt, "time step (fs)")->capture_default_str();
  sub->add_option("--temperature", a->temperature, "thermostat and initial temperature (K)")->capture_default_str();
  sub->add_option("--ensemble", a->ensemble, "nvt (Nose-Hoover chain) or nve")->capture_default_str();
  sub->add_option("--tau", a->tau, "thermostat time constant (fs)")->capture_default_str();
  sub->add_flag("--keep-velocities", a->keep_velocities, "start from the frame's velocities (else Maxwell-Boltzmann)");
  sub->add_option("--dynamics", a->dynamics, "override the model's dynamics: agent or symmetric");
  sub->add_option("--seed", a->seed, "seed of velocities and generated box")->capture_default_str();
  sub->add_option("--out", a->out, "trajectory (extended XYZ)")->required();
  sub->add_option("--every", a->every, "trajectory frame every K steps")->capture_default_str();
  sub->add_option("--log", a->log, "log CSV (default: OUT with .log.csv)");
  sub->add_option("--log-every", a->log_every, "log row every K steps")->capture_default_str();
  sub->add_option("--checkpoint", a->checkpoint, "checkpoint file (written atomically)");
  sub->add_option("--checkpoint-every", a->checkpoint_every, "steps between checkpoints (0: at the end)");
  sub->add_option("--resume", a->resume, "continue from this checkpoint (same options)");
  sub->add_option("--threads", a->threads, "OpenMP threads (0: OMP_NUM_THREADS or all cores)");
  sub->add_option("--min-distance", a->min_distance, "stop if two atoms come closer (A; 0: off)")->capture_default_str();
  sub->add_option("--max-temperature", a->max_temperature, "stop above this temperature (K; 0: automatic)");
  add_job(sub, [a] { return run(*a); });
}

}  // namespace ldyn::cli
