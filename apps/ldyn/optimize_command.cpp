// `ldyn optimize`: run one optimizer on a test problem, or compare several, each at its best
// learning rate on a log grid (optimize_compare.cpp).
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "commands.hpp"
#include "core/csv.hpp"
#include "core/progress.hpp"
#include "optim/presets.hpp"
#include "optimize_common.hpp"
#include "train_common.hpp"
#include "core/error.hpp"

namespace ldyn::cli {
namespace {

bool has_dense_metric(const Options& o) { return o.structure != optim::Structure::diagonal; }

}  // namespace

int run_single(const OptimizeArgs& a) {
  const auto spec = problem_spec(a);
  const Options options = build_options(a.optimizer, a);
  optim::RunSettings settings = run_settings(a);
  const long dim = static_cast<long>(optim::problems::make_problem(spec)->dim());
  ProgressBar bar(a.steps, a.optimizer, !a.quiet);
  settings.on_step = [&](long step, double loss) { bar.update(step + 1, "loss " + fmt("%.4g", loss)); };
  const optim::Trajectory t = optim::run_trajectory(spec, options, settings);
  bar.finish();

  if (!a.out.empty()) {
    const bool dense = has_dense_metric(options);
    std::vector<std::string> cols = {"step", "loss", "grad_norm", "update_norm"};
    if (dense) cols.push_back("eff_rank");
    CsvTable csv(cols);
    for (const auto& r : t.rows) {
      std::vector<std::string> row = {CsvTable::integer(r.step), CsvTable::number(r.loss),
                                      CsvTable::number(r.grad_norm), CsvTable::number(r.update_norm)};
      if (dense) row.push_back(CsvTable::number(r.eff_rank));
      csv.add_row(row);
    }
    csv.write(a.out);
    std::printf("trajectory: %s\n", a.out.c_str());
  }
  std::printf("%s, %s (lr %g): loss %.6g -> %.6g after %ld steps", describe_problem(spec, dim).c_str(),
              a.optimizer.c_str(), options.lr, t.rows.front().loss, t.rows.back().loss, t.rows.back().step);
  if (t.diverged) std::printf(" (DIVERGED)");
  std::printf("\n");
  if (t.steps_to_target >= 0)
    std::printf("reached %g of the initial excess loss at step %ld\n", settings.target, t.steps_to_target);
  else
    std::printf("did not reach %g of the initial excess loss (final: %.3g)\n", settings.target, t.final_relative());
  if (t.skipped > 0) std::printf("skipped %ld steps with non-finite gradients\n", t.skipped);
  if (!a.plot.empty()) write_plot(a.plot, spec, {{a.optimizer, &t}});
  return t.diverged ? 1 : 0;
}

void add_optimizer_options(CLI::App* sub, OptimizeArgs& args) {
  OptimizeArgs* a = &args;
  auto opt = [&](const std::string& names, auto& target, const std::string& help) {
    CLI::Option* o = sub->add_option(names, target, help);
    a->given[o->get_name()] = o;
    return o;
  };
  auto flag = [&](const std::string& names, bool& target, const std::string& help) {
    CLI::Option* o = sub->add_flag(names, target, help);
    a->given[o->get_name()] = o;
    return o;
  };
  opt("--optimizer", a->optimizer, "preset: " + optim::preset_names())->capture_default_str();
  opt("--lr", a->lr, "learning rate (default: the preset's)");
  auto* b1 = opt("--beta1", a->beta1, "first-moment average factor, in [0, 1)");
  auto* t1 = opt("--tau1", a->tau1, "first-moment averaging time: beta1 = tau1 / (1 + tau1)");
  auto* b2 = opt("--beta2", a->beta2, "second-moment average factor, in [0, 1)");
  auto* t2 = opt("--tau2", a->tau2, "second-moment averaging time: beta2 = tau2 / (1 + tau2)");
  b1->excludes(t1);
  b2->excludes(t2);
  opt("--alpha", a->alpha, "metric exponent in [0, 1]: g = (kappa + eps)^alpha");
  opt("--eps", a->eps, "the epsilon the preset uses (Adam: outside the power; CGD: inside)");
  opt("--eps-inside", a->eps_inside, "epsilon added to kappa before the power");
  opt("--eps-outside", a->eps_outside, "epsilon added to the metric after the power");
  opt("--eps-accumulated", a->eps_accumulated, "epsilon added to the kappa accumulator every step");
  opt("--force", a->force, "gradient or first_moment");
  opt("--source", a->source, "metric source: identity, second_moment, centered_covariance");
  opt("--structure", a->structure, "metric structure: diagonal, full, block, low_rank");
  opt("--block-size", a->block_size, "block size for --structure block");
  opt("--rank", a->rank, "number of eigenvectors for --structure low_rank");
  opt("--refresh-every", a->refresh_every, "recompute the eigendecomposition every N steps");
  opt("--weight-decay", a->weight_decay, "weight decay (L2 unless --decoupled)");
  flag("--decoupled", a->decoupled, "decoupled weight decay (AdamW)");
  opt("--dampening", a->dampening, "momentum dampening (first-moment weight 1 - dampening)");
  opt("--clip-norm", a->clip_norm, "rescale gradients to at most this norm");
  opt("--clip-value", a->clip_value, "clamp gradient components to [-v, v]");
  flag("--no-bias-correction", a->no_bias_correction, "do not divide the moments by 1 - beta^t");
  flag("--start-from-first", a->start_from_first, "start the averages from the first sample");
  flag("--skip-nonfinite", a->skip_nonfinite, "skip (and count) steps with NaN/inf gradients instead of stopping");
  opt("--schedule", a->schedule, "learning-rate schedule: constant, step, cosine")->capture_default_str();
  opt("--lr-step-size", a->lr_step_size, "step schedule: steps between decays")->capture_default_str();
  opt("--lr-gamma", a->lr_gamma, "step schedule: decay factor")->capture_default_str();
  opt("--warmup", a->warmup, "linear warm-up steps")->capture_default_str();
  opt("--lr-min-factor", a->lr_min_factor, "cosine schedule: final lr as a fraction of lr")->capture_default_str();
}

void register_optimize(CLI::App& app) {
  auto a = std::make_shared<OptimizeArgs>();
  auto* sub = app.add_subcommand("optimize", "run an optimizer on a test problem or a network, or compare several");
  sub->footer("Examples:\n  ldyn optimize --problem rotated-quadratic --noise 1 --compare adam,cgd-full --lr-grid\n"
              "  ldyn optimize --data multiplication --layers 2,32,1 --activation tanh --compare adam,adabelief,cgd-diag,cgd-block");
  auto opt = [&](const std::string& names, auto& target, const std::string& help) {
    CLI::Option* o = sub->add_option(names, target, help);
    a->given[o->get_name()] = o;
    return o;
  };
  auto flag = [&](const std::string& names, bool& target, const std::string& help) {
    CLI::Option* o = sub->add_flag(names, target, help);
    a->given[o->get_name()] = o;
    return o;
  };
  // Problem.
  opt("--problem", a->problem, "rosenbrock, beale, rotated-quadratic, linear-regression")->capture_default_str();
  opt("--dim", a->dim, "dimension (0: the problem's default)")->capture_default_str();
  opt("--noise", a->noise, "scale sigma of Gaussian gradient noise")->capture_default_str();
  opt("--noise-shape", a->noise_shape, "hessian (covariance sigma^2 H*) or isotropic")->capture_default_str();
  opt("--batch", a->batch, "minibatch size (linear-regression)")->capture_default_str();
  add_optimizer_options(sub, *a);
  // Run.
  opt("--steps", a->steps, "number of updates")->capture_default_str();
  opt("--seed", a->seed, "seed of the problem and of the gradient noise")->capture_default_str();
  opt("--target", a->target, "target excess loss as a fraction of the initial (default 1e-6, 1e-3 with noise)");
  opt("--out", a->out, "CSV of the trajectory (compare: the curves at the best lr)");
  opt("--plot", a->plot, "PNG of the loss (log scale)");
  opt("--json", a->json, "compare: JSON summary of every trial");
  opt("--checkpoint", a->checkpoint, "write a checkpoint here (every --checkpoint-every steps and at the end)");
  opt("--checkpoint-every", a->checkpoint_every, "steps between checkpoints (0: only at the end)");
  opt("--resume", a->resume, "continue the run saved in this checkpoint, up to --steps");
  // Compare.
  opt("--compare", a->compare, "comma-separated presets to compare")->delimiter(',');
  flag("--lr-grid", a->lr_grid, "compare: tune each optimizer's lr on a log grid");
  opt("--lr-min", a->lr_min, "lr grid: smallest rate")->capture_default_str();
  opt("--lr-max", a->lr_max, "lr grid: largest rate")->capture_default_str();
  opt("--lr-per-decade", a->lr_per_decade, "lr grid: points per decade")->capture_default_str();
  opt("--repeats", a->repeats, "compare: seeds per grid point, median used (0: 3 with noisy gradients, else 1)")
      ->capture_default_str();
  opt("--threads", a->threads, "compare: threads for the lr grid")->capture_default_str();
  flag("--quiet", a->quiet, "no progress bar");
  opt("--nan-gradient-at", a->nan_gradient_at, "testing aid: replace the gradient of step S by NaNs")
      ->group("Testing");

  // Networks: `--data NAME` makes the problem a network's training loss (the same job as `ldyn train`).
  auto n = std::make_shared<NetworkArgs>();
  add_network_options(sub, *n, false);
  add_job(sub, [a, n] {
    if (n->data.empty()) return a->compare.empty() ? run_single(*a) : run_compare(*a);
    if (a->has("--problem")) throw InvalidOption("--problem", "give either --problem or --data (a network's training)");
    n->batch = a->has("--batch") ? a->batch : 128;
    return a->compare.empty() ? run_train(*a, *n) : run_train_compare(*a, *n);
  });
}

}  // namespace ldyn::cli
