// `ldyn water compare` as a user meets it: the shipped reference against itself and against its own
// second half, the JSON it promises, and one-line errors (exit 2) for input it cannot use.
// Frames are strided so that the whole file runs in a few seconds, also under sanitizers.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "cli_runner.hpp"
#include "core/compressed_file.hpp"
#include "core/plot.hpp"
#include "molecular/io/extxyz.hpp"
#include "molecular/trajectory.hpp"

namespace fs = std::filesystem;
namespace mio = ldyn::molecular::io;

namespace {

using CliRun = ldyn::testing::CliResult;
using ldyn::testing::run_cli;

CliRun run_ldyn(const std::string& args, const std::string& environment = "") { return run_cli(args, environment); }

fs::path scratch(const std::string& name) {
  const fs::path p = fs::path(::testing::TempDir()) / "ldyn_water_compare" / name;
  fs::create_directories(p.parent_path());
  return p;
}

std::string shipped(const std::string& name) { return (fs::path(LDYN_SOURCE_DIR) / "data/water" / name).string(); }
const std::string kCell = "12.4297";

std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The text of the value at `keys` (each searched after the previous one) in our own JSON layout.
std::string json_value(const std::string& json, std::initializer_list<const char*> keys) {
  std::size_t at = 0;
  for (const char* k : keys) {
    at = json.find("\"" + std::string(k) + "\":", at);
    if (at == std::string::npos) return "<missing " + std::string(k) + ">";
    at += std::string(k).size() + 3;
  }
  while (json[at] == ' ') ++at;
  const std::size_t end = json.find_first_of(",}\n", at);
  return json.substr(at, end - at);
}
double json_number(const std::string& json, std::initializer_list<const char*> keys) {
  return std::stod(json_value(json, keys));
}

// Frames [first, stop) of the shipped data, every `stride`-th, with velocities, as extended XYZ
// (what `ldyn water run` writes: Lattice=, time=, vel).
fs::path shipped_part(const std::string& name, std::size_t first, std::size_t stop, std::size_t stride) {
  const fs::path out = scratch(name);
  const mio::FrameRange range{first, stop, stride};
  auto frames = ldyn::molecular::read_trajectory(shipped("w64-300K-pos-1.xyz.xz"), 12.4297, range);
  ldyn::molecular::attach_cp2k_velocities(frames, shipped("w64-300K-vel-1.xyz.xz"), mio::VelocityUnit::angstrom_per_fs,
                                          range);
  mio::write_extxyz(out, frames);
  return out;
}

// The first `frames` frames of a shipped CP2K file, as they are (plain text): a small CP2K input.
fs::path shipped_cp2k_head(const std::string& name, const std::string& shipped_name, std::size_t frames) {
  const fs::path out = scratch(name);
  ldyn::TextFileReader in(shipped(shipped_name));
  std::ofstream o(out);
  std::string line;
  for (std::size_t n = 0; n < frames * 194 && in.next_line(line); ++n) o << line << '\n';
  return out;
}

void expect_one_line_error(const std::string& args, const std::string& what) {
  const CliRun r = run_ldyn("water compare --no-plots " + args);
  EXPECT_EQ(r.code, 2) << args << " -> " << r.output;
  EXPECT_EQ(r.output.rfind("ldyn: error: ", 0), 0u) << r.output;
  EXPECT_NE(r.output.find(what), std::string::npos) << args << " -> " << r.output;
  EXPECT_EQ(std::count(r.output.begin(), r.output.end(), '\n'), 1) << args << " -> " << r.output;
}

}  // namespace

TEST(CliWaterCompare, ReferenceAgainstItselfGivesZeroErrorAndIdenticalPeaks) {
  const fs::path json = scratch("self.json");
  fs::remove(json);
  const std::string pos = shipped("w64-300K-pos-1.xyz.xz");
  const CliRun r = run_ldyn("water compare --no-plots --stride 20 --cell " + kCell + " --reference " + pos +
                            " --trajectory " + pos + " --json " + json.string());
  ASSERT_EQ(r.code, 0) << r.output;
  EXPECT_NE(r.output.find("g_OO intermolecular"), std::string::npos) << r.output;
  const std::string j = slurp(json);
  for (const char* group : {"rdf_mae", "rdf_mae_total"})
    for (const char* pair : {"OO", "OH", "HH"}) EXPECT_EQ(json_value(j, {group, pair}), "0") << group << pair;
  for (const char* group : {"peak", "peak_total"})
    for (const char* pair : {"OO", "OH", "HH"})
      for (const char* q : {"position", "height"}) {
        EXPECT_EQ(json_value(j, {"reference", group, pair, q}), json_value(j, {"trajectory", group, pair, q}));
        EXPECT_GT(json_number(j, {"reference", group, pair, q}), 0.0);
      }
  EXPECT_EQ(json_value(j, {"frames", "reference"}), "21");  // 401 frames, every 20th
  EXPECT_EQ(json_value(j, {"reference", "temperature"}), "null");  // no velocities given
  EXPECT_EQ(json_value(j, {"reference", "diffusion"}), json_value(j, {"trajectory", "diffusion"}));
  // The water peaks where water has them.
  EXPECT_NEAR(json_number(j, {"reference", "peak", "OO", "position"}), 2.8, 0.15);
  EXPECT_NEAR(json_number(j, {"reference", "peak_total", "OH", "position"}), 0.97, 0.05);
  EXPECT_NEAR(json_number(j, {"reference", "bond_oh", "mean"}), 0.97, 0.03);
  EXPECT_NEAR(json_number(j, {"reference", "angle_hoh", "mean"}), 105.0, 3.0);
}

