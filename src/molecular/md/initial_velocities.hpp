#pragma once
// Initial velocities: Maxwell–Boltzmann at a temperature, drawn from a seeded stream, with the
// centre-of-mass momentum removed and then rescaled so that the instantaneous temperature (3N − 3
// degrees of freedom) is exactly the target.
#include <cstdint>

#include "molecular/system.hpp"

namespace ldyn::molecular::md {

/// Total momentum Σ m v, (g/mol)·Å/fs.
Vec3 total_momentum(const System& system);
/// Subtracts the centre-of-mass velocity from every atom.
void remove_center_of_mass_motion(System& system);
/// Scales velocities so that temperature(system, 3) equals `temperature_K` (zero stays zero).
void rescale_to_temperature(System& system, double temperature_K);
/// Draws velocities from the Maxwell–Boltzmann distribution at `temperature_K` from the stream
/// "md.initial-velocities" of `seed`, removes the centre-of-mass motion and rescales to exactly
/// `temperature_K`. Throws InvalidOption for a negative or non-finite temperature and Error for a
/// system of fewer than 2 atoms (no degrees of freedom once the centre of mass is fixed).
void maxwell_boltzmann_velocities(System& system, double temperature_K, std::uint64_t seed);

}  // namespace ldyn::molecular::md
