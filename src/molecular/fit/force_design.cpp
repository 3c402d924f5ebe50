#include "molecular/fit/force_design.hpp"

#include "core/error.hpp"
#include "molecular/model/terms.hpp"

namespace ldyn::molecular {
namespace {

struct DesignVisitor {
  const ModelSpec& spec;
  const std::vector<int>& type;
  const std::vector<Eigen::Index>& row;  // first row of each atom inside its species' matrix
  std::vector<Eigen::MatrixXd>& matrix;
  int s = 0;                // centre species
  Eigen::Index base = 0;    // column of the centre species' first coefficient
  bool symmetric = false;

  void add(std::size_t atom, Eigen::Index col, const Vec3& v) {
    matrix[static_cast<std::size_t>(type[atom])].block<3, 1>(row[atom], col) += v;
  }

  void pair(std::size_t i, const NeighborTerm& n) {
    const Eigen::Index col0 = base + spec.pair_offset(s, n.t);
    for (int q = 0; q < 4; ++q) {
      const int k = n.pair_first + q;
      if (k < 0 || k >= spec.pair.size()) continue;
      const Vec3 v = n.pair_slope[q] * n.u;  // −∂B_k(r_ij)/∂x_i
      add(i, col0 + k, v);
      if (symmetric) add(static_cast<std::size_t>(n.j), col0 + k, -v);
    }
  }

  void begin_triplets(std::span<const NeighborTerm>) {}

  void triplet(std::size_t i, const NeighborTerm& nj, const NeighborTerm& nk, double c, const double* p,
               const double* dp) {
    const int lmax = spec.lmax, n_a = spec.angular.size();
    const Eigen::Index block = base + spec.angular_offset(s, nj.t, nk.t);
    for (int qa = 0; qa < 4; ++qa) {
      const int a = nj.ang_first + qa;
      if (a < 0 || a >= n_a) continue;
      for (int qb = 0; qb < 4; ++qb) {
        const int b = nk.ang_first + qb;
        if (b < 0 || b >= n_a) continue;
        const Eigen::Index col0 = block + spec.product_index(nj.t, nk.t, a, b) * (lmax + 1);
        const double g = nj.ang_value[qa] * nk.ang_value[qb];
        const double g_rj = nj.ang_slope[qa] * nk.ang_value[qb];
        const double g_rk = nj.ang_value[qa] * nk.ang_slope[qb];
        for (int l = 0; l <= lmax; ++l) {
          Vec3 g_j, g_k;
          triplet_gradients(nj, nk, c, g_rj * p[l], g_rk * p[l], g * dp[l], g_j, g_k);
          add(i, col0 + l, g_j + g_k);
          if (symmetric) {
            add(static_cast<std::size_t>(nj.j), col0 + l, -g_j);
            add(static_cast<std::size_t>(nk.j), col0 + l, -g_k);
          }
        }
      }
    }
  }
};

}  // namespace

void build_force_design(const ModelSpec& spec, const System& system, const AtomVectors& reference,
                        AgentModel& walls, ForceDesign& design) {
  const auto n = system.size();
  if (static_cast<std::size_t>(reference.rows()) != n)
    throw Error("force design: the reference forces do not match the atoms");
  std::vector<int>& type = design.type;
  std::vector<Eigen::Index>& row = design.row;
  walls.map_species(system, type);
  const int types = spec.types();
  std::vector<Eigen::Index> count(static_cast<std::size_t>(types), 0);
  row.resize(n);
  for (std::size_t i = 0; i < n; ++i) row[i] = 3 * count[static_cast<std::size_t>(type[i])]++;

  // Targets: reference minus the wall forces of the zero-coefficient model.
  AtomVectors& wall_forces = design.wall_forces;
  walls.compute(system, wall_forces, spec.dynamics);
  const bool symmetric = spec.dynamics == Dynamics::symmetric;
  design.matrix.resize(static_cast<std::size_t>(types));
  design.target.resize(static_cast<std::size_t>(types));
  for (int s = 0; s < types; ++s) {
    const auto su = static_cast<std::size_t>(s);
    const Eigen::Index cols = symmetric ? spec.total_size() : spec.species_size(s);
    design.matrix[su].setZero(3 * count[su], cols);
    design.target[su].resize(3 * count[su]);
  }
  for (std::size_t i = 0; i < n; ++i)
    design.target[static_cast<std::size_t>(type[i])].segment<3>(row[i]) =
        (reference.row(static_cast<Eigen::Index>(i)) - wall_forces.row(static_cast<Eigen::Index>(i))).transpose();

  const NeighborList& list = walls.neighbors(system);
  DesignVisitor v{spec, type, row, design.matrix};
  v.symmetric = symmetric;
  for (std::size_t i = 0; i < n; ++i) {
    v.s = type[i];
    v.base = symmetric ? spec.species_offset(v.s) : 0;
    visit_atom(spec, system, type, list, i, design.scratch, v);
  }
}

}  // namespace ldyn::molecular
