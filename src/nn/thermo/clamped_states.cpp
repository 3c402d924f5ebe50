#include "nn/thermo/clamped_states.hpp"

#include <cmath>

#include <Eigen/Cholesky>

#include "core/error.hpp"

namespace ldyn::nn {

ClampedNetwork::ClampedNetwork(const LayeredNetwork<float>& net) : softmax_output_(net.loss_kind() == OutputLoss::cross_entropy) {
  for (int l = 1; l <= net.layers(); ++l) {
    w_.push_back(net.weights(l).cast<double>());
    b_.push_back(net.bias(l).cast<double>());
    f_.push_back(net.activation(l));
  }
  if (softmax_output_ && net.activation(net.layers()) != Activation::linear)
    throw InvalidOption("--output-activation", "a cross-entropy network's outputs are logits (linear); softmax is its output map");
}

Eigen::Index ClampedNetwork::hidden_neurons() const {
  Eigen::Index n = 0;
  for (int l = 1; l < layers(); ++l) n += w_[static_cast<std::size_t>(l - 1)].rows();
  return n;
}

Eigen::MatrixXd ClampedNetwork::map(int l, const Eigen::MatrixXd& y) const {
  if (l == layers() && softmax_output_) {
    Eigen::MatrixXd p = (y.rowwise() - y.colwise().maxCoeff()).array().exp().matrix();
    p.array().rowwise() /= p.colwise().sum().array();
    return p;
  }
  Eigen::MatrixXd x(y.rows(), y.cols());
  activate<double>(f_[static_cast<std::size_t>(l - 1)], y, x);
  return x;
}

Eigen::MatrixXd ClampedNetwork::map_jacobian_times(int l, const Eigen::MatrixXd& y, const Eigen::MatrixXd& v) const {
  if (l == layers() && softmax_output_) {
    // (diag p - p p^T) v, column by column.
    const Eigen::MatrixXd p = map(l, y);
    Eigen::MatrixXd out = p.cwiseProduct(v);
    out -= p * (p.cwiseProduct(v).colwise().sum()).asDiagonal();
    return out;
  }
  Eigen::MatrixXd x = map(l, y), d = v;
  multiply_by_derivative<double>(f_[static_cast<std::size_t>(l - 1)], y, x, d);
  return d;
}

Eigen::MatrixXd ClampedNetwork::map_jacobian(int l, const Eigen::VectorXd& y) const {
  if (l == layers() && softmax_output_) {
    const Eigen::VectorXd p = map(l, y);
    Eigen::MatrixXd j = -p * p.transpose();
    j.diagonal() += p;
    return j;
  }
  return map_jacobian_times(l, y, Eigen::VectorXd::Ones(y.size())).col(0).asDiagonal();
}

Eigen::MatrixXd ClampedNetwork::first_layer(const Eigen::MatrixXd& inputs) const {
  Eigen::MatrixXd y = w_[0] * inputs;
  y.colwise() += b_[0];
  return map(1, y);
}

Eigen::VectorXd ClampedNetwork::bulk_loss(const Eigen::MatrixXd& first, const Eigen::MatrixXd& targets,
                                          const std::vector<Eigen::MatrixXd>& hidden, std::vector<Eigen::MatrixXd>* grad) const {
  const int L = layers();
  Eigen::VectorXd h = Eigen::VectorXd::Zero(first.cols());
  if (grad) {
    grad->resize(hidden.size());
    for (std::size_t i = 0; i < hidden.size(); ++i) (*grad)[i] = Eigen::MatrixXd::Zero(hidden[i].rows(), hidden[i].cols());
  }
  for (int l = 1; l <= L; ++l) {
    const auto li = static_cast<std::size_t>(l - 1);
    Eigen::MatrixXd y;
    if (l > 1) {
      y = w_[li] * hidden[li - 1];
      y.colwise() += b_[li];
    }
    const Eigen::MatrixXd& x = l == L ? targets : hidden[li];
    const Eigen::MatrixXd r = x - (l == 1 ? first : map(l, y));
    h += 0.5 * r.colwise().squaredNorm().transpose();
    if (!grad) continue;
    // dH/dx_l = r_l (own residual) and dH/dx_{l-1} = -W_l^T J_l^T r_l (the residual it drives).
    if (l < L) (*grad)[li] += r;
    if (l > 1) (*grad)[li - 1] -= w_[li].transpose() * map_jacobian_times(l, y, r);
  }
  return h;
}

ClampedStates ClampedNetwork::relax(const Eigen::MatrixXd& inputs, const Eigen::MatrixXd& targets,
                                    const RelaxationOptions& o) const {
  if (layers() < 2) throw InvalidOption("--layers", "the bulk loss lives on hidden neurons: the network needs a hidden layer");
  ClampedStates s;
  // Start at the feedforward state, where every hidden residual is zero.
  const Eigen::MatrixXd first = first_layer(inputs);
  s.hidden.push_back(first);
  for (int l = 2; l < layers(); ++l) {
    Eigen::MatrixXd y = w_[static_cast<std::size_t>(l - 1)] * s.hidden.back();
    y.colwise() += b_[static_cast<std::size_t>(l - 1)];
    s.hidden.push_back(map(l, y));
  }
  std::vector<Eigen::MatrixXd> grad, trial(s.hidden.size());
  Eigen::VectorXd h = bulk_loss(first, targets, s.hidden, &grad);
  s.feedforward_loss = h;
  double step = 0.5;
  for (s.steps = 0; s.steps < o.max_steps; ++s.steps) {
    const double total = h.sum();
    bool accepted = false;
    Eigen::VectorXd ht;
    for (int tries = 0; tries < 40 && !accepted; ++tries) {
      for (std::size_t i = 0; i < s.hidden.size(); ++i) trial[i] = s.hidden[i] - step * grad[i];
      ht = bulk_loss(first, targets, trial);
      accepted = ht.sum() <= total;
      if (!accepted) step *= 0.5;
    }
    if (!accepted) break;
    s.hidden.swap(trial);
    const double decrease = total - ht.sum();
    h = bulk_loss(first, targets, s.hidden, &grad);
    step *= 1.5;
    if (decrease <= o.tolerance * std::max(total, 1e-300)) {
      ++s.steps;
      break;
    }
  }
  s.bulk_loss = h;
  return s;
}

double ClampedNetwork::log_det_gauss_newton(const std::vector<Eigen::VectorXd>& hidden, bool dense) const {
  const int L = layers();
  if (L == 2 && !dense) {
    const Eigen::VectorXd y = w_[1] * hidden[0] + b_[1];
    const Eigen::MatrixXd b = map_jacobian(2, y) * w_[1];
    Eigen::MatrixXd small = b * b.transpose();
    small.diagonal().array() += 1.0;
    const Eigen::LLT<Eigen::MatrixXd> llt(small);
    if (llt.info() != Eigen::Success) throw NonFiniteError("the Gauss-Newton matrix of the bulk loss is not positive definite");
    return 2 * llt.matrixLLT().diagonal().array().log().sum();
  }
  const Eigen::Index n = hidden_neurons();
  std::vector<Eigen::Index> start(static_cast<std::size_t>(L), 0);
  for (int l = 2; l < L; ++l) start[static_cast<std::size_t>(l - 1)] = start[static_cast<std::size_t>(l - 2)] + hidden[static_cast<std::size_t>(l - 2)].size();
  Eigen::MatrixXd a = Eigen::MatrixXd::Zero(n, n);
  // Residual block l (l = 1..L) depends on x_l (identity, hidden l only) and x_{l-1}
  // (B_l = -J_l W_l, l >= 2): A = sum_l R_l^T R_l.
  for (int l = 1; l <= L; ++l) {
    const auto li = static_cast<std::size_t>(l - 1);
    if (l < L) a.block(start[li], start[li], hidden[li].size(), hidden[li].size()).diagonal().array() += 1.0;
    if (l == 1) continue;
    const Eigen::VectorXd& prev = hidden[li - 1];
    Eigen::VectorXd y = w_[li] * prev + b_[li];
    const Eigen::MatrixXd b = -map_jacobian(l, y) * w_[li];  // B_l = dr_l/dx_{l-1} = -J_l W_l
    const Eigen::Index p = start[li - 1], np = prev.size();
    a.block(p, p, np, np).noalias() += b.transpose() * b;
    if (l < L) {
      a.block(start[li], p, hidden[li].size(), np) += b;  // R_l^T R_l cross terms: I^T B_l and B_l^T I
      a.block(p, start[li], np, hidden[li].size()) += b.transpose();
    }
  }
  const Eigen::LLT<Eigen::MatrixXd> llt(a);
  if (llt.info() != Eigen::Success) throw NonFiniteError("the Gauss-Newton matrix of the bulk loss is not positive definite");
  return 2 * llt.matrixLLT().diagonal().array().log().sum();
}

}  // namespace ldyn::nn
