#pragma once
// The update policy of one parameter group: holds the group's moments and metric and turns its
// gradient into a step. One implementation per metric *structure*; force, source and the power
// alpha are parameters of each (docs/architecture.md). Engines never allocate inside step().
#include <cstddef>
#include <limits>
#include <memory>
#include <span>
#include <vector>

#include "optim/options.hpp"
#include "optim/state_io.hpp"
#include "optim/step_context.hpp"

namespace ldyn::optim {

template <class T>
using Tensors = std::span<const std::span<T>>;
template <class T>
using ConstTensors = std::span<const std::span<const T>>;

template <class T>
class GroupEngine {
 public:
  virtual ~GroupEngine() = default;
  /// Applies one update in place. Adds the squared update norm to `update_sq` if c.measure.
  virtual void step(const StepContext& c, Tensors<T> params, ConstTensors<T> grads,
                    double& update_sq) = 0;
  /// Participation ratio (sum mu)^2 / sum mu^2 of the metric's eigenvalues mu; NaN if not dense.
  /// Defined here, not in a .cpp: an out-of-line member of a class template is only instantiated
  /// where it is used, and the engines' vtables (diagonal_engine.cpp) need it in every build.
  virtual double effective_rank() const { return std::numeric_limits<double>::quiet_NaN(); }
  /// Number of state values kept per parameter, for reports and the memory benchmark.
  virtual std::size_t state_size() const = 0;
  virtual void save(StateWriter& out) const = 0;
  virtual void load(StateReader& in) = 0;
  /// Number of refreshes whose eigendecomposition failed and fell back to the diagonal.
  virtual long fallbacks() const { return 0; }
};

/// The engine for `options.structure` over tensors of the given sizes.
template <class T>
std::unique_ptr<GroupEngine<T>> make_engine(const Options& options,
                                            const std::vector<std::size_t>& tensor_sizes);

}  // namespace ldyn::optim
