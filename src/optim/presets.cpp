#include "optim/presets.hpp"

#include "core/error.hpp"

namespace ldyn::optim {
namespace {

Options sgd() {
  Options o;
  o.lr = 1e-2;
  o.force = Force::gradient;
  o.source = MetricSource::identity;
  o.alpha = 0.0;
  o.eps_outside = 0.0;
  o.bias_correction = false;
  return o;
}

// PyTorch's heavy ball: buf_1 = G_1, buf_t = mu buf_{t-1} + (1 - dampening) G_t, q -= lr buf.
Options momentum() {
  Options o = sgd();
  o.force = Force::first_moment;
  o.beta1 = 0.9;
  o.first_moment_weight = 1.0;
  o.start_from_first_sample = true;
  return o;
}

Options rmsprop() {
  Options o;
  o.lr = 1e-2;
  o.force = Force::gradient;
  o.source = MetricSource::second_moment;
  o.beta2 = 0.99;
  o.bias_correction = false;
  o.alpha = 0.5;
  o.eps_outside = 1e-8;
  return o;
}

Options adam() {
  Options o;
  o.lr = 1e-3;
  o.force = Force::first_moment;
  o.source = MetricSource::second_moment;
  o.beta1 = 0.9;
  o.beta2 = 0.999;
  o.bias_correction = true;
  o.alpha = 0.5;
  o.eps_outside = 1e-8;
  return o;
}

Options adamw() {
  Options o = adam();
  o.weight_decay = 1e-2;
  o.decoupled_weight_decay = true;
  return o;
}

// AdaBelief (Zhuang et al. 2020): s_t = b2 s + (1 - b2)(G - m_t)^2 + eps; q -= lr m^/(sqrt(s^) + eps).
Options adabelief() {
  Options o = adam();
  o.source = MetricSource::centered_covariance;
  o.eps_accumulated = 1e-8;
  o.eps_outside = 1e-8;
  return o;
}

// The CGD family: force and metric both from the gradient statistics, centered covariance,
// alpha = 1/2, epsilon inside the power as in g = (kappa + eps)^alpha.
Options cgd(Structure structure) {
  Options o;
  o.lr = 1e-3;
  o.force = Force::first_moment;
  o.source = MetricSource::centered_covariance;
  o.structure = structure;
  o.beta1 = 0.9;
  o.beta2 = 0.999;
  o.bias_correction = true;
  o.alpha = 0.5;
  o.eps_inside = 1e-8;
  o.eps_outside = 0.0;
  return o;
}

// Natural-gradient-like: alpha = 1 on the empirical Fisher <G G^T>, damped by eps inside.
Options natural() {
  Options o = cgd(Structure::full);
  o.source = MetricSource::second_moment;
  o.alpha = 1.0;
  o.eps_inside = 1e-4;
  return o;
}

}  // namespace

const std::vector<PresetInfo>& presets() {
  static const std::vector<PresetInfo> all = {
      {"sgd", "plain gradient descent: force G, metric I (alpha = 0)", sgd()},
      {"momentum", "heavy ball, PyTorch convention: force = accumulated G, metric I", momentum()},
      {"rmsprop", "force G, diagonal uncentered metric, alpha = 1/2, eps outside", rmsprop()},
      {"adam", "force m^, diagonal uncentered metric, alpha = 1/2, eps outside", adam()},
      {"adamw", "adam with decoupled weight decay", adamw()},
      {"adabelief", "force m^, diagonal centered metric, alpha = 1/2, eps in accumulator", adabelief()},
      {"cgd-diag", "CGD: force m^, diagonal centered covariance, (kappa + eps)^(1/2)",
       cgd(Structure::diagonal)},
      {"cgd-full", "CGD: force m^, dense centered covariance, (kappa + eps)^(1/2)", cgd(Structure::full)},
      {"cgd-block", "CGD: dense within each block (per tensor or --block-size)", cgd(Structure::block)},
      {"cgd-lowrank", "CGD: top-k eigenvectors of kappa plus a diagonal", cgd(Structure::low_rank)},
      {"natural", "natural-gradient-like: dense empirical Fisher, alpha = 1", natural()},
  };
  return all;
}

Options preset(std::string_view name) {
  for (const auto& p : presets())
    if (p.name == name) return p.options;
  throw InvalidOption("--optimizer", "unknown preset '" + std::string(name) + "' (one of: " +
                                         preset_names() + ")");
}

std::string preset_names() {
  std::string names;
  for (const auto& p : presets()) names += (names.empty() ? "" : ", ") + p.name;
  return names;
}

void set_epsilon(Options& o, double eps) {
  if (o.eps_accumulated > 0.0) {
    o.eps_accumulated = eps;
    o.eps_outside = eps;
  } else if (o.eps_inside > 0.0) {
    o.eps_inside = eps;
  } else {
    o.eps_outside = eps;
  }
}

}  // namespace ldyn::optim
