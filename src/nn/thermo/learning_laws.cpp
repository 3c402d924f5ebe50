#include "nn/thermo/learning_laws.hpp"

#include <algorithm>
#include <cmath>

#include "core/error.hpp"

namespace ldyn::nn {

double logarithmic_mean(double a, double b) {
  const double r = b / a;
  return std::abs(r - 1) < 1e-12 ? 0.5 * (a + b) : (b - a) / std::log(r);
}

SecondLawCheck check_second_law(const std::vector<ThermoState>& series, double equilibrium_tolerance, long equilibrium_window) {
  if (!(equilibrium_tolerance >= 0)) throw InvalidOption("--equilibrium-tolerance", "must be >= 0");
  if (equilibrium_window < 1) throw InvalidOption("--equilibrium-window", "must be >= 1");
  SecondLawCheck c;
  const auto n = static_cast<long>(series.size());
  if (n == 0) return c;
  c.equilibrium_index = n - 1;
  for (long k = 0; k + equilibrium_window < n; ++k) {
    const double u = series[static_cast<std::size_t>(k)].bulk_loss;
    const double later = series[static_cast<std::size_t>(k + equilibrium_window)].bulk_loss;
    if (u - later < equilibrium_tolerance * u) {
      c.equilibrium_index = k;
      break;
    }
  }
  c.intervals = c.equilibrium_index;
  for (long k = 0; k < c.equilibrium_index; ++k)
    if (series[static_cast<std::size_t>(k + 1)].entropy < series[static_cast<std::size_t>(k)].entropy) ++c.decreasing;
  c.entropy_change = series[static_cast<std::size_t>(c.equilibrium_index)].entropy - series.front().entropy;
  return c;
}

FirstLawCheck check_first_law(const std::vector<ThermoState>& series, long from, long to) {
  FirstLawCheck c;
  const auto n = static_cast<long>(series.size());
  if (to < 0 || to > n - 1) to = n - 1;
  double sxy = 0, sxx = 0, syy = 0, s0y = 0, s00 = 0, abs_c = 0, abs_0 = 0;
  for (long k = std::max(0L, from); k < to; ++k) {
    const ThermoState& a = series[static_cast<std::size_t>(k)];
    const ThermoState& b = series[static_cast<std::size_t>(k + 1)];
    const double t = logarithmic_mean(a.temperature, b.temperature);
    const double du = b.bulk_loss - a.bulk_loss;
    const double d0 = t * (b.thermodynamic_entropy - a.thermodynamic_entropy);
    const double dc = t * (b.complexity - a.complexity);
    const double x = d0 + dc;
    sxy += x * du;
    sxx += x * x;
    syy += du * du;
    s0y += d0 * du;
    s00 += d0 * d0;
    abs_c += std::abs(dc);
    abs_0 += std::abs(d0);
    ++c.intervals;
  }
  if (c.intervals == 0) return c;
  c.theta = sxx > 0 ? sxy / sxx : NAN;
  c.theta_thermodynamic = s00 > 0 ? s0y / s00 : NAN;
  // R^2 of the fit through the origin: 1 - residual / total (total about zero, as the law has no offset).
  c.r_squared = syy > 0 && sxx > 0 ? 1 - (syy - sxy * sxy / sxx) / syy : NAN;
  c.complexity_share = abs_0 > 0 ? abs_c / abs_0 : NAN;
  return c;
}

}  // namespace ldyn::nn
