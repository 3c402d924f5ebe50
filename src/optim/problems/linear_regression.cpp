// Least squares on seeded synthetic data; the one test problem whose gradient noise is real
// minibatch noise. Equations and data generation are documented in builtin.hpp.
#include <cmath>
#include <string>

#include "core/error.hpp"
#include "core/random.hpp"
#include "optim/problems/builtin.hpp"
#include "optim/problems/sampling.hpp"

namespace ldyn::optim::problems {

LinearRegression::LinearRegression(Eigen::Index dim, std::uint64_t seed, Eigen::Index batch)
    : batch_(batch) {
  if (dim < 1)
    throw InvalidOption("--dim",
                        "linear-regression needs dim >= 1 (got " + std::to_string(dim) + ")");
  if (batch < 1) throw InvalidOption("--batch", "must be >= 1 (got " + std::to_string(batch) + ")");
  const Eigen::Index n = samples;
  Rng rng = make_stream(seed, "linear-regression");

  // X_ij = s_j z_ij, s_j = 10^(-1 + 2 j / (dim - 1)): feature scales spread over two decades make
  // X^T X / N ill-conditioned (eigenvalues ~ s_j^2, from 1e-2 to 1e2).
  Matrix x(n, dim);
  detail::fill_standard_normal(rng, x);
  for (Eigen::Index j = 0; j < dim; ++j) {
    const double e = dim == 1 ? 0.0
                              : -1.0 + 2.0 * static_cast<double>(j) / static_cast<double>(dim - 1);
    x.col(j) *= std::pow(10.0, e);
  }

  // y = X w_true + 0.1 e
  w_true_.resize(dim);
  detail::fill_standard_normal(rng, w_true_);
  Vector e(n);
  detail::fill_standard_normal(rng, e);
  y_ = x * w_true_ + label_noise * e;

  xt_ = x.transpose();
  // H = X^T X / N (constant: the loss is quadratic)
  hessian_ = (x.transpose() * x) / static_cast<double>(n);

  // The least-squares solution w_hat = argmin ||X w - y||, by column-pivoted QR of X itself
  // (backward stable; the normal equations would square the condition number).
  w_hat_ = x.colPivHouseholderQr().solve(y_);
  r_.resize(n);
  minimum_loss_ = loss(w_hat_);
}

// r = X w - y
void LinearRegression::residual(const Vector& w) const {
  r_.noalias() = xt_.transpose() * w;
  r_ -= y_;
}

// f = 1/(2N) ||X w - y||^2
double LinearRegression::loss(const Vector& w) const {
  residual(w);
  return 0.5 * r_.squaredNorm() / static_cast<double>(samples);
}

// g = 1/N X^T (X w - y)
void LinearRegression::gradient(const Vector& w, Vector& g) const {
  residual(w);
  g.noalias() = xt_ * r_;
  g /= static_cast<double>(samples);
}

// g = 1/B sum_k x_{i_k} (x_{i_k}^T w - y_{i_k}), i_k uniform with replacement. With replacement the
// draws are independent, so E[g] = 1/N sum_i x_i (x_i^T w - y_i) = the exact gradient and
// Cov[g] = 1/B Cov_i[x_i r_i] (no finite-population correction).
void LinearRegression::stochastic_gradient(const Vector& w, Vector& g, Rng& rng) const {
  g.setZero();
  for (Eigen::Index k = 0; k < batch_; ++k) {
    const Eigen::Index i = detail::uniform_index(rng, samples);
    const double r = xt_.col(i).dot(w) - y_[i];
    g += r * xt_.col(i);
  }
  g /= static_cast<double>(batch_);
}

}  // namespace ldyn::optim::problems
