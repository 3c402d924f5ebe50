#include "nn/grow_prune/neuron_efficiency.hpp"

#include <cmath>
#include <limits>

#include "core/error.hpp"

namespace ldyn::nn {

namespace {
constexpr Efficiency kAll[] = {Efficiency::contribution, Efficiency::redundancy, Efficiency::random};
bool is_alive(std::span<const char> alive, Eigen::Index i) { return alive.empty() || alive[static_cast<std::size_t>(i)]; }
}  // namespace

const char* to_string(Efficiency e) {
  switch (e) {
    case Efficiency::contribution: return "contribution";
    case Efficiency::redundancy: return "redundancy";
    case Efficiency::random: return "random";
  }
  return "?";
}

std::string efficiency_names() {
  std::string s;
  for (Efficiency e : kAll) s += (s.empty() ? "" : ", ") + std::string(to_string(e));
  return s;
}

Efficiency efficiency_from_string(const std::string& name, const std::string& option) {
  for (Efficiency e : kAll)
    if (name == to_string(e)) return e;
  throw InvalidOption(option, "unknown efficiency measure '" + name + "' (one of: " + efficiency_names() + ")");
}

Eigen::Index most_correlated(const LayerStatistics& st, Eigen::Index j, std::span<const char> alive) {
  Eigen::Index best = -1;
  double best_r2 = -1;
  for (Eigen::Index k = 0; k < st.neurons(); ++k) {
    if (k == j || !is_alive(alive, k) || !(st.covariance(k, k) > 0)) continue;
    const double r = st.correlation(j, k);
    if (r * r > best_r2) {
      best_r2 = r * r;
      best = k;
    }
  }
  return best;
}

Eigen::VectorXd neuron_efficiency(Efficiency measure, const Eigen::MatrixXd& outgoing, const LayerStatistics& st,
                                  std::span<const char> alive, Rng& rng) {
  const Eigen::Index n = st.neurons();
  if (outgoing.cols() != n) throw std::invalid_argument("neuron_efficiency: outgoing weights and statistics differ in size");
  Eigen::VectorXd e(n);
  for (Eigen::Index j = 0; j < n; ++j) {
    if (!is_alive(alive, j)) {
      e(j) = std::numeric_limits<double>::quiet_NaN();
      continue;
    }
    const double w = outgoing.col(j).norm();
    switch (measure) {
      case Efficiency::contribution: e(j) = std::sqrt(st.second_moment(j)) * w; break;
      case Efficiency::redundancy: {
        const Eigen::Index k = most_correlated(st, j, alive);
        const double r = k < 0 ? 0.0 : st.correlation(j, k);
        e(j) = std::sqrt(std::max(0.0, st.covariance(j, j) * (1 - r * r))) * w;
        break;
      }
      case Efficiency::random: e(j) = uniform01(rng); break;
    }
  }
  return e;
}

Eigen::VectorXd neuron_efficiency(Efficiency measure, const LayeredNetwork<float>& net, int layer, const LayerStatistics& st,
                                  Rng& rng) {
  require_hidden_layer(net, layer);
  return neuron_efficiency(measure, net.weights(layer + 1).cast<double>(), st, {}, rng);
}

}  // namespace ldyn::nn
