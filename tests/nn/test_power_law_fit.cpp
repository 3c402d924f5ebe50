// The Clauset–Shalizi–Newman power-law fitter: exponent and xmin recovery, the bootstrap
// goodness of fit, the likelihood-ratio tests, and the numerical pieces (ln erfc, the scan).
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <numbers>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "core/random.hpp"
#include "nn/criticality/power_law_alternatives.hpp"
#include "nn/criticality/power_law_fit.hpp"

namespace {

using ldyn::Rng;
using ldyn::nn::fit_power_law;
using ldyn::nn::PowerLawFit;
using ldyn::nn::PowerLawOptions;

double uniform01(Rng& rng) { return static_cast<double>(rng() >> 11) * 0x1.0p-53; }

std::vector<double> exponential_samples(double lambda, std::size_t n, Rng& rng) {
  std::vector<double> v(n);
  for (double& x : v) x = -std::log(1 - uniform01(rng)) / lambda;
  return v;
}

// Box–Muller from the portable uniforms (std::normal_distribution differs across libraries).
std::vector<double> lognormal_samples(double mu, double sigma, std::size_t n, Rng& rng) {
  std::vector<double> v(n);
  for (double& x : v) {
    const double r = std::sqrt(-2 * std::log(1 - uniform01(rng)));
    const double z = r * std::cos(2 * std::numbers::pi * uniform01(rng));
    x = std::exp(mu + sigma * z);
  }
  return v;
}

/// A power law (alpha, xmin) holding a fraction `tail` of n samples, glued above a body on
/// (0, xmin): exponential with rate 1/xmin truncated to (0, xmin), or uniform on (0, xmin).
std::vector<double> glued_samples(double alpha, double xmin, double tail, std::size_t n, bool exponential_body,
                                  Rng& rng) {
  std::vector<double> v;
  v.reserve(n);
  const double body_mass = 1 - std::exp(-1.0);  // exponential with rate 1/xmin below xmin
  for (std::size_t i = 0; i < n; ++i) {
    if (uniform01(rng) < tail) {
      v.push_back(xmin * std::pow(1 - uniform01(rng), -1 / (alpha - 1)));
    } else if (exponential_body) {
      v.push_back(-xmin * std::log(1 - body_mass * uniform01(rng)));
    } else {
      v.push_back(xmin * (1 - uniform01(rng)));  // (0, xmin]
    }
  }
  return v;
}

double median(std::vector<double> v) {
  std::nth_element(v.begin(), v.begin() + static_cast<long>(v.size() / 2), v.end());
  return v[v.size() / 2];
}

/// The KS scan written out directly (std::pow, every distinct value, no pruning).
struct Brute {
  double xmin = 0, alpha = 0, d = std::numeric_limits<double>::infinity();
};
Brute brute_force_scan(std::vector<double> x, long min_tail) {
  std::sort(x.begin(), x.end());
  const long n = static_cast<long>(x.size());
  Brute best;
  for (long i = 0; i + min_tail <= n; ++i) {
    const auto u = static_cast<std::size_t>(i);
    if (i > 0 && x[u] == x[u - 1]) continue;
    const double xmin = x[u];
    const long m = n - i;
    double sum = 0;
    for (long j = i; j < n; ++j) sum += std::log(x[static_cast<std::size_t>(j)] / xmin);
    if (!(sum > 0)) break;
    const double alpha = 1 + static_cast<double>(m) / sum;
    double d = 0;
    for (long k = 0; k < m; ++k) {
      const double cdf = 1 - std::pow(x[static_cast<std::size_t>(i + k)] / xmin, 1 - alpha);
      d = std::max({d, std::abs(cdf - static_cast<double>(k) / static_cast<double>(m)),
                    std::abs(static_cast<double>(k + 1) / static_cast<double>(m) - cdf)});
    }
    if (d < best.d) best = {xmin, alpha, d};
  }
  return best;
}

}  // namespace

