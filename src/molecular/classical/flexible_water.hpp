#pragma once
// A flexible water model for tests and as a known reference: the bonded terms of SPC/Fw plus an O–O
// Lennard-Jones with a shifted-force cutoff, and NO charges. It is a test model (a dense LJ fluid
// of vibrating triatomics), not SPC/Fw: without the Coulomb terms there are no hydrogen bonds.
//
// SPC/Fw: Y. Wu, H. L. Tepper, G. A. Voth, J. Chem. Phys. 124, 024503 (2006), Table I, whose
// convention is E_bond = (k_b/2)(r − r0)² and E_angle = (k_θ/2)(θ − θ0)² (LAMMPS's bond_style
// harmonic writes K(r − r0)², i.e. K = k_b/2).
//
// Atoms come as molecules O, H, H (atom 3m is the oxygen of molecule m); anything else is refused.
// Bond vectors use the minimum image, so unwrapped or wrapped positions give the same forces.
#include <cstddef>
#include <optional>

#include "molecular/force_field.hpp"
#include "molecular/neighbors/neighbor_list.hpp"

namespace ldyn::molecular::classical {

/// 1 kcal/mol in eV (4184 J/mol / N_A / e).
inline constexpr double kcal_per_mol_to_ev = 4184.0 / 6.02214076e23 / 1.602176634e-19;
inline constexpr double degree_to_radian = 3.14159265358979323846 / 180.0;

struct FlexibleWaterParameters {
  double bond_k = 1059.162 * kcal_per_mol_to_ev;    ///< k_b, eV/Å², in E = (k_b/2)(r − r0)²
  double bond_r0 = 1.012;                           ///< Å
  double angle_k = 75.90 * kcal_per_mol_to_ev;      ///< k_θ, eV/rad², in E = (k_θ/2)(θ − θ0)²
  double angle_theta0 = 113.24 * degree_to_radian;  ///< rad
  double lj_epsilon = 0.1554 * kcal_per_mol_to_ev;  ///< O–O, eV
  double lj_sigma = 3.165492;                       ///< O–O, Å
  double cutoff = 6.0;  ///< Å; LJ energy and force go to zero continuously here (shifted force)
  /// Å; the neighbour-list skin, reduced to fit the box when cutoff + skin exceeds half its edge.
  double skin = 1.0;
};

class FlexibleWater final : public ForceField {
 public:
  /// Throws InvalidOption for non-positive or non-finite parameters.
  explicit FlexibleWater(FlexibleWaterParameters parameters = {});

  /// Throws Error when the atoms are not O, H, H per molecule, and InvalidOption when the cutoff
  /// exceeds half the shortest box edge.
  double compute(const System& system, AtomVectors& forces) override;
  bool conservative() const override { return true; }
  double cutoff() const override { return p_.cutoff; }

  const FlexibleWaterParameters& parameters() const { return p_; }
  /// Builds of the O–O neighbour list so far.
  std::size_t neighbor_builds() const { return list_ ? list_->builds() : 0; }

 private:
  void check_layout(const System& system) const;
  void prepare_list(const Box& box);

  FlexibleWaterParameters p_;
  double lj_shift_energy_ = 0.0, lj_shift_slope_ = 0.0;  // E(rc) and dE/dr(rc)
  std::optional<NeighborList> list_;  // over oxygens only
  Box list_box_;
  AtomVectors oxygens_;               // positions of the oxygens, reused between calls
  Eigen::VectorXd molecule_energy_;   // summed serially so the total does not depend on threads
};

}  // namespace ldyn::molecular::classical
