#pragma once
// Low-rank plus diagonal CGD. kappa is tracked as B B^T (B: n x k, a streaming sketch of the
// exponential average, exact while the gradients span at most k directions) plus a diagonal:
//   B' = [sqrt(b2) B | sqrt(w2) d],  B <- B' E_k   (E_k: top-k eigenvectors of B'^T B', O(n k^2))
//   kappa ~= U diag(lambda) U^T + (residual diagonal r on the complement of U)
//   g^{-1} F = U diag(phi(lambda)) U^T F + P diag(phi(r)) P F,   P = I - U U^T.
// With k >= n this is full CGD; with the complement alone it is diagonal CGD.
#include <vector>

#include <Eigen/Dense>

#include "optim/group_engine.hpp"

namespace ldyn::optim {

template <class T>
class LowRankEngine final : public GroupEngine<T> {
 public:
  using Mat = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>;
  using Vec = Eigen::Matrix<T, Eigen::Dynamic, 1>;

  LowRankEngine(const Options& options, std::size_t n);
  void step(const StepContext& c, Tensors<T> params, ConstTensors<T> grads,
            double& update_sq) override;
  double effective_rank() const override { return effective_rank_; }
  std::size_t state_size() const override;
  void save(StateWriter& out) const override;
  void load(StateReader& in) override;

 private:
  Options options_;
  Eigen::Index k_;
  Vec m_, v_;      ///< first moment; diagonal of kappa
  Mat sketch_;     ///< B, n x k, columns mutually orthogonal
  // Workspaces (no allocation in step()).
  Mat wide_;       ///< B', n x (k + 1)
  Mat gram_;       ///< B'^T B'
  Eigen::SelfAdjointEigenSolver<Mat> gram_solver_;
  Vec g_, d_, f_, delta_, coef_, back_, strength_, residual_phi_;
  Mat basis_;      ///< U: the sketch's columns normalized
  Eigen::Matrix<double, Eigen::Dynamic, 1> phi_;  ///< inverse metric along the sketch directions
  double effective_rank_;
};

}  // namespace ldyn::optim
