#pragma once
// Running statistics of an MD run, accumulated in O(1) memory: the mean temperature, the drift of
// the conserved quantity (least-squares slope against time, Welford-style updates so that long runs
// lose no precision), its largest excursion from the first value, and the spread of the kinetic
// energy (the natural scale to judge a drift against).
#include <algorithm>
#include <cmath>

namespace ldyn::molecular::md {

class RunStatistics {
 public:
  void add(double time_fs, double temperature_K, double kinetic_ev, double conserved_ev) {
    if (n_ == 0) first_conserved_ = conserved_ev;
    ++n_;
    const double w = 1.0 / static_cast<double>(n_);
    mean_temperature_ += (temperature_K - mean_temperature_) * w;
    const double dk = kinetic_ev - mean_kinetic_;
    mean_kinetic_ += dk * w;
    m2_kinetic_ += dk * (kinetic_ev - mean_kinetic_);
    const double y = conserved_ev - first_conserved_;
    const double dt = time_fs - mean_time_;
    mean_time_ += dt * w;
    mean_y_ += (y - mean_y_) * w;
    m2_time_ += dt * (time_fs - mean_time_);
    c_time_y_ += dt * (y - mean_y_);
    max_deviation_ = std::max(max_deviation_, std::abs(y));
  }
  long count() const { return n_; }
  double mean_temperature() const { return mean_temperature_; }
  /// Slope of the conserved quantity, eV/fs (0 with fewer than two samples).
  double conserved_slope() const { return m2_time_ > 0.0 ? c_time_y_ / m2_time_ : 0.0; }
  /// Largest |H(t) − H(first sample)|, eV.
  double conserved_max_deviation() const { return max_deviation_; }
  /// Standard deviation of the kinetic energy, eV.
  double kinetic_std() const { return n_ > 1 ? std::sqrt(m2_kinetic_ / static_cast<double>(n_ - 1)) : 0.0; }

 private:
  long n_ = 0;
  double first_conserved_ = 0.0, max_deviation_ = 0.0;
  double mean_temperature_ = 0.0, mean_kinetic_ = 0.0, m2_kinetic_ = 0.0;
  double mean_time_ = 0.0, mean_y_ = 0.0, m2_time_ = 0.0, c_time_y_ = 0.0;
};

}  // namespace ldyn::molecular::md
