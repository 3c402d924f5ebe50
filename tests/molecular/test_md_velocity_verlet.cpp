// Velocity Verlet on independent harmonic oscillators: positions follow the closed form to O(dt²),
// the energy error is O(dt²) (halving dt quarters it), and the work it reports equals −ΔU for a
// conservative force to the same order.
#include <gtest/gtest.h>

#include <cmath>

#include "core/error.hpp"
#include "molecular/io/units.hpp"
#include "molecular/md/velocity_verlet.hpp"

namespace ldyn::molecular::md {
namespace {

/// Every atom is tied to its anchor by a spring: F = −k (x − anchor), U = ½ k |x − anchor|².
class HarmonicWells final : public ForceField {
 public:
  HarmonicWells(double k, AtomVectors anchors) : k_(k), anchors_(std::move(anchors)) {}
  double compute(const System& system, AtomVectors& forces) override {
    forces = -k_ * (system.positions - anchors_);
    return 0.5 * k_ * (system.positions - anchors_).squaredNorm();
  }
  bool conservative() const override { return true; }
  double cutoff() const override { return 0.0; }

 private:
  double k_;
  AtomVectors anchors_;
};

System oscillators() {
  System s;
  s.species = SpeciesTable::standard({"H", "O"});
  s.box.length = Eigen::Array3d::Constant(50.0);
  s.type = {0, 1};
  s.mass.resize(2);
  s.mass << s.species.masses[0], s.species.masses[1];
  s.positions.resize(2, 3);
  s.positions << 10.3, 10.0, 9.8, 30.0, 30.2, 29.9;
  s.velocities.resize(2, 3);
  s.velocities << 0.01, -0.02, 0.005, 0.003, 0.0, -0.004;
  return s;
}

AtomVectors anchors() {
  AtomVectors a(2, 3);
  a << 10.0, 10.0, 10.0, 30.0, 30.0, 30.0;
  return a;
}

struct RunErrors {
  double position, energy;
};

/// Integrates to `duration` fs with step dt; the largest position error against the closed form and
/// the largest energy error.
RunErrors integrate(double dt, double duration) {
  const double k = 2.0;
  System s = oscillators();
  const System start = s;
  HarmonicWells wells(k, anchors());
  AtomVectors forces;
  const double u0 = wells.compute(s, forces);
  const double e0 = u0 + kinetic_energy(s);
  const VelocityVerlet vv(s, dt);
  RunErrors worst{0.0, 0.0};
  const auto steps = static_cast<long>(std::lround(duration / dt));
  double work = 0.0, energy = u0;
  for (long n = 1; n <= steps; ++n) {
    const auto r = vv.step(s, wells, forces);
    work += r.work;
    energy = r.energy;
    const double t = static_cast<double>(n) * dt;
    for (Eigen::Index i = 0; i < 2; ++i) {
      const double omega = std::sqrt(k / (s.mass[i] * io::units::amu_a2_per_fs2_to_ev));
      const Eigen::RowVector3d d0 = start.positions.row(i) - anchors().row(i);
      const Eigen::RowVector3d exact =
          anchors().row(i) + d0 * std::cos(omega * t) + start.velocities.row(i) * (std::sin(omega * t) / omega);
      worst.position = std::max(worst.position, (s.positions.row(i) - exact).norm());
    }
    worst.energy = std::max(worst.energy, std::abs(energy + kinetic_energy(s) - e0));
  }
  // The trapezoid work tracks −ΔU to the integrator's own order.
  EXPECT_NEAR(work, -(energy - u0), 50.0 * worst.energy + 1e-12);
  return worst;
}

TEST(MdVelocityVerlet, FollowsTheHarmonicClosedForm) {
  // ω ≈ 0.139/fs for H: dt = 0.25 fs is ~180 steps per period; 200 fs is ~4 periods.
  const RunErrors e = integrate(0.25, 200.0);
  EXPECT_LT(e.position, 1e-3);  // a phase error of ~(ω dt)² ω t / 24 on 0.3 Å amplitudes
  EXPECT_GT(e.energy, 0.0);
}

TEST(MdVelocityVerlet, EnergyErrorIsSecondOrderInTheTimeStep) {
  const RunErrors coarse = integrate(0.5, 200.0);
  const RunErrors fine = integrate(0.25, 200.0);
  EXPECT_NEAR(coarse.energy / fine.energy, 4.0, 0.3);
  EXPECT_NEAR(coarse.position / fine.position, 4.0, 0.4);
}

TEST(MdVelocityVerlet, RefusesNonPositiveTimeStep) {
  const System s = oscillators();
  EXPECT_THROW(VelocityVerlet(s, 0.0), InvalidOption);
  EXPECT_THROW(VelocityVerlet(s, std::nan("")), InvalidOption);
}

}  // namespace
}  // namespace ldyn::molecular::md
