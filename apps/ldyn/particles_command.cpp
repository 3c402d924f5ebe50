// `ldyn particles`: autonomous particles that learn to drive (Andrejic & Vanchurin 2023): train,
// run (evaluate) and render, one file each.
#include "commands.hpp"

namespace ldyn::cli {

void register_particles(CLI::App& app) {
  CLI::App* particles = app.add_subcommand("particles", "autonomous particles: learn to drive from Galilean invariants");
  particles->require_subcommand(1);
  register_particles_train(*particles);
  register_particles_run(*particles);
  register_particles_render(*particles);
}

}  // namespace ldyn::cli
