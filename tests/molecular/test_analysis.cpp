// molecular/analysis: each analysis against a case whose answer is known independently (statistics
// of uncorrelated points, lattice neighbour counts, exact geometries, analytic motions).
#include <cmath>
#include <limits>
#include <numbers>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include <Eigen/Geometry>
#include <gtest/gtest.h>
#include <omp.h>

#include "core/error.hpp"
#include "molecular/analysis/diffusion.hpp"
#include "molecular/analysis/distribution.hpp"
#include "molecular/analysis/frame_times.hpp"
#include "molecular/analysis/molecules.hpp"
#include "molecular/analysis/msd.hpp"
#include "molecular/analysis/prepared_trajectory.hpp"
#include "molecular/analysis/rdf.hpp"
#include "molecular/analysis/rdf_error.hpp"
#include "molecular/analysis/rdf_peak.hpp"
#include "molecular/analysis/temperature.hpp"
#include "molecular/analysis/water_geometry.hpp"

namespace an = ldyn::molecular::analysis;
namespace mio = ldyn::molecular::io;
using ldyn::molecular::Box;

namespace {

mio::Frame cubic_frame(std::vector<std::string> species, mio::AtomVectors positions, double length,
                       double time_fs = std::numeric_limits<double>::quiet_NaN()) {
  mio::Frame f;
  f.species = std::move(species);
  f.positions = std::move(positions);
  f.cell = mio::Lattice::Identity() * length;
  f.pbc = {true, true, true};
  f.time_fs = time_fs;
  return f;
}

// Water molecules with bond `r` and angle `theta` (degrees): O at `centres`, each in its own
// orientation (rotated about a different axis), returned as O H H rows.
mio::AtomVectors water_molecules(const std::vector<Eigen::Vector3d>& centres, double r, double theta_deg) {
  const double half = theta_deg * std::numbers::pi / 360.0;
  mio::AtomVectors x(3 * static_cast<Eigen::Index>(centres.size()), 3);
  for (std::size_t m = 0; m < centres.size(); ++m) {
    const Eigen::Matrix3d rot =
        Eigen::AngleAxisd(0.7 * static_cast<double>(m) + 0.1, Eigen::Vector3d(1.0, 2.0, 3.0 - static_cast<double>(m)).normalized())
            .toRotationMatrix();
    const Eigen::Vector3d h1 = rot * Eigen::Vector3d(r * std::sin(half), r * std::cos(half), 0.0);
    const Eigen::Vector3d h2 = rot * Eigen::Vector3d(-r * std::sin(half), r * std::cos(half), 0.0);
    const auto row = 3 * static_cast<Eigen::Index>(m);
    x.row(row) = centres[m].transpose();
    x.row(row + 1) = (centres[m] + h1).transpose();
    x.row(row + 2) = (centres[m] + h2).transpose();
  }
  return x;
}

std::vector<std::string> water_species(std::size_t molecules) {
  std::vector<std::string> s;
  for (std::size_t m = 0; m < molecules; ++m) s.insert(s.end(), {"O", "H", "H"});
  return s;
}

// Shell volume of bin k (width w): what g is normalized with.
double shell(std::size_t k, double w) {
  const auto kd = static_cast<double>(k);
  return 4.0 / 3.0 * std::numbers::pi * w * w * w * ((kd + 1) * (kd + 1) * (kd + 1) - kd * kd * kd);
}

}  // namespace

// ---------------------------------------------------------------- radial distribution functions

