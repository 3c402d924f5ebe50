// N-D Rosenbrock: a curved, narrow valley; the classic test for optimizers that must follow a
// direction that keeps changing. Equations are in builtin.hpp and next to each formula below.
#include <string>

#include "core/error.hpp"
#include "optim/problems/builtin.hpp"

namespace ldyn::optim::problems {

Rosenbrock::Rosenbrock(Eigen::Index dim) : dim_(dim) {
  // With one coordinate the sum is empty: no valley, nothing to test.
  if (dim < 2)
    throw InvalidOption("--dim", "rosenbrock needs dim >= 2 (got " + std::to_string(dim) + ")");
}

// The classic start (-1.2, 1) repeated: x_{2k} = -1.2, x_{2k+1} = 1 (0-based).
Vector Rosenbrock::initial_point() const {
  Vector x(dim_);
  for (Eigen::Index i = 0; i < dim_; ++i) x[i] = i % 2 == 0 ? -1.2 : 1.0;
  return x;
}

// f = sum_{i<N-1} [ 100 a_i^2 + b_i^2 ],  a_i = x_{i+1} - x_i^2,  b_i = 1 - x_i.
double Rosenbrock::loss(const Vector& x) const {
  double f = 0.0;
  for (Eigen::Index i = 0; i + 1 < dim_; ++i) {
    const double a = x[i + 1] - x[i] * x[i];
    const double b = 1.0 - x[i];
    f += 100.0 * a * a + b * b;
  }
  return f;
}

// Term i touches x_i and x_{i+1}:
//   d/dx_i     += -400 x_i a_i - 2 b_i
//   d/dx_{i+1} +=  200 a_i
void Rosenbrock::gradient(const Vector& x, Vector& g) const {
  g.setZero();
  for (Eigen::Index i = 0; i + 1 < dim_; ++i) {
    const double a = x[i + 1] - x[i] * x[i];
    g[i] += -400.0 * x[i] * a - 2.0 * (1.0 - x[i]);
    g[i + 1] += 200.0 * a;
  }
}

// Tridiagonal. Differentiating the gradient terms above:
//   H_{i,i}     += 1200 x_i^2 - 400 x_{i+1} + 2
//   H_{i,i+1}    = H_{i+1,i} = -400 x_i
//   H_{i+1,i+1} += 200
Matrix Rosenbrock::hessian(const Vector& x) const {
  Matrix h = Matrix::Zero(dim_, dim_);
  for (Eigen::Index i = 0; i + 1 < dim_; ++i) {
    h(i, i) += 1200.0 * x[i] * x[i] - 400.0 * x[i + 1] + 2.0;
    h(i, i + 1) = -400.0 * x[i];
    h(i + 1, i) = -400.0 * x[i];
    h(i + 1, i + 1) += 200.0;
  }
  return h;
}

}  // namespace ldyn::optim::problems
