#include "optim/low_rank_engine.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace ldyn::optim {

template <class T>
LowRankEngine<T>::LowRankEngine(const Options& o, std::size_t n)
    : options_(o),
      k_(static_cast<Eigen::Index>(std::min(o.rank, n))),
      m_(Vec::Zero(static_cast<Eigen::Index>(n))),
      v_(Vec::Zero(static_cast<Eigen::Index>(n))),
      sketch_(Mat::Zero(static_cast<Eigen::Index>(n), k_)),
      wide_(Mat::Zero(static_cast<Eigen::Index>(n), k_ + 1)),
      gram_(Mat::Zero(k_ + 1, k_ + 1)),
      gram_solver_(k_ + 1),
      g_(Vec::Zero(static_cast<Eigen::Index>(n))),
      d_(g_), f_(g_), delta_(g_), coef_(Vec::Zero(k_)), back_(coef_), strength_(coef_),
      residual_phi_(g_),
      basis_(sketch_),
      phi_(Eigen::VectorXd::Zero(k_)),
      effective_rank_(std::numeric_limits<double>::quiet_NaN()) {}

template <class T>
std::size_t LowRankEngine<T>::state_size() const {
  return static_cast<std::size_t>(m_.size() + v_.size() + sketch_.size());
}

template <class T>
void LowRankEngine<T>::step(const StepContext& c, Tensors<T> params, ConstTensors<T> grads,
                            double& update_sq) {
  Eigen::Index at = 0;
  for (std::size_t k = 0; k < params.size(); ++k)
    for (std::size_t i = 0; i < params[k].size(); ++i, ++at)
      g_[at] = c.gradient(grads[k][i], params[k][i]);

  const T b2 = static_cast<T>(c.b2), w2 = static_cast<T>(c.w2);
  m_ = static_cast<T>(c.b1) * m_ + static_cast<T>(c.w1) * g_;
  if (options_.source == MetricSource::centered_covariance) d_ = g_ - m_; else d_ = g_;
  v_ = (b2 * v_.array() + w2 * d_.array().square() + static_cast<T>(c.eps_acc)).matrix();
  if (options_.force == Force::gradient) f_ = g_; else f_ = static_cast<T>(c.c1) * m_;

  if (options_.source == MetricSource::identity || c.alpha == 0.0) {
    delta_ = f_ * static_cast<T>(options_.source == MetricSource::identity ? 1.0 : c.inverse_metric(0.0));
  } else {
    // Sketch update: the exponential average of d d^T, kept at rank k.
    wide_.leftCols(k_) = std::sqrt(b2) * sketch_;
    wide_.col(k_) = std::sqrt(w2) * d_;
    gram_.noalias() = wide_.transpose() * wide_;
    gram_solver_.compute(gram_, Eigen::ComputeEigenvectors);
    // Eigenvalues ascend: the last k are the top k. B = B' E_k has orthogonal columns whose
    // squared norms s_j are the eigenvalues of B B^T.
    sketch_.noalias() = wide_ * gram_solver_.eigenvectors().rightCols(k_);
    double sum = 0.0, sum_sq = 0.0;
    for (Eigen::Index j = 0; j < k_; ++j) {
      const double s = std::max(0.0, static_cast<double>(gram_solver_.eigenvalues()[j + 1]));
      strength_[j] = static_cast<T>(s);
      if (s > 0) basis_.col(j) = sketch_.col(j) / static_cast<T>(std::sqrt(s));
      else basis_.col(j).setZero();
      phi_[j] = c.inverse_metric(c.c2 * s);
      sum += 1.0 / phi_[j];
      sum_sq += 1.0 / (phi_[j] * phi_[j]);
    }
    effective_rank_ = sum * sum / sum_sq;
    // Residual diagonal r = diag(kappa) - diag(U diag(s) U^T), then phi(r) elementwise.
    // (Column by column: a product with the expression basis_.cwiseAbs2() would allocate a temporary.)
    residual_phi_.setZero();
    for (Eigen::Index j = 0; j < k_; ++j) residual_phi_.array() += strength_[j] * basis_.col(j).array().square();
    for (Eigen::Index i = 0; i < v_.size(); ++i)
      residual_phi_[i] = static_cast<T>(c.inverse_metric(c.c2 * static_cast<double>(v_[i] - residual_phi_[i])));

    // g^{-1} F = U phi U^T F + P (phi(r) * P F),  P = I - U U^T.
    coef_.noalias() = basis_.transpose() * f_;            // a = U^T F
    delta_ = f_;
    delta_.noalias() -= basis_ * coef_;                   // P F
    delta_.array() *= residual_phi_.array();              // h = phi(r) * P F
    back_.noalias() = basis_.transpose() * delta_;        // U^T h
    for (Eigen::Index j = 0; j < k_; ++j) back_[j] = static_cast<T>(phi_[j]) * coef_[j] - back_[j];
    delta_.noalias() += basis_ * back_;                   // h - U U^T h + U phi a
  }

  const T lr = static_cast<T>(c.lr), decay = static_cast<T>(c.decay);
  at = 0;
  double acc = 0.0;
  for (std::size_t k = 0; k < params.size(); ++k)
    for (std::size_t i = 0; i < params[k].size(); ++i, ++at) {
      const T dq = lr * delta_[at];
      params[k][i] = decay * params[k][i] - dq;
      acc += static_cast<double>(dq) * static_cast<double>(dq);
    }
  if (c.measure) update_sq += acc;
}

template <class T>
void LowRankEngine<T>::save(StateWriter& out) const {
  out.tag("LOWRANK-");
  out.array(std::span<const T>(m_.data(), static_cast<std::size_t>(m_.size())));
  out.array(std::span<const T>(v_.data(), static_cast<std::size_t>(v_.size())));
  out.array(std::span<const T>(sketch_.data(), static_cast<std::size_t>(sketch_.size())));
}

template <class T>
void LowRankEngine<T>::load(StateReader& in) {
  in.tag("LOWRANK-");
  in.array(std::span<T>(m_.data(), static_cast<std::size_t>(m_.size())), "first moment");
  in.array(std::span<T>(v_.data(), static_cast<std::size_t>(v_.size())), "second moment diagonal");
  in.array(std::span<T>(sketch_.data(), static_cast<std::size_t>(sketch_.size())), "low-rank sketch");
}

template class LowRankEngine<float>;
template class LowRankEngine<double>;

}  // namespace ldyn::optim
