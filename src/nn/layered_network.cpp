#include "nn/layered_network.hpp"

#include <cmath>
#include <sstream>
#include <tuple>

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
  delta_.resize(spec_.sizes.size());
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
// written in place (.noalias()), the bias and the activation are one pass. With several OpenMP threads
// a step has three parallel regions (few synchronizations: they dominate on a loaded machine):
//   forward, all layers     split over samples (columns): a sample's states need no other sample's;
//   d_L .. d_1, all layers  split over samples, likewise;
//   dH/dW_l, dH/db_l        split over neurons (rows of each layer), each summing over the whole batch.
// A block is computed as the whole would be, on fewer columns or rows, and a given thread count
// always cuts the same way: runs are reproducible for a seed and --threads (parallel.hpp).
constexpr Eigen::Index kGrain = 16;  // one AVX-512 packet of floats: blocks of a column start aligned

template <class T>
const typename LayeredNetwork<T>::Matrix& LayeredNetwork<T>::forward(const Matrix& inputs) {
  if (inputs.rows() != this->inputs())
    throw InvalidOption("--layers", "the network has " + std::to_string(this->inputs()) +
                                        " inputs, the data has " + std::to_string(inputs.rows()) + " features");
  const Eigen::Index batch = inputs.cols();
  for (int l = 1; l <= layers(); ++l) {
    const auto li = static_cast<std::size_t>(l);
    y_[li].resize(size(l), batch);  // no-ops when the batch size is unchanged
    x_[li].resize(size(l), batch);
  }
  parallel_blocks(batch, kGrain, [&](Eigen::Index c0, Eigen::Index c1) {
    for (int l = 1; l <= layers(); ++l) {
      const auto li = static_cast<std::size_t>(l);
      const Matrix& prev = l == 1 ? inputs : x_[li - 1];
      auto y = y_[li].middleCols(c0, c1 - c0);
      y.noalias() = weights(l) * prev.middleCols(c0, c1 - c0);
      add_bias_and_activate<T>(activation(l), bias(l), y, x_[li].middleCols(c0, c1 - c0));
    }
  });
  return x_.back();
}

template <class T>
void LayeredNetwork<T>::backward(const Matrix& inputs, const Matrix& output_cotangent, std::span<T> grad) {
  if (grad.size() != params_.size()) throw std::invalid_argument("LayeredNetwork::backward: gradient size");
  const Eigen::Index batch = inputs.cols();
  if (output_cotangent.rows() != outputs() || output_cotangent.cols() != batch)
    throw std::invalid_argument("LayeredNetwork::backward: cotangent shape");
  for (int l = 1; l <= layers(); ++l) delta_[static_cast<std::size_t>(l)].resize(size(l), batch);
  const int L = layers();
  // d_L = dH/dx_L * f_L'(y_L); d_{l-1} = (W_l^T d_l) * f'(y_{l-1}). The input layer's cotangent is
  // never needed: skipping it saves the largest product.
  parallel_blocks(batch, kGrain, [&](Eigen::Index c0, Eigen::Index c1) {
    const Eigen::Index n = c1 - c0;
    auto d_out = delta_.back().middleCols(c0, n);
    d_out = output_cotangent.middleCols(c0, n);
    multiply_by_derivative<T>(activation(L), y_.back().middleCols(c0, n), x_.back().middleCols(c0, n), d_out);
    for (int l = L; l > 1; --l) {
      const auto li = static_cast<std::size_t>(l);
      auto d = delta_[li - 1].middleCols(c0, n);
      d.noalias() = weights(l).transpose() * delta_[li].middleCols(c0, n);
      multiply_by_derivative<T>(activation(l - 1), y_[li - 1].middleCols(c0, n), x_[li - 1].middleCols(c0, n), d);
    }
  });
  // dH/dW_l = d_l x_{l-1}^T and dH/db_l = d_l 1, split over the rows of every layer; a layer too
  // small to split goes whole to one thread (a different one for each such layer).
  const int parts = team_threads();
  parallel_parts(parts, [&](int k) {
    for (int l = 1; l <= L; ++l) {
      const auto li = static_cast<std::size_t>(l);
      Eigen::Index r0 = 0, r1 = size(l);
      if (size(l) / kGrain >= parts) {
        std::tie(r0, r1) = block_range(size(l), kGrain, parts, k);
      } else if ((l - 1) % parts != k) {
        continue;
      }
      if (r1 <= r0) continue;
      const Matrix& prev = l == 1 ? inputs : x_[li - 1];
      const auto d = delta_[li].middleRows(r0, r1 - r0);
      MatrixMap dw(grad.data() + offset(l), size(l), size(l - 1));
      VectorMap db(grad.data() + offset(l) + size(l) * size(l - 1), size(l));
      dw.middleRows(r0, r1 - r0).noalias() = d * prev.transpose();
      db.segment(r0, r1 - r0) = d.rowwise().sum();
    }
  });
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
