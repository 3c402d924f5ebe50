#pragma once
// A dense metric g = (kappa + eps_in)^alpha + eps_out held in its eigenbasis:
//   kappa = V diag(lambda) V^T,  g^{-1} = V diag(phi) V^T,  phi = 1 / ((max(lambda,0) + eps_in)^alpha + eps_out).
// Negative eigenvalues (round-off of a positive semi-definite average) are clamped to zero.
// If the eigensolver fails, the metric falls back to the diagonal of kappa and says so.
//
// Between two eigendecompositions (refresh_every > 1) the basis V is kept but lambda follows
// kappa: lambda_i = v_i^T kappa v_i, updated in O(n^2) per step by track(). Reusing the eigenvalues
// of the last refresh instead is unstable: a gradient direction kappa had not seen at the refresh
// (kappa has rank <= t at step t) gets phi(0) = eps_in^-alpha, e.g. 1e4, and the step explodes.
#include <Eigen/Dense>

#include "optim/step_context.hpp"

namespace ldyn::optim {

template <class T>
class SpectralMetric {
 public:
  using Mat = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>;
  using Vec = Eigen::Matrix<T, Eigen::Dynamic, 1>;

  explicit SpectralMetric(Eigen::Index n = 0);
  // The eigensolver is only a workspace, and Eigen's SelfAdjointEigenSolver(n) leaves its m_info
  // uninitialized until the first compute(): its implicit copy or move reads an indeterminate enum
  // (undefined behaviour; UBSan reports it when DenseEngine's block vector grows). Copies (and
  // moves, which fall back to them) therefore give the new metric a fresh workspace of its own.
  SpectralMetric(const SpectralMetric& other);
  SpectralMetric& operator=(const SpectralMetric& other);

  /// Recomputes from `scale * kappa`, reading only kappa's lower triangle (so it is symmetrized by
  /// construction). Returns false if the eigensolver failed and the diagonal fallback is in use.
  bool refresh(const Mat& kappa_lower, double scale, const StepContext& c);

  /// Without a refresh: kappa <- b2 kappa + w2 d d^T + eps_acc I moves the diagonal of kappa in the
  /// kept basis by lambda_i <- b2 lambda_i + w2 (v_i . d)^2 + eps_acc (exact: V is orthonormal), and
  /// phi follows as phi(scale * lambda_i). O(n^2), no allocation.
  void track(const Eigen::Ref<const Vec>& d, double scale, const StepContext& c);

  /// out = g^{-1} f. `out` must not alias `f`. No allocation.
  void apply_inverse(const Eigen::Ref<const Vec>& f, Eigen::Ref<Vec> out);

  /// The metric g itself (for tests and diagnostics; allocates).
  Mat metric() const;

  /// Eigenvalues mu of g (ascending order of kappa's eigenvalues).
  Eigen::Matrix<double, Eigen::Dynamic, 1> metric_eigenvalues() const { return phi_.cwiseInverse(); }

  bool diagonal_fallback() const { return fallback_; }
  void set_diagonal_fallback(bool on) { fallback_ = on; }
  Eigen::Index size() const { return phi_.size(); }

  /// Raw state, for exact checkpoints: the basis V and lambda_i = v_i^T kappa v_i (unscaled).
  /// phi is derived from lambda at every step and needs no saving.
  Mat& eigenvectors() { return vectors_; }
  const Mat& eigenvectors() const { return vectors_; }
  Eigen::Matrix<double, Eigen::Dynamic, 1>& kappa_eigenvalues() { return lambda_; }
  const Eigen::Matrix<double, Eigen::Dynamic, 1>& kappa_eigenvalues() const { return lambda_; }
  /// phi_i = 1 / mu_i, the eigenvalues of g^{-1} of the last refresh() or track().
  const Eigen::Matrix<double, Eigen::Dynamic, 1>& inverse_eigenvalues() const { return phi_; }

 private:
  void set_phi(double scale, const StepContext& c);

  Eigen::SelfAdjointEigenSolver<Mat> solver_;
  Mat vectors_;
  Eigen::Matrix<double, Eigen::Dynamic, 1> lambda_;
  Eigen::Matrix<double, Eigen::Dynamic, 1> phi_;
  Vec work_;
  bool fallback_ = false;
};

}  // namespace ldyn::optim
