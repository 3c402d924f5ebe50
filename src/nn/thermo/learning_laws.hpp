#pragma once
// The two laws of learning of Vanchurin (2020) as checks on a series of measurements along
// training (thermodynamics.hpp), one ThermoState per measurement point k:
//   second law: the total entropy S decreases while the network learns, until learning equilibrium.
//     Equilibrium is taken to start at the first point k_eq from which the bulk loss U falls by
//     less than `equilibrium_tolerance` (relative) over the next `equilibrium_window` points; the
//     check counts the intervals before k_eq in which S decreased.
//   first law: the increment of the loss is proportional to the increment of the thermodynamic
//     entropy plus that of the complexity, dU = T (dS_0 + dC). Fitted over the intervals as
//     dU_k = theta * Tbar_k (dS_0 + dC)_k through the origin; theta = 1 and R^2 = 1 is the law.
//     Tbar_k is the logarithmic mean (T_b - T_a) / ln(T_b / T_a) of the interval, the one for which
//     Tbar dS_0 = (N/2) dT = dU holds exactly over a finite interval: with T defined by
//     equipartition the thermodynamic part of the law is an identity, and the law's content is in
//     the complexity term, whose share is reported as sum |Tbar dC| / sum |Tbar dS_0|.
#include <vector>

#include "nn/thermo/thermodynamics.hpp"

namespace ldyn::nn {

struct SecondLawCheck {
  long equilibrium_index = 0;   ///< k_eq (the last point when equilibrium is never reached)
  long intervals = 0;           ///< intervals before k_eq
  long decreasing = 0;          ///< of which S decreased
  double entropy_change = 0;    ///< S(k_eq) - S(0)
};

struct FirstLawCheck {
  long intervals = 0;
  double theta = 0;             ///< slope of dU against Tbar (dS_0 + dC)
  double r_squared = 0;         ///< of that fit (through the origin)
  double theta_thermodynamic = 0;  ///< slope of dU against Tbar dS_0 alone
  double complexity_share = 0;  ///< sum |Tbar dC| / sum |Tbar dS_0|
};

/// (b - a) / ln(b / a), a for a = b: the mean temperature of an interval.
double logarithmic_mean(double a, double b);

SecondLawCheck check_second_law(const std::vector<ThermoState>& series, double equilibrium_tolerance = 0.01,
                                long equilibrium_window = 3);
/// Over the intervals [from, to) (to = -1: all).
FirstLawCheck check_first_law(const std::vector<ThermoState>& series, long from = 0, long to = -1);

}  // namespace ldyn::nn
