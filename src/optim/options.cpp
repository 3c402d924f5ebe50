#include "optim/options.hpp"

#include <cmath>
#include <sstream>

#include "core/error.hpp"

namespace ldyn::optim {
namespace {

std::string show(double v) {
  std::ostringstream s;
  s << v;
  return s.str();
}

void require(bool ok, const char* option, const std::string& rule, double value) {
  if (!ok) throw InvalidOption(option, rule + " (got " + show(value) + ")");
}

}  // namespace

void validate(const Options& o) {
  require(o.lr > 0.0 && std::isfinite(o.lr), "--lr", "must be a finite number > 0", o.lr);
  require(o.beta1 >= 0.0 && o.beta1 < 1.0, "--beta1", "must lie in [0, 1)", o.beta1);
  require(o.beta2 >= 0.0 && o.beta2 < 1.0, "--beta2", "must lie in [0, 1)", o.beta2);
  if (o.first_moment_weight)
    require(*o.first_moment_weight >= 0.0 && std::isfinite(*o.first_moment_weight), "--dampening",
            "first-moment weight 1 - dampening must be finite and >= 0", *o.first_moment_weight);
  require(o.alpha >= 0.0 && o.alpha <= 1.0, "--alpha", "must lie in [0, 1]", o.alpha);
  require(o.eps_inside >= 0.0 && std::isfinite(o.eps_inside), "--eps", "eps_inside must be >= 0",
          o.eps_inside);
  require(o.eps_outside >= 0.0 && std::isfinite(o.eps_outside), "--eps",
          "eps_outside must be >= 0", o.eps_outside);
  require(o.eps_accumulated >= 0.0 && std::isfinite(o.eps_accumulated), "--eps",
          "eps_accumulated must be >= 0", o.eps_accumulated);
  // A metric with a zero eigenvalue cannot be inverted: some epsilon must keep it positive.
  if (o.source != MetricSource::identity && o.alpha > 0.0 && o.eps_inside == 0.0 &&
      o.eps_outside == 0.0 && o.eps_accumulated == 0.0)
    throw InvalidOption("--eps", "must be > 0: the metric (kappa + eps)^alpha is singular without it");
  // With beta1 = 0 the first moment is the gradient itself, so the centered deviation
  // d = G - m_t is identically zero and the metric would be eps alone.
  if (o.source == MetricSource::centered_covariance && o.beta1 == 0.0 &&
      o.first_moment_weight.value_or(1.0) == 1.0)
    throw InvalidOption("--beta1", "must be > 0 with the centered covariance: with beta1 = 0 the deviation "
                                   "G - m_t is identically zero (use --source second_moment for no momentum)");
  require(o.weight_decay >= 0.0 && std::isfinite(o.weight_decay), "--weight-decay", "must be >= 0",
          o.weight_decay);
  require(o.clip_norm >= 0.0, "--clip-norm", "must be >= 0 (0 = off)", o.clip_norm);
  require(o.clip_value >= 0.0, "--clip-value", "must be >= 0 (0 = off)", o.clip_value);
  if (o.structure == Structure::low_rank && o.rank == 0)
    throw InvalidOption("--rank", "must be >= 1 for the low-rank structure");
  if (o.refresh_every == 0) throw InvalidOption("--refresh-every", "must be >= 1");
  validate(o.schedule);
}

const char* to_string(Force f) {
  return f == Force::gradient ? "gradient" : "first_moment";
}
const char* to_string(MetricSource s) {
  switch (s) {
    case MetricSource::identity: return "identity";
    case MetricSource::second_moment: return "second_moment";
    case MetricSource::centered_covariance: return "centered_covariance";
  }
  return "?";
}
const char* to_string(Structure s) {
  switch (s) {
    case Structure::diagonal: return "diagonal";
    case Structure::full: return "full";
    case Structure::block: return "block";
    case Structure::low_rank: return "low_rank";
  }
  return "?";
}

Force force_from_string(const std::string& s) {
  if (s == "gradient") return Force::gradient;
  if (s == "first_moment" || s == "m1" || s == "momentum") return Force::first_moment;
  throw InvalidOption("--force", "unknown force '" + s + "' (gradient, first_moment)");
}
MetricSource source_from_string(const std::string& s) {
  if (s == "identity") return MetricSource::identity;
  if (s == "second_moment" || s == "uncentered") return MetricSource::second_moment;
  if (s == "centered_covariance" || s == "centered") return MetricSource::centered_covariance;
  throw InvalidOption("--source", "unknown metric source '" + s +
                                      "' (identity, second_moment, centered_covariance)");
}
Structure structure_from_string(const std::string& s) {
  if (s == "diagonal") return Structure::diagonal;
  if (s == "full") return Structure::full;
  if (s == "block") return Structure::block;
  if (s == "low_rank" || s == "lowrank") return Structure::low_rank;
  throw InvalidOption("--structure", "unknown structure '" + s + "' (diagonal, full, block, low_rank)");
}

}  // namespace ldyn::optim
