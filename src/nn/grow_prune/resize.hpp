#pragma once
// The one structural edit that death and replication are both made of: a network whose hidden
// layer l holds a chosen list of the old layer's neurons, each with its incoming weights and bias
// (row of W_l, entry of b_l) and its outgoing weights (column of W_{l+1}).
#include <span>

#include "nn/layered_network.hpp"

namespace ldyn::nn {

/// The network with hidden layer `layer`'s neuron i a copy of `net`'s neuron source[i]. A source
/// may repeat (replication) or be left out (death); every other layer is copied unchanged.
/// Throws InvalidOption("--layer") for a non-hidden layer and std::out_of_range for a bad index;
/// an empty `source` is InvalidOption("--min-neurons") (a layer keeps at least one neuron).
LayeredNetwork<float> with_neurons(const LayeredNetwork<float>& net, int layer, std::span<const Eigen::Index> source);

}  // namespace ldyn::nn
