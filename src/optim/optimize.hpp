#pragma once
// The ensmallen-like face of the engine: a loop that drives an Optimizer over a differentiable
// function, with callbacks. The update policy (Optimizer) knows nothing of the loop.
//
//   struct F { double evaluate_with_gradient(const Eigen::VectorXd& x, Eigen::VectorXd& g); };
//   ldyn::optim::optimize(opt, f, x, 1000, PrintLoss(100), EarlyStop(1e-8), best);
//
// A callback may define any of: begin(x), bool step_end(const StepInfo&, const x&) (true stops
// the loop), end(const StepInfo&, x). Hooks a callback lacks are simply not called.
#include <Eigen/Dense>

#include "optim/optimizer.hpp"

namespace ldyn::optim {

struct StepInfo {
  long step = 0;        ///< updates applied before this evaluation (0 = the starting point)
  double loss = 0.0;    ///< the function's value at x before the update of this step
  StepReport report;    ///< what the optimizer measured applying the update
};

template <class F>
concept DifferentiableFunction = requires(F f, const Eigen::VectorXd& x, Eigen::VectorXd& g) {
  { f.evaluate_with_gradient(x, g) } -> std::convertible_to<double>;
};

namespace detail {
template <class C, class X>
void call_begin(C& c, const X& x) {
  if constexpr (requires { c.begin(x); }) c.begin(x);
}
template <class C, class X>
bool call_step_end(C& c, const StepInfo& info, const X& x) {
  if constexpr (requires { c.step_end(info, x); }) return static_cast<bool>(c.step_end(info, x));
  else return false;
}
template <class C, class X>
void call_end(C& c, const StepInfo& info, const X& x) {
  if constexpr (requires { c.end(info, x); }) c.end(info, x);
}
}  // namespace detail

/// Runs up to `max_steps` updates of x; returns the last evaluated loss. Stops early when a
/// callback's step_end returns true.
template <DifferentiableFunction F, class... Callbacks>
double optimize(Optimizer<double>& opt, F& f, Eigen::VectorXd& x, long max_steps, Callbacks&&... callbacks) {
  Eigen::VectorXd g = Eigen::VectorXd::Zero(x.size());
  (detail::call_begin(callbacks, x), ...);
  StepInfo info;
  for (long s = 0; s < max_steps; ++s) {
    info.step = s;
    info.loss = f.evaluate_with_gradient(x, g);
    info.report = opt.step(std::span<double>(x.data(), static_cast<std::size_t>(x.size())),
                           std::span<const double>(g.data(), static_cast<std::size_t>(g.size())));
    bool stop = false;
    ((stop = detail::call_step_end(callbacks, info, x) || stop), ...);
    if (stop) break;
  }
  (detail::call_end(callbacks, info, x), ...);
  return info.loss;
}

}  // namespace ldyn::optim
