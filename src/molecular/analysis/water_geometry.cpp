#include "molecular/analysis/water_geometry.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

#include <Eigen/Geometry>

namespace ldyn::molecular::analysis {

namespace {

constexpr double missing = std::numeric_limits<double>::quiet_NaN();  // a slot with no sample

// Fills this frame's slots: one per H (bond) and one per O (angle), NaN where there is no sample.
void measure_frame(const PreparedTrajectory& t, std::size_t f, int oxygen, int hydrogen, double* bonds,
                   double* angles) {
  const io::AtomVectors& x = t.frames[f].positions;
  const Box& box = t.boxes[f];
  const std::span<const int> molecule = t.molecules(f);
  const std::size_t n = t.atom_count();
  const auto row = [&](std::size_t a) { return Vec3(x.row(static_cast<Eigen::Index>(a)).transpose()); };
  std::size_t h_slot = 0, o_slot = 0;
  for (std::size_t a = 0; a < n; ++a) {
    if (t.type[a] == hydrogen) {
      const auto o = static_cast<std::size_t>(molecule[a]);
      bonds[h_slot++] = t.type[o] == oxygen ? box.minimum_image(row(a) - row(o)).norm() : missing;
    }
    if (t.type[a] != oxygen) continue;
    Vec3 oh[2];
    int found = 0;
    for (std::size_t h = 0; h < n; ++h)
      if (t.type[h] == hydrogen && molecule[h] == static_cast<int>(a)) {
        if (found < 2) oh[found] = box.minimum_image(row(h) - row(a));
        ++found;
      }
    angles[o_slot++] = found == 2 ? std::atan2(oh[0].cross(oh[1]).norm(), oh[0].dot(oh[1])) * 180.0 / std::numbers::pi
                                  : missing;
  }
}

std::vector<double> without_missing(std::vector<double> v) {
  std::erase_if(v, [](double x) { return std::isnan(x); });
  return v;
}

}  // namespace

WaterGeometrySamples water_geometry(const PreparedTrajectory& t) {
  WaterGeometrySamples s;
  const int oxygen = t.species_index("O"), hydrogen = t.species_index("H");
  if (oxygen < 0 || hydrogen < 0) return s;
  const std::size_t n_h = t.count(hydrogen), n_o = t.count(oxygen), frames = t.frame_count();
  std::vector<double> bonds(frames * n_h), angles(frames * n_o);
  const auto count = static_cast<std::ptrdiff_t>(frames);
#pragma omp parallel for schedule(static)
  for (std::ptrdiff_t f = 0; f < count; ++f) {
    const auto i = static_cast<std::size_t>(f);
    measure_frame(t, i, oxygen, hydrogen, bonds.data() + i * n_h, angles.data() + i * n_o);
  }
  s.molecules_without_two_h = static_cast<std::size_t>(std::count_if(angles.begin(), angles.end(), [](double a) { return std::isnan(a); }));
  s.bond_oh = without_missing(std::move(bonds));
  s.angle_hoh = without_missing(std::move(angles));
  return s;
}

}  // namespace ldyn::molecular::analysis
