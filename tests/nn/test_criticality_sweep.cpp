// The sweep over (activation, loss) pairs: one record per pair with its fit, reproducible, with
// diverging pairs reported instead of aborting the sweep, and bad pairs refused before training.
#include <cmath>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "criticality_test_model.hpp"
#include "nn/criticality/criticality_sweep.hpp"
#include "nn/data/load_data.hpp"
#include "optim/presets.hpp"

namespace ldyn::nn {
namespace {

DataSplit small_multiplication() {
  DataSpec spec;
  spec.name = "multiplication";
  spec.train_samples = 1000;
  spec.test_samples = 100;
  return load_data(spec);
}

SweepSettings quick_settings() {
  SweepSettings s;
  s.layers = {2, 8, 1};
  s.optimizer = optim::preset("sgd");
  s.optimizer.lr = 0.05;
  s.training.batch = 50;
  s.plateau = {.tolerance = 1e-2, .patience = 2, .max_epochs = 30};
  s.fluctuations = {.window = 200, .lag = 1};
  s.fit.bootstrap = 5;
  return s;
}

TEST(CriticalitySweep, OneFittedRecordPerPair) {
  const DataSplit d = small_multiplication();
  SweepSettings s = quick_settings();
  std::vector<std::string> stages;
  s.on_stage = [&](std::size_t pair, const char* stage) { stages.push_back(std::to_string(pair) + stage); };
  const std::vector<Activation> activations{Activation::tanh, Activation::relu, Activation::linear};
  const std::vector<OutputLoss> losses{OutputLoss::mse};
  const auto pairs = all_pairs(activations, losses);
  const auto records = sweep_criticality(d, pairs, s);
  ASSERT_EQ(records.size(), 3u);
  for (std::size_t i = 0; i < records.size(); ++i) {
    const CriticalityRecord& r = records[i];
    SCOPED_TRACE(r.pair.name());
    EXPECT_EQ(r.pair.activation, activations[i]);
    EXPECT_EQ(r.pair.loss, OutputLoss::mse);
    ASSERT_TRUE(r.fitted()) << r.failure;
    EXPECT_EQ(r.parameters, 2u * 8 + 8 + 8 + 1);
    // 33 variables x 200 increments fit under the default cap: all of them.
    EXPECT_EQ(r.samples.values.size(), 33u * 200);
    EXPECT_EQ(r.fit.n_total + r.fit.n_ignored, static_cast<long>(r.samples.values.size()));
    EXPECT_EQ(r.fit.n_ignored, r.samples.zeros);
    EXPECT_GT(r.fit.alpha, 1);
    EXPECT_GT(r.fit.xmin, 0);
    EXPECT_GE(r.fit.decades, 0);
    EXPECT_EQ(r.fit.bootstrap_samples, 5);
    EXPECT_GE(r.epochs, r.plateau.epochs + 200 / 18);  // 18 steps per epoch (900 training samples)
    EXPECT_TRUE(std::isfinite(r.final_train_loss));
    EXPECT_NE(r.network.find(to_string(activations[i])), std::string::npos) << r.network;
  }
  EXPECT_EQ(stages, (std::vector<std::string>{"0training", "0window", "0fit", "1training", "1window", "1fit",
                                              "2training", "2window", "2fit"}));
  // Same seed, same pair: the same numbers.
  const auto again = measure_criticality(d, pairs[1], s, 1);
  EXPECT_EQ(again.fit.alpha, records[1].fit.alpha);
  EXPECT_EQ(again.samples.values, records[1].samples.values);
  EXPECT_EQ(again.fit.gof_p, records[1].fit.gof_p);
}

TEST(CriticalitySweep, DivergingPairIsReportedNotFatal) {
  const DataSplit d = small_multiplication();
  SweepSettings s = quick_settings();
  s.optimizer.lr = 1e6;
  const std::vector<CriticalityPair> pairs{{Activation::linear, OutputLoss::mse}};
  const auto records = sweep_criticality(d, pairs, s);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_FALSE(records[0].fitted());
  EXPECT_NE(records[0].failure.find("diverged"), std::string::npos) << records[0].failure;
  EXPECT_TRUE(std::isnan(records[0].fit.alpha));
  EXPECT_TRUE(std::isnan(records[0].fit.vs_lognormal.p_value));
}

TEST(CriticalitySweep, RefusesBadPairsBeforeTraining) {
  const DataSplit d = small_multiplication();
  SweepSettings s = quick_settings();
  bool trained = false;
  s.on_stage = [&](std::size_t, const char*) { trained = true; };
  auto option_of = [&](std::vector<CriticalityPair> pairs, const SweepSettings& settings) {
    return testing::refused_option([&] { sweep_criticality(d, pairs, settings); });
  };
  EXPECT_EQ(option_of({{Activation::tanh, OutputLoss::mse}, {Activation::tanh, OutputLoss::cross_entropy}}, s),
            "--losses");
  EXPECT_EQ(option_of({}, s), "--activations");
  SweepSettings wrong = s;
  wrong.layers = {3, 8, 1};
  EXPECT_EQ(option_of({{Activation::tanh, OutputLoss::mse}}, wrong), "--layers");
  wrong = s;
  wrong.fluctuations.lag = wrong.fluctuations.window;
  EXPECT_EQ(option_of({{Activation::tanh, OutputLoss::mse}}, wrong), "--lag");
  EXPECT_FALSE(trained);
}

TEST(CriticalitySweep, PairsAreEveryCombination) {
  const std::vector<Activation> a{Activation::tanh, Activation::relu};
  const std::vector<OutputLoss> l{OutputLoss::mse, OutputLoss::cross_entropy};
  const auto pairs = all_pairs(a, l);
  ASSERT_EQ(pairs.size(), 4u);
  EXPECT_EQ(pairs[1].name(), "tanh/cross-entropy");
  EXPECT_EQ(pairs[2].name(), "relu/mse");
}

}  // namespace
}  // namespace ldyn::nn
