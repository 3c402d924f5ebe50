#pragma once
// Stopping a run that has blown up, with a name for what happened: a non-finite position, velocity
// or force (the atom), a temperature above a limit, or two atoms closer than a minimum distance
// (both atoms, their species and the distance). Cheap checks run every step; the distance check
// every few steps, with a neighbour list of its own whose reach is only min_distance + skin.
#include <cstddef>
#include <optional>
#include <string>

#include "core/error.hpp"
#include "molecular/md/md_settings.hpp"
#include "molecular/neighbors/neighbor_list.hpp"
#include "molecular/system.hpp"

namespace ldyn::molecular::md {

enum class BlowUpCause { non_finite, temperature, overlap };

/// A run stopped because the system blew up. run_md throws it after finalizing its outputs.
class BlowUpError : public Error {
 public:
  BlowUpError(BlowUpCause cause, long step, const std::string& what)
      : Error("molecular dynamics blew up at step " + std::to_string(step) + ": " + what),
        cause_(cause), step_(step) {}
  BlowUpCause cause() const { return cause_; }
  long step() const { return step_; }

 private:
  BlowUpCause cause_;
  long step_;
};

class BlowUpDetector {
 public:
  /// `max_temperature_K` already resolved (no automatic 0 here); `min_distance_A` 0 disables the
  /// distance check. Throws InvalidOption when min_distance is not below half the box edge.
  BlowUpDetector(double max_temperature_K, double min_distance_A, long distance_check_every, const Box& box);

  /// Throws BlowUpError for a non-finite force, velocity or position (checked in that order, the
  /// first atom named), or a temperature (3N − 3 degrees of freedom) above the limit; and, every
  /// distance_check_every steps, for the closest pair of atoms nearer than the minimum distance.
  void check(const System& system, const AtomVectors& forces, long step, double temperature_K);
  /// The distance check alone, now.
  void check_distances(const System& system, long step);

  double max_temperature() const { return max_temperature_; }
  /// Builds of the distance-check neighbour list.
  std::size_t neighbor_builds() const { return list_ ? list_->builds() : 0; }

 private:
  double max_temperature_, min_distance_;
  long every_;
  std::optional<NeighborList> list_;
};

/// The automatic temperature limit of `limits` (see BlowUpLimits).
double resolve_max_temperature(const BlowUpLimits& limits, Ensemble ensemble, double target_K, double initial_K);

}  // namespace ldyn::molecular::md
