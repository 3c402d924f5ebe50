#include "molecular/model/agent_model.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include <omp.h>

#include "core/error.hpp"

namespace ldyn::molecular {
namespace {

/// Contracts the basis with the coefficients of the centre's species: the loss L_i and its
/// gradients. In agent mode only the force on the centre is kept (written to row i, no races);
/// in symmetric mode the gradients with respect to the neighbours go to a per-thread buffer.
struct LossVisitor {
  const ModelSpec& spec;
  const double* coef;  // coefficients of the centre's species
  int s;               // centre species
  bool symmetric;
  double loss = 0.0;
  Vec3 force_i = Vec3::Zero();
  AtomVectors* others = nullptr;  // symmetric: forces on neighbours

  void pair(std::size_t, const NeighborTerm& n) {
    const double* c = coef + spec.pair_offset(s, n.t) + n.pair_first;
    double e = 0.0, de = 0.0;
    for (int q = 0; q < 4; ++q) {
      const int k = n.pair_first + q;
      if (k < 0 || k >= spec.pair.size()) continue;
      e += c[q] * n.pair_value[q];
      de += c[q] * n.pair_slope[q];
    }
    const double radius = spec.wall_radius(s, n.t);
    if (n.r < radius) {
      const double gap = radius - n.r;
      e += spec.wall_strength * gap * gap * gap;
      de -= 3.0 * spec.wall_strength * gap * gap;
    }
    loss += e;
    // ∂r/∂x_i = −u, ∂r/∂x_j = u.
    force_i += de * n.u;
    if (symmetric) others->row(n.j) -= de * n.u.transpose();
  }

  // Angle terms factorized per neighbour: for neighbour j (the lower species of the pair) and
  // each partner species t2, h[b][l] = Σ_a G_a(r_j) c_{ab,l} and its r_j-derivative are computed
  // once, so each triplet costs 4·(lmax+1) products instead of 16·(lmax+1).
  std::vector<double>* tables = nullptr;  // per thread: [near][t2][b][value|slope][l]
  const NeighborTerm* near0 = nullptr;

  std::size_t table_stride() const { return 2 * static_cast<std::size_t>(spec.angular.size() * (spec.lmax + 1)); }

  void begin_triplets(std::span<const NeighborTerm> near) {
    near0 = near.data();
    const int types = spec.types(), n_a = spec.angular.size(), nl = spec.lmax + 1;
    const std::size_t stride = table_stride();
    tables->assign(near.size() * static_cast<std::size_t>(types) * stride, 0.0);
    for (std::size_t q = 0; q < near.size(); ++q) {
      const NeighborTerm& n = near[q];
      for (int t2 = n.t; t2 < types; ++t2) {
        double* h = tables->data() + (q * static_cast<std::size_t>(types) + static_cast<std::size_t>(t2)) * stride;
        const double* block = coef + spec.angular_offset(s, n.t, t2);
        for (int qa = 0; qa < 4; ++qa) {
          const int a = n.ang_first + qa;
          if (a < 0 || a >= n_a) continue;
          const double g = n.ang_value[qa], dg = n.ang_slope[qa];
          for (int b = 0; b < n_a; ++b) {
            const double* cl = block + spec.product_index(n.t, t2, a, b) * nl;
            double* hv = h + 2 * b * nl;
            double* hd = hv + nl;
            for (int l = 0; l < nl; ++l) {
              hv[l] += g * cl[l];
              hd[l] += dg * cl[l];
            }
          }
        }
      }
    }
  }

