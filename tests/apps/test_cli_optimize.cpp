// The command line as a user meets it: bad input gets one line naming the option or file and a
// non-zero exit; good input writes what it promises.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "cli_runner.hpp"

namespace {

using Result = ldyn::testing::CliResult;

using ldyn::testing::run_cli;

// One error line that names `what`, and a non-zero exit.
void expect_named_error(const std::string& args, const std::string& what) {
  const bool has_steps = args.find("--steps") != std::string::npos;
  const Result r = run_cli("optimize --quiet " + args + (has_steps ? "" : " --steps 5"));
  EXPECT_NE(r.code, 0) << args;
  EXPECT_NE(r.output.find(what), std::string::npos) << args << " -> " << r.output;
  EXPECT_EQ(std::count(r.output.begin(), r.output.end(), '\n'), 1) << args << " -> " << r.output;
}

std::filesystem::path temp(const std::string& name) {
  return std::filesystem::temp_directory_path() / ("ldyn_cli_test_" + name);
}

}  // namespace

TEST(CliOptimize, UnknownPresetOrProblem) {
  expect_named_error("--optimizer nope", "--optimizer");
  expect_named_error("--compare adam,nope", "--optimizer");
  expect_named_error("--problem nope", "--problem");
  expect_named_error("--problem rotated-quadratic --noise-shape round", "--noise-shape");
}

TEST(CliOptimize, ImpossibleParameters) {
  expect_named_error("--tau1 -1", "--tau1");
  expect_named_error("--tau2 -0.5", "--tau2");
  expect_named_error("--beta1 1", "--beta1");
  expect_named_error("--beta2 -0.1", "--beta2");
  expect_named_error("--beta1 1.5", "--beta1");
  expect_named_error("--alpha 1.5", "--alpha");
  expect_named_error("--alpha -0.5", "--alpha");
  expect_named_error("--eps 0", "--eps");
  expect_named_error("--eps -1e-8", "--eps");
  expect_named_error("--lr 0", "--lr");
  expect_named_error("--lr -0.1", "--lr");
  expect_named_error("--lr nan", "--lr");
  expect_named_error("--steps 0", "--steps");
  expect_named_error("--noise -1", "--noise");
  expect_named_error("--target 2", "--target");
  expect_named_error("--problem beale --dim 3", "--dim");
  expect_named_error("--optimizer cgd-lowrank --rank 0", "--rank");
  expect_named_error("--optimizer cgd-full --tau1 0", "--beta1");  // centered covariance would vanish
}

