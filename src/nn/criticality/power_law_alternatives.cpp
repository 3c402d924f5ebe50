#include "nn/criticality/power_law_alternatives.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <numbers>
#include <utility>
#include <vector>

#include "core/error.hpp"

namespace ldyn::nn {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

void require_tail(std::span<const double> tail, double xmin, const char* what) {
  if (!(xmin > 0) || !std::isfinite(xmin))
    throw InvalidOption("xmin", std::string(what) + ": must be positive and finite (got " +
                                    std::to_string(xmin) + ")");
  if (tail.size() < 2)
    throw InvalidOption("samples", std::string(what) + ": needs at least 2 samples >= xmin (got " +
                                       std::to_string(tail.size()) + ")");
  for (double x : tail)
    if (!(x >= xmin) || !std::isfinite(x))
      throw InvalidOption("samples", std::string(what) + ": every tail sample must be finite and >= xmin = " +
                                         std::to_string(xmin) + " (got " + std::to_string(x) + ")");
}

/// Minimizes f over the plane by Nelder–Mead (reflection 1, expansion 2, contraction 1/2,
/// shrink 1/2), from x0 with initial steps `step` along both axes. Returns the best vertex.
template <class F>
std::pair<std::array<double, 2>, double> nelder_mead(F&& f, std::array<double, 2> x0, double step,
                                                     int max_evaluations) {
  using Point = std::array<double, 2>;
  std::array<Point, 3> p{x0, Point{x0[0] + step, x0[1]}, Point{x0[0], x0[1] + step}};
  std::array<double, 3> v{f(p[0]), f(p[1]), f(p[2])};
  int evaluations = 3;
  auto blend = [](const Point& a, const Point& b, double t) {  // a + t (b - a)
    return Point{a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])};
  };
  while (evaluations < max_evaluations) {
    // Order best (0) to worst (2).
    std::array<int, 3> o{0, 1, 2};
    std::sort(o.begin(), o.end(), [&](int a, int b) { return v[a] < v[b]; });
    p = {p[o[0]], p[o[1]], p[o[2]]};
    v = {v[o[0]], v[o[1]], v[o[2]]};
    const double size = std::max({std::abs(p[1][0] - p[0][0]), std::abs(p[1][1] - p[0][1]),
                                  std::abs(p[2][0] - p[0][0]), std::abs(p[2][1] - p[0][1])});
    if (std::isfinite(v[2]) && v[2] - v[0] <= 1e-14 * (1 + std::abs(v[0])) && size < 1e-9) break;
    const Point centroid{0.5 * (p[0][0] + p[1][0]), 0.5 * (p[0][1] + p[1][1])};
    const Point reflected = blend(centroid, p[2], -1.0);
    const double fr = f(reflected);
    ++evaluations;
    if (fr < v[0]) {
      const Point expanded = blend(centroid, p[2], -2.0);
      const double fe = f(expanded);
      ++evaluations;
      if (fe < fr) {
        p[2] = expanded;
        v[2] = fe;
      } else {
        p[2] = reflected;
        v[2] = fr;
      }
    } else if (fr < v[1]) {
      p[2] = reflected;
      v[2] = fr;
    } else {
      const bool outside = fr < v[2];
      const Point contracted = outside ? blend(centroid, reflected, 0.5) : blend(centroid, p[2], 0.5);
      const double fc = f(contracted);
      ++evaluations;
      if (fc < (outside ? fr : v[2])) {
        p[2] = contracted;
        v[2] = fc;
      } else {
        for (int k = 1; k < 3; ++k) {
          p[k] = blend(p[0], p[k], 0.5);
          v[k] = f(p[k]);
        }
        evaluations += 2;
      }
    }
  }
  const auto best = static_cast<std::size_t>(std::min_element(v.begin(), v.end()) - v.begin());
  return {p[best], v[best]};
}

}  // namespace

double log_erfc(double z) {
  if (std::isnan(z)) return z;
  if (z < 20) return std::log(std::erfc(z));
  if (z == kInf) return -kInf;
  // erfc(z) = exp(-z^2) / (z sqrt(pi)) * sum_k (-1)^k (2k-1)!! / (2 z^2)^k. For z >= 20 the terms
  // fall below 1e-17 of the first by k = 8, long before the series starts to diverge (k ~ z^2).
  const double inv = 1 / (2 * z * z);
  double term = 1, sum = 1;
  for (int k = 1; k <= 12; ++k) {
    term *= -(2 * k - 1) * inv;
    sum += term;
    if (std::abs(term) < 1e-18) break;
  }
  return -z * z - std::log(z) - 0.5 * std::log(std::numbers::pi) + std::log(sum);
}

double ExponentialTail::log_pdf(double x, double xmin) const {
  return std::log(lambda) - lambda * (x - xmin);
}

ExponentialTail fit_exponential_tail(std::span<const double> tail, double xmin) {
  require_tail(tail, xmin, "exponential tail fit");
  double sum = 0;
  for (double x : tail) sum += x - xmin;
  if (!(sum > 0)) throw InvalidOption("samples", "exponential tail fit: every sample equals xmin");
  const auto n = static_cast<double>(tail.size());
  ExponentialTail e;
  e.lambda = n / sum;
  e.log_likelihood = n * std::log(e.lambda) - e.lambda * sum;  // sum of ln lambda - lambda (x - xmin)
  return e;
}

