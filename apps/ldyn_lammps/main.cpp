// ldyn-lammps: molecular dynamics of a fitted ldyn model with LAMMPS doing the integration and the
// MPI domain decomposition (`mpirun -np 2 ldyn-lammps --model M --start F ...`). Forces come from
// the model through `fix external` (model_fix.hpp says how the work is split across ranks).
//
// Errors: everything that can be checked before LAMMPS starts (options, model file, start frame) is
// checked on every rank alike, and rank 0 alone reports it. Once LAMMPS runs, a failure may hit one
// rank while the others wait in a collective, so the rank that fails reports it and aborts them all.
#include <mpi.h>
#include <omp.h>

#include <cstdio>
#include <exception>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>

#include "core/error.hpp"
#include "lammps_instance.hpp"
#include "lammps_md.hpp"
#include "molecular/model/agent_model.hpp"
#include "molecular/model/model_file.hpp"
#include "molecular/trajectory.hpp"

namespace {

namespace fs = std::filesystem;
namespace mol = ldyn::molecular;

struct Args {
  std::string model, start, out, ensemble = "nvt", dynamics, lammps_log;
  double cell = 0.0;
  long start_frame = 0;
  int threads = 1;
  bool quiet = false;
  ldyn::lammps::LammpsMdSettings md;
};

/// What the run needs, read and checked before LAMMPS starts.
struct Prepared {
  std::unique_ptr<mol::AgentModel> model;
  mol::System start;
};

Prepared prepare(Args& a) {
  if (a.threads < 1) throw ldyn::InvalidOption("--threads", "must be >= 1");
  if (a.start_frame < 0) throw ldyn::InvalidOption("--start-frame", "must be >= 0");
  if (a.cell < 0.0) throw ldyn::InvalidOption("--cell", "must be > 0");
  if (!fs::exists(a.model)) throw ldyn::FileError(a.model, "model file not found");
  a.md.ensemble = mol::md::parse_ensemble(a.ensemble);
  a.md.trajectory_path = a.out;
  a.md.validate();
  mol::ModelFile file = mol::read_model_file(a.model);
  if (!a.dynamics.empty()) file.spec.dynamics = mol::parse_dynamics(a.dynamics);
  Prepared p;
  p.model = std::make_unique<mol::AgentModel>(file.spec, file.coefficients);
  const auto index = static_cast<std::size_t>(a.start_frame);
  const auto frames = mol::read_trajectory(a.start, a.cell > 0 ? std::optional<double>(a.cell) : std::nullopt,
                                           {index, index + 1, 1});
  // Maps symbols onto the model's species (unknown ones are an error naming the file) and checks
  // that the cell is orthorhombic and periodic.
  p.start = mol::System::from_frame(frames.front(), file.spec.species, a.start);
  if (a.md.keep_velocities && !(p.start.velocities.cwiseAbs().maxCoeff() > 0.0))
    throw ldyn::InvalidOption("--keep-velocities", "the start frame has no velocities");
  return p;
}

int run(const Args& a, Prepared& p, int rank) {
  omp_set_num_threads(a.threads);
  const std::string log = a.lammps_log.empty() ? fs::path(a.out).replace_extension(".lammps.log").string()
                                               : a.lammps_log;
  std::vector<std::string> args{"-log", log, "-nocite"};
  if (a.quiet) args.insert(args.end(), {"-screen", "none"});
  ldyn::lammps::LammpsInstance lmp(MPI_COMM_WORLD, args);
  if (rank == 0)
    std::printf("ldyn-lammps: model %s (%s dynamics), %zu atoms, %s, dt %g fs, %ld steps, "
                "%d rank(s) x %d thread(s)\n",
                a.model.c_str(), mol::to_string(p.model->spec().dynamics), p.start.size(), a.ensemble.c_str(),
                a.md.dt_fs, a.md.steps, lmp.ranks(), a.threads);
  const auto s = ldyn::lammps::run_lammps_md(lmp, *p.model, p.start, a.md);
  if (rank == 0) {
    std::printf("done: %ld steps, mean temperature %.1f K, %.3f ms/step (model %.3f, gather %.3f) on %d rank(s)\n",
                s.steps, s.mean_temperature_K, 1e3 * s.wall_seconds_per_step, 1e3 * s.model_seconds_per_step,
                1e3 * s.gather_seconds_per_step, s.ranks);
    std::printf("trajectory: %s\nLAMMPS log: %s\n", a.out.c_str(), log.c_str());
  }
  return 0;
}

}  // namespace

// Open MPI keeps allocations alive until exit on purpose; LeakSanitizer would report them (from
// unknown, dynamically loaded modules) in sanitizer builds. Leak checking only is off here.
extern "C" const char* __asan_default_options() { return "detect_leaks=0"; }

int main(int argc, char** argv) {
  MPI_Init(&argc, &argv);
  int rank = 0, ranks = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &ranks);

  Args a;
  CLI::App app{"ldyn-lammps: MD of a fitted ldyn model, integrated by LAMMPS over MPI ranks", "ldyn-lammps"};
  app.add_option("--model", a.model, "model file from 'ldyn water fit'")->required();
  app.add_option("--start", a.start, "start frame: extended XYZ or CP2K xyz (with --cell)")->required();
  app.add_option("--start-frame", a.start_frame, "index of the start frame in --start (0-based)")->capture_default_str();
  app.add_option("--cell", a.cell, "cubic cell edge (A) for a CP2K start file");
  app.add_option("--steps", a.md.steps, "number of MD steps")->capture_default_str();
  app.add_option("--dt", a.md.dt_fs, "time step (fs)")->capture_default_str();
  app.add_option("--temperature", a.md.temperature_K, "thermostat and initial temperature (K)")->capture_default_str();
  app.add_option("--tau", a.md.tau_fs, "Nose-Hoover time constant (fs)")->capture_default_str();
  app.add_option("--ensemble", a.ensemble, "nvt (LAMMPS fix nvt) or nve")->capture_default_str();
  app.add_option("--seed", a.md.seed, "seed of the initial velocities")->capture_default_str();
  app.add_flag("--keep-velocities", a.md.keep_velocities, "start from the frame's velocities");
  app.add_option("--dynamics", a.dynamics, "override the model's dynamics: agent or symmetric");
  app.add_option("--out", a.out, "trajectory (extended XYZ)")->required();
  app.add_option("--every", a.md.every, "trajectory frame and thermo line every K steps")->capture_default_str();
  app.add_option("--threads", a.threads, "OpenMP threads per rank for the model (ranks x threads <= cores)")
      ->capture_default_str();
  app.add_option("--lammps-log", a.lammps_log, "LAMMPS log file (default: OUT with .lammps.log)");
  app.add_flag("--quiet", a.quiet, "no LAMMPS screen output");

  int code = 0;
  Prepared p;
  try {
    app.parse(argc, argv);
    p = prepare(a);
  } catch (const CLI::ParseError& e) {
    code = rank == 0 ? app.exit(e) : (e.get_exit_code() == 0 ? 0 : 2);
  } catch (const ldyn::Error& e) {
    if (rank == 0) std::fprintf(stderr, "ldyn-lammps: error: %s\n", e.what());
    code = 2;
  }
  if (code != 0 || !p.model) {  // an error, or --help
    MPI_Finalize();
    return code;
  }
  try {
    code = run(a, p, rank);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "ldyn-lammps: error%s: %s\n",
                 ranks > 1 ? (" (rank " + std::to_string(rank) + ")").c_str() : "", e.what());
    if (ranks > 1) MPI_Abort(MPI_COMM_WORLD, 2);
    code = 2;
  }
  MPI_Finalize();
  return code;
}
