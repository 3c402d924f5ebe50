#include "molecular/classical/flexible_water.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "core/error.hpp"

namespace ldyn::molecular::classical {
namespace {

void require_positive(double value, const char* option) {
  if (!(std::isfinite(value) && value > 0.0))
    throw InvalidOption(option, "must be a finite number > 0 (got " + std::to_string(value) + ")");
}

/// Lennard-Jones energy and dE/dr at distance² r2.
struct LennardJones {
  double four_eps, sigma2;
  void operator()(double r2, double& energy, double& slope) const {
    const double s2 = sigma2 / r2, s6 = s2 * s2 * s2, s12 = s6 * s6;
    energy = four_eps * (s12 - s6);
    slope = four_eps * (-12.0 * s12 + 6.0 * s6) / std::sqrt(r2);
  }
};

constexpr Eigen::Index kMinMoleculesForThreads = 128;

}  // namespace

FlexibleWater::FlexibleWater(FlexibleWaterParameters parameters) : p_(parameters) {
  require_positive(p_.bond_k, "bond_k");
  require_positive(p_.bond_r0, "bond_r0");
  require_positive(p_.angle_k, "angle_k");
  require_positive(p_.angle_theta0, "angle_theta0");
  require_positive(p_.lj_epsilon, "lj_epsilon");
  require_positive(p_.lj_sigma, "lj_sigma");
  require_positive(p_.cutoff, "cutoff");
  if (!(std::isfinite(p_.skin) && p_.skin >= 0.0))
    throw InvalidOption("skin", "must be a finite number >= 0 Å (got " + std::to_string(p_.skin) + ")");
  const LennardJones lj{4.0 * p_.lj_epsilon, p_.lj_sigma * p_.lj_sigma};
  lj(p_.cutoff * p_.cutoff, lj_shift_energy_, lj_shift_slope_);
}

void FlexibleWater::check_layout(const System& system) const {
  const int o = system.species.find("O"), h = system.species.find("H");
  const std::size_t n = system.size();
  if (n % 3 != 0)
    throw Error("flexible water: " + std::to_string(n) +
                " atoms is not a whole number of molecules (atoms must come as O, H, H)");
  for (std::size_t i = 0; i < n; ++i) {
    const int want = i % 3 == 0 ? o : h;
    if (want < 0 || system.type[i] != want) {
      const std::string& got = system.species.symbols[static_cast<std::size_t>(system.type[i])];
      throw Error("flexible water: atom " + std::to_string(i) + " is " + got + ", expected " +
                  (i % 3 == 0 ? "O" : "H") + " (atoms must come as O, H, H per molecule)");
    }
  }
}

void FlexibleWater::prepare_list(const Box& box) {
  if (list_ && (box.length == list_box_.length).all()) return;
  // A smaller skin means more rebuilds, not wrong forces: shrink it rather than refuse small boxes.
  const double room = box.half_min_length() - p_.cutoff;
  if (room < 0.0)
    throw InvalidOption("cutoff", "the LJ cutoff " + std::to_string(p_.cutoff) +
                                      " Å exceeds half the shortest box edge (" +
                                      std::to_string(box.half_min_length()) + " Å)");
  list_.emplace(p_.cutoff, std::min(p_.skin, room));
  list_box_ = box;
}

double FlexibleWater::compute(const System& system, AtomVectors& forces) {
  check_layout(system);
  const auto n_atoms = static_cast<Eigen::Index>(system.size());
  const Eigen::Index n_mol = n_atoms / 3;
  if (forces.rows() != n_atoms) forces.resize(n_atoms, 3);
  if (oxygens_.rows() != n_mol) oxygens_.resize(n_mol, 3);
  if (molecule_energy_.size() != n_mol) molecule_energy_.resize(n_mol);
  for (Eigen::Index m = 0; m < n_mol; ++m) oxygens_.row(m) = system.positions.row(3 * m);
  prepare_list(system.box);
  list_->update(system.box, oxygens_);

  const Box& box = system.box;
  const AtomVectors& x = system.positions;
  const LennardJones lj{4.0 * p_.lj_epsilon, p_.lj_sigma * p_.lj_sigma};
  const double rc2 = p_.cutoff * p_.cutoff;
  // Box::minimum_image with the divisions hoisted out: the pair loop is the whole cost of a step.
  const Eigen::Array3d length = box.length, inverse_length = box.length.inverse();
  const auto minimum_image = [&](Vec3 d) {
    for (int a = 0; a < 3; ++a) d[a] -= length[a] * std::nearbyint(d[a] * inverse_length[a]);
    return d;
  };

  // One molecule per iteration writes only its own three rows: no races between threads. Small
  // systems stay serial: a parallel region costs microseconds, more than their whole force loop.
#pragma omp parallel for schedule(static) if (n_mol >= kMinMoleculesForThreads)
  for (Eigen::Index m = 0; m < n_mol; ++m) {
    const Eigen::Index io = 3 * m, i1 = io + 1, i2 = io + 2;
    const Vec3 xo = x.row(io).transpose();
    const Vec3 d1 = box.minimum_image(x.row(i1).transpose() - xo);
    const Vec3 d2 = box.minimum_image(x.row(i2).transpose() - xo);
    const double r1 = d1.norm(), r2 = d2.norm();

    // Bonds: F_H = −k (r − r0) d/r, and the opposite on O.
    const double s1 = r1 - p_.bond_r0, s2 = r2 - p_.bond_r0;
    double energy = 0.5 * p_.bond_k * (s1 * s1 + s2 * s2);
    Vec3 f1 = (-p_.bond_k * s1 / r1) * d1;
    Vec3 f2 = (-p_.bond_k * s2 / r2) * d2;

    // Angle: dθ/dd1 = −(d2/(r1 r2) − cosθ d1/r1²)/sinθ, so F_H1 = k_θ(θ − θ0)/sinθ · (...).
    const double c = std::clamp(d1.dot(d2) / (r1 * r2), -1.0, 1.0);
    const double theta = std::acos(c);
    const double sin_theta = std::max(std::sqrt(1.0 - c * c), 1e-12);
    const double dtheta = theta - p_.angle_theta0;
    energy += 0.5 * p_.angle_k * dtheta * dtheta;
    const double g = p_.angle_k * dtheta / sin_theta;
    f1 += g * (d2 / (r1 * r2) - (c / (r1 * r1)) * d1);
    f2 += g * (d1 / (r1 * r2) - (c / (r2 * r2)) * d2);
    Vec3 fo = -(f1 + f2);

    // O–O Lennard-Jones, shifted force: E − E(rc) − (r − rc) E'(rc). The list is full, so each
    // pair is visited from both ends and each end takes half the pair energy.
    for (const int j : list_->neighbors(static_cast<std::size_t>(m))) {
      const Vec3 d = minimum_image(oxygens_.row(j).transpose() - xo);
      const double rr = d.squaredNorm();
      if (rr >= rc2) continue;
      double e, slope;
      lj(rr, e, slope);
      const double r = std::sqrt(rr);
      energy += 0.5 * (e - lj_shift_energy_ - (r - p_.cutoff) * lj_shift_slope_);
      fo += ((slope - lj_shift_slope_) / r) * d;  // F_i = E'(r) d/r with d = x_j − x_i
    }
    forces.row(io) = fo.transpose();
    forces.row(i1) = f1.transpose();
    forces.row(i2) = f2.transpose();
    molecule_energy_[m] = energy;
  }
  return molecule_energy_.sum();
}

}  // namespace ldyn::molecular::classical
