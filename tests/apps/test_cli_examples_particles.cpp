// The particle examples in examples/ stay runnable: each config is read by the command it names and
// runs, shortened by command-line overrides (which take precedence over the file).
#include <string>

#include <gtest/gtest.h>

#include "cli_runner.hpp"

namespace {

using ldyn::testing::run_cli;
using ldyn::testing::temp_path;

std::string example(const std::string& name) { return std::string(LDYN_SOURCE_DIR) + "/examples/" + name; }

TEST(CliExamplesParticles, ConfigsRun) {
  const std::string policy = temp_path("ex_particles_policy.txt").string();
  auto r = run_cli("particles train --quiet --config " + example("particles-train.toml") +
                   " --iterations 2 --episode-steps 20 --es-pairs 2 --out " + temp_path("ex_particles.csv").string() + " --save " + policy +
                   " --checkpoint " + temp_path("ex_particles.ckpt").string());
  EXPECT_EQ(r.code, 0) << r.output;
  // The configs name the shipped policy relative to the source folder; tests run elsewhere.
  const std::string shipped = " --policy " + std::string(LDYN_SOURCE_DIR) + "/data/particles/invariant-policy.txt";
  r = run_cli("particles run --config " + example("particles-run.toml") + shipped + " --steps 50 --seeds 2 --json " +
              temp_path("ex_particles_eval.json").string());
  EXPECT_EQ(r.code, 0) << r.output;
  r = run_cli("particles render --quiet --config " + example("particles-render.toml") + shipped + " --steps 8 --every 4 --width 64 --out " +
              temp_path("ex_particles_frames").string() + "/");
  EXPECT_EQ(r.code, 0) << r.output;
}

}  // namespace
