// Gaussian gradient noise with a chosen covariance, around any problem. See noisy_problem.hpp.
#include "optim/problems/noisy_problem.hpp"

#include <cmath>
#include <stdexcept>
#include <string>
#include <utility>

#include "core/error.hpp"
#include "optim/problems/sampling.hpp"

namespace ldyn::optim::problems {
namespace {

// The symmetric square root of H* = V diag(mu) V^T:
//   L = V diag(sqrt(max(mu, 0))) V^T,  so L L^T = L^2 = H* on its positive part.
// Eigenvalues below 0 (rounding at a minimum, or a saddle-like minimizer) are clamped: a covariance
// cannot be negative. The symmetric root (rather than Cholesky) needs no positive definiteness.
Matrix symmetric_sqrt(const Matrix& h) {
  const Matrix sym = 0.5 * (h + h.transpose());
  const Eigen::SelfAdjointEigenSolver<Matrix> eig(sym);
  if (eig.info() != Eigen::Success)
    throw std::runtime_error("noisy problem: eigen-decomposition of the Hessian at the minimum failed");
  const Vector root = eig.eigenvalues().cwiseMax(0.0).cwiseSqrt();
  Matrix l = eig.eigenvectors() * root.asDiagonal() * eig.eigenvectors().transpose();
  return 0.5 * (l + l.transpose());
}

}  // namespace

NoisyProblem::NoisyProblem(std::unique_ptr<Problem> inner, double sigma, NoiseShape shape)
    : inner_(std::move(inner)), sigma_(sigma), shape_(shape) {
  if (!inner_) throw std::invalid_argument("NoisyProblem: inner problem is null");
  if (!(sigma >= 0.0) || !std::isfinite(sigma))
    throw InvalidOption("--noise", "must be a finite number >= 0 (got " + std::to_string(sigma) + ")");
  // H* is computed once: the noise shape is fixed, like minibatch noise near the minimum.
  if (shape_ == NoiseShape::hessian)
    scaled_factor_ = sigma_ * symmetric_sqrt(inner_->hessian(inner_->minimizer()));
  z_.resize(inner_->dim());
}

Matrix NoisyProblem::noise_factor() const {
  if (shape_ == NoiseShape::isotropic) return Matrix::Identity(dim(), dim());
  return symmetric_sqrt(inner_->hessian(inner_->minimizer()));
}

// g = inner stochastic gradient + sigma L z
void NoisyProblem::stochastic_gradient(const Vector& x, Vector& g, Rng& rng) const {
  inner_->stochastic_gradient(x, g, rng);
  detail::fill_standard_normal(rng, z_);
  if (shape_ == NoiseShape::hessian)
    g.noalias() += scaled_factor_ * z_;
  else
    g += sigma_ * z_;
}

}  // namespace ldyn::optim::problems
