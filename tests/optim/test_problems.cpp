// Tests of the optimizer test problems: exact derivatives against finite differences, minimizers,
// documented starting points, the quadratic's spectrum and rotation, seeding, the statistics of the
// gradient noise, and the validation in make_problem().
#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "core/random.hpp"
#include "optim/problems/builtin.hpp"
#include "optim/problems/noisy_problem.hpp"
#include "optim/problems/problem.hpp"
#include "optim/problems/sampling.hpp"

namespace {

namespace P = ldyn::optim::problems;
using P::Matrix;
using P::Vector;
using Eigen::Index;

double max_abs(const Matrix& m) { return m.cwiseAbs().maxCoeff(); }

Vector gradient_of(const P::Problem& p, const Vector& x) {
  Vector g(p.dim());
  p.gradient(x, g);
  return g;
}

// Central differences, (f(x + h e_i) - f(x - h e_i)) / 2h, with h_i = 1e-5 max(1, |x_i|): the
// truncation error h^2 f''' / 6 and the rounding error eps |f| / h are both ~1e-8 relative here.
Vector fd_gradient(const P::Problem& p, const Vector& x) {
  Vector g(p.dim());
  Vector y = x;
  for (Index i = 0; i < p.dim(); ++i) {
    const double h = 1e-5 * std::max(1.0, std::abs(x[i]));
    y[i] = x[i] + h;
    const double fp = p.loss(y);
    y[i] = x[i] - h;
    const double fm = p.loss(y);
    y[i] = x[i];
    g[i] = (fp - fm) / (2.0 * h);
  }
  return g;
}

// Column j: (g(x + h e_j) - g(x - h e_j)) / 2h.
Matrix fd_hessian(const P::Problem& p, const Vector& x) {
  Matrix h(p.dim(), p.dim());
  Vector y = x;
  for (Index j = 0; j < p.dim(); ++j) {
    const double step = 1e-5 * std::max(1.0, std::abs(x[j]));
    y[j] = x[j] + step;
    const Vector gp = gradient_of(p, y);
    y[j] = x[j] - step;
    const Vector gm = gradient_of(p, y);
    y[j] = x[j];
    h.col(j) = (gp - gm) / (2.0 * step);
  }
  return h;
}

Vector gaussian(Index n, std::uint64_t seed, const char* stream) {
  ldyn::Rng rng = ldyn::make_stream(seed, stream);
  Vector z(n);
  P::detail::fill_standard_normal(rng, z);
  return z;
}

// The exact gradient and Hessian against finite differences at the start, near the minimizer and
// at a random point (none of them a stationary point, so the relative comparison is meaningful).
void expect_derivatives_match(const P::Problem& p) {
  SCOPED_TRACE(p.name() + " dim " + std::to_string(p.dim()));
  const Vector z = gaussian(p.dim(), 7, "test-points");
  const std::vector<Vector> points = {p.initial_point(), p.minimizer() + 0.3 * z, z};
  for (const Vector& x : points) {
    const Vector g = gradient_of(p, x);
    ASSERT_GT(g.lpNorm<Eigen::Infinity>(), 0.0);
    EXPECT_LE((g - fd_gradient(p, x)).lpNorm<Eigen::Infinity>(), 1e-6 * g.lpNorm<Eigen::Infinity>());
    const Matrix h = p.hessian(x);
    ASSERT_EQ(h.rows(), p.dim());
    ASSERT_EQ(h.cols(), p.dim());
    EXPECT_LE(max_abs(h - h.transpose()), 1e-12 * max_abs(h));
    EXPECT_LE(max_abs(h - fd_hessian(p, x)), 1e-5 * max_abs(h));
  }
}

// x* is a strict local minimum with the documented value: zero gradient, positive definite
// Hessian, loss(x*) == minimum_loss() exactly, and nothing lower nearby.
void expect_minimizer(const P::Problem& p) {
  SCOPED_TRACE(p.name() + " dim " + std::to_string(p.dim()));
  const Vector xs = p.minimizer();
  ASSERT_EQ(xs.size(), p.dim());
  const double scale = gradient_of(p, p.initial_point()).norm();
  EXPECT_LE(gradient_of(p, xs).norm(), 1e-10 * std::max(1.0, scale));
  EXPECT_EQ(p.loss(xs), p.minimum_loss());
  const Eigen::SelfAdjointEigenSolver<Matrix> eig(p.hessian(xs));
  EXPECT_GT(eig.eigenvalues().minCoeff(), 0.0);
  for (std::uint64_t s = 1; s <= 5; ++s) {
    const Vector x = xs + 1e-3 * gaussian(p.dim(), s, "perturbation");
    EXPECT_GT(p.loss(x), p.minimum_loss());
  }
  EXPECT_GT(p.loss(p.initial_point()), p.minimum_loss());
}

// Bitwise comparison of everything a problem defines, at one point.
bool identical(const P::Problem& a, const P::Problem& b) {
  if (a.dim() != b.dim()) return false;
  const Vector x = gaussian(a.dim(), 3, "compare");
  return a.initial_point() == b.initial_point() && a.minimizer() == b.minimizer() &&
         a.hessian(x) == b.hessian(x) && gradient_of(a, x) == gradient_of(b, x) &&
         a.loss(x) == b.loss(x) && a.minimum_loss() == b.minimum_loss();
}

P::ProblemSpec spec(const std::string& name, Index dim = 0, std::uint64_t seed = 1) {
  P::ProblemSpec s;
  s.name = name;
  s.dim = dim;
  s.seed = seed;
  return s;
}

struct Moments {
  Vector mean;
  Matrix cov;  // unbiased sample covariance
};

// Mean and covariance of f() over n draws.
Moments sample_moments(Index dim, int n, const std::function<void(Vector&)>& draw) {
  Vector d(dim);
  Vector sum = Vector::Zero(dim);
  Matrix sum2 = Matrix::Zero(dim, dim);
  for (int k = 0; k < n; ++k) {
    draw(d);
    sum += d;
    sum2.noalias() += d * d.transpose();
  }
  Moments m;
  m.mean = sum / static_cast<double>(n);
  m.cov = (sum2 - static_cast<double>(n) * m.mean * m.mean.transpose()) / static_cast<double>(n - 1);
  return m;
}

// The noise of p at x (stochastic minus exact gradient) has mean 0 and covariance `expected`,
// within 5 standard errors. For Gaussian noise the standard error of the mean is sqrt(S_ii / n) and
// that of a sample covariance entry sqrt((S_ii S_jj + S_ij^2) / n).
void expect_noise_moments(const P::Problem& p, const Matrix& expected, int n) {
  SCOPED_TRACE(p.name() + " dim " + std::to_string(p.dim()));
  const Vector x = p.initial_point();
  const Vector g = gradient_of(p, x);
  ldyn::Rng rng = ldyn::make_stream(11, "gradient-noise");
  const Moments m = sample_moments(p.dim(), n, [&](Vector& d) {
    p.stochastic_gradient(x, d, rng);
    d -= g;
  });
  for (Index i = 0; i < p.dim(); ++i) {
    EXPECT_LE(std::abs(m.mean[i]), 5.0 * std::sqrt(expected(i, i) / n)) << "mean " << i;
    for (Index j = 0; j < p.dim(); ++j) {
      const double se =
          std::sqrt((expected(i, i) * expected(j, j) + expected(i, j) * expected(i, j)) / n);
      EXPECT_NEAR(m.cov(i, j), expected(i, j), 5.0 * se) << "cov " << i << "," << j;
    }
  }
}

template <class F>
void expect_invalid_option(F&& f, const std::string& option) {
  try {
    f();
    ADD_FAILURE() << "no InvalidOption for " << option;
  } catch (const ldyn::InvalidOption& e) {
    EXPECT_EQ(e.option(), option) << e.what();
    EXPECT_NE(std::string(e.what()).find(option), std::string::npos) << e.what();
  }
}

// ---------------------------------------------------------------------------------------------
// Rosenbrock

TEST(ProblemRosenbrock, DerivativesMatchFiniteDifferences) {
  for (Index dim : {2, 3, 5}) expect_derivatives_match(P::Rosenbrock(dim));
}

TEST(ProblemRosenbrock, MinimizerIsAllOnes) {
  for (Index dim : {2, 5}) {
    const P::Rosenbrock p(dim);
    EXPECT_EQ(p.minimizer(), Vector::Ones(dim));
    EXPECT_EQ(p.minimum_loss(), 0.0);
    expect_minimizer(p);
  }
}

TEST(ProblemRosenbrock, ClassicStartAndKnownValues) {
  const P::Rosenbrock p2(2);
  const Vector x0 = p2.initial_point();
  EXPECT_EQ(x0, (Vector(2) << -1.2, 1.0).finished());
  // f(-1.2, 1) = 100 (1 - 1.44)^2 + 2.2^2 = 24.2; g = (-215.6, -88); textbook values.
  EXPECT_NEAR(p2.loss(x0), 24.2, 1e-12);
  const Vector g = gradient_of(p2, x0);
  EXPECT_NEAR(g[0], -215.6, 1e-10);
  EXPECT_NEAR(g[1], -88.0, 1e-10);
  // H* at (1, 1) = [[802, -400], [-400, 200]].
  EXPECT_EQ(p2.hessian(Vector::Ones(2)), (Matrix(2, 2) << 802, -400, -400, 200).finished());
  // Odd dimension: the pattern repeats and ends on -1.2.
  EXPECT_EQ(P::Rosenbrock(5).initial_point(),
            (Vector(5) << -1.2, 1.0, -1.2, 1.0, -1.2).finished());
}

// ---------------------------------------------------------------------------------------------
// Beale

TEST(ProblemBeale, DerivativesMatchFiniteDifferences) { expect_derivatives_match(P::Beale()); }

TEST(ProblemBeale, MinimizerStartAndKnownValues) {
  const P::Beale p;
  EXPECT_EQ(p.dim(), 2);
  EXPECT_EQ(p.minimizer(), (Vector(2) << 3.0, 0.5).finished());
  EXPECT_EQ(p.loss(p.minimizer()), 0.0);
  EXPECT_EQ(gradient_of(p, p.minimizer()), Vector::Zero(2));
  EXPECT_EQ(p.initial_point(), Vector::Ones(2));
  // f(1, 1) = 1.5^2 + 2.25^2 + 2.625^2
  EXPECT_DOUBLE_EQ(p.loss(p.initial_point()), 14.203125);
  expect_minimizer(p);
}

// ---------------------------------------------------------------------------------------------
// Rotated quadratic

TEST(ProblemRotatedQuadratic, DerivativesMatchFiniteDifferences) {
  expect_derivatives_match(P::RotatedQuadratic(20, 1));
  const auto p = P::make_problem(spec("rotated-quadratic"));  // the default 100-D one
  ASSERT_EQ(p->dim(), 100);
  expect_derivatives_match(*p);
  expect_minimizer(*p);
  EXPECT_EQ(p->minimizer(), Vector::Zero(100));
  EXPECT_EQ(p->minimum_loss(), 0.0);
}

TEST(ProblemRotatedQuadratic, EigenvalueSplit) {
  // dim -> number of eigenvalues in (30, 60): round(dim / 10), at least 1 from dim 2 on.
  const std::vector<std::pair<Index, Index>> cases = {{1, 0},  {2, 1},  {5, 1},  {10, 1},
                                                      {14, 1}, {15, 2}, {20, 2}, {100, 10}};
  for (const auto& [dim, high] : cases) {
    SCOPED_TRACE("dim " + std::to_string(dim));
    EXPECT_EQ(P::RotatedQuadratic::high_count(dim), high);
    const P::RotatedQuadratic p(dim, 4);
    // Read the spectrum off the Hessian itself, not off the stored eigenvalues.
    const Eigen::SelfAdjointEigenSolver<Matrix> eig(p.hessian(Vector::Zero(dim)));
    const Vector mu = eig.eigenvalues();
    const Index low_count = (mu.array() > 0.0 && mu.array() < 1.0).count();
    const Index high_count = (mu.array() > 30.0 && mu.array() < 60.0).count();
    EXPECT_EQ(low_count, dim - high);
    EXPECT_EQ(high_count, high);
    // And they are the stored ones.
    Vector stored = p.eigenvalues();
    std::sort(stored.begin(), stored.end());
    EXPECT_LE((stored - mu).lpNorm<Eigen::Infinity>(), 1e-10);
  }
}

TEST(ProblemRotatedQuadratic, RotationIsOrthogonalAndDiagonalizesH) {
  const P::RotatedQuadratic p(20, 9);
  const Matrix& q = p.rotation();
  EXPECT_LE(max_abs(q.transpose() * q - Matrix::Identity(20, 20)), 1e-12);
  EXPECT_LE(max_abs(q * q.transpose() - Matrix::Identity(20, 20)), 1e-12);
  const Matrix h = q * p.eigenvalues().asDiagonal() * q.transpose();
  EXPECT_LE(max_abs(p.hessian(Vector::Zero(20)) - h), 1e-12 * max_abs(h));
  // Not axis-aligned: the rotation mixes coordinates.
  EXPECT_GT(max_abs(h - Matrix(h.diagonal().asDiagonal())), 1.0);
}

TEST(ProblemRotatedQuadratic, RotationSignsAreFixedForHaar) {
  // Householder QR alone returns Q_00 = -|a_00| / |a_0|, always negative; with the sign fix
  // Q_00 = a_00 / |a_0| is positive half of the time. 400 seeds: 200 +- 10 (5 sigma = 50).
  int positive = 0;
  for (std::uint64_t seed = 1; seed <= 400; ++seed)
    positive += P::RotatedQuadratic(3, seed).rotation()(0, 0) > 0.0;
  EXPECT_GT(positive, 150);
  EXPECT_LT(positive, 250);
}

TEST(ProblemRotatedQuadratic, StartIsStandardNormalFromItsOwnStream) {
  const P::RotatedQuadratic p(100, 5);
  const Vector x0 = p.initial_point();
  EXPECT_EQ(x0, gaussian(100, 5, "rotated-quadratic-start"));
  // It looks like N(0, I): mean within 5 / sqrt(100), variance within 5 sqrt(2 / 100).
  EXPECT_LT(std::abs(x0.mean()), 0.5);
  EXPECT_NEAR(x0.squaredNorm() / 100.0, 1.0, 0.71);
  EXPECT_NE(x0, P::RotatedQuadratic(100, 6).initial_point());
}

TEST(ProblemRotatedQuadratic, SameSeedSameProblemOtherSeedOther) {
  const auto a = P::make_problem(spec("rotated-quadratic", 20, 3));
  const auto b = P::make_problem(spec("rotated-quadratic", 20, 3));
  const auto c = P::make_problem(spec("rotated-quadratic", 20, 4));
  EXPECT_TRUE(identical(*a, *b));
  EXPECT_FALSE(identical(*a, *c));
  EXPECT_NE(a->hessian(Vector::Zero(20)), c->hessian(Vector::Zero(20)));
}

// ---------------------------------------------------------------------------------------------
// Linear regression

TEST(ProblemLinearRegression, DerivativesMatchFiniteDifferences) {
  expect_derivatives_match(P::LinearRegression(10, 1));
  expect_derivatives_match(P::LinearRegression(3, 2));
}

TEST(ProblemLinearRegression, MinimizerIsTheLeastSquaresSolution) {
  for (Index dim : {1, 3, 10}) {
    const P::LinearRegression p(dim, 1);
    expect_minimizer(p);
    // Close to the generating weights (their error ~ 0.1 / (s_j sqrt(N)) <= 0.03) ...
    EXPECT_LT((p.minimizer() - p.true_weights()).lpNorm<Eigen::Infinity>(), 0.2);
    // ... and the residual is the label noise: min loss ~ 0.1^2 / 2 (N - dim) / N = 0.005.
    EXPECT_GT(p.minimum_loss(), 0.004);
    EXPECT_LT(p.minimum_loss(), 0.006);
  }
}

TEST(ProblemLinearRegression, DataStartAndConditioning) {
  const P::LinearRegression p(10, 1);
  EXPECT_EQ(p.initial_point(), Vector::Zero(10));
  EXPECT_EQ(p.features_transposed().cols(), 1000);
  EXPECT_EQ(p.targets().size(), 1000);
  // Feature j has RMS ~ 10^(-1 + 2 j / 9) (within 10%: its sampling error is ~ 1 / sqrt(2000)).
  for (Index j = 0; j < 10; ++j) {
    const double rms = p.features_transposed().row(j).norm() / std::sqrt(1000.0);
    EXPECT_NEAR(rms / std::pow(10.0, -1.0 + 2.0 * static_cast<double>(j) / 9.0), 1.0, 0.1) << j;
  }
  // H = X^T X / N, condition number ~ (10^2)^2.
  const Matrix& xt = p.features_transposed();
  const Matrix h = p.hessian(Vector::Zero(10));
  EXPECT_LE(max_abs(h - xt * xt.transpose() / 1000.0), 1e-12 * max_abs(h));
  const Eigen::SelfAdjointEigenSolver<Matrix> eig(h);
  const double cond = eig.eigenvalues().maxCoeff() / eig.eigenvalues().minCoeff();
  EXPECT_GT(cond, 3e3);
  EXPECT_LT(cond, 3e4);
}

TEST(ProblemLinearRegression, MinibatchGradientIsUnbiasedWithTheRightVariance) {
  const Index batch = 16;
  const P::LinearRegression p(4, 2, batch);
  ASSERT_EQ(p.batch(), batch);
  const Vector w = gaussian(4, 1, "w");
  const Vector g = gradient_of(p, w);
  ldyn::Rng rng = ldyn::make_stream(5, "minibatch");
  const int n = 20000;
  const Moments m = sample_moments(4, n, [&](Vector& d) { p.stochastic_gradient(w, d, rng); });
  // With replacement, Cov = 1/B Cov_i[x_i r_i] over the N samples.
  const Matrix& xt = p.features_transposed();
  const Vector r = xt.transpose() * w - p.targets();
  const Matrix per_sample = xt * r.asDiagonal();  // column i = x_i r_i
  const Matrix centered = per_sample.colwise() - g;
  const Matrix cov = centered * centered.transpose() / (1000.0 * static_cast<double>(batch));
  for (Index i = 0; i < 4; ++i) {
    EXPECT_NEAR(m.mean[i], g[i], 5.0 * std::sqrt(cov(i, i) / n)) << i;
    // Batch means of 16 are not Gaussian, so a generous 10% on the variances (SE ~ 1-2%).
    EXPECT_NEAR(m.cov(i, i) / cov(i, i), 1.0, 0.1) << i;
  }
  // It is noisy: a draw is not the exact gradient.
  Vector d(4);
  p.stochastic_gradient(w, d, rng);
  EXPECT_NE(d, g);
}

TEST(ProblemLinearRegression, SameSeedSameProblemOtherSeedOther) {
  const auto a = P::make_problem(spec("linear-regression", 0, 3));
  const auto b = P::make_problem(spec("linear-regression", 0, 3));
  const auto c = P::make_problem(spec("linear-regression", 0, 4));
  ASSERT_EQ(a->dim(), 10);
  EXPECT_TRUE(identical(*a, *b));
  EXPECT_FALSE(identical(*a, *c));
  EXPECT_NE(a->minimizer(), c->minimizer());
  // Same data and same rng -> same minibatch gradients.
  Vector ga(10);
  Vector gb(10);
  ldyn::Rng ra = ldyn::make_stream(1, "noise");
  ldyn::Rng rb = ldyn::make_stream(1, "noise");
  const Vector w = Vector::Ones(10);
  a->stochastic_gradient(w, ga, ra);
  b->stochastic_gradient(w, gb, rb);
  EXPECT_EQ(ga, gb);
}

// ---------------------------------------------------------------------------------------------
// Gradient noise

TEST(ProblemNoise, HessianShapedNoiseOnRosenbrock) {
  P::ProblemSpec s = spec("rosenbrock");
  s.noise = 0.5;
  const auto p = P::make_problem(s);
  // sigma^2 H*, H* = [[802, -400], [-400, 200]] written out (independent of the code under test).
  const Matrix expected = 0.25 * (Matrix(2, 2) << 802, -400, -400, 200).finished();
  expect_noise_moments(*p, expected, 20000);
}

TEST(ProblemNoise, HessianAndIsotropicNoiseOnQuadratic) {
  const P::RotatedQuadratic q(5, 2);
  const Matrix h = q.hessian(Vector::Zero(5));
  P::ProblemSpec s = spec("rotated-quadratic", 5, 2);
  s.noise = 0.3;
  expect_noise_moments(*P::make_problem(s), 0.09 * h, 20000);
  s.noise_shape = P::NoiseShape::isotropic;
  expect_noise_moments(*P::make_problem(s), 0.09 * Matrix::Identity(5, 5), 20000);
}

TEST(ProblemNoise, FactorIsASquareRootOfTheHessianAtTheMinimum) {
  auto inner = std::make_unique<P::LinearRegression>(6, 1);
  const Matrix hs = inner->hessian(inner->minimizer());
  const P::NoisyProblem p(std::move(inner), 0.2, P::NoiseShape::hessian);
  const Matrix l = p.noise_factor();
  EXPECT_LE(max_abs(l * l.transpose() - hs), 1e-10 * max_abs(hs));
  EXPECT_LE(max_abs(l - l.transpose()), 1e-14 * max_abs(l));
  const P::NoisyProblem iso(std::make_unique<P::Beale>(), 0.2, P::NoiseShape::isotropic);
  EXPECT_EQ(iso.noise_factor(), Matrix::Identity(2, 2));
}

TEST(ProblemNoise, DecoratorDelegatesEverythingButTheStochasticGradient) {
  P::ProblemSpec s = spec("beale");
  const auto exact = P::make_problem(s);
  s.noise = 0.1;
  const auto noisy = P::make_problem(s);
  ASSERT_NE(dynamic_cast<const P::NoisyProblem*>(noisy.get()), nullptr);
  EXPECT_EQ(dynamic_cast<const P::NoisyProblem*>(exact.get()), nullptr);
  EXPECT_TRUE(identical(*exact, *noisy));
  EXPECT_EQ(noisy->name(), "beale");
  const Vector x = exact->initial_point();
  Vector g(2);
  Vector ge(2);
  ldyn::Rng rng = ldyn::make_stream(1, "noise");
  exact->stochastic_gradient(x, g, rng);
  exact->gradient(x, ge);
  EXPECT_EQ(g, ge);  // noise 0: the exact gradient
  noisy->stochastic_gradient(x, g, rng);
  EXPECT_NE(g, ge);
}

TEST(ProblemNoise, LinearRegressionNoiseAddsToMinibatchNoiseAndStaysUnbiased) {
  P::ProblemSpec s = spec("linear-regression", 3, 1);
  s.batch = 8;
  const auto plain = P::make_problem(s);
  s.noise = 0.5;
  s.noise_shape = P::NoiseShape::isotropic;
  const auto noisy = P::make_problem(s);
  const Vector w = Vector::Ones(3);
  const Vector g = gradient_of(*plain, w);
  const int n = 20000;
  ldyn::Rng r1 = ldyn::make_stream(1, "noise");
  ldyn::Rng r2 = ldyn::make_stream(2, "noise");
  const Moments mp = sample_moments(3, n, [&](Vector& d) { plain->stochastic_gradient(w, d, r1); });
  const Moments mn = sample_moments(3, n, [&](Vector& d) { noisy->stochastic_gradient(w, d, r2); });
  for (Index i = 0; i < 3; ++i) {
    EXPECT_NEAR(mn.mean[i], g[i], 5.0 * std::sqrt(mn.cov(i, i) / n)) << i;
    // Independent noises add: Var = minibatch variance + sigma^2 (10% tolerance).
    EXPECT_NEAR(mn.cov(i, i) / (mp.cov(i, i) + 0.25), 1.0, 0.1) << i;
  }
}

// ---------------------------------------------------------------------------------------------
// make_problem and friends

TEST(ProblemRegistry, BuildsEveryProblemWithItsDefaults) {
  const std::vector<std::pair<std::string, Index>> defaults = {
      {"rosenbrock", 2}, {"beale", 2}, {"rotated-quadratic", 100}, {"linear-regression", 10}};
  const std::string names = P::problem_names();
  for (const auto& [name, dim] : defaults) {
    const auto p = P::make_problem(spec(name));
    EXPECT_EQ(p->name(), name);
    EXPECT_EQ(p->dim(), dim);
    EXPECT_EQ(p->initial_point().size(), dim);
    EXPECT_NE(names.find(name), std::string::npos);
  }
  EXPECT_EQ(P::make_problem(spec("rosenbrock", 2))->dim(), 2);
  EXPECT_EQ(P::make_problem(spec("rosenbrock", 7))->dim(), 7);
  EXPECT_EQ(P::make_problem(spec("beale", 2))->dim(), 2);
  EXPECT_EQ(P::make_problem(spec("rotated-quadratic", 1))->dim(), 1);
  EXPECT_EQ(P::make_problem(spec("linear-regression", 4))->dim(), 4);
}

TEST(ProblemRegistry, NoiseShapeFromString) {
  EXPECT_EQ(P::noise_shape_from_string("hessian"), P::NoiseShape::hessian);
  EXPECT_EQ(P::noise_shape_from_string("isotropic"), P::NoiseShape::isotropic);
  for (const char* bad : {"", "Hessian", "iso", "gaussian"})
    expect_invalid_option([&] { P::noise_shape_from_string(bad); }, "--noise-shape");
}

TEST(ProblemRegistry, BadInputsThrowInvalidOptionNamingTheOption) {
  const auto make = [](P::ProblemSpec s) { return [s] { P::make_problem(s); }; };
  for (const char* bad : {"", "rosenbrok", "Rosenbrock", "quadratic"}) {
    expect_invalid_option(make(spec(bad)), "--problem");
    try {
      P::make_problem(spec(bad));
    } catch (const ldyn::InvalidOption& e) {
      EXPECT_NE(std::string(e.what()).find("one of: " + P::problem_names()), std::string::npos)
          << e.what();
    }
  }
  for (const char* name : {"rosenbrock", "beale", "rotated-quadratic", "linear-regression"})
    for (Index dim : {-1, -100}) expect_invalid_option(make(spec(name, dim)), "--dim");
  expect_invalid_option(make(spec("rosenbrock", 1)), "--dim");
  for (Index dim : {1, 3, 10}) expect_invalid_option(make(spec("beale", dim)), "--dim");
  for (double noise : {-0.1, -1e-300, std::numeric_limits<double>::quiet_NaN(),
                       std::numeric_limits<double>::infinity()}) {
    P::ProblemSpec s = spec("rosenbrock");
    s.noise = noise;
    expect_invalid_option(make(s), "--noise");
  }
  for (Index batch : {0, -5}) {
    P::ProblemSpec s = spec("linear-regression");
    s.batch = batch;
    expect_invalid_option(make(s), "--batch");
  }
  // The classes defend themselves too.
  expect_invalid_option([] { P::Rosenbrock(1); }, "--dim");
  expect_invalid_option([] { P::RotatedQuadratic(0); }, "--dim");
  expect_invalid_option([] { P::LinearRegression(0); }, "--dim");
  expect_invalid_option([] { P::LinearRegression(3, 1, 0); }, "--batch");
  expect_invalid_option(
      [] { P::NoisyProblem(std::make_unique<P::Beale>(), -1.0, P::NoiseShape::hessian); },
      "--noise");
}

}  // namespace
