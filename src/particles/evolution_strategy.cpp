#include "particles/evolution_strategy.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "core/error.hpp"
#include "core/random.hpp"
#include "particles/episode.hpp"

namespace ldyn::particles {

void validate(const EsOptions& o) {
  if (o.pairs < 1 || o.pairs > 10000) throw InvalidOption("--es-pairs", "must be in [1, 10000] (got " + std::to_string(o.pairs) + ")");
  if (!(std::isfinite(o.sigma) && o.sigma > 0)) throw InvalidOption("--es-sigma", "must be a finite number > 0");
}

std::vector<double> centred_ranks(const std::vector<double>& values) {
  const std::size_t n = values.size();
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return values[a] < values[b]; });
  std::vector<double> ranks(n, 0.0);
  if (n < 2) return ranks;
  for (std::size_t k = 0; k < n;) {
    std::size_t end = k + 1;
    while (end < n && values[order[end]] == values[order[k]]) ++end;
    const double mean_rank = 0.5 * static_cast<double>(k + end - 1);
    for (std::size_t m = k; m < end; ++m) ranks[order[m]] = mean_rank / static_cast<double>(n - 1) - 0.5;
    k = end;
  }
  return ranks;
}

GradientEstimate es_gradient(World& world, const Policy& policy, const EsOptions& options, long steps,
                             std::uint64_t episode_seed, std::uint64_t noise_seed, std::span<float> loss_grad) {
  const std::size_t n = policy.net.parameter_count();
  const auto pairs = static_cast<std::size_t>(options.pairs);
  Rng rng = make_stream(noise_seed, "particles-es-noise");
  std::vector<float> eps(pairs * n);
  for (float& e : eps) e = static_cast<float>(standard_normal(rng));
  Policy trial = policy;
  PolicyDriver driver(trial);
  EpisodeOptions episode;
  episode.steps = steps;
  std::vector<double> fitness(2 * pairs);
  GradientEstimate est;
  const auto theta = policy.net.parameters();
  for (std::size_t p = 0; p < pairs; ++p) {
    for (int sign = 0; sign < 2; ++sign) {
      auto t = trial.net.parameters();
      const float s = static_cast<float>(sign == 0 ? options.sigma : -options.sigma);
      for (std::size_t k = 0; k < n; ++k) t[k] = theta[k] + s * eps[p * n + k];
      const EpisodeStats stats = run_episode(world, driver, episode_seed, episode);
      fitness[2 * p + static_cast<std::size_t>(sign)] = stats.mean_return;
      est.particle_steps += stats.particle_steps();
      est.mean_return += stats.mean_return;
    }
  }
  est.mean_return /= static_cast<double>(2 * pairs);
  const std::vector<double> ranks = centred_ranks(fitness);
  std::fill(loss_grad.begin(), loss_grad.end(), 0.0f);
  const double scale = 1.0 / (2.0 * static_cast<double>(pairs) * options.sigma);
  for (std::size_t p = 0; p < pairs; ++p) {
    const float w = static_cast<float>(-(ranks[2 * p] - ranks[2 * p + 1]) * scale);
    for (std::size_t k = 0; k < n; ++k) loss_grad[k] += w * eps[p * n + k];
  }
  return est;
}

}  // namespace ldyn::particles
