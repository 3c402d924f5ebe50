#pragma once
// The loop that drives a network's training (ensmallen's split: the optimizer is the update policy,
// this is the loop): seeded minibatches, one optim::Optimizer group per parameter block (a layer),
// per-epoch evaluation, NaN detection, and checkpoints from which a run resumes bit for bit.
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "nn/data/dataset.hpp"
#include "nn/model.hpp"
#include "optim/optimizer.hpp"
#include "optim/options.hpp"

namespace ldyn::nn {

/// Loss and accuracy of a model on a whole data set (accuracy NaN for regression).
struct Evaluation {
  double loss = std::numeric_limits<double>::quiet_NaN();
  double accuracy = std::numeric_limits<double>::quiet_NaN();
};

struct EpochRow {
  long epoch = 0;               ///< epochs finished (1 = after the first)
  long steps = 0;               ///< optimizer steps so far
  double train_loss = 0;        ///< mean of the minibatch losses during the epoch
  Evaluation validation, test;  ///< after the epoch (NaN when that split is empty)
  double seconds = 0;           ///< wall time of the epoch's training (evaluation excluded)
};

struct TrainSettings {
  long epochs = 10;
  Eigen::Index batch = 128;
  /// Minibatch order of epoch k comes from make_stream(seed, "minibatch-epoch-k"): it depends on
  /// nothing else, which is what makes resumed runs identical to uninterrupted ones.
  std::uint64_t seed = 1;
  /// Largest dense metric block allowed (parameters); a cgd-block or cgd-full layer above it is an
  /// error that suggests --block-size, instead of an out-of-memory crash.
  std::size_t max_dense_block = 4096;
  std::string checkpoint;       ///< written (atomically) every checkpoint_every epochs and at the end
  long checkpoint_every = 1;
  Eigen::Index eval_batch = 2000;
  std::function<void(long batch, long batches, double loss)> on_batch;  ///< progress
  std::function<void(const EpochRow&)> on_epoch;
};

template <class T>
class Trainer {
 public:
  /// Validates the options (InvalidOption) and builds the optimizer: one group per model block.
  Trainer(Model<T>& model, const optim::Options& options, TrainSettings settings);
  ~Trainer();

  /// Trains from the current epoch up to settings.epochs; returns the rows of all epochs so far
  /// (those restored from a checkpoint included).
  const std::vector<EpochRow>& run(const DataSplit& data);
  /// One epoch over `train` (epoch index = epochs finished so far + 1); evaluates on the others.
  const EpochRow& train_epoch(const DataSplit& data);
  /// One optimizer step on a given batch; returns the batch loss. Throws NonFiniteError on NaN.
  double train_step(const MatrixX<T>& inputs, const MatrixX<T>& targets);

  /// Rebuilds the optimizer for the model's current blocks (after neurons were added or removed:
  /// its moments no longer match the parameters and start again from zero).
  void reset_optimizer();
  void set_options(const optim::Options& options);

  /// Continues a network trained elsewhere for `epochs` epochs: the next epoch trained is number
  /// epochs + 1, with that epoch's minibatch order (so that two runs from one trained network see
  /// the same batches). Only before the first epoch of this trainer.
  void continue_after_epoch(long epochs) {
    if (epoch_ != 0 || epochs < 0) throw std::logic_error("Trainer::continue_after_epoch: only on a fresh trainer");
    epoch_ = epochs;
  }

  long epoch() const { return epoch_; }
  long steps() const { return steps_; }
  const std::vector<EpochRow>& history() const { return history_; }
  const TrainSettings& settings() const { return settings_; }
  TrainSettings& settings() { return settings_; }

  /// Versioned binary checkpoint: parameters, optimizer state, epoch, history.
  void save_checkpoint(const std::string& path) const;
  /// Restores a checkpoint written by the same network and optimizer; FileError naming the file if not.
  void load_checkpoint(const std::string& path);

 private:
  Model<T>& model_;
  optim::Options options_;
  TrainSettings settings_;
  std::unique_ptr<optim::Optimizer<T>> optimizer_;
  ParameterVector<T> grad_;
  MatrixX<T> x_, y_;  // minibatch buffers
  Eigen::MatrixXf xf_, yf_;
  long epoch_ = 0, steps_ = 0;
  std::vector<EpochRow> history_;
};

/// Loss and accuracy on all of `d`, in batches of `batch` samples.
template <class T>
Evaluation evaluate(Model<T>& model, const Dataset& d, Eigen::Index batch = 2000);

extern template class Trainer<float>;
extern template class Trainer<double>;

}  // namespace ldyn::nn
