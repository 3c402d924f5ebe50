// Thermodynamics of learning: the clamped bulk loss and its gradient against finite differences,
// the relaxation against the closed form of a linear network, the Gauss–Newton determinant against
// a finite-difference Jacobian, the estimators against their definitions, and the two laws on
// series built to obey or break them.
#include <cmath>
#include <numbers>

#include <Eigen/Dense>
#include <gtest/gtest.h>

#include "core/error.hpp"
#include "core/random.hpp"
#include "nn/thermo/clamped_states.hpp"
#include "nn/thermo/learning_laws.hpp"
#include "nn/thermo/thermodynamics.hpp"

namespace ldyn::nn {
namespace {

LayeredNetwork<float> net_of(std::vector<Eigen::Index> sizes, Activation hidden, OutputLoss loss, std::uint64_t seed = 1) {
  LayeredNetwork<float> net({std::move(sizes), hidden, Activation::linear, loss});
  net.initialize(Init::torch, seed);
  return net;
}

Eigen::MatrixXd random_matrix(Eigen::Index r, Eigen::Index c, std::uint64_t seed) {
  Rng rng = make_stream(seed, "thermo-test");
  Eigen::MatrixXd m(r, c);
  for (Eigen::Index j = 0; j < c; ++j)
    for (Eigen::Index i = 0; i < r; ++i) m(i, j) = 2 * uniform01(rng) - 1;
  return m;
}

Eigen::MatrixXd one_hot_targets(Eigen::Index classes, Eigen::Index n) {
  Eigen::MatrixXd t = Eigen::MatrixXd::Zero(classes, n);
  for (Eigen::Index s = 0; s < n; ++s) t(s % classes, s) = 1;
  return t;
}

struct Case {
  std::vector<Eigen::Index> sizes;
  Activation hidden;
  OutputLoss loss;
};

class ClampedGradient : public ::testing::TestWithParam<Case> {};

TEST_P(ClampedGradient, MatchesFiniteDifferences) {
  const Case c = GetParam();
  const auto net = net_of(c.sizes, c.hidden, c.loss, 3);
  const ClampedNetwork clamped(net);
  const Eigen::Index n = 5;
  const Eigen::MatrixXd x = random_matrix(c.sizes.front(), n, 1);
  const Eigen::MatrixXd t = c.loss == OutputLoss::cross_entropy ? one_hot_targets(c.sizes.back(), n) : random_matrix(c.sizes.back(), n, 2);
  std::vector<Eigen::MatrixXd> hidden;
  for (std::size_t l = 1; l + 1 < c.sizes.size(); ++l) hidden.push_back(random_matrix(c.sizes[l], n, 10 + l));
  const Eigen::MatrixXd first = clamped.first_layer(x);
  std::vector<Eigen::MatrixXd> grad;
  clamped.bulk_loss(first, t, hidden, &grad);
  const double h = 1e-6;
  for (std::size_t l = 0; l < hidden.size(); ++l)
    for (Eigen::Index i = 0; i < hidden[l].rows(); ++i)
      for (Eigen::Index s = 0; s < n; ++s) {
        auto up = hidden, down = hidden;
        up[l](i, s) += h;
        down[l](i, s) -= h;
        const double fd = (clamped.bulk_loss(first, t, up)(s) - clamped.bulk_loss(first, t, down)(s)) / (2 * h);
        EXPECT_NEAR(grad[l](i, s), fd, 1e-7 * std::max(1.0, std::abs(fd))) << "layer " << l + 1 << " neuron " << i;
      }
}

INSTANTIATE_TEST_SUITE_P(Networks, ClampedGradient,
                         ::testing::Values(Case{{3, 4, 2}, Activation::tanh, OutputLoss::mse},
                                           Case{{3, 5, 4, 2}, Activation::sigmoid, OutputLoss::mse},
                                           Case{{4, 6, 3}, Activation::softplus, OutputLoss::cross_entropy},
                                           Case{{2, 3, 4, 3}, Activation::tanh, OutputLoss::cross_entropy}));

// A linear network with one hidden layer has a quadratic bulk loss, whose minimum solves
// (I + W2^T W2) x_h = a + W2^T (t - b2), a = W1 x + b1.
TEST(ClampedStates, RelaxationReachesTheClosedFormOfALinearNetwork) {
  const auto net = net_of({3, 6, 2}, Activation::linear, OutputLoss::mse, 4);
  const ClampedNetwork clamped(net);
  const Eigen::MatrixXd x = random_matrix(3, 7, 3), t = random_matrix(2, 7, 4);
  RelaxationOptions o;
  o.max_steps = 2000;
  o.tolerance = 1e-15;
  const ClampedStates s = clamped.relax(x, t, o);
  const Eigen::MatrixXd w1 = net.weights(1).cast<double>(), w2 = net.weights(2).cast<double>();
  const Eigen::VectorXd b1 = net.bias(1).cast<double>(), b2 = net.bias(2).cast<double>();
  const Eigen::MatrixXd a = (w1 * x).colwise() + b1;
  const Eigen::MatrixXd rhs = a + w2.transpose() * ((-w2 * Eigen::MatrixXd::Zero(6, 7)).colwise() - b2 + t);
  const Eigen::MatrixXd exact = (Eigen::MatrixXd::Identity(6, 6) + w2.transpose() * w2).ldlt().solve(rhs);
  EXPECT_LT((s.hidden[0] - exact).cwiseAbs().maxCoeff(), 1e-6);
  EXPECT_TRUE((s.bulk_loss.array() <= s.feedforward_loss.array()).all());
  // At the feedforward state only the output residual is left: H = 1/2 |t - y|^2.
  const Eigen::MatrixXd y = (w2 * a).colwise() + b2;
  for (Eigen::Index c = 0; c < 7; ++c) EXPECT_NEAR(s.feedforward_loss(c), 0.5 * (t.col(c) - y.col(c)).squaredNorm(), 1e-12);
}

TEST(ClampedStates, RelaxedStatesAreStationary) {
  const auto net = net_of({4, 8, 5, 3}, Activation::tanh, OutputLoss::cross_entropy, 5);
  const ClampedNetwork clamped(net);
  const Eigen::MatrixXd x = random_matrix(4, 9, 5), t = one_hot_targets(3, 9);
  RelaxationOptions o;
  o.max_steps = 3000;
  o.tolerance = 1e-14;
  const ClampedStates s = clamped.relax(x, t, o);
  std::vector<Eigen::MatrixXd> grad;
  clamped.bulk_loss(clamped.first_layer(x), t, s.hidden, &grad);
  double gmax = 0;
  for (const auto& g : grad) gmax = std::max(gmax, g.cwiseAbs().maxCoeff());
  EXPECT_LT(gmax, 1e-5);
  EXPECT_LT(s.bulk_loss.sum(), s.feedforward_loss.sum());
}

// ln det R^T R with R the finite-difference Jacobian of the residuals (r_1 .. r_L) in the hidden states.
double fd_log_det(const LayeredNetwork<float>& net, const std::vector<Eigen::VectorXd>& hidden) {
  const ClampedNetwork clamped(net);
  auto residuals = [&](const std::vector<Eigen::VectorXd>& hs) {
    std::vector<Eigen::VectorXd> r;
    for (int l = 1; l <= net.layers(); ++l) {
      Eigen::VectorXd y = net.weights(l).cast<double>() * (l == 1 ? Eigen::VectorXd::Zero(net.inputs()) : hs[static_cast<std::size_t>(l - 2)]) +
                          net.bias(l).cast<double>();
      if (l == 1) continue;  // r_1 = x_1 - f(W_1 x_0 + b_1): its Jacobian in x_1 is the identity, handled below
      Eigen::VectorXd f(y.size());
      if (l == net.layers() && net.loss_kind() == OutputLoss::cross_entropy) {
        f = (y.array() - y.maxCoeff()).exp();
        f /= f.sum();
      } else {
        for (Eigen::Index i = 0; i < y.size(); ++i) f(i) = activate(net.activation(l), y(i));
      }
      r.push_back(l == net.layers() ? Eigen::VectorXd(-f) : Eigen::VectorXd(hs[static_cast<std::size_t>(l - 1)] - f));
    }
    Eigen::VectorXd all(0);
    Eigen::VectorXd first = hs[0];  // r_1 = x_1 - const
    for (const auto& v : {first}) {
      all.conservativeResize(all.size() + v.size());
      all.tail(v.size()) = v;
    }
    for (const auto& v : r) {
      all.conservativeResize(all.size() + v.size());
      all.tail(v.size()) = v;
    }
    return all;
  };
  Eigen::Index n = 0;
  for (const auto& h : hidden) n += h.size();
  const Eigen::VectorXd r0 = residuals(hidden);
  Eigen::MatrixXd jac(r0.size(), n);
  const double h = 1e-6;
  Eigen::Index col = 0;
  for (std::size_t l = 0; l < hidden.size(); ++l)
    for (Eigen::Index i = 0; i < hidden[l].size(); ++i, ++col) {
      auto up = hidden, down = hidden;
      up[l](i) += h;
      down[l](i) -= h;
      jac.col(col) = (residuals(up) - residuals(down)) / (2 * h);
    }
  return std::log((jac.transpose() * jac).determinant());
}

TEST(ClampedStates, GaussNewtonDeterminantMatchesFiniteDifferences) {
  for (const Case& c : {Case{{3, 4, 2}, Activation::tanh, OutputLoss::mse}, Case{{3, 5, 4, 2}, Activation::sigmoid, OutputLoss::mse},
                        Case{{4, 6, 3}, Activation::softplus, OutputLoss::cross_entropy},
                        Case{{2, 3, 4, 3}, Activation::tanh, OutputLoss::cross_entropy}}) {
    auto net = net_of(c.sizes, c.hidden, c.loss, 7);
    net.weights(net.layers()) *= 3.0f;  // a determinant well away from 1
    const ClampedNetwork clamped(net);
    std::vector<Eigen::VectorXd> hidden;
    for (std::size_t l = 1; l + 1 < c.sizes.size(); ++l) hidden.push_back(random_matrix(c.sizes[l], 1, 20 + l).col(0));
    const double fd = fd_log_det(net, hidden);
    EXPECT_NEAR(clamped.log_det_gauss_newton(hidden, true), fd, 1e-6 * std::max(1.0, std::abs(fd)));
    EXPECT_NEAR(clamped.log_det_gauss_newton(hidden), fd, 1e-6 * std::max(1.0, std::abs(fd)));
    EXPECT_GT(fd, 0.1);
  }
}

TEST(Thermodynamics, EstimatorsFollowTheirDefinitions) {
  const auto net = net_of({3, 6, 2}, Activation::tanh, OutputLoss::mse, 8);
  Dataset d;
  d.name = "random";
  d.inputs = random_matrix(3, 50, 8).cast<float>();
  d.targets = random_matrix(2, 50, 9).cast<float>();
  ThermoOptions o;
  o.samples = 40;
  o.batch = 16;
  const ThermoState t = measure_thermodynamics(net, d, o);
  EXPECT_EQ(t.samples, 40);
  EXPECT_EQ(t.neurons, 6);
  EXPECT_DOUBLE_EQ(t.temperature, 2 * t.bulk_loss / 6);
  EXPECT_NEAR(t.thermodynamic_entropy, 3 * std::log(2 * std::numbers::pi * std::numbers::e * t.temperature), 1e-12);
  EXPECT_DOUBLE_EQ(t.entropy, t.thermodynamic_entropy + t.complexity);
  EXPECT_DOUBLE_EQ(t.free_energy, t.bulk_loss - t.temperature * t.entropy);
  EXPECT_LT(t.complexity, 0);  // ln det(I + B^T B) > 0
  EXPECT_LT(t.bulk_loss, t.feedforward_loss);
  // The complexity is the mean of -1/2 ln det A over the relaxed states of the samples.
  const ClampedNetwork clamped(net);
  const ClampedStates s = clamped.relax(d.inputs.leftCols(40).cast<double>(), d.targets.leftCols(40).cast<double>(), o.relaxation);
  double sum = 0;
  for (Eigen::Index c = 0; c < 40; ++c) sum += clamped.log_det_gauss_newton({s.hidden[0].col(c)});
  EXPECT_NEAR(t.complexity, -0.5 * sum / 40, 1e-6);
  EXPECT_NEAR(t.bulk_loss, s.bulk_loss.mean(), 1e-6 * t.bulk_loss);
}

TEST(Thermodynamics, ImpossibleMeasurementsAreNamed) {
  const auto shallow = net_of({3, 2}, Activation::tanh, OutputLoss::mse);
  Dataset d;
  d.name = "random";
  d.inputs = random_matrix(3, 10, 1).cast<float>();
  d.targets = random_matrix(2, 10, 2).cast<float>();
  EXPECT_THROW(measure_thermodynamics(shallow, d), InvalidOption);
  const auto net = net_of({3, 4, 2}, Activation::tanh, OutputLoss::mse);
  ThermoOptions o;
  o.samples = -1;
  EXPECT_THROW(measure_thermodynamics(net, d, o), InvalidOption);
  Dataset wrong = d;
  wrong.targets = random_matrix(3, 10, 2).cast<float>();
  EXPECT_THROW(measure_thermodynamics(net, wrong), InvalidOption);
  // A value that poisons the sums is a named error, not a NaN in the output.
  Dataset poisoned = d;
  poisoned.targets(1, 3) = NAN;
  EXPECT_THROW(measure_thermodynamics(net, poisoned), NonFiniteError);
}

ThermoState state(double u, double c, Eigen::Index n = 10) {
  ThermoState s;
  s.neurons = n;
  s.bulk_loss = u;
  s.temperature = 2 * u / static_cast<double>(n);
  s.thermodynamic_entropy = thermodynamic_entropy(n, s.temperature);
  s.complexity = c;
  s.entropy = s.thermodynamic_entropy + c;
  return s;
}

TEST(LearningLaws, SecondLawCountsEntropyDecreasesBeforeEquilibrium) {
  std::vector<ThermoState> series;
  for (double u : {1.0, 0.7, 0.5, 0.4, 0.35, 0.349, 0.3489, 0.3488, 0.3489}) series.push_back(state(u, -1.0));
  series[3].complexity = 5;  // one interval where S rises (and the next where it falls back)
  series[3].entropy = series[3].thermodynamic_entropy + 5;
  const SecondLawCheck c = check_second_law(series, 0.01, 2);
  EXPECT_EQ(c.equilibrium_index, 4);  // from 0.35, two points later is 0.3489: < 1% lower
  EXPECT_EQ(c.intervals, 4);
  EXPECT_EQ(c.decreasing, 3);
  EXPECT_LT(c.entropy_change, 0);
  EXPECT_THROW(check_second_law(series, -1, 2), InvalidOption);
}

TEST(LearningLaws, LogarithmicMean) {
  EXPECT_DOUBLE_EQ(logarithmic_mean(2, 2), 2);
  EXPECT_NEAR(logarithmic_mean(1, std::exp(1.0)), std::exp(1.0) - 1, 1e-15);
  EXPECT_NEAR(logarithmic_mean(3, 3 * (1 + 1e-14)), 3, 1e-12);
}

TEST(LearningLaws, FirstLawFitsTheProportionality) {
  // With the logarithmic mean temperature dU = Tbar dS_0 exactly, even for large steps; with C
  // constant the law holds.
  std::vector<ThermoState> series;
  for (int k = 0; k < 20; ++k) series.push_back(state(std::pow(0.6, k) * (k % 3 ? 1.0 : 3.0), -2.0));
  FirstLawCheck c = check_first_law(series);
  EXPECT_EQ(c.intervals, 19);
  EXPECT_NEAR(c.theta, 1, 1e-9);
  EXPECT_NEAR(c.theta_thermodynamic, 1, 1e-9);
  EXPECT_NEAR(c.r_squared, 1, 1e-9);
  EXPECT_EQ(c.complexity_share, 0);
  // A complexity that moves against the loss breaks it.
  for (int k = 0; k < 20; ++k) {
    series[static_cast<std::size_t>(k)].complexity = (k % 2 ? 1.0 : -1.0) * 10;
    series[static_cast<std::size_t>(k)].entropy = series[static_cast<std::size_t>(k)].thermodynamic_entropy + series[static_cast<std::size_t>(k)].complexity;
  }
  c = check_first_law(series);
  EXPECT_LT(c.r_squared, 0.5);
  EXPECT_GT(c.complexity_share, 1);
}

}  // namespace
}  // namespace ldyn::nn
