#pragma once
// The fast path: a feedforward network of L layers on Eigen matrices, minibatch columns at a time.
//   x_0 = input,  y_l = W_l x_{l-1} + b_l,  x_l = f_l(y_l)  (l = 1..L),  H = H_boundary(x_L, t)
// Backpropagation:
//   d_L = dH/dx_L * f_L'(y_L);  dH/dW_l = d_l x_{l-1}^T;  dH/db_l = d_l 1;  d_{l-1} = (W_l^T d_l) * f'(y_{l-1})
// The parameters of layer l, W_l (column-major, n_l x n_{l-1}) then b_l, are one contiguous block
// of a flat vector: one optimizer group per layer, so that cgd-block is "dense per layer".
// This network is exactly a septuple whose weight matrix is block sub-diagonal (as_septuple()).
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "nn/activation.hpp"
#include "nn/init.hpp"
#include "nn/loss.hpp"
#include "nn/model.hpp"

namespace ldyn::nn {

struct LayeredSpec {
  std::vector<Eigen::Index> sizes;           ///< n_0 (inputs), n_1, ..., n_L (outputs)
  Activation hidden = Activation::relu;      ///< f_l for l < L
  Activation output = Activation::linear;    ///< f_L (linear: logits for cross-entropy)
  OutputLoss loss = OutputLoss::cross_entropy;
};

/// Parses "784,256,10" (the --layers option): at least two sizes, each >= 1.
std::vector<Eigen::Index> parse_layer_sizes(const std::string& text, const std::string& option = "--layers");

template <class T>
class Septuple;

template <class T>
class LayeredNetwork final : public Model<T> {
 public:
  using Matrix = MatrixX<T>;
  using MatrixMap = Eigen::Map<Matrix>;
  using ConstMatrixMap = Eigen::Map<const Matrix>;
  using VectorMap = Eigen::Map<Eigen::Matrix<T, Eigen::Dynamic, 1>>;
  using ConstVectorMap = Eigen::Map<const Eigen::Matrix<T, Eigen::Dynamic, 1>>;

  /// Zero parameters; call initialize() or set them. Throws InvalidOption("--layers") for bad sizes.
  explicit LayeredNetwork(LayeredSpec spec);

  /// Draws the parameters by `scheme` from make_stream(seed, "init").
  void initialize(Init scheme, std::uint64_t seed);

  const LayeredSpec& spec() const { return spec_; }
  int layers() const { return static_cast<int>(spec_.sizes.size()) - 1; }
  Eigen::Index size(int layer) const { return spec_.sizes[static_cast<std::size_t>(layer)]; }
  Activation activation(int layer) const { return layer == layers() ? spec_.output : spec_.hidden; }
  /// W_l and b_l (layer = 1..L) as views into parameters().
  MatrixMap weights(int layer);
  ConstMatrixMap weights(int layer) const;
  VectorMap bias(int layer);
  ConstVectorMap bias(int layer) const;
  /// Offset of layer l's block in parameters().
  std::size_t offset(int layer) const { return offsets_[static_cast<std::size_t>(layer)]; }

  /// Runs the batch forward; the returned output and the states below stay valid until the next call.
  const Matrix& forward(const Matrix& inputs);
  /// x_l (l = 1..L) and y_l of the last forward().
  const Matrix& state(int layer) const { return x_[static_cast<std::size_t>(layer)]; }
  const Matrix& preactivation(int layer) const { return y_[static_cast<std::size_t>(layer)]; }
  /// Backpropagates dH/dx_L (outputs x samples) through the last forward(); writes dH/dq into grad.
  void backward(const Matrix& inputs, const Matrix& output_cotangent, std::span<T> grad);

  // Model.
  std::string describe() const override;
  Eigen::Index inputs() const override { return spec_.sizes.front(); }
  Eigen::Index outputs() const override { return spec_.sizes.back(); }
  OutputLoss loss_kind() const override { return spec_.loss; }
  std::span<T> parameters() override { return params_; }
  std::span<const T> parameters() const override { return params_; }
  std::vector<std::size_t> blocks() const override;
  std::vector<std::string> block_names() const override;
  double loss_and_gradient(const Matrix& inputs, const Matrix& targets, std::span<T> grad) override;
  void predict(const Matrix& inputs, Matrix& outputs) override;

  /// The same network as a septuple: one state vector of all sum n_l neurons (inputs first),
  /// block sub-diagonal w, L activation steps.
  Septuple<T> as_septuple() const;

 private:
  LayeredSpec spec_;
  ParameterVector<T> params_;
  std::vector<std::size_t> offsets_;  // offsets_[l] = start of layer l's block (l = 1..L; [0] unused)
  std::vector<Matrix> x_, y_;         // x_[l], y_[l] for l = 1..L (index 0 unused: the input is not copied)
  std::vector<Matrix> delta_;         // d_l (l = 1..L) of the last backward(), reused between batches
  Matrix cotangent_;
};

extern template class LayeredNetwork<float>;
extern template class LayeredNetwork<double>;

}  // namespace ldyn::nn