TEST(AnalysisRdf, UniformRandomPointsHaveGEqualToOne) {
  const double length = 12.0;
  const std::size_t per_species = 200, frames = 20;
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> uniform(0.0, length);
  std::uniform_int_distribution<int> image(-2, 2);  // positions need not be wrapped
  std::vector<mio::Frame> traj;
  std::vector<std::string> species(per_species, "O");
  species.insert(species.end(), per_species, "N");
  for (std::size_t f = 0; f < frames; ++f) {
    mio::AtomVectors x(2 * per_species, 3);
    for (Eigen::Index i = 0; i < x.rows(); ++i)
      for (int k = 0; k < 3; ++k) x(i, k) = uniform(rng) + length * image(rng);
    traj.push_back(cubic_frame(species, x, length));
  }
  const auto t = an::prepare_trajectory(traj, "uniform");
  const double w = 0.1;
  const auto rdfs = an::radial_distributions(t, {6.0, w});
  ASSERT_EQ(rdfs.size(), 3u);  // O-O, O-N, N-N
  for (const auto& p : rdfs) {
    const double n = static_cast<double>(per_species);
    const double pairs = p.a == p.b ? n * (n - 1) / 2 : n * n;
    double sum = 0.0, expected_total = 0.0;
    for (std::size_t k = 10; k < p.r.size(); ++k) {  // r > 1 Å: enough pairs per bin
      const double expected = static_cast<double>(frames) * pairs * shell(k, w) / (length * length * length);
      EXPECT_LT(std::abs(p.total[k] - 1.0), 5.0 / std::sqrt(expected)) << p.a << p.b << " r " << p.r[k];
      sum += p.total[k] * expected;
      expected_total += expected;
    }
    // All bins together: the normalization itself, to a fraction of a percent.
    EXPECT_NEAR(sum / expected_total, 1.0, 4.0 / std::sqrt(expected_total)) << p.a << p.b;
  }
}

TEST(AnalysisRdf, SimpleCubicLatticeHasSixThenEighteenNeighbours) {
  const double a = 1.1;
  const int cells = 6;
  mio::AtomVectors x(cells * cells * cells, 3);
  Eigen::Index i = 0;
  for (int u = 0; u < cells; ++u)
    for (int v = 0; v < cells; ++v)
      for (int w = 0; w < cells; ++w) x.row(i++) = Eigen::RowVector3d(u * a + 0.3, v * a + 0.3, w * a + 0.3);
  const double length = cells * a;
  const std::vector<mio::Frame> traj{cubic_frame(std::vector<std::string>(static_cast<std::size_t>(x.rows()), "O"), x, length)};
  const auto t = an::prepare_trajectory(traj, "lattice");
  const auto rdfs = an::radial_distributions(t, {3.0, 0.02});
  const auto& g = an::find_pair(rdfs, "O", "O");
  const double density = static_cast<double>(x.rows() - 1) / (length * length * length);
  const auto coordination = [&](double r_cut) {
    double n = 0.0;
    for (std::size_t k = 0; k < g.r.size() && g.r[k] < r_cut; ++k) n += density * g.total[k] * shell(k, 0.02);
    return n;
  };
  EXPECT_NEAR(coordination(1.3), 6.0, 1e-9);   // between a and a√2
  EXPECT_NEAR(coordination(1.7), 18.0, 1e-9);  // between a√2 and a√3
  EXPECT_EQ(g.total, g.intermolecular);        // every O is a molecule of its own
}

TEST(AnalysisRdf, IntermolecularRdfOfDistantMoleculesHasNoIntramolecularPeak) {
  const double length = 30.0;
  // The first molecule straddles the box corner: its H atoms are nearest to its O only by the
  // minimum image.
  mio::AtomVectors x = water_molecules({{0.1, 0.1, 0.1}, {15.0, 15.0, 15.0}}, 0.97, 104.5);
  for (Eigen::Index r = 0; r < 3; ++r)
    for (int k = 0; k < 3; ++k) x(r, k) = std::fmod(x(r, k) + length, length);  // wrapped into the box
  const std::vector<mio::Frame> traj{cubic_frame(water_species(2), x, length)};
  EXPECT_EQ(an::molecule_ids(traj[0], Box::from_frame(traj[0], "t")), (std::vector<int>{0, 0, 0, 3, 3, 3}));
  const auto t = an::prepare_trajectory(traj, "two molecules");
  const auto rdfs = an::radial_distributions(t, {6.0, 0.02});
  const auto& oh = an::find_pair(rdfs, "H", "O");
  const auto& hh = an::find_pair(rdfs, "H", "H");
  const std::size_t bond_bin = static_cast<std::size_t>(0.97 / 0.02);  // 48.5: well inside bin 48
  const std::size_t hh_bin = static_cast<std::size_t>(2 * 0.97 * std::sin(104.5 * std::numbers::pi / 360.0) / 0.02);
  EXPECT_GT(oh.total[bond_bin], 0.0);
  EXPECT_GT(hh.total[hh_bin], 0.0);
  for (std::size_t k = 0; k < oh.r.size(); ++k) {
    EXPECT_EQ(oh.intermolecular[k], 0.0) << oh.r[k];
    EXPECT_EQ(hh.intermolecular[k], 0.0) << hh.r[k];
    if (k != bond_bin) {
      EXPECT_EQ(oh.total[k], 0.0) << oh.r[k];
    }
  }
}

