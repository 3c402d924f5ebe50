// make_problem(): the CLI's --problem/--dim/--noise/--noise-shape/--seed/--batch to a Problem.
// Validation happens here, before any construction, so that every bad value is reported with the
// option the user typed.
#include <array>
#include <cmath>
#include <memory>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>

#include "core/error.hpp"
#include "optim/problems/builtin.hpp"
#include "optim/problems/noisy_problem.hpp"
#include "optim/problems/problem.hpp"

namespace ldyn::optim::problems {
namespace {

constexpr std::array<std::string_view, 4> names = {"rosenbrock", "beale", "rotated-quadratic",
                                                   "linear-regression"};

std::string show(double v) {
  std::ostringstream s;
  s << v;
  return s.str();
}

std::unique_ptr<Problem> make_plain(const ProblemSpec& spec) {
  const std::string dim = std::to_string(spec.dim);
  if (spec.dim < 0) throw InvalidOption("--dim", "must be >= 0, 0 = the problem's default (got " + dim + ")");
  if (spec.name == "rosenbrock") {
    if (spec.dim == 1) throw InvalidOption("--dim", "rosenbrock needs dim >= 2 (got 1)");
    return std::make_unique<Rosenbrock>(spec.dim == 0 ? Rosenbrock::default_dim : spec.dim);
  }
  if (spec.name == "beale") {
    if (spec.dim != 0 && spec.dim != 2)
      throw InvalidOption("--dim", "beale is 2-dimensional (got " + dim + ")");
    return std::make_unique<Beale>();
  }
  if (spec.name == "rotated-quadratic")
    return std::make_unique<RotatedQuadratic>(
        spec.dim == 0 ? RotatedQuadratic::default_dim : spec.dim, spec.seed);
  return std::make_unique<LinearRegression>(
      spec.dim == 0 ? LinearRegression::default_dim : spec.dim, spec.seed, spec.batch);
}

}  // namespace

std::string problem_names() {
  std::string s;
  for (const auto n : names) {
    if (!s.empty()) s += ", ";
    s += n;
  }
  return s;
}

std::unique_ptr<Problem> make_problem(const ProblemSpec& spec) {
  bool known = false;
  for (const auto n : names) known = known || spec.name == n;
  if (!known)
    throw InvalidOption("--problem",
                        "unknown problem '" + spec.name + "' (one of: " + problem_names() + ")");
  if (!(spec.noise >= 0.0) || !std::isfinite(spec.noise))
    throw InvalidOption("--noise", "must be a finite number >= 0 (got " + show(spec.noise) + ")");
  // Checked for every problem (not only linear-regression) so a typo never passes silently.
  if (spec.batch < 1)
    throw InvalidOption("--batch", "must be >= 1 (got " + std::to_string(spec.batch) + ")");
  auto problem = make_plain(spec);
  // noise == 0: no decorator, so the noiseless problems hand out their exact gradient directly.
  if (spec.noise > 0.0)
    return std::make_unique<NoisyProblem>(std::move(problem), spec.noise, spec.noise_shape);
  return problem;
}

NoiseShape noise_shape_from_string(const std::string& s) {
  if (s == "hessian") return NoiseShape::hessian;
  if (s == "isotropic") return NoiseShape::isotropic;
  throw InvalidOption("--noise-shape", "unknown noise shape '" + s + "' (hessian, isotropic)");
}

}  // namespace ldyn::optim::problems
