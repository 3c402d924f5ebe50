// Blow-ups stop the run with a BlowUpError naming the cause — a non-finite force (the atom and
// step), two atoms too close (both, with species and distance), a temperature above the limit —
// and the outputs up to that point are renamed into place.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>

#include "molecular/classical/flexible_water.hpp"
#include "molecular/io/units.hpp"
#include "molecular/md/blow_up.hpp"
#include "molecular/md/run_md.hpp"
#include "molecular/md/water_box.hpp"

namespace ldyn::molecular::md {
namespace {

namespace fs = std::filesystem;

/// Flexible water whose force on one atom becomes NaN from its `nan_from`-th call on.
class PoisonedWater final : public ForceField {
 public:
  PoisonedWater(long nan_from, Eigen::Index atom) : nan_from_(nan_from), atom_(atom) {}
  double compute(const System& system, AtomVectors& forces) override {
    const double e = water_.compute(system, forces);
    if (++calls_ >= nan_from_) forces(atom_, 1) = std::numeric_limits<double>::quiet_NaN();
    return e;
  }
  bool conservative() const override { return true; }
  double cutoff() const override { return water_.cutoff(); }

 private:
  classical::FlexibleWater water_{{.cutoff = 4.0}};
  long nan_from_, calls_ = 0;
  Eigen::Index atom_;
};

/// No forces at all (free flight), or a push along the velocity F = γ m v that heats exponentially.
class Push final : public ForceField {
 public:
  explicit Push(double gamma_per_fs) : gamma_(gamma_per_fs) {}
  double compute(const System& system, AtomVectors& forces) override {
    forces = (gamma_ * io::units::amu_a2_per_fs2_to_ev) *
             (system.velocities.array().colwise() * system.mass.array()).matrix();
    return 0.0;
  }
  bool conservative() const override { return false; }
  double cutoff() const override { return 0.0; }

 private:
  double gamma_;
};

System argon(const AtomVectors& positions, const AtomVectors& velocities) {
  System s;
  s.species = SpeciesTable::standard({"Ar"});
  s.box.length = Eigen::Array3d::Constant(20.0);
  s.type.assign(static_cast<std::size_t>(positions.rows()), 0);
  s.mass = Eigen::VectorXd::Constant(positions.rows(), s.species.masses[0]);
  s.positions = positions;
  s.velocities = velocities;
  return s;
}

MdSettings settings_in(const std::string& name, long steps) {
  const fs::path dir = fs::path(::testing::TempDir()) / ("ldyn_md_blowup_" + name);
  fs::remove_all(dir);
  MdSettings s;
  s.ensemble = Ensemble::nve;
  s.initial_velocities = InitialVelocities::keep;
  s.steps = steps;
  s.log_every = 1;
  s.log_path = dir / "log.csv";
  s.trajectory_path = dir / "traj.extxyz";
  s.progress = false;
  return s;
}

/// Runs and returns the BlowUpError; the outputs must be finished files, not .part.
BlowUpError expect_blow_up(System& system, ForceField& force_field, const MdSettings& settings) {
  try {
    run_md(system, force_field, settings);
  } catch (const BlowUpError& e) {
    for (const fs::path& p : {settings.log_path, settings.trajectory_path}) {
      EXPECT_TRUE(fs::exists(p)) << p;
      EXPECT_FALSE(fs::exists(fs::path(p.string() + ".part"))) << p;
    }
    return e;
  }
  ADD_FAILURE() << "no blow-up";
  return BlowUpError(BlowUpCause::non_finite, -1, "none");
}

TEST(MdBlowUp, NonFiniteForceNamesTheAtomAndStep) {
  System s = make_water_box({.molecules = 27, .density_g_cm3 = 1.0});
  PoisonedWater water(31, 5);  // call 31 is step 30
  MdSettings settings = settings_in("nan", 100);
  settings.initial_velocities = InitialVelocities::maxwell_boltzmann;
  const BlowUpError e = expect_blow_up(s, water, settings);
  EXPECT_EQ(e.cause(), BlowUpCause::non_finite);
  EXPECT_EQ(e.step(), 30);
  EXPECT_NE(std::string(e.what()).find("step 30: non-finite force on atom 5 (H)"), std::string::npos) << e.what();
  // The log holds the header and steps 0 .. 29.
  std::ifstream log(settings.log_path);
  EXPECT_EQ(std::count(std::istreambuf_iterator<char>(log), {}, '\n'), 31);
}

TEST(MdBlowUp, AtomsTooCloseAreNamedWithTheirDistance) {
  AtomVectors x(3, 3), v(3, 3);
  x << 5, 5, 5, 8.02, 5, 5, 15, 15, 15;
  v << 0.05, 0, 0, -0.05, 0, 0, 0, 0, 0;  // closing at 0.1 Å/fs: 3.02 Å → 0.5 Å in 25.2 fs
  System s = argon(x, v);
  Push none(0.0);
  MdSettings settings = settings_in("overlap", 1000);
  settings.limits.distance_check_every = 1;
  const BlowUpError e = expect_blow_up(s, none, settings);
  EXPECT_EQ(e.cause(), BlowUpCause::overlap);
  EXPECT_EQ(e.step(), 51);  // 3.02 − 0.1 · 0.5 · 51 = 0.47 Å < 0.5 Å
  EXPECT_NE(std::string(e.what()).find("atom 0 (Ar) and atom 1 (Ar) are 0.470 Å apart"), std::string::npos)
      << e.what();
}

TEST(MdBlowUp, TemperatureAboveTheLimitStopsTheRun) {
  AtomVectors x(4, 3), v(4, 3);
  x << 2, 2, 2, 12, 2, 2, 2, 12, 2, 2, 2, 12;
  v << 0.001, 0.002, -0.001, -0.002, 0.001, 0.0, 0.0, -0.003, 0.001, 0.001, 0.0, 0.0;
  System s = argon(x, v);
  Push heater(0.01);  // T grows as e^{2γt}: ×5 after ~80 fs
  const double t0 = temperature(s, 3.0);
  MdSettings settings = settings_in("hot", 10000);
  settings.limits.max_temperature_K = 5.0 * t0;
  const BlowUpError e = expect_blow_up(s, heater, settings);
  EXPECT_EQ(e.cause(), BlowUpCause::temperature);
  EXPECT_NEAR(static_cast<double>(e.step()) * 0.5, std::log(5.0) / 0.02, 5.0);
  EXPECT_NE(std::string(e.what()).find("exceeds the limit"), std::string::npos) << e.what();
}

TEST(MdBlowUp, AutomaticTemperatureLimits) {
  BlowUpLimits limits;
  EXPECT_EQ(resolve_max_temperature(limits, Ensemble::nvt, 300.0, 10.0), 1500.0);
  EXPECT_EQ(resolve_max_temperature(limits, Ensemble::nve, 300.0, 100.0), 1000.0);
  EXPECT_EQ(resolve_max_temperature(limits, Ensemble::nve, 300.0, 400.0), 2000.0);
  limits.max_temperature_K = 700.0;
  EXPECT_EQ(resolve_max_temperature(limits, Ensemble::nvt, 300.0, 10.0), 700.0);
}

}  // namespace
}  // namespace ldyn::molecular::md
