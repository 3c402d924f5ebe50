// `ldyn particles train | run | render` as a user meets them: the promised outputs, exact resume,
// the Galilean test through the command line, and one-line errors for impossible parameters and
// corrupt policy files.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "cli_runner.hpp"
#include "core/compressed_file.hpp"

namespace {

using ldyn::testing::run_cli;
using ldyn::testing::temp_path;

std::string read(const std::filesystem::path& p) { return ldyn::read_text_file(p); }

const std::string kTiny = " --particles 16 --episode-steps 20 --es-pairs 2 --quiet";

std::filesystem::path trained(const std::string& kind) {
  const auto policy = temp_path("particles_" + kind + ".txt");
  const auto r = run_cli("particles train --policy " + kind + kTiny + " --iterations 3 --out " + temp_path("particles_" + kind + ".csv").string() +
                         " --save " + policy.string());
  EXPECT_EQ(r.code, 0) << r.output;
  return policy;
}

// The per-seed "trajectory_digest" values of a `particles run --json` file, in order. (A plain
// search: GCC 12 warns falsely inside <regex> in the sanitizer build.)
std::vector<std::string> digests(const std::string& json) {
  std::vector<std::string> out;
  const std::string key = "\"trajectory_digest\": \"";
  for (std::size_t at = json.find(key); at != std::string::npos; at = json.find(key, at + 1)) {
    const std::size_t begin = at + key.size();
    out.push_back(json.substr(begin, json.find('"', begin) - begin));
  }
  return out;
}

TEST(CliParticles, TrainWritesTheCurveThePolicyAndPlots) {
  const auto csv = temp_path("particles_train.csv"), policy = temp_path("particles_train.txt");
  const auto r = run_cli("particles train --policy invariant --learner pg --pg-episodes 1" + kTiny + " --iterations 3 --out " + csv.string() +
                         " --save " + policy.string());
  ASSERT_EQ(r.code, 0) << r.output;
  const std::string text = read(csv);
  EXPECT_EQ(text.substr(0, text.find('\n')),
            "iteration,particle_steps,train_return,eval_return,collisions_per_particle_per_1000_steps,"
            "edge_hits_per_particle_per_1000_steps,mean_speed_fraction,grad_norm,seconds");
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 4);
  EXPECT_EQ(read(policy).rfind("ldyn-particle-policy 1\n", 0), 0u);
}

TEST(CliParticles, RunReportsTheGoalsQuantitiesAndTheGalileanTest) {
  const auto invariant = trained("invariant"), raw = trained("raw");
  auto evaluate = [](const std::filesystem::path& policy, const std::string& boost, const std::string& name) {
    const auto json = temp_path(name);
    const auto r = run_cli("particles run --particles 16 --policy " + policy.string() + " --steps 200 --seeds 2 --json " + json.string() + boost);
    EXPECT_EQ(r.code, 0) << r.output;
    return read(json);
  };
  const std::string a = evaluate(invariant, "", "inv0.json"), b = evaluate(invariant, " --boost 2.5,-1", "inv1.json");
  EXPECT_NE(a.find("\"collisions_per_particle_per_1000_steps\": "), std::string::npos) << a;
  EXPECT_NE(a.find("\"mean_speed_fraction\": "), std::string::npos) << a;
  ASSERT_EQ(digests(a).size(), 2u) << a;
  EXPECT_EQ(digests(a), digests(b)) << "the invariant policy must drive identically in a boosted frame";
  const std::string c = evaluate(raw, "", "raw0.json"), d = evaluate(raw, " --boost 2.5,-1", "raw1.json");
  EXPECT_NE(digests(c), digests(d)) << "the raw policy sees world-frame velocities";
  for (const char* scripted : {"random", "cruise"}) {
    const std::string e = evaluate(scripted, "", "s0.json"), f = evaluate(scripted, " --boost 0.5,0.5", "s1.json");
    EXPECT_EQ(digests(e), digests(f)) << scripted;
  }
}

