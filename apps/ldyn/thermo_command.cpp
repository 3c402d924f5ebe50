// `ldyn thermo`: placeholder until the job lands (replaced by its own implementation).
#include "commands.hpp"
#include "core/error.hpp"

namespace ldyn::cli {

void register_thermo(CLI::App& app) {
  auto* sub = app.add_subcommand("thermo", "(not yet available)");
  add_job(sub, [] () -> int { throw Error("ldyn thermo is not available yet"); });
}

}  // namespace ldyn::cli
