#pragma once
// One network being trained while its hidden layers change size: the unit the death, replication
// and combined schedules (schedules.hpp) are built from. It owns the network and its Trainer,
// records one row per epoch and per event, and after every death or replication rebuilds the
// optimizer for the new parameter blocks (the moments of a resized layer no longer match its
// parameters; they restart from zero, as for a new network). A learning-rate schedule restarts
// with the optimizer: a cosine decay spans the training from one event to the next (warm restarts).
#include <functional>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "core/random.hpp"
#include "nn/grow_prune/neuron_efficiency.hpp"
#include "nn/grow_prune/programmed_death.hpp"
#include "nn/layered_network.hpp"
#include "nn/train/trainer.hpp"

namespace ldyn::nn {

struct GrowPruneRow {
  static constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  std::string run;              ///< "death", "replication", "continued", "combined", "fixed", ...
  long epoch = 0;               ///< epochs this network has been trained (pretraining included)
  std::string event;            ///< "" for an epoch row; "death -32", "replication +32", ... for an event
  Eigen::Index neurons = 0;     ///< hidden neurons, all hidden layers
  std::size_t parameters = 0;
  double train_loss = kNaN;     ///< mean minibatch loss of the epoch (NaN on event rows)
  Evaluation validation, test;  ///< after the epoch or right after the event
};

class GrowPruneRun {
 public:
  using RowCallback = std::function<void(const GrowPruneRow&)>;

  /// `settings.epochs` is ignored: train() says how many epochs to add.
  GrowPruneRun(std::string name, LayeredNetwork<float> network, const optim::Options& options, TrainSettings settings,
               const DataSplit& data, RowCallback on_row = {});
  GrowPruneRun(const GrowPruneRun&) = delete;
  GrowPruneRun& operator=(const GrowPruneRun&) = delete;

  /// Trains `epochs` more epochs, one row each.
  void train(long epochs);
  /// Removes counts[l - 1] neurons of hidden layer l (capped so that at least `min_neurons` stay),
  /// statistics measured on the first `stats_samples` training samples; one event row. Returns the
  /// number removed.
  Eigen::Index death(const std::vector<Eigen::Index>& counts, Eigen::Index min_neurons, Efficiency measure, Fold fold,
                     Eigen::Index stats_samples, Rng& rng);
  /// round(fraction * size) for each hidden layer of the network as it is now.
  std::vector<Eigen::Index> fraction_of_sizes(double fraction) const;
  /// Splits the round(fraction * size) most efficient neurons of every hidden layer; one event row.
  Eigen::Index replication(double fraction, Efficiency measure, double noise, double input_noise, Eigen::Index stats_samples,
                           Rng& rng);
  /// An event row for the network as it is now (e.g. "pretrained").
  void mark(const std::string& event);

  const std::string& name() const { return name_; }
  LayeredNetwork<float>& network() { return *network_; }
  const LayeredNetwork<float>& network() const { return *network_; }
  Trainer<float>& trainer() { return *trainer_; }
  const std::vector<GrowPruneRow>& rows() const { return rows_; }
  Eigen::Index hidden_neurons() const;

 private:
  void add_row(const std::string& event, double train_loss, const Evaluation& validation, const Evaluation& test);
  void reset_optimizer();

  std::string name_;
  const DataSplit& data_;
  std::unique_ptr<LayeredNetwork<float>> network_;  // stable address: the trainer refers to it
  std::unique_ptr<Trainer<float>> trainer_;
  optim::Options options_;
  long steps_at_reset_ = 0;  // trainer steps when the optimizer last started from zero
  RowCallback on_row_;
  std::vector<GrowPruneRow> rows_;
};

/// Hidden neurons of a layered network (all hidden layers).
Eigen::Index hidden_neurons(const LayeredNetwork<float>& net);

}  // namespace ldyn::nn
