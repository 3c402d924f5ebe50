#pragma once
// What the molecular-dynamics engine needs from a model: forces on every atom. A force field may be
// conservative (forces are −∇U of a potential energy U, which it returns) or not: in ldyn's agent
// dynamics each atom descends its own loss, and the returned number is the sum of the agents'
// losses, which is not conserved.
#include "molecular/system.hpp"

namespace ldyn::molecular {

class ForceField {
 public:
  virtual ~ForceField() = default;
  /// Writes the force on each atom (eV/Å) into `forces` (resized to N×3 if needed) and returns the
  /// energy (eV): the potential energy if conservative(), else the sum of the agents' losses.
  virtual double compute(const System& system, AtomVectors& forces) = 0;
  /// True when forces are −∇ of the returned energy (so total energy is conserved in NVE).
  virtual bool conservative() const = 0;
  /// The interaction range, Å.
  virtual double cutoff() const = 0;
};

}  // namespace ldyn::molecular
