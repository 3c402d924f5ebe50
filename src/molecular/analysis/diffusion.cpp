#include "molecular/analysis/diffusion.hpp"

#include <cmath>
#include <numbers>
#include <string>

#include "core/error.hpp"

namespace ldyn::molecular::analysis {

namespace {

bool in_window(double lag, double run, const DiffusionWindow& w) {
  // A relative slack so that a lag exactly on an end (1/5 of 400 fs = 80 fs) is inside.
  const double slack = 1e-9 * run;
  return lag >= w.start * run - slack && lag <= w.end * run + slack;
}

void check_window(const DiffusionWindow& w) {
  if (!(w.start >= 0.0 && w.start < w.end && w.end <= 1.0))
    throw InvalidOption("diffusion window", "needs 0 <= start < end <= 1 (fractions of the run length)");
}

}  // namespace

std::size_t points_in_window(const MeanSquareDisplacement& msd, const DiffusionWindow& window) {
  check_window(window);
  if (msd.lag_fs.empty()) return 0;
  std::size_t n = 0;
  for (double lag : msd.lag_fs) n += in_window(lag, msd.lag_fs.back(), window) ? 1 : 0;
  return n;
}

DiffusionFit fit_diffusion(const MeanSquareDisplacement& msd, const DiffusionWindow& window) {
  const std::size_t points = points_in_window(msd, window);
  if (points < 2)
    throw InvalidOption("diffusion window", "holds " + std::to_string(points) +
                                                " MSD points; a line needs 2 (more frames or a wider window)");
  const double run = msd.lag_fs.back();
  // Two passes: the means first, then centred sums (no cancellation of large t²).
  double t_mean = 0.0, m_mean = 0.0;
  DiffusionFit fit;
  bool first = true;
  for (std::size_t k = 0; k < msd.lag_fs.size(); ++k) {
    if (!in_window(msd.lag_fs[k], run, window)) continue;
    t_mean += msd.lag_fs[k];
    m_mean += msd.msd[k];
    if (first) fit.lag_start_fs = msd.lag_fs[k];
    first = false;
    fit.lag_end_fs = msd.lag_fs[k];
  }
  t_mean /= static_cast<double>(points);
  m_mean /= static_cast<double>(points);
  double stt = 0.0, stm = 0.0;
  for (std::size_t k = 0; k < msd.lag_fs.size(); ++k) {
    if (!in_window(msd.lag_fs[k], run, window)) continue;
    stt += (msd.lag_fs[k] - t_mean) * (msd.lag_fs[k] - t_mean);
    stm += (msd.lag_fs[k] - t_mean) * (msd.msd[k] - m_mean);
  }
  fit.points = points;
  fit.slope_a2_per_fs = stm / stt;
  fit.intercept_a2 = m_mean - fit.slope_a2_per_fs * t_mean;
  fit.d_1e5_cm2_per_s = fit.slope_a2_per_fs / 6.0 * angstrom2_per_fs_in_1e5_cm2_per_s;
  return fit;
}

double yeh_hummer_correction(double temperature_k, double viscosity_pa_s, double box_length_angstrom) {
  const auto positive = [](double v) { return std::isfinite(v) && v > 0.0; };
  if (!positive(temperature_k)) throw InvalidOption("temperature", "must be > 0 K for the Yeh-Hummer correction");
  if (!positive(viscosity_pa_s)) throw InvalidOption("viscosity", "must be > 0 Pa s");
  if (!positive(box_length_angstrom)) throw InvalidOption("box length", "must be > 0");
  constexpr double boltzmann_j_per_k = 1.380649e-23;  // exact (2019 SI)
  const double length_m = box_length_angstrom * 1e-10;
  const double m2_per_s = yeh_hummer_xi * boltzmann_j_per_k * temperature_k /
                          (6.0 * std::numbers::pi * viscosity_pa_s * length_m);
  return m2_per_s * 1e9;  // 1 m²/s = 1e4 cm²/s = 1e9 · 1e-5 cm²/s
}

}  // namespace ldyn::molecular::analysis
