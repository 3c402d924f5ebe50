#include "nn/thermo/thermodynamics.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <string>

#include "core/error.hpp"

namespace ldyn::nn {

double thermodynamic_entropy(Eigen::Index neurons, double temperature) {
  return 0.5 * static_cast<double>(neurons) * std::log(2 * std::numbers::pi * std::numbers::e * temperature);
}

ThermoState measure_thermodynamics(const LayeredNetwork<float>& net, const Dataset& data, const ThermoOptions& options) {
  if (options.samples < 0) throw InvalidOption("--thermo-samples", "must be >= 0 (0: all)");
  if (options.batch < 1) throw InvalidOption("--thermo-batch", "must be >= 1");
  if (net.layers() < 2) throw InvalidOption("--layers", "the bulk loss lives on hidden neurons: the network needs a hidden layer");
  const Eigen::Index n = options.samples > 0 ? std::min(options.samples, data.size()) : data.size();
  if (n < 1) throw InvalidOption("--thermo-samples", "no samples to measure on");
  if (data.features() != net.inputs() || data.outputs() != net.outputs())
    throw InvalidOption("--layers", "the network (" + std::to_string(net.inputs()) + " inputs, " + std::to_string(net.outputs()) +
                                        " outputs) does not fit " + data.name);
  const ClampedNetwork clamped(net);
  ThermoState t;
  t.samples = static_cast<long>(n);
  t.neurons = clamped.hidden_neurons();
  double u = 0, ff = 0, log_det = 0;
  for (Eigen::Index s = 0; s < n; s += options.batch) {
    const Eigen::Index b = std::min(options.batch, n - s);
    const Eigen::MatrixXd x = data.inputs.middleCols(s, b).cast<double>(), y = data.targets.middleCols(s, b).cast<double>();
    const ClampedStates st = clamped.relax(x, y, options.relaxation);
    u += st.bulk_loss.sum();
    ff += st.feedforward_loss.sum();
    t.relaxation_steps = std::max(t.relaxation_steps, st.steps);
    std::vector<Eigen::VectorXd> one(st.hidden.size());
    for (Eigen::Index c = 0; c < b; ++c) {
      for (std::size_t l = 0; l < st.hidden.size(); ++l) one[l] = st.hidden[l].col(c);
      log_det += clamped.log_det_gauss_newton(one);
    }
  }
  const double inv = 1.0 / static_cast<double>(n);
  t.bulk_loss = u * inv;
  t.feedforward_loss = ff * inv;
  t.temperature = 2 * t.bulk_loss / static_cast<double>(t.neurons);
  t.thermodynamic_entropy = thermodynamic_entropy(t.neurons, t.temperature);
  t.complexity = -0.5 * log_det * inv;
  t.entropy = t.thermodynamic_entropy + t.complexity;
  t.free_energy = t.bulk_loss - t.temperature * t.entropy;
  if (!std::isfinite(t.entropy) || !std::isfinite(t.free_energy))
    throw NonFiniteError("thermodynamics of " + net.describe() + ": bulk loss " + std::to_string(t.bulk_loss) +
                         " gives a non-finite entropy (a network that fits its data exactly has T = 0)");
  return t;
}

}  // namespace ldyn::nn
