// The flexible water test model: forces against central differences of its energy, the zero of the
// bonded terms at the reference geometry, the shifted-force cutoff, and the atom-order check.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "core/error.hpp"
#include "molecular/classical/flexible_water.hpp"
#include "molecular/md/water_box.hpp"

namespace ldyn::molecular::classical {
namespace {

System two_molecules(double oo_distance) {
  System s;
  s.species = SpeciesTable::standard({"O", "H"});
  s.box.length = Eigen::Array3d::Constant(30.0);
  s.type = {0, 1, 1, 0, 1, 1};
  s.mass.resize(6);
  for (int i = 0; i < 6; ++i) s.mass[i] = s.species.masses[static_cast<std::size_t>(s.type[static_cast<std::size_t>(i)])];
  const FlexibleWaterParameters p;
  const double h = 0.5 * p.angle_theta0;
  s.positions.resize(6, 3);
  for (int m = 0; m < 2; ++m) {
    const Vec3 o(10.0 + m * oo_distance, 10.0, 10.0);
    s.positions.row(3 * m) = o.transpose();
    s.positions.row(3 * m + 1) = (o + p.bond_r0 * Vec3(0.0, std::sin(h), std::cos(h))).transpose();
    s.positions.row(3 * m + 2) = (o + p.bond_r0 * Vec3(0.0, -std::sin(h), std::cos(h))).transpose();
  }
  s.velocities = AtomVectors::Zero(6, 3);
  return s;
}

TEST(FlexibleWater, ForcesMatchCentralDifferencesOfTheEnergy) {
  System s = md::make_water_box({.molecules = 27, .density_g_cm3 = 1.0, .seed = 3});
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> u(-0.1, 0.1);
  for (Eigen::Index i = 0; i < s.positions.size(); ++i) s.positions.data()[i] += u(rng);
  FlexibleWater water({.cutoff = 4.0});
  AtomVectors forces, scratch;
  water.compute(s, forces);
  ASSERT_GT(forces.norm(), 1.0);

  const double h = 1e-5;
  AtomVectors numeric(forces.rows(), 3);
  for (Eigen::Index i = 0; i < forces.rows(); ++i)
    for (int a = 0; a < 3; ++a) {
      const double x0 = s.positions(i, a);
      s.positions(i, a) = x0 + h;
      const double up = water.compute(s, scratch);
      s.positions(i, a) = x0 - h;
      const double down = water.compute(s, scratch);
      s.positions(i, a) = x0;
      numeric(i, a) = -(up - down) / (2.0 * h);
    }
  const double relative = (forces - numeric).norm() / forces.norm();
  EXPECT_LT(relative, 1e-8) << "relative error " << relative;  // measured 3e-10 with h = 1e-5 Å
}

TEST(FlexibleWater, ReferenceGeometryHasNoBondedEnergyOrForce) {
  System s = two_molecules(20.0);  // beyond the cutoff: bonded terms only
  FlexibleWater water;
  AtomVectors forces;
  EXPECT_NEAR(water.compute(s, forces), 0.0, 1e-24);
  EXPECT_LT(forces.cwiseAbs().maxCoeff(), 1e-12);
}

TEST(FlexibleWater, LennardJonesIsShiftedToVanishAtTheCutoff) {
  const FlexibleWaterParameters p;
  FlexibleWater water;
  AtomVectors forces;
  System s = two_molecules(p.cutoff - 1e-6);
  // Shifted force: E ≈ ½ E''(rc) δ² and F ≈ E''(rc) δ, both tiny just inside the cutoff.
  EXPECT_LT(std::abs(water.compute(s, forces)), 1e-12);
  EXPECT_LT(forces.row(0).norm(), 1e-8);

  // At the minimum r = 2^(1/6) σ: −ε − E(rc) − (r − rc) E'(rc).
  const double r = std::pow(2.0, 1.0 / 6.0) * p.lj_sigma;
  s = two_molecules(r);
  const double sr6 = std::pow(p.lj_sigma / p.cutoff, 6);
  const double e_rc = 4.0 * p.lj_epsilon * (sr6 * sr6 - sr6);
  const double de_rc = 4.0 * p.lj_epsilon * (-12.0 * sr6 * sr6 + 6.0 * sr6) / p.cutoff;
  EXPECT_NEAR(water.compute(s, forces), -p.lj_epsilon - e_rc - (r - p.cutoff) * de_rc, 1e-14);
  // At the LJ minimum only the shift's slope is left: E'_sf = −E'(rc) < 0, a push apart of E'(rc).
  EXPECT_NEAR(forces(3, 0), de_rc, 1e-12);
  EXPECT_NEAR(forces(0, 0), -de_rc, 1e-12);
  EXPECT_GT(de_rc, 0.0);
}

TEST(FlexibleWater, ParametersAreSpcFwsInElectronvolts) {
  const FlexibleWaterParameters p;
  EXPECT_NEAR(kcal_per_mol_to_ev, 0.0433641042, 1e-10);
  EXPECT_NEAR(p.bond_k, 45.92961, 1e-5);  // eV/Å², in E = (k_b/2)(r − r0)²
  EXPECT_NEAR(p.angle_k, 3.291335, 1e-6);
  EXPECT_NEAR(p.angle_theta0, 1.976411, 1e-6);
  EXPECT_NEAR(p.lj_epsilon, 0.006738782, 1e-9);
}

TEST(FlexibleWater, RefusesAtomsNotOrderedOxygenHydrogenHydrogen) {
  System s = two_molecules(5.0);
  s.type = {1, 0, 1, 0, 1, 1};
  FlexibleWater water;
  AtomVectors forces;
  try {
    water.compute(s, forces);
    FAIL() << "expected an Error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("atom 0 is H, expected O"), std::string::npos) << e.what();
  }
  s.type = {0, 1, 1, 0, 1, 1};
  s.type.pop_back();
  EXPECT_THROW(water.compute(s, forces), Error);
}

TEST(FlexibleWater, RefusesCutoffBeyondHalfTheBox) {
  System s = md::make_water_box({.molecules = 8});
  FlexibleWater water;  // 6 Å cutoff in a 6.2 Å box
  AtomVectors forces;
  EXPECT_THROW(water.compute(s, forces), InvalidOption);
  EXPECT_THROW(FlexibleWater({.lj_sigma = -1.0}), InvalidOption);
}

}  // namespace
}  // namespace ldyn::molecular::classical
