#include "particles/sensing.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "core/error.hpp"

namespace ldyn::particles {

Aggregate parse_aggregate(std::string_view name) {
  if (name == "max") return Aggregate::max;
  if (name == "sum") return Aggregate::sum;
  throw InvalidOption("--aggregate", "unknown aggregate '" + std::string(name) + "' (max, sum)");
}

std::string to_string(Aggregate a) { return a == Aggregate::max ? "max" : "sum"; }

void validate(const Sensing& s) {
  auto positive = [](double v, const char* option) {
    if (!(std::isfinite(v) && v > 0)) throw InvalidOption(option, "must be a finite number > 0 (got " + std::to_string(v) + ")");
  };
  positive(s.sensing_radius, "--sensing-radius");
  positive(s.horizon, "--horizon");
  positive(s.margin, "--margin");
  if (s.neighbours < 1 || s.neighbours > 32)
    throw InvalidOption("--neighbours", "must be in [1, 32] (got " + std::to_string(s.neighbours) + ")");
}

PairInvariants pair_invariants(double rx, double ry, double vx, double vy, double contact, const Sensing& s) {
  PairInvariants p;
  const double r2 = rx * rx + ry * ry, v2 = vx * vx + vy * vy, rv = rx * vx + ry * vy;
  p.distance = std::sqrt(r2);
  p.closing_speed = p.distance > 0 ? -rv / p.distance : 0;
  p.time_to_closest = v2 > 0 ? std::clamp(-rv / v2, 0.0, s.horizon) : 0;
  const double cx = rx + vx * p.time_to_closest, cy = ry + vy * p.time_to_closest;
  p.miss_gap = std::sqrt(cx * cx + cy * cy) - contact;
  // Close now, or close soon: a neighbour drifting slowly into contact has its closest approach
  // beyond the horizon, but it is a threat all the same.
  const double now = std::clamp(1 - (p.distance - contact) / s.margin, 0.0, 1.0);
  const double soon = (1 - p.time_to_closest / s.horizon) * std::clamp(1 - p.miss_gap / s.margin, 0.0, 1.0);
  p.threat = std::max(now, soon);
  return p;
}

}  // namespace ldyn::particles
