#pragma once
// The three experiments of the programmed death and replication paper, each run against the
// control that tells whether it helped:
//   death        a trained network loses a fraction of its hidden neurons per stage, least efficient
//                first, and is fine-tuned after each stage, down to a minimum size
//                (compression: accuracy against number of neurons);
//   replication  a trained network's most efficient neurons divide, then it trains on; control: the
//                same trained network trained on for the same number of epochs without dividing;
//   combined     from the start of training, every few epochs the least efficient neurons die and
//                the most efficient divide; control: a fixed network of the combined run's final
//                size trained from scratch for the same number of epochs.
// Every run of one call shares the seed, so runs see the same minibatch order epoch by epoch.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "nn/grow_prune/grow_prune_run.hpp"

namespace ldyn::nn {

struct GrowPruneConfig {
  // Death.
  Efficiency death_measure = Efficiency::redundancy;
  Fold fold = Fold::correlated;
  double death_fraction = 0.125;        ///< of the layer's size at the start, per stage (death);
                                        ///< of the current size, per event (combined)
  Eigen::Index min_neurons = 8;         ///< per hidden layer: death stops here
  // Replication.
  Efficiency replication_measure = Efficiency::contribution;
  double split_noise = 0.5;             ///< outgoing weights (exactly function-preserving)
  double split_input_noise = 0;         ///< incoming weights, symmetric (preserving to first order)
  double replication_fraction = 1.0;    ///< of the current size, per stage or event
  long replication_stages = 1;
  // Shared.
  long stage_epochs = 2;                ///< training epochs after each death or replication stage
  Eigen::Index stats_samples = 10000;   ///< training samples the neurons' statistics are measured on
  // Combined.
  long combined_every = 4;              ///< epochs between events (none after the last epoch)
  std::uint64_t seed = 1;               ///< events' random numbers: make_stream(seed, "grow-prune")

  /// Throws InvalidOption naming the option of the first impossible value.
  void validate() const;
};

/// What every run of an experiment is trained with.
struct GrowPruneTraining {
  optim::Options options;
  TrainSettings settings;               ///< batch, seed, callbacks (epochs ignored)
  GrowPruneRun::RowCallback on_row;
};

/// Death: `trained` (already trained, as the caller says in its rows) loses neurons stage by stage.
/// Rows of run "death" (and the starting point as event "start").
std::vector<GrowPruneRow> run_death(const LayeredNetwork<float>& trained, long trained_epochs, const DataSplit& data,
                                    const GrowPruneConfig& config, const GrowPruneTraining& training);
/// Replication and its control: runs "replication" and "continued".
std::vector<GrowPruneRow> run_replication(const LayeredNetwork<float>& trained, long trained_epochs, const DataSplit& data,
                                          const GrowPruneConfig& config, const GrowPruneTraining& training);
/// Combined schedule from `initial` (untrained) for `epochs`, and the fixed network of its final
/// size from scratch (initialized by `make_fixed(size of each hidden layer)`): runs "combined", "fixed".
std::vector<GrowPruneRow> run_combined(const LayeredNetwork<float>& initial, long epochs, const DataSplit& data,
                                       const GrowPruneConfig& config, const GrowPruneTraining& training,
                                       const std::function<LayeredNetwork<float>(const std::vector<Eigen::Index>&)>& make_fixed);

/// Epoch rows of a run (no event rows), and its last one.
std::vector<GrowPruneRow> epoch_rows(const std::vector<GrowPruneRow>& rows, const std::string& run);

}  // namespace ldyn::nn