TEST(CliWaterCompare, FirstHalfAgainstSecondHalfDiffersALittle) {
  const fs::path first = shipped_part("first.extxyz", 0, 201, 10), second = shipped_part("second.extxyz", 200, 401, 10);
  const fs::path json = scratch("halves/report.json");
  fs::remove_all(json.parent_path());
  const CliRun r = run_ldyn("water compare --yeh-hummer --reference " + first.string() + " --trajectory " +
                            second.string() + " --json " + json.string());
  ASSERT_EQ(r.code, 0) << r.output;
  const std::string j = slurp(json);
  for (const char* group : {"rdf_mae", "rdf_mae_total"})
    for (const char* pair : {"OO", "OH", "HH"}) {
      const double mae = json_number(j, {group, pair});
      EXPECT_GT(mae, 0.0) << group << pair;
      EXPECT_LT(mae, 0.2) << group << pair;  // the same liquid, a different second
    }
  for (const char* side : {"reference", "trajectory"}) {
    EXPECT_NEAR(json_number(j, {side, "temperature"}), 300.0, 25.0) << side;  // velocities came with the frames
    EXPECT_GT(json_number(j, {side, "diffusion"}), 0.0) << side;
    EXPECT_NEAR(json_number(j, {side, "diffusion_yeh_hummer"}) - json_number(j, {side, "diffusion"}), 0.59, 0.05);
    EXPECT_NEAR(json_number(j, {side, "peak", "OO", "position"}), 2.8, 0.15);
  }
  EXPECT_NEAR(json_number(j, {"reference", "bond_oh", "mean"}), json_number(j, {"trajectory", "bond_oh", "mean"}), 0.005);
  EXPECT_EQ(json_value(j, {"frames", "trajectory"}), "21");
  if (ldyn::gnuplot_available()) {
    for (const char* png : {"rdf_OO.png", "rdf_OH.png", "rdf_HH.png", "rdf_total_OO.png", "rdf_total_OH.png",
                            "rdf_total_HH.png", "bond_oh.png", "angle_hoh.png", "msd.png"}) {
      EXPECT_TRUE(fs::exists(json.parent_path() / png)) << png;
    }
  }
}

TEST(CliWaterCompare, SkipDropsTheStartOfBoth) {
  const fs::path json = scratch("skip.json");
  const std::string pos = shipped("w64-300K-pos-1.xyz.xz");
  const CliRun r = run_ldyn("water compare --no-plots --stride 40 --skip 1 --cell " + kCell + " --reference " + pos +
                            " --trajectory " + pos + " --json " + json.string());
  ASSERT_EQ(r.code, 0) << r.output;
  const std::string j = slurp(json);
  EXPECT_EQ(json_value(j, {"frames", "reference"}), "6");  // 1000, 1200, ..., 2000 fs
  EXPECT_EQ(json_value(j, {"reference", "first_time_fs"}), "1000");
}

TEST(CliWaterCompare, BadInputGivesOneLineAndExitCode2) {
  const std::string pos = shipped_cp2k_head("head-pos.xyz", "w64-300K-pos-1.xyz.xz", 3).string();
  const std::string both = " --reference " + pos + " --trajectory " + pos;
  expect_one_line_error(both, "no cell");
  expect_one_line_error(both + " --cell " + kCell + " --rdf-max 7", "--rdf-max");
  expect_one_line_error(both + " --cell " + kCell + " --bin 0", "--bin");
  expect_one_line_error(both + " --cell " + kCell + " --yeh-hummer", "--temperature");
  expect_one_line_error(both + " --cell " + kCell + " --skip 3", "--skip");
  const std::string vel = shipped_cp2k_head("head-vel.xyz", "w64-300K-vel-1.xyz.xz", 2).string();
  expect_one_line_error(both + " --cell " + kCell + " --reference-velocities " + vel, vel);

  const fs::path part = shipped_part("two_frames.extxyz", 0, 2, 1);
  std::string text = slurp(part);
  const fs::path truncated = scratch("truncated.extxyz");
  std::ofstream(truncated) << text.substr(0, text.size() * 3 / 4);
  expect_one_line_error("--reference " + truncated.string() + " --trajectory " + part.string(), truncated.string());

  // The first H of every frame becomes Xx.
  for (std::size_t at = text.find("Lattice="); at != std::string::npos; at = text.find("Lattice=", at)) {
    at = text.find("\nH ", at) + 1;
    text.replace(at, 1, "Xx");
  }
  const fs::path unknown = scratch("unknown_species.extxyz");
  std::ofstream(unknown) << text;
  expect_one_line_error("--reference " + part.string() + " --trajectory " + unknown.string(), "unknown species 'Xx'");
  expect_one_line_error("--reference " + part.string() + " --trajectory " + part.string() + " --cell 12", "differs");
}

TEST(CliWaterCompare, WithoutGnuplotItWarnsOnceAndGoesOn) {
  const std::string pos = shipped("w64-300K-pos-1.xyz.xz");
  const fs::path dir = scratch("no_gnuplot");
  fs::remove_all(dir);
  // A PATH without gnuplot; ldyn is named by its absolute path.
  const CliRun r = run_ldyn("water compare --stride 100 --cell " + kCell + " --reference " + pos + " --trajectory " +
                                pos + " --out-dir " + dir.string(),
                            "PATH=/nonexistent");
  EXPECT_EQ(r.code, 0) << r.output;
  std::size_t warnings = 0;
  for (std::size_t at = r.output.find("warning: no plots written"); at != std::string::npos;
       at = r.output.find("warning: no plots written", at + 1))
    ++warnings;
  EXPECT_EQ(warnings, 1u) << r.output;
  EXPECT_FALSE(fs::exists(dir / "rdf_OO.png"));
}