// The KS scan is invariant under x -> x^c (alpha - 1 -> (alpha - 1)/c), so its error in xmin is
// best judged by the tail fraction it keeps: over 200 pure data sets of this size the median is
// 0.97 and the 1% quantile 0.30, while xmin < 1.5 means a tail above 82% of the data for
// alpha = 1.5 (missed by 27% of the sets) but only 44% for alpha = 3 (missed by 5%). So each set
// must keep a quarter of the data and recover alpha within 2%, and three of the four xmin < 1.5.
TEST(PowerLawFit, RecoversKnownExponentsOfPurePowerLaws) {
  int xmin_within_1_5 = 0;
  for (const double alpha : {1.5, 2.0, 2.5, 3.0}) {
    Rng rng = ldyn::make_stream(7, "pure-power-law-" + std::to_string(alpha));
    const auto x = ldyn::nn::sample_power_law(alpha, 1.0, 20000, rng);
    PowerLawOptions o;
    o.bootstrap = 0;
    const PowerLawFit f = fit_power_law(x, o);
    std::printf("  alpha %.1f: fitted %.4f +- %.4f, xmin %.4f, n_tail %ld, D %.4f\n", alpha, f.alpha,
                f.alpha_stderr, f.xmin, f.n_tail, f.ks_distance);
    EXPECT_NEAR(f.alpha, alpha, 0.02 * alpha) << "alpha = " << alpha;
    EXPECT_GE(f.xmin, 1.0);
    EXPECT_GE(f.n_tail, 20000 / 4) << "alpha = " << alpha;
    xmin_within_1_5 += f.xmin < 1.5 ? 1 : 0;
    EXPECT_EQ(f.n_total, 20000);
    EXPECT_EQ(f.n_tail, std::count_if(x.begin(), x.end(), [&](double v) { return v >= f.xmin; }));
    EXPECT_DOUBLE_EQ(f.decades, std::log10(*std::max_element(x.begin(), x.end()) / f.xmin));
    EXPECT_TRUE(std::isnan(f.gof_p));
    EXPECT_FALSE(f.plausible());
  }
  EXPECT_GE(xmin_within_1_5, 3);
}

// Above the true xmin the KS distance is a noisy plateau and below it rises steeply, so the
// scan's error in xmin is one-sided and broad: over 200 data sets of these kinds 55-63% land within
// 5% of the truth, 80% within 20%, 90% below 1.9 xmin, none below 0.97 xmin, and alpha stays
// within 3.5%. So, over five data sets: none below 0.95 xmin, the best within 5%, the median
// below 1.5 xmin; each alpha within 4% and the median alpha within 2%.
void check_glued(double alpha, double xmin, double tail, bool exponential_body, const char* name) {
  std::vector<double> xmins, alphas;
  double closest = std::numeric_limits<double>::infinity();
  for (std::uint64_t seed = 1; seed <= 5; ++seed) {
    Rng rng = ldyn::make_stream(seed, name);
    const auto x = glued_samples(alpha, xmin, tail, 20000, exponential_body, rng);
    const PowerLawFit f = fit_power_law(x, {.bootstrap = 0});
    std::printf("  %s body: alpha %.4f (true %.1f), xmin %.4f (true %.1f), n_tail %ld\n", name, f.alpha, alpha,
                f.xmin, xmin, f.n_tail);
    EXPECT_GE(f.xmin, 0.95 * xmin);
    EXPECT_NEAR(f.alpha, alpha, 0.04 * alpha);
    xmins.push_back(f.xmin);
    alphas.push_back(f.alpha);
    closest = std::min(closest, std::abs(f.xmin / xmin - 1));
  }
  EXPECT_LT(closest, 0.05);
  EXPECT_LT(median(xmins), 1.5 * xmin);
  EXPECT_NEAR(median(alphas), alpha, 0.02 * alpha);
}

TEST(PowerLawFit, FindsXminAboveAnExponentialBody) { check_glued(2.5, 5.0, 0.5, true, "exponential"); }

TEST(PowerLawFit, FindsXminAboveAUniformBody) { check_glued(2.0, 3.0, 0.4, false, "uniform"); }

TEST(PowerLawFit, ScanMatchesABruteForceScan) {
  Rng rng = ldyn::make_stream(3, "brute-force");
  auto x = glued_samples(2.2, 2.0, 0.5, 600, true, rng);
  x.push_back(x[10]);  // ties
  x.push_back(x[10]);
  const Brute b = brute_force_scan(x, 10);
  const PowerLawFit f = fit_power_law(x, {.min_tail = 10, .max_xmin_candidates = 100000, .bootstrap = 0});
  EXPECT_EQ(f.xmin, b.xmin);
  EXPECT_NEAR(f.alpha, b.alpha, 1e-12);
  EXPECT_NEAR(f.ks_distance, b.d, 1e-12);
  // Thinned to 20 candidates: a sample value, no better than the full scan.
  const PowerLawFit thin = fit_power_law(x, {.min_tail = 10, .max_xmin_candidates = 20, .bootstrap = 0});
  EXPECT_NE(std::find(x.begin(), x.end(), thin.xmin), x.end());
  EXPECT_GE(thin.ks_distance, f.ks_distance);
  EXPECT_LT(thin.ks_distance, 2 * f.ks_distance);
  // Fixed xmin: the closed-form MLE over the samples at or above it.
  const PowerLawFit g = fit_power_law(x, {.min_tail = 10, .bootstrap = 0, .fixed_xmin = 1.7});
  double sum = 0;
  long m = 0;
  for (double v : x)
    if (v >= 1.7) {
      sum += std::log(v / 1.7);
      ++m;
    }
  EXPECT_EQ(g.n_tail, m);
  EXPECT_EQ(g.xmin, 1.7);
  EXPECT_NEAR(g.alpha, 1 + static_cast<double>(m) / sum, 1e-12);
}

