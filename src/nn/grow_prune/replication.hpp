#pragma once
// Replication: the most efficient neurons of a hidden layer divide. Neuron p and its copy p' get
// p's incoming weights and bias, and p's outgoing weights w_p split between them as
//   W[:, p] = w_p / 2 + eps,   W[:, p'] = w_p / 2 - eps,   eps_i = noise * rms(w_p) * z_i, z ~ N(0, 1)
// Since x_p' = x_p for every input, the next layer receives (w_p/2 + eps + w_p/2 - eps) x_p = w_p x_p:
// the network computes the same function at the moment of the split (to float rounding), whatever
// the noise. The noise is what lets the two diverge: their outgoing weights differ, so their
// incoming weights receive different gradients.
// Optionally the incoming weights are split too, symmetrically: row_p += delta, row_p' -= delta,
// delta_i = input_noise * rms(row_p) * z_i. The next layer then receives
// (w_p / 2)(f(y + delta x) + f(y - delta x)) + eps (f(y + delta x) - f(y - delta x)) = w_p f(y) + O(delta^2)
// + O(eps delta): the function is kept to first order in delta (exactly when input_noise = 0), and
// the two copies start out as different features, which a split with identical rows waits for.
#include <vector>

#include "core/random.hpp"
#include "nn/grow_prune/layer_statistics.hpp"
#include "nn/grow_prune/neuron_efficiency.hpp"

namespace ldyn::nn {

struct ReplicationResult {
  LayeredNetwork<float> network;
  std::vector<Eigen::Index> parents;  ///< the neurons that divided, most efficient first; copy i is
                                      ///< neuron (old size + i) of the new layer
};

/// Splits the `count` most efficient neurons of hidden layer `layer` (0 <= count <= its size).
/// Throws InvalidOption("--replication-count") for a count outside that range, InvalidOption
/// ("--split-noise" / "--split-input-noise") for a negative or non-finite noise.
ReplicationResult replicate_neurons(const LayeredNetwork<float>& net, int layer, Eigen::Index count, Efficiency measure,
                                    const LayerStatistics& st, double noise, Rng& rng, double input_noise = 0);

}  // namespace ldyn::nn
