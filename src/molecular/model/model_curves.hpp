#pragma once
// What each agent "cares about": the fitted loss terms as curves, for plots and reports.
#include <array>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "molecular/model/model_spec.hpp"

namespace ldyn::molecular {

struct LossCurve {
  std::string name;       ///< e.g. "O sees H" or "O sees H,H at 0.98/0.98 Å"
  int centre = 0;         ///< species of the agent
  std::vector<double> x;  ///< r (Å) or θ (degrees)
  std::vector<double> y;  ///< eV
};

/// φ_{s,t}(r) (pair term plus wall) on `points` distances from 0.9 × the wall radius (or the basis
/// start) to the cutoff, for every centre s and neighbour t.
std::vector<LossCurve> pair_curves(const ModelSpec& spec, const Eigen::VectorXd& coefficients, int points = 200);

/// The most frequent pair of neighbour distances (r_j of species t1, r_k of species t2) that a centre
/// of species s sees inside the angular cutoff: where to cut the angle terms for a plot.
struct TypicalTriplets {
  int types = 0;
  std::vector<std::array<double, 2>> r;  ///< [(s·T + t1)·T + t2]; zeros when never seen
  const std::array<double, 2>& at(int s, int t1, int t2) const {
    return r[static_cast<std::size_t>((s * types + t1) * types + t2)];
  }
};

/// ψ_{s,t1,t2}(r1, r2, θ) for θ in [0°, 180°] at the typical distances (r1, r2); combinations never
/// seen are skipped.
std::vector<LossCurve> angle_curves(const ModelSpec& spec, const Eigen::VectorXd& coefficients,
                                    const TypicalTriplets& typical, int points = 181);

}  // namespace ldyn::molecular
