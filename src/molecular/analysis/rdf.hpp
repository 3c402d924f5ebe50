#pragma once
// Partial radial distribution functions g_ab(r), averaged over frames.
//
// Distances are minimum-image distances, so r_max may not exceed half the shortest box edge (no
// pair can then be seen through two images). Bins [k·w, (k+1)·w), k = 0 .. K-1, K = floor(r_max/w)
// (r_max is rounded down to a whole number of bins). For species a, b and a frame of volume V:
//
//   g_ab(r_k) = V · n_ab(k) / (P_ab · ΔV_k),   ΔV_k = (4π/3) ((k+1)³ - k³) w³
//
// where n_ab(k) counts unordered pairs (i of species a, j of species b, i ≠ j) in bin k and
// P_ab = N_a·N_b (a ≠ b) or N_a(N_a - 1)/2 (a = b) is the number of such pairs: the ideal-gas shell
// count of a uniform system of the same composition is P_ab·ΔV_k/V, so g → 1 at large r and exactly
// 1 on average for uncorrelated points. Each frame is normalized with its own volume; g is the mean
// over frames. The coordination number follows as n_ab(R) = (N_b - δ_ab)/V · Σ_{r_k < R} g_ab(r_k) ΔV_k.
//
// The intermolecular g_ab counts only pairs of different molecules (molecules.hpp) and keeps the
// same normalization, so it equals the total g beyond the size of a molecule and lacks the
// intramolecular (bond, H···H) peaks.
//
// Every pair is visited (O(N²) per frame, threads over frames): simple and exact, and fast for the
// few hundred atoms of ab initio water boxes.
#include <string>
#include <string_view>
#include <vector>

#include "molecular/analysis/prepared_trajectory.hpp"

namespace ldyn::molecular::analysis {

struct RdfOptions {
  double r_max = 6.0;       ///< Å, at most half the shortest box edge of every frame
  double bin_width = 0.02;  ///< Å
};

/// g_ab(r) of one species pair.
struct PairDistribution {
  std::string a, b;                   ///< species symbols (a's index ≤ b's in the trajectory)
  double bin_width = 0.0;             ///< Å
  std::vector<double> r;              ///< bin centres (k + 1/2)·w, Å
  std::vector<double> total;          ///< g_ab over all pairs
  std::vector<double> intermolecular; ///< g_ab over pairs of different molecules
};

/// g_ab for every unordered pair of species present (a = b only with two atoms or more).
/// InvalidOption ("r_max", "bin width") for a range or bin that is not > 0, a bin wider than r_max,
/// or an r_max beyond t.largest_rdf_range().
std::vector<PairDistribution> radial_distributions(const PreparedTrajectory& t, const RdfOptions& options);

/// The distribution of species a and b (in either order); Error if `rdfs` holds none.
const PairDistribution& find_pair(const std::vector<PairDistribution>& rdfs, std::string_view a, std::string_view b);

}  // namespace ldyn::molecular::analysis
