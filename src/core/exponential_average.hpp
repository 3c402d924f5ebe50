#pragma once
// The exponential time average of the CGD paper,
//   <f>_t = (f_t + tau <f>_{t-1}) / (1 + tau),
// which is the familiar EMA  <f>_t = beta <f>_{t-1} + (1 - beta) f_t  with beta = tau / (1 + tau).
// tau is the averaging time in steps; beta is what Adam calls beta1/beta2.
#include <cmath>

#include "core/error.hpp"

namespace ldyn {

/// beta = tau / (1 + tau); tau must be >= 0 and finite.
inline double beta_from_tau(double tau, const char* option = "tau") {
  if (!(tau >= 0.0) || !std::isfinite(tau))
    throw InvalidOption(option, "must be a finite number >= 0 (got " + std::to_string(tau) + ")");
  return tau / (1.0 + tau);
}

/// tau = beta / (1 - beta); beta must lie in [0, 1).
inline double tau_from_beta(double beta, const char* option = "beta") {
  if (!(beta >= 0.0 && beta < 1.0))
    throw InvalidOption(option, "must lie in [0, 1) (got " + std::to_string(beta) + ")");
  return beta / (1.0 - beta);
}

/// A scalar exponential average, for observables (smoothed loss, temperatures, ...).
class ExponentialAverage {
 public:
  explicit ExponentialAverage(double beta) : beta_(beta) {}
  void add(double f) {
    value_ = (count_ == 0 && start_from_first_) ? f : beta_ * value_ + (1.0 - beta_) * f;
    ++count_;
  }
  /// Starts from the first sample instead of zero (no bias toward zero, no correction needed).
  void start_from_first_sample(bool on) { start_from_first_ = on; }
  /// Bias-corrected value: divides by 1 - beta^t when started from zero.
  double value() const {
    if (start_from_first_ || count_ == 0) return value_;
    return value_ / (1.0 - std::pow(beta_, static_cast<double>(count_)));
  }
  long count() const { return count_; }

 private:
  double beta_;
  double value_ = 0.0;
  long count_ = 0;
  bool start_from_first_ = true;
};

}  // namespace ldyn
