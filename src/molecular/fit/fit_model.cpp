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

/// Shortest distance per species pair in the data.
Eigen::MatrixXd shortest_distances(const std::vector<System>& systems, double reach) {
  const int types = static_cast<int>(systems.front().species.size());
  Eigen::MatrixXd shortest = Eigen::MatrixXd::Constant(types, types, std::numeric_limits<double>::infinity());
  NeighborList list(reach, 0.0);
  for (const System& sys : systems) {
    list.build(sys.box, sys.positions);
    for (std::size_t i = 0; i < sys.size(); ++i)
      for (const int j : list.neighbors(i)) {
        const double r = sys.box.minimum_image((sys.positions.row(j) - sys.positions.row(static_cast<Eigen::Index>(i))).transpose()).norm();
        double& m = shortest(sys.type[i], sys.type[static_cast<std::size_t>(j)]);
        m = std::min(m, r);
      }
  }
  for (auto& v : shortest.reshaped())
    if (!std::isfinite(v)) v = 0.0;  // never closer than `reach`: no wall
  return shortest;
}

/// The mode of a 2-D histogram (bins of 0.05 Å) of the neighbour distances (r_j, r_k) of each angle
/// term, over every 10th frame.
TypicalTriplets typical_triplets(const std::vector<System>& systems, const ModelSpec& spec) {
  const int types = spec.types();
  const double bin = 0.05, reach = spec.angular.r_cut();
  const int bins = static_cast<int>(reach / bin) + 1;
  std::vector<Eigen::MatrixXd> hist(static_cast<std::size_t>(types * types * types), Eigen::MatrixXd::Zero(bins, bins));
  NeighborList list(reach, 0.0);
  std::vector<std::pair<int, double>> near;  // species, distance
  for (std::size_t f = 0; f < systems.size(); f += 10) {
    const System& sys = systems[f];
    list.build(sys.box, sys.positions);
    for (std::size_t i = 0; i < sys.size(); ++i) {
      near.clear();
      for (const int j : list.neighbors(i))
        near.emplace_back(sys.type[static_cast<std::size_t>(j)],
                          sys.box.minimum_image((sys.positions.row(j) - sys.positions.row(static_cast<Eigen::Index>(i))).transpose()).norm());
      for (std::size_t a = 0; a < near.size(); ++a)
        for (std::size_t b = a + 1; b < near.size(); ++b) {
          auto [t1, r1] = near[a];
          auto [t2, r2] = near[b];
          if (t1 > t2 || (t1 == t2 && r1 > r2)) {
            std::swap(t1, t2);
            std::swap(r1, r2);
          }
          hist[static_cast<std::size_t>((sys.type[i] * types + t1) * types + t2)](
              std::min(bins - 1, static_cast<int>(r1 / bin)), std::min(bins - 1, static_cast<int>(r2 / bin))) += 1.0;
        }
    }
  }
  TypicalTriplets out;
  out.types = types;
  out.r.assign(hist.size(), {0.0, 0.0});
  for (std::size_t k = 0; k < hist.size(); ++k) {
    Eigen::Index i = 0, j = 0;
    if (hist[k].maxCoeff(&i, &j) > 0.0) out.r[k] = {(static_cast<double>(i) + 0.5) * bin, (static_cast<double>(j) + 0.5) * bin};
  }
  return out;
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
  report.shortest = shortest_distances(systems, spec.pair.r_cut());
  report.typical = typical_triplets(systems, spec);
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
  double lambda_min = 0.0;
  for (const auto& sc : report.ridge.species) {
    report.lambda_cv.push_back(sc.lambda);
    lambda_min = std::max(lambda_min, sc.lambda);
  }
  if (options.select) {
    const std::vector<io::Frame> train(frames.begin(), frames.begin() + static_cast<std::ptrdiff_t>(report.frames_train));
    report.trials = select_by_structure(acc, options.ridge, spec, train, lambda_min, *options.select);
    const StructureTrial* best = nullptr;
    for (const auto& t : report.trials)
      if (t.stable && (!best || t.score < best->score)) best = &t;
    if (best) {
      RidgeSettings one = options.ridge;
      one.lambdas = {best->lambda};
      RidgeResult chosen = acc.solve(one);
      for (std::size_t s = 0; s < chosen.species.size(); ++s) chosen.species[s].cv_rmse = report.ridge.species[s].cv_rmse;
      report.ridge = std::move(chosen);
    }
  }
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
  if (!report.trials.empty()) {
    std::string summary;
    for (const auto& t : report.trials) {
      char item[96];
      std::snprintf(item, sizeof item, "%s%.0e:%s", summary.empty() ? "" : " ", t.lambda,
                    t.stable ? std::to_string(t.score).substr(0, 6).c_str() : "unstable");
      summary += item;
    }
    m.emplace_back("lambda_selection", "structure (mean intermolecular RDF MAE of short NVT runs): " + summary);
  }
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
