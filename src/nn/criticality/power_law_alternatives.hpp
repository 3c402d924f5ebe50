#pragma once
// The alternatives a power-law tail is compared with (CSN section 5 and appendix), each fitted by
// maximum likelihood to the same tail x >= xmin and normalized on [xmin, inf), and Vuong's
// likelihood-ratio test. fit_power_law uses these; they are public for tests and other fitters.
#include <span>
#include <string>

#include "nn/criticality/power_law_fit.hpp"

namespace ldyn::nn {

/// ln erfc(z), accurate to a few ulp for every finite z: std::erfc below z = 20, the asymptotic
/// series of the scaled complementary error function above (where erfc underflows from z ~ 26.5).
double log_erfc(double z);

/// Shifted exponential lambda exp(-lambda (x - xmin)) on x >= xmin: lambda = 1 / mean(x - xmin).
struct ExponentialTail {
  double lambda = 0;
  double log_likelihood = 0;  // sum over the tail
  double log_pdf(double x, double xmin) const;
};
ExponentialTail fit_exponential_tail(std::span<const double> tail, double xmin);

/// Lognormal truncated at xmin: exp(-(ln x - mu)^2 / (2 sigma^2)) / (x sigma sqrt(2 pi) Q),
/// Q = erfc((ln xmin - mu) / (sigma sqrt 2)) / 2. mu and sigma maximize the likelihood (Nelder–Mead
/// on the dimensionless (mu - m)/s, ln(sigma/s), with m, s the mean and deviation of ln x over the
/// tail, started at the untruncated moments; sigma is capped at e^8 s, where the truncated
/// lognormal has become a power law to within any tail's resolution).
struct LognormalTail {
  double mu = 0;
  double sigma = 1;
  double log_likelihood = 0;  // sum over the tail
  double log_pdf(double x, double xmin) const;
};
LognormalTail fit_lognormal_tail(std::span<const double> tail, double xmin);

/// Vuong's test from the pointwise log ratios l_i = ln p_1(x_i) - ln p_2(x_i):
/// R = sum l_i, sigma^2 = mean (l_i - mean l)^2, normalized = R / (sigma sqrt n),
/// p = erfc(|R| / (sigma sqrt(2 n))). With sigma = 0 (every l_i equal) the limits: p = 0 and
/// normalized = +-inf when R != 0, p = 1 and normalized = 0 when R = 0 (or no samples).
LikelihoodRatio vuong_test(std::span<const double> log_ratios, std::string alternative);

/// Both tests of the power law (alpha, xmin) against the alternatives fitted to the same tail
/// (every x in tail is >= xmin). Fills fit.vs_exponential, vs_lognormal and their parameters.
void compare_alternatives(std::span<const double> tail, double xmin, double alpha, PowerLawFit& fit);

}  // namespace ldyn::nn
