#include "nn/criticality/power_law_fit.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <exception>
#include <limits>
#include <string>

#include "core/error.hpp"
#include "nn/criticality/power_law_alternatives.hpp"

namespace ldyn::nn {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

double uniform01(Rng& rng) { return static_cast<double>(rng() >> 11) * 0x1.0p-53; }

/// e^y for y <= 0, to about 2 ulp (e^y below e^-708 returns e^-708 ~ 3e-308, which is 0 for a
/// CDF). Branch-free, so that the KS loop vectorizes: Cody–Waite reduction y = n ln2 + r with
/// |r| <= ln2/2, Taylor polynomial of degree 12 (truncation 2e-16), 2^n from the bits of n.
inline double exp_nonpositive(double y) {
  y = y < -708.0 ? -708.0 : y;
  constexpr double kLog2e = 1.4426950408889634;
  constexpr double kShifter = 0x1.8p52;              // adding it rounds to an integer in the low bits
  constexpr double kLn2Hi = 6.93147180369123816490e-01;  // 32 significant bits: n * hi is exact
  constexpr double kLn2Lo = 1.90821492927058770002e-10;
  const double shifted = y * kLog2e + kShifter;
  const double n = shifted - kShifter;
  const double r = (y - n * kLn2Hi) - n * kLn2Lo;
  double p = 1.0 / 479001600;  // 1/12!
  p = p * r + 1.0 / 39916800;
  p = p * r + 1.0 / 3628800;
  p = p * r + 1.0 / 362880;
  p = p * r + 1.0 / 40320;
  p = p * r + 1.0 / 5040;
  p = p * r + 1.0 / 720;
  p = p * r + 1.0 / 120;
  p = p * r + 1.0 / 24;
  p = p * r + 1.0 / 6;
  p = p * r + 0.5;
  p = p * r + 1.0;
  p = p * r + 1.0;
  // The low bits of `shifted` hold n (two's complement); (n + 1023) << 52 is 2^n as a double.
  const std::uint64_t bits = (std::bit_cast<std::uint64_t>(shifted) + 1023) << 52;
  return p * std::bit_cast<double>(bits);
}

/// Sorted positive samples with their logarithms and suffix sums of ln(x_j / x_0).
struct Sorted {
  std::vector<double> x, lx, suffix;  // suffix[i] = sum_{j >= i} (lx[j] - lx[0]); suffix[n] = 0
  long size() const { return static_cast<long>(x.size()); }
  void prepare() {  // x must be sorted
    const std::size_t n = x.size();
    lx.resize(n);
    for (std::size_t i = 0; i < n; ++i) lx[i] = std::log(x[i]);
    suffix.assign(n + 1, 0.0);
    for (std::size_t i = n; i-- > 0;) suffix[i] = suffix[i + 1] + (lx[i] - lx[0]);
  }
  /// sum_{j >= start} ln(x_j / xmin), with ln xmin = lxmin.
  double log_sum(long start, double lxmin) const {
    const auto m = static_cast<double>(size() - start);
    return suffix[static_cast<std::size_t>(start)] - m * (lxmin - lx[0]);
  }
};

/// Kolmogorov–Smirnov distance between the empirical CDF of the sorted tail logs lx[0..m) and
/// the power law (alpha, ln xmin): max_k max(F(x_k) - k/m, (k+1)/m - F(x_k)), which is the sup of
/// |F_emp - F| including left limits (ties included). Stops early, returning a value > bound,
/// once the distance exceeds `bound` (the best distance of the scan so far).
double ks_distance(const double* lx, long m, double alpha, double lxmin, double bound) {
  constexpr long kChunk = 512;
  const double a1 = alpha - 1;
  const double inv_m = 1 / static_cast<double>(m);
  double d = 0;
  for (long start = 0; start < m; start += kChunk) {
    const long end = std::min(m, start + kChunk);
    double chunk = 0;
#pragma omp simd reduction(max : chunk)
    for (long k = start; k < end; ++k) {
      const double cdf = 1 - exp_nonpositive(-a1 * (lx[k] - lxmin));
      const double below = static_cast<double>(k) * inv_m;
      const double dk = std::max(cdf - below, below + inv_m - cdf);
      chunk = std::max(chunk, dk);
    }
    d = std::max(d, chunk);
    if (d > bound) return d;
  }
  return d;
}

struct TailFit {
  long start = 0;  // first sample of the tail
  double xmin = 0, lxmin = 0, alpha = 0, d = kInf;
};

/// The MLE and KS distance for the tail starting at `start` with cutoff xmin (<= x[start]).
/// Returns alpha = inf when every tail sample equals xmin.
TailFit fit_tail(const Sorted& s, long start, double xmin, double lxmin, double bound) {
  TailFit f;
  f.start = start;
  f.xmin = xmin;
  f.lxmin = lxmin;
  const long m = s.size() - start;
  const double log_sum = s.log_sum(start, lxmin);
  if (!(log_sum > 0)) {
    f.alpha = kInf;
    return f;
  }
  f.alpha = 1 + static_cast<double>(m) / log_sum;
  f.d = ks_distance(s.lx.data() + start, m, f.alpha, lxmin, bound);
  return f;
}

/// The KS scan: the candidate xmin (a distinct sample value with >= min_tail samples at or above,
/// thinned to max_candidates quantile-spaced ones) with the smallest D; the smallest xmin on ties.
TailFit scan(const Sorted& s, long min_tail, long max_candidates, std::vector<long>& candidates) {
  const long n = s.size();
  candidates.clear();
  for (long i = 0; i + min_tail <= n; ++i) {
    const auto u = static_cast<std::size_t>(i);
    if (i > 0 && s.x[u] == s.x[u - 1]) continue;
    if (s.x[u] == s.x.back()) break;  // the tail is one value: no exponent
    candidates.push_back(i);
  }
  if (candidates.empty())
    throw InvalidOption("samples", "no candidate xmin with at least min_tail = " +
                                       std::to_string(min_tail) +
                                       " samples at or above it spans more than one value");
  const auto count = static_cast<long>(candidates.size());
  if (count > max_candidates) {
    // Evenly spaced in rank among the distinct values: quantile-spaced, first and last kept.
    for (long j = 0; j < max_candidates; ++j) {
      const double at = max_candidates == 1 ? 0.0
                                            : static_cast<double>(j) * static_cast<double>(count - 1) /
                                                  static_cast<double>(max_candidates - 1);
      candidates[static_cast<std::size_t>(j)] = candidates[static_cast<std::size_t>(std::lround(at))];
    }
    candidates.resize(static_cast<std::size_t>(max_candidates));
  }
  // Every 16th candidate first, then the rest: a good bound early lets most KS sums stop after
  // a few chunks. Ties go to the smaller xmin, so the order does not change the result.
  TailFit best;
  const auto size = candidates.size();
  for (int pass = 0; pass < 2; ++pass) {
    for (std::size_t j = 0; j < size; ++j) {
      if ((j % 16 == 0) != (pass == 0)) continue;
      const long i = candidates[j];
      const auto u = static_cast<std::size_t>(i);
      const TailFit f = fit_tail(s, i, s.x[u], s.lx[u], best.d);
      if (f.d < best.d || (f.d == best.d && i < best.start)) best = f;
    }
  }
  return best;
}

void validate(const PowerLawOptions& o) {
  if (o.min_tail < 2)
    throw InvalidOption("min_tail", "must be >= 2 (got " + std::to_string(o.min_tail) + ")");
  if (o.max_xmin_candidates < 1)
    throw InvalidOption("max_xmin_candidates",
                        "must be >= 1 (got " + std::to_string(o.max_xmin_candidates) + ")");
  if (o.bootstrap < 0)
    throw InvalidOption("bootstrap", "must be >= 0 (got " + std::to_string(o.bootstrap) + ")");
  if (!(o.fixed_xmin >= 0) || !std::isfinite(o.fixed_xmin))
    throw InvalidOption("fixed_xmin", "must be finite and >= 0, 0 for the KS scan (got " +
                                          std::to_string(o.fixed_xmin) + ")");
}

/// The positive samples; throws on non-finite ones. Counts the non-positive ones in `ignored`.
std::vector<double> positive_samples(std::span<const double> samples, long& ignored) {
  long bad = 0;
  std::size_t first_bad = 0;
  std::vector<double> out;
  out.reserve(samples.size());
  ignored = 0;
  for (std::size_t i = 0; i < samples.size(); ++i) {
    const double x = samples[i];
    if (!std::isfinite(x)) {
      if (bad++ == 0) first_bad = i;
    } else if (x > 0) {
      out.push_back(x);
    } else {
      ++ignored;
    }
  }
  if (bad > 0)
    throw InvalidOption("samples", std::to_string(bad) + " of " + std::to_string(samples.size()) +
                                       " samples are NaN or infinite (the first at index " +
                                       std::to_string(first_bad) + ")");
  return out;
}

}  // namespace

