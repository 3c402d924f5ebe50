#pragma once
// One episode: reset the world from a seed, let a driver act for a number of steps, and measure
// what the goals are stated in (docs/particles.md, "Measurements").
#include <cstdint>
#include <functional>
#include <vector>

#include "particles/driver.hpp"
#include "particles/world.hpp"

namespace ldyn::particles {

struct EpisodeStats {
  long steps = 0;
  long particles = 0;
  long collisions = 0;          ///< pair collisions (each involves two particles)
  long edge_hits = 0;           ///< lane: particle hits of a road edge
  double mean_return = 0;       ///< sum of rewards over the episode, mean over particles
  double mean_speed_fraction = 0;  ///< mean over particles and steps of u.d_i / c_i
  std::uint64_t digest = 0;     ///< road-frame trajectory digest (when requested)

  /// Collisions a particle takes part in, per 1000 steps: 2 collisions / N * 1000 / steps.
  double collisions_per_particle_per_1000_steps() const;
  double edge_hits_per_particle_per_1000_steps() const;
  long particle_steps() const { return steps * particles; }
};

struct EpisodeOptions {
  long steps = 300;
  bool digest = false;  ///< fold World::road_frame_digest() of every step into stats.digest
  /// Called after reset (step 0) and after every step (for rendering and per-step analysis).
  std::function<void(const World&, long step)> observe;
};

/// Resets `world` from `seed`, runs the episode. The driver is told the seed first.
EpisodeStats run_episode(World& world, Driver& driver, std::uint64_t seed, const EpisodeOptions& options);

/// Mean and sample standard deviation of a list of values (0 sd for one value).
struct MeanSd {
  double mean = 0, sd = 0;
};
MeanSd mean_sd(const std::vector<double>& values);

}  // namespace ldyn::particles