TEST(AnalysisRdf, RangeBeyondHalfTheBoxIsRefused) {
  const std::vector<mio::Frame> traj{cubic_frame({"O", "O"}, mio::AtomVectors::Zero(2, 3), 10.0)};
  const auto t = an::prepare_trajectory(traj, "small box");
  EXPECT_NO_THROW(an::radial_distributions(t, {5.0, 0.02}));
  EXPECT_THROW(an::radial_distributions(t, {5.01, 0.02}), ldyn::InvalidOption);
  EXPECT_THROW(an::radial_distributions(t, {4.0, 0.0}), ldyn::InvalidOption);
  EXPECT_THROW(an::radial_distributions(t, {-1.0, 0.02}), ldyn::InvalidOption);
}

TEST(AnalysisRdf, ResultDoesNotDependOnTheThreadCount) {
  std::mt19937_64 rng(3);
  std::uniform_real_distribution<double> uniform(0.0, 9.0);
  std::vector<mio::Frame> traj;
  for (int f = 0; f < 70; ++f) {  // more than one block of frames
    mio::AtomVectors x(30, 3);
    for (Eigen::Index i = 0; i < x.size(); ++i) x.data()[i] = uniform(rng);
    traj.push_back(cubic_frame(water_species(10), x, 9.0 + 0.01 * f));
  }
  const auto t = an::prepare_trajectory(traj, "threads");
  const int before = omp_get_max_threads();
  omp_set_num_threads(1);
  const auto one = an::radial_distributions(t, {4.0, 0.05});
  omp_set_num_threads(3);
  const auto three = an::radial_distributions(t, {4.0, 0.05});
  omp_set_num_threads(before);
  for (std::size_t p = 0; p < one.size(); ++p) {
    EXPECT_EQ(one[p].total, three[p].total);
    EXPECT_EQ(one[p].intermolecular, three[p].intermolecular);
  }
}

// ---------------------------------------------------------------- peaks and errors

TEST(AnalysisRdfPeak, GaussianPeakIsFoundBetweenBins) {
  const double w = 0.02, centre = 2.8163, width = 0.12;
  std::vector<double> r, g;
  for (int k = 0; k < 300; ++k) {
    r.push_back((k + 0.5) * w);
    const double x = r.back();
    // A higher second peak outside the window must not be taken for the first.
    g.push_back(3.0 * std::exp(-(x - centre) * (x - centre) / (2 * width * width)) +
                5.0 * std::exp(-(x - 4.5) * (x - 4.5) / (2 * width * width)));
  }
  const auto peak = an::first_peak(r, g, w);
  ASSERT_TRUE(peak.has_value());
  EXPECT_NEAR(peak->position, centre, 1e-3);
  EXPECT_NEAR(peak->height, 3.0, 3e-3);
  // The bins alone would be off by up to half a bin.
  EXPECT_GT(std::abs(r[static_cast<std::size_t>(centre / w)] - centre), 5e-3);
  std::vector<double> low(g.size(), 0.3);
  EXPECT_FALSE(an::first_peak(r, low, w).has_value());
}

TEST(AnalysisRdfError, MeanAbsoluteErrorOverTheCommonBinsUpToTheLimit) {
  std::vector<double> a(400, 1.0), b(300, 1.1);  // 0-8 Å and 0-6 Å at 0.02 Å
  b[10] = 2.1;
  EXPECT_NEAR(an::rdf_mean_absolute_error(a, 0.02, b, 0.02), (299 * 0.1 + 1.1) / 300, 1e-12);
  EXPECT_NEAR(an::rdf_mean_absolute_error(a, 0.02, b, 0.02, 1.0), (49 * 0.1 + 1.1) / 50, 1e-12);
  EXPECT_EQ(an::rdf_mean_absolute_error(a, 0.02, a, 0.02), 0.0);
  EXPECT_THROW(an::rdf_mean_absolute_error(a, 0.02, b, 0.05), ldyn::InvalidOption);
}

// ---------------------------------------------------------------- geometry and distributions

