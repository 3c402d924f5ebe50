#include "nn/layered_network.hpp"

#include <cmath>
#include <sstream>

#include "core/error.hpp"
#include "core/random.hpp"
#include "nn/parallel.hpp"
#include "nn/septuple.hpp"

namespace ldyn::nn {

std::vector<Eigen::Index> parse_layer_sizes(const std::string& text, const std::string& option) {
  std::vector<Eigen::Index> sizes;
  std::stringstream ss(text);
  std::string item;
  while (std::getline(ss, item, ',')) {
    char* end = nullptr;
    const long v = std::strtol(item.c_str(), &end, 10);
    if (item.empty() || *end != '\0' || v < 1)
      throw InvalidOption(option, "'" + text + "': every layer size must be an integer >= 1 (got '" + item + "')");
    sizes.push_back(v);
  }
  if (sizes.size() < 2)
    throw InvalidOption(option, "'" + text + "': need at least an input and an output size, e.g. 784,100,10");
  return sizes;
}

template <class T>
LayeredNetwork<T>::LayeredNetwork(LayeredSpec spec) : spec_(std::move(spec)) {
  if (spec_.sizes.size() < 2) throw InvalidOption("--layers", "need at least an input and an output size");
  for (Eigen::Index n : spec_.sizes)
    if (n < 1) throw InvalidOption("--layers", "every layer size must be >= 1 (got " + std::to_string(n) + ")");
  offsets_.assign(spec_.sizes.size(), 0);
  std::size_t total = 0;
  for (int l = 1; l <= layers(); ++l) {
    offsets_[static_cast<std::size_t>(l)] = total;
    total += static_cast<std::size_t>(size(l) * (size(l - 1) + 1));
  }
  params_.assign(total, T(0));
  x_.resize(spec_.sizes.size());
  y_.resize(spec_.sizes.size());
}

template <class T>
void LayeredNetwork<T>::initialize(Init scheme, std::uint64_t seed) {
  Rng rng = make_stream(seed, "init");
  for (int l = 1; l <= layers(); ++l) {
    const double fan_in = static_cast<double>(size(l - 1)), fan_out = static_cast<double>(size(l));
    auto w = weights(l);
    auto b = bias(l);
    // Column-major order: the draws fill W_l column by column, then b_l.
    for (Eigen::Index j = 0; j < w.cols(); ++j)
      for (Eigen::Index i = 0; i < w.rows(); ++i) {
        double v = 0;
        switch (scheme) {
          case Init::torch: v = (2 * uniform01(rng) - 1) / std::sqrt(fan_in); break;
          case Init::he: v = standard_normal(rng) * std::sqrt(2.0 / fan_in); break;
          case Init::xavier: v = (2 * uniform01(rng) - 1) * std::sqrt(6.0 / (fan_in + fan_out)); break;
        }
        w(i, j) = static_cast<T>(v);
      }
    for (Eigen::Index i = 0; i < b.size(); ++i)
      b(i) = scheme == Init::torch ? static_cast<T>((2 * uniform01(rng) - 1) / std::sqrt(fan_in)) : T(0);
  }
}

template <class T>
typename LayeredNetwork<T>::MatrixMap LayeredNetwork<T>::weights(int layer) {
  return MatrixMap(params_.data() + offset(layer), size(layer), size(layer - 1));
}
template <class T>
typename LayeredNetwork<T>::ConstMatrixMap LayeredNetwork<T>::weights(int layer) const {
  return ConstMatrixMap(params_.data() + offset(layer), size(layer), size(layer - 1));
}
template <class T>
typename LayeredNetwork<T>::VectorMap LayeredNetwork<T>::bias(int layer) {
  return VectorMap(params_.data() + offset(layer) + size(layer) * size(layer - 1), size(layer));
}
template <class T>
typename LayeredNetwork<T>::ConstVectorMap LayeredNetwork<T>::bias(int layer) const {
  return ConstVectorMap(params_.data() + offset(layer) + size(layer) * size(layer - 1), size(layer));
}

// The hot loop of training allocates nothing once the buffers have the batch's size: every product is
// written in place (.noalias()), the bias and the activation are one pass, and with several OpenMP
// threads each product and map is split over samples (columns) or neurons (rows), see parallel.hpp.
// A block is computed as the whole would be, on fewer columns or rows: one thread's result does not
// depend on the split, and a given thread count always cuts the same way (reproducible runs).
constexpr Eigen::Index kGrain = 16;  // one AVX-512 packet of floats: blocks of a column start aligned

template <class T>
const typename LayeredNetwork<T>::Matrix& LayeredNetwork<T>::forward(const Matrix& inputs) {
  if (inputs.rows() != this->inputs())
    throw InvalidOption("--layers", "the network has " + std::to_string(this->inputs()) +
                                        " inputs, the data has " + std::to_string(inputs.rows()) + " features");
  const Eigen::Index batch = inputs.cols();
  for (int l = 1; l <= layers(); ++l) {
    const auto li = static_cast<std::size_t>(l);
    const Matrix& prev = l == 1 ? inputs : x_[li - 1];
    Matrix& y = y_[li];
    Matrix& x = x_[li];
    y.resize(size(l), batch);  // no-ops when the batch size is unchanged
    x.resize(size(l), batch);
    const auto w = weights(l);
    const auto b = bias(l);
    const Activation f = activation(l);
    parallel_blocks(batch, kGrain, [&](Eigen::Index c0, Eigen::Index c1) {
      auto yb = y.middleCols(c0, c1 - c0);
      yb.noalias() = w * prev.middleCols(c0, c1 - c0);
      add_bias_and_activate<T>(f, b, yb, x.middleCols(c0, c1 - c0));
    });
  }
  return x_.back();
}

template <class T>
void LayeredNetwork<T>::backward(const Matrix& inputs, const Matrix& output_cotangent, std::span<T> grad) {
  if (grad.size() != params_.size()) throw std::invalid_argument("LayeredNetwork::backward: gradient size");
  if (output_cotangent.rows() != outputs() || output_cotangent.cols() != inputs.cols())
    throw std::invalid_argument("LayeredNetwork::backward: cotangent shape");
  const Eigen::Index batch = inputs.cols();
  // d_L = dH/dx_L * f_L'(y_L); a linear output (logits) uses the cotangent as it is, without a copy.
  const Matrix* delta = &output_cotangent;
  if (activation(layers()) != Activation::linear) {
    delta_ = output_cotangent;
    multiply_by_derivative<T>(activation(layers()), y_.back(), x_.back(), delta_);
    delta = &delta_;
  }
  for (int l = layers(); l >= 1; --l) {
    const auto li = static_cast<std::size_t>(l);
    const Matrix& prev = l == 1 ? inputs : x_[li - 1];
    const Matrix& d = *delta;
    MatrixMap dw(grad.data() + offset(l), size(l), size(l - 1));
    VectorMap db(grad.data() + offset(l) + size(l) * size(l - 1), size(l));
    // dH/dW_l = d_l x_{l-1}^T and dH/db_l = d_l 1, split over the rows (neurons of layer l): each
    // block sums over the whole batch in the serial order.
    parallel_blocks(size(l), kGrain, [&](Eigen::Index r0, Eigen::Index r1) {
      dw.middleRows(r0, r1 - r0).noalias() = d.middleRows(r0, r1 - r0) * prev.transpose();
      db.segment(r0, r1 - r0) = d.middleRows(r0, r1 - r0).rowwise().sum();
    });
    if (l > 1) {
      // The input layer's cotangent is never needed: skipping it saves the largest product.
      // d_{l-1} = (W_l^T d_l) * f'(y_{l-1}), split over the samples.
      Matrix& next = delta == &delta_ ? delta_prev_ : delta_;
      next.resize(size(l - 1), batch);
      const auto w = weights(l);
      const Activation f = activation(l - 1);
      const Matrix& y_prev = y_[li - 1];
      parallel_blocks(batch, kGrain, [&](Eigen::Index c0, Eigen::Index c1) {
        auto nb = next.middleCols(c0, c1 - c0);
        nb.noalias() = w.transpose() * d.middleCols(c0, c1 - c0);
        multiply_by_derivative<T>(f, y_prev.middleCols(c0, c1 - c0), prev.middleCols(c0, c1 - c0), nb);
      });
      delta = &next;
    }
  }
}

template <class T>
double LayeredNetwork<T>::loss_and_gradient(const Matrix& inputs, const Matrix& targets, std::span<T> grad) {
  const Matrix& out = forward(inputs);
  const double h = boundary_loss<T>(spec_.loss, out, targets, cotangent_);
  backward(inputs, cotangent_, grad);
  return h;
}

template <class T>
void LayeredNetwork<T>::predict(const Matrix& inputs, Matrix& outputs) {
  outputs = forward(inputs);
}

template <class T>
std::string LayeredNetwork<T>::describe() const {
  std::string s;
  for (Eigen::Index n : spec_.sizes) s += (s.empty() ? "" : "-") + std::to_string(n);
  s += std::string(" ") + to_string(spec_.hidden);
  if (spec_.output != Activation::linear) s += std::string(" (output ") + to_string(spec_.output) + ")";
  return s + ", " + to_string(spec_.loss);
}

template <class T>
std::vector<std::size_t> LayeredNetwork<T>::blocks() const {
  std::vector<std::size_t> b;
  for (int l = 1; l <= layers(); ++l) b.push_back(static_cast<std::size_t>(size(l) * (size(l - 1) + 1)));
  return b;
}

template <class T>
std::vector<std::string> LayeredNetwork<T>::block_names() const {
  std::vector<std::string> names;
  for (int l = 1; l <= layers(); ++l) names.push_back("layer " + std::to_string(l));
  return names;
}

template <class T>
Septuple<T> LayeredNetwork<T>::as_septuple() const {
  typename Septuple<T>::Spec s;
  Eigen::Index n = 0;
  std::vector<Eigen::Index> start;
  for (Eigen::Index k : spec_.sizes) {
    start.push_back(n);
    n += k;
  }
  s.neurons = n;
  for (Eigen::Index i = 0; i < inputs(); ++i) s.input_neurons.push_back(i);
  for (Eigen::Index i = 0; i < outputs(); ++i) s.output_neurons.push_back(start.back() + i);
  s.activation.assign(static_cast<std::size_t>(n), Activation::linear);
  s.mask.setZero(n, n);
  for (int l = 1; l <= layers(); ++l) {
    const auto a = static_cast<std::size_t>(l);
    for (Eigen::Index i = 0; i < size(l); ++i) s.activation[static_cast<std::size_t>(start[a] + i)] = activation(l);
    s.mask.block(start[a], start[a - 1], size(l), size(l - 1)).setOnes();
  }
  s.steps = layers();
  s.loss = spec_.loss;
  Septuple<T> sep(s);
  Matrix w = Matrix::Zero(n, n);
  typename Septuple<T>::Vector b = Septuple<T>::Vector::Zero(n);
  for (int l = 1; l <= layers(); ++l) {
    const auto a = static_cast<std::size_t>(l);
    w.block(start[a], start[a - 1], size(l), size(l - 1)) = weights(l);
    b.segment(start[a], size(l)) = bias(l);
  }
  sep.set_w(w);
  sep.set_b(b);
  return sep;
}

template class LayeredNetwork<float>;
template class LayeredNetwork<double>;

}  // namespace ldyn::nn
