#pragma once
// The states of a layered network seen as a septuple with both boundaries clamped: input neurons to
// the input, output neurons to the target (supervised learning), the hidden neurons free. Their
// bulk loss (the septuple's H on every non-input neuron)
//   H(x) = 1/2 sum_{l=1}^{L-1} |x_l - f_l(W_l x_{l-1} + b_l)|^2 + 1/2 |t - g(W_L x_{L-1} + b_L)|^2,
// with x_0 the input, t the target and g the output map (the output activation for an mse network,
// softmax for a cross-entropy one: then t - g is minus the cross-entropy gradient of the logits),
// is minimized over the hidden states x_1..x_{L-1} by gradient descent with a backtracking step
// (the inference phase of predictive coding). At the feedforward state H is the output error alone;
// the relaxed state spreads it over the hidden neurons. Computed in double.
#include <Eigen/Core>

#include "nn/layered_network.hpp"

namespace ldyn::nn {

struct RelaxationOptions {
  int max_steps = 200;       ///< gradient steps on the hidden states
  double tolerance = 1e-7;   ///< stop when a step lowers H by less than this fraction
};

/// Relaxed states of one batch of samples (columns).
struct ClampedStates {
  std::vector<Eigen::MatrixXd> hidden;  ///< x_1..x_{L-1} (index l - 1)
  Eigen::VectorXd bulk_loss;            ///< H of each sample at the relaxed state
  Eigen::VectorXd feedforward_loss;     ///< H of each sample at the feedforward state (output error only)
  int steps = 0;                        ///< gradient steps taken
};

/// The network's parameters in double, and the maps it applies, for the thermodynamic measurements.
class ClampedNetwork {
 public:
  explicit ClampedNetwork(const LayeredNetwork<float>& net);

  int layers() const { return static_cast<int>(w_.size()); }
  Eigen::Index hidden_neurons() const;
  /// Relaxes the hidden states for `inputs` (features x samples) clamped to `targets`.
  ClampedStates relax(const Eigen::MatrixXd& inputs, const Eigen::MatrixXd& targets, const RelaxationOptions& o) const;
  /// f_1(W_1 x_0 + b_1): what the clamped input asks of the first hidden layer (fixed during relaxation).
  Eigen::MatrixXd first_layer(const Eigen::MatrixXd& inputs) const;
  /// Per-sample H (bulk loss) of given hidden states, `first` = first_layer(inputs); also dH/dx_l
  /// when `grad` is given.
  Eigen::VectorXd bulk_loss(const Eigen::MatrixXd& first, const Eigen::MatrixXd& targets,
                            const std::vector<Eigen::MatrixXd>& hidden, std::vector<Eigen::MatrixXd>* grad = nullptr) const;
  /// ln det A of one sample, A = R^T R the Gauss–Newton matrix of H in the hidden states
  /// (R = dr/dx_hidden, the residuals' Jacobian: identity blocks on the diagonal, -J_l W_l below).
  /// With one hidden layer A = I + B^T B, B = -J_L W_L, and ln det A = ln det(I + B B^T) is taken
  /// in the (small) output dimension (Sylvester); `dense` forces the general path (for tests).
  double log_det_gauss_newton(const std::vector<Eigen::VectorXd>& hidden, bool dense = false) const;

 private:
  // f_l(y) for layer l (1-based); the output layer applies g (softmax for cross-entropy).
  Eigen::MatrixXd map(int l, const Eigen::MatrixXd& y) const;
  // J_l^T v for each sample (column of y and v; J_l = df_l/dy, diagonal or the softmax Jacobian,
  // symmetric).
  Eigen::MatrixXd map_jacobian_times(int l, const Eigen::MatrixXd& y, const Eigen::MatrixXd& v) const;
  // J_l of one sample as a dense matrix.
  Eigen::MatrixXd map_jacobian(int l, const Eigen::VectorXd& y) const;

  std::vector<Eigen::MatrixXd> w_;
  std::vector<Eigen::VectorXd> b_;
  std::vector<Activation> f_;
  bool softmax_output_ = false;
};

}  // namespace ldyn::nn
