#include "particles/episode.hpp"

#include <cmath>

#include "core/random.hpp"

namespace ldyn::particles {

double EpisodeStats::collisions_per_particle_per_1000_steps() const {
  return steps > 0 && particles > 0 ? 2.0 * static_cast<double>(collisions) / static_cast<double>(particles) * 1000.0 / static_cast<double>(steps) : 0;
}

double EpisodeStats::edge_hits_per_particle_per_1000_steps() const {
  return steps > 0 && particles > 0 ? static_cast<double>(edge_hits) / static_cast<double>(particles) * 1000.0 / static_cast<double>(steps) : 0;
}

EpisodeStats run_episode(World& world, Driver& driver, std::uint64_t seed, const EpisodeOptions& options) {
  world.reset(seed);
  driver.start_episode(seed);
  const std::size_t n = world.size();
  std::vector<float> ax(n), ay(n);
  EpisodeStats stats;
  stats.particles = static_cast<long>(n);
  stats.steps = options.steps;
  std::uint64_t digest = kFnvOffset;
  if (options.observe) options.observe(world, 0);
  double reward_sum = 0, progress_sum = 0;
  for (long t = 0; t < options.steps; ++t) {
    driver.act(world, ax, ay);
    const StepEvents events = world.step(ax, ay);
    stats.collisions += events.collisions;
    stats.edge_hits += events.edge_hits;
    // Sums in double over float terms, per step, in index order: the same in every frame.
    double rs = 0, ps = 0;
    const auto r = world.reward(), p = world.progress();
    for (std::size_t i = 0; i < n; ++i) rs += r[i], ps += p[i];
    reward_sum += rs;
    progress_sum += ps;
    if (options.digest) digest = fnv1a(digest, world.road_frame_digest());
    if (options.observe) options.observe(world, t + 1);
  }
  const double dn = static_cast<double>(n);
  stats.mean_return = reward_sum / dn;
  stats.mean_speed_fraction = options.steps > 0 ? progress_sum / (dn * static_cast<double>(options.steps)) : 0;
  stats.digest = options.digest ? digest : 0;
  return stats;
}

MeanSd mean_sd(const std::vector<double>& values) {
  MeanSd m;
  if (values.empty()) return m;
  for (double v : values) m.mean += v;
  m.mean /= static_cast<double>(values.size());
  if (values.size() > 1) {
    double ss = 0;
    for (double v : values) ss += (v - m.mean) * (v - m.mean);
    m.sd = std::sqrt(ss / static_cast<double>(values.size() - 1));
  }
  return m;
}

}  // namespace ldyn::particles
