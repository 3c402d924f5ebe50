#pragma once
// The criticality experiment of Katsnelson, Vanchurin and Westerhout (2021) over (activation, loss)
// pairs: for each pair, a layered network is trained to its plateau (plateau.hpp), the fluctuations
// of its trainable variables are recorded over a window (fluctuations.hpp), and their distribution
// is fitted by the Clauset–Shalizi–Newman method (power_law_fit.hpp). docs/nn_criticality.md.
#include <cstddef>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "nn/activation.hpp"
#include "nn/criticality/fluctuations.hpp"
#include "nn/criticality/plateau.hpp"
#include "nn/criticality/power_law_fit.hpp"
#include "nn/data/dataset.hpp"
#include "nn/init.hpp"
#include "nn/loss.hpp"
#include "optim/options.hpp"

namespace ldyn::nn {

struct CriticalityPair {
  Activation activation = Activation::tanh;  ///< of the hidden layers
  OutputLoss loss = OutputLoss::mse;
  std::string name() const;                  ///< "tanh/mse"
};

struct CriticalityRecord;

struct SweepSettings {
  std::vector<Eigen::Index> layers;          ///< n_0 (= features), ..., n_L (= outputs)
  Activation output = Activation::linear;    ///< output layer (linear: logits for cross-entropy)
  Init init = Init::torch;
  optim::Options optimizer;
  /// batch, seed (initialization, minibatches) and eval_batch; its epochs and checkpoint are unused.
  /// Every pair starts from the same seed: same initial weights (when the layers agree), same
  /// minibatch order, same recorded variables, so pairs differ only by their functions.
  TrainSettings training;
  PlateauCriterion plateau;
  FluctuationOptions fluctuations;
  PowerLawOptions fit;
  /// Progress: the pair's index and the stage starting ("training", "window", "fit").
  std::function<void(std::size_t pair, const char* stage)> on_stage;
  /// After every epoch of a pair (plateau search and window).
  std::function<void(std::size_t pair, const EpochRow& row)> on_epoch;
  /// sweep_criticality: after each pair, with its record.
  std::function<void(std::size_t pair, const CriticalityRecord& record)> on_record;
};

struct CriticalityRecord {
  CriticalityPair pair;
  std::string network;          ///< LayeredNetwork::describe()
  std::size_t parameters = 0;
  PlateauResult plateau;
  long epochs = 0;              ///< all epochs trained, the window's included
  double final_train_loss = PowerLawFit::kNaN;  ///< training loss of the last epoch
  FluctuationSamples samples;
  PowerLawFit fit;
  /// Why the pair has no fit (training diverged, or too few non-zero fluctuations); empty when
  /// fitted. The fit's numbers are then NaN.
  std::string failure;
  bool fitted() const { return failure.empty(); }
};

/// Checks the pairs against the data before anything is trained: InvalidOption("--losses") for
/// cross-entropy on a regression data set, InvalidOption("--activations"/"--losses") for an empty
/// list, InvalidOption("--layers") when the sizes do not match the data's features and outputs.
void validate_sweep(const DataSplit& data, std::span<const CriticalityPair> pairs, const SweepSettings& settings);

/// One pair (index: for the callbacks). A NonFiniteError in training or fewer non-zero samples
/// than the fit needs become `failure`; other errors propagate.
CriticalityRecord measure_criticality(const DataSplit& data, const CriticalityPair& pair, const SweepSettings& settings,
                                      std::size_t index = 0);

/// validate_sweep, then measure_criticality for every pair in order: one record per pair.
std::vector<CriticalityRecord> sweep_criticality(const DataSplit& data, std::span<const CriticalityPair> pairs,
                                                 const SweepSettings& settings);

/// Every activation with every loss, activations outermost.
std::vector<CriticalityPair> all_pairs(std::span<const Activation> activations, std::span<const OutputLoss> losses);

}  // namespace ldyn::nn
