#pragma once
// Small random systems and models shared by the model and fitter tests.
#include <filesystem>
#include <random>
#include <string>

#include "molecular/model/agent_model.hpp"
#include "molecular/model/model_spec.hpp"

namespace ldyn::molecular::testing {

/// A path in the temporary folder `folder` (created), for files a test writes.
inline std::filesystem::path scratch_file(const std::string& folder, const std::string& name) {
  const std::filesystem::path dir = std::filesystem::temp_directory_path() / folder;
  std::filesystem::create_directories(dir);
  return dir / name;
}

/// `n` atoms (every third an O, the others H) placed uniformly at random in a cubic box of edge
/// `edge`, no two closer than `min_distance` (minimum image). Positions are shifted by a random
/// multiple of the box so that they are not wrapped.
inline System random_system(int n, double edge, double min_distance, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  System s;
  s.box.length = {edge, edge, edge};
  s.species = SpeciesTable::standard({"O", "H"});
  s.positions.resize(n, 3);
  s.velocities.setZero(n, 3);
  s.mass.resize(n);
  for (int i = 0; i < n; ++i) {
    s.type.push_back(i % 3 == 0 ? 0 : 1);
    s.mass[i] = s.species.masses[static_cast<std::size_t>(s.type.back())];
    for (int tries = 0;; ++tries) {
      const Vec3 x(u(rng) * edge, u(rng) * edge, u(rng) * edge);
      bool ok = true;
      for (int j = 0; j < i && ok; ++j)
        ok = s.box.minimum_image(x - s.positions.row(j).transpose()).norm() >= min_distance;
      if (ok) {
        s.positions.row(i) = (x + edge * Vec3(std::floor(u(rng) * 3) - 1, 0.0, 1.0)).transpose();
        break;
      }
      if (tries > 100000) throw std::runtime_error("random_system: box too full");
    }
  }
  return s;
}

/// A small spec for fast tests (cutoffs that fit boxes of 8 Å).
inline ModelSpec small_spec(Dynamics dynamics, double wall_radius = 0.5) {
  ModelSpec spec;
  spec.species = SpeciesTable::standard({"O", "H"});
  spec.pair = CubicBSpline(0.6, 3.8, 12);
  spec.angular = CubicBSpline(0.6, 3.0, 5);
  spec.lmax = 4;
  spec.dynamics = dynamics;
  spec.wall_strength = 20.0;
  spec.wall_radius = Eigen::MatrixXd::Constant(2, 2, wall_radius);
  return spec;
}

/// Random coefficients of size ~`scale` (eV).
inline Eigen::VectorXd random_coefficients(const ModelSpec& spec, double scale, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> g(0.0, scale);
  Eigen::VectorXd c(spec.total_size());
  for (auto& v : c) v = g(rng);
  return c;
}

}  // namespace ldyn::molecular::testing
