#pragma once
// Batched sensor readings: one column per particle, so that a policy is evaluated for all
// particles at once (docs/particles.md, "Policies").
//   invariant: 6 rows, the agent's road-frame velocity in its own frame and the four threat-
//              weighted invariants, summed over its neighbours or of the most threatening one
//              (Sensing::aggregate, sensing.hpp);
//   raw:       7 + 5K rows, world-frame absolute positions and velocities of the agent and of its K
//              nearest neighbours within the sensing radius (plus a presence flag), and its desired
//              heading and speed: no symmetry built in.
#include <Eigen/Core>

#include "particles/sensing.hpp"
#include "particles/world.hpp"

namespace ldyn::particles {

using FeatureMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic>;

constexpr long kInvariantFeatures = 6;
constexpr long raw_feature_count(long neighbours) { return 7 + 5 * neighbours; }

/// Fills X (resized to 6 x N on first use; no allocation afterwards).
void invariant_features(const World& world, const Sensing& sensing, FeatureMatrix& X);
/// Fills X (7 + 5K) x N.
void raw_features(const World& world, const Sensing& sensing, FeatureMatrix& X);

/// The most threatening neighbour of particle i, as sensed (index N, N+1 stand for the lane's lower
/// and upper edges; -1 when nothing within the sensing radius threatens).
struct Threat {
  long neighbour = -1;
  PairInvariants invariants;
  float rx = 0, ry = 0, vx = 0, vy = 0;  ///< relative position and velocity, world axes
  /// Threat-weighted sums over every neighbour (and edge) seen: sum s r/|r| and sum s v, world
  /// axes. Summed as fixed-point integers, so the visiting order cannot change a bit.
  double sum_rx = 0, sum_ry = 0, sum_vx = 0, sum_vy = 0;
};
/// (Scans the whole world: for tests and analysis, not for loops over particles.)
Threat most_threatening(const World& world, const Sensing& sensing, std::size_t i);

}  // namespace ldyn::particles
