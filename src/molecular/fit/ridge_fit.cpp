#include "molecular/fit/ridge_fit.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <Eigen/Cholesky>
#include <Eigen/QR>

#include "core/error.hpp"

namespace ldyn::molecular {

void RidgeAccumulator::Gram::add(const Eigen::MatrixXd& a, const Eigen::VectorXd& y) {
  if (ata.size() == 0) {
    ata.setZero(a.cols(), a.cols());
    aty.setZero(a.cols());
  }
  ata.selfadjointView<Eigen::Lower>().rankUpdate(a.transpose());
  aty.noalias() += a.transpose() * y;
  yty += y.squaredNorm();
  ysum += y.sum();
  rows += a.rows();
}

RidgeAccumulator::Gram& RidgeAccumulator::Gram::operator+=(const Gram& o) {
  if (o.ata.size() == 0) return *this;
  if (ata.size() == 0) {
    *this = o;
    return *this;
  }
  ata += o.ata;
  aty += o.aty;
  yty += o.yty;
  ysum += o.ysum;
  rows += o.rows;
  return *this;
}

double RidgeAccumulator::Gram::sse(const Eigen::VectorXd& c) const {
  if (rows == 0) return 0.0;
  const double v = c.dot(ata.selfadjointView<Eigen::Lower>() * c) - 2.0 * c.dot(aty) + yty;
  return std::max(v, 0.0);
}

RidgeAccumulator::RidgeAccumulator(const ModelSpec& spec, int folds, bool keep_rows)
    : spec_(spec), folds_(folds), keep_rows_(keep_rows) {
  if (folds < 1) throw InvalidOption("--folds", "must be >= 1");
  groups_.assign(static_cast<std::size_t>(folds) + 1, std::vector<Gram>(spec.species.size()));
  if (keep_rows) rows_.assign(groups_.size(), std::vector<Rows>(spec.species.size()));
}

void RidgeAccumulator::add(const ForceDesign& design, int group) {
  auto& g = groups_.at(static_cast<std::size_t>(group));
  for (std::size_t s = 0; s < g.size(); ++s)
    if (design.matrix[s].rows() > 0) {
      g[s].add(design.matrix[s], design.target[s]);
      if (keep_rows_) {
        rows_[static_cast<std::size_t>(group)][s].a.push_back(design.matrix[s]);
        rows_[static_cast<std::size_t>(group)][s].y.push_back(design.target[s]);
      }
    }
}

void RidgeAccumulator::stack(const std::vector<bool>& use, int s, Eigen::MatrixXd& a, Eigen::VectorXd& y) const {
  Eigen::Index n = 0, cols = 0;
  for (std::size_t k = 0; k < rows_.size(); ++k)
    for (std::size_t q = 0; q < rows_[k].size(); ++q)
      if (use[k] && (s < 0 || static_cast<int>(q) == s))
        for (const auto& m : rows_[k][q].a) {
          n += m.rows();
          cols = m.cols();
        }
  a.resize(n, cols);
  y.resize(n);
  Eigen::Index at = 0;
  for (std::size_t k = 0; k < rows_.size(); ++k)
    for (std::size_t q = 0; q < rows_[k].size(); ++q)
      if (use[k] && (s < 0 || static_cast<int>(q) == s))
        for (std::size_t b = 0; b < rows_[k][q].a.size(); ++b) {
          const auto& m = rows_[k][q].a[b];
          a.middleRows(at, m.rows()) = m;
          y.segment(at, m.rows()) = rows_[k][q].y[b];
          at += m.rows();
        }
}

Eigen::VectorXd RidgeAccumulator::solve_qr(const std::vector<bool>& use, int s, double lambda, const Gram& g,
                                           const Eigen::MatrixXd& penalty_rows) const {
  Eigen::MatrixXd a;
  Eigen::VectorXd y;
  stack(use, s, a, y);
  const Eigen::Index p = a.cols(), n = a.rows();
  const double mu = std::max(g.ata.trace() / static_cast<double>(p), std::numeric_limits<double>::min());
  const Eigen::Index m = penalty_rows.rows();
  Eigen::MatrixXd aug(n + m, p);
  aug.topRows(n) = a;
  aug.bottomRows(m) = penalty_rows * std::sqrt(lambda * mu);
  Eigen::VectorXd rhs = Eigen::VectorXd::Zero(n + m);
  rhs.head(n) = y;
  Eigen::VectorXd c = Eigen::CompleteOrthogonalDecomposition<Eigen::MatrixXd>(aug).solve(rhs);
  if (!c.allFinite()) throw NonFiniteError("ridge fit: non-finite coefficients");
  return c;
}

double RidgeAccumulator::sse(const std::vector<bool>& use, int s, const Gram& g, const Eigen::VectorXd& c) const {
  if (!keep_rows_) return g.sse(c);
  Eigen::MatrixXd a;
  Eigen::VectorXd y;
  stack(use, s, a, y);
  return a.rows() ? (a * c - y).squaredNorm() : 0.0;
}

RidgeAccumulator::Gram RidgeAccumulator::sum(const std::vector<bool>& use, int s) const {
  Gram total;
  for (std::size_t k = 0; k < groups_.size(); ++k) {
    if (!use[k]) continue;
    for (std::size_t q = 0; q < groups_[k].size(); ++q)
      if (s < 0 || static_cast<int>(q) == s) total += groups_[k][q];
  }
  return total;
}

Eigen::VectorXd RidgeAccumulator::solve_one(const Gram& g, double lambda, const Eigen::MatrixXd& penalty) {
  const Eigen::Index p = g.ata.rows();
  if (p == 0) return {};
  const double mu = std::max(g.ata.trace() / static_cast<double>(p), std::numeric_limits<double>::min());
  Eigen::MatrixXd m = g.ata.selfadjointView<Eigen::Lower>();
  m += (lambda * mu) * penalty;
  Eigen::LDLT<Eigen::MatrixXd> ldlt(m);
  if (ldlt.info() != Eigen::Success) throw NonFiniteError("ridge fit: the normal equations could not be solved");
  Eigen::VectorXd c = ldlt.solve(g.aty);
  if (!c.allFinite()) throw NonFiniteError("ridge fit: non-finite coefficients (increase the regularization)");
  return c;
}

RidgeResult RidgeAccumulator::solve(const RidgeSettings& settings) const {
  if (settings.lambdas.empty()) throw InvalidOption("--lambdas", "needs at least one value");
  for (double l : settings.lambdas)
    if (!(std::isfinite(l) && l >= 0.0)) throw InvalidOption("--lambdas", "values must be finite and >= 0");
  const int types = spec_.types();
  const bool agent = spec_.dynamics == Dynamics::agent;
  const auto ngroups = groups_.size();
  std::vector<bool> train(ngroups, true), test(ngroups, false);
  train[static_cast<std::size_t>(folds_)] = false;
  test[static_cast<std::size_t>(folds_)] = true;

  RidgeResult result;
  result.coefficients.setZero(spec_.total_size());
  result.species.resize(static_cast<std::size_t>(types));
  result.smoothness = settings.smoothness;

  // One problem per species (agent) or one joint problem (symmetric, problem index −1).
  const int problems = agent ? types : 1;
  for (int prob = 0; prob < problems; ++prob) {
    const int s_sel = agent ? prob : -1;
    const Eigen::MatrixXd penalty = penalty_matrix(spec_, s_sel, settings.smoothness);
    std::vector<double> cv(settings.lambdas.size(), 0.0);
    long cv_rows = 0;
    const bool cross_validate = folds_ >= 2 && settings.lambdas.size() > 1;
    if (cross_validate) {
      for (int k = 0; k < folds_; ++k) {
        std::vector<bool> fit_on = train;
        fit_on[static_cast<std::size_t>(k)] = false;
        std::vector<bool> held(ngroups, false);
        held[static_cast<std::size_t>(k)] = true;
        const Gram g = sum(fit_on, s_sel);
        const Gram h = sum(held, s_sel);
        cv_rows += h.rows;
        for (std::size_t q = 0; q < settings.lambdas.size(); ++q)
          if (g.rows > 0 && h.rows > 0) cv[q] += h.sse(solve_one(g, settings.lambdas[q], penalty));
      }
    }
    std::size_t best = 0;
    for (std::size_t q = 1; q < cv.size(); ++q)
      if (cv[q] < cv[best]) best = q;
    const double lambda = settings.lambdas[best];
    const Gram all = sum(train, s_sel);
    if (all.rows == 0) throw Error("ridge fit: no training rows" + std::string(agent ? " for species " + spec_.species.symbols[static_cast<std::size_t>(prob)] : ""));
    if (settings.solver == RidgeSettings::Solver::qr && !keep_rows_)
      throw InvalidOption("--solver", "qr needs the design rows kept (RidgeAccumulator keep_rows)");
    const Eigen::VectorXd c = settings.solver == RidgeSettings::Solver::qr ? solve_qr(train, s_sel, lambda, all, penalty_rows(spec_, s_sel, settings.smoothness))
                                                                          : solve_one(all, lambda, penalty);
    const int offset = agent ? spec_.species_offset(prob) : 0;
    result.coefficients.segment(offset, c.size()) = c;

    for (int s = 0; s < types; ++s) {
      if (agent && s != prob) continue;
      SpeciesScore& score = result.species[static_cast<std::size_t>(s)];
      score.lambda = lambda;
      score.cv_rmse.clear();
      for (double e : cv) score.cv_rmse.push_back(cross_validate && cv_rows ? std::sqrt(e / static_cast<double>(cv_rows)) : std::nan(""));
    }
  }
  // Scores per species of the atoms the forces act on.
  const std::vector<SpeciesScore> scores = score(result.coefficients);
  for (std::size_t s = 0; s < scores.size(); ++s) {
    SpeciesScore& out = result.species[s];
    const double lambda = out.lambda;
    std::vector<double> cv = std::move(out.cv_rmse);
    out = scores[s];
    out.lambda = lambda;
    out.cv_rmse = std::move(cv);
  }
  return result;
}

std::vector<SpeciesScore> RidgeAccumulator::score(const Eigen::VectorXd& coefficients) const {
  const int types = spec_.types();
  const bool agent = spec_.dynamics == Dynamics::agent;
  std::vector<bool> train(groups_.size(), true), test(groups_.size(), false);
  train[static_cast<std::size_t>(folds_)] = false;
  test[static_cast<std::size_t>(folds_)] = true;
  std::vector<SpeciesScore> out(static_cast<std::size_t>(types));
  for (int s = 0; s < types; ++s) {
    const Eigen::VectorXd c = agent ? Eigen::VectorXd(coefficients.segment(spec_.species_offset(s), spec_.species_size(s)))
                                    : coefficients;
    SpeciesScore& score = out[static_cast<std::size_t>(s)];
    const Gram tr = sum(train, s), te = sum(test, s);
    const double sse_train = sse(train, s, tr, c), sse_test = sse(test, s, te, c);
    score.rows_train = tr.rows;
    score.rows_test = te.rows;
    score.rmse_train = tr.rows ? std::sqrt(sse_train / static_cast<double>(tr.rows)) : std::nan("");
    score.r2_train = tr.rows ? 1.0 - sse_train / tr.sst() : std::nan("");
    score.rmse_test = te.rows ? std::sqrt(sse_test / static_cast<double>(te.rows)) : std::nan("");
    score.r2_test = te.rows ? 1.0 - sse_test / te.sst() : std::nan("");
  }
  return out;
}

}  // namespace ldyn::molecular
