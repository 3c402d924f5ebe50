// molecular/trajectory: one reader for extended XYZ and CP2K trajectories, with the cell rules
// analyses rely on, and CP2K velocities attached frame by frame.
#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "molecular/io/extxyz.hpp"
#include "molecular/io/units.hpp"
#include "molecular/trajectory.hpp"

namespace fs = std::filesystem;
using ldyn::molecular::attach_cp2k_velocities;
using ldyn::molecular::read_trajectory;
namespace mio = ldyn::molecular::io;

namespace {

fs::path trajectory_file(const std::string& name, const std::string& text) {
  const fs::path p = fs::path(::testing::TempDir()) / ("ldyn_trajectory_" + name);
  std::ofstream(p, std::ios::binary) << text;
  return p;
}

fs::path shipped_water(const std::string& name) { return fs::path(LDYN_SOURCE_DIR) / "data/water" / name; }

// A CP2K file of two frames (steps 0 and 10) of one water molecule; `first_symbol` replaces its O.
std::string cp2k_text(double scale = 1.0, int second_step = 10, const std::string& first_symbol = "O") {
  std::string s;
  for (int f = 0; f < 2; ++f) {
    const int step = f == 0 ? 0 : second_step;
    s += "     3\n i =        " + std::to_string(step) + ", time =        " + std::to_string(f * 5) +
         ".000, E =      -17.1\n";
    s += "  " + first_symbol + "  " + std::to_string(1.0 * scale) + "  2.0  -3.0\n";
    s += "  H   0.5  0.0  0.0\n  H   0.0  0.5  0.0\n";
  }
  return s;
}

std::string extxyz_text(const std::string& lattice) {
  std::string s;
  for (int f = 0; f < 2; ++f) {
    s += "3\n" + lattice + " Properties=species:S:1:pos:R:3:vel:R:3 step=" + std::to_string(10 * f) +
         " time=" + std::to_string(5 * f) + "\n";
    s += "O 1 2 3 0.1 0.2 0.3\nH 1.5 2 3 0 0 0\nH 1 2.5 3 0 0 0\n";
  }
  return s;
}

void expect_file_error_naming(const std::function<void()>& f, const fs::path& path, const std::string& contains) {
  try {
    f();
    ADD_FAILURE() << "no FileError";
  } catch (const ldyn::FileError& e) {
    EXPECT_EQ(e.path(), path.string()) << e.what();
    EXPECT_NE(std::string(e.what()).find(contains), std::string::npos) << e.what();
  }
}

}  // namespace

TEST(Trajectory, Cp2kFramesGetTheCubicCell) {
  const fs::path p = trajectory_file("cp2k.xyz", cp2k_text());
  const auto frames = read_trajectory(p, 12.5);
  ASSERT_EQ(frames.size(), 2u);
  for (const auto& f : frames) {
    ASSERT_TRUE(f.cell.has_value());
    EXPECT_EQ(*f.cell, mio::Lattice::Identity() * 12.5);
    EXPECT_TRUE(f.pbc[0] && f.pbc[1] && f.pbc[2]);
    EXPECT_EQ(f.positions(0, 1), 2.0);
  }
  EXPECT_EQ(frames[1].step, 10);
  EXPECT_EQ(frames[1].time_fs, 5.0);
}

TEST(Trajectory, Cp2kWithoutCellIsAFileErrorNamingTheFile) {
  const fs::path p = trajectory_file("cp2k_nocell.xyz", cp2k_text());
  expect_file_error_naming([&] { read_trajectory(p, std::nullopt); }, p, "no cell");
}

TEST(Trajectory, Cp2kLengthUnitConvertsBohr) {
  const fs::path p = trajectory_file("cp2k_bohr.xyz", cp2k_text());
  const auto frames = read_trajectory(p, 20.0, {}, mio::LengthUnit::bohr);
  EXPECT_DOUBLE_EQ(frames[0].positions(0, 1), 2.0 * mio::units::bohr_to_angstrom);
  EXPECT_EQ(*frames[0].cell, mio::Lattice::Identity() * 20.0);  // the cell is in Å whatever the file
}

TEST(Trajectory, ExtxyzKeepsItsCellAndAcceptsTheSameCubicCell) {
  const fs::path p = trajectory_file("lattice.xyz", extxyz_text("Lattice=\"9 0 0 0 9 0 0 0 9\""));
  for (const std::optional<double> cell : {std::optional<double>(), std::optional<double>(9.0)}) {
    const auto frames = read_trajectory(p, cell);
    ASSERT_EQ(frames.size(), 2u);
    EXPECT_EQ(*frames[1].cell, mio::Lattice::Identity() * 9.0);
    EXPECT_EQ(frames[1].time_fs, 5.0);
    EXPECT_EQ(frames[1].step, 10);
    ASSERT_TRUE(frames[0].has_velocities());  // extended XYZ columns, not CP2K's four
    EXPECT_EQ(frames[0].velocities(0, 2), 0.3);
  }
}

