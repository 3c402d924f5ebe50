#pragma once
// Diagonal CGD: kappa keeps one number per parameter, so g^{-1} F is elementwise and the whole
// update (moments, metric, step, weight decay) is one fused, vectorizable pass over memory.
// SGD, momentum, RMSProp, Adam, AdamW, AdaBelief and cgd-diag all run here.
#include <vector>

#include "optim/group_engine.hpp"

namespace ldyn::optim {

template <class T>
class DiagonalEngine final : public GroupEngine<T> {
 public:
  DiagonalEngine(const Options& options, std::size_t n);
  void step(const StepContext& c, Tensors<T> params, ConstTensors<T> grads,
            double& update_sq) override;
  std::size_t state_size() const override { return m_.size() + v_.size(); }
  void save(StateWriter& out) const override;
  void load(StateReader& in) override;

 private:
  Force force_;
  MetricSource source_;
  std::vector<T> m_;  ///< first moment (only when the force or the source needs it)
  std::vector<T> v_;  ///< diagonal of kappa (only when the metric is not the identity)
};

}  // namespace ldyn::optim
