#include "optim/experiment.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <mutex>
#include <thread>

#include "core/error.hpp"
#include "core/random.hpp"
#include "optim/optimize.hpp"
#include "optim/optimizer.hpp"
#include "optim/trajectory_checkpoint.hpp"

namespace ldyn::optim {
namespace {

// The problem seen through optimize(): exact loss reported, noisy gradient handed on.
struct ProblemFunction {
  const problems::Problem& problem;
  Rng& rng;
  long nan_at = -1;
  long evaluations = 0;
  double evaluate_with_gradient(const Eigen::VectorXd& x, Eigen::VectorXd& g) {
    problem.stochastic_gradient(x, g, rng);
    if (evaluations++ == nan_at) g.setConstant(std::numeric_limits<double>::quiet_NaN());
    return problem.loss(x);
  }
};

// Records every step, watches the target, stops runs that blow up, and writes checkpoints.
struct Recorder {
  Trajectory& out;
  const RunSettings& settings;
  long offset = 0;  ///< updates done before this loop started (a resumed run)
  // For checkpoints.
  TrajectoryCheckpoint* checkpoint = nullptr;
  const Optimizer<double>* optimizer = nullptr;
  const Rng* rng = nullptr;

  bool step_end(const StepInfo& info, const Eigen::VectorXd& x) {
    const long step = offset + info.step;
    out.rows.push_back({step, info.loss, info.report.grad_norm, info.report.update_norm,
                        info.report.effective_rank});
    const double initial = out.initial_excess();
    const double excess = info.loss - out.minimum_loss;
    if (settings.on_step) settings.on_step(step, info.loss);
    if (!std::isfinite(info.loss) || excess > settings.divergence * std::max(initial, 1e-300)) {
      out.diverged = true;
      return true;
    }
    if (out.steps_to_target < 0 && excess <= settings.target * initial) {
      out.steps_to_target = step;
      if (settings.stop_at_target) return true;
    }
    if (checkpoint && settings.checkpoint_every > 0 && (step + 1) % settings.checkpoint_every == 0)
      save(step + 1, x);
    return false;
  }

