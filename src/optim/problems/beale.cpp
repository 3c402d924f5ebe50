// 2-D Beale: flat plateaus and sharp ridges, with the minimum (3, 0.5) in a narrow curved valley.
//   f(x, y) = sum_{k=1}^{3} t_k^2,  t_k = c_k - x + x y^k,  c = (1.5, 2.25, 2.625).
// Derivatives of t_k:
//   a_k = dt_k/dx = y^k - 1,   b_k = dt_k/dy = k x y^{k-1},
//   da_k/dy = k y^{k-1},       db_k/dy = k (k-1) x y^{k-2},   da_k/dx = 0.
#include <array>

#include "optim/problems/builtin.hpp"

namespace ldyn::optim::problems {
namespace {

constexpr std::array<double, 3> c = {1.5, 2.25, 2.625};

// Powers y^0 .. y^3, computed by multiplication (no y^{-1}: the k (k-1) y^{k-2} factor is formed
// from the table with k >= 2 only).
std::array<double, 4> powers(double y) { return {1.0, y, y * y, y * y * y}; }

}  // namespace

// At (3, 1/2): t_k = c_k - 3 (1 - 2^-k) = 0 exactly for k = 1, 2, 3 (all values are dyadic).
Vector Beale::minimizer() const {
  Vector m(2);
  m << 3.0, 0.5;
  return m;
}

double Beale::loss(const Vector& v) const {
  const double x = v[0];
  const auto p = powers(v[1]);
  double f = 0.0;
  for (int k = 1; k <= 3; ++k) {
    const double t = c[k - 1] - x + x * p[k];
    f += t * t;
  }
  return f;
}

// df/dx = 2 sum t_k a_k,   df/dy = 2 sum t_k b_k.
void Beale::gradient(const Vector& v, Vector& g) const {
  const double x = v[0];
  const auto p = powers(v[1]);
  double gx = 0.0;
  double gy = 0.0;
  for (int k = 1; k <= 3; ++k) {
    const double t = c[k - 1] - x + x * p[k];
    gx += t * (p[k] - 1.0);
    gy += t * (k * x * p[k - 1]);
  }
  g[0] = 2.0 * gx;
  g[1] = 2.0 * gy;
}

// d2f/dx2  = 2 sum a_k^2
// d2f/dxdy = 2 sum [ a_k b_k + t_k k y^{k-1} ]
// d2f/dy2  = 2 sum [ b_k^2 + t_k k (k-1) x y^{k-2} ]
Matrix Beale::hessian(const Vector& v) const {
  const double x = v[0];
  const auto p = powers(v[1]);
  double hxx = 0.0;
  double hxy = 0.0;
  double hyy = 0.0;
  for (int k = 1; k <= 3; ++k) {
    const double t = c[k - 1] - x + x * p[k];
    const double a = p[k] - 1.0;
    const double b = k * x * p[k - 1];
    hxx += a * a;
    hxy += a * b + t * k * p[k - 1];
    hyy += b * b + (k >= 2 ? t * k * (k - 1) * x * p[k - 2] : 0.0);
  }
  Matrix h(2, 2);
  h << 2.0 * hxx, 2.0 * hxy, 2.0 * hxy, 2.0 * hyy;
  return h;
}

}  // namespace ldyn::optim::problems
