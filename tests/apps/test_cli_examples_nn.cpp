// The network examples in examples/ stay runnable: each config is read by the command it names and
// runs (shortened by command-line overrides, which take precedence over the file), writing to a
// scratch folder. The Fashion-MNIST ones need Debian's dataset-fashion-mnist and skip without it.
#include <filesystem>
#include <string>

#include <gtest/gtest.h>

#include "cli_runner.hpp"

namespace {

using ldyn::testing::run_cli;
using ldyn::testing::temp_path;

std::string example(const std::string& name) { return std::string(LDYN_SOURCE_DIR) + "/examples/" + name; }

std::string scratch_outputs(const std::string& tag, bool save = false) {
  std::string s = " --out " + temp_path(tag + ".csv").string() + " --plot " + temp_path(tag + ".png").string() + " --json " +
                  temp_path(tag + ".json").string();
  if (save) s += " --save " + temp_path(tag + ".net").string() + " --checkpoint " + temp_path(tag + ".ck").string();
  return s;
}

bool fashion_mnist_installed() { return std::filesystem::exists("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz"); }

TEST(CliExamplesNn, MultiplicationConfigsRun) {
  auto r = run_cli("train --quiet --config " + example("train-compare-multiplication.toml") + " --epochs 2" + scratch_outputs("ex_compare"));
  EXPECT_EQ(r.code, 0) << r.output;
  EXPECT_NE(r.output.find("cgd-block"), std::string::npos) << r.output;
  r = run_cli("thermo --quiet --config " + example("thermo-multiplication.toml") + " --epochs 3" + scratch_outputs("ex_thermo"));
  EXPECT_EQ(r.code, 0) << r.output;
  EXPECT_NE(r.output.find("second law"), std::string::npos) << r.output;
}

TEST(CliExamplesNn, FashionMnistConfigsRun) {
  if (!fashion_mnist_installed()) GTEST_SKIP() << "Debian's dataset-fashion-mnist is not installed";
  const std::string small = " --train-samples 300 --test-samples 100 --epochs 1";
  auto r = run_cli("train --quiet --config " + example("train-fashion-mnist.toml") + small + scratch_outputs("ex_train", true));
  EXPECT_EQ(r.code, 0) << r.output;
  r = run_cli("grow-prune --quiet --config " + example("grow-prune-death.toml") + small + " --min-neurons 200" +
              scratch_outputs("ex_death"));
  EXPECT_EQ(r.code, 0) << r.output;
  r = run_cli("grow-prune --quiet --config " + example("grow-prune-replication.toml") + small + " --stage-epochs 1" +
              scratch_outputs("ex_replication"));
  EXPECT_EQ(r.code, 0) << r.output;
}

}  // namespace
