#pragma once
// Thermodynamics of learning ("Towards a theory of machine learning", Vanchurin 2020), measured on
// a layered network whose input and output neurons are clamped to the data and whose N hidden
// neurons relax to the minimum of the bulk loss H (clamped_states.hpp). The paper's exact
// definitions were not available; these are the ones chosen (docs/nn.md gives the reasoning):
//   U   = <H>                                     bulk loss at the relaxed states, mean over samples
//   T   = 2 U / N                                 equipartition: each of the N quadratic degrees of
//                                                 freedom of the canonical ensemble exp(-H/T) holds T/2
//   S_0 = (N/2) ln(2 pi e T)                      thermodynamic entropy: the maximum entropy of N
//                                                 degrees of freedom at mean loss U (Gaussian)
//   C   = -(1/2) <ln det A>                       complexity: the part of the entropy set by the weights
//                                                 and biases, A = R^T R the Gauss–Newton matrix of H in
//                                                 the hidden states (the Laplace approximation of the
//                                                 canonical partition function Z = e^{-H*/T} (2 pi T)^{N/2}
//                                                 det(A)^{-1/2}: a factor of T times a factor of (b, w))
//   S   = S_0 + C                                 total entropy
//   F   = U - T S                                 free energy
// Entropies are in nats. <.> is over the first `samples` samples of a data set.
#include <Eigen/Core>

#include "nn/data/dataset.hpp"
#include "nn/layered_network.hpp"
#include "nn/thermo/clamped_states.hpp"

namespace ldyn::nn {

struct ThermoOptions {
  Eigen::Index samples = 500;  ///< samples measured on (the first ones of the data set; 0: all)
  Eigen::Index batch = 500;    ///< samples relaxed together
  RelaxationOptions relaxation;
};

struct ThermoState {
  long samples = 0;
  Eigen::Index neurons = 0;             ///< N: hidden neurons
  double feedforward_loss = 0;          ///< <H> at the feedforward states (the output error alone)
  double bulk_loss = 0;                 ///< U
  double temperature = 0;               ///< T
  double thermodynamic_entropy = 0;     ///< S_0
  double complexity = 0;                ///< C
  double entropy = 0;                   ///< S
  double free_energy = 0;               ///< F
  int relaxation_steps = 0;             ///< largest number of gradient steps a batch needed
};

/// The estimators above for `net` on `data`. Throws InvalidOption("--thermo-samples") for an empty
/// measurement set, InvalidOption("--layers") for a network without a hidden layer or a data set
/// that does not fit it, NonFiniteError if a quantity is not finite (e.g. U = 0: T = 0, S_0 = -inf).
ThermoState measure_thermodynamics(const LayeredNetwork<float>& net, const Dataset& data, const ThermoOptions& options = {});

/// S_0 of N degrees of freedom at temperature T (closed form, for tests and the laws).
double thermodynamic_entropy(Eigen::Index neurons, double temperature);

}  // namespace ldyn::nn
