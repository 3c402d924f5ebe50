// `ldyn water fit` and `ldyn water run` as a user meets them: a fit on a few shipped frames writes a
// model that reads back and runs; each kind of bad input gets one line naming the file or option
// and a non-zero exit.
#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "cli_runner.hpp"
#include "core/compressed_file.hpp"
#include "molecular/model/model_file.hpp"

namespace {

using ldyn::testing::run_cli;
using ldyn::testing::temp_path;

const std::string pos = std::string(LDYN_SOURCE_DIR) + "/data/water/w64-300K-pos-1.xyz.xz";
const std::string frc = std::string(LDYN_SOURCE_DIR) + "/data/water/w64-300K-frc-1.xyz.xz";
// Few frames and a small basis keep these tests fast.
const std::string small = " --stop 12 --pair-count 16 --angular-count 4 --lmax 3 --folds 2 --no-plots --select cv";

// A non-zero exit and exactly one error line, which names `what` (progress lines may precede it).
void expect_error(const std::string& args, const std::string& what) {
  const auto r = run_cli(args);
  EXPECT_NE(r.code, 0) << args;
  std::size_t errors = 0;
  std::string error;
  for (std::size_t at = 0; at < r.output.size();) {
    const std::size_t end = std::min(r.output.find('\n', at), r.output.size());
    const std::string line = r.output.substr(at, end - at);
    if (line.rfind("ldyn: error: ", 0) == 0) {
      ++errors;
      error = line;
    }
    at = end + 1;
  }
  EXPECT_EQ(errors, 1u) << args << "\n -> " << r.output;
  EXPECT_NE(error.find(what), std::string::npos) << args << "\n -> " << r.output;
}

TEST(CliWaterFit, FitsWritesAModelAndRunsIt) {
  const auto model = temp_path("fit_model.txt");
  const auto json = temp_path("fit_report.json");
  auto r = run_cli("water fit --data " + pos + " " + frc + " --cell 12.4297 --out " + model.string() + " --json " +
                   json.string() + small);
  ASSERT_EQ(r.code, 0) << r.output;
  EXPECT_NE(r.output.find("R2 test"), std::string::npos) << r.output;
  const auto m = ldyn::molecular::read_model_file(model);
  EXPECT_EQ(m.spec.species.symbols, (std::vector<std::string>{"O", "H"}));
  const std::string report = ldyn::read_text_file(json);
  for (const char* key : {"\"rmse_test\"", "\"r2_train\"", "\"lambda\"", "\"O\"", "\"H\""})
    EXPECT_NE(report.find(key), std::string::npos) << key;

  const auto traj = temp_path("fit_run.extxyz");
  r = run_cli("water run --model " + model.string() + " --start " + pos + " --cell 12.4297 --steps 20 --every 10 --out " +
              traj.string() + " --dynamics symmetric --threads 1");
  ASSERT_EQ(r.code, 0) << r.output;
  EXPECT_TRUE(std::filesystem::exists(traj));
}

// λ chosen by short simulations: every candidate at or above the cross-validated λ is run and scored.
TEST(CliWaterFit, StructureSelectionRunsEachCandidate) {
  const auto model = temp_path("select_model.txt");
  const auto json = temp_path("select_report.json");
  const auto r = run_cli("water fit --data " + pos + " " + frc + " --cell 12.4297 --out " + model.string() +
                         " --json " + json.string() +
                         " --stop 12 --pair-count 16 --angular-count 4 --lmax 3 --folds 2 --no-plots"
                         " --select structure --select-ps 0.05 --lambdas 1e-9 1e-3");
  ASSERT_EQ(r.code, 0) << r.output;
  EXPECT_NE(r.output.find("lambda by structure"), std::string::npos) << r.output;
  const std::string report = ldyn::read_text_file(json);
  EXPECT_NE(report.find("\"selection\": [\n    {\"lambda\": 1e-09"), std::string::npos) << report;
  EXPECT_NE(report.find("{\"lambda\": 0.001"), std::string::npos) << report;
  const auto m = ldyn::molecular::read_model_file(model);
  bool noted = false;
  for (const auto& [key, value] : m.meta) noted = noted || key == "lambda_selection";
  EXPECT_TRUE(noted);
}

TEST(CliWaterFit, BadInputIsNamed) {
  const auto out = temp_path("bad_model.txt").string();
  const std::string base = "water fit --out " + out + small;
  // Cell missing for CP2K files.
  expect_error(base + " --data " + pos + " " + frc, "cell");
  // Positions without forces.
  expect_error(base + " --cell 12.4297 --data " + pos, "forces");
  // Mismatched frame counts: forces cut short.
  const auto short_frc = temp_path("short-frc-1.xyz");
  {
    std::ofstream f(short_frc);
    ldyn::TextFileReader reader(frc);
    std::string line;
    for (int k = 0; k < 194 * 3 && reader.next_line(line); ++k) f << line << '\n';
  }
  expect_error("water fit --out " + out + " --no-plots --cell 12.4297 --data " + pos + " " + short_frc.string(),
               short_frc.string());
  // Malformed XYZ: a letter where a coordinate should be.
  const auto bad_pos = temp_path("bad-pos-1.xyz");
  {
    std::ofstream f(bad_pos);
    f << "3\n i = 0, time = 0.000, E = 1.0\nO 0 0 0\nH 0.9 zero 0\nH 0 0.9 0\n";
  }
  expect_error(base + " --cell 12.4297 --data " + bad_pos.string() + " " + frc, bad_pos.string());
  // Impossible parameters.
  expect_error(base + " --cell 12.4297 --data " + pos + " " + frc + " --pair-cutoff 9", "cutoff");
  expect_error(base + " --cell 12.4297 --data " + pos + " " + frc + " --dynamics chaotic", "--dynamics");
  expect_error(base + " --cell -1 --data " + pos + " " + frc, "cell");
}

TEST(CliWaterRun, BadInputIsNamed) {
  const auto traj = temp_path("bad_run.extxyz").string();
  const auto model = temp_path("run_model.txt");
  ASSERT_EQ(run_cli("water fit --data " + pos + " " + frc + " --cell 12.4297 --out " + model.string() + small).code, 0);
  // A model file of another version, and one with a NaN coefficient.
  std::string text = ldyn::read_text_file(model);
  const auto v2 = temp_path("model_v2.txt");
  std::ofstream(v2) << std::string(text).replace(text.find("ldyn-agent-model 1"), 18, "ldyn-agent-model 2");
  expect_error("water run --model " + v2.string() + " --molecules 8 --steps 1 --out " + traj, v2.string());
  const auto nan = temp_path("model_nan.txt");
  std::ofstream(nan) << std::string(text).replace(text.find("pair O O\n") + 9, 0, "nan ");
  expect_error("water run --model " + nan.string() + " --molecules 8 --steps 1 --out " + traj, nan.string());
  // Unknown species in the start frame.
  const auto na = temp_path("sodium.extxyz");
  std::ofstream(na) << "2\nLattice=\"15 0 0 0 15 0 0 0 15\" Properties=species:S:1:pos:R:3\nNa 0 0 0\nO 2 2 2\n";
  expect_error("water run --model " + model.string() + " --start " + na.string() + " --steps 1 --out " + traj, "Na");
  // Overlapping atoms stop the run at once, naming both.
  const auto overlap = temp_path("overlap.extxyz");
  std::ofstream(overlap) << "3\nLattice=\"15 0 0 0 15 0 0 0 15\" Properties=species:S:1:pos:R:3\nO 1 1 1\nH 1.1 1 1\nH 5 5 5\n";
  expect_error("water run --model " + model.string() + " --start " + overlap.string() + " --steps 5 --out " + traj,
               "closer than");
  // A triclinic cell, and a missing cell.
  const auto tri = temp_path("triclinic.extxyz");
  std::ofstream(tri) << "1\nLattice=\"15 0 0 3 15 0 0 0 15\" Properties=species:S:1:pos:R:3\nO 1 1 1\n";
  expect_error("water run --model " + model.string() + " --start " + tri.string() + " --steps 1 --out " + traj,
               "orthorhombic");
  expect_error("water run --model " + model.string() + " --start " + pos + " --steps 1 --out " + traj, "cell");
}

}  // namespace
