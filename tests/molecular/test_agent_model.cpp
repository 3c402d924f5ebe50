// Agent-loss model: basis functions, forces against finite differences under both dynamics, the
// design matrix against the model, conservation laws.
#include <gtest/gtest.h>

#include <cmath>

#include <omp.h>

#include "model_fixtures.hpp"
#include "molecular/fit/force_design.hpp"

namespace ldyn::molecular {
namespace {

using testing::random_coefficients;
using testing::random_system;
using testing::small_spec;

TEST(CubicBSpline, PartitionOfUnityDerivativesAndSmoothCutoff) {
  const CubicBSpline b(1.0, 5.0, 10);
  double v[4], d[4];
  for (double r = 1.0; r < 5.0 - 3 * b.spacing(); r += 0.0137) {
    b.evaluate(r, v, d);
    EXPECT_NEAR(v[0] + v[1] + v[2] + v[3], 1.0, 1e-14) << r;
  }
  // B_k(r) and dB_k/dr by index, whichever four functions are active at r.
  auto value = [&](int k, double r, bool slope) {
    double vv[4], dd[4];
    const int first = b.evaluate(r, vv, dd);
    const int q = k - first;
    return q >= 0 && q < 4 ? (slope ? dd[q] : vv[q]) : 0.0;
  };
  const double h = 1e-6;
  for (double r = 0.2137; r < 5.3; r += 0.0731)
    for (int k = 0; k < b.size(); ++k)
      EXPECT_NEAR(value(k, r, true), (value(k, r + h, false) - value(k, r - h, false)) / (2 * h), 1e-7) << r;
  // Value, slope and curvature of every function vanish at the cutoff from the left.
  b.evaluate(5.0 - 1e-9, v, d);
  for (int q = 0; q < 4; ++q) {
    EXPECT_NEAR(v[q], 0.0, 1e-20);
    EXPECT_NEAR(d[q], 0.0, 1e-15);
  }
  b.evaluate(5.0, v, d);
  for (int q = 0; q < 4; ++q) EXPECT_EQ(v[q], 0.0);
  EXPECT_THROW(CubicBSpline(2.0, 1.0, 8), InvalidOption);
  EXPECT_THROW(CubicBSpline(0.0, 1.0, 3), InvalidOption);
}

TEST(Legendre, ClosedFormsAndDerivatives) {
  double p[7], dp[7];
  for (double c = -1.0; c <= 1.0; c += 0.1) {
    legendre(6, c, p, dp);
    EXPECT_NEAR(p[2], 0.5 * (3 * c * c - 1), 1e-15);
    EXPECT_NEAR(p[3], 0.5 * (5 * c * c * c - 3 * c), 1e-15);
    EXPECT_NEAR(p[4], (35 * std::pow(c, 4) - 30 * c * c + 3) / 8, 1e-14);
    EXPECT_NEAR(dp[3], 0.5 * (15 * c * c - 3), 1e-14);
    double q[7], dq[7];
    legendre(6, c + 1e-6, q, dq);
    double m[7], dm[7];
    legendre(6, c - 1e-6, m, dm);
    for (int l = 0; l <= 6; ++l) EXPECT_NEAR(dp[l], (q[l] - m[l]) / 2e-6, 1e-7);
  }
}

// −∂U/∂x by central differences of the returned energy (symmetric dynamics).
TEST(AgentModel, SymmetricForcesAreMinusTheGradientOfTheSummedLosses) {
  for (const double wall : {0.5, 1.3}) {  // 1.3 Å: the wall is active for some pairs
    const ModelSpec spec = small_spec(Dynamics::symmetric, wall);
    AgentModel model(spec, random_coefficients(spec, 0.05, 3));
    System sys = random_system(30, 8.0, 0.9, 11);
    AtomVectors f;
    model.compute(sys, f);
    const double h = 1e-5;
    double worst = 0.0;
    for (Eigen::Index i = 0; i < sys.positions.rows(); ++i)
      for (int a = 0; a < 3; ++a) {
        AtomVectors scratch;
        sys.positions(i, a) += h;
        const double up = model.compute(sys, scratch);
        sys.positions(i, a) -= 2 * h;
        const double down = model.compute(sys, scratch);
        sys.positions(i, a) += h;
        worst = std::max(worst, std::abs(f(i, a) + (up - down) / (2 * h)));
      }
    EXPECT_LT(worst, 1e-7 * std::max(1.0, f.cwiseAbs().maxCoeff())) << "wall " << wall;
    // Newton's third law holds: the total force vanishes.
    EXPECT_LT(f.colwise().sum().norm(), 1e-11 * f.cwiseAbs().maxCoeff());
  }
}

// −∂L_i/∂x_i by central differences of atom i's own loss (agent dynamics).
TEST(AgentModel, AgentForcesDescendEachAtomsOwnLoss) {
  const ModelSpec spec = small_spec(Dynamics::agent, 1.3);
  AgentModel model(spec, random_coefficients(spec, 0.05, 5));
  System sys = random_system(30, 8.0, 0.9, 12);
  AtomVectors f;
  const double total = model.compute(sys, f);
  EXPECT_NEAR(total, model.losses(sys).sum(), 1e-12 * std::abs(total));
  const double h = 1e-5;
  double worst = 0.0;
  for (Eigen::Index i = 0; i < sys.positions.rows(); ++i)
    for (int a = 0; a < 3; ++a) {
      sys.positions(i, a) += h;
      const double up = model.losses(sys)[i];
      sys.positions(i, a) -= 2 * h;
      const double down = model.losses(sys)[i];
      sys.positions(i, a) += h;
      worst = std::max(worst, std::abs(f(i, a) + (up - down) / (2 * h)));
    }
  EXPECT_LT(worst, 1e-7 * std::max(1.0, f.cwiseAbs().maxCoeff()));
  // Unlike agents see each other through different losses: momentum is not conserved.
  EXPECT_GT(f.colwise().sum().norm(), 1e-3 * f.cwiseAbs().maxCoeff());
}

TEST(AgentModel, LossesAreInvariantUnderTranslationAndRotationOfTheBoxContent) {
  const ModelSpec spec = small_spec(Dynamics::agent);
  AgentModel model(spec, random_coefficients(spec, 0.05, 9));
  System sys = random_system(24, 8.0, 0.9, 4);
  const Eigen::VectorXd before = model.losses(sys);
  sys.positions.rowwise() += Eigen::RowVector3d(3.1, -17.2, 0.4);
  EXPECT_LT((model.losses(sys) - before).cwiseAbs().maxCoeff(), 1e-12);
  // A cubic-symmetry rotation (x,y,z) -> (y,z,x) maps the periodic box onto itself.
  AtomVectors rotated(sys.positions.rows(), 3);
  rotated.col(0) = sys.positions.col(1);
  rotated.col(1) = sys.positions.col(2);
  rotated.col(2) = sys.positions.col(0);
  sys.positions = rotated;
  EXPECT_LT((model.losses(sys) - before).cwiseAbs().maxCoeff(), 1e-12);
}

// The fitter's linear map reproduces the model's forces: F = A c + F_wall.
TEST(ForceDesign, ReproducesTheModelForcesUnderBothDynamics) {
  for (const Dynamics dyn : {Dynamics::agent, Dynamics::symmetric}) {
    const ModelSpec spec = small_spec(dyn, 1.3);
    const Eigen::VectorXd c = random_coefficients(spec, 0.05, 21);
    AgentModel model(spec, c);
    AgentModel walls(spec, Eigen::VectorXd::Zero(spec.total_size()));
    const System sys = random_system(30, 8.0, 0.9, 13);
    AtomVectors f;
    model.compute(sys, f);
    ForceDesign design;
    build_force_design(spec, sys, f, walls, design);  // target = f − wall
    for (int s = 0; s < spec.types(); ++s) {
      const auto su = static_cast<std::size_t>(s);
      const Eigen::VectorXd cs = c.segment(design.column_offset(spec, s), design.matrix[su].cols());
      const Eigen::VectorXd predicted = design.matrix[su] * cs;
      EXPECT_LT((predicted - design.target[su]).cwiseAbs().maxCoeff(), 1e-12 * (1.0 + f.cwiseAbs().maxCoeff()))
          << to_string(dyn) << " species " << s;
    }
  }
}

TEST(AgentModel, RefusesWrongCoefficientCountsNonFiniteValuesAndUnknownSpecies) {
  const ModelSpec spec = small_spec(Dynamics::agent);
  EXPECT_THROW(AgentModel(spec, Eigen::VectorXd::Zero(3)), InvalidOption);
  Eigen::VectorXd c = Eigen::VectorXd::Zero(spec.total_size());
  c[5] = std::nan("");
  EXPECT_THROW(AgentModel(spec, c), InvalidOption);
  AgentModel model(spec, Eigen::VectorXd::Zero(spec.total_size()));
  System sys = random_system(9, 8.0, 0.9, 1);
  sys.species = SpeciesTable::standard({"O", "N"});
  AtomVectors f;
  EXPECT_THROW(model.compute(sys, f), Error);
}

}  // namespace
}  // namespace ldyn::molecular

namespace ldyn::molecular {
namespace {

// Threads split the atoms; the forces must not depend on how.
TEST(AgentModel, ForcesDoNotDependOnTheThreadCount) {
  for (const Dynamics dyn : {Dynamics::agent, Dynamics::symmetric}) {
    const ModelSpec spec = testing::small_spec(dyn, 1.3);
    const Eigen::VectorXd c = testing::random_coefficients(spec, 0.05, 2);
    const System sys = testing::random_system(60, 9.0, 0.9, 8);
    AtomVectors one, two;
    const int before = omp_get_max_threads();
    omp_set_num_threads(1);
    AgentModel(spec, c).compute(sys, one);
    omp_set_num_threads(3);
    AgentModel(spec, c).compute(sys, two);
    omp_set_num_threads(before);
    EXPECT_LT((one - two).cwiseAbs().maxCoeff(), 1e-12 * one.cwiseAbs().maxCoeff()) << to_string(dyn);
  }
}

}  // namespace
}  // namespace ldyn::molecular
