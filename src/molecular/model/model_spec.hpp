#pragma once
// The shape of an agent-loss model: species, basis functions, dynamics and the layout of its
// coefficient vector. Coefficients of all species live in one vector, species after species; within
// species s (the centre atom, "the agent"):
//   pair blocks      φ_{s,t}(r)            for t = 0 … T−1, pair.size() coefficients each;
//   angular blocks   ψ_{s,t1,t2}(r, r', c) for t1 ≤ t2, n_ab(t1,t2) · (lmax+1) coefficients each,
// where n_ab = n_a² for t1 ≠ t2 and n_a(n_a+1)/2 for t1 = t2 (the two neighbours are
// interchangeable, so only a ≤ b products are kept).
//
// The agent loss of atom i of species s is
//   L_i = Σ_j φ_{s,t_j}(r_ij) + Σ_{j<k} Σ_{a,b,l} c_{s,t_j,t_k,ab,l} G_a(r_ij) G_b(r_ik) P_l(cos θ_jik)
//         + Σ_j w_{s,t_j}(r_ij),
// with φ = Σ_q c_q B_q (cubic B-splines, pair basis), G the angular radial basis, P_l Legendre
// polynomials, and w a fixed repulsive wall below the shortest distance seen in the data.
#include <string>
#include <vector>

#include <Eigen/Core>

#include "molecular/model/cubic_bspline.hpp"
#include "molecular/system.hpp"

namespace ldyn::molecular {

/// How agents' losses move atoms.
enum class Dynamics {
  agent,      ///< m_i a_i = −∂L_{s_i}/∂x_i: each atom descends its own loss (as the paper states)
  symmetric,  ///< m_i a_i = −∂(Σ_j L_j)/∂x_i: the sum of all losses is a potential energy
};
const char* to_string(Dynamics d);
/// "agent" or "symmetric"; InvalidOption naming `option` otherwise.
Dynamics parse_dynamics(const std::string& name, const char* option = "--dynamics");

struct ModelSpec {
  SpeciesTable species;
  CubicBSpline pair{0.7, 6.0, 48};
  CubicBSpline angular{0.7, 3.2, 5};
  int lmax = 6;
  Dynamics dynamics = Dynamics::agent;
  /// Wall w(r) = strength · (radius − r)³ for r < radius, eV/Å³; radius per species pair (T×T).
  double wall_strength = 100.0;
  Eigen::MatrixXd wall_radius;

  int types() const { return static_cast<int>(species.size()); }
  double cutoff() const { return std::max(pair.r_cut(), angular.r_cut()); }

  // Layout.
  int angular_products(int t1, int t2) const {
    const int n = angular.size();
    return t1 == t2 ? n * (n + 1) / 2 : n * n;
  }
  /// Index of the product G_a G_b in an angular block (a for the lower type; symmetric if equal).
  int product_index(int t1, int t2, int a, int b) const {
    const int n = angular.size();
    if (t1 != t2) return a * n + b;
    if (a > b) std::swap(a, b);
    return a * n - a * (a - 1) / 2 + (b - a);
  }
  /// Offset of the pair block (s, t) inside species s's coefficients.
  int pair_offset(int /*s*/, int t) const { return t * pair.size(); }
  /// Offset of the angular block (s, t1 ≤ t2) inside species s's coefficients.
  int angular_offset(int s, int t1, int t2) const;
  /// Number of coefficients of species s.
  int species_size(int s) const;
  /// Offset of species s in the full coefficient vector.
  int species_offset(int s) const;
  int total_size() const { return species_offset(types()); }

  /// Throws InvalidOption if the settings are inconsistent (lmax < 0, wall radius shape, ...).
  void validate() const;
};

}  // namespace ldyn::molecular
