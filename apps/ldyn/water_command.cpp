// `ldyn water`: the molecular learning-dynamics jobs (fit, run, compare), one file each.
#include "commands.hpp"

namespace ldyn::cli {

void register_water(CLI::App& app) {
  CLI::App* water = app.add_subcommand(
      "water", "learning-based water: fit agent losses to ab initio forces, simulate, compare");
  water->require_subcommand(1);
  register_water_fit(*water);
  register_water_run(*water);
  register_water_compare(*water);
}

}  // namespace ldyn::cli
