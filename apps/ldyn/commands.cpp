#include "commands.hpp"

#include <utility>
#include <vector>

namespace ldyn::cli {
namespace {
std::vector<std::pair<const CLI::App*, std::function<int()>>>& jobs() {
  static std::vector<std::pair<const CLI::App*, std::function<int()>>> all;
  return all;
}
}  // namespace

void add_job(CLI::App* sub, std::function<int()> run) { jobs().emplace_back(sub, std::move(run)); }

int run_selected(const CLI::App& app) {
  for (const auto& [sub, run] : jobs())
    if (sub->parsed()) return run();
  (void)app;
  return 1;
}

}  // namespace ldyn::cli
