#pragma once
// REINFORCE with a baseline (Williams 1992). The policy is Gaussian around the network's output:
// normalized action = out(theta) + sigma xi, xi ~ N(0, I), so grad log pi = xi / sigma * d out/d theta.
//   loss = -1/(E T N) sum_{e,t,i} A_{e,t,i} log pi(a_{e,t,i} | s_{e,t,i})
// Advantage A = G - b: G the discounted return-to-go of particle i from step t, b the mean of G
// over all particles (and episodes) at step t (the agents are identical, so their mean is the
// natural baseline), the whole normalized to unit variance.
#include <cstdint>
#include <span>
#include <vector>

#include "particles/evolution_strategy.hpp"
#include "particles/policy.hpp"
#include "particles/world.hpp"

namespace ldyn::particles {

struct PgOptions {
  long episodes = 2;          ///< E episodes per gradient estimate
  double action_noise = 0.3;  ///< sigma, in units of a_max
  double discount = 0.98;     ///< gamma of the return-to-go
};
void validate(const PgOptions& o);

/// Buffers reused across calls (one per training run): no allocation after the first estimate.
struct PgWorkspace {
  std::vector<Matrixf> X, H, O, noise;
  std::vector<std::vector<float>> rewards;
  std::vector<float> advantage;
  Matrixf d_out, scratch;
};

/// Fills `loss_grad` with the gradient of the loss above. Episode e runs on a seed derived from
/// `episode_seed` and e; the exploration noise on one derived from `noise_seed` and e.
GradientEstimate pg_gradient(World& world, const Policy& policy, const PgOptions& options, long steps,
                             std::uint64_t episode_seed, std::uint64_t noise_seed, std::span<float> loss_grad,
                             PgWorkspace& ws);

}  // namespace ldyn::particles
