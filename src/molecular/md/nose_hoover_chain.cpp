#include "molecular/md/nose_hoover_chain.hpp"

#include <array>
#include <cmath>
#include <string>

#include "core/error.hpp"
#include "molecular/io/units.hpp"

namespace ldyn::molecular::md {
namespace {

// Order 3 and 5: H. Yoshida, Phys. Lett. A 150, 262 (1990), and M. Suzuki, Phys. Lett. A 146, 319
// (1990); order 7: Yoshida's solution A, as tabulated by Martyna et al. (1996).
const double w3 = 1.0 / (2.0 - std::cbrt(2.0));
const double w5 = 1.0 / (4.0 - std::cbrt(4.0));
const std::array<double, 1> kOrder1{1.0};
const std::array<double, 3> kOrder3{w3, 1.0 - 2.0 * w3, w3};
const std::array<double, 5> kOrder5{w5, w5, 1.0 - 4.0 * w5, w5, w5};
constexpr double a7 = 0.784513610477560, b7 = 0.235573213359357, c7 = -1.17767998417887;
const std::array<double, 7> kOrder7{a7, b7, c7, 1.0 - 2.0 * (a7 + b7 + c7), c7, b7, a7};

void require_positive(double value, const char* option) {
  if (!(std::isfinite(value) && value > 0.0))
    throw InvalidOption(option, "must be a finite number > 0 (got " + std::to_string(value) + ")");
}

}  // namespace

std::span<const double> suzuki_yoshida_weights(int order) {
  switch (order) {
    case 1: return kOrder1;
    case 3: return kOrder3;
    case 5: return kOrder5;
    case 7: return kOrder7;
    default:
      throw InvalidOption("--yoshida-order", "must be 1, 3, 5 or 7 (got " + std::to_string(order) + ")");
  }
}

NoseHooverChain::NoseHooverChain(const NoseHooverChainSettings& settings, double degrees_of_freedom)
    : settings_(settings), dof_(degrees_of_freedom), weights_(suzuki_yoshida_weights(settings.yoshida_order)) {
  require_positive(settings.temperature_K, "--temperature");
  require_positive(settings.tau_fs, "--tau");
  require_positive(degrees_of_freedom, "degrees of freedom");
  if (settings.chain_length < 1)
    throw InvalidOption("--chain-length", "must be >= 1 (got " + std::to_string(settings.chain_length) + ")");
  if (settings.substeps < 1)
    throw InvalidOption("--thermostat-substeps", "must be >= 1 (got " + std::to_string(settings.substeps) + ")");
  kt_ = io::units::boltzmann_ev_per_k * settings.temperature_K;
  const auto m = static_cast<std::size_t>(settings.chain_length);
  const double tau2 = settings.tau_fs * settings.tau_fs;
  q_.assign(m, kt_ * tau2);
  q_[0] = dof_ * kt_ * tau2;
  xi_.assign(m, 0.0);
  v_xi_.assign(m, 0.0);
  g_.assign(m, 0.0);
}

void NoseHooverChain::half_step(System& system, double dt) {
  const std::size_t m = q_.size();
  // 2K in eV, tracked through the scaling instead of being recomputed.
  double two_k = 2.0 * kinetic_energy(system);
  double scale = 1.0;
  g_[0] = (two_k - dof_ * kt_) / q_[0];
  for (std::size_t j = 1; j < m; ++j) g_[j] = (q_[j - 1] * v_xi_[j - 1] * v_xi_[j - 1] - kt_) / q_[j];
  const double base = dt / static_cast<double>(settings_.substeps);  // the whole step is dt/2
  for (int c = 0; c < settings_.substeps; ++c) {
    for (const double w : weights_) {
      const double delta = w * base;
      // Down the chain: v_ξM, then v_ξj damped by v_ξ(j+1).
      v_xi_[m - 1] += 0.25 * delta * g_[m - 1];
      for (std::size_t j = m - 1; j-- > 0;) {
        const double e = std::exp(-0.125 * delta * v_xi_[j + 1]);
        v_xi_[j] = e * (e * v_xi_[j] + 0.25 * delta * g_[j]);
      }
      const double s = std::exp(-0.5 * delta * v_xi_[0]);
      scale *= s;
      two_k *= s * s;
      for (std::size_t j = 0; j < m; ++j) xi_[j] += 0.5 * delta * v_xi_[j];
      // Up the chain, refreshing each force G_j from the updated velocity below it.
      g_[0] = (two_k - dof_ * kt_) / q_[0];
      for (std::size_t j = 0; j + 1 < m; ++j) {
        const double e = std::exp(-0.125 * delta * v_xi_[j + 1]);
        v_xi_[j] = e * (e * v_xi_[j] + 0.25 * delta * g_[j]);
        g_[j + 1] = (q_[j] * v_xi_[j] * v_xi_[j] - kt_) / q_[j + 1];
      }
      v_xi_[m - 1] += 0.25 * delta * g_[m - 1];
    }
  }
  system.velocities *= scale;
}

double NoseHooverChain::energy() const {
  double e = dof_ * kt_ * xi_[0];
  for (std::size_t j = 0; j < q_.size(); ++j) {
    e += 0.5 * q_[j] * v_xi_[j] * v_xi_[j];
    if (j > 0) e += kt_ * xi_[j];
  }
  return e;
}

void NoseHooverChain::set_state(std::span<const double> positions, std::span<const double> velocities) {
  if (positions.size() != xi_.size() || velocities.size() != v_xi_.size())
    throw InvalidOption("--chain-length", "the saved thermostat has " + std::to_string(positions.size()) +
                                              " links, this one " + std::to_string(xi_.size()));
  xi_.assign(positions.begin(), positions.end());
  v_xi_.assign(velocities.begin(), velocities.end());
}

}  // namespace ldyn::molecular::md
