#pragma once
// The concrete test problems behind make_problem(). Most code should go through make_problem();
// the classes are public so that tests (and experiments) can reach problem-specific facts such as
// the quadratic's eigenvalues or the regression's data.
//
// Thread safety: gradient(), loss() and stochastic_gradient() write into mutable workspaces (they
// run millions of times and must not allocate), so one instance must not be used from several
// threads at once. Build one problem per thread (they are cheap and deterministic in the seed).
#include <cstdint>

#include "optim/problems/problem.hpp"

namespace ldyn::optim::problems {

/// N-D Rosenbrock (the "extended" chained form, N >= 2):
///   f(x) = sum_{i=0}^{N-2} [ 100 (x_{i+1} - x_i^2)^2 + (1 - x_i)^2 ],
/// minimizer x* = (1, ..., 1), f* = 0. Start: the classic (-1.2, 1) repeated, i.e. 0-based
/// x_{2k} = -1.2 and x_{2k+1} = 1 (1-based: odd coordinates -1.2, even ones 1); for odd N the last
/// coordinate is -1.2.
class Rosenbrock final : public Problem {
 public:
  static constexpr Eigen::Index default_dim = 2;
  explicit Rosenbrock(Eigen::Index dim = default_dim);  ///< dim >= 2, else InvalidOption("--dim")

  std::string name() const override { return "rosenbrock"; }
  Eigen::Index dim() const override { return dim_; }
  Vector initial_point() const override;
  double loss(const Vector& x) const override;
  void gradient(const Vector& x, Vector& g) const override;
  Vector minimizer() const override { return Vector::Ones(dim_); }
  Matrix hessian(const Vector& x) const override;

 private:
  Eigen::Index dim_;
};

/// 2-D Beale:
///   f(x, y) = (1.5 - x + x y)^2 + (2.25 - x + x y^2)^2 + (2.625 - x + x y^3)^2,
/// minimizer (3, 0.5), f* = 0. Start (1, 1), f = 14.203125.
class Beale final : public Problem {
 public:
  std::string name() const override { return "beale"; }
  Eigen::Index dim() const override { return 2; }
  Vector initial_point() const override { return Vector::Ones(2); }
  double loss(const Vector& x) const override;
  void gradient(const Vector& x, Vector& g) const override;
  Vector minimizer() const override;
  Matrix hessian(const Vector& x) const override;
};

/// f(x) = 1/2 x^T H x with H = Q diag(lambda) Q^T: an ill-conditioned quadratic whose eigenbasis is
/// not aligned with the coordinates (so diagonal preconditioners cannot simply undo it).
/// lambda: the first dim - n_high uniform in (0, 1), the last n_high uniform in (30, 60), with
/// n_high = round(dim / 10) (halves up), at least 1 when dim >= 2 (0 for dim = 1).
/// Q: Haar-random orthogonal (QR of a Gaussian matrix, signs fixed so that diag(R) > 0).
/// Both from make_stream(seed, "rotated-quadratic"), eigenvalues drawn first.
/// Start x0 ~ N(0, I) from make_stream(seed, "rotated-quadratic-start"). Minimizer 0, f* = 0.
class RotatedQuadratic final : public Problem {
 public:
  static constexpr Eigen::Index default_dim = 100;
  explicit RotatedQuadratic(Eigen::Index dim = default_dim, std::uint64_t seed = 1);  ///< dim >= 1

  std::string name() const override { return "rotated-quadratic"; }
  Eigen::Index dim() const override { return h_.rows(); }
  Vector initial_point() const override { return x0_; }
  double loss(const Vector& x) const override;
  void gradient(const Vector& x, Vector& g) const override;
  Vector minimizer() const override { return Vector::Zero(dim()); }
  Matrix hessian(const Vector&) const override { return h_; }

  /// The number of eigenvalues in (30, 60) for a given dimension.
  static Eigen::Index high_count(Eigen::Index dim);
  /// lambda, in the order drawn (low ones first), and Q (columns = eigenvectors).
  const Vector& eigenvalues() const { return eigenvalues_; }
  const Matrix& rotation() const { return rotation_; }

 private:
  Vector eigenvalues_;
  Matrix rotation_;
  Matrix h_;
  Vector x0_;
  mutable Vector hx_;  // workspace for loss(): H x
};

/// Least squares on seeded synthetic data, N = 1000 samples of dim features:
///   X_ij = s_j z_ij, z ~ N(0, 1), s_j = 10^(-1 + 2 j / (dim - 1)) (s = 1 for dim = 1),
///   w_true ~ N(0, I), y = X w_true + 0.1 e, e ~ N(0, I),
/// all from make_stream(seed, "linear-regression") in that order (X column by column).
///   loss(w)     = 1/(2N) ||X w - y||^2            (full data, exact)
///   gradient(w) = 1/N X^T (X w - y)
///   hessian     = 1/N X^T X                       (condition number ~ 1e4 from the scales)
///   stochastic_gradient(w) = 1/B sum_{k<B} x_{i_k} (x_{i_k}^T w - y_{i_k}),
///     i_k uniform in [0, N) with replacement, drawn from the rng passed in: an unbiased estimate
///     whose noise is the minibatch noise.
/// The minimizer is the least-squares solution (column-pivoted Householder QR of X, computed once),
/// minimum_loss() = loss(minimizer()). Start w = 0.
class LinearRegression final : public Problem {
 public:
  static constexpr Eigen::Index default_dim = 10;
  static constexpr Eigen::Index samples = 1000;
  static constexpr double label_noise = 0.1;
  /// dim >= 1, batch >= 1 (else InvalidOption("--dim" / "--batch")).
  explicit LinearRegression(Eigen::Index dim = default_dim, std::uint64_t seed = 1,
                            Eigen::Index batch = 32);

  std::string name() const override { return "linear-regression"; }
  Eigen::Index dim() const override { return xt_.rows(); }
  Vector initial_point() const override { return Vector::Zero(dim()); }
  double loss(const Vector& w) const override;
  void gradient(const Vector& w, Vector& g) const override;
  void stochastic_gradient(const Vector& w, Vector& g, Rng& rng) const override;
  double minimum_loss() const override { return minimum_loss_; }
  Vector minimizer() const override { return w_hat_; }
  Matrix hessian(const Vector&) const override { return hessian_; }

  Eigen::Index batch() const { return batch_; }
  /// The data: X^T (dim x N, one sample per column), y, and the weights that generated y.
  const Matrix& features_transposed() const { return xt_; }
  const Vector& targets() const { return y_; }
  const Vector& true_weights() const { return w_true_; }

 private:
  /// r = X w - y into the workspace.
  void residual(const Vector& w) const;

  Eigen::Index batch_;
  Matrix xt_;  // X^T: sample i is the contiguous column i (the minibatch loop reads whole samples)
  Vector y_;
  Vector w_true_;
  Vector w_hat_;
  Matrix hessian_;
  double minimum_loss_ = 0;
  mutable Vector r_;  // workspace: residual X w - y, length N
};

}  // namespace ldyn::optim::problems
