#include "nn/grow_prune/grow_prune_run.hpp"

#include <cmath>

#include "core/error.hpp"
#include "nn/grow_prune/layer_statistics.hpp"
#include "nn/grow_prune/replication.hpp"

namespace ldyn::nn {

Eigen::Index hidden_neurons(const LayeredNetwork<float>& net) {
  Eigen::Index n = 0;
  for (int l = 1; l < net.layers(); ++l) n += net.size(l);
  return n;
}

GrowPruneRun::GrowPruneRun(std::string name, LayeredNetwork<float> network, const optim::Options& options,
                           TrainSettings settings, const DataSplit& data, RowCallback on_row)
    : name_(std::move(name)),
      data_(data),
      network_(std::make_unique<LayeredNetwork<float>>(std::move(network))),
      options_(options),
      on_row_(std::move(on_row)) {
  if (network_->layers() < 2) throw InvalidOption("--layers", "death and replication need a hidden layer, e.g. 784,256,10");
  settings.epochs = 0;
  settings.checkpoint.clear();
  auto user_on_epoch = settings.on_epoch;
  settings.on_epoch = [this, user_on_epoch](const EpochRow& r) {
    if (user_on_epoch) user_on_epoch(r);
    add_row("", r.train_loss, r.validation, r.test);
  };
  trainer_ = std::make_unique<Trainer<float>>(*network_, options, std::move(settings));
}

Eigen::Index GrowPruneRun::hidden_neurons() const { return nn::hidden_neurons(*network_); }

void GrowPruneRun::add_row(const std::string& event, double train_loss, const Evaluation& validation, const Evaluation& test) {
  GrowPruneRow row;
  row.run = name_;
  row.epoch = trainer_->epoch();
  row.event = event;
  row.neurons = hidden_neurons();
  row.parameters = network_->parameters().size();
  row.train_loss = train_loss;
  row.validation = validation;
  row.test = test;
  rows_.push_back(row);
  if (on_row_) on_row_(rows_.back());
}

void GrowPruneRun::mark(const std::string& event) {
  const Eigen::Index batch = trainer_->settings().eval_batch;
  add_row(event, GrowPruneRow::kNaN, evaluate<float>(*network_, data_.validation, batch),
          evaluate<float>(*network_, data_.test, batch));
}

void GrowPruneRun::reset_optimizer() {
  trainer_->reset_optimizer();
  steps_at_reset_ = trainer_->steps();
}

void GrowPruneRun::train(long epochs) {
  if (epochs < 0) throw InvalidOption("--stage-epochs", "must be >= 0");
  if (options_.schedule.kind == optim::ScheduleKind::cosine) {
    // The decay ends where this stretch of training ends, counted from the optimizer's restart.
    const Eigen::Index batch = std::min(trainer_->settings().batch, std::max<Eigen::Index>(1, data_.train.size()));
    const long batches = static_cast<long>((data_.train.size() + batch - 1) / batch);
    options_.schedule.total = std::max(options_.schedule.warmup + 1, trainer_->steps() - steps_at_reset_ + epochs * batches);
    trainer_->set_options(options_);
  }
  trainer_->settings().epochs = trainer_->epoch() + epochs;
  trainer_->run(data_);
}

std::vector<Eigen::Index> GrowPruneRun::fraction_of_sizes(double fraction) const {
  std::vector<Eigen::Index> counts;
  for (int l = 1; l < network_->layers(); ++l)
    counts.push_back(static_cast<Eigen::Index>(std::llround(fraction * static_cast<double>(network_->size(l)))));
  return counts;
}

Eigen::Index GrowPruneRun::death(const std::vector<Eigen::Index>& counts, Eigen::Index min_neurons, Efficiency measure,
                                 Fold fold, Eigen::Index stats_samples, Rng& rng) {
  if (min_neurons < 1) throw InvalidOption("--min-neurons", "must be >= 1");
  if (counts.size() != static_cast<std::size_t>(network_->layers() - 1))
    throw std::invalid_argument("GrowPruneRun::death: one count per hidden layer");
  Eigen::Index removed = 0;
  for (int l = 1; l < network_->layers(); ++l) {
    const Eigen::Index n = network_->size(l);
    const Eigen::Index count = std::min(counts[static_cast<std::size_t>(l - 1)], std::max<Eigen::Index>(0, n - min_neurons));
    if (count <= 0) continue;
    const LayerStatistics st = layer_statistics(*network_, l, data_.train, stats_samples);
    *network_ = programmed_death(*network_, l, count, measure, fold, st, rng).network;
    removed += count;
  }
  if (removed == 0) return 0;
  reset_optimizer();
  mark("death -" + std::to_string(removed));
  return removed;
}

Eigen::Index GrowPruneRun::replication(double fraction, Efficiency measure, double noise, double input_noise,
                                       Eigen::Index stats_samples, Rng& rng) {
  if (!(fraction >= 0 && fraction <= 1)) throw InvalidOption("--replication-fraction", "must be in [0, 1]");
  Eigen::Index added = 0;
  const std::vector<Eigen::Index> counts = fraction_of_sizes(fraction);
  for (int l = 1; l < network_->layers(); ++l) {
    const Eigen::Index count = counts[static_cast<std::size_t>(l - 1)];
    if (count <= 0) continue;
    const LayerStatistics st = layer_statistics(*network_, l, data_.train, stats_samples);
    *network_ = replicate_neurons(*network_, l, count, measure, st, noise, rng, input_noise).network;
    added += count;
  }
  if (added == 0) return 0;
  reset_optimizer();
  mark("replication +" + std::to_string(added));
  return added;
}

}  // namespace ldyn::nn
