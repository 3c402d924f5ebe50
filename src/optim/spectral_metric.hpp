#pragma once
// A dense metric g = (kappa + eps_in)^alpha + eps_out held in its eigenbasis:
//   kappa = V diag(lambda) V^T,  g^{-1} = V diag(phi) V^T,  phi = 1 / ((max(lambda,0) + eps_in)^alpha + eps_out).
// Negative eigenvalues (round-off of a positive semi-definite average) are clamped to zero.
// If the eigensolver fails, the metric falls back to the diagonal of kappa and says so.
#include <Eigen/Dense>

#include "optim/step_context.hpp"

namespace ldyn::optim {

template <class T>
class SpectralMetric {
 public:
  using Mat = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>;
  using Vec = Eigen::Matrix<T, Eigen::Dynamic, 1>;

  explicit SpectralMetric(Eigen::Index n = 0);

  /// Recomputes from `scale * kappa`, reading only kappa's lower triangle (so it is symmetrized by
  /// construction). Returns false if the eigensolver failed and the diagonal fallback is in use.
  bool refresh(const Mat& kappa_lower, double scale, const StepContext& c);

  /// out = g^{-1} f. `out` must not alias `f`. No allocation.
  void apply_inverse(const Eigen::Ref<const Vec>& f, Eigen::Ref<Vec> out);

  /// The metric g itself (for tests and diagnostics; allocates).
  Mat metric() const;

  /// Eigenvalues mu of g (ascending order of kappa's eigenvalues).
  Eigen::Matrix<double, Eigen::Dynamic, 1> metric_eigenvalues() const { return phi_.cwiseInverse(); }

  bool diagonal_fallback() const { return fallback_; }
  void set_diagonal_fallback(bool on) { fallback_ = on; }
  Eigen::Index size() const { return phi_.size(); }

  /// Raw state, for exact checkpoints.
  Mat& eigenvectors() { return vectors_; }
  const Mat& eigenvectors() const { return vectors_; }
  Eigen::Matrix<double, Eigen::Dynamic, 1>& inverse_eigenvalues() { return phi_; }
  const Eigen::Matrix<double, Eigen::Dynamic, 1>& inverse_eigenvalues() const { return phi_; }

 private:
  Eigen::SelfAdjointEigenSolver<Mat> solver_;
  Mat vectors_;
  Eigen::Matrix<double, Eigen::Dynamic, 1> phi_;
  Vec work_;
  bool fallback_ = false;
};

}  // namespace ldyn::optim
