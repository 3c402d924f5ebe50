// `ldyn criticality` as a user meets it: a short sweep writes the CSV, JSON and PNG it promises,
// reproducibly, from flags or a config file; bad input gets one line naming the option and exit 2.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "cli_runner.hpp"
#include "core/plot.hpp"

namespace {

using ldyn::testing::run_cli;
using ldyn::testing::temp_path;

// A sweep that takes well under a second: 900 training samples, 33 variables, 100 steps.
const std::string kQuick = "criticality --quiet --train-samples 1000 --test-samples 100 --layers 2,8,1 "
                           "--max-epochs 15 --patience 2 --plateau-tolerance 1e-2 --window 100 --bootstrap 5 ";

std::string read(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

// Every check below fails before any training (the options are validated first), so the
// defaults of the other options cost nothing.
void expect_named_error(const std::string& args, const std::string& option) {
  const auto r = run_cli("criticality --quiet --train-samples 1000 --test-samples 100 " + args);
  EXPECT_EQ(r.code, 2) << args << " -> " << r.output;
  EXPECT_EQ(std::count(r.output.begin(), r.output.end(), '\n'), 1) << args << " -> " << r.output;
  EXPECT_EQ(r.output.rfind("ldyn: error: ", 0), 0u) << args << " -> " << r.output;
  EXPECT_NE(r.output.find(option), std::string::npos) << args << " -> " << r.output;
}

TEST(CliCriticality, WritesCsvJsonAndPlotWithOneRowPerPair) {
  const auto csv = temp_path("crit.csv"), json = temp_path("crit.json"), png = temp_path("crit.png");
  for (const auto& p : {csv, json, png}) std::filesystem::remove(p);
  const auto r = run_cli(kQuick + "--activations tanh,relu,linear --out " + csv.string() + " --json " + json.string() +
                         " --plot " + png.string());
  ASSERT_EQ(r.code, 0) << r.output;
  const auto rows = lines(read(csv));
  ASSERT_EQ(rows.size(), 4u) << read(csv);
  EXPECT_EQ(rows[0],
            "activation,loss,epochs,plateau_reached,final_train_loss,n_samples,n_zero,n_tail,alpha,alpha_stderr,xmin,"
            "decades,ks_distance,gof_p,plausible,lognormal_R,lognormal_p,lognormal_favours,exponential_R,exponential_p,"
            "exponential_favours,failure");
  const std::vector<std::string> names{"tanh", "relu", "linear"};
  for (std::size_t i = 0; i < names.size(); ++i) {
    EXPECT_EQ(rows[i + 1].rfind(names[i] + ",mse,", 0), 0u) << rows[i + 1];
    EXPECT_EQ(std::count(rows[i + 1].begin(), rows[i + 1].end(), ','), 21) << rows[i + 1];
    EXPECT_NE(rows[i + 1].find(",3300,"), std::string::npos) << rows[i + 1];  // 33 variables x 100 increments
    EXPECT_EQ(rows[i + 1].back(), ',') << "failure column not empty: " << rows[i + 1];
    EXPECT_NE(r.output.find(names[i] + "/mse"), std::string::npos) << r.output;  // the table
  }
  const std::string j = read(json);
  EXPECT_NE(j.find("\"pairs\": ["), std::string::npos) << j;
  for (const char* key : {"\"alpha\": ", "\"xmin\": ", "\"decades\": ", "\"gof_p\": ", "\"vs_lognormal\": {\"R\": ",
                          "\"vs_exponential\": {\"R\": ", "\"failure\": null"}) {
    std::size_t count = 0;
    for (std::size_t at = j.find(key); at != std::string::npos; at = j.find(key, at + 1)) ++count;
    EXPECT_EQ(count, 3u) << key << " in " << j;
  }
  EXPECT_NE(j.find("\"kind\": \"increment\", \"window\": 100, \"lag\": 1"), std::string::npos) << j;
  if (ldyn::gnuplot_available()) {
    EXPECT_TRUE(std::filesystem::exists(png)) << r.output;
    EXPECT_GT(std::filesystem::file_size(png), 1000u);
  }
}

TEST(CliCriticality, SameSeedSameTableAndConfigFileGivesTheSame) {
  const auto a = temp_path("crit-a.csv"), b = temp_path("crit-b.csv"), c = temp_path("crit-c.csv"),
             d = temp_path("crit-d.csv"), cfg = temp_path("crit.toml");
  const std::string args = "--activations sigmoid --fluctuation deviation --lag 5 --seed 3 --out ";
  ASSERT_EQ(run_cli(kQuick + args + a.string()).code, 0);
  ASSERT_EQ(run_cli(kQuick + args + b.string()).code, 0);
  ASSERT_EQ(run_cli(kQuick + "--activations sigmoid --fluctuation deviation --lag 5 --seed 4 --out " + d.string()).code, 0);
  {
    std::ofstream f(cfg);
    f << "[criticality]\nquiet = true\ntrain-samples = 1000\ntest-samples = 100\nlayers = \"2,8,1\"\nmax-epochs = 15\n"
         "patience = 2\nplateau-tolerance = 1e-2\nwindow = 100\nbootstrap = 5\nactivations = [\"sigmoid\"]\n"
         "fluctuation = \"deviation\"\nlag = 5\nseed = 3\nout = \""
      << c.string() << "\"\n";
  }
  const auto from_config = run_cli("criticality --config " + cfg.string());
  ASSERT_EQ(from_config.code, 0) << from_config.output;
  const std::string text = read(a);
  ASSERT_EQ(lines(text).size(), 2u) << text;
  EXPECT_NE(text.find(",693,"), std::string::npos) << text;  // 33 variables x (100 / 5 + 1) deviations
  EXPECT_EQ(read(b), text);
  EXPECT_EQ(read(c), text);
  EXPECT_NE(read(d), text);
}

TEST(CliCriticality, ExampleConfigIsAccepted) {
  // The example's every key, shortened from the command line (which wins over the file).
  const auto csv = temp_path("crit-example.csv"), json = temp_path("crit-example.json"),
             png = temp_path("crit-example.png");
  const auto r = run_cli("criticality --config " + std::string(LDYN_SOURCE_DIR) +
                         "/examples/criticality.toml --quiet --train-samples 500 --max-epochs 2 --window 20 "
                         "--bootstrap 0 --out " + csv.string() + " --json " + json.string() + " --plot " + png.string());
  ASSERT_EQ(r.code, 0) << r.output;
  EXPECT_NE(r.output.find("optimizer sgd (lr 0.1), batch 128"), std::string::npos) << r.output;
  EXPECT_EQ(lines(read(csv)).size(), 6u) << read(csv);  // header and the five activations
}

TEST(CliCriticality, BadInputNamesTheOption) {
  expect_named_error("--activations tanh,swish", "--activations");
  expect_named_error("--losses mse,hinge", "--losses");
  expect_named_error("--losses cross-entropy", "--losses");  // multiplication is regression
  expect_named_error("--window 0", "--window");
  expect_named_error("--window 50 --lag 50", "--lag");
  expect_named_error("--lag 0", "--lag");
  expect_named_error("--fluctuation jumps", "--fluctuation");
  expect_named_error("--max-samples 10", "--max-samples");
  expect_named_error("--max-epochs 0", "--max-epochs");
  expect_named_error("--patience 0", "--patience");
  expect_named_error("--plateau-tolerance -1", "--plateau-tolerance");
  expect_named_error("--bootstrap -1", "--bootstrap");
  expect_named_error("--min-tail 1", "--min-tail");
  expect_named_error("--layers 3,8,1", "--layers");
  expect_named_error("--optimizer nope", "--optimizer");
  expect_named_error("--lr -1", "--lr");
  expect_named_error("--batch 0", "--batch");
  expect_named_error("--data nope", "--data");
  expect_named_error("--output-activation swish", "--output-activation");
}

TEST(CliCriticality, ClassificationSweepsBothLosses) {
  if (!std::filesystem::exists("/usr/share/datasets/fashion-mnist")) GTEST_SKIP() << "Fashion-MNIST not installed";
  const auto csv = temp_path("crit-fashion.csv");
  const auto r = run_cli("criticality --quiet --data fashion-mnist --train-samples 600 --test-samples 100 "
                         "--layers 784,4,10 --activations relu --max-epochs 3 --window 30 --max-samples 20000 "
                         "--bootstrap 0 --out " + csv.string());
  ASSERT_EQ(r.code, 0) << r.output;
  const auto rows = lines(read(csv));
  ASSERT_EQ(rows.size(), 3u) << read(csv);
  EXPECT_EQ(rows[1].rfind("relu,mse,", 0), 0u) << rows[1];
  EXPECT_EQ(rows[2].rfind("relu,cross-entropy,", 0), 0u) << rows[2];
  // 3190 variables x 30 increments exceed the cap: 666 variables x 30 = 19980 samples.
  EXPECT_NE(rows[2].find(",19980,"), std::string::npos) << rows[2];
}

}  // namespace
