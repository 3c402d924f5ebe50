#pragma once
// The regularizer of the fit: ridge plus a roughness penalty on the B-spline coefficients
// (P-splines, Eilers & Marx, Statistical Science 11, 89 (1996)):
//   c^T R c = ‖c‖² + s Σ ‖Δ² c‖²,
// where Δ² is the second difference of neighbouring coefficients along every radial direction of a
// block (along q in a pair block; along a and along b, for each Legendre order, in an angle block).
// Δ² c ≈ h² φ'' for a spline with knot spacing h, so the penalty pulls a term towards a straight
// line where the data say nothing (between the covalent bond and the hydrogen bond, say), instead
// of towards zero as plain ridge does; plain ridge alone leaves wiggles there that a simulation can
// fall into. R is returned as rows L (R = LᵀL) so that a QR solve can append them.
#include <Eigen/Core>

#include "molecular/model/model_spec.hpp"

namespace ldyn::molecular {

/// Rows L with LᵀL = R for the coefficients of species s (local columns), or of all species
/// (block diagonal, columns of the full coefficient vector) when s < 0. For the QR solver.
Eigen::MatrixXd penalty_rows(const ModelSpec& spec, int s, double smoothness);

/// R itself, assembled directly from the second differences (no P × P × rows product).
Eigen::MatrixXd penalty_matrix(const ModelSpec& spec, int s, double smoothness);

}  // namespace ldyn::molecular
