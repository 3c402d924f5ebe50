#include "nn/grow_prune/layer_statistics.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "core/error.hpp"

namespace ldyn::nn {

double LayerStatistics::correlation(Eigen::Index i, Eigen::Index j) const {
  const double denominator = std::sqrt(covariance(i, i) * covariance(j, j));
  return denominator > 0 ? covariance(i, j) / denominator : 0.0;
}

void require_hidden_layer(const LayeredNetwork<float>& net, int layer) {
  if (layer < 1 || layer >= net.layers())
    throw InvalidOption("--layer", "must name a hidden layer, 1.." + std::to_string(net.layers() - 1) + " (got " +
                                       std::to_string(layer) + ")");
}

LayerStatistics layer_statistics(LayeredNetwork<float>& net, int layer, const Dataset& data, Eigen::Index max_samples,
                                 Eigen::Index batch) {
  require_hidden_layer(net, layer);
  const Eigen::Index n = max_samples > 0 ? std::min(max_samples, data.size()) : data.size();
  if (n < 1) throw InvalidOption("--data", "no samples to measure the neurons' statistics on");
  if (data.features() != net.inputs())
    throw InvalidOption("--data", data.name + " has " + std::to_string(data.features()) + " features, the network " +
                                      std::to_string(net.inputs()) + " inputs");
  const Eigen::Index width = net.size(layer);
  Eigen::VectorXd shift, sum = Eigen::VectorXd::Zero(width);
  Eigen::MatrixXd products = Eigen::MatrixXd::Zero(width, width), centred;
  Eigen::MatrixXf inputs;
  for (Eigen::Index s = 0; s < n; s += batch) {
    const Eigen::Index b = std::min(batch, n - s);
    inputs = data.inputs.middleCols(s, b);
    net.forward(inputs);
    centred = net.state(layer).cast<double>();
    if (s == 0) shift = centred.rowwise().mean();
    centred.colwise() -= shift;
    sum += centred.rowwise().sum();
    products.selfadjointView<Eigen::Lower>().rankUpdate(centred);
  }
  LayerStatistics st;
  st.samples = static_cast<long>(n);
  const double inv = 1.0 / static_cast<double>(n);
  const Eigen::VectorXd centred_mean = sum * inv;
  st.mean = shift + centred_mean;
  st.covariance = products.selfadjointView<Eigen::Lower>();
  st.covariance *= inv;
  st.covariance.noalias() -= centred_mean * centred_mean.transpose();
  // Rounding can leave a constant neuron's variance a hair below zero.
  for (Eigen::Index i = 0; i < width; ++i) st.covariance(i, i) = std::max(0.0, st.covariance(i, i));
  return st;
}

}  // namespace ldyn::nn