TEST(CliOptimize, NonFiniteGradientStopsWithNamedError) {
  const Result r = run_cli("optimize --quiet --steps 20 --nan-gradient-at 7");
  EXPECT_NE(r.code, 0);
  EXPECT_NE(r.output.find("non-finite gradient"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("step 8"), std::string::npos) << r.output;
}

TEST(CliOptimize, NonFiniteGradientSkippedAndCounted) {
  const Result r = run_cli("optimize --quiet --steps 20 --nan-gradient-at 7 --skip-nonfinite");
  EXPECT_EQ(r.code, 0) << r.output;
  EXPECT_NE(r.output.find("skipped 1 steps"), std::string::npos) << r.output;
}

TEST(CliOptimize, WritesCsvWithRequiredColumns) {
  const auto csv = temp("run.csv");
  std::filesystem::remove(csv);
  const Result r = run_cli("optimize --quiet --problem rotated-quadratic --dim 10 --optimizer cgd-full --steps 30 --out " +
                        csv.string());
  ASSERT_EQ(r.code, 0) << r.output;
  std::ifstream in(csv);
  std::string header;
  std::getline(in, header);
  EXPECT_EQ(header, "step,loss,grad_norm,update_norm,eff_rank");
  int rows = 0;
  for (std::string line; std::getline(in, line);) ++rows;
  EXPECT_EQ(rows, 31);  // steps 0..30
}

TEST(CliOptimize, ConfigFileGivesTheSameOptions) {
  const auto cfg = temp("run.toml");
  const auto csv_cfg = temp("cfg.csv"), csv_cli = temp("cli.csv");
  {
    std::ofstream f(cfg);
    f << "[optimize]\nproblem = \"beale\"\noptimizer = \"adabelief\"\nlr = 0.01\nsteps = 50\nquiet = true\nout = \""
      << csv_cfg.string() << "\"\n";
  }
  ASSERT_EQ(run_cli("optimize --config " + cfg.string()).code, 0);
  ASSERT_EQ(run_cli("optimize --quiet --problem beale --optimizer adabelief --lr 0.01 --steps 50 --out " + csv_cli.string()).code, 0);
  std::ifstream a(csv_cfg), b(csv_cli);
  std::stringstream sa, sb;
  sa << a.rdbuf();
  sb << b.rdbuf();
  EXPECT_FALSE(sa.str().empty());
  EXPECT_EQ(sa.str(), sb.str());
}

TEST(CliOptimize, CompareTunesAndReportsEveryOptimizer) {
  const auto json = temp("cmp.json");
  const Result r = run_cli("optimize --quiet --problem rosenbrock --compare sgd,adam --lr-grid --lr-min 1e-3 "
                        "--lr-max 1e-1 --lr-per-decade 1 --steps 200 --target 0.1 --json " + json.string());
  ASSERT_EQ(r.code, 0) << r.output;
  EXPECT_NE(r.output.find("sgd"), std::string::npos);
  EXPECT_NE(r.output.find("adam"), std::string::npos);
  std::ifstream in(json);
  std::stringstream s;
  s << in.rdbuf();
  const std::string text = s.str();
  EXPECT_NE(text.find("\"best_lr\""), std::string::npos);
  EXPECT_EQ(std::count(text.begin(), text.end(), '{'), 1 + 2 + 2 * 3);  // top, 2 optimizers, 3 trials each
}

TEST(CliOptimize, CheckpointAndResumeIsBitIdentical) {
  const std::string run = "optimize --quiet --problem rotated-quadratic --dim 8 --noise 0.5 --optimizer cgd-full "
                          "--refresh-every 3 --lr 0.01 ";
  const auto whole = temp("whole.csv"), resumed = temp("resumed.csv"), ck = temp("run.ckpt");
  ASSERT_EQ(run_cli(run + "--steps 60 --out " + whole.string()).code, 0);
  ASSERT_EQ(run_cli(run + "--steps 25 --checkpoint " + ck.string() + " --checkpoint-every 10").code, 0);
  ASSERT_EQ(run_cli(run + "--steps 60 --resume " + ck.string() + " --out " + resumed.string()).code, 0);
  std::ifstream a(whole), b(resumed);
  std::stringstream sa, sb;
  sa << a.rdbuf();
  sb << b.rdbuf();
  EXPECT_GT(sa.str().size(), 100u);
  EXPECT_EQ(sa.str(), sb.str());
}

TEST(CliOptimize, CorruptOrMismatchedStateFileIsNamed) {
  const std::string run = "--problem rotated-quadratic --dim 8 --noise 0.5 --optimizer cgd-full ";
  const auto ck = temp("good.ckpt"), cut = temp("cut.ckpt"), junk = temp("junk.ckpt");
  ASSERT_EQ(run_cli("optimize --quiet " + run + "--steps 10 --checkpoint " + ck.string()).code, 0);
  {
    std::ifstream in(ck, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), {});
    std::ofstream(cut, std::ios::binary) << bytes.substr(0, bytes.size() / 2);
    std::ofstream(junk, std::ios::binary) << "not a checkpoint at all, but long enough to be read";
  }
  expect_named_error(run + "--steps 20 --resume " + cut.string(), cut.string());
  expect_named_error(run + "--steps 20 --resume " + junk.string(), junk.string());
  expect_named_error(run + "--steps 20 --resume " + temp("missing.ckpt").string(), temp("missing.ckpt").string());
  // Same file, another optimizer or another problem: refused, naming the file and the difference.
  expect_named_error("--problem rotated-quadratic --dim 8 --noise 0.5 --optimizer adam --steps 20 --resume " +
                         ck.string(), "another optimizer");
  expect_named_error("--problem rotated-quadratic --dim 9 --noise 0.5 --optimizer cgd-full --steps 20 --resume " +
                         ck.string(), "dimension");
}