TEST(PowerLawFit, StandardErrorMatchesTheSpreadOfEstimates) {
  const double alpha = 2.5;
  const long n = 1000;
  Rng rng = ldyn::make_stream(5, "stderr");
  std::vector<double> estimates;
  double stderr_reported = 0;
  for (int r = 0; r < 100; ++r) {
    const auto x = ldyn::nn::sample_power_law(alpha, 1.0, static_cast<std::size_t>(n), rng);
    const PowerLawFit f = fit_power_law(x, {.bootstrap = 0, .fixed_xmin = 1.0});
    EXPECT_EQ(f.n_tail, n);
    EXPECT_DOUBLE_EQ(f.alpha_stderr, (f.alpha - 1) / std::sqrt(static_cast<double>(f.n_tail)));
    estimates.push_back(f.alpha);
    stderr_reported += f.alpha_stderr / 100;
  }
  double mean = 0, var = 0;
  for (double a : estimates) mean += a / 100;
  for (double a : estimates) var += (a - mean) * (a - mean) / 99;
  std::printf("  spread of alpha over 100 sets: %.4f, mean reported stderr %.4f, (alpha-1)/sqrt n = %.4f\n",
              std::sqrt(var), stderr_reported, (alpha - 1) / std::sqrt(static_cast<double>(n)));
  EXPECT_NEAR(std::sqrt(var), stderr_reported, 0.25 * stderr_reported);
  EXPECT_NEAR(mean, alpha, 3 * stderr_reported / 10);
}

TEST(PowerLawFit, IgnoresNonPositiveSamples) {
  Rng rng = ldyn::make_stream(8, "non-positive");
  auto x = ldyn::nn::sample_power_law(2.0, 1.0, 2000, rng);
  const PowerLawFit clean = fit_power_law(x, {.bootstrap = 0});
  x.insert(x.begin(), {0.0, -1.0, -3.5});
  const PowerLawFit f = fit_power_law(x, {.bootstrap = 0});
  EXPECT_EQ(f.n_total, 2000);
  EXPECT_EQ(f.n_ignored, 3);
  EXPECT_EQ(f.alpha, clean.alpha);
  EXPECT_EQ(f.xmin, clean.xmin);
  // ccdf of the fit: the tail fraction at xmin, falling as x^(1 - alpha).
  EXPECT_DOUBLE_EQ(f.ccdf(f.xmin), static_cast<double>(f.n_tail) / 2000);
  EXPECT_NEAR(f.ccdf(2 * f.xmin) / f.ccdf(f.xmin), std::pow(2.0, 1 - f.alpha), 1e-12);
  EXPECT_TRUE(std::isnan(f.ccdf(0.5 * f.xmin)));
}

