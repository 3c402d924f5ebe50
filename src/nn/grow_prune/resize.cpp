#include "nn/grow_prune/resize.hpp"

#include <stdexcept>
#include <string>

#include "core/error.hpp"
#include "nn/grow_prune/layer_statistics.hpp"

namespace ldyn::nn {

LayeredNetwork<float> with_neurons(const LayeredNetwork<float>& net, int layer, std::span<const Eigen::Index> source) {
  require_hidden_layer(net, layer);
  if (source.empty()) throw InvalidOption("--min-neurons", "a hidden layer must keep at least one neuron");
  for (Eigen::Index s : source)
    if (s < 0 || s >= net.size(layer))
      throw std::out_of_range("with_neurons: neuron " + std::to_string(s) + " of a layer of " + std::to_string(net.size(layer)));
  LayeredSpec spec = net.spec();
  spec.sizes[static_cast<std::size_t>(layer)] = static_cast<Eigen::Index>(source.size());
  LayeredNetwork<float> out(spec);
  for (int l = 1; l <= net.layers(); ++l) {
    if (l == layer) {
      for (std::size_t i = 0; i < source.size(); ++i) {
        const auto r = static_cast<Eigen::Index>(i);
        out.weights(l).row(r) = net.weights(l).row(source[i]);
        out.bias(l)(r) = net.bias(l)(source[i]);
      }
    } else if (l == layer + 1) {
      for (std::size_t i = 0; i < source.size(); ++i) out.weights(l).col(static_cast<Eigen::Index>(i)) = net.weights(l).col(source[i]);
      out.bias(l) = net.bias(l);
    } else {
      out.weights(l) = net.weights(l);
      out.bias(l) = net.bias(l);
    }
  }
  return out;
}

}  // namespace ldyn::nn
