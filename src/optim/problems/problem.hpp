#pragma once
// Test problems for optimizers: a loss, its exact gradient, and the noisy gradient an optimizer is
// fed (minibatch-like noise). The loss reported is always the exact one.
#include <cstdint>
#include <memory>
#include <string>

#include <Eigen/Dense>

#include "core/random.hpp"

namespace ldyn::optim::problems {

using Vector = Eigen::VectorXd;
using Matrix = Eigen::MatrixXd;

/// Shape of the added gradient noise.
enum class NoiseShape {
  hessian,    ///< covariance sigma^2 H*, H* the Hessian at the minimum (like minibatch noise near it)
  isotropic,  ///< covariance sigma^2 I
};

class Problem {
 public:
  virtual ~Problem() = default;
  virtual std::string name() const = 0;
  virtual Eigen::Index dim() const = 0;
  virtual Vector initial_point() const = 0;
  /// Exact loss.
  virtual double loss(const Vector& x) const = 0;
  /// Exact gradient, written into g (already sized dim()).
  virtual void gradient(const Vector& x, Vector& g) const = 0;
  /// The gradient an optimizer sees; the default adds no noise.
  virtual void stochastic_gradient(const Vector& x, Vector& g, Rng& rng) const {
    (void)rng;
    gradient(x, g);
  }
  /// The minimum value of the loss (targets are measured as loss - minimum).
  virtual double minimum_loss() const { return 0.0; }
  /// A minimizer (for tests and noise shaping).
  virtual Vector minimizer() const = 0;
  /// The Hessian of the loss at x (exact).
  virtual Matrix hessian(const Vector& x) const = 0;
};

/// What `ldyn optimize --problem ...` asks for.
struct ProblemSpec {
  std::string name;                ///< rosenbrock, beale, rotated-quadratic, linear-regression
  Eigen::Index dim = 0;            ///< 0: the problem's default
  double noise = 0.0;              ///< sigma of the added Gaussian gradient noise
  NoiseShape noise_shape = NoiseShape::hessian;
  std::uint64_t seed = 1;          ///< problem construction (rotation, data); noise uses its own stream
  Eigen::Index batch = 32;         ///< linear regression: minibatch size
};

/// Builds a problem; throws InvalidOption naming --problem / --dim / --noise for bad values.
std::unique_ptr<Problem> make_problem(const ProblemSpec& spec);

/// The known problem names, comma separated.
std::string problem_names();

NoiseShape noise_shape_from_string(const std::string& s);

}  // namespace ldyn::optim::problems
