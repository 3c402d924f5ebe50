#pragma once
// Inference of the agents' losses from reference frames (`ldyn water fit`): walls from the shortest
// distances in the data, frames split into training folds and a held-out test block, the ridge fit
// with cross-validated regularization, and the scores.
#include <string>
#include <utility>
#include <vector>

#include <Eigen/Core>

#include <optional>

#include "molecular/fit/cgd_fit.hpp"
#include "molecular/fit/ridge_fit.hpp"
#include "molecular/fit/select_by_structure.hpp"
#include "molecular/io/frame.hpp"
#include "molecular/model/model_curves.hpp"
#include "molecular/model/model_file.hpp"

namespace ldyn::molecular {

struct FitOptions {
  /// Basis, dynamics and wall strength. Species (empty: in order of first appearance in the data)
  /// and wall radii (always: the shortest distance of each species pair in the data) are filled in.
  ModelSpec spec;
  RidgeSettings ridge;
  double test_fraction = 0.2;  ///< the last frames, held out from fitting and cross-validation
  bool progress = true;
  /// Also fit by minibatch learning dynamics (keeps the training designs in memory).
  std::optional<CgdFitSettings> cgd;
  /// After cross-validation, choose among λ ≥ λ_cv by short simulations (select_by_structure.hpp).
  std::optional<StructureSelection> select;
};

struct FitReport {
  ModelFile model;
  RidgeResult ridge;
  std::size_t frames_train = 0, frames_test = 0;
  Eigen::MatrixXd shortest;  ///< shortest distance per species pair in the data, Å
  TypicalTriplets typical;   ///< most frequent neighbour distances of each angle term (for plots)
  double seconds = 0.0;
  std::vector<double> lambda_cv;        ///< per species: the cross-validated λ
  std::vector<StructureTrial> trials;   ///< the structure selection's runs, when asked for
  std::optional<CgdFitResult> cgd;
  std::vector<SpeciesScore> cgd_scores;  ///< force RMSE / R² of the CGD coefficients
  std::vector<SpeciesScore> cgd_target;  ///< scores (and λ) of the direct solution the CGD route aims at
};

/// Fits a model to `frames` (positions, forces, cell). `meta` is stored in the model file.
FitReport fit_model(const std::vector<io::Frame>& frames, FitOptions options,
                    std::vector<std::pair<std::string, std::string>> meta = {});

}  // namespace ldyn::molecular
