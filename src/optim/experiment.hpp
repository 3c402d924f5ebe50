#pragma once
// Optimizer experiments on the test problems: one trajectory, a learning-rate sweep on a log grid,
// and the fair comparison of several optimizers (each at its own best rate). The CLI's
// `ldyn optimize` is a thin layer over these functions.
#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "optim/options.hpp"
#include "optim/problems/problem.hpp"

namespace ldyn::optim {

struct TrajectoryRow {
  long step = 0;             ///< updates applied so far
  double loss = 0;           ///< exact loss at this point
  double grad_norm = 0;      ///< norm of the (noisy) gradient the optimizer was given here
  double update_norm = 0;    ///< norm of the update applied from here
  double eff_rank = std::numeric_limits<double>::quiet_NaN();  ///< dense metrics only
};

struct Trajectory {
  std::vector<TrajectoryRow> rows;  ///< rows[s] is the state after s updates
  double minimum_loss = 0;          ///< the problem's minimum (excess = loss - minimum)
  long steps_to_target = -1;        ///< first step whose excess <= target * initial excess; -1 never
  bool diverged = false;            ///< the loss became non-finite or exploded
  long skipped = 0;                 ///< non-finite gradients skipped
  double initial_excess() const { return rows.empty() ? 0 : rows.front().loss - minimum_loss; }
  double final_excess() const { return rows.empty() ? 0 : rows.back().loss - minimum_loss; }
  /// Final excess relative to the initial one (+inf when diverged).
  double final_relative() const;
};

struct RunSettings {
  long steps = 1000;
  std::uint64_t seed = 1;       ///< seed of the gradient-noise stream
  double target = 1e-6;         ///< relative excess loss that counts as reached
  bool stop_at_target = false;  ///< end the run at the target (sweeps need only the hit time)
  double divergence = 1e6;      ///< stop when the excess exceeds this times the initial excess
  /// Testing aid: the gradient of this step (0-based) is replaced by NaNs (-1: never).
  long nan_gradient_at = -1;
  /// Write a checkpoint to checkpoint_path every this many updates (0: only at the end).
  std::string checkpoint_path;
  long checkpoint_every = 0;
  /// Continue the run saved in this checkpoint (same problem, same optimizer structure).
  std::string resume_path;
  /// Called after every update (for progress bars); may be empty.
  std::function<void(long step, double loss)> on_step;
};

/// Runs `options` on the problem built from `spec` (the noise stream is seeded by settings.seed).
Trajectory run_trajectory(const problems::ProblemSpec& spec, const Options& options,
                          const RunSettings& settings);

/// Learning rates lo, ..., hi spaced evenly in log10, `per_decade` per decade (endpoints kept).
std::vector<double> log_grid(double lo, double hi, int per_decade);

struct LrTrial {
  double lr = 0;
  double steps_to_target = -1;  ///< median over repeats; -1 if not reached in the median
  double final_relative = 0;    ///< median over repeats
  bool diverged = false;        ///< any repeat diverged
};

struct TunedOptimizer {
  std::string name;
  Options options;             ///< with lr set to the best rate
  std::vector<LrTrial> trials; ///< one per grid point
  LrTrial best;
  Trajectory curve;            ///< the full trajectory at the best rate (first seed)
};

/// Tries every rate of `grid` (each `repeats` times with seeds seed, seed+1, ...) and picks the
/// best: fewest steps to the target; if no rate reaches it, the lowest final loss.
/// Runs the grid on `threads` threads (each builds its own problem).
TunedOptimizer tune_learning_rate(const problems::ProblemSpec& spec, const std::string& name,
                                  const Options& options, const std::vector<double>& grid,
                                  const RunSettings& settings, int repeats, int threads,
                                  const std::function<void()>& on_trial_done = {});

}  // namespace ldyn::optim
