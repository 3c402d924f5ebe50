#include "molecular/fit/penalty.hpp"

#include <cmath>
#include <array>
#include <vector>

#include "core/error.hpp"

namespace ldyn::molecular {

Eigen::MatrixXd penalty_rows(const ModelSpec& spec, int s, double smoothness) {
  if (!(std::isfinite(smoothness) && smoothness >= 0.0)) throw InvalidOption("--smoothness", "must be finite and >= 0");
  const int p = spec.species_size(s);
  const double w = std::sqrt(smoothness);
  std::vector<std::array<int, 3>> diffs;  // columns of (1, −2, 1) second differences
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
  Eigen::MatrixXd rows = Eigen::MatrixXd::Zero(p + static_cast<Eigen::Index>(diffs.size()), p);
  rows.topRows(p).setIdentity();
  for (std::size_t k = 0; k < diffs.size(); ++k) {
    const auto r = p + static_cast<Eigen::Index>(k);
    rows(r, diffs[k][0]) += w;
    rows(r, diffs[k][1]) -= 2.0 * w;
    rows(r, diffs[k][2]) += w;
  }
  return rows;
}

Eigen::MatrixXd penalty_rows_all(const ModelSpec& spec, double smoothness) {
  std::vector<Eigen::MatrixXd> blocks;
  Eigen::Index rows = 0;
  for (int s = 0; s < spec.types(); ++s) {
    blocks.push_back(penalty_rows(spec, s, smoothness));
    rows += blocks.back().rows();
  }
  Eigen::MatrixXd all = Eigen::MatrixXd::Zero(rows, spec.total_size());
  Eigen::Index at = 0;
  for (int s = 0; s < spec.types(); ++s) {
    const auto& b = blocks[static_cast<std::size_t>(s)];
    all.block(at, spec.species_offset(s), b.rows(), b.cols()) = b;
    at += b.rows();
  }
  return all;
}

}  // namespace ldyn::molecular
