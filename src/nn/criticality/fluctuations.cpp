#include "nn/criticality/fluctuations.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <utility>

#include "core/error.hpp"
#include "core/random.hpp"

namespace ldyn::nn {
namespace {

constexpr FluctuationKind kAllKinds[] = {FluctuationKind::increment, FluctuationKind::deviation,
                                         FluctuationKind::displacement};

/// `count` of the indices 0..n-1, uniformly without replacement (partial Fisher–Yates with the
/// portable uniform01, so a seed picks the same variables with every standard library), ascending.
std::vector<std::size_t> choose_variables(std::size_t n, std::size_t count, std::uint64_t seed) {
  std::vector<std::size_t> all(n);
  for (std::size_t i = 0; i < n; ++i) all[i] = i;
  if (count >= n) return all;
  Rng rng = make_stream(seed, "fluctuation-variables");
  for (std::size_t i = 0; i < count; ++i) {
    const auto span = static_cast<double>(n - i);
    const std::size_t j = i + std::min(n - i - 1, static_cast<std::size_t>(uniform01(rng) * span));
    std::swap(all[i], all[j]);
  }
  all.resize(count);
  std::sort(all.begin(), all.end());
  return all;
}

}  // namespace

const char* to_string(FluctuationKind k) {
  switch (k) {
    case FluctuationKind::increment: return "increment";
    case FluctuationKind::deviation: return "deviation";
    case FluctuationKind::displacement: return "displacement";
  }
  return "?";
}

FluctuationKind fluctuation_kind_from_string(const std::string& name, const std::string& option) {
  for (FluctuationKind k : kAllKinds)
    if (name == to_string(k)) return k;
  throw InvalidOption(option, "unknown fluctuation '" + name + "' (one of: " + fluctuation_kind_names() + ")");
}

std::string fluctuation_kind_names() {
  std::string names;
  for (FluctuationKind k : kAllKinds) names += (names.empty() ? "" : ", ") + std::string(to_string(k));
  return names;
}

void validate(const FluctuationOptions& o) {
  if (o.window < 1) throw InvalidOption("--window", "must be >= 1 optimizer step (got " + std::to_string(o.window) + ")");
  if (o.lag < 1) throw InvalidOption("--lag", "must be >= 1 (got " + std::to_string(o.lag) + ")");
  if (o.kind != FluctuationKind::displacement && o.lag >= o.window)
    throw InvalidOption("--lag", "must be < --window (" + std::to_string(o.lag) + " >= " + std::to_string(o.window) +
                                     "); the change over the whole window is --fluctuation displacement");
  const long per = samples_per_variable(o);
  if (o.max_samples < per)
    throw InvalidOption("--max-samples", "must be >= the " + std::to_string(per) +
                                             " samples of one variable (--window / --lag), got " +
                                             std::to_string(o.max_samples));
}

long samples_per_variable(const FluctuationOptions& o) {
  switch (o.kind) {
    case FluctuationKind::increment: return o.window / o.lag;
    case FluctuationKind::deviation: return o.window / o.lag + 1;
    case FluctuationKind::displacement: return 1;
  }
  return 1;
}

FluctuationRecorder::FluctuationRecorder(std::size_t variables, const FluctuationOptions& options)
    : options_(options), variables_(variables) {
  validate(options_);
  if (variables == 0) throw InvalidOption("--layers", "the network has no trainable variables");
  const bool whole_window = options_.kind == FluctuationKind::displacement;
  stride_ = whole_window ? options_.window : options_.lag;
  snapshots_ = whole_window ? 2 : options_.window / options_.lag + 1;
  const auto budget = static_cast<std::size_t>(options_.max_samples / samples_per_variable(options_));
  recorded_ = choose_variables(variables, budget, options_.seed);
  history_.assign(static_cast<std::size_t>(snapshots_) * recorded_.size(), 0.0);
}

template <class T>
void FluctuationRecorder::observe(long step, std::span<const T> q) {
  if (complete() || step < taken_ * stride_) return;
  if (step > taken_ * stride_)
    throw std::invalid_argument("FluctuationRecorder: snapshot at step " + std::to_string(taken_ * stride_) +
                                " skipped (got step " + std::to_string(step) + ")");
  if (q.size() != variables_)
    throw std::invalid_argument("FluctuationRecorder: " + std::to_string(q.size()) + " parameters, expected " +
                                std::to_string(variables_));
  double* row = history_.data() + static_cast<std::size_t>(taken_) * recorded_.size();
  for (std::size_t j = 0; j < recorded_.size(); ++j) row[j] = static_cast<double>(q[recorded_[j]]);
  ++taken_;
}

FluctuationSamples FluctuationRecorder::samples() const {
  if (!complete()) throw std::logic_error("FluctuationRecorder::samples before the window is complete");
  for (double v : history_)
    if (!std::isfinite(v)) throw NonFiniteError("a trainable variable became NaN or infinite during the fluctuation window");
  FluctuationSamples s;
  s.kind = options_.kind;
  s.window = options_.window;
  s.lag = options_.kind == FluctuationKind::displacement ? options_.window : options_.lag;
  s.variables = variables_;
  s.recorded = recorded_;
  s.per_variable = samples_per_variable(options_);
  const std::size_t n = recorded_.size(), snaps = static_cast<std::size_t>(snapshots_);
  auto at = [&](std::size_t k, std::size_t j) { return history_[k * n + j]; };
  s.values.reserve(n * static_cast<std::size_t>(s.per_variable));
  // Differences of float snapshots are exact in double: small increments are not lost to rounding
  // here, only to the float resolution of q itself (docs/nn_criticality.md).
  if (options_.kind == FluctuationKind::deviation) {
    std::vector<double> mean(n, 0.0);
    for (std::size_t k = 0; k < snaps; ++k)
      for (std::size_t j = 0; j < n; ++j) mean[j] += at(k, j);
    for (double& m : mean) m /= static_cast<double>(snaps);
    for (std::size_t k = 0; k < snaps; ++k)
      for (std::size_t j = 0; j < n; ++j) s.values.push_back(std::abs(at(k, j) - mean[j]));
  } else {  // increment and displacement: consecutive snapshots
    for (std::size_t k = 0; k + 1 < snaps; ++k)
      for (std::size_t j = 0; j < n; ++j) s.values.push_back(std::abs(at(k + 1, j) - at(k, j)));
  }
  s.zeros = std::count(s.values.begin(), s.values.end(), 0.0);
  return s;
}

template <class T>
FluctuationSamples record_fluctuations(Trainer<T>& trainer, Model<T>& model, const DataSplit& data,
                                       const FluctuationOptions& options) {
  FluctuationRecorder recorder(model.parameters().size(), options);
  recorder.observe<T>(0, model.parameters());
  const long start = trainer.steps();
  // Chain the recorder in front of the caller's callback, and put the caller's back however we leave.
  struct Restore {
    Trainer<T>& t;
    std::function<void(long, long, double)> saved;
    ~Restore() { t.settings().on_batch = std::move(saved); }
  } restore{trainer, trainer.settings().on_batch};
  trainer.settings().on_batch = [&](long batch, long batches, double loss) {
    recorder.observe<T>(trainer.steps() - start, model.parameters());
    if (restore.saved) restore.saved(batch, batches, loss);
  };
  while (!recorder.complete()) trainer.train_epoch(data);
  return recorder.samples();
}

template void FluctuationRecorder::observe<float>(long, std::span<const float>);
template void FluctuationRecorder::observe<double>(long, std::span<const double>);
template FluctuationSamples record_fluctuations<float>(Trainer<float>&, Model<float>&, const DataSplit&,
                                                       const FluctuationOptions&);
template FluctuationSamples record_fluctuations<double>(Trainer<double>&, Model<double>&, const DataSplit&,
                                                        const FluctuationOptions&);

}  // namespace ldyn::nn
