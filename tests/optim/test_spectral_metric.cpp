// SpectralMetric: g = (kappa + eps_in)^alpha + eps_out as a matrix function, checked on random
// symmetric matrices with known spectra kappa = Q diag(l) Q^T.
#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <span>
#include <vector>

#include <Eigen/Dense>
#include <gtest/gtest.h>

#include "optim/optimizer.hpp"
#include "optim/presets.hpp"
#include "optim/spectral_metric.hpp"
#include "optim/step_context.hpp"

namespace {

using Eigen::MatrixXd;
using Eigen::VectorXd;
using ldyn::optim::SpectralMetric;
using ldyn::optim::StepContext;

struct Spectrum {
  MatrixXd Q;  ///< orthogonal
  VectorXd l;  ///< eigenvalues
  MatrixXd kappa() const { return Q * l.asDiagonal() * Q.transpose(); }
  /// Q diag(f(l)) Q^T
  template <class F>
  MatrixXd function(F f) const {
    VectorXd v(l.size());
    for (Eigen::Index i = 0; i < l.size(); ++i) v[i] = f(l[i]);
    return Q * v.asDiagonal() * Q.transpose();
  }
};

/// Q from the QR decomposition of a seeded Gaussian matrix; l log-uniform in (1e-3, 10).
Spectrum random_spectrum(Eigen::Index n, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal;
  std::uniform_real_distribution<double> exponent(-3.0, 1.0);
  MatrixXd G(n, n);
  for (Eigen::Index i = 0; i < G.size(); ++i) G.data()[i] = normal(rng);
  Spectrum s;
  s.Q = Eigen::HouseholderQR<MatrixXd>(G).householderQ();
  s.l = VectorXd(n);
  for (Eigen::Index i = 0; i < n; ++i) s.l[i] = std::pow(10.0, exponent(rng));
  return s;
}

StepContext context(double alpha, double eps_in, double eps_out) {
  StepContext c;
  c.alpha = alpha;
  c.eps_in = eps_in;
  c.eps_out = eps_out;
  return c;
}

double rel(const MatrixXd& got, const MatrixXd& want) {
  return (got - want).cwiseAbs().maxCoeff() / want.cwiseAbs().maxCoeff();
}

TEST(SpectralMetric, IsTheMatrixFunctionOfKappa) {
  const double eps_in = 1e-4, eps_out = 1e-6;
  double worst = 0.0;
  for (const Eigen::Index n : {5, 20, 60}) {
    const Spectrum s = random_spectrum(n, 100 + static_cast<std::uint64_t>(n));
    const MatrixXd kappa = s.kappa();
    VectorXd f(n);
    std::mt19937_64 rng(7);
    std::normal_distribution<double> normal;
    for (Eigen::Index i = 0; i < n; ++i) f[i] = normal(rng);
    for (const double alpha : {0.0, 0.25, 0.5, 1.0}) {
      const auto mu = [&](double l) { return std::pow(l + eps_in, alpha) + eps_out; };
      for (const double scale : {1.0, 2.5}) {  // refresh(kappa, scale) is the metric of scale * kappa
        SpectralMetric<double> g(n);
        ASSERT_TRUE(g.refresh(kappa, scale, context(alpha, eps_in, eps_out)));
        EXPECT_FALSE(g.diagonal_fallback());
        const double e_metric = rel(g.metric(), s.function([&](double l) { return mu(scale * l); }));
        VectorXd out(n);
        g.apply_inverse(f, out);
        const VectorXd want = s.function([&](double l) { return 1.0 / mu(scale * l); }) * f;
        const double e_inverse = (out - want).cwiseAbs().maxCoeff() / want.cwiseAbs().maxCoeff();
        EXPECT_LE(e_metric, 1e-10) << "n " << n << " alpha " << alpha << " scale " << scale;
        EXPECT_LE(e_inverse, 1e-10) << "n " << n << " alpha " << alpha << " scale " << scale;
        worst = std::max({worst, e_metric, e_inverse});
        // The effective-rank input: eigenvalues of g, in ascending order of kappa's.
        VectorXd l_sorted = s.l;
        std::sort(l_sorted.data(), l_sorted.data() + n);
        for (Eigen::Index i = 0; i < n; ++i)
          EXPECT_NEAR(g.metric_eigenvalues()[i], mu(scale * l_sorted[i]), 1e-10 * mu(scale * l_sorted[i]));
      }
    }
  }
  std::printf("[ spectral ] worst relative error of g and g^-1 f: %.2e\n", worst);
}

TEST(SpectralMetric, SquareRootMetricSquaresToKappaPlusEps) {
  const double eps_in = 1e-3;
  for (const Eigen::Index n : {5, 20, 60}) {
    const Spectrum s = random_spectrum(n, 200 + static_cast<std::uint64_t>(n));
    const MatrixXd kappa = s.kappa();
    SpectralMetric<double> g(n);
    g.refresh(kappa, 1.0, context(0.5, eps_in, 0.0));
    const MatrixXd m = g.metric();
    EXPECT_LE(rel(m * m, kappa + eps_in * MatrixXd::Identity(n, n)), 1e-10) << n;
    EXPECT_LE(rel(m, m.transpose()), 1e-14) << "g must be symmetric";
  }
}

TEST(SpectralMetric, NaturalMetricInvertsKappa) {
  for (const Eigen::Index n : {5, 20, 60}) {
    const Spectrum s = random_spectrum(n, 300 + static_cast<std::uint64_t>(n));
    const MatrixXd kappa = s.kappa();
    SpectralMetric<double> g(n);
    g.refresh(kappa, 1.0, context(1.0, 0.0, 0.0));
    MatrixXd product(n, n);
    VectorXd col(n);
    for (Eigen::Index j = 0; j < n; ++j) {
      g.apply_inverse(kappa.col(j), col);
      product.col(j) = col;
    }
    // cond(kappa) <= 1e4: the product is I to ~1e4 * 1e-16.
    EXPECT_LE((product - MatrixXd::Identity(n, n)).cwiseAbs().maxCoeff(), 1e-10) << n;
  }
}

TEST(SpectralMetric, NegativeEigenvaluesAreClampedToZero) {
  const Eigen::Index n = 20;
  Spectrum s = random_spectrum(n, 400);
  s.l[3] = -0.5;  // not positive semi-definite
  s.l[11] = -1e-3;
  const MatrixXd kappa = s.kappa();
  for (const double alpha : {0.25, 0.5, 1.0}) {
    const double eps_in = 1e-4, eps_out = 1e-5;
    SpectralMetric<double> g(n);
    g.refresh(kappa, 1.0, context(alpha, eps_in, eps_out));
    const double floor_phi = 1.0 / (std::pow(eps_in, alpha) + eps_out);
    // Eigenvalues ascend: the two negative ones come first and get exactly phi(0).
    EXPECT_EQ(g.inverse_eigenvalues()[0], floor_phi);
    EXPECT_EQ(g.inverse_eigenvalues()[1], floor_phi);
    EXPECT_LT(g.inverse_eigenvalues()[2], floor_phi);
    const MatrixXd want =
        s.function([&](double l) { return std::pow(std::max(l, 0.0) + eps_in, alpha) + eps_out; });
    EXPECT_LE(rel(g.metric(), want), 1e-10) << "alpha " << alpha;
    EXPECT_TRUE(g.metric().allFinite());
  }
}

TEST(SpectralMetric, ReadsOnlyTheLowerTriangle) {
  const Eigen::Index n = 20;
  const Spectrum s = random_spectrum(n, 500);
  const MatrixXd kappa = s.kappa();
  MatrixXd garbage = kappa, poisoned = kappa;
  std::mt19937_64 rng(5);
  std::normal_distribution<double> normal;
  for (Eigen::Index j = 1; j < n; ++j)
    for (Eigen::Index i = 0; i < j; ++i) {
      garbage(i, j) = 1e6 * normal(rng);
      poisoned(i, j) = std::numeric_limits<double>::quiet_NaN();
    }
  const StepContext c = context(0.5, 1e-6, 0.0);
  SpectralMetric<double> a(n), b(n), p(n);
  a.refresh(kappa, 1.0, c);
  b.refresh(garbage, 1.0, c);
  p.refresh(poisoned, 1.0, c);
  EXPECT_FALSE(p.diagonal_fallback());
  for (const SpectralMetric<double>* other : {&b, &p}) {
    EXPECT_EQ(other->eigenvectors(), a.eigenvectors());
    EXPECT_EQ(other->inverse_eigenvalues(), a.inverse_eigenvalues());
    EXPECT_EQ(other->metric(), a.metric());
  }
}

// Between refreshes the basis is kept and lambda_i = v_i^T kappa v_i follows the rank-one updates.
TEST(SpectralMetric, TrackFollowsKappaInTheKeptBasis) {
  const Eigen::Index n = 20;
  const Spectrum s = random_spectrum(n, 600);
  const MatrixXd K0 = s.kappa();
  std::mt19937_64 rng(6);
  std::normal_distribution<double> normal;
  VectorXd d(n);
  for (Eigen::Index i = 0; i < n; ++i) d[i] = normal(rng);
  StepContext c = context(0.5, 1e-6, 1e-7);
  c.b2 = 0.99;
  c.w2 = 0.01;
  c.eps_acc = 1e-5;
  const double scale = 1.7;
  SpectralMetric<double> g(n);
  g.refresh(K0, scale, c);
  const MatrixXd V = g.eigenvectors();
  g.track(d, scale, c);
  EXPECT_EQ(g.eigenvectors(), V) << "track() keeps the basis";
  const MatrixXd K1 = c.b2 * K0 + c.w2 * d * d.transpose() + c.eps_acc * MatrixXd::Identity(n, n);
  const VectorXd want = (V.transpose() * K1 * V).diagonal();
  EXPECT_LE((g.kappa_eigenvalues() - want).cwiseAbs().maxCoeff(), 1e-12 * want.maxCoeff());
  VectorXd mu(n);
  for (Eigen::Index i = 0; i < n; ++i) mu[i] = std::pow(scale * want[i] + c.eps_in, 0.5) + c.eps_out;
  EXPECT_LE(rel(g.metric(), V * mu.asDiagonal() * V.transpose()), 1e-12);

  // An update along an eigenvector keeps kappa's eigenbasis: then tracking is exact.
  SpectralMetric<double> tracked(n), fresh(n);
  tracked.refresh(K0, scale, c);
  const VectorXd v = 0.3 * tracked.eigenvectors().col(7);
  tracked.track(v, scale, c);
  const MatrixXd K2 = c.b2 * K0 + c.w2 * v * v.transpose() + c.eps_acc * MatrixXd::Identity(n, n);
  fresh.refresh(K2, scale, c);
  EXPECT_LE(rel(tracked.metric(), fresh.metric()), 1e-12);
}

// The effective rank the dense engine reports is the participation ratio (sum mu)^2 / sum mu^2 of
// the metric's eigenvalues mu = (lambda + eps_in)^alpha + eps_out, computed here from an
// independent replay of the kappa recursion.
TEST(SpectralMetric, DenseEngineEffectiveRankIsTheParticipationRatio) {
  const std::size_t n = 6;
  const long steps = 25;
  std::mt19937_64 rng(8);
  std::normal_distribution<double> normal;
  for (const auto& [structure, block_size] :
       {std::pair{ldyn::optim::Structure::full, std::size_t{0}}, std::pair{ldyn::optim::Structure::block, std::size_t{4}}}) {
    ldyn::optim::Options o = ldyn::optim::preset("cgd-full");
    o.structure = structure;
    o.block_size = block_size;
    o.eps_inside = 1e-4;
    o.eps_outside = 1e-3;
    o.alpha = 0.5;
    ldyn::optim::Optimizer<double> opt(o);
    opt.add_group({n});
    const std::vector<Eigen::Index> starts = block_size == 0 ? std::vector<Eigen::Index>{0}
                                                             : std::vector<Eigen::Index>{0, 4};
    const std::vector<Eigen::Index> sizes = block_size == 0 ? std::vector<Eigen::Index>{6}
                                                            : std::vector<Eigen::Index>{4, 2};
    VectorXd q = VectorXd::Zero(n), g(n), m = VectorXd::Zero(n);
    MatrixXd K = MatrixXd::Zero(n, n);
    for (long t = 1; t <= steps; ++t) {
      for (std::size_t i = 0; i < n; ++i) g[static_cast<Eigen::Index>(i)] = 0.3 + normal(rng) * std::pow(2.0, static_cast<double>(i));
      const auto report = opt.step(std::span<double>(q.data(), n), std::span<const double>(g.data(), n));
      m = o.beta1 * m + (1 - o.beta1) * g;
      const VectorXd dv = g - m;
      K = o.beta2 * K + (1 - o.beta2) * dv * dv.transpose();
      const double c2 = 1.0 / (1.0 - std::pow(o.beta2, static_cast<double>(t)));
      double sum = 0.0, sum_sq = 0.0;
      for (std::size_t b = 0; b < starts.size(); ++b) {
        const MatrixXd block = c2 * K.block(starts[b], starts[b], sizes[b], sizes[b]);
        const VectorXd lambda = Eigen::SelfAdjointEigenSolver<MatrixXd>(block).eigenvalues();
        for (Eigen::Index i = 0; i < lambda.size(); ++i) {
          const double mu = std::pow(std::max(lambda[i], 0.0) + o.eps_inside, o.alpha) + o.eps_outside;
          sum += mu;
          sum_sq += mu * mu;
        }
      }
      const double want = sum * sum / sum_sq;
      EXPECT_NEAR(report.effective_rank, want, 1e-10 * want) << "step " << t;
      EXPECT_GE(report.effective_rank, 1.0);
      EXPECT_LE(report.effective_rank, static_cast<double>(n));
    }
  }
  // Diagonal engines have no spectrum to report.
  ldyn::optim::Optimizer<double> adam(ldyn::optim::preset("adam"));
  adam.add_group({n});
  VectorXd q = VectorXd::Zero(n), g = VectorXd::Ones(n);
  EXPECT_TRUE(std::isnan(adam.step(std::span<double>(q.data(), n), std::span<const double>(g.data(), n)).effective_rank));
}

}  // namespace
