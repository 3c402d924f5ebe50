// The fluctuation recorder: with plain SGD and a fixed gradient every variable moves by exactly
// -lr g_i per step, so the increments, deviations and displacements are known in closed form.
// Also: the bounded subset of variables, the callbacks, and the errors.
#include <algorithm>
#include <cmath>
#include <set>
#include <stdexcept>
#include <vector>

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "criticality_test_model.hpp"
#include "nn/criticality/fluctuations.hpp"

namespace ldyn::nn {
namespace {

using testing::FixedGradientModel;

// Gradients with one zero (a variable that never moves) and both signs; lr 0.5 keeps q exact.
const std::vector<float> kGradient{0.25f, -1.0f, 2.0f, 0.0f};
constexpr double kLr = 0.5;

struct WindowRun {
  FluctuationSamples samples;
  long steps = 0, epochs = 0;
};

WindowRun run_window(FluctuationOptions o, long batches_per_epoch = 2, long warmup_epochs = 1) {
  const DataSplit d = testing::tiny_regression(4 * batches_per_epoch);
  FixedGradientModel m({1.0f, -2.0f, 0.5f, 3.0f}, kGradient);
  TrainSettings s;
  s.batch = 4;
  Trainer<float> t(m, testing::exact_sgd(kLr), s);
  for (long e = 0; e < warmup_epochs; ++e) t.train_epoch(d);  // the window starts mid-run
  WindowRun r;
  r.samples = record_fluctuations(t, m, d, o);
  r.steps = t.steps();
  r.epochs = t.epoch();
  return r;
}

TEST(CriticalityFluctuations, IncrementsOfSgdWithAFixedGradient) {
  // W = 10, tau = 3: snapshots at steps 0, 3, 6, 9 of the window, K = 3 increments per variable,
  // each |lr g_i tau|.
  const WindowRun r = run_window({.kind = FluctuationKind::increment, .window = 10, .lag = 3});
  const FluctuationSamples& s = r.samples;
  EXPECT_EQ(s.kind, FluctuationKind::increment);
  EXPECT_EQ(s.per_variable, 3);
  EXPECT_EQ(s.variables, 4u);
  EXPECT_EQ(s.recorded, (std::vector<std::size_t>{0, 1, 2, 3}));
  ASSERT_EQ(s.values.size(), 12u);
  for (std::size_t k = 0; k < 3; ++k)
    for (std::size_t j = 0; j < 4; ++j)
      EXPECT_DOUBLE_EQ(s.values[k * 4 + j], kLr * std::abs(kGradient[j]) * 3) << k << " " << j;
  EXPECT_EQ(s.zeros, 3);  // the variable with g = 0
  // Two steps per epoch: 2 warm-up steps, then 10 window steps are whole epochs.
  EXPECT_EQ(r.steps, 2 + 10);
  EXPECT_EQ(r.epochs, 6);
}

TEST(CriticalityFluctuations, WindowEndingMidEpochFinishesTheEpoch) {
  // W = 9, tau = 3: the same snapshots at 0, 3, 6, 9; the tenth step of the fifth epoch is trained
  // but not recorded.
  const WindowRun r = run_window({.kind = FluctuationKind::increment, .window = 9, .lag = 3});
  EXPECT_EQ(r.samples.values.size(), 12u);
  EXPECT_EQ(r.steps, 2 + 10);
  EXPECT_DOUBLE_EQ(r.samples.values[4 + 2], kLr * 2.0 * 3);
}

TEST(CriticalityFluctuations, DeviationsFromTheWindowMean) {
  // W = 8, tau = 2: snapshots at t = 0, 2, 4, 6, 8 (K + 1 = 5); the mean time is 4, so the
  // deviation of variable j at snapshot k is |lr g_j (2k - 4)|.
  const WindowRun r = run_window({.kind = FluctuationKind::deviation, .window = 8, .lag = 2});
  const FluctuationSamples& s = r.samples;
  EXPECT_EQ(s.per_variable, 5);
  ASSERT_EQ(s.values.size(), 20u);
  for (std::size_t k = 0; k < 5; ++k)
    for (std::size_t j = 0; j < 4; ++j)
      EXPECT_NEAR(s.values[k * 4 + j], kLr * std::abs(kGradient[j]) * std::abs(2.0 * static_cast<double>(k) - 4), 1e-12)
          << k << " " << j;
  EXPECT_EQ(s.zeros, 5 + 3);  // g = 0 always, and every variable at the middle snapshot
}

TEST(CriticalityFluctuations, DisplacementOverTheWindow) {
  const WindowRun r = run_window({.kind = FluctuationKind::displacement, .window = 7, .lag = 1});
  const FluctuationSamples& s = r.samples;
  EXPECT_EQ(s.per_variable, 1);
  EXPECT_EQ(s.lag, 7);  // reported as the whole window
  ASSERT_EQ(s.values.size(), 4u);
  for (std::size_t j = 0; j < 4; ++j) EXPECT_DOUBLE_EQ(s.values[j], kLr * std::abs(kGradient[j]) * 7);
  EXPECT_EQ(r.steps, 2 + 8);
}

TEST(CriticalityFluctuations, CallerCallbackStillRunsAndIsRestored) {
  const DataSplit d = testing::tiny_regression(8);
  FixedGradientModel m({0, 0, 0, 0}, kGradient);
  TrainSettings s;
  s.batch = 4;
  long calls = 0;
  s.on_batch = [&](long, long, double) { ++calls; };
  Trainer<float> t(m, testing::exact_sgd(kLr), s);
  record_fluctuations(t, m, d, {.window = 4, .lag = 1});
  EXPECT_EQ(calls, 4);
  ASSERT_TRUE(static_cast<bool>(t.settings().on_batch));
  t.train_epoch(d);
  EXPECT_EQ(calls, 6);  // the caller's own callback again (the recorder's would refer to a dead recorder)
}

TEST(CriticalityFluctuations, LargeNetworksRecordASeededSubsetOfVariables) {
  // 1000 variables x 10 increments, capped at 2500 samples: 250 variables, all their increments.
  const std::size_t n = 1000;
  std::vector<float> g(n), q0(n, 0.0f);
  for (std::size_t i = 0; i < n; ++i) g[i] = static_cast<float>(i % 7) - 3.0f;
  auto run = [&](std::uint64_t seed) {
    const DataSplit d = testing::tiny_regression(8);
    FixedGradientModel m(q0, g);
    TrainSettings s;
    s.batch = 4;
    Trainer<float> t(m, testing::exact_sgd(kLr), s);
    return record_fluctuations(t, m, d, {.window = 10, .lag = 1, .max_samples = 2500, .seed = seed});
  };
  const FluctuationSamples a = run(1);
  ASSERT_EQ(a.recorded.size(), 250u);
  ASSERT_EQ(a.values.size(), 2500u);
  EXPECT_TRUE(std::is_sorted(a.recorded.begin(), a.recorded.end()));
  EXPECT_EQ(std::set<std::size_t>(a.recorded.begin(), a.recorded.end()).size(), 250u);
  EXPECT_LT(a.recorded.back(), n);
  // Each sample belongs to its variable: |lr g_j|.
  for (std::size_t k = 0; k < 10; ++k)
    for (std::size_t j = 0; j < 250; ++j)
      ASSERT_DOUBLE_EQ(a.values[k * 250 + j], kLr * std::abs(g[a.recorded[j]]));
  // Spread over the whole network, reproducible, and another seed picks others.
  EXPECT_LT(a.recorded.front(), 50u);
  EXPECT_GT(a.recorded.back(), 950u);
  EXPECT_EQ(run(1).recorded, a.recorded);
  EXPECT_NE(run(2).recorded, a.recorded);
  // Under the cap: everything.
  FluctuationRecorder all(n, {.window = 10, .lag = 1, .max_samples = 10000});
  EXPECT_EQ(all.recorded().size(), n);
}

TEST(CriticalityFluctuations, RecorderChecksItsInput) {
  FluctuationRecorder r(3, {.window = 4, .lag = 2});
  EXPECT_EQ(r.stride(), 2);
  EXPECT_EQ(r.snapshots(), 3);
  const std::vector<float> q{1, 2, 3}, wrong{1, 2};
  EXPECT_THROW(r.samples(), std::logic_error);
  r.observe<float>(0, q);
  r.observe<float>(1, q);  // not a snapshot time: ignored
  EXPECT_THROW(r.observe<float>(4, q), std::invalid_argument);  // step 2 skipped
  EXPECT_THROW(r.observe<float>(2, wrong), std::invalid_argument);
  r.observe<float>(2, q);
  const std::vector<float> bad{1, std::nanf(""), 3};
  r.observe<float>(4, bad);
  EXPECT_TRUE(r.complete());
  EXPECT_THROW(r.samples(), NonFiniteError);
}

TEST(CriticalityFluctuations, ImpossibleOptionsNameTheOption) {
  auto option_of = [](FluctuationOptions o) { return testing::refused_option([&] { validate(o); }); };
  EXPECT_EQ(option_of({.window = 0}), "--window");
  EXPECT_EQ(option_of({.window = 10, .lag = 0}), "--lag");
  EXPECT_EQ(option_of({.window = 10, .lag = 10}), "--lag");
  EXPECT_EQ(option_of({.kind = FluctuationKind::deviation, .window = 10, .lag = 12}), "--lag");
  EXPECT_EQ(option_of({.kind = FluctuationKind::displacement, .window = 10, .lag = 10}), "none");
  EXPECT_EQ(option_of({.window = 100, .lag = 1, .max_samples = 99}), "--max-samples");
  EXPECT_EQ(option_of({.window = 100, .lag = 1, .max_samples = 100}), "none");
  EXPECT_THROW(FluctuationRecorder(0, {}), InvalidOption);
  EXPECT_EQ(fluctuation_kind_from_string("deviation"), FluctuationKind::deviation);
  try {
    fluctuation_kind_from_string("jumps");
    ADD_FAILURE() << "unknown kind accepted";
  } catch (const InvalidOption& e) {
    EXPECT_EQ(e.option(), "--fluctuation");
    EXPECT_NE(std::string(e.what()).find("increment, deviation, displacement"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace ldyn::nn
