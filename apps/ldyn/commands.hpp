#pragma once
// The subcommands of `ldyn`. Each register_* adds its options to the app and records the function
// that runs the job; run_selected() runs the one the user chose.
#include <functional>
#include <string>

#include <CLI/CLI.hpp>

namespace ldyn::cli {

/// Records `run` as the job of subcommand `sub`.
void add_job(CLI::App* sub, std::function<int()> run);
/// Runs the job of the parsed subcommand; returns the process exit code.
int run_selected(const CLI::App& app);

void register_optimize(CLI::App& app);
void register_presets(CLI::App& app);
void register_water(CLI::App& app);
void register_train(CLI::App& app);
void register_grow_prune(CLI::App& app);
void register_thermo(CLI::App& app);
void register_criticality(CLI::App& app);
void register_particles(CLI::App& app);
// Subcommands of `ldyn water`.
void register_water_fit(CLI::App& water);
void register_water_run(CLI::App& water);
void register_water_compare(CLI::App& water);
// Subcommands of `ldyn particles`.
void register_particles_train(CLI::App& particles);
void register_particles_run(CLI::App& particles);
void register_particles_render(CLI::App& particles);

}  // namespace ldyn::cli
