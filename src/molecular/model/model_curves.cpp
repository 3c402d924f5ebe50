#include "molecular/model/model_curves.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numbers>

namespace ldyn::molecular {

std::vector<LossCurve> pair_curves(const ModelSpec& spec, const Eigen::VectorXd& coefficients, int points) {
  std::vector<LossCurve> out;
  const int types = spec.types();
  for (int s = 0; s < types; ++s)
    for (int t = 0; t < types; ++t) {
      LossCurve c;
      c.centre = s;
      c.name = spec.species.symbols[static_cast<std::size_t>(s)] + " sees " + spec.species.symbols[static_cast<std::size_t>(t)];
      const double* coef = coefficients.data() + spec.species_offset(s) + spec.pair_offset(s, t);
      const double wall = spec.wall_radius(s, t);
      const double lo = wall > 0.0 ? 0.9 * wall : std::max(0.0, spec.pair.r_inner() - 3 * spec.pair.spacing());
      const double hi = spec.pair.r_cut();
      for (int q = 0; q < points; ++q) {
        const double r = lo + (hi - lo) * q / (points - 1);
        double v[4], d[4];
        const int first = spec.pair.evaluate(r, v, d);
        double e = 0.0;
        for (int k = 0; k < 4; ++k)
          if (first + k >= 0 && first + k < spec.pair.size()) e += coef[first + k] * v[k];
        if (r < wall) e += spec.wall_strength * std::pow(wall - r, 3);
        c.x.push_back(r);
        c.y.push_back(e);
      }
      out.push_back(std::move(c));
    }
  return out;
}

std::vector<LossCurve> angle_curves(const ModelSpec& spec, const Eigen::VectorXd& coefficients,
                                    const TypicalTriplets& typical, int points) {
  std::vector<LossCurve> out;
  const int types = spec.types(), n_a = spec.angular.size(), lmax = spec.lmax;
  std::vector<double> p(static_cast<std::size_t>(lmax) + 1), dp(p.size());
  for (int s = 0; s < types; ++s)
    for (int t1 = 0; t1 < types; ++t1)
      for (int t2 = t1; t2 < types; ++t2) {
        const double r1 = typical.at(s, t1, t2)[0], r2 = typical.at(s, t1, t2)[1];
        if (!(r1 > 0.0 && r2 > 0.0 && r1 < spec.angular.r_cut() && r2 < spec.angular.r_cut())) continue;
        LossCurve c;
        c.centre = s;
        char label[128];
        std::snprintf(label, sizeof label, "%s sees %s,%s at %.2f/%.2f A", spec.species.symbols[static_cast<std::size_t>(s)].c_str(),
                      spec.species.symbols[static_cast<std::size_t>(t1)].c_str(), spec.species.symbols[static_cast<std::size_t>(t2)].c_str(), r1, r2);
        c.name = label;
        const double* block = coefficients.data() + spec.species_offset(s) + spec.angular_offset(s, t1, t2);
        double g1[4], d1[4], g2[4], d2[4];
        const int f1 = spec.angular.evaluate(r1, g1, d1), f2 = spec.angular.evaluate(r2, g2, d2);
        for (int q = 0; q < points; ++q) {
          const double theta = 180.0 * q / (points - 1);
          legendre(lmax, std::cos(theta * std::numbers::pi / 180.0), p.data(), dp.data());
          double e = 0.0;
          for (int a = 0; a < 4; ++a)
            for (int b = 0; b < 4; ++b) {
              const int ia = f1 + a, ib = f2 + b;
              if (ia < 0 || ia >= n_a || ib < 0 || ib >= n_a) continue;
              const double* cl = block + spec.product_index(t1, t2, ia, ib) * (lmax + 1);
              for (int l = 0; l <= lmax; ++l) e += g1[a] * g2[b] * cl[l] * p[static_cast<std::size_t>(l)];
            }
          c.x.push_back(theta);
          c.y.push_back(e);
        }
        out.push_back(std::move(c));
      }
  return out;
}

}  // namespace ldyn::molecular
