// The C++ API in a few lines: full CGD and Adam on the 2-D Rosenbrock function, with both idioms.
// Built as `ldyn_quickstart` (build/release/examples/ldyn_quickstart); the README quotes it.
#include <cstdio>
#include <span>

#include <Eigen/Dense>

#include "optim/callbacks.hpp"
#include "optim/optimize.hpp"
#include "optim/optimizer.hpp"
#include "optim/presets.hpp"

namespace {

// f(x, y) = 100 (y - x^2)^2 + (1 - x)^2
struct Rosenbrock {
  double evaluate_with_gradient(const Eigen::VectorXd& x, Eigen::VectorXd& g) const {
    const double a = x[1] - x[0] * x[0], b = 1.0 - x[0];
    g[0] = -400.0 * a * x[0] - 2.0 * b;
    g[1] = 200.0 * a;
    return 100.0 * a * a + b * b;
  }
};

}  // namespace

int main() {
  using namespace ldyn::optim;
  Rosenbrock f;

  // torch-like: the caller owns the loop and hands over parameters and gradients.
  Options adam = preset("adam");
  adam.lr = 0.02;
  Optimizer<double> opt(adam);
  opt.add_group({2});
  Eigen::VectorXd x(2), g(2);
  x << -1.2, 1.0;
  for (int t = 0; t < 3000; ++t) {
    f.evaluate_with_gradient(x, g);
    opt.step(std::span<double>(x.data(), 2), std::span<const double>(g.data(), 2));
  }
  std::printf("adam:     x = (%.6f, %.6f)\n", x[0], x[1]);

  // ensmallen-like: optimize() owns the loop; callbacks watch it.
  Options cgd = preset("cgd-full");
  cgd.lr = 0.01;
  cgd.alpha = 0.5;  // g = (kappa + eps)^alpha
  Optimizer<double> cgd_opt(cgd);
  cgd_opt.add_group({2});
  x << -1.2, 1.0;
  EarlyStop stop(1e-12);
  StoreBest best;
  optimize(cgd_opt, f, x, 20000, stop, best);
  std::printf("cgd-full: x = (%.6f, %.6f), best loss %.3g (%s)\n", best.best()[0], best.best()[1],
              best.best_loss(), stop.reason().empty() ? "step budget used" : stop.reason().c_str());
  return best.best_loss() < 1e-6 ? 0 : 1;
}
