#include "molecular/md/velocity_verlet.hpp"

#include <cmath>
#include <string>

#include "core/error.hpp"
#include "molecular/io/units.hpp"

namespace ldyn::molecular::md {

Eigen::VectorXd acceleration_factors(const System& system) {
  return (system.mass.array() * io::units::amu_a2_per_fs2_to_ev).inverse().matrix();
}

void kick(AtomVectors& velocities, const AtomVectors& forces, const Eigen::VectorXd& factors, double dt) {
  const Eigen::Index n = velocities.rows();
  for (Eigen::Index i = 0; i < n; ++i) {
    const double s = dt * factors[i];
    for (int a = 0; a < 3; ++a) velocities(i, a) += s * forces(i, a);
  }
}

void drift(AtomVectors& positions, const AtomVectors& velocities, double dt) {
  positions += dt * velocities;
}

double power(const AtomVectors& forces, const AtomVectors& velocities) {
  return forces.cwiseProduct(velocities).sum();
}

VelocityVerlet::VelocityVerlet(const System& system, double dt_fs)
    : dt_(dt_fs), factors_(acceleration_factors(system)) {
  if (!(std::isfinite(dt_fs) && dt_fs > 0.0))
    throw InvalidOption("--dt", "must be a finite number of fs > 0 (got " + std::to_string(dt_fs) + ")");
}

VelocityVerlet::StepResult VelocityVerlet::step(System& system, ForceField& force_field,
                                                AtomVectors& forces) const {
  const double half = 0.5 * dt_;
  const double power_before = power(forces, system.velocities);
  kick(system.velocities, forces, factors_, half);
  drift(system.positions, system.velocities, dt_);
  const double energy = force_field.compute(system, forces);
  kick(system.velocities, forces, factors_, half);
  const double power_after = power(forces, system.velocities);
  return {energy, half * (power_before + power_after)};
}

}  // namespace ldyn::molecular::md
