#pragma once
// What `ldyn optimize` shares between a single run (optimize_command.cpp) and a comparison
// (optimize_compare.cpp): its parsed options and the steps from them to the library's inputs.
#include <map>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "optim/experiment.hpp"
#include "optim/options.hpp"
#include "optim/problems/problem.hpp"

namespace ldyn::cli {

using optim::Options;

struct OptimizeArgs {
  // Problem.
  std::string problem = "rosenbrock";
  long dim = 0;
  double noise = 0.0;
  std::string noise_shape = "hessian";
  long batch = 32;
  // Optimizer (every override is applied only when given).
  std::string optimizer = "adam";
  double lr = 0, beta1 = 0, beta2 = 0, tau1 = 0, tau2 = 0, alpha = 0, eps = 0, eps_inside = 0,
         eps_outside = 0, eps_accumulated = 0, weight_decay = 0, dampening = 0, clip_norm = 0,
         clip_value = 0;
  std::string force, source, structure;
  std::size_t block_size = 0, rank = 0, refresh_every = 1;
  bool decoupled = false, no_bias_correction = false, start_from_first = false, skip_nonfinite = false;
  std::string schedule = "constant";
  long lr_step_size = 1000, warmup = 0;
  double lr_gamma = 0.1, lr_min_factor = 0.0;
  // Run.
  long steps = 10000;
  std::uint64_t seed = 1;
  double target = 0;  // 0: 1e-6 without noise, 1e-3 with
  long nan_gradient_at = -1;
  std::string checkpoint, resume;
  long checkpoint_every = 0;
  std::string out, plot, json;
  // Compare.
  std::vector<std::string> compare;
  bool lr_grid = false;
  double lr_min = 1e-4, lr_max = 1.0;
  int lr_per_decade = 6, repeats = 0, threads = 2;  // repeats 0: automatic
  bool quiet = false;

  std::map<std::string, CLI::Option*> given;
  bool has(const std::string& name) const {
    auto it = given.find(name);
    return it != given.end() && it->second->count() > 0;
  }
};

/// The options of `preset` with every override the user gave; validated.
Options build_options(const std::string& preset, const OptimizeArgs& a);
optim::problems::ProblemSpec problem_spec(const OptimizeArgs& a);
optim::RunSettings run_settings(const OptimizeArgs& a);
/// "rotated-quadratic (100-D, gradient noise 1 (covariance sigma^2 H))"
std::string describe_problem(const optim::problems::ProblemSpec& s, long dim);
/// printf-style formatting of one number.
std::string fmt(const char* format, double v);
/// Relative excess loss against the step, log scale, one line per trajectory.
void write_plot(const std::string& path, const optim::problems::ProblemSpec& spec,
                const std::vector<std::pair<std::string, const optim::Trajectory*>>& curves);

/// Registers --optimizer and every override of a preset's options (--lr, --beta1, ..., --schedule)
/// on `sub`, bound to `a` (shared by `ldyn optimize` and `ldyn train`).
void add_optimizer_options(CLI::App* sub, OptimizeArgs& a);

int run_single(const OptimizeArgs& a);
int run_compare(const OptimizeArgs& a);

}  // namespace ldyn::cli
