#pragma once
// Boundary losses: functions of the output neurons' states x_out and the targets t, averaged over the
// samples of a minibatch (columns), as torch.nn's losses do with reduction "mean" over samples:
//   mse            H = (1/B) sum_s 1/2 |x_s - t_s|^2             dH/dx_s = (x_s - t_s) / B
//   cross_entropy  H = (1/B) sum_s -sum_k t_sk log softmax(x_s)_k  dH/dx_s = (softmax(x_s) - t_s) / B
// (the mean over samples keeps the learning rate independent of the batch size; the 1/2 of mse is
// the septuple paper's convention and makes its gradient the plain residual).
#include <string>
#include <vector>

#include <Eigen/Core>

namespace ldyn::nn {

enum class OutputLoss { mse, cross_entropy };

const char* to_string(OutputLoss l);
/// "mse" or "cross-entropy" (also "cross_entropy", "ce"); throws InvalidOption(option, ...).
OutputLoss output_loss_from_string(const std::string& name, const std::string& option = "--loss");

template <class T>
using MatrixX = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>;

/// The loss of outputs `x` against `targets` (both outputs x samples); writes dH/dx into `grad`
/// (resized if needed). Computed in double whatever T is, so that a float network's reported loss
/// does not depend on summation order at the level of float rounding.
template <class T>
double boundary_loss(OutputLoss loss, const MatrixX<T>& x, const MatrixX<T>& targets, MatrixX<T>& grad);

/// The same without the gradient.
template <class T>
double boundary_loss(OutputLoss loss, const MatrixX<T>& x, const MatrixX<T>& targets);

/// Number of columns whose largest output is at the index of the largest target (ties: first).
template <class T>
long count_correct(const MatrixX<T>& x, const MatrixX<T>& targets);

}  // namespace ldyn::nn