std::vector<double> sample_power_law(double alpha, double xmin, std::size_t n, Rng& rng) {
  if (!(alpha > 1) || !std::isfinite(alpha))
    throw InvalidOption("alpha", "must be finite and > 1 (got " + std::to_string(alpha) + ")");
  if (!(xmin > 0) || !std::isfinite(xmin))
    throw InvalidOption("xmin", "must be finite and > 0 (got " + std::to_string(xmin) + ")");
  std::vector<double> out(n);
  const double e = -1 / (alpha - 1);
  for (double& x : out) x = xmin * std::pow(1 - uniform01(rng), e);  // 1 - u in (0, 1]
  return out;
}

void empirical_ccdf(std::span<const double> samples, std::vector<double>& x, std::vector<double>& p) {
  long ignored = 0;
  std::vector<double> v = positive_samples(samples, ignored);
  std::sort(v.begin(), v.end());
  x.clear();
  p.clear();
  const auto n = static_cast<double>(v.size());
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (i > 0 && v[i] == v[i - 1]) continue;
    x.push_back(v[i]);
    p.push_back(static_cast<double>(v.size() - i) / n);
  }
}

double PowerLawFit::ccdf(double x) const {
  if (!(x >= xmin) || n_total == 0) return kNaN;
  return static_cast<double>(n_tail) / static_cast<double>(n_total) * std::pow(x / xmin, 1 - alpha);
}

