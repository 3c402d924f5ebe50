// ldyn: one command line, a subcommand per job. Each subcommand lives in its own file and only
// parses options, calls the library and writes outputs.
#include <cstdio>
#include <exception>

#include <CLI/CLI.hpp>

#include "commands.hpp"
#include "core/error.hpp"

int main(int argc, char** argv) {
  CLI::App app{"ldyn: learning dynamics (covariant gradient descent and learning systems)", "ldyn"};
  app.require_subcommand(1);
  app.fallthrough();  // so that `ldyn optimize --config FILE` reaches the app-level --config
  app.set_config("--config", "", "read options from a TOML file (keys as the long options, "
                                 "in a section named after the subcommand, e.g. [optimize])");
  app.set_version_flag("--version", "ldyn 0.1.0");
  app.footer("Run 'ldyn SUBCOMMAND --help' for the options of a job.");

  ldyn::cli::register_optimize(app);
  ldyn::cli::register_presets(app);
  ldyn::cli::register_water(app);
  ldyn::cli::register_train(app);
  ldyn::cli::register_grow_prune(app);
  ldyn::cli::register_thermo(app);
  ldyn::cli::register_criticality(app);
  ldyn::cli::register_particles(app);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  } catch (const ldyn::Error& e) {
    // Errors raised while options are converted (e.g. by a validator) are ours too.
    std::fflush(stdout);  // what the job printed comes before its error, also in a merged log
    std::fprintf(stderr, "ldyn: error: %s\n", e.what());
    return 2;
  }
  try {
    return ldyn::cli::run_selected(app);
  } catch (const ldyn::Error& e) {
    std::fflush(stdout);  // what the job printed comes before its error, also in a merged log
    std::fprintf(stderr, "ldyn: error: %s\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    std::fflush(stdout);
    std::fprintf(stderr, "ldyn: internal error: %s\n", e.what());
    return 3;
  }
}
