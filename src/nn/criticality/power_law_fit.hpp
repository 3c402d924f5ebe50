#pragma once
// Power-law fits by the method of Clauset, Shalizi and Newman (SIAM Review 51, 661 (2009)):
// maximum-likelihood exponent above a lower cutoff xmin chosen by minimizing the Kolmogorov–Smirnov
// distance, a semi-parametric bootstrap for the goodness of fit, and Vuong likelihood-ratio tests
// against the exponential and the lognormal fitted to the same tail. Continuous data only.
// Equations and choices: docs/nn_criticality_fitter.md.
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <vector>

#include "core/random.hpp"

namespace ldyn::nn {

struct PowerLawOptions {
  long min_tail = 50;             // smallest number of samples >= xmin considered (>= 2)
  long max_xmin_candidates = 400; // xmin scanned over at most this many distinct sample values
                                  // (quantile-spaced when more)
  int bootstrap = 200;            // semi-parametric bootstrap samples for the goodness-of-fit
                                  // p-value (0: skip, p = NaN)
  std::uint64_t seed = 1;         // bootstrap stream: ldyn::make_stream(seed, "power-law-bootstrap")
  double fixed_xmin = 0;          // > 0: use this xmin instead of the KS scan
};

struct LikelihoodRatio {
  double log_ratio = 0;           // R = sum over the tail of ln p_powerlaw(x) - ln p_alt(x);
                                  // > 0 favours the power law
  double normalized = 0;          // R / (sigma sqrt(n)) (Vuong)
  double p_value = 1;             // two-sided significance of the sign of R:
                                  // erfc(|R| / (sigma sqrt(2 n)))
  std::string alternative;        // "lognormal" or "exponential"
  /// "power law", the alternative's name, or "neither" when p_value > 0.1.
  std::string favours() const;
};

struct PowerLawFit {
  static constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  double alpha = 0;               // continuous MLE: 1 + n / sum ln(x_i / xmin)
  double alpha_stderr = 0;        // (alpha - 1) / sqrt(n)
  double xmin = 0;                // from the KS scan (or fixed)
  double ks_distance = 0;         // D at the chosen xmin
  long n_tail = 0;                // samples >= xmin
  long n_total = 0;               // positive finite samples (non-positive ones are not counted)
  long n_ignored = 0;             // non-positive samples dropped before fitting
  double decades = 0;             // log10(max sample / xmin): the range the law is fitted over
  double gof_p = kNaN;            // bootstrap p-value (fraction of synthetic sets with
                                  // D >= D_obs); CSN: plausible when >= 0.1
  int bootstrap_samples = 0;
  LikelihoodRatio vs_lognormal, vs_exponential;
  // The alternatives' maximum-likelihood parameters on the same tail (normalized on [xmin, inf)):
  double exponential_lambda = kNaN;  // lambda exp(-lambda (x - xmin))
  double lognormal_mu = kNaN;        // lognormal truncated at xmin: mu and sigma of ln x
  double lognormal_sigma = kNaN;

  bool plausible() const { return gof_p >= 0.1; }
  /// The fitted complementary CDF P(X >= x) of the whole sample for x >= xmin:
  /// (n_tail / n_total) (x / xmin)^(1 - alpha); the line to draw over empirical_ccdf.
  double ccdf(double x) const;
};

/// Fits p(x) = (alpha - 1)/xmin (x/xmin)^-alpha for x >= xmin to the positive, finite samples.
/// Non-positive samples are ignored: they are not counted in n_total (which is the number of
/// samples the fit and the bootstrap use) but in n_ignored. Throws InvalidOption("samples", ...)
/// when any sample is NaN or infinite (saying how many), when fewer than min_tail positive samples
/// exist, or when no candidate tail spans more than one value; InvalidOption("fixed_xmin", ...)
/// when fewer than min_tail samples lie at or above a fixed xmin; InvalidOption naming the option
/// for impossible options.
PowerLawFit fit_power_law(std::span<const double> samples, const PowerLawOptions& options = {});

/// Draws n samples of the continuous power law (inverse transform), for tests and the bootstrap.
/// Uniform doubles are (rng() >> 11) * 2^-53, so the draws are the same with every standard library.
std::vector<double> sample_power_law(double alpha, double xmin, std::size_t n, ldyn::Rng& rng);

/// Complementary CDF points (x sorted ascending, P(X >= x)) of the samples, for log-log plots:
/// one point per distinct positive value; non-positive samples are dropped (and not counted in
/// the denominator). Throws InvalidOption("samples", ...) on NaN or infinite samples.
void empirical_ccdf(std::span<const double> samples, std::vector<double>& x, std::vector<double>& p);

}  // namespace ldyn::nn
