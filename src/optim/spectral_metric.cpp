#include "optim/spectral_metric.hpp"

namespace ldyn::optim {

template <class T>
SpectralMetric<T>::SpectralMetric(Eigen::Index n)
    : solver_(n), vectors_(Mat::Identity(n, n)), lambda_(Eigen::VectorXd::Zero(n)),
      phi_(Eigen::VectorXd::Ones(n)), work_(n) {}

template <class T>
SpectralMetric<T>::SpectralMetric(const SpectralMetric& o)
    : solver_(o.vectors_.rows()), vectors_(o.vectors_), lambda_(o.lambda_), phi_(o.phi_), work_(o.work_),
      fallback_(o.fallback_) {}

template <class T>
SpectralMetric<T>& SpectralMetric<T>::operator=(const SpectralMetric& o) {
  if (this != &o) {  // solver_ is left alone: compute() resizes its workspace as needed
    vectors_ = o.vectors_;
    lambda_ = o.lambda_;
    phi_ = o.phi_;
    work_ = o.work_;
    fallback_ = o.fallback_;
  }
  return *this;
}

template <class T>
bool SpectralMetric<T>::refresh(const Mat& kappa_lower, double scale, const StepContext& c) {
  const Eigen::Index n = kappa_lower.rows();
  solver_.compute(kappa_lower, Eigen::ComputeEigenvectors);
  bool ok = solver_.info() == Eigen::Success && solver_.eigenvalues().allFinite() &&
            solver_.eigenvectors().allFinite();
  if (ok) {
    vectors_ = solver_.eigenvectors();
    for (Eigen::Index i = 0; i < n; ++i) lambda_[i] = static_cast<double>(solver_.eigenvalues()[i]);
  } else {
    vectors_.setIdentity();
    for (Eigen::Index i = 0; i < n; ++i) lambda_[i] = static_cast<double>(kappa_lower(i, i));
  }
  set_phi(scale, c);
  fallback_ = !ok;
  return ok;
}

template <class T>
void SpectralMetric<T>::track(const Eigen::Ref<const Vec>& d, double scale, const StepContext& c) {
  if (fallback_) work_ = d;  // the basis is the identity
  else work_.noalias() = vectors_.transpose() * d;
  for (Eigen::Index i = 0; i < lambda_.size(); ++i) {
    const double a = static_cast<double>(work_[i]);
    lambda_[i] = c.b2 * lambda_[i] + c.w2 * a * a + c.eps_acc;
  }
  set_phi(scale, c);
}

template <class T>
void SpectralMetric<T>::set_phi(double scale, const StepContext& c) {
  for (Eigen::Index i = 0; i < lambda_.size(); ++i) phi_[i] = c.inverse_metric(scale * lambda_[i]);
}

template <class T>
void SpectralMetric<T>::apply_inverse(const Eigen::Ref<const Vec>& f, Eigen::Ref<Vec> out) {
  if (fallback_) {
    out = (f.array() * phi_.template cast<T>().array()).matrix();
    return;
  }
  work_.noalias() = vectors_.transpose() * f;
  work_.array() *= phi_.template cast<T>().array();
  out.noalias() = vectors_ * work_;
}

template <class T>
typename SpectralMetric<T>::Mat SpectralMetric<T>::metric() const {
  return vectors_ * phi_.cwiseInverse().template cast<T>().asDiagonal() * vectors_.transpose();
}

template class SpectralMetric<float>;
template class SpectralMetric<double>;

}  // namespace ldyn::optim
