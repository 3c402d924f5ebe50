// `ldyn water compare` (placeholder until the job lands: it says so and exits non-zero).
#include <cstdio>

#include "commands.hpp"

namespace ldyn::cli {

void register_water_compare(CLI::App& water) {
  CLI::App* sub = water.add_subcommand("compare", "not implemented yet");
  add_job(sub, [] {
    std::fprintf(stderr, "ldyn: error: 'water compare' is not implemented yet\n");
    return 2;
  });
}

}  // namespace ldyn::cli
