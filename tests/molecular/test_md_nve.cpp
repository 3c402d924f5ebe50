// NVE with the flexible water model: the total energy is conserved (its excursions are a small
// fraction of the kinetic energy's own fluctuations) and so is the total momentum, to rounding.
#include <gtest/gtest.h>

#include <cmath>

#include "molecular/classical/flexible_water.hpp"
#include "molecular/md/initial_velocities.hpp"
#include "molecular/md/run_md.hpp"
#include "molecular/md/water_box.hpp"

namespace ldyn::molecular::md {
namespace {

TEST(MdNve, FlexibleWaterConservesEnergyAndMomentum) {
  System s = make_water_box({.molecules = 27, .density_g_cm3 = 1.0, .seed = 1});
  classical::FlexibleWater water({.cutoff = 4.0});
  MdSettings settings;
  settings.steps = 2000;  // 1 ps of NVT at 300 K to melt the lattice start
  settings.progress = false;
  run_md(s, water, settings);
  settings.initial_velocities = InitialVelocities::keep;
  settings.ensemble = Ensemble::nve;
  settings.dt_fs = 0.25;
  settings.steps = 2000;
  settings.temperature_K = 300.0;
  settings.progress = false;
  const MdSummary summary = run_md(s, water, settings);

  EXPECT_EQ(summary.steps_done, 2000);
  const double k_std = summary.kinetic_std_ev;
  EXPECT_GT(k_std, 0.1);
  // Verlet's bounded O(dt²) error (~2% of σ_K at 0.25 fs, from the 9 fs O–H stretch) ...
  EXPECT_LT(summary.conserved_max_deviation_ev, 0.05 * k_std);
  // ... and no drift: over the 0.5 ps run the trend moves H by less than 0.5% of σ_K.
  const double atoms = static_cast<double>(s.size()), duration_ps = 0.5;
  EXPECT_LT(std::abs(summary.conserved_drift_ev_per_atom_per_ps) * atoms * duration_ps, 5e-3 * k_std);
  const double scale = (s.velocities.rowwise().norm().array() * s.mass.array()).sum();
  EXPECT_LT(total_momentum(s).norm(), 1e-12 * scale);
}

}  // namespace
}  // namespace ldyn::molecular::md
