#include "molecular/md/blow_up.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace ldyn::molecular::md {
namespace {

std::string fixed(double v, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

std::string atom_name(const System& system, Eigen::Index i) {
  return "atom " + std::to_string(i) + " (" +
         system.species.symbols[static_cast<std::size_t>(system.type[static_cast<std::size_t>(i)])] + ")";
}

/// The first atom with a non-finite component, or -1.
Eigen::Index first_non_finite(const AtomVectors& v) {
  for (Eigen::Index i = 0; i < v.rows(); ++i)
    if (!v.row(i).allFinite()) return i;
  return -1;
}

}  // namespace

double resolve_max_temperature(const BlowUpLimits& limits, Ensemble ensemble, double target_K, double initial_K) {
  if (limits.max_temperature_K > 0.0) return limits.max_temperature_K;
  return ensemble == Ensemble::nvt ? 5.0 * target_K : std::max(5.0 * initial_K, 1000.0);
}

BlowUpDetector::BlowUpDetector(double max_temperature_K, double min_distance_A, long distance_check_every,
                               const Box& box)
    : max_temperature_(max_temperature_K), min_distance_(min_distance_A), every_(distance_check_every) {
  if (min_distance_ <= 0.0) return;
  const double room = box.half_min_length() - min_distance_;
  if (room <= 0.0)
    throw InvalidOption("--min-distance", fixed(min_distance_, 3) + " Å is not below half the box edge (" +
                                              fixed(box.half_min_length(), 3) + " Å)");
  // A skin of ~2 Å lets atoms move for hundreds of steps before the list is rebuilt.
  list_.emplace(min_distance_, std::min(2.0, room));
}

void BlowUpDetector::check(const System& system, const AtomVectors& forces, long step, double temperature_K) {
  const std::pair<const AtomVectors*, const char*> arrays[] = {
      {&forces, "force on"}, {&system.velocities, "velocity of"}, {&system.positions, "position of"}};
  for (const auto& [array, what] : arrays)
    if (const Eigen::Index i = first_non_finite(*array); i >= 0)
      throw BlowUpError(BlowUpCause::non_finite, step, std::string("non-finite ") + what + " " + atom_name(system, i));
  if (!(temperature_K <= max_temperature_))
    throw BlowUpError(BlowUpCause::temperature, step,
                      "temperature " + fixed(temperature_K, 1) + " K exceeds the limit of " +
                          fixed(max_temperature_, 1) + " K");
  if (step % every_ == 0) check_distances(system, step);
}

void BlowUpDetector::check_distances(const System& system, long step) {
  if (!list_) return;
  list_->update(system.box, system.positions);
  double closest2 = min_distance_ * min_distance_;
  Eigen::Index a = -1, b = -1;
  for (std::size_t i = 0; i < list_->size(); ++i) {
    const auto ii = static_cast<Eigen::Index>(i);
    for (const int j : list_->neighbors(i)) {
      if (j <= ii) continue;
      const double r2 = system.box.minimum_image((system.positions.row(j) - system.positions.row(ii)).transpose())
                            .squaredNorm();
      if (r2 < closest2) {
        closest2 = r2;
        a = ii;
        b = j;
      }
    }
  }
  if (a >= 0)
    throw BlowUpError(BlowUpCause::overlap, step,
                      atom_name(system, a) + " and " + atom_name(system, b) + " are " +
                          fixed(std::sqrt(closest2), 3) + " Å apart, closer than the minimum of " +
                          fixed(min_distance_, 3) + " Å");
}

}  // namespace ldyn::molecular::md
