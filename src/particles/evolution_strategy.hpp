#pragma once
// The evolution strategy (Salimans et al. 2017, antithetic pairs with centred ranks): the gradient
// of the expected return over Gaussian perturbations of the parameters,
//   g = 1/(2 P sigma) sum_p (F(theta + sigma eps_p) - F(theta - sigma eps_p)) eps_p,
// with fitness F replaced by centred ranks in [-0.5, 0.5] (invariant to the scale of the reward).
// Every evaluation of one iteration runs the same episode (common random numbers), so differences
// in fitness come from the perturbation, not from the traffic.
#include <cstdint>
#include <span>
#include <vector>

#include "particles/policy.hpp"
#include "particles/world.hpp"

namespace ldyn::particles {

struct EsOptions {
  long pairs = 8;       ///< P antithetic pairs per iteration
  double sigma = 0.05;  ///< perturbation scale (parameter units)
};
void validate(const EsOptions& o);

struct GradientEstimate {
  long particle_steps = 0;  ///< environment interactions the estimate used
  double mean_return = 0;   ///< mean return of the episodes it ran
};

/// Fills `loss_grad` with -g (the gradient of minus the return, for a minimizer). `policy` is left
/// as it was. Episodes of `steps` steps on `episode_seed`; perturbations from `noise_seed`.
GradientEstimate es_gradient(World& world, const Policy& policy, const EsOptions& options, long steps,
                             std::uint64_t episode_seed, std::uint64_t noise_seed, std::span<float> loss_grad);

/// Centred ranks of `values`: the smallest gets -0.5, the largest +0.5, ties share their mean rank.
std::vector<double> centred_ranks(const std::vector<double>& values);

}  // namespace ldyn::particles
