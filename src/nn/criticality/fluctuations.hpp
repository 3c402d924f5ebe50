#pragma once
// The fluctuations of the trainable variables q over a window of W optimizer steps, the quantity
// whose distribution the criticality measurement fits (docs/nn_criticality.md). Three definitions,
// each a magnitude (the fit is of |.|), over snapshots q(t0 + k s), k = 0..K, of the window:
//   increment     |q_i(t + tau) - q_i(t)|,  s = tau, K = floor(W / tau): K samples per variable
//                 (non-overlapping, so consecutive samples share no step)
//   deviation     |q_i(t) - <q_i>|, <.> the mean over the K + 1 snapshots, s = tau: K + 1 samples
//   displacement  |q_i(t0 + W) - q_i(t0)|, s = W, K = 1: one sample per variable
// Memory stays bounded whatever W: only the snapshots of the recorded variables are kept, and when
// (variables x samples per variable) exceeds max_samples, a seeded random subset of the variables
// is recorded (all of their samples), never W copies of the whole network.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "nn/data/dataset.hpp"
#include "nn/model.hpp"
#include "nn/train/trainer.hpp"

namespace ldyn::nn {

enum class FluctuationKind { increment, deviation, displacement };

const char* to_string(FluctuationKind k);
/// "increment", "deviation" or "displacement"; throws InvalidOption(option, ...).
FluctuationKind fluctuation_kind_from_string(const std::string& name, const std::string& option = "--fluctuation");
/// The names above, comma separated.
std::string fluctuation_kind_names();

struct FluctuationOptions {
  FluctuationKind kind = FluctuationKind::increment;
  long window = 1000;        ///< W: optimizer steps recorded (>= 1)
  long lag = 1;              ///< tau (increment, deviation): 1 <= tau < W; unused by displacement
  long max_samples = 100000; ///< cap on the samples returned (>= the samples of one variable)
  std::uint64_t seed = 1;    ///< the subset of variables: stream make_stream(seed, "fluctuation-variables")
};

/// Throws InvalidOption naming --window, --lag or --max-samples for impossible values.
void validate(const FluctuationOptions& o);
/// Samples per recorded variable: floor(W / tau), floor(W / tau) + 1 or 1 (after validate).
long samples_per_variable(const FluctuationOptions& o);

struct FluctuationSamples {
  FluctuationKind kind = FluctuationKind::increment;
  long window = 0, lag = 0;
  std::size_t variables = 0;          ///< trainable variables of the model
  std::vector<std::size_t> recorded;  ///< indices into parameters() of those recorded, ascending
  long per_variable = 0;              ///< samples per recorded variable
  long zeros = 0;                     ///< samples exactly 0 (e.g. dead ReLU units; the fit drops them)
  /// recorded.size() * per_variable magnitudes, snapshot-major: values[k * recorded.size() + j].
  std::vector<double> values;
};

/// Takes the snapshots of one window. The caller reports every window step s (0: before the
/// window's first optimizer step, s: after its s-th) with the parameters at that moment; steps
/// that are not snapshot times are ignored at the cost of one comparison.
class FluctuationRecorder {
 public:
  /// Validates the options and chooses the recorded variables of a model with `variables` of them.
  FluctuationRecorder(std::size_t variables, const FluctuationOptions& options);

  long stride() const { return stride_; }
  long snapshots() const { return snapshots_; }
  bool complete() const { return taken_ == snapshots_; }
  const std::vector<std::size_t>& recorded() const { return recorded_; }

  /// Records q if step is the next snapshot time. Throws std::invalid_argument when q has the
  /// wrong size or a snapshot time was skipped (steps must be reported in order).
  template <class T>
  void observe(long step, std::span<const T> q);

  /// The samples of a complete window (std::logic_error before). Throws NonFiniteError when a
  /// recorded variable was NaN or infinite.
  FluctuationSamples samples() const;

 private:
  FluctuationOptions options_;
  std::size_t variables_;
  long stride_ = 1, snapshots_ = 2, taken_ = 0;
  std::vector<std::size_t> recorded_;
  std::vector<double> history_;  // snapshots_ x recorded_.size(), snapshot-major
};

/// Runs the trainer on `data` (whole epochs, Trainer::train_epoch, so the window continues the
/// same minibatch streams) until W more optimizer steps have been taken, recording `model`'s
/// parameters (the trainer's model) through TrainSettings::on_batch; an on_batch callback already
/// set is still called. The steps from the end of the window to the end of its last epoch are
/// trained but not recorded.
template <class T>
FluctuationSamples record_fluctuations(Trainer<T>& trainer, Model<T>& model, const DataSplit& data,
                                       const FluctuationOptions& options);

extern template void FluctuationRecorder::observe<float>(long, std::span<const float>);
extern template void FluctuationRecorder::observe<double>(long, std::span<const double>);
extern template FluctuationSamples record_fluctuations<float>(Trainer<float>&, Model<float>&, const DataSplit&,
                                                              const FluctuationOptions&);
extern template FluctuationSamples record_fluctuations<double>(Trainer<double>&, Model<double>&, const DataSplit&,
                                                               const FluctuationOptions&);

}  // namespace ldyn::nn