  void save(long updates, const Eigen::VectorXd& x) {
    checkpoint->updates = updates;
    checkpoint->x = x;
    checkpoint->rng = *rng;
    checkpoint->trajectory = out;
    write_checkpoint(settings.checkpoint_path, *checkpoint, *optimizer);
  }
};

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

}  // namespace

double Trajectory::final_relative() const {
  if (diverged) return std::numeric_limits<double>::infinity();
  const double initial = initial_excess();
  return initial > 0 ? final_excess() / initial : 0.0;
}

Trajectory run_trajectory(const problems::ProblemSpec& requested, const Options& options,
                          const RunSettings& settings) {
  const auto problem = problems::make_problem(requested);
  problems::ProblemSpec spec = requested;
  spec.dim = problem->dim();
  Trajectory out;
  out.minimum_loss = problem->minimum_loss();
  Optimizer<double> opt(options);
  opt.add_group({static_cast<std::size_t>(problem->dim())});
  opt.measure_updates(true);
  Rng rng = make_stream(settings.seed, "gradient-noise");
  Eigen::VectorXd x = problem->initial_point();
  long done = 0;  // updates already applied
  TrajectoryCheckpoint checkpoint{spec, 0, x, rng, out};
  if (!settings.resume_path.empty()) {
    read_checkpoint(settings.resume_path, spec, checkpoint, opt);
    done = checkpoint.updates;
    x = checkpoint.x;
    rng = checkpoint.rng;
    out = checkpoint.trajectory;
    if (done > settings.steps)
      throw InvalidOption("--steps", "the checkpoint " + settings.resume_path + " is already at step " +
                                         std::to_string(done) + ", past --steps " + std::to_string(settings.steps));
  }
  ProblemFunction f{*problem, rng, settings.nan_gradient_at, done};
  Recorder recorder{out, settings, done};
  if (!settings.checkpoint_path.empty()) {
    recorder.checkpoint = &checkpoint;
    recorder.optimizer = &opt;
    recorder.rng = &rng;
  }
  try {
    optimize(opt, f, x, settings.steps - done, recorder);
  } catch (const NonFiniteError&) {
    // A diverging iterate has a non-finite loss too; a non-finite gradient at a finite point is
    // an error the caller must see.
    if (std::isfinite(problem->loss(x))) throw;
    out.diverged = true;
  }
  const bool ended_early = out.diverged || (settings.stop_at_target && out.steps_to_target >= 0);
  if (!ended_early) {
    if (recorder.checkpoint) recorder.save(settings.steps, x);
    // The point after the last update.
    const double loss = problem->loss(x);
    TrajectoryRow last{settings.steps, loss, std::numeric_limits<double>::quiet_NaN(),
                       std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::quiet_NaN()};
    out.rows.push_back(last);
    if (!std::isfinite(loss)) out.diverged = true;
    else if (out.steps_to_target < 0 && loss - out.minimum_loss <= settings.target * out.initial_excess())
      out.steps_to_target = settings.steps;
  }
  out.skipped = opt.skipped_steps();
  return out;
}

std::vector<double> log_grid(double lo, double hi, int per_decade) {
  if (!(lo > 0) || !(hi >= lo)) throw InvalidOption("--lr-min/--lr-max", "need 0 < lr-min <= lr-max");
  if (per_decade < 1) throw InvalidOption("--lr-per-decade", "must be >= 1");
  const double decades = std::log10(hi / lo);
  const int n = std::max(1, static_cast<int>(std::lround(decades * per_decade)));
  std::vector<double> grid;
  for (int i = 0; i <= n; ++i) grid.push_back(lo * std::pow(10.0, decades * i / n));
  if (lo == hi) grid.resize(1);
  return grid;
}

TunedOptimizer tune_learning_rate(const problems::ProblemSpec& spec, const std::string& name,
                                  const Options& options, const std::vector<double>& grid,
                                  const RunSettings& settings, int repeats, int threads,
                                  const std::function<void()>& on_trial_done) {
  if (repeats < 1) throw InvalidOption("--repeats", "must be >= 1");
  TunedOptimizer result;
  result.name = name;
  result.trials.resize(grid.size());
  RunSettings sweep = settings;
  sweep.stop_at_target = true;
  sweep.on_step = nullptr;
  sweep.checkpoint_path.clear();  // sweeps are short and many: no checkpoints
  sweep.resume_path.clear();

  std::atomic<std::size_t> next{0};
  std::mutex report_mutex;
  auto worker = [&] {
    for (std::size_t i; (i = next++) < grid.size();) {
      Options o = options;
      o.lr = grid[i];
      std::vector<double> hits, finals;
      bool diverged = false;
      for (int r = 0; r < repeats; ++r) {
        RunSettings s = sweep;
        s.seed = settings.seed + static_cast<std::uint64_t>(r);
        const Trajectory t = run_trajectory(spec, o, s);
        hits.push_back(t.steps_to_target >= 0 ? static_cast<double>(t.steps_to_target)
                                              : std::numeric_limits<double>::infinity());
        finals.push_back(t.final_relative());
        diverged = diverged || t.diverged;
      }
      const double hit = median(hits);
      result.trials[i] = {grid[i], std::isfinite(hit) ? hit : -1.0, median(finals), diverged};
      if (on_trial_done) {
        std::lock_guard lock(report_mutex);
        on_trial_done();
      }
    }
  };
  std::vector<std::thread> pool;
  for (int k = 1; k < std::max(1, threads); ++k) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();

  // Best: fewest steps to target; ties and the no-hit case go to the lowest final loss.
  auto better = [](const LrTrial& a, const LrTrial& b) {
    const bool ha = a.steps_to_target >= 0, hb = b.steps_to_target >= 0;
    if (ha != hb) return ha;
    if (ha && a.steps_to_target != b.steps_to_target) return a.steps_to_target < b.steps_to_target;
    return a.final_relative < b.final_relative;
  };
  result.best = *std::min_element(result.trials.begin(), result.trials.end(), better);
  result.options = options;
  result.options.lr = result.best.lr;
  RunSettings full = sweep;
  full.stop_at_target = false;
  result.curve = run_trajectory(spec, result.options, full);
  return result;
}

}  // namespace ldyn::optim