TEST(AnalysisGeometry, ExactWaterGeometryAcrossTheBoundary) {
  const double length = 10.0, r = 0.9572, theta = 104.52;
  mio::AtomVectors x = water_molecules({{0.2, 9.9, 5.0}, {5.0, 5.0, 0.1}, {9.8, 0.3, 9.7}}, r, theta);
  for (Eigen::Index i = 0; i < x.size(); ++i) x.data()[i] = std::fmod(x.data()[i] + length, length);
  const std::vector<mio::Frame> traj(3, cubic_frame(water_species(3), x, length));
  const auto s = an::water_geometry(an::prepare_trajectory(traj, "exact"));
  ASSERT_EQ(s.bond_oh.size(), 18u);
  ASSERT_EQ(s.angle_hoh.size(), 9u);
  EXPECT_EQ(s.molecules_without_two_h, 0u);
  const auto bond = an::distribution(s.bond_oh, 0.8, 1.2, 0.005);
  const auto angle = an::distribution(s.angle_hoh, 80.0, 130.0, 0.5);
  EXPECT_NEAR(bond.mean, r, 1e-12);
  EXPECT_NEAR(bond.stddev, 0.0, 1e-12);
  EXPECT_NEAR(angle.mean, theta, 1e-9);
  EXPECT_NEAR(angle.stddev, 0.0, 1e-9);
}

TEST(AnalysisGeometry, DistributionMeanStdAndDensity) {
  const std::vector<double> samples{1.0, 2.0, 2.0, 3.0, 10.0};
  const auto d = an::distribution(samples, 0.0, 4.0, 1.0);
  EXPECT_DOUBLE_EQ(d.mean, 3.6);
  EXPECT_DOUBLE_EQ(d.stddev, std::sqrt((2.6 * 2.6 + 1.6 * 1.6 * 2 + 0.6 * 0.6 + 6.4 * 6.4) / 5));
  EXPECT_EQ(d.outside, 1u);
  EXPECT_EQ(d.density, (std::vector<double>{0.0, 0.2, 0.4, 0.2}));
  EXPECT_THROW(an::distribution({}, 0.0, 1.0, 0.1), ldyn::Error);
}

// ---------------------------------------------------------------- MSD and diffusion

TEST(AnalysisMsd, UnwrapsAcrossTheBoundaryInBothDirections) {
  const std::vector<double> xs{9.9, 0.1, 0.3, 9.6, 9.2};  // +0.2, +0.2, -0.7, -0.4 through the edge
  std::vector<mio::Frame> traj;
  for (double v : xs) traj.push_back(cubic_frame({"O"}, mio::AtomVectors::Constant(1, 3, v), 10.0));
  const auto u = an::unwrapped_positions(an::prepare_trajectory(traj, "wrap"), 0);
  const std::vector<double> expected{9.9, 10.1, 10.3, 9.6, 9.2};
  for (std::size_t f = 0; f < xs.size(); ++f)
    for (int k = 0; k < 3; ++k) EXPECT_NEAR(u(static_cast<Eigen::Index>(f), k), expected[f], 1e-12);
  // Already unwrapped positions (as CP2K writes them) come back unchanged.
  std::vector<mio::Frame> unwrapped;
  for (double v : expected) unwrapped.push_back(cubic_frame({"O"}, mio::AtomVectors::Constant(1, 3, v + 20.0), 10.0));
  const auto same = an::unwrapped_positions(an::prepare_trajectory(unwrapped, "unwrapped"), 0);
  for (std::size_t f = 0; f < expected.size(); ++f) EXPECT_NEAR(same(static_cast<Eigen::Index>(f), 0), expected[f] + 20.0, 1e-12);
}

TEST(AnalysisMsd, ConstantVelocityGivesVSquaredTSquared) {
  const double length = 8.0, dt = 2.0;
  const Eigen::Index atoms = 12;
  std::mt19937_64 rng(11);
  std::uniform_real_distribution<double> uniform(-0.1, 0.1);  // Å/fs: < half a box per frame
  mio::AtomVectors x0(atoms, 3), v(atoms, 3);
  for (Eigen::Index i = 0; i < x0.size(); ++i) {
    x0.data()[i] = (uniform(rng) + 0.1) * 40.0;
    v.data()[i] = uniform(rng);
  }
  std::vector<mio::Frame> traj;
  for (int f = 0; f < 60; ++f) {
    mio::AtomVectors x = x0 + v * (f * dt);
    for (Eigen::Index i = 0; i < x.size(); ++i) x.data()[i] -= length * std::floor(x.data()[i] / length);  // wrapped
    traj.push_back(cubic_frame(std::vector<std::string>(atoms, "O"), x, length, f * dt));
  }
  const auto msd = an::mean_square_displacement(an::prepare_trajectory(traj, "ballistic"), "O", dt);
  const double v2 = v.rowwise().squaredNorm().mean();
  ASSERT_EQ(msd.msd.size(), 60u);
  for (std::size_t k = 0; k < msd.msd.size(); ++k) {
    const double t = static_cast<double>(k) * dt;
    EXPECT_EQ(msd.lag_fs[k], t);
    EXPECT_NEAR(msd.msd[k], v2 * t * t, 1e-10 * (1.0 + v2 * t * t)) << "lag " << t;
  }
}

