#pragma once
// The velocity Verlet integrator: kick by dt/2, drift by dt, new forces, kick by dt/2. Symplectic and
// time-reversible, so with conservative forces its energy error stays bounded at O(dt²) instead of
// drifting. A step allocates nothing: it updates the system's arrays in place.
#include "molecular/force_field.hpp"
#include "molecular/system.hpp"

namespace ldyn::molecular::md {

/// Per-atom factors turning a force (eV/Å) into an acceleration (Å/fs²): 1 / (m · c), with c the
/// kinetic-energy unit (g/mol)·Å²/fs² in eV.
Eigen::VectorXd acceleration_factors(const System& system);

/// v += dt · a · F, per atom (`factors` from acceleration_factors).
void kick(AtomVectors& velocities, const AtomVectors& forces, const Eigen::VectorXd& factors, double dt);
/// x += dt · v.
void drift(AtomVectors& positions, const AtomVectors& velocities, double dt);
/// Σ F·v over all atoms, eV/fs: the rate at which the forces do work.
double power(const AtomVectors& forces, const AtomVectors& velocities);

class VelocityVerlet {
 public:
  /// Throws InvalidOption unless dt is finite and > 0.
  VelocityVerlet(const System& system, double dt_fs);

  struct StepResult {
    double energy;  ///< what the force field returned at the new positions, eV
    double work;    ///< work done by the forces over the step, eV: trapezoid of F·v dt
  };
  /// Advances `system` by dt. `forces` holds F(x(t)) on entry and F(x(t + dt)) on exit.
  StepResult step(System& system, ForceField& force_field, AtomVectors& forces) const;

  double dt() const { return dt_; }

 private:
  double dt_;
  Eigen::VectorXd factors_;
};

}  // namespace ldyn::molecular::md
