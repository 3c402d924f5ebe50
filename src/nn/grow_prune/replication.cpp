#include "nn/grow_prune/replication.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>

#include "core/error.hpp"
#include "nn/grow_prune/resize.hpp"

namespace ldyn::nn {

ReplicationResult replicate_neurons(const LayeredNetwork<float>& net, int layer, Eigen::Index count, Efficiency measure,
                                    const LayerStatistics& st, double noise, Rng& rng, double input_noise) {
  require_hidden_layer(net, layer);
  const Eigen::Index n = net.size(layer);
  if (st.neurons() != n) throw std::invalid_argument("replicate_neurons: statistics of another layer size");
  if (count < 0 || count > n)
    throw InvalidOption("--replication-count", "can split 0.." + std::to_string(n) + " of the layer's neurons (got " +
                                                   std::to_string(count) + ")");
  if (!(noise >= 0) || !std::isfinite(noise)) throw InvalidOption("--split-noise", "must be finite and >= 0");
  if (!(input_noise >= 0) || !std::isfinite(input_noise)) throw InvalidOption("--split-input-noise", "must be finite and >= 0");
  const Eigen::VectorXd e = neuron_efficiency(measure, net, layer, st, rng);
  std::vector<Eigen::Index> order(static_cast<std::size_t>(n));
  std::iota(order.begin(), order.end(), Eigen::Index{0});
  std::stable_sort(order.begin(), order.end(), [&](Eigen::Index a, Eigen::Index b) { return e(a) > e(b); });
  ReplicationResult result{net, {order.begin(), order.begin() + count}};
  std::vector<Eigen::Index> source(static_cast<std::size_t>(n));
  std::iota(source.begin(), source.end(), Eigen::Index{0});
  source.insert(source.end(), result.parents.begin(), result.parents.end());
  result.network = with_neurons(net, layer, source);
  auto next = result.network.weights(layer + 1);
  for (std::size_t i = 0; i < result.parents.size(); ++i) {
    const Eigen::Index p = result.parents[i], copy = n + static_cast<Eigen::Index>(i);
    const Eigen::VectorXd w = net.weights(layer + 1).col(p).cast<double>();
    const double rms = w.norm() / std::sqrt(static_cast<double>(w.size()));
    for (Eigen::Index r = 0; r < w.size(); ++r) {
      const double eps = noise * rms * standard_normal(rng);
      next(r, p) = static_cast<float>(0.5 * w(r) + eps);
      next(r, copy) = static_cast<float>(0.5 * w(r) - eps);
    }
    if (input_noise > 0) {
      auto in_p = result.network.weights(layer).row(p), in_copy = result.network.weights(layer).row(copy);
      const double row_rms = in_p.template cast<double>().norm() / std::sqrt(static_cast<double>(in_p.size()));
      for (Eigen::Index c = 0; c < in_p.size(); ++c) {
        const auto delta = static_cast<float>(input_noise * row_rms * standard_normal(rng));
        in_p(c) += delta;
        in_copy(c) -= delta;
      }
    }
  }
  return result;
}

}  // namespace ldyn::nn
