// `ldyn optimize`: run one optimizer on a test problem, or compare several, each at its best
// learning rate on a log grid.
#include <cmath>
#include <cstdio>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "commands.hpp"
#include "core/atomic_file.hpp"
#include "core/csv.hpp"
#include "core/error.hpp"
#include "core/exponential_average.hpp"
#include "core/plot.hpp"
#include "core/progress.hpp"
#include "optim/experiment.hpp"
#include "optim/presets.hpp"

namespace ldyn::cli {
namespace {

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

// The options of `preset` with every override the user gave.
Options build_options(const std::string& preset, const OptimizeArgs& a) {
  Options o = optim::preset(preset);
  if (a.has("--lr")) o.lr = a.lr;
  if (a.has("--beta1")) o.beta1 = a.beta1;
  if (a.has("--tau1")) o.beta1 = beta_from_tau(a.tau1, "--tau1");
  if (a.has("--beta2")) o.beta2 = a.beta2;
  if (a.has("--tau2")) o.beta2 = beta_from_tau(a.tau2, "--tau2");
  if (a.has("--alpha")) o.alpha = a.alpha;
  if (a.has("--eps")) {
    if (!(a.eps > 0)) throw InvalidOption("--eps", "must be > 0");
    optim::set_epsilon(o, a.eps);
  }
  if (a.has("--eps-inside")) o.eps_inside = a.eps_inside;
  if (a.has("--eps-outside")) o.eps_outside = a.eps_outside;
  if (a.has("--eps-accumulated")) o.eps_accumulated = a.eps_accumulated;
  if (a.has("--weight-decay")) o.weight_decay = a.weight_decay;
  if (a.has("--decoupled")) o.decoupled_weight_decay = a.decoupled;
  if (a.has("--dampening")) o.first_moment_weight = 1.0 - a.dampening;
  if (a.has("--clip-norm")) o.clip_norm = a.clip_norm;
  if (a.has("--clip-value")) o.clip_value = a.clip_value;
  if (a.has("--force")) o.force = optim::force_from_string(a.force);
  if (a.has("--source")) o.source = optim::source_from_string(a.source);
  if (a.has("--structure")) o.structure = optim::structure_from_string(a.structure);
  if (a.has("--block-size")) o.block_size = a.block_size;
  if (a.has("--rank")) o.rank = a.rank;
  if (a.has("--refresh-every")) o.refresh_every = a.refresh_every;
  if (a.has("--no-bias-correction")) o.bias_correction = false;
  if (a.has("--start-from-first")) o.start_from_first_sample = true;
  o.skip_nonfinite = a.skip_nonfinite;
  o.schedule.kind = optim::schedule_kind_from_string(a.schedule);
  o.schedule.step_size = a.lr_step_size;
  o.schedule.gamma = a.lr_gamma;
  o.schedule.warmup = a.warmup;
  o.schedule.min_factor = a.lr_min_factor;
  o.schedule.total = a.steps;
  optim::validate(o);
  return o;
}

optim::problems::ProblemSpec problem_spec(const OptimizeArgs& a) {
  optim::problems::ProblemSpec s;
  s.name = a.problem;
  if (a.dim < 0) throw InvalidOption("--dim", "must be >= 1 (or 0 for the problem's default)");
  s.dim = a.dim;
  s.noise = a.noise;
  s.noise_shape = optim::problems::noise_shape_from_string(a.noise_shape);
  s.seed = a.seed;
  s.batch = a.batch;
  return s;
}

optim::RunSettings run_settings(const OptimizeArgs& a) {
  if (a.steps < 1) throw InvalidOption("--steps", "must be >= 1");
  optim::RunSettings r;
  r.steps = a.steps;
  r.seed = a.seed;
  if (a.has("--target") && !(a.target > 0.0 && a.target < 1.0))
    throw InvalidOption("--target", "must lie in (0, 1): a fraction of the initial excess loss");
  if (a.threads < 1) throw InvalidOption("--threads", "must be >= 1");
  r.target = a.has("--target") ? a.target : (a.noise > 0 ? 1e-3 : 1e-6);
  r.nan_gradient_at = a.nan_gradient_at;
  if (a.checkpoint_every < 0) throw InvalidOption("--checkpoint-every", "must be >= 0");
  r.checkpoint_path = a.checkpoint;
  r.checkpoint_every = a.checkpoint_every;
  r.resume_path = a.resume;
  return r;
}

std::string describe_problem(const optim::problems::ProblemSpec& s, long dim) {
  std::ostringstream d;
  d << s.name << " (" << dim << "-D";
  if (s.noise > 0)
    d << ", gradient noise " << s.noise << " "
      << (s.noise_shape == optim::problems::NoiseShape::hessian ? "(covariance sigma^2 H)" : "(isotropic)");
  d << ")";
  return d.str();
}

std::string fmt(const char* f, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, f, v);
  return buf;
}

void write_plot(const std::string& path, optim::problems::ProblemSpec spec,
                const std::vector<std::pair<std::string, const optim::Trajectory*>>& curves) {
  LinePlot plot;
  plot.title = "ldyn optimize: " + spec.name + (spec.noise > 0 ? " (noisy)" : "");
  plot.ylabel = "(loss - min) / (initial loss - min)";
  plot.log_y = true;
  for (const auto& [name, t] : curves) {
    PlotSeries s{name, {}, {}};
    const double initial = t->initial_excess();
    for (const auto& r : t->rows) {
      s.x.push_back(static_cast<double>(r.step));
      s.y.push_back(initial > 0 ? (r.loss - t->minimum_loss) / initial : r.loss - t->minimum_loss);
    }
    plot.series.push_back(std::move(s));
  }
  std::string why;
  if (write_png(plot, path, &why)) std::printf("plot: %s\n", path.c_str());
  else std::fprintf(stderr, "warning: no plot written: %s\n", why.c_str());
}

bool has_dense_metric(const Options& o) { return o.structure != optim::Structure::diagonal; }

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

std::string json_number(double v) { return std::isfinite(v) ? fmt("%.10g", v) : "null"; }

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

}  // namespace

void register_optimize(CLI::App& app) {
  auto a = std::make_shared<OptimizeArgs>();
  auto* sub = app.add_subcommand("optimize", "run an optimizer on a test problem, or compare several");
  sub->footer("Example: ldyn optimize --problem rotated-quadratic --noise 1 --compare adam,cgd-full --lr-grid");
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
  // Optimizer.
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

  add_job(sub, [a] { return a->compare.empty() ? run_single(*a) : run_compare(*a); });
}

}  // namespace ldyn::cli
