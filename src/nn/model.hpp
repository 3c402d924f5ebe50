#pragma once
// What a training loop needs from a network, whichever its structure (layered fast path or the
// general septuple): its trainable variables q as one flat vector, how q splits into blocks (the
// optimizer's parameter groups: one per layer), and H(q) with dH/dq on a minibatch.
#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include <Eigen/Core>
#include <Eigen/StdVector>

#include "nn/loss.hpp"

namespace ldyn::nn {

/// Storage of parameters and gradients. Eigen's kernels peel a few scalar iterations until their
/// data is aligned and fuse multiply-adds only in the vector part, so the rounding of a product over
/// a Map depends on the address modulo the packet size. Aligning every buffer to Eigen's largest
/// packet makes a run's arithmetic independent of where malloc put it: same seed, same bits.
template <class T>
using ParameterVector = std::vector<T, Eigen::aligned_allocator<T>>;

template <class T>
class Model {
 public:
  virtual ~Model() = default;
  /// "784-256-10 relu, cross-entropy" (for logs and reports).
  virtual std::string describe() const = 0;
  virtual Eigen::Index inputs() const = 0;
  virtual Eigen::Index outputs() const = 0;
  virtual OutputLoss loss_kind() const = 0;

  /// All trainable variables q, back to back in block order.
  virtual std::span<T> parameters() = 0;
  virtual std::span<const T> parameters() const = 0;
  /// Sizes of consecutive blocks of parameters() (they sum to its size) and their names.
  virtual std::vector<std::size_t> blocks() const = 0;
  virtual std::vector<std::string> block_names() const = 0;

  /// H on the batch (inputs x samples, targets x samples); writes dH/dq into `grad`
  /// (size parameters().size()).
  virtual double loss_and_gradient(const MatrixX<T>& inputs, const MatrixX<T>& targets, std::span<T> grad) = 0;
  /// The output neurons' states for the batch.
  virtual void predict(const MatrixX<T>& inputs, MatrixX<T>& outputs) = 0;
};

}  // namespace ldyn::nn
