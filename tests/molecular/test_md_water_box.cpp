// The water box generator: density, molecular geometry, no overlaps, reproducible per seed.
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

#include "core/error.hpp"
#include "molecular/md/water_box.hpp"

namespace ldyn::molecular::md {
namespace {

double distance(const System& s, Eigen::Index i, Eigen::Index j) {
  return s.box.minimum_image((s.positions.row(j) - s.positions.row(i)).transpose()).norm();
}

TEST(MdWaterBox, HasTheDensityAndGeometryAskedFor) {
  for (const int n : {8, 27, 30}) {
    const System s = make_water_box({.molecules = n, .density_g_cm3 = 0.997, .seed = 2});
    ASSERT_EQ(s.size(), static_cast<std::size_t>(3 * n));
    EXPECT_NEAR(density_g_cm3(s), 0.997, 1e-12);
    EXPECT_DOUBLE_EQ(s.box.length[0], s.box.length[2]);
    EXPECT_EQ(s.species.symbols, (std::vector<std::string>{"O", "H"}));
    EXPECT_NEAR(s.mass[0], 15.999, 1e-3);
    EXPECT_NEAR(s.mass[1], 1.008, 1e-3);
    for (Eigen::Index m = 0; m < n; ++m) {
      EXPECT_EQ(s.type[static_cast<std::size_t>(3 * m)], 0);
      EXPECT_EQ(s.type[static_cast<std::size_t>(3 * m + 1)], 1);
      EXPECT_EQ(s.type[static_cast<std::size_t>(3 * m + 2)], 1);
      const Vec3 d1 = (s.positions.row(3 * m + 1) - s.positions.row(3 * m)).transpose();
      const Vec3 d2 = (s.positions.row(3 * m + 2) - s.positions.row(3 * m)).transpose();
      EXPECT_NEAR(d1.norm(), 0.9572, 1e-12);
      EXPECT_NEAR(d2.norm(), 0.9572, 1e-12);
      EXPECT_NEAR(std::acos(d1.dot(d2) / (d1.norm() * d2.norm())) * 180.0 / std::numbers::pi, 104.52, 1e-9);
    }
  }
}

TEST(MdWaterBox, MoleculesDoNotOverlap) {
  const int n = 27;
  const System s = make_water_box({.molecules = n, .density_g_cm3 = 1.0, .seed = 9});
  const double spacing = s.box.length[0] / 3.0;
  double min_oo = 1e9, min_any = 1e9;
  for (Eigen::Index i = 0; i < 3 * n; ++i)
    for (Eigen::Index j = i + 1; j < 3 * n; ++j) {
      if (i / 3 == j / 3) continue;
      const double r = distance(s, i, j);
      min_any = std::min(min_any, r);
      if (i % 3 == 0 && j % 3 == 0) min_oo = std::min(min_oo, r);
    }
  EXPECT_NEAR(min_oo, spacing, 1e-9);   // the lattice spacing, ≈ 3.1 Å
  EXPECT_GT(min_any, spacing - 2.0 * 0.9572 - 1e-9);
  EXPECT_GT(min_any, 1.0);
}

TEST(MdWaterBox, SameSeedSameBox) {
  const System a = make_water_box({.molecules = 27, .seed = 4});
  const System b = make_water_box({.molecules = 27, .seed = 4});
  const System c = make_water_box({.molecules = 27, .seed = 5});
  EXPECT_EQ(a.positions, b.positions);
  EXPECT_NE(a.positions, c.positions);
  // The oxygens sit on the same lattice whatever the seed: only orientations change.
  for (Eigen::Index m = 0; m < 27; ++m) EXPECT_EQ(a.positions.row(3 * m), c.positions.row(3 * m));
}

TEST(MdWaterBox, RefusesImpossibleSettings) {
  EXPECT_THROW(make_water_box({.molecules = 0}), InvalidOption);
  EXPECT_THROW(make_water_box({.molecules = 8, .density_g_cm3 = 0.0}), InvalidOption);
}

}  // namespace
}  // namespace ldyn::molecular::md