double LognormalTail::log_pdf(double x, double xmin) const {
  const double lx = std::log(x);
  const double d = (lx - mu) / sigma;
  const double z = (std::log(xmin) - mu) / (sigma * std::numbers::sqrt2);
  return -lx - std::log(sigma) - 0.5 * std::log(2 * std::numbers::pi) - 0.5 * d * d -
         (log_erfc(z) - std::numbers::ln2);
}

LognormalTail fit_lognormal_tail(std::span<const double> tail, double xmin) {
  require_tail(tail, xmin, "lognormal tail fit");
  // The likelihood depends on the tail only through the mean m and variance s^2 of ln x:
  // -l/n = ln sigma + (s^2 + (m - mu)^2) / (2 sigma^2) + ln erfc((ln xmin - mu)/(sigma sqrt 2))
  //        + const. In u = (mu - m)/s, w = ln(sigma/s), c = (ln xmin - m)/s:
  // g(u, w) = w + (1 + u^2) / (2 e^{2w}) + ln erfc((c - u) / (sqrt2 e^w)).
  const auto n = static_cast<double>(tail.size());
  double mean = 0;
  for (double x : tail) mean += std::log(x);
  mean /= n;
  double var = 0;
  for (double x : tail) {
    const double d = std::log(x) - mean;
    var += d * d;
  }
  var /= n;
  if (!(var > 0)) throw InvalidOption("samples", "lognormal tail fit: every sample has the same value");
  const double s = std::sqrt(var);
  const double c = (std::log(xmin) - mean) / s;
  constexpr double kMaxW = 8, kMinW = -30;
  auto g = [c](const std::array<double, 2>& q) {
    const double u = q[0], w = q[1];
    if (!(w <= kMaxW && w >= kMinW) || !std::isfinite(u)) return kInf;
    const double e2w = std::exp(2 * w);
    const double value = w + (1 + u * u) / (2 * e2w) +
                         log_erfc((c - u) / (std::numbers::sqrt2 * std::exp(w)));
    return std::isfinite(value) ? value : kInf;
  };
  // Start at the untruncated moments (u = w = 0); restart from the best point until a restart no
  // longer improves (guards against Nelder–Mead's premature collapse).
  auto [best, fbest] = nelder_mead(g, {0.0, 0.0}, 0.5, 4000);
  for (int restart = 0; restart < 5; ++restart) {
    auto [q, fq] = nelder_mead(g, best, 0.05, 4000);
    const bool improved = fq < fbest - 1e-13 * (1 + std::abs(fbest));
    if (fq < fbest) {
      best = q;
      fbest = fq;
    }
    if (!improved) break;
  }
  LognormalTail l;
  l.mu = mean + best[0] * s;
  l.sigma = s * std::exp(best[1]);
  double ll = 0;
  for (double x : tail) ll += l.log_pdf(x, xmin);
  l.log_likelihood = ll;
  return l;
}

LikelihoodRatio vuong_test(std::span<const double> log_ratios, std::string alternative) {
  LikelihoodRatio r;
  r.alternative = std::move(alternative);
  if (log_ratios.empty()) return r;
  const auto n = static_cast<double>(log_ratios.size());
  double sum = 0;
  for (double l : log_ratios) sum += l;
  const double mean = sum / n;
  double var = 0;
  for (double l : log_ratios) var += (l - mean) * (l - mean);
  var /= n;
  r.log_ratio = sum;
  const double sigma = std::sqrt(var);
  if (sigma > 0 && std::isfinite(sigma)) {
    r.normalized = sum / (sigma * std::sqrt(n));
    r.p_value = std::erfc(std::abs(sum) / (sigma * std::sqrt(2 * n)));
  } else if (sum != 0) {  // every point favours the same side by the same amount: the limit
    r.normalized = std::copysign(kInf, sum);
    r.p_value = 0;
  } else {
    r.normalized = 0;
    r.p_value = 1;
  }
  return r;
}

void compare_alternatives(std::span<const double> tail, double xmin, double alpha, PowerLawFit& fit) {
  const ExponentialTail e = fit_exponential_tail(tail, xmin);
  const LognormalTail l = fit_lognormal_tail(tail, xmin);
  fit.exponential_lambda = e.lambda;
  fit.lognormal_mu = l.mu;
  fit.lognormal_sigma = l.sigma;
  const double lxmin = std::log(xmin);
  const double log_norm = std::log(alpha - 1) - lxmin;
  std::vector<double> vs_exp(tail.size()), vs_ln(tail.size());
  for (std::size_t i = 0; i < tail.size(); ++i) {
    const double x = tail[i];
    const double pl = log_norm - alpha * (std::log(x) - lxmin);
    vs_exp[i] = pl - e.log_pdf(x, xmin);
    vs_ln[i] = pl - l.log_pdf(x, xmin);
  }
  fit.vs_exponential = vuong_test(vs_exp, "exponential");
  fit.vs_lognormal = vuong_test(vs_ln, "lognormal");
}

std::string LikelihoodRatio::favours() const {
  if (!(p_value <= 0.1) || log_ratio == 0 || std::isnan(log_ratio)) return "neither";
  return log_ratio > 0 ? "power law" : alternative;
}

}  // namespace ldyn::nn
