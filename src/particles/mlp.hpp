#pragma once
// The learner's function: a tiny multilayer perceptron evaluated for all particles at once.
//   hidden > 0:  out = tanh(W2 tanh(W1 x + b1) + b2)      hidden == 0:  out = tanh(W x + b)
// Parameters live in one flat vector (W1 column-major, b1, W2, b2), the layout the optimizer and
// the evolution strategy perturb and update.
#include <span>
#include <vector>

#include <Eigen/Core>

namespace ldyn::particles {

using Matrixf = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic>;

class Mlp {
 public:
  Mlp() = default;
  Mlp(long inputs, long hidden, long outputs);

  long inputs() const { return inputs_; }
  long hidden() const { return hidden_; }
  long outputs() const { return outputs_; }
  std::size_t parameter_count() const { return theta_.size(); }
  std::span<float> parameters() { return theta_; }
  std::span<const float> parameters() const { return theta_; }

  /// Out (outputs x N) = f(X) for X (inputs x N); `hidden_out` holds the hidden layer (for backward).
  void forward(const Matrixf& X, Matrixf& hidden_out, Matrixf& out) const;
  /// Adds to `grad` (parameter_count) the gradient of sum(dOut .* out) given dOut = dL/d(out),
  /// from the X, hidden and out of forward(). `scratch` avoids allocation across calls.
  void backward(const Matrixf& X, const Matrixf& hidden_out, const Matrixf& out, const Matrixf& d_out,
                std::span<float> grad, Matrixf& scratch) const;

 private:
  long inputs_ = 0, hidden_ = 0, outputs_ = 0;
  std::vector<float> theta_;
};

}  // namespace ldyn::particles
