#pragma once
// The learning-dynamics route to the same model: minimize the ridge objective
//   f(c) = (‖A c − y‖² + λ μ cᵀ P c) / (2R)     (R training rows, μ = tr(AᵀA)/P, λ and the penalty P
//                                                 of the ridge fit, penalty.hpp)
// by minibatches of frames with an optimizer of ldyn's CGD engine, starting from c = 0. Its minimizer
// is exactly the ridge solution c*, so the distance ‖c − c*‖/‖c*‖ and the excess objective
// (f(c) − f(c*))/(f(0) − f(c*)) measure how close the learning dynamics come. Each step touches only
// the minibatch's rows, so the route also works when AᵀA (P²) would not fit in memory.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "molecular/fit/force_design.hpp"
#include "molecular/fit/ridge_fit.hpp"

namespace ldyn::molecular {

struct CgdFitSettings {
  std::string preset = "cgd-full";  ///< any optim preset (presets.hpp)
  double lr = 0.1;
  int epochs = 200;
  int batch_frames = 4;
  std::uint64_t seed = 1;
  std::optional<double> epsilon;  ///< the preset's ε (optim::set_epsilon) when set
  std::optional<double> alpha;    ///< the preset's metric exponent when set
  std::optional<double> lambda;   ///< relative ridge strength; default: the cross-validated one
  /// Cosine decay of the rate to zero over the run: without it minibatch noise keeps the iterate
  /// at a distance from c* that scales with the rate; with it the iterate settles.
  bool cosine = true;
};

struct CgdFitResult {
  Eigen::VectorXd coefficients;
  /// Per epoch (entry 0: the start), per problem (species under agent dynamics, one when symmetric).
  std::vector<std::vector<double>> excess_objective, coefficient_error;
  long steps = 0;
  double seconds = 0.0;
};

/// Runs the minibatch fit on the designs of the training frames; `ridge` supplies λ and c*.
CgdFitResult cgd_fit(const ModelSpec& spec, const std::vector<ForceDesign>& train,
                     const RidgeResult& ridge, const CgdFitSettings& settings);

}  // namespace ldyn::molecular
