// `ldyn criticality`: placeholder until the job lands (replaced by its own implementation).
#include "commands.hpp"
#include "core/error.hpp"

namespace ldyn::cli {

void register_criticality(CLI::App& app) {
  auto* sub = app.add_subcommand("criticality", "(not yet available)");
  add_job(sub, [] () -> int { throw Error("ldyn criticality is not available yet"); });
}

}  // namespace ldyn::cli