TEST(PowerLawFit, RejectsInvalidInput) {
  Rng rng = ldyn::make_stream(9, "invalid");
  auto x = ldyn::nn::sample_power_law(2.0, 1.0, 200, rng);
  auto with_nan = x;
  with_nan[3] = std::numeric_limits<double>::quiet_NaN();
  with_nan[7] = std::numeric_limits<double>::infinity();
  try {
    fit_power_law(with_nan, {.bootstrap = 0});
    ADD_FAILURE() << "NaN accepted";
  } catch (const ldyn::InvalidOption& e) {
    EXPECT_EQ(e.option(), "samples");
    EXPECT_NE(std::string(e.what()).find("2 of 200"), std::string::npos) << e.what();
  }
  std::vector<double> few(x.begin(), x.begin() + 30);
  few.push_back(-1);
  try {
    fit_power_law(few, {.bootstrap = 0});
    ADD_FAILURE() << "30 samples accepted with min_tail 50";
  } catch (const ldyn::InvalidOption& e) {
    EXPECT_EQ(e.option(), "samples");
    EXPECT_NE(std::string(e.what()).find("got 30"), std::string::npos) << e.what();
  }
  EXPECT_THROW(fit_power_law(x, {.min_tail = 1}), ldyn::InvalidOption);
  EXPECT_THROW(fit_power_law(x, {.max_xmin_candidates = 0}), ldyn::InvalidOption);
  EXPECT_THROW(fit_power_law(x, {.bootstrap = -1}), ldyn::InvalidOption);
  EXPECT_THROW(fit_power_law(x, {.fixed_xmin = -1}), ldyn::InvalidOption);
  EXPECT_THROW(fit_power_law(x, {.bootstrap = 0, .fixed_xmin = 1e9}), ldyn::InvalidOption);
  EXPECT_THROW(fit_power_law(std::vector<double>(100, 2.0), {.bootstrap = 0}), ldyn::InvalidOption);
  EXPECT_THROW(ldyn::nn::sample_power_law(1.0, 1.0, 3, rng), ldyn::InvalidOption);
}

TEST(PowerLawFit, ScanOfAHundredThousandSamples) {
  Rng rng = ldyn::make_stream(10, "large");
  const auto x = glued_samples(2.5, 2.0, 0.3, 100000, true, rng);
  const auto t0 = std::chrono::steady_clock::now();
  const PowerLawFit f = fit_power_law(x, {.bootstrap = 0});
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("  n = 1e5, 400 candidates: %.3f s, alpha %.4f, xmin %.4f\n", seconds, f.alpha, f.xmin);
  EXPECT_NEAR(f.alpha, 2.5, 0.02 * 2.5);
  EXPECT_GE(f.xmin, 0.95 * 2.0);
}

TEST(PowerLawGof, TruePowerLawIsPlausible) {
  Rng rng = ldyn::make_stream(21, "gof-power-law");
  const auto x = glued_samples(2.5, 1.0, 0.5, 4000, false, rng);  // the body exercises resampling
  const PowerLawFit f = fit_power_law(x, {.bootstrap = 50, .seed = 4});
  std::printf("  power law: alpha %.4f, xmin %.4f, D %.4f, p %.2f\n", f.alpha, f.xmin, f.ks_distance, f.gof_p);
  EXPECT_EQ(f.bootstrap_samples, 50);
  EXPECT_GE(f.gof_p, 0.1);
  EXPECT_TRUE(f.plausible());
  // Deterministic for a seed.
  EXPECT_EQ(fit_power_law(x, {.bootstrap = 50, .seed = 4}).gof_p, f.gof_p);
}

TEST(PowerLawGof, ExponentialIsRejected) {
  Rng rng = ldyn::make_stream(22, "gof-exponential");
  const auto x = exponential_samples(1.0, 4000, rng);
  // With the default min_tail the scan may retreat to the last ~150 samples, where a steep power
  // law cannot be told from the exponential with 4000 samples (p ~ 0.1-0.8 in some data sets):
  // asking the law to hold over a quarter of the data rejects it every time.
  const PowerLawFit f = fit_power_law(x, {.min_tail = 1000, .bootstrap = 50, .seed = 5});
  std::printf("  exponential: alpha %.4f, xmin %.4f, n_tail %ld, D %.4f, p %.2f\n", f.alpha, f.xmin, f.n_tail,
              f.ks_distance, f.gof_p);
  EXPECT_LT(f.gof_p, 0.1);
  EXPECT_FALSE(f.plausible());
}

TEST(PowerLawGof, LognormalIsRejected) {
  Rng rng = ldyn::make_stream(23, "gof-lognormal");
  const auto x = lognormal_samples(0.0, 0.5, 4000, rng);
  const PowerLawFit f = fit_power_law(x, {.min_tail = 1000, .bootstrap = 50, .seed = 6});  // as above
  std::printf("  lognormal: alpha %.4f, xmin %.4f, n_tail %ld, D %.4f, p %.2f\n", f.alpha, f.xmin, f.n_tail,
              f.ks_distance, f.gof_p);
  EXPECT_LT(f.gof_p, 0.1);
}

