#pragma once
// First and second moments of one hidden layer's activations over a data set: what both measures
// of neuron efficiency and the fold of a dying neuron into a survivor are computed from.
#include <Eigen/Core>

#include "nn/data/dataset.hpp"
#include "nn/layered_network.hpp"

namespace ldyn::nn {

/// Moments of x_l (the activations of hidden layer l) over the samples of a data set, in double.
struct LayerStatistics {
  Eigen::VectorXd mean;        ///< E[x_i]
  Eigen::MatrixXd covariance;  ///< E[(x_i - E x_i)(x_j - E x_j)] (population, 1/n)
  long samples = 0;

  Eigen::Index neurons() const { return mean.size(); }
  /// E[x_i^2] = Var x_i + (E x_i)^2.
  double second_moment(Eigen::Index i) const { return covariance(i, i) + mean(i) * mean(i); }
  /// The correlation coefficient of neurons i and j; 0 when either is constant over the data.
  double correlation(Eigen::Index i, Eigen::Index j) const;
};

/// The moments of hidden layer `layer` (1 <= layer < net.layers()) over the first `max_samples`
/// samples of `data` (all when 0), in batches of `batch`. Sums are taken around the first batch's
/// mean, so that a large mean does not cancel the variance in the sums.
/// Throws InvalidOption("--layer") for an output or out-of-range layer and InvalidOption("--data")
/// for an empty data set or a feature count that does not match the network.
LayerStatistics layer_statistics(LayeredNetwork<float>& net, int layer, const Dataset& data, Eigen::Index max_samples = 0,
                                 Eigen::Index batch = 2000);

/// Checks that `layer` is a hidden layer of `net` (throws InvalidOption("--layer") otherwise).
void require_hidden_layer(const LayeredNetwork<float>& net, int layer);

}  // namespace ldyn::nn
