// `ldyn grow-prune`: placeholder until the job lands (replaced by its own implementation).
#include "commands.hpp"
#include "core/error.hpp"

namespace ldyn::cli {

void register_grow_prune(CLI::App& app) {
  auto* sub = app.add_subcommand("grow-prune", "(not yet available)");
  add_job(sub, [] () -> int { throw Error("ldyn grow-prune is not available yet"); });
}

}  // namespace ldyn::cli