  void triplet(std::size_t, const NeighborTerm& nj, const NeighborTerm& nk, double c, const double* p,
               const double* dp) {
    const int nl = spec.lmax + 1, n_a = spec.angular.size();
    const auto q = static_cast<std::size_t>(&nj - near0);
    const double* h = tables->data() + (q * static_cast<std::size_t>(spec.types()) + static_cast<std::size_t>(nk.t)) * table_stride();
    double sv[24] = {}, sr[24] = {}, st[24] = {};  // Σ_b G_b h, Σ_b G'_b h, Σ_b G_b h' (lmax ≤ 20)
    for (int qb = 0; qb < 4; ++qb) {
      const int b = nk.ang_first + qb;
      if (b < 0 || b >= n_a) continue;
      const double g = nk.ang_value[qb], dg = nk.ang_slope[qb];
      const double* hv = h + 2 * b * nl;
      const double* hd = hv + nl;
      for (int l = 0; l < nl; ++l) {
        sv[l] += g * hv[l];
        sr[l] += dg * hv[l];
        st[l] += g * hd[l];
      }
    }
    double e = 0.0, e_rj = 0.0, e_rk = 0.0, e_c = 0.0;
    for (int l = 0; l < nl; ++l) {
      e += sv[l] * p[l];
      e_c += sv[l] * dp[l];
      e_rk += sr[l] * p[l];
      e_rj += st[l] * p[l];
    }
    if (e == 0.0 && e_c == 0.0 && e_rj == 0.0 && e_rk == 0.0) return;
    loss += e;
    Vec3 g_j, g_k;
    triplet_gradients(nj, nk, c, e_rj, e_rk, e_c, g_j, g_k);
    force_i += g_j + g_k;  // −∂E/∂x_i
    if (symmetric) {
      others->row(nj.j) -= g_j.transpose();
      others->row(nk.j) -= g_k.transpose();
    }
  }
};

}  // namespace

AgentModel::AgentModel(ModelSpec spec, Eigen::VectorXd coefficients)
    : spec_(std::move(spec)), coefficients_(std::move(coefficients)) {
  spec_.validate();
  if (coefficients_.size() != spec_.total_size())
    throw InvalidOption("model", "expected " + std::to_string(spec_.total_size()) +
                                     " coefficients, got " + std::to_string(coefficients_.size()));
  if (!coefficients_.allFinite()) throw InvalidOption("model", "a coefficient is not finite");
}

void AgentModel::map_species(const System& system, std::vector<int>& type) const {
  int by_system[16];
  if (system.species.size() > 16) throw Error("system: more than 16 species");
  for (std::size_t t = 0; t < system.species.size(); ++t)
    by_system[t] = spec_.species.index_of(system.species.symbols[t], "system");
  type.resize(system.size());
  for (std::size_t i = 0; i < system.size(); ++i)
    type[i] = by_system[static_cast<std::size_t>(system.type[i])];
}

const NeighborList& AgentModel::neighbors(const System& system) {
  if (!list_) {
    const double room = system.box.half_min_length() - spec_.cutoff();
    const double skin = skin_ >= 0.0 ? skin_ : std::clamp(room, 0.0, 0.5);
    list_ = std::make_unique<NeighborList>(spec_.cutoff(), skin);
  }
  list_->update(system.box, system.positions);
  return *list_;
}

double AgentModel::compute(const System& system, AtomVectors& forces) {
  return compute(system, forces, spec_.dynamics);
}

double AgentModel::compute(const System& system, AtomVectors& forces, Dynamics dynamics) {
  const auto n = static_cast<Eigen::Index>(system.size());
  map_species(system, type_);
  const NeighborList& list = neighbors(system);
  const bool symmetric = dynamics == Dynamics::symmetric;
  const int threads = omp_get_max_threads();
  scratch_.resize(static_cast<std::size_t>(threads));
  tables_.resize(static_cast<std::size_t>(threads));
  if (symmetric) {
    thread_forces_.resize(static_cast<std::size_t>(threads));
    for (auto& f : thread_forces_) {
      if (f.rows() != n) f.resize(n, 3);
    }
  }
  forces.resize(n, 3);
  atom_loss_.resize(n);
  // Static schedule, per-atom losses and per-thread buffers summed in thread order: the result is
  // the same on every run with the same thread count (checkpoints resume bit-exactly).
#pragma omp parallel
  {
    const auto tid = static_cast<std::size_t>(omp_get_thread_num());
    AtomVectors* mine = symmetric ? &thread_forces_[tid] : nullptr;
    if (mine) mine->setZero();
#pragma omp for schedule(static)
    for (Eigen::Index i = 0; i < n; ++i) {
      const int s = type_[static_cast<std::size_t>(i)];
      LossVisitor v{spec_, coefficients_.data() + spec_.species_offset(s), s, symmetric, 0.0,
                    Vec3::Zero(), mine, &tables_[tid], nullptr};
      visit_atom(spec_, system, type_, list, static_cast<std::size_t>(i), scratch_[tid], v);
      atom_loss_[i] = v.loss;
      if (symmetric)
        mine->row(i) += v.force_i.transpose();
      else
        forces.row(i) = v.force_i.transpose();
    }
  }
  if (symmetric) {
    forces.setZero();
    for (int t = 0; t < threads; ++t) forces += thread_forces_[static_cast<std::size_t>(t)];
  }
  return atom_loss_.sum();
}

Eigen::VectorXd AgentModel::losses(const System& system) {
  AtomVectors forces;
  compute(system, forces, Dynamics::agent);
  return atom_loss_;
}

}  // namespace ldyn::molecular
