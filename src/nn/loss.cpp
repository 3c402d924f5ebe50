#include "nn/loss.hpp"

#include <cmath>

#include "core/error.hpp"

namespace ldyn::nn {

const char* to_string(OutputLoss l) { return l == OutputLoss::mse ? "mse" : "cross-entropy"; }

OutputLoss output_loss_from_string(const std::string& name, const std::string& option) {
  if (name == "mse") return OutputLoss::mse;
  if (name == "cross-entropy" || name == "cross_entropy" || name == "ce") return OutputLoss::cross_entropy;
  throw InvalidOption(option, "unknown loss '" + name + "' (one of: mse, cross-entropy)");
}

namespace {

// -log softmax(x)_k for every k of one column, via the log-sum-exp shift that keeps exp() finite.
template <class T>
double column_cross_entropy(const MatrixX<T>& x, const MatrixX<T>& t, Eigen::Index s, T* grad_col, double inv_b) {
  const Eigen::Index k = x.rows();
  double mx = -INFINITY;
  for (Eigen::Index i = 0; i < k; ++i) mx = std::max(mx, static_cast<double>(x(i, s)));
  double z = 0;
  for (Eigen::Index i = 0; i < k; ++i) z += std::exp(static_cast<double>(x(i, s)) - mx);
  const double log_z = mx + std::log(z);
  double h = 0, t_sum = 0;
  for (Eigen::Index i = 0; i < k; ++i) {
    const double ti = static_cast<double>(t(i, s));
    if (ti != 0) h -= ti * (static_cast<double>(x(i, s)) - log_z);
    t_sum += ti;
  }
  if (grad_col)
    for (Eigen::Index i = 0; i < k; ++i) {
      const double p = std::exp(static_cast<double>(x(i, s)) - log_z);
      // d/dx_i of -sum_k t_k log p_k = p_i sum_k t_k - t_i (sum t = 1 for one-hot targets).
      grad_col[i] = static_cast<T>((p * t_sum - static_cast<double>(t(i, s))) * inv_b);
    }
  return h;
}

template <class T>
double loss_impl(OutputLoss loss, const MatrixX<T>& x, const MatrixX<T>& targets, MatrixX<T>* grad) {
  if (x.rows() != targets.rows() || x.cols() != targets.cols())
    throw InvalidOption("--layers", "the network has " + std::to_string(x.rows()) + " outputs, the data " +
                                        std::to_string(targets.rows()) + " targets per sample");
  const Eigen::Index b = x.cols();
  if (grad) grad->resize(x.rows(), b);
  if (b == 0) return 0.0;
  const double inv_b = 1.0 / static_cast<double>(b);
  double sum = 0;
  if (loss == OutputLoss::mse) {
    for (Eigen::Index s = 0; s < b; ++s)
      for (Eigen::Index i = 0; i < x.rows(); ++i) {
        const double r = static_cast<double>(x(i, s)) - static_cast<double>(targets(i, s));
        sum += 0.5 * r * r;
        if (grad) (*grad)(i, s) = static_cast<T>(r * inv_b);
      }
  } else {
    for (Eigen::Index s = 0; s < b; ++s)
      sum += column_cross_entropy(x, targets, s, grad ? grad->col(s).data() : nullptr, inv_b);
  }
  return sum * inv_b;
}

}  // namespace

template <class T>
double boundary_loss(OutputLoss loss, const MatrixX<T>& x, const MatrixX<T>& targets, MatrixX<T>& grad) {
  return loss_impl<T>(loss, x, targets, &grad);
}

template <class T>
double boundary_loss(OutputLoss loss, const MatrixX<T>& x, const MatrixX<T>& targets) {
  return loss_impl<T>(loss, x, targets, nullptr);
}

template <class T>
long count_correct(const MatrixX<T>& x, const MatrixX<T>& targets) {
  long n = 0;
  for (Eigen::Index s = 0; s < x.cols(); ++s) {
    Eigen::Index px = 0, pt = 0;
    x.col(s).maxCoeff(&px);
    targets.col(s).maxCoeff(&pt);
    n += px == pt;
  }
  return n;
}

#define LDYN_INSTANTIATE(T)                                                                         \
  template double boundary_loss<T>(OutputLoss, const MatrixX<T>&, const MatrixX<T>&, MatrixX<T>&); \
  template double boundary_loss<T>(OutputLoss, const MatrixX<T>&, const MatrixX<T>&);              \
  template long count_correct<T>(const MatrixX<T>&, const MatrixX<T>&);
LDYN_INSTANTIATE(float)
LDYN_INSTANTIATE(double)
#undef LDYN_INSTANTIATE

}  // namespace ldyn::nn
