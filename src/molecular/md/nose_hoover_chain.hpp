#pragma once
// The Nosé–Hoover chain thermostat (G. J. Martyna, M. L. Klein, M. Tuckerman, J. Chem. Phys. 97,
// 2635 (1992)), integrated as in G. J. Martyna, M. E. Tuckerman, D. J. Tobias, M. L. Klein, Mol.
// Phys. 87, 1117 (1996): the chain's Liouvillian exp(iL_NHC dt/2) is applied before and after a
// velocity Verlet step (Trotter splitting), itself split into n_c substeps of Suzuki–Yoshida weighted
// pieces. All particle velocities are scaled by one factor, so a half step costs two O(N) passes.
//
// Masses: Q_1 = N_f k_B T τ², Q_j = k_B T τ² (j ≥ 2), with τ the thermostat's time constant.
// The conserved quantity of the extended system is K + U + energy(), with
//   energy() = Σ_j Q_j v_ξj²/2 + N_f k_B T ξ_1 + k_B T Σ_{j≥2} ξ_j.
#include <span>
#include <vector>

#include "molecular/system.hpp"

namespace ldyn::molecular::md {

/// Suzuki–Yoshida weights of order 1, 3, 5 or 7 (they sum to 1). Other orders throw InvalidOption.
std::span<const double> suzuki_yoshida_weights(int order);

struct NoseHooverChainSettings {
  double temperature_K = 300.0;
  double tau_fs = 100.0;     ///< time constant of the thermostat's oscillation
  int chain_length = 3;      ///< M
  /// Order 3 by default: with τ ≫ dt the thermostat's splitting error is far below Verlet's own,
  /// so higher orders (5, 7) buy nothing measurable; they are there to check that claim.
  int yoshida_order = 3;
  int substeps = 1;          ///< n_c
};

class NoseHooverChain {
 public:
  /// `degrees_of_freedom` N_f (3N − 3 with the centre of mass fixed). Throws InvalidOption for
  /// non-positive temperature, τ, chain length, substeps or N_f, or an unknown Yoshida order.
  NoseHooverChain(const NoseHooverChainSettings& settings, double degrees_of_freedom);

  /// Applies exp(iL_NHC dt/2): advances the chain by dt/2 and scales the system's velocities.
  void half_step(System& system, double dt);
  /// The thermostat's part of the conserved quantity, eV.
  double energy() const;

  const NoseHooverChainSettings& settings() const { return settings_; }
  /// Chain positions ξ_j (dimensionless) and velocities v_ξj (1/fs), for checkpoints.
  std::span<const double> positions() const { return xi_; }
  std::span<const double> velocities() const { return v_xi_; }
  /// Restores a saved state; throws InvalidOption when the sizes are not the chain length.
  void set_state(std::span<const double> positions, std::span<const double> velocities);

 private:
  NoseHooverChainSettings settings_;
  double dof_, kt_;
  std::span<const double> weights_;
  std::vector<double> q_, xi_, v_xi_, g_;
};

}  // namespace ldyn::molecular::md