TEST(PowerLawLikelihoodRatio, FavoursThePowerLawOnPowerLawData) {
  Rng rng = ldyn::make_stream(31, "lr-power-law");
  const auto x = ldyn::nn::sample_power_law(2.5, 1.0, 20000, rng);
  const PowerLawFit f = fit_power_law(x, {.bootstrap = 0});
  std::printf("  power law: R_exp %.1f (p %.2g), R_ln %.2f (p %.2g)\n", f.vs_exponential.log_ratio,
              f.vs_exponential.p_value, f.vs_lognormal.log_ratio, f.vs_lognormal.p_value);
  EXPECT_EQ(f.vs_exponential.alternative, "exponential");
  EXPECT_GT(f.vs_exponential.log_ratio, 0);
  EXPECT_LT(f.vs_exponential.p_value, 0.1);
  EXPECT_EQ(f.vs_exponential.favours(), "power law");
  // The lognormal contains the power law as a limit: it may tie, but must not win.
  EXPECT_EQ(f.vs_lognormal.alternative, "lognormal");
  EXPECT_NE(f.vs_lognormal.favours(), "lognormal");
}

TEST(PowerLawLikelihoodRatio, FavoursTheExponentialOnExponentialData) {
  Rng rng = ldyn::make_stream(32, "lr-exponential");
  const auto x = exponential_samples(2.0, 20000, rng);
  const PowerLawFit f = fit_power_law(x, {.bootstrap = 0, .fixed_xmin = median(x)});
  std::printf("  exponential: R_exp %.1f (p %.2g), lambda %.4f (true 2)\n", f.vs_exponential.log_ratio,
              f.vs_exponential.p_value, f.exponential_lambda);
  EXPECT_LT(f.vs_exponential.log_ratio, 0);
  EXPECT_LT(f.vs_exponential.p_value, 0.1);
  EXPECT_EQ(f.vs_exponential.favours(), "exponential");
  EXPECT_NEAR(f.exponential_lambda, 2.0, 0.1);  // memoryless: the shifted tail has the same rate
}

TEST(PowerLawLikelihoodRatio, FavoursTheLognormalOnLognormalData) {
  Rng rng = ldyn::make_stream(33, "lr-lognormal");
  const auto x = lognormal_samples(0.0, 0.5, 20000, rng);
  const PowerLawFit f = fit_power_law(x, {.bootstrap = 0, .fixed_xmin = median(x)});
  std::printf("  lognormal: R_ln %.1f (p %.2g), mu %.4f sigma %.4f (true 0, 0.5)\n", f.vs_lognormal.log_ratio,
              f.vs_lognormal.p_value, f.lognormal_mu, f.lognormal_sigma);
  EXPECT_LT(f.vs_lognormal.log_ratio, 0);
  EXPECT_LT(f.vs_lognormal.p_value, 0.1);
  EXPECT_EQ(f.vs_lognormal.favours(), "lognormal");
  // The truncated fit recovers the parameters of the whole distribution from its upper half.
  EXPECT_NEAR(f.lognormal_mu, 0.0, 0.05);
  EXPECT_NEAR(f.lognormal_sigma, 0.5, 0.03);
}

TEST(PowerLawLikelihoodRatio, TruncatedLognormalFitFarInTheTail) {
  // xmin 40 sigma above mu: the normalization erfc(40 / sqrt 2) ~ 1e-350 underflows a double, so
  // only the asymptotic ln erfc keeps the likelihood finite. Normal tail beyond a by Robert's
  // exponential rejection sampler.
  Rng rng = ldyn::make_stream(34, "lr-far-tail");
  const double mu = 0.5, sigma = 0.05, a = 40, xmin = std::exp(mu + a * sigma);
  std::vector<double> tail;
  while (tail.size() < 3000) {
    const double z = a - std::log(1 - uniform01(rng)) / a;
    if (uniform01(rng) < std::exp(-0.5 * (z - a) * (z - a))) tail.push_back(std::exp(mu + sigma * z));
  }
  const auto fit = ldyn::nn::fit_lognormal_tail(tail, xmin);
  ASSERT_TRUE(std::isfinite(fit.log_likelihood));
  auto log_likelihood = [&](double m, double s) {
    const ldyn::nn::LognormalTail l{m, s, 0};
    double ll = 0;
    for (double v : tail) ll += l.log_pdf(v, xmin);
    return ll;
  };
  const double at_truth = log_likelihood(mu, sigma);
  std::printf("  far tail: mu %.4f sigma %.4f (true %.2f, %.2f), ll %.3f vs %.3f at the truth\n", fit.mu, fit.sigma,
              mu, sigma, fit.log_likelihood, at_truth);
  ASSERT_TRUE(std::isfinite(at_truth));
  EXPECT_GE(fit.log_likelihood, at_truth);  // a maximum ...
  for (const double f : {0.99, 1.01}) {     // ... and a local one
    EXPECT_LE(log_likelihood(fit.mu, fit.sigma * f), fit.log_likelihood + 1e-9);
    EXPECT_LE(log_likelihood(fit.mu + (f - 1) * fit.sigma, fit.sigma), fit.log_likelihood + 1e-9);
  }
}

