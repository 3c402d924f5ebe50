#pragma once
// A box of rigid-geometry water molecules to start a simulation from: N molecules at a density in a
// cubic box, oxygens on a simple cubic lattice (the first N sites of the smallest lattice that holds
// N), each molecule turned by a uniformly random rotation drawn from a seeded stream.
// Atoms come as O, H, H per molecule; the species table is {O, H} with standard atomic weights;
// velocities are zero. For a flexible model, ask for its own equilibrium geometry (FlexibleWater:
// 1.012 Å, 113.24°): from any other, every molecule starts equally strained and all bonds ring in
// phase, a coherent vibration that takes picoseconds to dephase.
#include <cstdint>

#include "molecular/system.hpp"

namespace ldyn::molecular::md {

struct WaterBoxSettings {
  int molecules = 64;
  double density_g_cm3 = 0.997;    ///< liquid water at 298 K
  double oh_length = 0.9572;       ///< Å, SPC-like (TIP3P/TIP4P experimental geometry)
  double hoh_angle_deg = 104.52;
  std::uint64_t seed = 1;          ///< stream "md.water-box.orientations"
};

/// Throws InvalidOption for molecules < 1 or a non-positive density, length or angle.
System make_water_box(const WaterBoxSettings& settings);

/// Density of a system, g/cm³.
double density_g_cm3(const System& system);

}  // namespace ldyn::molecular::md
