#include "particles/mlp.hpp"

#include <stdexcept>

namespace ldyn::particles {
namespace {

using MapMatrix = Eigen::Map<Matrixf>;
using ConstMapMatrix = Eigen::Map<const Matrixf>;
using ConstMapVector = Eigen::Map<const Eigen::VectorXf>;
using MapVector = Eigen::Map<Eigen::VectorXf>;

}  // namespace

Mlp::Mlp(long inputs, long hidden, long outputs) : inputs_(inputs), hidden_(hidden), outputs_(outputs) {
  if (inputs <= 0 || hidden < 0 || outputs <= 0) throw std::invalid_argument("Mlp: bad shape");
  const long first = hidden > 0 ? hidden : outputs;
  std::size_t n = static_cast<std::size_t>(first * inputs + first);
  if (hidden > 0) n += static_cast<std::size_t>(outputs * hidden + outputs);
  theta_.assign(n, 0.0f);
}

void Mlp::forward(const Matrixf& X, Matrixf& hidden_out, Matrixf& out) const {
  const float* p = theta_.data();
  const long first = hidden_ > 0 ? hidden_ : outputs_;
  ConstMapMatrix W1(p, first, inputs_);
  ConstMapVector b1(p + first * inputs_, first);
  Matrixf& layer1 = hidden_ > 0 ? hidden_out : out;
  layer1.noalias() = W1 * X;
  layer1.colwise() += b1;
  layer1 = layer1.array().tanh().matrix();
  if (hidden_ == 0) return;
  const float* q = p + first * inputs_ + first;
  ConstMapMatrix W2(q, outputs_, hidden_);
  ConstMapVector b2(q + outputs_ * hidden_, outputs_);
  out.noalias() = W2 * hidden_out;
  out.colwise() += b2;
  out = out.array().tanh().matrix();
}

void Mlp::backward(const Matrixf& X, const Matrixf& hidden_out, const Matrixf& out, const Matrixf& d_out,
                   std::span<float> grad, Matrixf& scratch) const {
  float* g = grad.data();
  const long first = hidden_ > 0 ? hidden_ : outputs_;
  // d(pre-activation of the output layer) = dOut * (1 - out^2)
  Matrixf d_pre = (d_out.array() * (1.0f - out.array().square())).matrix();
  if (hidden_ == 0) {
    MapMatrix(g, first, inputs_).noalias() += d_pre * X.transpose();
    MapVector(g + first * inputs_, first) += d_pre.rowwise().sum();
    return;
  }
  const float* q = theta_.data() + first * inputs_ + first;
  ConstMapMatrix W2(q, outputs_, hidden_);
  float* gq = g + first * inputs_ + first;
  MapMatrix(gq, outputs_, hidden_).noalias() += d_pre * hidden_out.transpose();
  MapVector(gq + outputs_ * hidden_, outputs_) += d_pre.rowwise().sum();
  scratch.noalias() = W2.transpose() * d_pre;
  scratch.array() *= 1.0f - hidden_out.array().square();
  MapMatrix(g, first, inputs_).noalias() += scratch * X.transpose();
  MapVector(g + first * inputs_, first) += scratch.rowwise().sum();
}

}  // namespace ldyn::particles