TEST(PowerLawLikelihoodRatio, VuongStatistics) {
  const std::vector<double> l{1.0, 2.0, -0.5, 0.5};  // mean 0.75, variance 3.25 / 4
  const auto r = ldyn::nn::vuong_test(l, "exponential");
  const double sigma = std::sqrt(3.25 / 4);
  EXPECT_EQ(r.alternative, "exponential");
  EXPECT_DOUBLE_EQ(r.log_ratio, 3.0);
  EXPECT_DOUBLE_EQ(r.normalized, 3.0 / (sigma * 2));
  EXPECT_DOUBLE_EQ(r.p_value, std::erfc(3.0 / (sigma * std::sqrt(8.0))));
  EXPECT_LT(r.p_value, 0.1);  // 0.096
  EXPECT_EQ(r.favours(), "power law");
  EXPECT_EQ(ldyn::nn::vuong_test(std::vector<double>{1.0, -1.0, 0.2, -0.1}, "exponential").favours(), "neither");
  std::vector<double> neg(400);
  for (std::size_t i = 0; i < neg.size(); ++i) neg[i] = (i % 2 ? -1.0 : 0.5);  // mean -0.25, sd 0.75
  const auto n = ldyn::nn::vuong_test(neg, "lognormal");
  EXPECT_DOUBLE_EQ(n.normalized, -100.0 / (0.75 * 20));
  EXPECT_LT(n.p_value, 0.1);
  EXPECT_EQ(n.favours(), "lognormal");
  for (double& v : neg) v = -v;
  EXPECT_EQ(ldyn::nn::vuong_test(neg, "lognormal").favours(), "power law");
  // No spread: the limits.
  EXPECT_EQ(ldyn::nn::vuong_test(std::vector<double>(10, -1.0), "lognormal").p_value, 0.0);
  EXPECT_EQ(ldyn::nn::vuong_test(std::vector<double>(10, 0.0), "lognormal").p_value, 1.0);
}

TEST(PowerLawLogErfc, MatchesHighPrecisionValues) {
  // ln erfc(z) from mpmath at 40 digits.
  const std::vector<std::pair<double, double>> ref{
      {-3, 0.6931361352504468103}, {0.5, -0.7350111298370844030}, {5, -27.20088954553743442},
      {19.9, -399.5743433082749334}, {20, -403.5693433341042350}, {26, -679.8311997631942303},
      {30, -903.9741171106438781},  {100, -10005.17758512266433}, {1e4, -100000009.7827053199}};
  for (const auto& [z, want] : ref)
    EXPECT_NEAR(ldyn::nn::log_erfc(z), want, 4e-15 * std::max(1.0, std::abs(want))) << "z = " << z;
  EXPECT_EQ(ldyn::nn::log_erfc(std::numeric_limits<double>::infinity()), -std::numeric_limits<double>::infinity());
}

TEST(PowerLawSampling, InverseTransformHasTheRightTail) {
  Rng rng = ldyn::make_stream(41, "sampling");
  const auto x = ldyn::nn::sample_power_law(2.5, 3.0, 100000, rng);
  EXPECT_GE(*std::min_element(x.begin(), x.end()), 3.0);
  const double above = static_cast<double>(std::count_if(x.begin(), x.end(), [](double v) { return v >= 6.0; }));
  EXPECT_NEAR(above / 1e5, std::pow(2.0, -1.5), 0.005);  // P(X >= 2 xmin) = 2^(1 - alpha)
  Rng again = ldyn::make_stream(41, "sampling");
  EXPECT_EQ(ldyn::nn::sample_power_law(2.5, 3.0, 100000, again), x);
}

TEST(PowerLawCcdf, CountsSamplesAtOrAbove) {
  std::vector<double> x, p;
  ldyn::nn::empirical_ccdf(std::vector<double>{3, 1, 2, 2, -1, 0}, x, p);
  EXPECT_EQ(x, (std::vector<double>{1, 2, 3}));
  EXPECT_EQ(p, (std::vector<double>{1, 0.75, 0.25}));
  EXPECT_THROW(ldyn::nn::empirical_ccdf(std::vector<double>{1, std::nan("")}, x, p), ldyn::InvalidOption);
}
