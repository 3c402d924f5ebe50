// The option handling shared by the two modes of `ldyn optimize`.
#include <cstdio>
#include <sstream>

#include "core/error.hpp"
#include "core/exponential_average.hpp"
#include "core/plot.hpp"
#include "optim/presets.hpp"
#include "optimize_common.hpp"

#include "cli_text.hpp"

namespace ldyn::cli {

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

std::string fmt(const char* f, double v) { return format(f, v); }

void write_plot(const std::string& path, const optim::problems::ProblemSpec& spec,
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
  save_plot(plot, path);
}

}  // namespace ldyn::cli
