#pragma once
// A decorator adding Gaussian noise to the gradient an optimizer sees:
//   g = inner.stochastic_gradient(x) + sigma L z,   z ~ N(0, I) from the rng passed in,
// with L L^T = H* = inner.hessian(inner.minimizer()) (NoiseShape::hessian) or L = I (isotropic).
// The noise covariance is then sigma^2 H* or sigma^2 I. Everything else (loss, exact gradient,
// Hessian, minimizer) is the inner problem's. For linear regression the inner stochastic gradient is
// already a minibatch gradient, so --noise adds this on top of the minibatch noise.
#include <memory>

#include "optim/problems/problem.hpp"

namespace ldyn::optim::problems {

class NoisyProblem final : public Problem {
 public:
  /// sigma must be finite and >= 0 (else InvalidOption("--noise")); inner must not be null.
  NoisyProblem(std::unique_ptr<Problem> inner, double sigma, NoiseShape shape);

  std::string name() const override { return inner_->name(); }
  Eigen::Index dim() const override { return inner_->dim(); }
  Vector initial_point() const override { return inner_->initial_point(); }
  double loss(const Vector& x) const override { return inner_->loss(x); }
  void gradient(const Vector& x, Vector& g) const override { inner_->gradient(x, g); }
  void stochastic_gradient(const Vector& x, Vector& g, Rng& rng) const override;
  double minimum_loss() const override { return inner_->minimum_loss(); }
  Vector minimizer() const override { return inner_->minimizer(); }
  Matrix hessian(const Vector& x) const override { return inner_->hessian(x); }

  double sigma() const { return sigma_; }
  NoiseShape shape() const { return shape_; }
  const Problem& inner() const { return *inner_; }
  /// L (without sigma): the symmetric square root of H* for the hessian shape, I for isotropic.
  Matrix noise_factor() const;

 private:
  std::unique_ptr<Problem> inner_;
  double sigma_;
  NoiseShape shape_;
  Matrix scaled_factor_;  // sigma L, hessian shape only (folding sigma in saves a pass per draw)
  mutable Vector z_;      // workspace: the N(0, I) draw
};

}  // namespace ldyn::optim::problems
