// The Nosé–Hoover chain: Suzuki–Yoshida weights, conservation of the extended energy, and the
// canonical mean temperature.
#include <gtest/gtest.h>

#include <cmath>
#include <numeric>

#include "core/error.hpp"
#include "molecular/classical/flexible_water.hpp"
#include "molecular/md/nose_hoover_chain.hpp"
#include "molecular/md/run_md.hpp"
#include "molecular/md/water_box.hpp"

namespace ldyn::molecular::md {
namespace {

MdSettings nvt(long steps) {
  MdSettings s;
  s.ensemble = Ensemble::nvt;
  s.temperature_K = 300.0;
  s.tau_fs = 50.0;
  s.dt_fs = 0.5;
  s.steps = steps;
  s.progress = false;
  return s;
}

TEST(MdNoseHooverChain, SuzukiYoshidaWeightsSumToOne) {
  for (const int order : {1, 3, 5, 7}) {
    const auto w = suzuki_yoshida_weights(order);
    ASSERT_EQ(w.size(), static_cast<std::size_t>(order));
    EXPECT_NEAR(std::accumulate(w.begin(), w.end(), 0.0), 1.0, 1e-14) << "order " << order;
    for (std::size_t i = 0; i < w.size(); ++i) EXPECT_EQ(w[i], w[w.size() - 1 - i]);  // symmetric
  }
  EXPECT_THROW(suzuki_yoshida_weights(2), InvalidOption);
}

/// 27 flexible waters at 1 g/cm³ thermalized for 1 ps at 300 K from the lattice start (which
/// releases ~3 eV of potential energy as heat).
System equilibrated_water(std::uint64_t seed) {
  System s = make_water_box({.molecules = 27, .density_g_cm3 = 1.0, .seed = seed});
  classical::FlexibleWater water({.cutoff = 4.0});
  run_md(s, water, nvt(2000));
  return s;
}

TEST(MdNoseHooverChain, ConservesTheExtendedEnergy) {
  const System start = equilibrated_water(2);
  for (const int order : {3, 7}) {
    System s = start;
    classical::FlexibleWater water({.cutoff = 4.0});
    MdSettings settings = nvt(2000);
    settings.dt_fs = 0.25;
    settings.initial_velocities = InitialVelocities::keep;
    settings.yoshida_order = order;
    settings.thermostat_substeps = order == 7 ? 2 : 1;
    const MdSummary summary = run_md(s, water, settings);
    // K + U + thermostat energy: Verlet's bounded O(dt²) error (~2% of σ_K at 0.25 fs, from the
    // 9 fs O–H stretch) and no drift (over the 0.5 ps run, under 0.5% of σ_K).
    const double k_std = summary.kinetic_std_ev;
    EXPECT_GT(k_std, 0.1);
    EXPECT_LT(summary.conserved_max_deviation_ev, 0.05 * k_std) << "order " << order;
    EXPECT_LT(std::abs(summary.conserved_drift_ev_per_atom_per_ps) * 81.0 * 0.5, 5e-3 * k_std) << "order " << order;
  }
}

TEST(MdNoseHooverChain, MeanTemperatureApproachesTheTarget) {
  System s = equilibrated_water(3);
  classical::FlexibleWater water({.cutoff = 4.0});
  MdSettings production = nvt(10000);
  production.initial_velocities = InitialVelocities::keep;
  const MdSummary summary = run_md(s, water, production);
  // 78 degrees of freedom: σ(T)/T = √(2/78) ≈ 0.16 per sample. Over 5 ps the means of 8 seeds
  // scatter by σ ≈ 3 K (1%): 15 K is 5σ.
  EXPECT_NEAR(summary.mean_temperature_K, 300.0, 15.0);
}

TEST(MdNoseHooverChain, RefusesImpossibleSettings) {
  NoseHooverChainSettings bad;
  bad.chain_length = 0;
  EXPECT_THROW(NoseHooverChain(bad, 10.0), InvalidOption);
  EXPECT_THROW(NoseHooverChain({.temperature_K = -1.0}, 10.0), InvalidOption);
  EXPECT_THROW(NoseHooverChain({.yoshida_order = 4}, 10.0), InvalidOption);
}

}  // namespace
}  // namespace ldyn::molecular::md
