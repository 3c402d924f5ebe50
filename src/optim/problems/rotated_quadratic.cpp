// f(x) = 1/2 x^T H x, H = Q diag(lambda) Q^T: a quadratic with a bulk of small curvatures and a few
// large ones (condition number up to ~ 60 / min lambda), in a random basis.
#include <algorithm>
#include <string>

#include "core/error.hpp"
#include "core/random.hpp"
#include "optim/problems/builtin.hpp"
#include "optim/problems/sampling.hpp"

namespace ldyn::optim::problems {

// n_high = round(dim / 10), halves rounded up: (dim + 5) / 10 in integers; at least 1 for dim >= 2
// so that every multi-dimensional instance has both scales.
Eigen::Index RotatedQuadratic::high_count(Eigen::Index dim) {
  if (dim < 2) return 0;
  return std::max<Eigen::Index>(1, (dim + 5) / 10);
}

RotatedQuadratic::RotatedQuadratic(Eigen::Index dim, std::uint64_t seed) {
  if (dim < 1)
    throw InvalidOption("--dim",
                        "rotated-quadratic needs dim >= 1 (got " + std::to_string(dim) + ")");
  Rng rng = make_stream(seed, "rotated-quadratic");

  // lambda: dim - n_high values in (0, 1) then n_high values in (30, 60), open intervals.
  const Eigen::Index n_low = dim - high_count(dim);
  eigenvalues_.resize(dim);
  for (Eigen::Index i = 0; i < dim; ++i)
    eigenvalues_[i] = i < n_low ? detail::uniform_open(rng, 0.0, 1.0)
                                : detail::uniform_open(rng, 30.0, 60.0);

  // Q: A = QR with A Gaussian. Householder QR fixes the signs of diag(R) as a function of A, which
  // makes Q alone not uniformly (Haar) distributed; multiplying column j of Q by sign(R_jj) makes R's
  // diagonal positive, the QR unique, and Q Haar (Mezzadri, "How to generate random matrices from
  // the classical compact groups", 2007).
  Matrix a(dim, dim);
  detail::fill_standard_normal(rng, a);
  const Eigen::HouseholderQR<Matrix> qr(a);
  rotation_ = qr.householderQ();
  for (Eigen::Index j = 0; j < dim; ++j)
    if (qr.matrixQR()(j, j) < 0.0) rotation_.col(j) *= -1.0;

  // H = Q diag(lambda) Q^T, symmetrized so that H is exactly symmetric in floating point (the loss,
  // gradient and Hessian then describe exactly the same quadratic).
  h_ = rotation_ * eigenvalues_.asDiagonal() * rotation_.transpose();
  h_ = (0.5 * (h_ + h_.transpose())).eval();

  // x0 ~ N(0, I) from its own stream, so the start does not move when the construction changes.
  Rng start = make_stream(seed, "rotated-quadratic-start");
  x0_.resize(dim);
  detail::fill_standard_normal(start, x0_);
  hx_.resize(dim);
}

// f = 1/2 x^T (H x)
double RotatedQuadratic::loss(const Vector& x) const {
  hx_.noalias() = h_ * x;
  return 0.5 * x.dot(hx_);
}

// g = H x (H symmetric)
void RotatedQuadratic::gradient(const Vector& x, Vector& g) const { g.noalias() = h_ * x; }

}  // namespace ldyn::optim::problems
