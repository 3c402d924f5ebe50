// `ldyn optimize --compare`: several optimizers on one problem, each at its best learning rate.
#include <cmath>
#include <cstdio>
#include <sstream>

#include "core/atomic_file.hpp"
#include "core/csv.hpp"
#include "core/error.hpp"
#include "core/progress.hpp"
#include "cli_text.hpp"
#include "optimize_common.hpp"

namespace ldyn::cli {
namespace {


}  // namespace

int run_compare(const OptimizeArgs& a) {
  const auto spec = problem_spec(a);
  if (!a.checkpoint.empty() || !a.resume.empty())
    throw InvalidOption(a.resume.empty() ? "--checkpoint" : "--resume", "applies to single runs, not to --compare");
  const optim::RunSettings settings = run_settings(a);
  const long dim = static_cast<long>(optim::problems::make_problem(spec)->dim());
  // Validate every optimizer's options before spending time on any of them.
  std::vector<Options> base;
  for (const auto& name : a.compare) base.push_back(build_options(name, a));
  std::vector<double> grid;
  if (a.lr_grid) grid = optim::log_grid(a.lr_min, a.lr_max, a.lr_per_decade);

  // Deterministic gradients give the same run for every seed: one repeat is enough. Stochastic
  // ones need a median over seeds, or a lucky dip of one seed decides the comparison.
  if (a.repeats < 0) throw InvalidOption("--repeats", "must be >= 1 (or 0: automatic)");
  const bool stochastic = spec.noise > 0 || spec.name == "linear-regression";
  const int repeats = a.repeats > 0 ? a.repeats : (stochastic ? 3 : 1);
  const long trials = static_cast<long>(a.compare.size() * (a.lr_grid ? grid.size() : 1));
  ProgressBar bar(trials, "compare", !a.quiet);
  long done = 0;
  std::vector<optim::TunedOptimizer> results;
  for (std::size_t i = 0; i < a.compare.size(); ++i) {
    const std::vector<double> g = a.lr_grid ? grid : std::vector<double>{base[i].lr};
    results.push_back(optim::tune_learning_rate(spec, a.compare[i], base[i], g, settings, repeats, a.threads,
                                                [&] { bar.update(++done, a.compare[i]); }));
  }
  bar.finish();

  std::printf("problem: %s, %ld steps, target %g of the initial excess loss%s%s\n",
              describe_problem(spec, dim).c_str(), settings.steps, settings.target,
              repeats > 1 ? (", median of " + std::to_string(repeats) + " seeds").c_str() : "",
              a.lr_grid ? (", lr tuned on " + fmt("%g", a.lr_min) + ".." + fmt("%g", a.lr_max) + " (" +
                           std::to_string(a.lr_per_decade) + "/decade)").c_str()
                        : "");
  // "speed-up": steps to target of the first optimizer listed divided by this one's.
  std::printf("%-14s %10s %16s %16s %10s\n", "optimizer", "best lr", "steps to target", "final rel loss",
              "speed-up");
  const double first = results.front().best.steps_to_target;
  for (std::size_t i = 0; i < results.size(); ++i) {
    const auto& r = results[i];
    const double s = r.best.steps_to_target;
    const std::string steps = s >= 0 ? fmt("%.0f", s) : "not reached";
    const std::string ratio = i == 0 ? "(ref)" : (s > 0 && first > 0) ? fmt("%.2fx", first / s) : "-";
    std::printf("%-14s %10.3g %16s %16.3g %10s\n", r.name.c_str(), r.best.lr, steps.c_str(),
                r.curve.final_relative(), ratio.c_str());
  }

  if (!a.out.empty()) {
    CsvTable csv({"optimizer", "lr", "step", "loss", "grad_norm", "update_norm", "eff_rank"});
    for (const auto& r : results)
      for (const auto& row : r.curve.rows)
        csv.add_row({r.name, CsvTable::number(r.best.lr), CsvTable::integer(row.step), CsvTable::number(row.loss),
                     CsvTable::number(row.grad_norm), CsvTable::number(row.update_norm),
                     CsvTable::number(row.eff_rank)});
    csv.write(a.out);
    std::printf("curves at the best lr: %s\n", a.out.c_str());
  }
  if (!a.json.empty()) {
    std::ostringstream j;
    j << "{\n  \"problem\": \"" << spec.name << "\", \"dim\": " << dim << ", \"noise\": " << spec.noise
      << ", \"noise_shape\": \"" << a.noise_shape << "\", \"steps\": " << settings.steps
      << ", \"target\": " << settings.target << ", \"seed\": " << a.seed << ", \"repeats\": " << repeats
      << ",\n  \"optimizers\": [\n";
    for (std::size_t i = 0; i < results.size(); ++i) {
      const auto& r = results[i];
      j << "    {\"name\": \"" << r.name << "\", \"best_lr\": " << json_number(r.best.lr)
        << ", \"steps_to_target\": " << (r.best.steps_to_target >= 0 ? json_number(r.best.steps_to_target) : "null")
        << ", \"final_relative_loss\": " << json_number(r.curve.final_relative()) << ", \"trials\": [";
      for (std::size_t k = 0; k < r.trials.size(); ++k) {
        const auto& t = r.trials[k];
        j << (k ? ", " : "") << "{\"lr\": " << json_number(t.lr) << ", \"steps_to_target\": "
          << (t.steps_to_target >= 0 ? json_number(t.steps_to_target) : "null")
          << ", \"stop_relative_loss\": " << json_number(t.final_relative)
          << ", \"diverged\": " << (t.diverged ? "true" : "false") << "}";
      }
      j << "]}" << (i + 1 < results.size() ? "," : "") << "\n";
    }
    j << "  ]\n}\n";
    write_text_atomically(a.json, j.str());
    std::printf("summary: %s\n", a.json.c_str());
  }
  if (!a.plot.empty()) {
    std::vector<std::pair<std::string, const optim::Trajectory*>> curves;
    for (const auto& r : results) curves.emplace_back(r.name + " (lr " + fmt("%.3g", r.best.lr) + ")", &r.curve);
    write_plot(a.plot, spec, curves);
  }
  return 0;
}

}  // namespace ldyn::cli
