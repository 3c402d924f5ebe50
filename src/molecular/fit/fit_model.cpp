#include "molecular/fit/fit_model.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <string>

#include "core/error.hpp"
#include "core/progress.hpp"
#include "molecular/fit/force_design.hpp"
#include "molecular/neighbors/neighbor_list.hpp"

namespace ldyn::molecular {
namespace {

SpeciesTable species_of(const std::vector<io::Frame>& frames) {
  std::vector<std::string> symbols;
  for (const auto& s : frames.front().species)
    if (std::find(symbols.begin(), symbols.end(), s) == symbols.end()) symbols.push_back(s);
  return SpeciesTable::standard(symbols);
}

/// Shortest distance per species pair, and a histogram of distances per (centre, neighbour) type
/// inside `r_hist` (bins of 0.01 Å) whose mode is the "typical" neighbour distance.
void scan_distances(const std::vector<System>& systems, double r_hist, Eigen::MatrixXd& shortest,
                    Eigen::MatrixXd& typical) {
  const int types = static_cast<int>(systems.front().species.size());
  shortest = Eigen::MatrixXd::Constant(types, types, std::numeric_limits<double>::infinity());
  const double bin = 0.01;
  const int bins = static_cast<int>(r_hist / bin) + 1;
  std::vector<Eigen::VectorXd> hist(static_cast<std::size_t>(types * types), Eigen::VectorXd::Zero(bins));
  NeighborList list(r_hist, 0.0);
  for (const System& sys : systems) {
    list.build(sys.box, sys.positions);
    for (std::size_t i = 0; i < sys.size(); ++i) {
      const int s = sys.type[i];
      for (const int j : list.neighbors(i)) {
        const int t = sys.type[static_cast<std::size_t>(j)];
        const double r = sys.box.minimum_image((sys.positions.row(j) - sys.positions.row(static_cast<Eigen::Index>(i))).transpose()).norm();
        shortest(s, t) = std::min(shortest(s, t), r);
        hist[static_cast<std::size_t>(s * types + t)][std::min(bins - 1, static_cast<int>(r / bin))] += 1.0;
      }
    }
  }
  typical = Eigen::MatrixXd::Zero(types, types);
  for (int s = 0; s < types; ++s)
    for (int t = 0; t < types; ++t) {
      Eigen::Index at = 0;
      if (hist[static_cast<std::size_t>(s * types + t)].maxCoeff(&at) > 0.0) typical(s, t) = (static_cast<double>(at) + 0.5) * bin;
      if (!std::isfinite(shortest(s, t))) shortest(s, t) = 0.0;  // never closer than r_hist: no wall
    }
}

}  // namespace

FitReport fit_model(const std::vector<io::Frame>& frames, FitOptions options,
                    std::vector<std::pair<std::string, std::string>> meta) {
  const auto start = std::chrono::steady_clock::now();
  if (frames.size() < 2) throw InvalidOption("--data", "need at least 2 frames to fit and test");
  if (!(options.test_fraction >= 0.0 && options.test_fraction < 1.0))
    throw InvalidOption("--test-fraction", "must be in [0, 1)");
  ModelSpec& spec = options.spec;
  if (spec.species.size() == 0) spec.species = species_of(frames);

  std::vector<System> systems;
  systems.reserve(frames.size());
  for (std::size_t k = 0; k < frames.size(); ++k)
    systems.push_back(System::from_frame(frames[k], spec.species, "frame " + std::to_string(k)));

  FitReport report;
  scan_distances(systems, spec.pair.r_cut(), report.shortest, report.typical);
  spec.wall_radius = report.shortest;
  spec.validate();

  const auto n = frames.size();
  report.frames_test = static_cast<std::size_t>(std::floor(options.test_fraction * static_cast<double>(n)));
  report.frames_train = n - report.frames_test;
  const int folds = options.ridge.folds;
  if (folds < 1 || static_cast<std::size_t>(folds) > report.frames_train)
    throw InvalidOption("--folds", "must be between 1 and the number of training frames (" +
                                       std::to_string(report.frames_train) + ")");

  RidgeAccumulator acc(spec, folds, options.ridge.solver == RidgeSettings::Solver::qr);
  AgentModel walls(spec, Eigen::VectorXd::Zero(spec.total_size()));
  ForceDesign design;
  std::vector<ForceDesign> kept;  // training designs, for the CGD route
  ProgressBar bar(static_cast<long>(n), "fit", options.progress);
  for (std::size_t k = 0; k < n; ++k) {
    // Training frames in `folds` contiguous blocks; the last frames are the test group.
    const int group = k >= report.frames_train
                          ? folds
                          : static_cast<int>(k * static_cast<std::size_t>(folds) / report.frames_train);
    build_force_design(spec, systems[k], frames[k].forces, walls, design);
    acc.add(design, group);
    if (options.cgd && group < folds) kept.push_back(design);
    bar.update(static_cast<long>(k + 1));
  }
  bar.finish();
  report.ridge = acc.solve(options.ridge);
  if (options.cgd) {
    // The learning dynamics minimize the ridge objective at the cross-validated λ, or at a given one
    // (then the direct solution at that λ is the target).
    RidgeResult target = report.ridge;
    if (options.cgd->lambda) {
      RidgeSettings one = options.ridge;
      one.lambdas = {*options.cgd->lambda};
      target = acc.solve(one);
    }
    report.cgd_target = target.species;
    report.cgd = cgd_fit(spec, kept, target, *options.cgd);
    report.cgd_scores = acc.score(report.cgd->coefficients);
  }

  report.model.spec = spec;
  report.model.coefficients = report.ridge.coefficients;
  report.model.meta = std::move(meta);
  auto& m = report.model.meta;
  m.emplace_back("frames", std::to_string(report.frames_train) + " train, " + std::to_string(report.frames_test) +
                               " test (the last ones), " + std::to_string(folds) + " cross-validation folds");
  for (std::size_t s = 0; s < spec.species.size(); ++s) {
    const auto& sc = report.ridge.species[s];
    char line[256];
    std::snprintf(line, sizeof line, "lambda %.3g; force RMSE train %.5f test %.5f eV/A; R2 train %.5f test %.5f",
                  sc.lambda, sc.rmse_train, sc.rmse_test, sc.r2_train, sc.r2_test);
    m.emplace_back("fit_" + spec.species.symbols[s], line);
  }
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return report;
}

}  // namespace ldyn::molecular