PowerLawFit fit_power_law(std::span<const double> samples, const PowerLawOptions& options) {
  validate(options);
  PowerLawFit fit;
  Sorted s;
  s.x = positive_samples(samples, fit.n_ignored);
  const long n = s.size();
  if (n < options.min_tail)
    throw InvalidOption("samples", "need at least min_tail = " + std::to_string(options.min_tail) +
                                       " positive samples, got " + std::to_string(n) + " (of " +
                                       std::to_string(samples.size()) + "; " +
                                       std::to_string(fit.n_ignored) + " non-positive ignored)");
  std::sort(s.x.begin(), s.x.end());
  s.prepare();
  std::vector<long> candidates;

  const bool fixed = options.fixed_xmin > 0;
  TailFit best;
  if (fixed) {
    const double xmin = options.fixed_xmin;
    const long start = std::lower_bound(s.x.begin(), s.x.end(), xmin) - s.x.begin();
    if (n - start < options.min_tail)
      throw InvalidOption("fixed_xmin", "only " + std::to_string(n - start) + " samples are >= " +
                                            std::to_string(xmin) + ", fewer than min_tail = " +
                                            std::to_string(options.min_tail));
    best = fit_tail(s, start, xmin, std::log(xmin), kInf);
    if (!std::isfinite(best.alpha))
      throw InvalidOption("samples", "every sample >= fixed_xmin equals it: no exponent");
  } else {
    best = scan(s, options.min_tail, options.max_xmin_candidates, candidates);
  }

  const long m = n - best.start;
  fit.alpha = best.alpha;
  fit.alpha_stderr = (best.alpha - 1) / std::sqrt(static_cast<double>(m));
  fit.xmin = best.xmin;
  fit.ks_distance = best.d;
  fit.n_tail = m;
  fit.n_total = n;
  fit.decades = std::log10(s.x.back() / best.xmin);
  compare_alternatives(std::span<const double>(s.x).subspan(static_cast<std::size_t>(best.start)),
                       best.xmin, best.alpha, fit);

  const int replicates = options.bootstrap;
  if (replicates == 0) return fit;
  // Semi-parametric bootstrap (CSN 4.1): each synthetic set has n samples, each from the fitted
  // power law with probability m/n, otherwise drawn uniformly from the observed samples below
  // xmin; refitted with the same procedure (full scan, or the fixed xmin). With a fixed xmin the
  // samples below it never enter the fit, so a synthetic set is m power-law draws.
  // Each set draws from its own generator, seeded in order from the bootstrap stream, so the
  // p-value does not depend on the number of threads.
  Rng master = make_stream(options.seed, "power-law-bootstrap");
  std::vector<std::uint64_t> seeds(static_cast<std::size_t>(replicates));
  for (auto& seed : seeds) seed = master();
  std::vector<double> distances(seeds.size(), 0.0);
  const double q = static_cast<double>(m) / static_cast<double>(n);
  const double inv_a1 = -1 / (best.alpha - 1);
  std::exception_ptr error;
#pragma omp parallel
  {
    Sorted synthetic;
    std::vector<long> scratch;
#pragma omp for schedule(dynamic)
    for (int b = 0; b < replicates; ++b) {
      try {
        Rng rng(seeds[static_cast<std::size_t>(b)]);
        synthetic.x.resize(static_cast<std::size_t>(fixed ? m : n));
        for (double& x : synthetic.x) {
          if (fixed || best.start == 0 || uniform01(rng) < q) {
            x = best.xmin * std::pow(1 - uniform01(rng), inv_a1);
          } else {
            const auto j = static_cast<std::size_t>(uniform01(rng) * static_cast<double>(best.start));
            x = s.x[j];
          }
        }
        std::sort(synthetic.x.begin(), synthetic.x.end());
        synthetic.prepare();
        const TailFit f = fixed ? fit_tail(synthetic, 0, best.xmin, best.lxmin, kInf)
                                : scan(synthetic, options.min_tail, options.max_xmin_candidates, scratch);
        distances[static_cast<std::size_t>(b)] = f.d;
      } catch (...) {
#pragma omp critical(ldyn_power_law_bootstrap)
        if (!error) error = std::current_exception();
      }
    }
  }
  if (error) std::rethrow_exception(error);
  long at_least = 0;
  for (double d : distances) at_least += d >= best.d ? 1 : 0;
  fit.bootstrap_samples = replicates;
  fit.gof_p = static_cast<double>(at_least) / static_cast<double>(replicates);
  return fit;
}

}  // namespace ldyn::nn
