// A non-conservative force field: the log's conserved quantity K − W (W the work of the forces,
// accumulated by the trapezoid rule) stays put while K itself changes, and its error is O(dt²).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "molecular/md/run_md.hpp"

namespace ldyn::molecular::md {
namespace {

namespace fs = std::filesystem;

/// Springs to anchors plus a swirl c ẑ × (x − anchor): the swirl has a curl, so no potential
/// exists and it feeds one circular mode of each oscillator while draining the other.
class SwirlingWells final : public ForceField {
 public:
  SwirlingWells(double k, double c, AtomVectors anchors) : k_(k), c_(c), anchors_(std::move(anchors)) {}
  double compute(const System& system, AtomVectors& forces) override {
    forces.resize(system.positions.rows(), 3);
    for (Eigen::Index i = 0; i < forces.rows(); ++i) {
      const Eigen::RowVector3d d = system.positions.row(i) - anchors_.row(i);
      forces.row(i) = -k_ * d + c_ * Eigen::RowVector3d(-d.y(), d.x(), 0.0);
    }
    return 0.0;
  }
  bool conservative() const override { return false; }
  double cutoff() const override { return 0.0; }

 private:
  double k_, c_;
  AtomVectors anchors_;
};

struct Excursions {
  double conserved, kinetic;
};

/// Largest |H − H0| and |K − K0| in the log of a 400 fs run with time step dt.
Excursions run(double dt) {
  System s;
  s.species = SpeciesTable::standard({"Ar"});
  s.box.length = Eigen::Array3d::Constant(40.0);
  s.type = {0, 0, 0, 0};
  s.mass = Eigen::VectorXd::Constant(4, s.species.masses[0]);
  s.positions.resize(4, 3);
  s.positions << 5, 5, 5, 25, 5, 5, 5, 25, 5, 5, 5, 25;
  const AtomVectors anchors = s.positions;
  s.positions.col(0).array() += 0.3;
  SwirlingWells swirl(1.0, 0.1, anchors);

  const fs::path dir = fs::path(::testing::TempDir()) / "ldyn_md_work";
  fs::create_directories(dir);
  MdSettings settings;
  settings.ensemble = Ensemble::nve;
  settings.dt_fs = dt;
  settings.steps = std::lround(400.0 / dt);
  settings.temperature_K = 100.0;
  settings.seed = 3;
  settings.log_every = 1;
  settings.log_path = dir / "log.csv";
  settings.progress = false;
  settings.limits.max_temperature_K = 1e9;
  run_md(s, swirl, settings);

  std::ifstream in(settings.log_path);
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line, "step,time_fs,temperature_K,kinetic_eV,energy_eV,conserved_eV,momentum");
  Excursions e{0.0, 0.0};
  double h0 = 0.0, k0 = 0.0;
  bool first = true;
  while (std::getline(in, line)) {
    std::replace(line.begin(), line.end(), ',', ' ');
    std::istringstream row(line);
    double step, time, temperature, kinetic, energy, conserved;
    row >> step >> time >> temperature >> kinetic >> energy >> conserved;
    if (first) {
      h0 = conserved;
      k0 = kinetic;
      first = false;
    }
    e.conserved = std::max(e.conserved, std::abs(conserved - h0));
    e.kinetic = std::max(e.kinetic, std::abs(kinetic - k0));
  }
  return e;
}

TEST(MdWork, WorkBasedConservedQuantityHoldsForNonConservativeForces) {
  const Excursions coarse = run(0.5), fine = run(0.25);
  EXPECT_GT(fine.kinetic, 0.01);                  // the swirl changes K by a lot
  EXPECT_LT(fine.conserved, 1e-3 * fine.kinetic);  // K − W does not follow
  EXPECT_NEAR(coarse.conserved / fine.conserved, 4.0, 1.0);  // and its error is O(dt²)
}

}  // namespace
}  // namespace ldyn::molecular::md
