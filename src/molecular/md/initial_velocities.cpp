#include "molecular/md/initial_velocities.hpp"

#include <cmath>
#include <random>
#include <string>

#include "core/error.hpp"
#include "core/random.hpp"
#include "molecular/io/units.hpp"

namespace ldyn::molecular::md {

Vec3 total_momentum(const System& system) {
  return (system.velocities.array().colwise() * system.mass.array()).colwise().sum().transpose();
}

void remove_center_of_mass_motion(System& system) {
  const Vec3 v_cm = total_momentum(system) / system.mass.sum();
  system.velocities.rowwise() -= v_cm.transpose();
}

void rescale_to_temperature(System& system, double temperature_K) {
  const double now = temperature(system, 3.0);
  if (now > 0.0) system.velocities *= std::sqrt(temperature_K / now);
}

void maxwell_boltzmann_velocities(System& system, double temperature_K, std::uint64_t seed) {
  if (!(std::isfinite(temperature_K) && temperature_K >= 0.0))
    throw InvalidOption("--temperature", "must be a finite number of K >= 0 (got " +
                                             std::to_string(temperature_K) + ")");
  if (system.size() < 2)
    throw Error("initial velocities: " + std::to_string(system.size()) +
                " atom(s) have no degrees of freedom once the centre of mass is fixed");
  Rng rng = make_stream(seed, "md.initial-velocities");
  std::normal_distribution<double> normal(0.0, 1.0);
  const double kt = io::units::boltzmann_ev_per_k * temperature_K;
  const auto n = static_cast<Eigen::Index>(system.size());
  system.velocities.resize(n, 3);
  for (Eigen::Index i = 0; i < n; ++i) {
    // ½ m v_a² c = ½ k_B T per component, c the kinetic-energy unit.
    const double sd = std::sqrt(kt / (system.mass[i] * io::units::amu_a2_per_fs2_to_ev));
    for (int a = 0; a < 3; ++a) system.velocities(i, a) = sd * normal(rng);
  }
  remove_center_of_mass_motion(system);
  rescale_to_temperature(system, temperature_K);
}

}  // namespace ldyn::molecular::md
