// Checkpoints: a run that crashes and is resumed, or a finished run that is extended, writes the
// same bytes as one unbroken run; a checkpoint of another system is refused, naming the file.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>

#include "core/error.hpp"
#include "molecular/classical/flexible_water.hpp"
#include "molecular/md/run_md.hpp"
#include "molecular/md/water_box.hpp"

namespace ldyn::molecular::md {
namespace {

namespace fs = std::filesystem;

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  EXPECT_TRUE(in) << "missing " << p;
  return {std::istreambuf_iterator<char>(in), {}};
}

/// The flexible water model, crashing (as a killed process would stop) on its `crash_at`-th call.
class CrashingWater final : public ForceField {
 public:
  explicit CrashingWater(long crash_at) : crash_at_(crash_at) {}
  double compute(const System& system, AtomVectors& forces) override {
    if (++calls_ == crash_at_) throw std::runtime_error("simulated crash");
    return water_.compute(system, forces);
  }
  bool conservative() const override { return true; }
  double cutoff() const override { return water_.cutoff(); }

 private:
  classical::FlexibleWater water_{{.cutoff = 4.0}};
  long crash_at_, calls_ = 0;
};

fs::path fresh_dir(const std::string& name) {
  const fs::path dir = fs::path(::testing::TempDir()) / ("ldyn_md_ckpt_" + name);
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

MdSettings settings_in(const fs::path& dir, long steps) {
  MdSettings s;
  s.ensemble = Ensemble::nvt;  // the thermostat's chain is part of the state to restore
  s.tau_fs = 20.0;
  s.steps = steps;
  s.seed = 11;
  s.log_every = 3;
  s.trajectory_every = 7;
  s.checkpoint_every = 40;
  s.log_path = dir / "log.csv";
  s.trajectory_path = dir / "traj.extxyz";
  s.checkpoint_path = dir / "run.ckpt";
  s.progress = false;
  return s;
}

System water_box() { return make_water_box({.molecules = 27, .density_g_cm3 = 1.0, .seed = 6}); }

TEST(MdCheckpoint, ResumedRunIsByteIdenticalToAnUnbrokenOne) {
  const fs::path whole = fresh_dir("whole"), broken = fresh_dir("broken");
  {
    System s = water_box();
    CrashingWater water(-1);
    run_md(s, water, settings_in(whole, 120));
  }
  {
    System s = water_box();
    CrashingWater water(100);  // call 100 is step 99: after the checkpoint at step 80
    EXPECT_THROW(run_md(s, water, settings_in(broken, 120)), std::runtime_error);
    EXPECT_TRUE(fs::exists(broken / "log.csv.part"));  // a crash leaves the .part files
    EXPECT_FALSE(fs::exists(broken / "log.csv"));
  }
  {
    System s = water_box();
    CrashingWater water(-1);
    MdSettings resume = settings_in(broken, 120);
    resume.resume_from = broken / "run.ckpt";
    const MdSummary summary = run_md(s, water, resume);
    EXPECT_EQ(summary.first_step, 80);
    EXPECT_EQ(summary.steps_done, 40);
  }
  EXPECT_EQ(slurp(whole / "log.csv"), slurp(broken / "log.csv"));
  EXPECT_EQ(slurp(whole / "traj.extxyz"), slurp(broken / "traj.extxyz"));
  EXPECT_FALSE(fs::exists(broken / "log.csv.part"));
  EXPECT_FALSE(fs::exists(broken / "traj.extxyz.part"));
}

TEST(MdCheckpoint, ExtendingAFinishedRunMatchesOneLongRun) {
  const fs::path whole = fresh_dir("whole2"), extended = fresh_dir("extended");
  CrashingWater water(-1);
  System a = water_box();
  run_md(a, water, settings_in(whole, 100));
  System b = water_box();
  MdSettings first = settings_in(extended, 50);  // ends between checkpoints: a final one at 50
  run_md(b, water, first);
  MdSettings more = settings_in(extended, 100);
  more.resume_from = extended / "run.ckpt";
  run_md(b, water, more);
  EXPECT_EQ(slurp(whole / "log.csv"), slurp(extended / "log.csv"));
  EXPECT_EQ(slurp(whole / "traj.extxyz"), slurp(extended / "traj.extxyz"));
  EXPECT_EQ(a.positions, b.positions);
}

void expect_refused(System system, const MdSettings& settings, const std::string& why) {
  CrashingWater water(-1);
  try {
    run_md(system, water, settings);
    FAIL() << "expected a FileError";
  } catch (const FileError& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find(settings.resume_from.string()), std::string::npos) << message;
    EXPECT_NE(message.find(why), std::string::npos) << message;
  }
}

TEST(MdCheckpoint, RefusesACheckpointOfAnotherSystem) {
  const fs::path dir = fresh_dir("other");
  System s = water_box();
  CrashingWater water(-1);
  run_md(s, water, settings_in(dir, 10));
  MdSettings resume = settings_in(dir, 20);
  resume.resume_from = dir / "run.ckpt";

  expect_refused(make_water_box({.molecules = 30, .density_g_cm3 = 1.0}), resume, "81 atoms there, 90 here");
  System relabelled = water_box();
  relabelled.type[4] = 0;
  expect_refused(relabelled, resume, "atom 4 is H there, O here");
  MdSettings other_dt = resume;
  other_dt.dt_fs = 1.0;
  expect_refused(water_box(), other_dt, "time step");
  MdSettings garbage = resume;
  garbage.resume_from = dir / "log.csv";
  expect_refused(water_box(), garbage, "not an ldyn");
}

}  // namespace
}  // namespace ldyn::molecular::md
