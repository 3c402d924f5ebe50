#include "molecular/md/water_box.hpp"

#include <cmath>
#include <random>
#include <string>

#include <Eigen/Geometry>

#include "core/error.hpp"
#include "core/random.hpp"

namespace ldyn::molecular::md {
namespace {

constexpr double avogadro = 6.02214076e23;
constexpr double cubic_angstrom_per_cm3 = 1e24;

void require_positive(double value, const char* option) {
  if (!(std::isfinite(value) && value > 0.0))
    throw InvalidOption(option, "must be a finite number > 0 (got " + std::to_string(value) + ")");
}

}  // namespace

double density_g_cm3(const System& system) {
  return system.mass.sum() / avogadro / (system.box.volume() / cubic_angstrom_per_cm3);
}

System make_water_box(const WaterBoxSettings& settings) {
  if (settings.molecules < 1)
    throw InvalidOption("--molecules", "must be >= 1 (got " + std::to_string(settings.molecules) + ")");
  require_positive(settings.density_g_cm3, "--density");
  require_positive(settings.oh_length, "oh_length");
  require_positive(settings.hoh_angle_deg, "hoh_angle_deg");

  System s;
  s.species = SpeciesTable::standard({"O", "H"});
  const double water_mass = s.species.masses[0] + 2.0 * s.species.masses[1];
  const auto n_mol = static_cast<Eigen::Index>(settings.molecules);
  const double volume = static_cast<double>(n_mol) * water_mass / avogadro / settings.density_g_cm3 *
                        cubic_angstrom_per_cm3;
  const double length = std::cbrt(volume);
  s.box.length = Eigen::Array3d::Constant(length);

  auto side = static_cast<Eigen::Index>(std::ceil(std::cbrt(static_cast<double>(n_mol)) - 1e-9));
  while (side * side * side < n_mol) ++side;
  const double spacing = length / static_cast<double>(side);

  // H positions in the molecule's frame: the HOH bisector along z.
  const double half = 0.5 * settings.hoh_angle_deg * 3.14159265358979323846 / 180.0;
  const Vec3 h1(settings.oh_length * std::sin(half), 0.0, settings.oh_length * std::cos(half));
  const Vec3 h2(-h1.x(), 0.0, h1.z());

  Rng rng = make_stream(settings.seed, "md.water-box.orientations");
  std::normal_distribution<double> normal(0.0, 1.0);
  s.type.resize(static_cast<std::size_t>(3 * n_mol));
  s.positions.resize(3 * n_mol, 3);
  for (Eigen::Index m = 0; m < n_mol; ++m) {
    const Eigen::Index ix = m % side, iy = (m / side) % side, iz = m / (side * side);
    const Vec3 o = spacing * (Vec3(static_cast<double>(ix), static_cast<double>(iy), static_cast<double>(iz)) +
                              Vec3::Constant(0.5));
    // A normalized 4D Gaussian is a uniformly random unit quaternion, i.e. a uniform rotation.
    double q[4];
    for (double& c : q) c = normal(rng);
    const Eigen::Matrix3d r = Eigen::Quaterniond(q[0], q[1], q[2], q[3]).normalized().toRotationMatrix();
    s.positions.row(3 * m) = o.transpose();
    s.positions.row(3 * m + 1) = (o + r * h1).transpose();
    s.positions.row(3 * m + 2) = (o + r * h2).transpose();
    s.type[static_cast<std::size_t>(3 * m)] = 0;
    s.type[static_cast<std::size_t>(3 * m + 1)] = 1;
    s.type[static_cast<std::size_t>(3 * m + 2)] = 1;
  }
  s.mass.resize(3 * n_mol);
  for (Eigen::Index i = 0; i < 3 * n_mol; ++i) s.mass[i] = s.species.masses[static_cast<std::size_t>(s.type[static_cast<std::size_t>(i)])];
  s.velocities = AtomVectors::Zero(3 * n_mol, 3);
  return s;
}

}  // namespace ldyn::molecular::md