TEST(CliParticles, TrainingResumesExactly) {
  const auto straight = temp_path("pr_straight.csv"), resumed = temp_path("pr_resumed.csv");
  const auto ps = temp_path("pr_straight.txt"), pr = temp_path("pr_resumed.txt"), ckpt = temp_path("pr.ckpt");
  ASSERT_EQ(run_cli("particles train" + kTiny + " --iterations 4 --out " + straight.string() + " --save " + ps.string()).code, 0);
  ASSERT_EQ(run_cli("particles train" + kTiny + " --iterations 2 --checkpoint " + ckpt.string() + " --out " + resumed.string() + " --save " + pr.string()).code, 0);
  const auto r = run_cli("particles train" + kTiny + " --iterations 4 --resume " + ckpt.string() + " --out " + resumed.string() + " --save " + pr.string());
  ASSERT_EQ(r.code, 0) << r.output;
  EXPECT_EQ(read(ps), read(pr));
  auto without_seconds = [](const std::string& csv) {
    std::string out;
    std::istringstream in(csv);
    for (std::string line; std::getline(in, line);) out += line.substr(0, line.rfind(',')) + "\n";
    return out;
  };
  EXPECT_EQ(without_seconds(read(straight)), without_seconds(read(resumed)));
}

TEST(CliParticles, RenderWritesFrames) {
  const auto dir = temp_path("particles_frames");
  std::filesystem::remove_all(dir);
  const auto r = run_cli("particles render --particles 16 --policy cruise --steps 10 --every 5 --width 64 --quiet --out " + dir.string() + "/");
  ASSERT_EQ(r.code, 0) << r.output;
  EXPECT_TRUE(std::filesystem::exists(dir / "frame_00002.png")) << r.output;
}

void expect_named_error(const std::string& args, const std::string& what) {
  const auto r = run_cli(args);
  EXPECT_EQ(r.code, 2) << args << " -> " << r.output;
  EXPECT_EQ(r.output.rfind("ldyn: error: ", 0), 0u) << args << " -> " << r.output;
  EXPECT_NE(r.output.find(what), std::string::npos) << args << " -> " << r.output;
  EXPECT_EQ(std::count(r.output.begin(), r.output.end(), '\n'), 1) << args << " -> " << r.output;
}

TEST(CliParticles, ImpossibleParametersAreRefusedByName) {
  for (const char* job : {"particles run --policy random --steps 10", "particles train --quiet --iterations 1"}) {
    const std::string j = job;
    expect_named_error(j + " --particles 0", "--particles");
    expect_named_error(j + " --particles -4", "--particles");
    expect_named_error(j + " --radius 0", "--radius");
    expect_named_error(j + " --radius -1", "--radius");
    expect_named_error(j + " --packing-fraction 0.9", "--packing-fraction");
    expect_named_error(j + " --particles 410 --packing-fraction 0.78", "do not fit");
    expect_named_error(j + " --cruise-speed -1", "--cruise-speed");
    expect_named_error(j + " --max-speed -2", "--max-speed");
    expect_named_error(j + " --scenario lane --lane-width 1", "--lane-width");
    expect_named_error(j + " --scenario ring", "--scenario");
  }
  expect_named_error("particles train --quiet --policy sideways", "--policy");
  expect_named_error("particles train --quiet --learner dqn", "--learner");
  expect_named_error("particles run --policy random --steps 0", "--steps");
}

TEST(CliParticles, CorruptPolicyFilesAreRefusedWithTheirName) {
  const auto missing = temp_path("no_such_policy.txt");
  std::filesystem::remove(missing);
  expect_named_error("particles run --steps 10 --policy " + missing.string(), missing.string());
  const auto good = trained("invariant");
  std::string text = read(good);
  const auto bad = temp_path("corrupt_policy.txt");
  std::ofstream(bad) << text.substr(0, text.size() / 2);
  expect_named_error("particles run --steps 10 --policy " + bad.string(), bad.string() + ":");
  std::string nan_text = text;
  nan_text.replace(nan_text.rfind('\n', nan_text.size() - 2) + 1, std::string::npos, "nan\n");
  std::ofstream(bad) << nan_text;
  expect_named_error("particles run --steps 10 --policy " + bad.string(), "finite");
}

}  // namespace
