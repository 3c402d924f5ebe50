#pragma once
// Full and block CGD: kappa is dense within each block (full = one block holding the whole group).
// Per step O(sum n_b^2) for the moment update and the metric application; every `refresh_every`
// steps an O(n_b^3) symmetric eigendecomposition per block, and in between an O(n_b^2) update of
// the metric's eigenvalues in the kept basis (SpectralMetric::track).
#include <vector>

#include <Eigen/Dense>

#include "optim/group_engine.hpp"
#include "optim/spectral_metric.hpp"

namespace ldyn::optim {

template <class T>
class DenseEngine final : public GroupEngine<T> {
 public:
  using Mat = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>;
  using Vec = Eigen::Matrix<T, Eigen::Dynamic, 1>;

  /// One block per entry of `block_sizes` (they must add up to the group size).
  DenseEngine(const Options& options, const std::vector<std::size_t>& block_sizes);
  void step(const StepContext& c, Tensors<T> params, ConstTensors<T> grads,
            double& update_sq) override;
  double effective_rank() const override { return effective_rank_; }
  std::size_t state_size() const override;
  void save(StateWriter& out) const override;
  void load(StateReader& in) override;
  long fallbacks() const override { return fallbacks_; }

 private:
  struct Block {
    Eigen::Index offset, size;
    Vec m;   ///< first moment
    Mat K;   ///< kappa accumulator, lower triangle only
    SpectralMetric<T> metric;
  };
  void refresh(const StepContext& c);
  void update_effective_rank();

  Options options_;
  std::vector<Block> blocks_;
  Vec g_, force_, delta_;  ///< workspaces over the whole group
  double effective_rank_;
  long fallbacks_ = 0;
};

}  // namespace ldyn::optim
