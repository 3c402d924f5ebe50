#include "nn/grow_prune/schedules.hpp"

#include <cmath>

#include "core/error.hpp"

namespace ldyn::nn {

void GrowPruneConfig::validate() const {
  if (!(death_fraction >= 0 && death_fraction < 1)) throw InvalidOption("--death-fraction", "must be in [0, 1)");
  if (min_neurons < 1) throw InvalidOption("--min-neurons", "must be >= 1");
  if (!(replication_fraction >= 0 && replication_fraction <= 1))
    throw InvalidOption("--replication-fraction", "must be in [0, 1]");
  if (replication_stages < 1) throw InvalidOption("--replication-stages", "must be >= 1");
  if (!(split_noise >= 0) || !std::isfinite(split_noise)) throw InvalidOption("--split-noise", "must be finite and >= 0");
  if (!(split_input_noise >= 0) || !std::isfinite(split_input_noise))
    throw InvalidOption("--split-input-noise", "must be finite and >= 0");
  if (stage_epochs < 0) throw InvalidOption("--stage-epochs", "must be >= 0");
  if (stats_samples < 0) throw InvalidOption("--stats-samples", "must be >= 0 (0: the whole training set)");
  if (combined_every < 1) throw InvalidOption("--every", "must be >= 1");
}

namespace {

// A run continuing a network trained elsewhere for `trained_epochs`: its epoch counter starts there
// so that its rows and its minibatch order line up with the run that trained it.
void start_at(GrowPruneRun& run, long trained_epochs) {
  if (trained_epochs > 0) run.trainer().continue_after_epoch(trained_epochs);
}

void append(std::vector<GrowPruneRow>& all, const GrowPruneRun& run) { all.insert(all.end(), run.rows().begin(), run.rows().end()); }

}  // namespace

std::vector<GrowPruneRow> run_death(const LayeredNetwork<float>& trained, long trained_epochs, const DataSplit& data,
                                    const GrowPruneConfig& config, const GrowPruneTraining& training) {
  config.validate();
  if (!(config.death_fraction > 0)) throw InvalidOption("--death-fraction", "must be > 0 for death");
  Rng rng = make_stream(config.seed, "grow-prune");
  GrowPruneRun run("death", trained, training.options, training.settings, data, training.on_row);
  start_at(run, trained_epochs);
  run.mark("start");
  // Each stage removes the same number of neurons: a fraction of the starting size.
  const std::vector<Eigen::Index> per_stage = run.fraction_of_sizes(config.death_fraction);
  if (per_stage.front() < 1)
    throw InvalidOption("--death-fraction", "removes no neuron of a layer of " + std::to_string(trained.size(1)) + " per stage");
  while (run.death(per_stage, config.min_neurons, config.death_measure, config.fold, config.stats_samples, rng) > 0)
    run.train(config.stage_epochs);
  return run.rows();
}

std::vector<GrowPruneRow> run_replication(const LayeredNetwork<float>& trained, long trained_epochs, const DataSplit& data,
                                          const GrowPruneConfig& config, const GrowPruneTraining& training) {
  config.validate();
  Rng rng = make_stream(config.seed, "grow-prune");
  std::vector<GrowPruneRow> all;
  GrowPruneRun grown("replication", trained, training.options, training.settings, data, training.on_row);
  start_at(grown, trained_epochs);
  grown.mark("start");
  for (long s = 0; s < config.replication_stages; ++s) {
    grown.replication(config.replication_fraction, config.replication_measure, config.split_noise, config.split_input_noise,
                      config.stats_samples, rng);
    grown.train(config.stage_epochs);
  }
  append(all, grown);
  GrowPruneRun control("continued", trained, training.options, training.settings, data, training.on_row);
  start_at(control, trained_epochs);
  control.mark("start");
  control.train(config.replication_stages * config.stage_epochs);
  append(all, control);
  return all;
}

std::vector<GrowPruneRow> run_combined(const LayeredNetwork<float>& initial, long epochs, const DataSplit& data,
                                       const GrowPruneConfig& config, const GrowPruneTraining& training,
                                       const std::function<LayeredNetwork<float>(const std::vector<Eigen::Index>&)>& make_fixed) {
  config.validate();
  if (epochs < 1) throw InvalidOption("--epochs", "must be >= 1");
  Rng rng = make_stream(config.seed, "grow-prune");
  std::vector<GrowPruneRow> all;
  GrowPruneRun combined("combined", initial, training.options, training.settings, data, training.on_row);
  combined.mark("start");
  for (long done = 0; done < epochs;) {
    const long chunk = std::min(config.combined_every, epochs - done);
    combined.train(chunk);
    done += chunk;
    if (done >= epochs) break;
    combined.death(combined.fraction_of_sizes(config.death_fraction), config.min_neurons, config.death_measure, config.fold, config.stats_samples, rng);
    combined.replication(config.replication_fraction, config.replication_measure, config.split_noise, config.split_input_noise,
                         config.stats_samples, rng);
  }
  append(all, combined);
  std::vector<Eigen::Index> sizes;
  for (int l = 1; l < combined.network().layers(); ++l) sizes.push_back(combined.network().size(l));
  GrowPruneRun fixed("fixed", make_fixed(sizes), training.options, training.settings, data, training.on_row);
  fixed.mark("start");
  fixed.train(epochs);
  append(all, fixed);
  return all;
}

std::vector<GrowPruneRow> epoch_rows(const std::vector<GrowPruneRow>& rows, const std::string& run) {
  std::vector<GrowPruneRow> out;
  for (const auto& r : rows)
    if (r.run == run && r.event.empty()) out.push_back(r);
  return out;
}

}  // namespace ldyn::nn
