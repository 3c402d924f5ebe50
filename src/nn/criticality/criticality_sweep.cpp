#include "nn/criticality/criticality_sweep.hpp"

#include "core/error.hpp"
#include "nn/layered_network.hpp"

namespace ldyn::nn {
namespace {

/// A fit whose every number is NaN, for pairs that could not be fitted.
PowerLawFit unfitted() {
  constexpr double nan = PowerLawFit::kNaN;
  PowerLawFit f;
  f.alpha = f.alpha_stderr = f.xmin = f.ks_distance = f.decades = nan;
  for (LikelihoodRatio* r : {&f.vs_lognormal, &f.vs_exponential}) r->log_ratio = r->normalized = r->p_value = nan;
  f.vs_lognormal.alternative = "lognormal";
  f.vs_exponential.alternative = "exponential";
  return f;
}

}  // namespace

std::string CriticalityPair::name() const { return std::string(to_string(activation)) + "/" + to_string(loss); }

std::vector<CriticalityPair> all_pairs(std::span<const Activation> activations, std::span<const OutputLoss> losses) {
  std::vector<CriticalityPair> pairs;
  for (Activation a : activations)
    for (OutputLoss l : losses) pairs.push_back({a, l});
  return pairs;
}

void validate_sweep(const DataSplit& data, std::span<const CriticalityPair> pairs, const SweepSettings& settings) {
  if (pairs.empty()) throw InvalidOption("--activations", "no (activation, loss) pair to measure: both lists must be non-empty");
  for (const CriticalityPair& p : pairs)
    if (p.loss == OutputLoss::cross_entropy && !data.train.classification())
      throw InvalidOption("--losses", "cross-entropy needs a classification data set, and " + data.train.name +
                                          " is regression (use --losses mse)");
  const auto& sizes = settings.layers;
  if (sizes.size() < 2) throw InvalidOption("--layers", "need at least an input and an output size");
  if (sizes.front() != data.train.features() || sizes.back() != data.train.outputs())
    throw InvalidOption("--layers", "the network maps " + std::to_string(sizes.front()) + " inputs to " +
                                        std::to_string(sizes.back()) + " outputs, but " + data.train.name + " has " +
                                        std::to_string(data.train.features()) + " features and " +
                                        std::to_string(data.train.outputs()) + " targets per sample");
  validate(settings.plateau);
  validate(settings.fluctuations);
}

CriticalityRecord measure_criticality(const DataSplit& data, const CriticalityPair& pair, const SweepSettings& settings,
                                      std::size_t index) {
  auto stage = [&](const char* what) {
    if (settings.on_stage) settings.on_stage(index, what);
  };
  CriticalityRecord r;
  r.pair = pair;
  LayeredNetwork<float> network(LayeredSpec{settings.layers, pair.activation, settings.output, pair.loss});
  network.initialize(settings.init, settings.training.seed);
  r.network = network.describe();
  r.parameters = network.parameters().size();
  TrainSettings training = settings.training;
  training.checkpoint.clear();
  if (settings.on_epoch) training.on_epoch = [&](const EpochRow& row) { settings.on_epoch(index, row); };
  Trainer<float> trainer(network, settings.optimizer, training);
  try {
    stage("training");
    r.plateau = train_to_plateau(trainer, data, settings.plateau);
    stage("window");
    r.samples = record_fluctuations(trainer, network, data, settings.fluctuations);
  } catch (const NonFiniteError& e) {
    r.failure = std::string("training diverged: ") + e.what();
  }
  r.epochs = trainer.epoch();
  if (!trainer.history().empty()) r.final_train_loss = trainer.history().back().train_loss;
  if (!r.failure.empty()) {
    r.fit = unfitted();
    return r;
  }
  stage("fit");
  try {
    r.fit = fit_power_law(r.samples.values, settings.fit);
  } catch (const InvalidOption& e) {
    if (e.option() != "samples") throw;  // an impossible fit option is the caller's error
    r.failure = std::string("no fit: ") + e.what();
    r.fit = unfitted();
  }
  return r;
}

std::vector<CriticalityRecord> sweep_criticality(const DataSplit& data, std::span<const CriticalityPair> pairs,
                                                 const SweepSettings& settings) {
  validate_sweep(data, pairs, settings);
  std::vector<CriticalityRecord> records;
  records.reserve(pairs.size());
  for (std::size_t i = 0; i < pairs.size(); ++i) {
    records.push_back(measure_criticality(data, pairs[i], settings, i));
    if (settings.on_record) settings.on_record(i, records.back());
  }
  return records;
}

}  // namespace ldyn::nn
