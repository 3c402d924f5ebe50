#pragma once
// The one in-memory form of every data set the nn module trains on, and the operations a training
// loop needs on it: copying a minibatch out, taking a subset, standardizing the inputs.
#include <span>
#include <string>
#include <vector>

#include <Eigen/Core>

namespace ldyn::nn {

/// Samples are columns. Inputs as float: 70 000 Fashion-MNIST images are 220 MB in float.
struct Dataset {
  std::string name;                 // e.g. "fashion-mnist (train)"
  Eigen::MatrixXf inputs;           // features x samples
  Eigen::MatrixXf targets;          // outputs x samples: one-hot for classification, values for regression
  std::vector<int> labels;          // class of each sample; empty for regression
  int classes = 0;                  // number of classes; 0 for regression
  Eigen::Index size() const { return inputs.cols(); }
  Eigen::Index features() const { return inputs.rows(); }
  Eigen::Index outputs() const { return targets.rows(); }
  bool classification() const { return classes > 0; }
};
struct DataSplit { Dataset train, validation, test; };

/// The one-hot targets (classes x n) of `labels` (each in [0, classes)).
Eigen::MatrixXf one_hot(const std::vector<int>& labels, int classes);

/// The samples `indices[begin..end)` of `d` copied into X (features x n) and Y (outputs x n),
/// resized only when the size changes (so a training loop does not allocate per batch).
/// Throws std::out_of_range if the range or an index is outside `indices` or `d`.
void gather(const Dataset& d, std::span<const Eigen::Index> indices, Eigen::Index begin, Eigen::Index end,
            Eigen::MatrixXf& X, Eigen::MatrixXf& Y);
/// The subset of samples `indices` (any order) as a new dataset. Keeps the name and classes.
/// Throws std::out_of_range if an index is outside `d`.
Dataset subset(const Dataset& d, std::span<const Eigen::Index> indices);

/// Per-feature standardization fitted on training data: x' = (x - mean) / std, with std < floor
/// replaced by 1 (constant pixels stay constant instead of dividing by zero).
/// `scale` holds the divisor of each feature: its standard deviation (population, 1/n), or 1.
struct Standardizer {
  Eigen::VectorXf mean, scale;
  static Standardizer fit(const Eigen::MatrixXf& inputs, float floor = 1e-3f);
  void apply(Eigen::MatrixXf& inputs) const;   // throws InvalidOption("--data", ...) on feature-count mismatch
};

}  // namespace ldyn::nn
