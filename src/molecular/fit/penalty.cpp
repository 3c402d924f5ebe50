#include "molecular/fit/penalty.hpp"

#include <cmath>
#include <array>
#include <vector>

#include "core/error.hpp"

namespace ldyn::molecular {

namespace {

/// The (1, −2, 1) second differences of species s's coefficients: three local columns each.
std::vector<std::array<int, 3>> second_differences(const ModelSpec& spec, int s) {
  std::vector<std::array<int, 3>> diffs;
  const int types = spec.types(), n_r = spec.pair.size(), n_a = spec.angular.size(), nl = spec.lmax + 1;
  for (int t = 0; t < types; ++t) {
    const int base = spec.pair_offset(s, t);
    for (int q = 0; q + 2 < n_r; ++q) diffs.push_back({base + q, base + q + 1, base + q + 2});
  }
  for (int t1 = 0; t1 < types; ++t1)
    for (int t2 = t1; t2 < types; ++t2) {
      const int base = spec.angular_offset(s, t1, t2);
      auto col = [&](int a, int b, int l) { return base + spec.product_index(t1, t2, a, b) * nl + l; };
      for (int l = 0; l < nl; ++l)
        for (int fixed = 0; fixed < n_a; ++fixed)
          for (int q = 0; q + 2 < n_a; ++q) {
            diffs.push_back({col(q, fixed, l), col(q + 1, fixed, l), col(q + 2, fixed, l)});  // along a
            if (t1 != t2) diffs.push_back({col(fixed, q, l), col(fixed, q + 1, l), col(fixed, q + 2, l)});  // along b
          }
    }
  return diffs;
}

void check(double smoothness) {
  if (!(std::isfinite(smoothness) && smoothness >= 0.0)) throw InvalidOption("--smoothness", "must be finite and >= 0");
}

constexpr double stencil[3] = {1.0, -2.0, 1.0};

}  // namespace

Eigen::MatrixXd penalty_rows(const ModelSpec& spec, int s, double smoothness) {
  check(smoothness);
  const int first = s < 0 ? 0 : s, last = s < 0 ? spec.types() - 1 : s;
  const int p = s < 0 ? spec.total_size() : spec.species_size(s);
  std::vector<std::array<int, 3>> diffs;
  for (int q = first; q <= last; ++q) {
    const int offset = s < 0 ? spec.species_offset(q) : 0;
    for (auto d : second_differences(spec, q)) diffs.push_back({d[0] + offset, d[1] + offset, d[2] + offset});
  }
  const double w = std::sqrt(smoothness);
  Eigen::MatrixXd rows = Eigen::MatrixXd::Zero(p + static_cast<Eigen::Index>(diffs.size()), p);
  rows.topRows(p).setIdentity();
  for (std::size_t k = 0; k < diffs.size(); ++k)
    for (int m = 0; m < 3; ++m) rows(p + static_cast<Eigen::Index>(k), diffs[k][static_cast<std::size_t>(m)]) += w * stencil[m];
  return rows;
}

Eigen::MatrixXd penalty_matrix(const ModelSpec& spec, int s, double smoothness) {
  check(smoothness);
  const int first = s < 0 ? 0 : s, last = s < 0 ? spec.types() - 1 : s;
  const int p = s < 0 ? spec.total_size() : spec.species_size(s);
  Eigen::MatrixXd r = Eigen::MatrixXd::Identity(p, p);
  for (int q = first; q <= last; ++q) {
    const int offset = s < 0 ? spec.species_offset(q) : 0;
    for (const auto& d : second_differences(spec, q))
      for (int a = 0; a < 3; ++a)
        for (int b = 0; b < 3; ++b)
          r(d[static_cast<std::size_t>(a)] + offset, d[static_cast<std::size_t>(b)] + offset) += smoothness * stencil[a] * stencil[b];
  }
  return r;
}

}  // namespace ldyn::molecular
