#include "nn/grow_prune/programmed_death.hpp"

#include <string>

#include <Eigen/Cholesky>

#include "core/error.hpp"
#include "nn/grow_prune/resize.hpp"

namespace ldyn::nn {

const char* to_string(Fold f) {
  switch (f) {
    case Fold::none: return "none";
    case Fold::correlated: return "correlated";
    case Fold::least_squares: return "least-squares";
  }
  return "?";
}

Fold fold_from_string(const std::string& name, const std::string& option) {
  for (Fold f : {Fold::none, Fold::correlated, Fold::least_squares})
    if (name == to_string(f)) return f;
  throw InvalidOption(option, "unknown fold '" + name + "' (one of: none, correlated, least-squares)");
}

namespace {

// Folds neuron j into its most correlated survivor; returns the partner (-1: into the bias only).
Eigen::Index fold_correlated(const LayerStatistics& st, Eigen::Index j, std::span<const char> alive, Eigen::MatrixXd& w,
                             Eigen::VectorXd& b) {
  const Eigen::Index k = most_correlated(st, j, alive);
  double a = 0;
  if (k >= 0) {
    a = st.covariance(j, k) / st.covariance(k, k);
    w.col(k) += a * w.col(j);
  }
  b += (st.mean(j) - (k >= 0 ? a * st.mean(k) : 0.0)) * w.col(j);
  return k;
}

// Folds neuron j into every varying survivor by the least-squares regression of x_j on them.
void fold_least_squares(const LayerStatistics& st, Eigen::Index j, std::span<const char> alive, Eigen::MatrixXd& w,
                        Eigen::VectorXd& b) {
  std::vector<Eigen::Index> s;
  for (Eigen::Index k = 0; k < st.neurons(); ++k)
    if (k != j && alive[static_cast<std::size_t>(k)] && st.covariance(k, k) > 0) s.push_back(k);
  double c = st.mean(j);
  if (!s.empty() && st.covariance(j, j) > 0) {
    const auto m = static_cast<Eigen::Index>(s.size());
    Eigen::MatrixXd css(m, m);
    Eigen::VectorXd csj(m);
    for (Eigen::Index p = 0; p < m; ++p) {
      csj(p) = st.covariance(s[static_cast<std::size_t>(p)], j);
      for (Eigen::Index q = 0; q < m; ++q) css(p, q) = st.covariance(s[static_cast<std::size_t>(p)], s[static_cast<std::size_t>(q)]);
    }
    // A relative ridge of 1e-9 keeps the solve defined when survivors are collinear (duplicates):
    // it then splits the fold among them instead of failing.
    css.diagonal().array() += 1e-9 * css.diagonal().mean();
    const Eigen::VectorXd beta = css.ldlt().solve(csj);
    for (Eigen::Index p = 0; p < m; ++p) {
      const Eigen::Index k = s[static_cast<std::size_t>(p)];
      w.col(k) += beta(p) * w.col(j);
      c -= beta(p) * st.mean(k);
    }
  }
  b += c * w.col(j);
}

}  // namespace

DeathResult programmed_death(const LayeredNetwork<float>& net, int layer, Eigen::Index count, Efficiency measure, Fold fold,
                             const LayerStatistics& st, Rng& rng) {
  require_hidden_layer(net, layer);
  const Eigen::Index n = net.size(layer);
  if (st.neurons() != n) throw std::invalid_argument("programmed_death: statistics of another layer size");
  if (count < 0 || count >= n)
    throw InvalidOption("--death-count", "can remove 0.." + std::to_string(n - 1) + " of the layer's " + std::to_string(n) +
                                             " neurons (got " + std::to_string(count) + ")");
  Eigen::MatrixXd w = net.weights(layer + 1).cast<double>();
  Eigen::VectorXd b = net.bias(layer + 1).cast<double>();
  std::vector<char> alive(static_cast<std::size_t>(n), 1);
  DeathResult result{net, {}, {}};
  for (Eigen::Index step = 0; step < count; ++step) {
    const Eigen::VectorXd e = neuron_efficiency(measure, w, st, alive, rng);
    Eigen::Index j = -1;
    for (Eigen::Index i = 0; i < n; ++i)
      if (alive[static_cast<std::size_t>(i)] && (j < 0 || e(i) < e(j))) j = i;
    alive[static_cast<std::size_t>(j)] = 0;  // before the fold: a neuron is never its own partner
    DeathRecord rec{j, e(j), -1};
    if (fold == Fold::correlated) rec.partner = fold_correlated(st, j, alive, w, b);
    if (fold == Fold::least_squares) fold_least_squares(st, j, alive, w, b);
    result.removed.push_back(rec);
  }
  for (Eigen::Index i = 0; i < n; ++i)
    if (alive[static_cast<std::size_t>(i)]) result.survivors.push_back(i);
  result.network = with_neurons(net, layer, result.survivors);
  auto next = result.network.weights(layer + 1);
  for (std::size_t c = 0; c < result.survivors.size(); ++c)
    next.col(static_cast<Eigen::Index>(c)) = w.col(result.survivors[c]).cast<float>();
  result.network.bias(layer + 1) = b.cast<float>();
  return result;
}

}  // namespace ldyn::nn
