#pragma once
// The one loop over an atom's invariants, shared by the model's forces and the fitter's design
// matrix so that both see exactly the same basis functions: for centre atom i it visits every
// neighbour within the pair cutoff (distance r_ij, unit vector u_ij = (x_j − x_i)/r_ij, pair basis
// values) and every pair of neighbours {j, k} within the angular cutoff (cos θ_jik, Legendre values,
// angular radial basis values), with j of the lower species index.
#include <algorithm>
#include <cstddef>
#include <span>
#include <utility>
#include <vector>

#include "molecular/model/model_spec.hpp"
#include "molecular/neighbors/neighbor_list.hpp"

namespace ldyn::molecular {

struct NeighborTerm {
  int j = 0;     ///< neighbour index
  int t = 0;     ///< neighbour species
  Vec3 u;        ///< unit vector from the centre to the neighbour
  double r = 0;  ///< distance, Å
  int pair_first = 0;
  double pair_value[4], pair_slope[4];  ///< pair basis B_{pair_first+q}(r) and dB/dr
  int ang_first = 0;
  double ang_value[4], ang_slope[4];    ///< angular radial basis G_{ang_first+q}(r) and dG/dr
};

/// Per-thread scratch of visit_atom (reused: no allocation once warm).
struct TermScratch {
  std::vector<NeighborTerm> near;  ///< neighbours inside the angular cutoff
  std::vector<double> p, dp;       ///< P_l(cos θ), dP_l/dcos θ
};

/// Calls visitor.pair(i, n) for each neighbour n of i within the pair cutoff and
/// visitor.triplet(i, nj, nk, cos θ, P, dP) for each pair of neighbours within the angular cutoff
/// (nj.t ≤ nk.t); before the triplets, visitor.begin_triplets(near) sees all neighbours inside the
/// angular cutoff (nj and nk are elements of that span). `type` maps atoms to model species.
template <class Visitor>
void visit_atom(const ModelSpec& spec, const System& system, const std::vector<int>& type,
                const NeighborList& list, std::size_t i, TermScratch& scratch, Visitor& visitor) {
  const double pair_cut2 = spec.pair.r_cut() * spec.pair.r_cut();
  const double ang_cut = spec.angular.r_cut();
  const Vec3 xi = system.positions.row(static_cast<Eigen::Index>(i)).transpose();
  scratch.near.clear();
  const auto neighbors = list.neighbors(i);
  const auto shifts = list.shifts(i);
  for (std::size_t q = 0; q < neighbors.size(); ++q) {
    const int j = neighbors[q];
    const Vec3 d = system.positions.row(j).transpose() - xi + shifts[q];
    const double r2 = d.squaredNorm();
    if (r2 >= pair_cut2) continue;
    NeighborTerm n;
    n.j = j;
    n.t = type[static_cast<std::size_t>(j)];
    n.r = std::sqrt(r2);
    n.u = d / n.r;
    n.pair_first = spec.pair.evaluate(n.r, n.pair_value, n.pair_slope);
    visitor.pair(i, n);
    if (n.r < ang_cut) {
      n.ang_first = spec.angular.evaluate(n.r, n.ang_value, n.ang_slope);
      scratch.near.push_back(n);
    }
  }
  const int lmax = spec.lmax;
  scratch.p.resize(static_cast<std::size_t>(lmax) + 1);
  scratch.dp.resize(static_cast<std::size_t>(lmax) + 1);
  const std::size_t m = scratch.near.size();
  visitor.begin_triplets(std::span<const NeighborTerm>(scratch.near));
  for (std::size_t a = 0; a < m; ++a)
    for (std::size_t b = a + 1; b < m; ++b) {
      const NeighborTerm* nj = &scratch.near[a];
      const NeighborTerm* nk = &scratch.near[b];
      if (nj->t > nk->t) std::swap(nj, nk);
      const double c = std::clamp(nj->u.dot(nk->u), -1.0, 1.0);
      legendre(lmax, c, scratch.p.data(), scratch.dp.data());
      visitor.triplet(i, *nj, *nk, c, scratch.p.data(), scratch.dp.data());
    }
}

/// Gradients of a triplet term E(r_j, r_k, c) with respect to x_j and x_k (that of the centre is
/// −(g_j + g_k)), given ∂E/∂r_j, ∂E/∂r_k and ∂E/∂c, with c = u_j · u_k.
inline void triplet_gradients(const NeighborTerm& nj, const NeighborTerm& nk, double c, double e_rj,
                              double e_rk, double e_c, Vec3& g_j, Vec3& g_k) {
  g_j = e_rj * nj.u + (e_c / nj.r) * (nk.u - c * nj.u);
  g_k = e_rk * nk.u + (e_c / nk.r) * (nj.u - c * nk.u);
}

}  // namespace ldyn::molecular