TEST(AnalysisMsd, RandomWalkGivesItsDiffusionCoefficient) {
  const double d = 1e-3, dt = 10.0, length = 20.0;  // Å²/fs, fs, Å
  const Eigen::Index atoms = 1000;
  std::mt19937_64 rng(5);
  std::normal_distribution<double> step(0.0, std::sqrt(2.0 * d * dt));  // per axis: <dx²> = 2 D dt
  std::uniform_real_distribution<double> uniform(0.0, length);
  mio::AtomVectors x(atoms, 3);
  for (Eigen::Index i = 0; i < x.size(); ++i) x.data()[i] = uniform(rng);
  std::vector<mio::Frame> traj;
  for (int f = 0; f < 201; ++f) {
    mio::AtomVectors wrapped = x;
    for (Eigen::Index i = 0; i < x.size(); ++i) wrapped.data()[i] -= length * std::floor(x.data()[i] / length);
    traj.push_back(cubic_frame(std::vector<std::string>(atoms, "O"), wrapped, length, f * dt));
    for (Eigen::Index i = 0; i < x.size(); ++i) x.data()[i] += step(rng);
  }
  const auto msd = an::mean_square_displacement(an::prepare_trajectory(traj, "walk"), "O", dt);
  const auto fit = an::fit_diffusion(msd);
  EXPECT_EQ(fit.lag_start_fs, 400.0);  // 1/5 of 2000 fs
  EXPECT_EQ(fit.lag_end_fs, 1000.0);   // 1/2
  EXPECT_EQ(fit.points, 61u);
  EXPECT_NEAR(fit.d_1e5_cm2_per_s, d * 1e4, 0.06 * d * 1e4);  // 1e-3 Å²/fs = 1e-4 cm²/s = 10e-5 cm²/s
}

TEST(AnalysisDiffusion, FitOfAnExactLineAndItsUnits) {
  an::MeanSquareDisplacement msd;
  for (int k = 0; k <= 100; ++k) {
    msd.lag_fs.push_back(5.0 * k);
    msd.msd.push_back(0.3 + 6.0 * 2.3e-4 * 5.0 * k);  // D = 2.3e-4 Å²/fs = 2.3e-5 cm²/s
  }
  const auto fit = an::fit_diffusion(msd);
  EXPECT_NEAR(fit.d_1e5_cm2_per_s, 2.3, 1e-9);
  EXPECT_NEAR(fit.intercept_a2, 0.3, 1e-9);
  EXPECT_THROW(an::fit_diffusion(msd, {0.5, 0.2}), ldyn::InvalidOption);
  an::MeanSquareDisplacement short_msd{{0.0, 5.0}, {0.0, 1.0}};
  EXPECT_EQ(an::points_in_window(short_msd, {}), 0u);
  EXPECT_THROW(an::fit_diffusion(short_msd), ldyn::InvalidOption);
}

TEST(AnalysisDiffusion, YehHummerCorrectionByHand) {
  // ξ k_B T / (6 π η L) = 2.837297 · 1.380649e-23 J/K · 300 K / (6π · 0.85e-3 Pa s · 12.4297e-10 m)
  //                     = 5.901041e-10 m²/s = 5.901041e-6 cm²/s = 0.5901041 · 1e-5 cm²/s
  EXPECT_NEAR(an::yeh_hummer_correction(300.0, 0.85e-3, 12.4297), 0.5901041117, 1e-9);
  EXPECT_NEAR(an::yeh_hummer_correction(600.0, 0.85e-3, 2 * 12.4297), 0.5901041117, 1e-9);
  EXPECT_THROW(an::yeh_hummer_correction(300.0, 0.0, 12.4), ldyn::InvalidOption);
}

