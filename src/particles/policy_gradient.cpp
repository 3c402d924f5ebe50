#include "particles/policy_gradient.hpp"

#include <algorithm>
#include <cmath>

#include "core/error.hpp"
#include "core/random.hpp"
#include "particles/driver.hpp"

namespace ldyn::particles {

void validate(const PgOptions& o) {
  if (o.episodes < 1 || o.episodes > 10000) throw InvalidOption("--pg-episodes", "must be in [1, 10000] (got " + std::to_string(o.episodes) + ")");
  if (!(std::isfinite(o.action_noise) && o.action_noise > 0)) throw InvalidOption("--pg-noise", "must be a finite number > 0");
  if (!(std::isfinite(o.discount) && o.discount >= 0 && o.discount <= 1)) throw InvalidOption("--pg-discount", "must be in [0, 1]");
}

GradientEstimate pg_gradient(World& world, const Policy& policy, const PgOptions& options, long steps,
                             std::uint64_t episode_seed, std::uint64_t noise_seed, std::span<float> loss_grad,
                             PgWorkspace& ws) {
  const std::size_t n = world.size();
  const auto episodes = static_cast<std::size_t>(options.episodes);
  const auto T = static_cast<std::size_t>(steps);
  const std::size_t slots = episodes * T;
  ws.X.resize(slots), ws.H.resize(slots), ws.O.resize(slots), ws.noise.resize(slots);
  ws.rewards.resize(slots);
  PolicyDriver driver(policy);
  driver.set_exploration(options.action_noise);
  std::vector<float> ax(n), ay(n);
  GradientEstimate est;
  for (std::size_t e = 0; e < episodes; ++e) {
    const std::uint64_t seed = make_stream(episode_seed, "particles-pg-episode-" + std::to_string(e))();
    world.reset(seed);
    driver.start_episode(make_stream(noise_seed, "particles-pg-noise-" + std::to_string(e))());
    double total = 0;
    for (std::size_t t = 0; t < T; ++t) {
      driver.act(world, ax, ay);
      const std::size_t s = e * T + t;
      ws.X[s] = driver.features();
      ws.H[s] = driver.hidden();
      ws.O[s] = driver.mean_action();
      ws.noise[s] = driver.noise();
      world.step(ax, ay);
      const auto r = world.reward();
      ws.rewards[s].assign(r.begin(), r.end());
      for (float v : r) total += v;
    }
    est.mean_return += total / static_cast<double>(n);
    est.particle_steps += static_cast<long>(T * n);
  }
  est.mean_return /= static_cast<double>(episodes);
  // Returns-to-go, then the per-step baseline over particles and episodes.
  ws.advantage.assign(slots * n, 0.0f);
  const float gamma = static_cast<float>(options.discount);
  for (std::size_t e = 0; e < episodes; ++e)
    for (std::size_t i = 0; i < n; ++i) {
      float g = 0;
      for (std::size_t t = T; t-- > 0;) {
        g = ws.rewards[e * T + t][i] + gamma * g;
        ws.advantage[(e * T + t) * n + i] = g;
      }
    }
  double sum2 = 0;
  for (std::size_t t = 0; t < T; ++t) {
    double b = 0;
    for (std::size_t e = 0; e < episodes; ++e)
      for (std::size_t i = 0; i < n; ++i) b += ws.advantage[(e * T + t) * n + i];
    b /= static_cast<double>(episodes * n);
    for (std::size_t e = 0; e < episodes; ++e)
      for (std::size_t i = 0; i < n; ++i) {
        float& a = ws.advantage[(e * T + t) * n + i];
        a = static_cast<float>(a - b);
        sum2 += static_cast<double>(a) * a;
      }
  }
  const double sd = std::sqrt(sum2 / static_cast<double>(slots * n));
  const float scale = static_cast<float>(-1.0 / ((sd > 1e-12 ? sd : 1.0) * options.action_noise * static_cast<double>(slots * n)));
  std::fill(loss_grad.begin(), loss_grad.end(), 0.0f);
  const long cols = static_cast<long>(n);
  for (std::size_t s = 0; s < slots; ++s) {
    ws.d_out.resize(2, cols);
    const float* a = ws.advantage.data() + s * n;
    for (long i = 0; i < cols; ++i)
      for (long k = 0; k < 2; ++k) ws.d_out(k, i) = scale * a[i] * ws.noise[s](k, i);
    policy.net.backward(ws.X[s], ws.H[s], ws.O[s], ws.d_out, loss_grad, ws.scratch);
  }
  return est;
}

}  // namespace ldyn::particles
