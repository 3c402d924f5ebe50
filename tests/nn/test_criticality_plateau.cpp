// The plateau criterion: where it stops on hand-made loss sequences, on a trainer, and on a real
// network (checked against its own history), and the errors for impossible settings.
#include <cmath>
#include <limits>
#include <vector>

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "criticality_test_model.hpp"
#include "nn/criticality/plateau.hpp"
#include "nn/data/multiplication.hpp"
#include "nn/layered_network.hpp"

namespace ldyn::nn {
namespace {

/// The epoch (1-based) at which the detector first reports the plateau, 0 if never.
long stops_at(const std::vector<double>& losses, PlateauCriterion c) {
  PlateauDetector d(c);
  for (std::size_t e = 0; e < losses.size(); ++e)
    if (d.add(losses[e])) return static_cast<long>(e + 1);
  return 0;
}

TEST(CriticalityPlateau, StopsAfterPatienceFlatEpochs) {
  const PlateauCriterion c{.tolerance = 1e-3, .patience = 3, .max_epochs = 100};
  // r: -, 0.5, 2e-4, 2e-4, < 0 (worse than the best: flat too) -> third flat epoch is epoch 5.
  EXPECT_EQ(stops_at({10, 5, 4.999, 4.998, 6}, c), 5);
  // A real improvement (r = 0.1) restarts the count.
  EXPECT_EQ(stops_at({10, 5, 4.999, 4.998, 4.4982, 4.498, 4.4979, 4.4978}, c), 8);
  // Improving by 1% per epoch is not a plateau at tolerance 1e-3, but is at 2e-2.
  std::vector<double> steady(30);
  for (std::size_t e = 0; e < steady.size(); ++e) steady[e] = std::pow(0.99, static_cast<double>(e));
  EXPECT_EQ(stops_at(steady, c), 0);
  EXPECT_EQ(stops_at(steady, {.tolerance = 2e-2, .patience = 3, .max_epochs = 100}), 4);
  // Tolerance 0: only epochs that do not improve at all count (equal to the best included).
  EXPECT_EQ(stops_at({3, 2, 2, 2.5, 2}, {.tolerance = 0, .patience = 3, .max_epochs = 10}), 5);
}

TEST(CriticalityPlateau, ReportsTheLastImprovement) {
  PlateauDetector d({.tolerance = 1e-3, .patience = 2, .max_epochs = 10});
  d.add(4.0);
  EXPECT_TRUE(std::isnan(d.last_improvement()));
  d.add(3.0);
  EXPECT_DOUBLE_EQ(d.last_improvement(), 0.25);
  EXPECT_EQ(d.flat_epochs(), 0);
  d.add(3.3);
  EXPECT_NEAR(d.last_improvement(), -0.1, 1e-12);
  EXPECT_EQ(d.flat_epochs(), 1);
  EXPECT_EQ(d.epochs(), 3);
  // A loss of zero cannot be improved on.
  PlateauDetector z({.tolerance = 1e-3, .patience = 1, .max_epochs = 10});
  z.add(0.0);
  EXPECT_TRUE(z.add(0.0));
}

TEST(CriticalityPlateau, RefusesNonFiniteLossesAndImpossibleSettings) {
  PlateauDetector d({});
  EXPECT_THROW(d.add(std::numeric_limits<double>::quiet_NaN()), NonFiniteError);
  EXPECT_THROW(d.add(std::numeric_limits<double>::infinity()), NonFiniteError);
  auto option_of = [](PlateauCriterion c) { return testing::refused_option([&] { validate(c); }); };
  EXPECT_EQ(option_of({.tolerance = -1e-3}), "--plateau-tolerance");
  EXPECT_EQ(option_of({.tolerance = std::numeric_limits<double>::quiet_NaN()}), "--plateau-tolerance");
  EXPECT_EQ(option_of({.patience = 0}), "--patience");
  EXPECT_EQ(option_of({.max_epochs = 0}), "--max-epochs");
  EXPECT_EQ(option_of({}), "none");
}

TEST(CriticalityPlateau, TrainerStopsAtThePlateauOrAtMaxEpochs) {
  const DataSplit d = testing::tiny_regression(8);
  TrainSettings s;
  s.batch = 4;  // two steps per epoch
  {
    // A constant loss: epoch 1 sets the best, epochs 2..4 are flat.
    testing::FixedGradientModel m({0.0f}, {1.0f});
    Trainer<float> t(m, testing::exact_sgd(), s);
    const PlateauResult r = train_to_plateau(t, d, {.tolerance = 1e-3, .patience = 3, .max_epochs = 50});
    EXPECT_TRUE(r.reached);
    EXPECT_EQ(r.epochs, 4);
    EXPECT_EQ(t.epoch(), 4);
    EXPECT_EQ(t.steps(), 8);
    EXPECT_DOUBLE_EQ(r.train_loss, 1.0);
    EXPECT_DOUBLE_EQ(r.last_improvement, 0.0);
  }
  {
    // Loss falling 10% per step: r = 0.19 every epoch, never flat.
    testing::FixedGradientModel m({0.0f}, {1.0f}, 1.0, 0.9);
    Trainer<float> t(m, testing::exact_sgd(), s);
    const PlateauResult r = train_to_plateau(t, d, {.tolerance = 1e-3, .patience = 3, .max_epochs = 7});
    EXPECT_FALSE(r.reached);
    EXPECT_EQ(r.epochs, 7);
    EXPECT_NEAR(r.last_improvement, 1 - 0.81, 1e-12);
  }
}

// On a real network the stop must be the first epoch at which the criterion, recomputed from the
// trainer's own history, holds.
TEST(CriticalityPlateau, RealNetworkStopsWhereItsHistorySaysSo) {
  DataSplit d;
  d.train = make_multiplication(400, 3);
  LayeredNetwork<float> net({{2, 8, 1}, Activation::tanh, Activation::linear, OutputLoss::mse});
  net.initialize(Init::xavier, 2);
  TrainSettings s;
  s.batch = 20;
  optim::Options o = testing::exact_sgd(0.05);
  Trainer<float> t(net, o, s);
  const PlateauCriterion c{.tolerance = 5e-3, .patience = 3, .max_epochs = 400};
  const PlateauResult r = train_to_plateau(t, d, c);
  ASSERT_TRUE(r.reached) << "no plateau in " << r.epochs << " epochs";
  ASSERT_EQ(t.history().size(), static_cast<std::size_t>(r.epochs));
  long flat = 0, first = 0;
  double best = t.history()[0].train_loss;
  for (std::size_t e = 1; e < t.history().size() && first == 0; ++e) {
    const double loss = t.history()[e].train_loss;
    flat = (best - loss) / best <= c.tolerance ? flat + 1 : 0;
    best = std::min(best, loss);
    if (flat == c.patience) first = static_cast<long>(e + 1);
  }
  EXPECT_EQ(first, r.epochs);
  EXPECT_GT(r.epochs, c.patience + 1);  // it did learn first
  EXPECT_LT(t.history().back().train_loss, t.history().front().train_loss / 2);
}

}  // namespace
}  // namespace ldyn::nn
