// Maxwell–Boltzmann initial velocities: exactly the target temperature, no centre-of-mass motion,
// reproducible from the seed.
#include <gtest/gtest.h>

#include "core/error.hpp"
#include "molecular/md/initial_velocities.hpp"
#include "molecular/md/water_box.hpp"

namespace ldyn::molecular::md {
namespace {

TEST(MdInitialVelocities, MaxwellBoltzmannHasExactTemperatureAndNoMomentum) {
  System s = make_water_box({.molecules = 27});
  maxwell_boltzmann_velocities(s, 300.0, 42);
  EXPECT_NEAR(temperature(s, 3.0), 300.0, 300.0 * 1e-13);
  // Scale: Σ m |v| — the momentum a random-sign sum of this size would have.
  const double scale = (s.velocities.rowwise().norm().array() * s.mass.array()).sum();
  EXPECT_LT(total_momentum(s).norm(), 1e-14 * scale);
}

TEST(MdInitialVelocities, EquipartitionHoldsPerSpeciesOnAverage) {
  // Heavy and light atoms get the same kinetic energy per atom on average (not the same speed).
  System s = make_water_box({.molecules = 512});
  maxwell_boltzmann_velocities(s, 300.0, 1);
  double k_o = 0.0, k_h = 0.0;
  for (Eigen::Index i = 0; i < s.positions.rows(); ++i)
    (i % 3 == 0 ? k_o : k_h) += s.mass[i] * s.velocities.row(i).squaredNorm();
  const double ratio = (k_h / 1024.0) / (k_o / 512.0);
  EXPECT_NEAR(ratio, 1.0, 0.1);  // σ ≈ 0.045 for 512 and 1024 atoms
}

TEST(MdInitialVelocities, SameSeedSameVelocities) {
  System a = make_water_box({.molecules = 8}), b = a, c = a;
  maxwell_boltzmann_velocities(a, 300.0, 5);
  maxwell_boltzmann_velocities(b, 300.0, 5);
  maxwell_boltzmann_velocities(c, 300.0, 6);
  EXPECT_EQ(a.velocities, b.velocities);
  EXPECT_NE(a.velocities, c.velocities);
}

TEST(MdInitialVelocities, ZeroKelvinIsAtRestAndBadInputsAreRefused) {
  System s = make_water_box({.molecules = 8});
  maxwell_boltzmann_velocities(s, 0.0, 1);
  EXPECT_EQ(s.velocities.cwiseAbs().maxCoeff(), 0.0);
  EXPECT_THROW(maxwell_boltzmann_velocities(s, -1.0, 1), InvalidOption);
  System one = make_water_box({.molecules = 1});
  one.type.resize(1);
  one.positions.conservativeResize(1, 3);
  one.mass.conservativeResize(1);
  EXPECT_THROW(maxwell_boltzmann_velocities(one, 300.0, 1), Error);
}

}  // namespace
}  // namespace ldyn::molecular::md
