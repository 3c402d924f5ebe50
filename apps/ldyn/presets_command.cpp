// `ldyn presets`: lists the optimizer presets and the CGD configuration each one is.
#include <cstdio>

#include "commands.hpp"
#include "optim/presets.hpp"

namespace ldyn::cli {

void register_presets(CLI::App& app) {
  auto* sub = app.add_subcommand("presets", "list the optimizer presets and the CGD limit each one is");
  add_job(sub, [] {
    std::printf("%-12s %-9s %-13s %-20s %-9s %5s  %s\n", "preset", "structure", "force", "metric source",
                "eps", "alpha", "what it is");
    for (const auto& p : optim::presets()) {
      const auto& o = p.options;
      const char* eps = o.eps_accumulated > 0 ? "accum+out" : o.eps_inside > 0 ? "inside" : "outside";
      std::printf("%-12s %-9s %-13s %-20s %-9s %5.2f  %s\n", p.name.c_str(), optim::to_string(o.structure),
                  optim::to_string(o.force), optim::to_string(o.source), eps, o.alpha, p.summary.c_str());
    }
    return 0;
  });
}

}  // namespace ldyn::cli
