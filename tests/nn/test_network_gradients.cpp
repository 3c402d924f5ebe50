// Backpropagation against central finite differences, for every activation and boundary loss, on
// the layered fast path and on the septuple (layered and recurrent, boundary and bulk losses).
#include <cmath>
#include <vector>

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "core/random.hpp"
#include "nn/layered_network.hpp"
#include "nn/septuple.hpp"

namespace ldyn::nn {
namespace {

using Mat = MatrixX<double>;

Mat random_matrix(Eigen::Index r, Eigen::Index c, std::uint64_t seed, double scale = 1.0) {
  Rng rng = make_stream(seed, "test-matrix");
  Mat m(r, c);
  for (Eigen::Index j = 0; j < c; ++j)
    for (Eigen::Index i = 0; i < r; ++i) m(i, j) = scale * standard_normal(rng);
  return m;
}

Mat one_hot(Eigen::Index classes, Eigen::Index n, std::uint64_t seed) {
  Rng rng = make_stream(seed, "test-labels");
  Mat t = Mat::Zero(classes, n);
  for (Eigen::Index s = 0; s < n; ++s) t(static_cast<Eigen::Index>(rng() % static_cast<std::uint64_t>(classes)), s) = 1;
  return t;
}

// Largest |analytic - numeric| / (|numeric| + 1e-4 max|numeric|) over all parameters, by central
// differences (the floor keeps components near zero, where the difference quotient's rounding error
// dominates, from failing a correct gradient; a wrong one is off by O(1)).
double max_relative_gradient_error(Model<double>& m, const Mat& x, const Mat& t) {
  auto q = m.parameters();
  std::vector<double> g(q.size());
  m.loss_and_gradient(x, t, g);
  double g_max = 0;
  for (double v : g) g_max = std::max(g_max, std::abs(v));
  std::vector<double> scratch(q.size());
  double worst = 0;
  for (std::size_t k = 0; k < q.size(); ++k) {
    const double q0 = q[k], h = 1e-5 * std::max(1.0, std::abs(q0));
    q[k] = q0 + h;
    const double up = m.loss_and_gradient(x, t, scratch);
    q[k] = q0 - h;
    const double down = m.loss_and_gradient(x, t, scratch);
    q[k] = q0;
    const double numeric = (up - down) / (2 * h);
    worst = std::max(worst, std::abs(g[k] - numeric) / (std::abs(numeric) + 1e-4 * g_max));
  }
  return worst;
}

struct Case {
  Activation activation;
  OutputLoss loss;
};

class LayeredGradient : public ::testing::TestWithParam<Case> {};

TEST_P(LayeredGradient, MatchesFiniteDifferences) {
  const Case c = GetParam();
  LayeredSpec spec{{3, 5, 4, 3}, c.activation, c.loss == OutputLoss::mse ? c.activation : Activation::linear, c.loss};
  LayeredNetwork<double> net(spec);
  net.initialize(Init::torch, 3);
  // Nonzero biases everywhere, and ReLU kinks kept away from the sampled points by the data.
  const Mat x = random_matrix(3, 7, 11);
  const Mat t = c.loss == OutputLoss::mse ? random_matrix(3, 7, 12, 0.5) : one_hot(3, 7, 12);
  EXPECT_LT(max_relative_gradient_error(net, x, t), 2e-6) << to_string(c.activation) << " " << to_string(c.loss);
}

std::vector<Case> all_cases() {
  std::vector<Case> cases;
  for (Activation a : {Activation::linear, Activation::tanh, Activation::relu, Activation::sigmoid, Activation::softplus})
    for (OutputLoss l : {OutputLoss::mse, OutputLoss::cross_entropy}) cases.push_back({a, l});
  return cases;
}

INSTANTIATE_TEST_SUITE_P(AllActivationsAndLosses, LayeredGradient, ::testing::ValuesIn(all_cases()),
                         [](const auto& param_info) {
                           return std::string(to_string(param_info.param.activation)) + "_" +
                                  (param_info.param.loss == OutputLoss::mse ? "mse" : "ce");
                         });

TEST(LayeredNetwork, FloatGradientAgreesWithDouble) {
  LayeredSpec spec{{6, 8, 4}, Activation::tanh, Activation::linear, OutputLoss::cross_entropy};
  LayeredNetwork<double> d(spec);
  LayeredNetwork<float> f(spec);
  d.initialize(Init::xavier, 5);
  f.initialize(Init::xavier, 5);
  const Mat x = random_matrix(6, 9, 1);
  const Mat t = one_hot(4, 9, 2);
  std::vector<double> gd(d.parameters().size());
  std::vector<float> gf(f.parameters().size());
  const double hd = d.loss_and_gradient(x, t, gd);
  const double hf = f.loss_and_gradient(x.cast<float>(), t.cast<float>(), gf);
  EXPECT_NEAR(hf, hd, 1e-5 * std::abs(hd));
  for (std::size_t k = 0; k < gd.size(); ++k) EXPECT_NEAR(gf[k], gd[k], 1e-5) << k;
}

TEST(LayeredNetwork, InitializationIsSeededAndScaled) {
  LayeredNetwork<double> a({{100, 50, 10}}), b({{100, 50, 10}}), c({{100, 50, 10}});
  a.initialize(Init::torch, 1);
  b.initialize(Init::torch, 1);
  c.initialize(Init::torch, 2);
  EXPECT_TRUE(std::equal(a.parameters().begin(), a.parameters().end(), b.parameters().begin()));
  EXPECT_FALSE(std::equal(a.parameters().begin(), a.parameters().end(), c.parameters().begin()));
  // torch: U(-1/sqrt(fan_in), +) has variance 1 / (3 fan_in).
  const auto w = a.weights(1);
  EXPECT_LE(w.cwiseAbs().maxCoeff(), 0.1);
  EXPECT_NEAR(w.squaredNorm() / static_cast<double>(w.size()), 1.0 / 300, 0.1 / 300);
  LayeredNetwork<double> he({{200, 100, 10}});
  he.initialize(Init::he, 1);
  EXPECT_NEAR(he.weights(1).squaredNorm() / 20000.0, 2.0 / 200, 0.05 * 2.0 / 200);
  EXPECT_EQ(he.bias(1).cwiseAbs().maxCoeff(), 0.0);
}

TEST(LayeredNetwork, BlocksAreLayers) {
  LayeredNetwork<float> net({{784, 256, 10}});
  EXPECT_EQ(net.blocks(), (std::vector<std::size_t>{784 * 256 + 256, 256 * 10 + 10}));
  EXPECT_EQ(net.parameters().size(), 784u * 256 + 256 + 2570);
  EXPECT_EQ(net.offset(2), 784u * 256 + 256);
}

TEST(LayeredNetwork, RejectsBadShapes) {
  EXPECT_THROW(parse_layer_sizes("784"), InvalidOption);
  EXPECT_THROW(parse_layer_sizes("784,0,10"), InvalidOption);
  EXPECT_THROW(parse_layer_sizes("784,x,10"), InvalidOption);
  EXPECT_EQ(parse_layer_sizes("2,16,1"), (std::vector<Eigen::Index>{2, 16, 1}));
  LayeredNetwork<double> net({{4, 3, 2}});
  std::vector<double> g(net.parameters().size());
  try {
    net.loss_and_gradient(Mat::Zero(5, 2), Mat::Zero(2, 2), g);
    FAIL() << "no error for 5 features into 4 inputs";
  } catch (const InvalidOption& e) {
    EXPECT_NE(std::string(e.what()).find("--layers"), std::string::npos);
  }
}

// The septuple view of a layered network: same outputs, same loss, same gradient, zero bulk loss.
TEST(Septuple, LayeredNetworkIsExactlyASeptuple) {
  LayeredSpec spec{{3, 5, 4, 2}, Activation::tanh, Activation::linear, OutputLoss::cross_entropy};
  LayeredNetwork<double> net(spec);
  net.initialize(Init::torch, 9);
  Septuple<double> sep = net.as_septuple();
  EXPECT_EQ(sep.spec().neurons, 14);
  EXPECT_EQ(sep.spec().steps, 3);
  const Mat x = random_matrix(3, 6, 4);
  const Mat t = one_hot(2, 6, 5);
  Mat y_net, y_sep;
  net.predict(x, y_net);
  sep.predict(x, y_sep);
  EXPECT_LT((y_net - y_sep).cwiseAbs().maxCoeff(), 1e-13);
  std::vector<double> g_net(net.parameters().size()), g_sep(sep.parameters().size());
  const double h_net = net.loss_and_gradient(x, t, g_net);
  const double h_sep = sep.loss_and_gradient(x, t, g_sep);
  EXPECT_NEAR(h_net, h_sep, 1e-13);
  // Map the septuple's gradient back to layers: w_ij in block (l, l-1), then b.
  std::vector<Eigen::Index> start = {0, 3, 8, 12};
  Mat dw = Mat::Zero(14, 14);
  const Mat w = sep.w();
  Eigen::Index k = 0;
  for (Eigen::Index j = 0; j < 14; ++j)
    for (Eigen::Index i = 0; i < 14; ++i)
      if (sep.spec().mask(i, j) && i >= 3) dw(i, j) = g_sep[static_cast<std::size_t>(k++)];
  EXPECT_EQ(k, sep.trainable_weights());
  for (int l = 1; l <= 3; ++l) {
    const auto a = static_cast<std::size_t>(l);
    Eigen::Map<const Mat> gw(g_net.data() + net.offset(l), net.size(l), net.size(l - 1));
    EXPECT_LT((gw - dw.block(start[a], start[a - 1], net.size(l), net.size(l - 1))).cwiseAbs().maxCoeff(), 1e-13);
    for (Eigen::Index i = 0; i < net.size(l); ++i)
      EXPECT_NEAR(g_net[net.offset(l) + static_cast<std::size_t>(net.size(l) * net.size(l - 1) + i)],
                  g_sep[static_cast<std::size_t>(k + start[a] + i)], 1e-13);
  }
  // Fixed point of the activation dynamics: the bulk loss vanishes.
  EXPECT_LT(sep.bulk_loss(sep.activate(x)), 1e-28);
}

class SeptupleGradient : public ::testing::TestWithParam<Activation> {};

TEST_P(SeptupleGradient, RecurrentBoundaryAndBulkMatchFiniteDifferences) {
  const Activation a = GetParam();
  auto sep = Septuple<double>::recurrent(2, 4, 2, a, a, OutputLoss::mse, 3, 1.5, 7);
  auto spec = sep.spec();
  spec.bulk_weight = 0.7;
  Septuple<double> net(spec);
  net.set_w(sep.w());
  net.set_b(random_matrix(8, 1, 3, 0.3));
  const Mat x = random_matrix(2, 5, 21);
  const Mat t = random_matrix(2, 5, 22, 0.5);
  EXPECT_LT(max_relative_gradient_error(net, x, t), 2e-6) << to_string(a);
  // Bulk only: the hidden states after 3 steps are not a fixed point of a recurrent network.
  spec.boundary_weight = 0;
  Septuple<double> bulk(spec);
  bulk.set_w(sep.w());
  EXPECT_GT(bulk.loss_parts(x, t).second, 1e-6);
  EXPECT_LT(max_relative_gradient_error(bulk, x, t), 2e-6) << to_string(a);
}

INSTANTIATE_TEST_SUITE_P(AllActivations, SeptupleGradient,
                         ::testing::Values(Activation::linear, Activation::tanh, Activation::relu, Activation::sigmoid,
                                           Activation::softplus),
                         [](const auto& param_info) { return std::string(to_string(param_info.param)); });

TEST(Septuple, InputNeuronsStayClampedAndMaskedWeightsAreNotVariables) {
  auto sep = Septuple<double>::recurrent(2, 3, 1, Activation::tanh, Activation::linear, OutputLoss::mse, 4, 1.0, 1);
  // No weight into an input neuron is a variable.
  EXPECT_EQ(sep.trainable_weights(), 6 * 6 - 2 * 6);
  const Mat x = random_matrix(2, 3, 8);
  const Mat& state = sep.activate(x);
  EXPECT_EQ(state.row(0), x.row(0));
  EXPECT_EQ(state.row(1), x.row(1));
  Mat w = sep.w();
  w(0, 3) = 1.0;  // into input neuron 0
  EXPECT_THROW(sep.set_w(w), std::invalid_argument);
}

TEST(Activation, VectorizedFormsMatchScalarClosedForms) {
  const Mat y = random_matrix(5, 40, 2, 4.0);
  for (Activation a : {Activation::linear, Activation::tanh, Activation::relu, Activation::sigmoid, Activation::softplus}) {
    Mat x(5, 40), d = Mat::Ones(5, 40);
    activate<double>(a, y, x);
    multiply_by_derivative<double>(a, y, x, d);
    for (Eigen::Index j = 0; j < y.cols(); ++j)
      for (Eigen::Index i = 0; i < y.rows(); ++i) {
        EXPECT_NEAR(x(i, j), activate(a, y(i, j)), 1e-14) << to_string(a);
        const double h = 1e-6, fd = (activate(a, y(i, j) + h) - activate(a, y(i, j) - h)) / (2 * h);
        EXPECT_NEAR(d(i, j), fd, 1e-7) << to_string(a) << " at " << y(i, j);
      }
  }
  // softplus stays exact where log(1 + e^y) would overflow.
  EXPECT_DOUBLE_EQ(activate(Activation::softplus, 800.0), 800.0);
  EXPECT_NEAR(activate(Activation::softplus, -40.0), std::exp(-40.0), 1e-30);
  EXPECT_THROW(activation_from_string("gelu"), InvalidOption);
}

TEST(Loss, CrossEntropyIsMinusLogSoftmax) {
  Mat x(3, 2);
  x << 1, 1000, 2, 0, 3, -1000;  // the second column would overflow a naive exp
  Mat t = Mat::Zero(3, 2);
  t(2, 0) = 1;
  t(0, 1) = 1;
  Mat g;
  const double h = boundary_loss<double>(OutputLoss::cross_entropy, x, t, g);
  const double z0 = std::exp(1.0) + std::exp(2.0) + std::exp(3.0);
  EXPECT_NEAR(h, 0.5 * (-(3.0 - std::log(z0)) + 0.0), 1e-14);
  EXPECT_NEAR(g(2, 0), 0.5 * (std::exp(3.0) / z0 - 1), 1e-15);
  EXPECT_NEAR(g(0, 1), 0.0, 1e-15);
  EXPECT_EQ(count_correct<double>(x, t), 2);
  Mat y(2, 1), u(2, 1);
  y << 1, 2;
  u << 0, 4;
  EXPECT_DOUBLE_EQ(boundary_loss<double>(OutputLoss::mse, y, u, g), 0.5 * (1 + 4));
  EXPECT_THROW(output_loss_from_string("hinge"), InvalidOption);
}

}  // namespace
}  // namespace ldyn::nn
