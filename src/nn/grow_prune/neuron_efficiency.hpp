#pragma once
// Two measures of how much a hidden neuron does for its network ("Bio-inspired machine learning:
// programmed death and replication", Grabovsky & Vanchurin 2022, whose exact formulas were not
// available; docs/nn.md gives the reasoning). Both are the RMS size of a perturbation of the next
// layer's pre-activations y_{l+1} = W_{l+1} x_l + b_{l+1}, with w_j = W_{l+1}[:, j]:
//   contribution  e_j = sqrt(E[x_j^2]) |w_j|
//       the signal neuron j sends on (activation x outgoing weight): removing it unfolded changes
//       y_{l+1} by w_j x_j, of mean square |w_j|^2 E[x_j^2];
//   redundancy    e_j = sqrt(Var x_j (1 - rho_jk*^2)) |w_j|,  k* = argmax_k rho_jk^2 over the others
//       what is left of that signal once it is folded into the most correlated other neuron
//       (x_j ~ a x_k* + c, the mean and the part explained by k* carried on by W_{l+1} and b_{l+1}):
//       low for a neuron whose output the others already provide.
// Expectations are over the data (LayerStatistics). `random` scores are uniform draws: the control
// that tells whether a measure does better than chance.
#include <span>
#include <string>

#include <Eigen/Core>

#include "core/random.hpp"
#include "nn/grow_prune/layer_statistics.hpp"

namespace ldyn::nn {

enum class Efficiency { contribution, redundancy, random };

const char* to_string(Efficiency e);
/// "contribution", "redundancy" or "random"; throws InvalidOption(option, ...).
Efficiency efficiency_from_string(const std::string& name, const std::string& option);
std::string efficiency_names();

/// The alive neuron k != j whose activation is most correlated with x_j (largest rho^2), among
/// those that vary over the data; -1 when there is none. `alive` empty means every neuron.
Eigen::Index most_correlated(const LayerStatistics& st, Eigen::Index j, std::span<const char> alive = {});

/// e_j for every neuron of a layer with outgoing weights `outgoing` (next layer's size x this
/// layer's), counting only alive neurons as partners for `redundancy`; dead neurons score NaN.
Eigen::VectorXd neuron_efficiency(Efficiency measure, const Eigen::MatrixXd& outgoing, const LayerStatistics& st,
                                  std::span<const char> alive, Rng& rng);
/// The same for hidden layer `layer` of `net`, every neuron alive.
Eigen::VectorXd neuron_efficiency(Efficiency measure, const LayeredNetwork<float>& net, int layer, const LayerStatistics& st,
                                  Rng& rng);

}  // namespace ldyn::nn