// ---------------------------------------------------------------- temperature and times

TEST(AnalysisTemperature, KnownVelocitiesByHandInSI) {
  mio::Frame f = cubic_frame({"O", "H", "H"}, water_molecules({{5.0, 5.0, 5.0}}, 0.96, 104.5), 10.0);
  f.velocities.resize(3, 3);
  f.velocities << 0.001, -0.002, 0.003, 0.01, 0.02, -0.005, -0.03, 0.004, 0.0;
  mio::Frame g = f;
  g.velocities *= 2.0;
  const std::vector<mio::Frame> traj{f, g};
  const auto t = an::frame_temperatures(an::prepare_trajectory(traj, "hot"));
  // Σ m v² / ((3N - 3) k_B), m in kg, v in m/s (1 Å/fs = 1e5 m/s).
  const double masses[3] = {15.999, 1.008, 1.008};
  double mv2 = 0.0;
  for (int i = 0; i < 3; ++i) mv2 += masses[i] * 1e-3 / 6.02214076e23 * f.velocities.row(i).squaredNorm() * 1e10;
  const double expected = mv2 / (6.0 * 1.380649e-23);
  ASSERT_EQ(t.size(), 2u);
  EXPECT_NEAR(t[0], expected, 1e-3 * expected);  // standard atomic weights may differ in the 4th digit
  EXPECT_NEAR(t[1], 4.0 * t[0], 1e-9 * t[0]);
  const std::vector<mio::Frame> none{cubic_frame({"O"}, mio::AtomVectors::Zero(1, 3), 10.0)};
  EXPECT_TRUE(an::frame_temperatures(an::prepare_trajectory(none, "cold")).empty());
  const std::vector<mio::Frame> some{f, cubic_frame({"O", "H", "H"}, f.positions, 10.0)};
  EXPECT_THROW(an::frame_temperatures(an::prepare_trajectory(some, "half")), ldyn::FileError);
}

TEST(AnalysisFrameTimes, FromTheFramesOrFromTheInterval) {
  std::vector<mio::Frame> traj(3, cubic_frame({"O"}, mio::AtomVectors::Zero(1, 3), 10.0));
  EXPECT_THROW(an::frame_times(traj, std::nullopt, "t"), ldyn::FileError);
  EXPECT_EQ(an::frame_times(traj, 2.5, "t"), (std::vector<double>{0.0, 2.5, 5.0}));
  EXPECT_THROW(an::frame_times(traj, 0.0, "t"), ldyn::InvalidOption);
  for (int f = 0; f < 3; ++f) traj[static_cast<std::size_t>(f)].time_fs = 100.0 + 5.0 * f;
  EXPECT_EQ(an::frame_times(traj, 2.5, "t"), (std::vector<double>{100.0, 105.0, 110.0}));  // the file wins
  EXPECT_DOUBLE_EQ(an::uniform_interval(std::vector<double>{100.0, 105.0, 110.0}, "t"), 5.0);
  EXPECT_THROW(an::uniform_interval(std::vector<double>{0.0, 5.0, 15.0}, "t"), ldyn::FileError);
  traj[2].time_fs = 105.0;
  EXPECT_THROW(an::frame_times(traj, std::nullopt, "t"), ldyn::FileError);
}

TEST(AnalysisPrepare, RefusesFramesThatCannotBeAnalysed) {
  const mio::Frame ok = cubic_frame({"O", "H"}, mio::AtomVectors::Zero(2, 3), 10.0);
  mio::Frame other = ok;
  other.species = {"H", "O"};
  EXPECT_THROW(an::prepare_trajectory(std::vector<mio::Frame>{ok, other}, "t"), ldyn::FileError);
  mio::Frame no_cell = ok;
  no_cell.cell.reset();
  no_cell.pbc = {false, false, false};
  EXPECT_THROW(an::prepare_trajectory(std::vector<mio::Frame>{ok, no_cell}, "t"), ldyn::FileError);
  mio::Frame nan = ok;
  nan.positions(1, 1) = std::nan("");
  EXPECT_THROW(an::prepare_trajectory(std::vector<mio::Frame>{nan}, "t"), ldyn::FileError);
  EXPECT_THROW(an::prepare_trajectory(std::vector<mio::Frame>{}, "t"), ldyn::FileError);
}
