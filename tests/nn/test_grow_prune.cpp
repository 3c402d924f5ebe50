// Programmed death and replication: the statistics they use, the two efficiency measures against
// their definitions, replication preserving the network's function exactly, death folding a
// neuron into survivors exactly when a survivor (or the bias) can carry its signal, and the three
// schedules with their controls.
#include <algorithm>
#include <cmath>
#include <set>

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "core/random.hpp"
#include "nn/data/multiplication.hpp"
#include "nn/grow_prune/layer_statistics.hpp"
#include "nn/grow_prune/neuron_efficiency.hpp"
#include "nn/grow_prune/programmed_death.hpp"
#include "nn/grow_prune/replication.hpp"
#include "nn/grow_prune/resize.hpp"
#include "nn/grow_prune/schedules.hpp"
#include "optim/presets.hpp"

namespace ldyn::nn {
namespace {

Dataset random_inputs(Eigen::Index features, Eigen::Index outputs, Eigen::Index samples, std::uint64_t seed) {
  Rng rng = make_stream(seed, "test-inputs");
  Dataset d;
  d.name = "random";
  d.inputs.resize(features, samples);
  for (Eigen::Index j = 0; j < samples; ++j)
    for (Eigen::Index i = 0; i < features; ++i) d.inputs(i, j) = static_cast<float>(2 * uniform01(rng) - 1);
  d.targets = Eigen::MatrixXf::Zero(outputs, samples);
  return d;
}

LayeredNetwork<float> net_of(std::vector<Eigen::Index> sizes, Activation hidden, std::uint64_t seed = 1) {
  LayeredNetwork<float> net({std::move(sizes), hidden, Activation::linear, OutputLoss::mse});
  net.initialize(Init::torch, seed);
  return net;
}

Eigen::MatrixXf outputs(LayeredNetwork<float>& net, const Dataset& d) { return net.forward(d.inputs); }

// Largest |difference| relative to the largest |output|.
double relative_difference(const Eigen::MatrixXf& a, const Eigen::MatrixXf& b) {
  return (a - b).cwiseAbs().maxCoeff() / std::max(1e-30f, a.cwiseAbs().maxCoeff());
}

TEST(LayerStatistics, MatchTwoPassMomentsAcrossBatches) {
  auto net = net_of({3, 5, 2}, Activation::tanh);
  const Dataset d = random_inputs(3, 2, 37, 1);
  const LayerStatistics st = layer_statistics(net, 1, d, 0, 8);  // 4 full batches and one of 5
  net.forward(d.inputs);
  const Eigen::MatrixXd states = net.state(1).cast<double>();
  const Eigen::VectorXd mean = states.rowwise().mean();
  const Eigen::MatrixXd c = states.colwise() - mean;
  const Eigen::MatrixXd cov = c * c.transpose() / 37.0;
  // The states of batches of 8 and of one batch of 37 differ by float rounding (another GEMM path).
  EXPECT_EQ(st.samples, 37);
  EXPECT_LT((st.mean - mean).cwiseAbs().maxCoeff(), 1e-6);
  EXPECT_LT((st.covariance - cov).cwiseAbs().maxCoeff(), 1e-6);
  EXPECT_NEAR(st.second_moment(2), (states.row(2).array().square().mean()), 1e-6);
  EXPECT_NEAR(st.correlation(0, 1), cov(0, 1) / std::sqrt(cov(0, 0) * cov(1, 1)), 1e-6);
  // The first max_samples only.
  EXPECT_EQ(layer_statistics(net, 1, d, 10).samples, 10);
  EXPECT_THROW(layer_statistics(net, 2, d), InvalidOption);  // the output layer is not hidden
  EXPECT_THROW(layer_statistics(net, 0, d), InvalidOption);
}

TEST(NeuronEfficiency, MeasuresFollowTheirDefinitions) {
  auto net = net_of({4, 6, 3}, Activation::relu, 2);
  const Dataset d = random_inputs(4, 3, 200, 2);
  const LayerStatistics st = layer_statistics(net, 1, d);
  Rng rng = make_stream(1, "e");
  const Eigen::VectorXd c = neuron_efficiency(Efficiency::contribution, net, 1, st, rng);
  const Eigen::VectorXd r = neuron_efficiency(Efficiency::redundancy, net, 1, st, rng);
  for (Eigen::Index j = 0; j < 6; ++j) {
    const double w = net.weights(2).col(j).cast<double>().norm();
    EXPECT_NEAR(c(j), std::sqrt(st.second_moment(j)) * w, 1e-12);
    double best = 0;
    for (Eigen::Index k = 0; k < 6; ++k)
      if (k != j) best = std::max(best, st.correlation(j, k) * st.correlation(j, k));
    EXPECT_NEAR(r(j), std::sqrt(st.covariance(j, j) * (1 - best)) * w, 1e-12);
    EXPECT_LE(r(j), c(j) + 1e-15);  // what is unique to a neuron is part of what it sends
  }
  // A neuron with no outgoing weights does nothing, by either measure.
  net.weights(2).col(4).setZero();
  EXPECT_EQ(neuron_efficiency(Efficiency::contribution, net, 1, st, rng)(4), 0.0);
  EXPECT_EQ(neuron_efficiency(Efficiency::redundancy, net, 1, st, rng)(4), 0.0);
  EXPECT_EQ(efficiency_from_string("redundancy", "--x"), Efficiency::redundancy);
  EXPECT_THROW(efficiency_from_string("usefulness", "--death-measure"), InvalidOption);
}

TEST(Resize, KeepingEveryNeuronInOrderIsTheSameNetwork) {
  auto net = net_of({3, 5, 4, 2}, Activation::tanh);
  const Dataset d = random_inputs(3, 2, 20, 3);
  const std::vector<Eigen::Index> all{0, 1, 2, 3, 4}, permuted{4, 2, 0, 1, 3};
  auto same = with_neurons(net, 1, all);
  auto perm = with_neurons(net, 1, permuted);
  const Eigen::MatrixXf y = outputs(net, d);
  EXPECT_EQ(outputs(same, d), y);
  EXPECT_LT(relative_difference(outputs(perm, d), y), 1e-6);  // a permutation reorders a sum
  EXPECT_THROW(with_neurons(net, 3, all), InvalidOption);
  EXPECT_THROW(with_neurons(net, 1, std::vector<Eigen::Index>{}), InvalidOption);
  EXPECT_THROW(with_neurons(net, 1, std::vector<Eigen::Index>{7}), std::out_of_range);
}

class ReplicationPreserves : public ::testing::TestWithParam<Activation> {};

TEST_P(ReplicationPreserves, TheFunctionAtTheSplit) {
  auto net = net_of({4, 6, 5, 3}, GetParam(), 4);
  const Dataset d = random_inputs(4, 3, 64, 4);
  const Eigen::MatrixXf before = outputs(net, d);
  Rng rng = make_stream(1, "split");
  for (int layer : {1, 2}) {
    const LayerStatistics st = layer_statistics(net, layer, d);
    const Eigen::Index n = net.size(layer);
    ReplicationResult r = replicate_neurons(net, layer, 3, Efficiency::contribution, st, 0.5, rng);
    ASSERT_EQ(r.network.size(layer), n + 3);
    ASSERT_EQ(r.parents.size(), 3u);
    // The parents are the three most efficient neurons.
    const Eigen::VectorXd e = neuron_efficiency(Efficiency::contribution, net, layer, st, rng);
    const double third = [&] {
      std::vector<double> v(e.data(), e.data() + e.size());
      std::sort(v.rbegin(), v.rend());
      return v[2];
    }();
    for (Eigen::Index p : r.parents) EXPECT_GE(e(p), third);
    for (std::size_t i = 0; i < 3; ++i) {
      const Eigen::Index p = r.parents[i], copy = n + static_cast<Eigen::Index>(i);
      EXPECT_EQ(r.network.weights(layer).row(copy), net.weights(layer).row(p));
      EXPECT_EQ(r.network.bias(layer)(copy), net.bias(layer)(p));
      // The halves differ (the noise that lets them diverge) and add up to the parent's weights.
      EXPECT_GT((r.network.weights(layer + 1).col(p) - r.network.weights(layer + 1).col(copy)).norm(), 0.01f);
      EXPECT_LT((r.network.weights(layer + 1).col(p) + r.network.weights(layer + 1).col(copy) - net.weights(layer + 1).col(p))
                    .cwiseAbs()
                    .maxCoeff(),
                1e-6f);
    }
    net = std::move(r.network);
    EXPECT_LT(relative_difference(outputs(net, d), before), 2e-6) << "after splitting layer " << layer;
  }
}

INSTANTIATE_TEST_SUITE_P(Activations, ReplicationPreserves,
                         ::testing::Values(Activation::relu, Activation::tanh, Activation::sigmoid, Activation::softplus),
                         [](const auto& param_info) { return std::string(to_string(param_info.param)); });

TEST(Replication, RejectsImpossibleCounts) {
  auto net = net_of({2, 4, 1}, Activation::tanh);
  const Dataset d = random_inputs(2, 1, 10, 5);
  const LayerStatistics st = layer_statistics(net, 1, d);
  Rng rng = make_stream(1, "r");
  EXPECT_THROW(replicate_neurons(net, 1, 5, Efficiency::contribution, st, 0.1, rng), InvalidOption);
  EXPECT_THROW(replicate_neurons(net, 1, -1, Efficiency::contribution, st, 0.1, rng), InvalidOption);
  EXPECT_THROW(replicate_neurons(net, 1, 1, Efficiency::contribution, st, -0.1, rng), InvalidOption);
  EXPECT_THROW(replicate_neurons(net, 1, 1, Efficiency::contribution, st, NAN, rng), InvalidOption);
  EXPECT_EQ(replicate_neurons(net, 1, 0, Efficiency::contribution, st, 0.1, rng).network.size(1), 4);
}

// Neuron 3 is neuron 1 scaled and shifted (x_3 = 2 x_1 + 0.5 with a linear hidden layer), so the
// correlated fold carries it exactly; neuron 5 is constant (no incoming weights), so it folds exactly
// into the bias. Both are fully redundant and must die first.
TEST(ProgrammedDeath, FoldsRedundantNeuronsExactly) {
  auto net = net_of({3, 6, 2}, Activation::linear, 6);
  net.weights(1).row(3) = 2 * net.weights(1).row(1);
  net.bias(1)(3) = 2 * net.bias(1)(1) + 0.5f;
  net.weights(1).row(5).setZero();
  net.bias(1)(5) = 0.7f;
  const Dataset d = random_inputs(3, 2, 100, 6);
  const Eigen::MatrixXf before = outputs(net, d);
  const LayerStatistics st = layer_statistics(net, 1, d);
  Rng rng = make_stream(1, "d");
  const DeathResult r = programmed_death(net, 1, 2, Efficiency::redundancy, Fold::correlated, st, rng);
  ASSERT_EQ(r.removed.size(), 2u);
  std::set<Eigen::Index> dead{r.removed[0].neuron, r.removed[1].neuron};
  EXPECT_TRUE(dead.count(5));
  EXPECT_TRUE(dead.count(1) || dead.count(3));
  EXPECT_EQ(r.network.size(1), 4);
  EXPECT_EQ(r.survivors.size(), 4u);
  auto after = r.network;
  EXPECT_LT(relative_difference(outputs(after, d), before), 1e-5);
  // Plain pruning of the same neurons is not exact.
  const DeathResult pruned = programmed_death(net, 1, 2, Efficiency::redundancy, Fold::none, st, rng);
  auto p = pruned.network;
  EXPECT_GT(relative_difference(outputs(p, d), before), 1e-2);
}

// Neuron 4 = neuron 0 + 2 neuron 2 (linear layer): no single survivor carries it, the least-squares
// fold over all survivors does.
TEST(ProgrammedDeath, LeastSquaresFoldCarriesLinearCombinations) {
  auto net = net_of({3, 5, 2}, Activation::linear, 7);
  net.weights(1).row(4) = net.weights(1).row(0) + 2 * net.weights(1).row(2);
  net.bias(1)(4) = net.bias(1)(0) + 2 * net.bias(1)(2);
  const Dataset d = random_inputs(3, 2, 100, 7);
  const Eigen::MatrixXf before = outputs(net, d);
  const LayerStatistics st = layer_statistics(net, 1, d);
  Rng rng = make_stream(1, "d");
  // Which neuron dies is forced by choosing a measure-free order: kill neuron 4 through contribution
  // after making it the weakest sender.
  net.weights(2).col(4) *= 1e-3f;
  const Eigen::MatrixXf weak = outputs(net, d);
  const DeathResult ls = programmed_death(net, 1, 1, Efficiency::contribution, Fold::least_squares, st, rng);
  ASSERT_EQ(ls.removed[0].neuron, 4);
  auto a = ls.network;
  EXPECT_LT(relative_difference(outputs(a, d), weak), 1e-5);
  const DeathResult corr = programmed_death(net, 1, 1, Efficiency::contribution, Fold::correlated, st, rng);
  auto b = corr.network;
  EXPECT_GT(relative_difference(outputs(b, d), weak), 10 * relative_difference(outputs(a, d), weak));
  (void)before;
}

TEST(ProgrammedDeath, PartnersAreSurvivorsAndCountsAreChecked) {
  auto net = net_of({4, 12, 3}, Activation::tanh, 8);
  const Dataset d = random_inputs(4, 3, 80, 8);
  const LayerStatistics st = layer_statistics(net, 1, d);
  Rng rng = make_stream(1, "d");
  const DeathResult r = programmed_death(net, 1, 9, Efficiency::redundancy, Fold::correlated, st, rng);
  std::set<Eigen::Index> dead;
  for (const auto& rec : r.removed) {
    EXPECT_FALSE(dead.count(rec.neuron));
    dead.insert(rec.neuron);
    ASSERT_GE(rec.partner, 0);
    EXPECT_FALSE(dead.count(rec.partner)) << "folded into a neuron that was already dead";
  }
  EXPECT_EQ(dead.size() + r.survivors.size(), 12u);
  for (Eigen::Index s : r.survivors) EXPECT_FALSE(dead.count(s));
  EXPECT_TRUE(std::is_sorted(r.survivors.begin(), r.survivors.end()));
  EXPECT_THROW(programmed_death(net, 1, 12, Efficiency::redundancy, Fold::correlated, st, rng), InvalidOption);
  EXPECT_THROW(programmed_death(net, 1, -1, Efficiency::redundancy, Fold::correlated, st, rng), InvalidOption);
  EXPECT_EQ(fold_from_string("least-squares"), Fold::least_squares);
  EXPECT_THROW(fold_from_string("merge"), InvalidOption);
}

// The schedules on the multiplication task: sizes follow the plan, controls train as long, and every
// run's rows say what happened.
struct ScheduleFixture : ::testing::Test {
  DataSplit data;
  GrowPruneTraining training;
  void SetUp() override {
    data.train = make_multiplication(256, 1);
    data.validation = make_multiplication(64, 2);
    data.test = make_multiplication(64, 3);
    training.options = optim::preset("adam");
    training.options.lr = 0.01;
    training.settings.batch = 32;
    training.settings.seed = 1;
  }
};

TEST_F(ScheduleFixture, DeathShrinksToTheMinimumStageByStage) {
  auto net = net_of({2, 16, 1}, Activation::tanh);
  GrowPruneConfig c;
  c.death_fraction = 0.25;  // 4 per stage
  c.min_neurons = 6;        // 16 -> 12 -> 8 -> 6
  c.stage_epochs = 1;
  const auto rows = run_death(net, 3, data, c, training);
  std::vector<Eigen::Index> sizes;
  for (const auto& r : rows)
    if (!r.event.empty()) sizes.push_back(r.neurons);
  EXPECT_EQ(sizes, (std::vector<Eigen::Index>{16, 12, 8, 6}));
  EXPECT_EQ(rows.front().event, "start");
  EXPECT_EQ(rows.front().epoch, 3);
  EXPECT_EQ(rows.back().epoch, 6);  // one epoch after each of the three deaths
  EXPECT_EQ(rows.back().parameters, static_cast<std::size_t>(6 * 3 + 7));
  for (const auto& r : rows) EXPECT_TRUE(std::isfinite(r.test.loss));
}

TEST_F(ScheduleFixture, ReplicationIsComparedWithContinuedTraining) {
  auto net = net_of({2, 8, 1}, Activation::tanh);
  GrowPruneConfig c;
  c.replication_fraction = 0.5;
  c.replication_stages = 2;  // 8 -> 12 -> 18
  c.stage_epochs = 2;
  const auto rows = run_replication(net, 0, data, c, training);
  const auto grown = epoch_rows(rows, "replication"), control = epoch_rows(rows, "continued");
  ASSERT_EQ(grown.size(), 4u);
  ASSERT_EQ(control.size(), 4u);
  EXPECT_EQ(grown.back().neurons, 18);
  EXPECT_EQ(control.back().neurons, 8);
  EXPECT_EQ(grown.back().epoch, control.back().epoch);
  // Right after a split the network computes what it computed before it.
  for (std::size_t i = 1; i < rows.size(); ++i)
    if (rows[i].event.rfind("replication", 0) == 0) {
      EXPECT_NEAR(rows[i].test.loss, rows[i - 1].test.loss, 1e-5 * rows[i - 1].test.loss);
    }
}

TEST_F(ScheduleFixture, CombinedIsComparedWithAFixedNetworkOfItsFinalSize) {
  auto net = net_of({2, 8, 1}, Activation::tanh);
  GrowPruneConfig c;
  c.death_fraction = 0.25;
  c.replication_fraction = 0.5;
  c.combined_every = 2;
  c.min_neurons = 2;
  // 5 epochs: events after epochs 2 and 4: 8 -> 6 -> 9 -> 7 -> 11 (rounding half away from zero).
  std::vector<Eigen::Index> fixed_sizes;
  const auto rows = run_combined(net, 5, data, c, training, [&](const std::vector<Eigen::Index>& sizes) {
    fixed_sizes = sizes;
    return net_of({2, sizes[0], 1}, Activation::tanh, 9);
  });
  ASSERT_EQ(fixed_sizes, std::vector<Eigen::Index>{11});
  const auto combined = epoch_rows(rows, "combined"), fixed = epoch_rows(rows, "fixed");
  ASSERT_EQ(combined.size(), 5u);
  ASSERT_EQ(fixed.size(), 5u);
  EXPECT_EQ(combined.back().neurons, 11);
  EXPECT_EQ(fixed.front().neurons, 11);
  c.combined_every = 0;
  EXPECT_THROW(run_combined(net, 5, data, c, training, nullptr), InvalidOption);
}

TEST_F(ScheduleFixture, ImpossibleSettingsNameTheirOption) {
  auto net = net_of({2, 8, 1}, Activation::tanh);
  auto expect_option = [&](GrowPruneConfig c, const std::string& option) {
    try {
      run_death(net, 0, data, c, training);
      ADD_FAILURE() << "no error for " << option;
    } catch (const InvalidOption& e) {
      EXPECT_EQ(e.option(), option);
    }
  };
  GrowPruneConfig c;
  c.death_fraction = 1.0;
  expect_option(c, "--death-fraction");
  c = {};
  c.death_fraction = 0.01;  // rounds to no neuron of 8
  expect_option(c, "--death-fraction");
  c = {};
  c.min_neurons = 0;
  expect_option(c, "--min-neurons");
  c = {};
  c.split_noise = -1;
  expect_option(c, "--split-noise");
  c = {};
  c.stage_epochs = -1;
  expect_option(c, "--stage-epochs");
  auto linear = LayeredNetwork<float>({{2, 1}, Activation::tanh, Activation::linear, OutputLoss::mse});
  EXPECT_THROW(run_death(linear, 0, data, {}, training), InvalidOption);
}

}  // namespace
}  // namespace ldyn::nn
