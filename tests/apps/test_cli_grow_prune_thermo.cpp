// `ldyn grow-prune` and `ldyn thermo` as a user meets them, on the multiplication task (no files):
// every mode runs and writes what it promises; bad input gets one line naming the option or file.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "cli_runner.hpp"

namespace {

using ldyn::testing::run_cli;
using ldyn::testing::temp_path;

std::string read(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string header(const std::string& csv) { return csv.substr(0, csv.find('\n')); }

void expect_named_error(const std::string& args, const std::string& what) {
  const auto r = run_cli(args + " --quiet");
  EXPECT_EQ(r.code, 2) << args << " -> " << r.output;
  EXPECT_EQ(r.output.rfind("ldyn: error: ", 0), 0u) << args << " -> " << r.output;
  EXPECT_NE(r.output.find(what), std::string::npos) << args << " -> " << r.output;
  EXPECT_EQ(std::count(r.output.begin(), r.output.end(), '\n'), 1) << args << " -> " << r.output;
}

const std::string kSmall = " --data multiplication --train-samples 600 --test-samples 200 --layers 2,16,1 --activation tanh --lr 0.01 --batch 32";

TEST(CliGrowPrune, DeathWritesRowsAndTheSmallestNetworkWithinTolerance) {
  const auto csv = temp_path("gp_death.csv"), json = temp_path("gp_death.json");
  const auto r = run_cli("grow-prune --quiet --mode death" + kSmall + " --epochs 3 --death-fraction 0.25 --min-neurons 4 --stage-epochs 1 --out " +
                         csv.string() + " --json " + json.string());
  ASSERT_EQ(r.code, 0) << r.output;
  EXPECT_EQ(header(read(csv)), "run,epoch,event,neurons,parameters,train_loss,validation_loss,validation_accuracy,test_loss,test_accuracy");
  const std::string text = read(csv);
  for (const char* event : {"death,3,start,16", "death,3,death -4,12", "death,4,death -4,8", "death,5,death -4,4"})
    EXPECT_NE(text.find(event), std::string::npos) << event << "\n" << text;
  EXPECT_NE(read(json).find("\"removed_fraction\""), std::string::npos);
  EXPECT_NE(r.output.find("smallest within"), std::string::npos) << r.output;
}

TEST(CliGrowPrune, ReplicationAndCombinedRunTheirControls) {
  const auto json = temp_path("gp_rep.json");
  auto r = run_cli("grow-prune --quiet --mode replication" + kSmall + " --epochs 2 --stage-epochs 2 --json " + json.string());
  ASSERT_EQ(r.code, 0) << r.output;
  EXPECT_NE(read(json).find("\"continued\""), std::string::npos);
  EXPECT_NE(r.output.find("replication    32 neurons"), std::string::npos) << r.output;
  r = run_cli("grow-prune --quiet --mode combined" + kSmall + " --epochs 4 --every 2 --death-fraction 0.25 --replication-fraction 0.5");
  ASSERT_EQ(r.code, 0) << r.output;
  EXPECT_NE(r.output.find("fixed"), std::string::npos) << r.output;
}

TEST(CliGrowPrune, StartsFromASavedNetwork) {
  const auto net = temp_path("gp_saved.net");
  ASSERT_EQ(run_cli("train --quiet" + kSmall + " --epochs 2 --save " + net.string()).code, 0);
  const auto r = run_cli("grow-prune --quiet --mode death" + kSmall + " --from " + net.string() + " --death-fraction 0.5 --stage-epochs 1");
  ASSERT_EQ(r.code, 0) << r.output;
  EXPECT_NE(r.output.find("death       epoch   0    16 neurons  start"), std::string::npos) << r.output;
}

TEST(CliGrowPrune, BadInputNamesTheOptionOrFile) {
  expect_named_error("grow-prune --mode shrink" + kSmall, "--mode");
  expect_named_error("grow-prune --death-fraction 1.5" + kSmall, "--death-fraction");
  expect_named_error("grow-prune --death-measure beauty" + kSmall, "--death-measure");
  expect_named_error("grow-prune --fold glue" + kSmall, "--fold");
  expect_named_error("grow-prune --split-noise -1" + kSmall, "--split-noise");
  expect_named_error("grow-prune --data multiplication --layers 2,1", "--layers");
  expect_named_error("grow-prune --network recurrent" + kSmall, "--network");
  expect_named_error("grow-prune --mode combined --from x.net" + kSmall, "--from");
  const auto missing = temp_path("gp_missing.net");
  expect_named_error("grow-prune --from " + missing.string() + kSmall, missing.string());
}

TEST(CliThermo, MeasuresAlongTrainingAndChecksTheLaws) {
  const auto csv = temp_path("thermo.csv"), json = temp_path("thermo.json");
  const auto r = run_cli("thermo --quiet" + kSmall + " --epochs 4 --every 10 --thermo-samples 100 --out " + csv.string() + " --json " +
                         json.string());
  ASSERT_EQ(r.code, 0) << r.output;
  const std::string text = read(csv);
  EXPECT_EQ(header(text), "step,epoch,train_loss,test_loss,feedforward_loss,bulk_loss,temperature,thermodynamic_entropy,complexity,"
                          "entropy,free_energy,relaxation_steps");
  // 600 samples, 10% validation: 540 / 32 -> 17 batches a epoch, 68 steps: a point every 10 and the start.
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 1 + 1 + 6);
  EXPECT_NE(r.output.find("second law: S decreased in"), std::string::npos) << r.output;
  EXPECT_NE(read(json).find("\"first_law\""), std::string::npos);
}

TEST(CliThermo, BadInputNamesTheOption) {
  expect_named_error("thermo --every -1" + kSmall, "--every");
  expect_named_error("thermo --thermo-samples -5" + kSmall, "--thermo-samples");
  expect_named_error("thermo --data multiplication --layers 2,1", "--layers");
  expect_named_error("thermo --network septuple" + kSmall, "--network");
}

}  // namespace
