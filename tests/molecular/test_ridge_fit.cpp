// The ridge fitter recovers a model that its basis can represent, from forces the model made.
#include <gtest/gtest.h>

#include "model_fixtures.hpp"
#include "molecular/fit/force_design.hpp"
#include "molecular/fit/penalty.hpp"
#include "molecular/fit/ridge_fit.hpp"

namespace ldyn::molecular {
namespace {

// Teacher: a model with random coefficients; data: its forces on random configurations; the
// student (same basis, tiny λ) must reproduce the teacher's forces on new configurations. The data
// must determine every coefficient the test configurations excite, so the basis is kept small
// against the data (40 frames); rare short-distance triplets are what limits the precision.
TEST(RidgeFit, RecoversTheForcesOfAModelInItsBasis) {
  for (const Dynamics dyn : {Dynamics::agent, Dynamics::symmetric}) {
    ModelSpec spec = testing::small_spec(dyn, 0.5);
    spec.pair = CubicBSpline(0.8, 3.8, 10);
    spec.angular = CubicBSpline(0.8, 3.0, 4);
    spec.lmax = 3;
    AgentModel teacher(spec, testing::random_coefficients(spec, 0.05, 31));
    AgentModel walls(spec, Eigen::VectorXd::Zero(spec.total_size()));
    RidgeAccumulator acc(spec, 3, /*keep_rows=*/true);
    ForceDesign design;
    AtomVectors f;
    for (int frame = 0; frame < 40; ++frame) {
      const System sys = testing::random_system(45, 8.0, 0.85, 100 + static_cast<std::uint64_t>(frame));
      teacher.compute(sys, f);
      build_force_design(spec, sys, f, walls, design);
      acc.add(design, frame % 4);  // group 3 is the test group
    }
    RidgeSettings settings;
    settings.lambdas = {1e-14, 1e-6};
    settings.folds = 3;
    settings.solver = RidgeSettings::Solver::qr;
    settings.smoothness = 0.0;  // plain ridge: the minimum-norm fit of what the data leave open
    const RidgeResult fit = acc.solve(settings);
    for (const auto& s : fit.species) {
      EXPECT_EQ(s.lambda, 1e-14) << to_string(dyn);  // CV prefers the smaller one on exact data
      // Training forces are reproduced to rounding; new configurations to what the data determines.
      EXPECT_LT(1.0 - s.r2_train, 1e-24) << to_string(dyn);
      EXPECT_LT(1.0 - s.r2_test, 1e-16) << to_string(dyn);
    }
    AgentModel student(spec, fit.coefficients);
    AtomVectors f_student;
    double worst = 0.0, scale = 0.0;
    for (int frame = 0; frame < 3; ++frame) {
      const System sys = testing::random_system(45, 8.0, 0.85, 900 + static_cast<std::uint64_t>(frame));
      teacher.compute(sys, f);
      student.compute(sys, f_student);
      worst = std::max(worst, (f - f_student).cwiseAbs().maxCoeff());
      scale = std::max(scale, f.cwiseAbs().maxCoeff());
    }
    EXPECT_LT(worst, 1e-9 * scale) << to_string(dyn) << ": worst " << worst << " of " << scale;
    RecordProperty(std::string("relative_force_error_") + to_string(dyn), std::to_string(worst / scale));
    std::printf("%s: max |ΔF| = %.3g eV/Å of max |F| = %.3g eV/Å (relative %.2g)\n", to_string(dyn), worst,
                scale, worst / scale);
  }
}

TEST(RidgeFit, CrossValidationPicksStrongerRegularizationForNoisyData) {
  const ModelSpec spec = testing::small_spec(Dynamics::agent, 0.5);
  AgentModel teacher(spec, testing::random_coefficients(spec, 0.05, 7));
  AgentModel walls(spec, Eigen::VectorXd::Zero(spec.total_size()));
  RidgeAccumulator acc(spec, 4);
  ForceDesign design;
  AtomVectors f;
  std::mt19937_64 rng(5);
  std::normal_distribution<double> noise(0.0, 1.0);
  for (int frame = 0; frame < 8; ++frame) {
    const System sys = testing::random_system(30, 8.0, 0.85, 300 + static_cast<std::uint64_t>(frame));
    teacher.compute(sys, f);
    const double scale = f.cwiseAbs().maxCoeff();
    for (auto& v : f.reshaped()) v += 0.5 * scale * noise(rng);  // very noisy labels, little data
    build_force_design(spec, sys, f, walls, design);
    acc.add(design, frame % 4);
  }
  RidgeSettings settings;
  settings.lambdas = {1e-12, 1e-1};
  settings.folds = 4;
  const RidgeResult fit = acc.solve(settings);
  for (const auto& s : fit.species) {
    EXPECT_EQ(s.lambda, 1e-1);
    EXPECT_LT(s.cv_rmse[1], s.cv_rmse[0]);
  }
}

// The roughness penalty vanishes on coefficients that are linear along each radial direction (so it
// pulls poorly determined terms towards straight lines) and not on a kink.
TEST(RidgeFit, RoughnessPenaltyIsBlindToLinesAndSeesKinks) {
  const ModelSpec spec = testing::small_spec(Dynamics::agent);
  const Eigen::MatrixXd rows = penalty_rows(spec, 1, 4.0);
  const int p = spec.species_size(1);
  ASSERT_EQ(rows.cols(), p);
  EXPECT_EQ(rows.topRows(p), Eigen::MatrixXd::Identity(p, p));
  Eigen::VectorXd line = Eigen::VectorXd::Zero(p);
  const int base = spec.pair_offset(1, 0);
  for (int q = 0; q < spec.pair.size(); ++q) line[base + q] = 0.3 - 0.1 * q;
  EXPECT_NEAR((rows.bottomRows(rows.rows() - p) * line).norm(), 0.0, 1e-14);
  Eigen::VectorXd kink = Eigen::VectorXd::Zero(p);
  kink[base + 4] = 1.0;
  // Three second differences see it: (1), (−2), (1), each times √4 = 2.
  EXPECT_NEAR((rows.bottomRows(rows.rows() - p) * kink).squaredNorm(), 4.0 * (1 + 4 + 1), 1e-12);
  // Angle blocks are smoothed along both radial directions.
  Eigen::VectorXd angle = Eigen::VectorXd::Zero(p);
  const int ab = spec.angular_offset(1, 0, 1);
  for (int a = 0; a < spec.angular.size(); ++a)
    for (int b = 0; b < spec.angular.size(); ++b)
      angle[ab + spec.product_index(0, 1, a, b) * (spec.lmax + 1) + 2] = 1.0 + 0.5 * a - 0.25 * b;
  EXPECT_NEAR((rows.bottomRows(rows.rows() - p) * angle).norm(), 0.0, 1e-13);
  // The matrix assembled directly is LᵀL, per species and for all species.
  EXPECT_LT((penalty_matrix(spec, 1, 4.0) - rows.transpose() * rows).cwiseAbs().maxCoeff(), 1e-12);
  const Eigen::MatrixXd all = penalty_rows(spec, -1, 4.0);
  EXPECT_EQ(all.cols(), spec.total_size());
  EXPECT_LT((penalty_matrix(spec, -1, 4.0) - all.transpose() * all).cwiseAbs().maxCoeff(), 1e-12);
}

}  // namespace
}  // namespace ldyn::molecular
