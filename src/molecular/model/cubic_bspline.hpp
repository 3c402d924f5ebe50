#pragma once
// Uniform cubic B-splines on [r_inner, r_cut] whose sum vanishes smoothly at the cutoff.
//
// Knots t_k = r_inner − 3h + k·h with h = (r_cut − r_inner)/count; basis function B_k is the cardinal
// cubic B-spline on [t_k, t_k + 4h], k = 0 … count−1. The last one ends exactly at r_cut, so every
// linear combination is C² and vanishes with its first two derivatives at r_cut: the smooth cutoff
// is built into the basis, not multiplied onto it. Below r_inner − 3h all functions are zero (the
// model adds a repulsive wall there, see agent_model.hpp). At any r at most four are non-zero.
#include <cmath>

#include "core/error.hpp"

namespace ldyn::molecular {

class CubicBSpline {
 public:
  CubicBSpline() = default;
  /// Throws InvalidOption naming `option` for count < 4 or r_cut ≤ r_inner.
  CubicBSpline(double r_inner, double r_cut, int count, const char* option = "basis")
      : r_inner_(r_inner), r_cut_(r_cut), count_(count) {
    if (!(std::isfinite(r_inner) && std::isfinite(r_cut) && r_inner >= 0.0 && r_cut > r_inner))
      throw InvalidOption(option, "need 0 <= r_inner < r_cut");
    if (count < 4) throw InvalidOption(option, "needs at least 4 basis functions");
    h_ = (r_cut - r_inner) / count;
    t0_ = r_inner - 3.0 * h_;
  }

  int size() const { return count_; }
  double r_inner() const { return r_inner_; }
  double r_cut() const { return r_cut_; }
  double spacing() const { return h_; }

  /// Values and derivatives (d/dr) of B_first … B_first+3 at r; entries whose index falls outside
  /// 0 … count−1 are zero. Returns `first` (may be negative or ≥ count; then all four are zero).
  int evaluate(double r, double value[4], double slope[4]) const {
    const double x = (r - t0_) / h_;
    const double m = std::floor(x);
    if (!(m >= 0.0 && m < count_ + 3.0)) {  // outside the support (also catches NaN)
      for (int q = 0; q < 4; ++q) value[q] = slope[q] = 0.0;
      return -4;
    }
    const int mi = static_cast<int>(m);
    const double u = x - m, u2 = u * u, u3 = u2 * u, w = 1.0 - u;
    const double inv_h = 1.0 / h_;
    // B_{m−3} … B_m on the interval [t_m, t_m+1).
    value[0] = w * w * w / 6.0;
    value[1] = (3.0 * u3 - 6.0 * u2 + 4.0) / 6.0;
    value[2] = (-3.0 * u3 + 3.0 * u2 + 3.0 * u + 1.0) / 6.0;
    value[3] = u3 / 6.0;
    slope[0] = -0.5 * w * w * inv_h;
    slope[1] = (1.5 * u2 - 2.0 * u) * inv_h;
    slope[2] = (-1.5 * u2 + u + 0.5) * inv_h;
    slope[3] = 0.5 * u2 * inv_h;
    const int first = mi - 3;
    for (int q = 0; q < 4; ++q)
      if (first + q < 0 || first + q >= count_) value[q] = slope[q] = 0.0;
    return first;
  }

 private:
  double r_inner_ = 0.0, r_cut_ = 1.0, h_ = 0.25, t0_ = -0.75;
  int count_ = 4;
};

/// Legendre polynomials P_0 … P_L at c and their derivatives dP_l/dc (Bonnet's recurrence), for
/// L ≤ 20. The recurrence's divisions by l + 1 are read from a table: in a dependent chain a
/// division costs as much as the rest of the step, and this runs once per neighbour pair.
inline void legendre(int lmax, double c, double* p, double* dp) {
  struct Coefficients {
    double a[21], b[21];  // P_{l+1} = a_l c P_l − b_l P_{l−1}
    constexpr Coefficients() : a(), b() {
      for (int l = 0; l < 21; ++l) {
        a[l] = (2.0 * l + 1.0) / (l + 1.0);
        b[l] = l / (l + 1.0);
      }
    }
  };
  static constexpr Coefficients k;
  p[0] = 1.0;
  dp[0] = 0.0;
  if (lmax == 0) return;
  p[1] = c;
  dp[1] = 1.0;
  for (int l = 1; l < lmax; ++l) {
    p[l + 1] = k.a[l] * c * p[l] - k.b[l] * p[l - 1];
    dp[l + 1] = dp[l - 1] + (2.0 * l + 1.0) * p[l];  // P'_{l+1} = P'_{l−1} + (2l+1) P_l
  }
}

}  // namespace ldyn::molecular
