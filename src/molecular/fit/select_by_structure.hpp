#pragma once
// Choosing the regularization by what the model is for: simulation.
//
// Cross-validation on held-out frames measures force errors on configurations like the training
// ones. A simulation also visits configurations the data sample thinly, where a weakly regularized
// fit extrapolates badly: measured on the shipped water data, the λ that minimizes the
// cross-validated force error (1e-12) makes a 64-molecule run blow up within 300 fs, and λ = 1e-4
// (force RMSE 25% higher) reproduces the structure of an independent reference within its sampling
// noise (docs/molecular.md). So the fit is chosen in two stages: cross-validation gives λ_cv; then
// for each λ ≥ λ_cv on the grid a short NVT run from the first training frame is made, runs that
// blow up are rejected, and the λ whose intermolecular O–O, O–H and H–H radial distribution
// functions are closest (mean absolute error) to those of the training frames wins. Only training
// data are used, so a later comparison with other reference runs stays a fair test.
#include <cstdint>
#include <string>
#include <vector>

#include "molecular/fit/ridge_fit.hpp"
#include "molecular/io/frame.hpp"

namespace ldyn::molecular {

struct StructureSelection {
  double picoseconds = 2.0;     ///< length of each trial run
  double temperature_K = 300.0;
  double dt_fs = 0.5;
  double tau_fs = 100.0;        ///< Nosé–Hoover chain time constant
  std::uint64_t seed = 1;
  bool progress = false;
  /// RDF bins for the score, Å. Wider than the 0.02 Å of `ldyn water compare`: a few picoseconds of
  /// 64 molecules leave 0.02 Å bins noisy enough to hide the differences between candidates.
  double rdf_bin = 0.1;
};

struct StructureTrial {
  double lambda = 0.0;
  std::vector<SpeciesScore> scores;  ///< force errors of this λ
  bool stable = false;
  std::string failure;               ///< why the run stopped, when it did
  double rdf_mae[3] = {0, 0, 0};     ///< intermolecular O–O, O–H, H–H against the training frames
  double score = 0.0;                ///< mean of the three
};

/// Runs the trials (ascending λ from `lambdas` that are ≥ λ_min) and returns them; the caller picks
/// the stable one with the lowest score. `frames` are the training frames (the first is the start).
std::vector<StructureTrial> select_by_structure(const RidgeAccumulator& fits, const RidgeSettings& ridge,
                                                const ModelSpec& spec, const std::vector<io::Frame>& frames,
                                                double lambda_min, const StructureSelection& settings);

}  // namespace ldyn::molecular
