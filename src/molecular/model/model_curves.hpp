#pragma once
// What each agent "cares about": the fitted loss terms as curves, for plots and reports.
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

/// ψ_{s,t1,t2}(r1, r2, θ) for θ in [0°, 180°], with r1 = typical(s,t1) and r2 = typical(s,t2)
/// (e.g. the most frequent neighbour distances). Pairs whose typical distance is outside the angular
/// cutoff are skipped.
std::vector<LossCurve> angle_curves(const ModelSpec& spec, const Eigen::VectorXd& coefficients,
                                    const Eigen::MatrixXd& typical, int points = 181);

}  // namespace ldyn::molecular
