// `ldyn train` as a user meets it: the columns it promises, exact resume from a checkpoint, and a
// one-line error naming the file or option (non-zero exit) for every kind of bad input the issue
// lists: missing, truncated, mislabeled IDX files, a wrong magic number, layers that do not match
// the data, a loss that becomes NaN.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "cli_network_data.hpp"
#include "cli_runner.hpp"

namespace {

using ldyn::testing::run_cli;
using ldyn::testing::temp_path;
namespace fs = std::filesystem;

std::string read(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Exit status 2 and one error line naming `what`, the last line printed; when the input is checked
// before the run starts (`before_run`), the only line.
void expect_named_error(const std::string& args, const std::string& what, bool before_run = true) {
  const auto r = run_cli("train --quiet " + args);
  EXPECT_EQ(r.code, 2) << args << " -> " << r.output;
  const auto at = r.output.rfind("ldyn: error: ");
  ASSERT_NE(at, std::string::npos) << r.output;
  const std::string line = r.output.substr(at);
  EXPECT_NE(line.find(what), std::string::npos) << args << " -> " << r.output;
  EXPECT_EQ(std::count(line.begin(), line.end(), '\n'), 1) << args << " -> " << r.output;
  if (before_run) {
    EXPECT_EQ(at, 0u) << args << " -> " << r.output;
  }
}

// The CSV without its last column (seconds: wall time differs between runs).
std::string without_seconds(const std::string& csv) {
  std::stringstream in(csv), out;
  std::string line;
  while (std::getline(in, line)) out << line.substr(0, line.rfind(',')) << '\n';
  return out.str();
}

TEST(CliTrain, WritesOneRowPerEpochWithTheIssueColumns) {
  const auto dir = ldyn::testing::tiny_fashion_mnist("cli_train_columns");
  const auto csv = temp_path("train_columns.csv");
  const auto r = run_cli("train --quiet --data fashion-mnist --data-dir " + dir.string() +
                         " --layers 16,8,10 --epochs 3 --batch 8 --lr 0.01 --out " + csv.string());
  ASSERT_EQ(r.code, 0) << r.output;
  const std::string text = read(csv);
  EXPECT_EQ(text.substr(0, text.find('\n')), "epoch,steps,train_loss,validation_loss,validation_accuracy,test_loss,test_accuracy,seconds");
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 4);
  EXPECT_NE(r.output.find("36 train, 4 validation, 20 test"), std::string::npos) << r.output;
}

TEST(CliTrain, ResumedRunEqualsTheUninterruptedOne) {
  const std::string common = "train --quiet --data multiplication --layers 2,16,1 --activation tanh --batch 64 --lr 0.01";
  const auto whole = temp_path("resume_whole.csv"), part = temp_path("resume_part.csv"), ck = temp_path("resume.ck");
  ASSERT_EQ(run_cli(common + " --epochs 4 --out " + whole.string()).code, 0);
  const auto first = run_cli(common + " --epochs 2 --checkpoint " + ck.string());
  ASSERT_EQ(first.code, 0) << first.output;
  const auto second = run_cli(common + " --epochs 4 --resume " + ck.string() + " --out " + part.string());
  ASSERT_EQ(second.code, 0) << second.output;
  EXPECT_NE(second.output.find("resumed"), std::string::npos) << second.output;
  EXPECT_EQ(without_seconds(read(part)), without_seconds(read(whole)));
}

TEST(CliTrain, MissingIdxFileNamesIt) {
  const auto dir = ldyn::testing::tiny_fashion_mnist("cli_train_missing");
  fs::remove(dir / "train-labels-idx1-ubyte.gz");
  expect_named_error("--data fashion-mnist --data-dir " + dir.string() + " --layers 16,8,10",
                     (dir / "train-labels-idx1-ubyte").string());
}

TEST(CliTrain, TruncatedIdxFileNamesIt) {
  const auto dir = ldyn::testing::tiny_fashion_mnist("cli_train_truncated");
  const auto file = dir / "t10k-images-idx3-ubyte.gz";
  ldyn::nn::test::Bytes images(20 * 16 - 5, 7);  // 5 bytes short of 20 images
  fs::remove(file);
  ldyn::nn::test::write_gz(file, ldyn::nn::test::idx_bytes({20, 4, 4}, images));
  expect_named_error("--data fashion-mnist --data-dir " + dir.string() + " --layers 16,8,10", file.string());
}

TEST(CliTrain, MislabeledIdxFileNamesIt) {
  const auto dir = ldyn::testing::tiny_fashion_mnist("cli_train_mislabeled");
  const auto file = dir / "train-labels-idx1-ubyte.gz";
  ldyn::nn::test::Bytes labels(40, 3);
  labels[17] = 12;  // there are 10 classes
  fs::remove(file);
  ldyn::nn::test::write_gz(file, ldyn::nn::test::idx_bytes({40}, labels));
  expect_named_error("--data fashion-mnist --data-dir " + dir.string() + " --layers 16,8,10", file.string());
}

TEST(CliTrain, WrongMagicNumberNamesTheFile) {
  const auto dir = ldyn::testing::tiny_fashion_mnist("cli_train_magic");
  const auto file = dir / "train-images-idx3-ubyte.gz";
  auto bytes = ldyn::nn::test::idx_bytes({40, 4, 4}, ldyn::nn::test::Bytes(40 * 16, 9));
  bytes[0] = 0x13;
  fs::remove(file);
  ldyn::nn::test::write_gz(file, bytes);
  expect_named_error("--data fashion-mnist --data-dir " + dir.string() + " --layers 16,8,10", file.string());
}

TEST(CliTrain, LayersThatDoNotMatchTheDataNameTheOption) {
  const auto dir = ldyn::testing::tiny_fashion_mnist("cli_train_layers");
  expect_named_error("--data fashion-mnist --data-dir " + dir.string() + " --layers 784,100,10", "--layers");
  expect_named_error("--data fashion-mnist --data-dir " + dir.string() + " --layers 16,8,3", "--layers");
  expect_named_error("--data multiplication --layers 2,x,1", "--layers");
}

TEST(CliTrain, NaNLossIsANamedErrorNotASilentNaN) {
  expect_named_error("--data multiplication --layers 2,16,1 --optimizer sgd --lr 1e30 --epochs 3", "--lr", false);
  expect_named_error("--data multiplication --layers 2,16,1 --optimizer sgd --lr 1e30 --epochs 3", "NaN", false);
}

TEST(CliTrain, ImpossibleTrainingOptionsNameTheOption) {
  expect_named_error("--data multiplication --epochs -1", "--epochs");
  expect_named_error("--data multiplication --batch 0", "--batch");
  expect_named_error("--data multiplication --activation swish", "--activation");
  expect_named_error("--data nope", "--data");
  expect_named_error("--data multiplication --validation 1.5", "--validation");
}

}  // namespace