TEST(Trajectory, ExtxyzCellDifferingFromTheGivenOneIsAFileError) {
  const fs::path p = trajectory_file("lattice_differs.xyz", extxyz_text("Lattice=\"9 0 0 0 9 0 0 0 9\""));
  expect_file_error_naming([&] { read_trajectory(p, 9.1); }, p, "differs");
}

TEST(Trajectory, ExtxyzWithoutLatticeIsRecognizedByPropertiesAndGivenTheCell) {
  const fs::path p = trajectory_file("properties_only.xyz", extxyz_text(""));
  const auto frames = read_trajectory(p, 7.0);
  EXPECT_EQ(*frames[0].cell, mio::Lattice::Identity() * 7.0);
  EXPECT_TRUE(frames[0].has_velocities());
  expect_file_error_naming([&] { read_trajectory(p, std::nullopt); }, p, "no cell");
}

TEST(Trajectory, LowerCaseExtxyzKeysAreRecognized) {
  const fs::path p = trajectory_file("lower.xyz", "1\nlattice=\"5 0 0 0 5 0 0 0 5\" time=2\nO 1 1 1\n");
  const auto frames = read_trajectory(p, std::nullopt);
  EXPECT_EQ(*frames[0].cell, mio::Lattice::Identity() * 5.0);
}

TEST(Trajectory, BadCellEmptyFileAndTruncatedFile) {
  const fs::path p = trajectory_file("cell_opt.xyz", cp2k_text());
  EXPECT_THROW(read_trajectory(p, 0.0), ldyn::InvalidOption);
  EXPECT_THROW(read_trajectory(p, std::nan("")), ldyn::InvalidOption);
  const fs::path empty = trajectory_file("empty.xyz", "");
  expect_file_error_naming([&] { read_trajectory(empty, 10.0); }, empty, "no frames");
  std::string text = cp2k_text();
  const fs::path truncated = trajectory_file("truncated.xyz", text.substr(0, text.size() - 20));
  EXPECT_THROW(read_trajectory(truncated, 10.0), ldyn::FileError);
}

TEST(Trajectory, ShippedCompressedWaterReadsWithARange) {
  const auto frames = read_trajectory(shipped_water("w64-300K-pos-1.xyz.xz"), 12.4297, {0, 5, 2});
  ASSERT_EQ(frames.size(), 3u);
  EXPECT_EQ(frames[0].size(), 192u);
  EXPECT_EQ(frames[2].time_fs, 20.0);
  EXPECT_EQ(frames[0].positions(0, 0), 1.5019857156);
}

TEST(Trajectory, VelocitiesAttachFrameByFrame) {
  const mio::FrameRange range{0, 5, 2};
  auto frames = read_trajectory(shipped_water("w64-300K-pos-1.xyz.xz"), 12.4297, range);
  attach_cp2k_velocities(frames, shipped_water("w64-300K-vel-1.xyz.xz"), mio::VelocityUnit::angstrom_per_fs, range);
  ASSERT_TRUE(frames[2].has_velocities());
  EXPECT_EQ(frames[0].velocities(0, 0), 0.0000896929);
  EXPECT_EQ(frames[0].velocities.rows(), 192);
}

TEST(Trajectory, VelocityMismatchesAreFileErrors) {
  const fs::path pos = trajectory_file("pos.xyz", cp2k_text());
  auto frames = read_trajectory(pos, 10.0);
  const fs::path other_step = trajectory_file("vel_step.xyz", cp2k_text(1.0, 20));
  expect_file_error_naming(
      [&] { attach_cp2k_velocities(frames, other_step, mio::VelocityUnit::angstrom_per_fs); }, other_step, "step 20");
  const fs::path fewer = trajectory_file("vel_fewer.xyz", cp2k_text());
  expect_file_error_naming(
      [&] { attach_cp2k_velocities(frames, fewer, mio::VelocityUnit::angstrom_per_fs, {0, 1, 1}); }, fewer, "frames");
  const fs::path other_atoms = trajectory_file("vel_atoms.xyz", cp2k_text(1.0, 10, "N"));
  expect_file_error_naming(
      [&] { attach_cp2k_velocities(frames, other_atoms, mio::VelocityUnit::angstrom_per_fs); }, other_atoms, "atoms");
  EXPECT_FALSE(frames[0].has_velocities());  // nothing attached after a failure
  const fs::path bohr = trajectory_file("vel_bohr.xyz", cp2k_text(2.0));
  attach_cp2k_velocities(frames, bohr, mio::VelocityUnit::bohr_per_atomic_time);
  EXPECT_DOUBLE_EQ(frames[1].velocities(0, 0), 2.0 * mio::units::bohr_per_atomic_time_to_angstrom_per_fs);
}
