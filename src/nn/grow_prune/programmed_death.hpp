#pragma once
// Programmed death: the least efficient neurons of a hidden layer are removed, one at a time, each
// folding its outgoing weights into the survivors so that the next layer keeps receiving (the
// best linear estimate of) what the dead neuron sent:
//   correlated     x_j ~ a x_k + c with k the most correlated survivor, a = C_jk / C_kk,
//                  c = E x_j - a E x_k:   W[:, k] += a W[:, j],  b_{l+1} += c W[:, j]
//   least-squares  x_j ~ beta^T x_S + c over all survivors S, beta = C_SS^-1 C_Sj (the optimal
//                  linear fold):          W[:, S] += W[:, j] beta^T, b_{l+1} += c W[:, j]
//   none           plain pruning: the column is dropped.
// (W = W_{l+1}; moments over the data, LayerStatistics.) A neuron constant over the data folds
// exactly into the bias. One at a time, because each fold changes a survivor's outgoing weights
// and so its efficiency, and because the partner of a dying neuron must be a survivor.
#include <string>
#include <vector>

#include "core/random.hpp"
#include "nn/grow_prune/layer_statistics.hpp"
#include "nn/grow_prune/neuron_efficiency.hpp"

namespace ldyn::nn {

enum class Fold { none, correlated, least_squares };
const char* to_string(Fold f);
/// "none", "correlated", "least-squares"; throws InvalidOption(option, ...).
Fold fold_from_string(const std::string& name, const std::string& option = "--fold");

struct DeathRecord {
  Eigen::Index neuron = 0;      ///< index in the layer before the death
  double efficiency = 0;        ///< its score when it was chosen
  Eigen::Index partner = -1;    ///< survivor it was folded into (correlated fold; -1 otherwise)
};

struct DeathResult {
  LayeredNetwork<float> network;
  std::vector<DeathRecord> removed;        ///< in the order they died
  std::vector<Eigen::Index> survivors;     ///< old indices of the new layer's neurons, in order
};

/// Removes `count` neurons of hidden layer `layer` (0 <= count < its size), least efficient first.
/// `st` are the layer's statistics in `net`. Throws InvalidOption("--death-count") when count would
/// leave no neuron, InvalidOption("--layer") for a layer that is not hidden.
DeathResult programmed_death(const LayeredNetwork<float>& net, int layer, Eigen::Index count, Efficiency measure, Fold fold,
                             const LayerStatistics& st, Rng& rng);

}  // namespace ldyn::nn
