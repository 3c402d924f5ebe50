#pragma once
// A neural network as the septuple of "Towards a theory of machine learning" (Vanchurin 2020):
//   (x, P_in, P_out, w, b, f, H)
//   x      state vector of all N neurons
//   P_in   input projection: the neurons clamped to the input
//   P_out  output projection: the neurons read as the output
//   w, b   weight matrix (N x N) and bias vector (N)
//   f      activation map, one function per neuron
//   H      loss: on the boundary, H_b(P_out x, t), and/or in the bulk (the hidden neurons),
//          H_bulk = 1/2 sum_{i hidden} (x_i - f_i(sum_j w_ij x_j + b_i))^2
// Activation dynamics (synchronous): x_{t+1} = f(w x_t + b) on the non-input neurons, input neurons
// held at the input, x_0 = (input, 0). For a layered network, w is block sub-diagonal and T = L
// steps give exactly the feedforward output (H_bulk = 0 there: the state is a fixed point). With a
// general (recurrent) w, x_T is the state after T steps and H_bulk measures how far it is from one.
//   H = H_b(P_out x_T, t) + lambda_bulk H_bulk(x_T),  both averaged over the samples of a batch.
// Gradients by backpropagation through the T steps (exact for the unrolled dynamics).
// Trainable variables: the entries of w inside a connectivity mask (the others are not variables at
// all, so no optimizer, however dense its metric, can make them nonzero) and b.
#include <span>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "nn/activation.hpp"
#include "nn/loss.hpp"
#include "nn/model.hpp"

namespace ldyn::nn {

template <class T>
class Septuple final : public Model<T> {
 public:
  using Matrix = MatrixX<T>;
  using Vector = Eigen::Matrix<T, Eigen::Dynamic, 1>;

  struct Spec {
    Eigen::Index neurons = 0;
    std::vector<Eigen::Index> input_neurons;   ///< P_in: indices of the clamped neurons, in input order
    std::vector<Eigen::Index> output_neurons;  ///< P_out: indices read as outputs, in output order
    std::vector<Activation> activation;        ///< f_i per neuron (size neurons)
    /// Trainable connections (neurons x neurons, 1 = w_ij may be nonzero); empty: all except into inputs.
    Eigen::Matrix<unsigned char, Eigen::Dynamic, Eigen::Dynamic> mask;
    int steps = 1;                             ///< T activation steps
    OutputLoss loss = OutputLoss::mse;
    double boundary_weight = 1.0;              ///< weight of H_b (0: bulk loss only)
    double bulk_weight = 0.0;                  ///< lambda_bulk
  };

  /// Validates the spec (indices in range and distinct, sizes, steps >= 1); InvalidOption otherwise.
  explicit Septuple(Spec spec);

  /// A fully recurrent network: n_in inputs, n_hidden hidden, n_out outputs (neurons in that order),
  /// every connection trainable except those into input neurons; w ~ N(0, gain^2 / N), b = 0.
  static Septuple recurrent(Eigen::Index n_in, Eigen::Index n_hidden, Eigen::Index n_out, Activation hidden,
                            Activation output, OutputLoss loss, int steps, double gain, std::uint64_t seed);

  const Spec& spec() const { return spec_; }
  /// The weight matrix (zero outside the mask) and the bias vector.
  Matrix w() const;
  Eigen::Map<const Vector> b() const { return {params_.data() + trainable_weights(), spec_.neurons}; }
  /// Sets w; throws std::invalid_argument if an entry outside the mask is nonzero.
  void set_w(const Matrix& w);
  void set_b(const Vector& b);
  /// Number of trainable entries of w (the first block of parameters(), column-major order).
  Eigen::Index trainable_weights() const { return static_cast<Eigen::Index>(w_index_.size()); }
  /// Hidden neurons: neither input nor output (where the bulk loss lives).
  const std::vector<Eigen::Index>& hidden_neurons() const { return hidden_; }

  /// Runs T activation steps; returns x_T (neurons x samples). States of every step are kept.
  const Matrix& activate(const Matrix& inputs);
  /// H_bulk of states x (neurons x samples), averaged over samples.
  double bulk_loss(const Matrix& x) const;
  /// Both parts of H for a batch: {boundary, bulk} (unweighted).
  std::pair<double, double> loss_parts(const Matrix& inputs, const Matrix& targets);

  // Model.
  std::string describe() const override;
  Eigen::Index inputs() const override { return static_cast<Eigen::Index>(spec_.input_neurons.size()); }
  Eigen::Index outputs() const override { return static_cast<Eigen::Index>(spec_.output_neurons.size()); }
  OutputLoss loss_kind() const override { return spec_.loss; }
  std::span<T> parameters() override { return params_; }
  std::span<const T> parameters() const override { return params_; }
  std::vector<std::size_t> blocks() const override;
  std::vector<std::string> block_names() const override;
  double loss_and_gradient(const Matrix& inputs, const Matrix& targets, std::span<T> grad) override;
  void predict(const Matrix& inputs, Matrix& outputs) override;

 private:
  void scatter_w();  // params_ -> w_
  void apply_activation(const Matrix& y, Matrix& x) const;       // per-neuron f, all rows
  void multiply_derivative(const Matrix& y, Matrix& d) const;    // d *= f'(y), per neuron
  void bulk_residual(const Matrix& x, Matrix& y, Matrix& r) const;  // y = w x + b, r = hidden rows of x - f(y)

  Spec spec_;
  ParameterVector<T> params_;             // trainable entries of w, then b
  std::vector<Eigen::Index> w_index_; // column-major index in w of each trainable entry
  Matrix w_, dw_;                     // dense w (from params_) and dH/dw
  std::vector<Eigen::Index> hidden_;
  Eigen::Matrix<T, Eigen::Dynamic, 1> input_row_;  // 1 for clamped rows
  std::vector<Matrix> xs_, ys_;  // x_0..x_T and y_0..y_{T-1} of the last activate()
};

extern template class Septuple<float>;
extern template class Septuple<double>;

}  // namespace ldyn::nn
