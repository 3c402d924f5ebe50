#pragma once
// The torch-like face of the engine: parameter groups with their own options, and
//   opt.step(params, grads)
// applying one CGD update to every group. `optimize()` (optimize.hpp) is the ensmallen-like face
// over the same object.
#include <cstddef>
#include <filesystem>
#include <iosfwd>
#include <string>
#include <limits>
#include <memory>
#include <span>
#include <vector>

#include "optim/group_engine.hpp"
#include "optim/options.hpp"

namespace ldyn::optim {

struct StepReport {
  double grad_norm = 0;     ///< Euclidean norm of the raw gradient, all groups
  double update_norm = 0;   ///< norm of the applied update (when measure_updates is on)
  double effective_rank = std::numeric_limits<double>::quiet_NaN();  ///< dense metrics only
  bool skipped = false;     ///< a non-finite gradient was skipped (skip_nonfinite)
};

template <class T>
class Optimizer {
 public:
  /// `defaults` are the options of groups added without their own. Throws InvalidOption.
  explicit Optimizer(Options defaults);
  ~Optimizer();
  Optimizer(Optimizer&&) noexcept;
  Optimizer& operator=(Optimizer&&) noexcept;

  /// Registers a group of tensors with the given sizes; returns its index.
  std::size_t add_group(std::vector<std::size_t> tensor_sizes);
  std::size_t add_group(std::vector<std::size_t> tensor_sizes, const Options& options);

  /// One update of all groups. `params` and `grads` list every tensor of every group, in the order
  /// they were registered, with the registered sizes (checked; throws std::invalid_argument).
  StepReport step(Tensors<T> params, ConstTensors<T> grads);
  /// The same for parameters stored back to back: `x` and `g` hold every registered tensor of
  /// every group, in registration order (the common case of one flat parameter vector).
  StepReport step(std::span<T> x, std::span<const T> g);

  /// Measure the update norm at every step (one extra reduction; off by default).
  void measure_updates(bool on) { measure_ = on; }

  std::size_t groups() const { return groups_.size(); }
  const Options& options(std::size_t group) const;
  /// Changes options that do not change the state's shape (lr, betas, eps, decay, clipping, ...).
  void set_options(std::size_t group, const Options& options);
  long steps() const { return t_; }
  long skipped_steps() const { return skipped_; }
  /// State values kept per parameter (Adam: exactly 2).
  double state_per_parameter() const;
  long eigen_fallbacks() const;

  /// Versioned binary checkpoint; load() requires an optimizer built with the same groups, force
  /// and metric source, and leaves it untouched if the file is corrupt or does not match.
  void save(const std::filesystem::path& path) const;
  void load(const std::filesystem::path& path);
  /// The same on streams (to embed the state in a larger checkpoint); `name` labels errors.
  void save(std::ostream& out) const;
  void load(std::istream& in, const std::string& name);

 private:
  struct Group;
  std::vector<std::unique_ptr<Group>> groups_;
  // Views into the flat vectors of step(x, g), kept to avoid allocating at every step.
  std::vector<std::span<T>> flat_params_;
  std::vector<std::span<const T>> flat_grads_;
  std::vector<double> group_norms_;  ///< per-group gradient norms of the current step
  Options defaults_;
  long t_ = 0;
  long skipped_ = 0;
  bool measure_ = false;
};

extern template class Optimizer<float>;
extern template class Optimizer<double>;

}  // namespace ldyn::optim
