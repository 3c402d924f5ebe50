#pragma once
// Everything one step needs that does not depend on the element: the per-step scalars of the
// update, computed once so that the hot loops carry no branches on options.
#include <cmath>
#include <cstddef>
#include <limits>

#include "optim/options.hpp"

namespace ldyn::optim {

struct StepContext {
  long t = 0;              ///< this step's index, 1-based
  double lr = 0;           ///< scheduled learning rate
  double grad_scale = 1;   ///< +-1 (maximize) times the norm-clipping factor
  double clip = std::numeric_limits<double>::infinity();  ///< clamp bound for components
  double l2 = 0;           ///< L2 weight decay added to the gradient
  double decay = 1;        ///< decoupled weight decay: q <- decay * q
  double b1 = 0, w1 = 0;   ///< m_t = b1 m_{t-1} + w1 G_t
  double b2 = 0, w2 = 0;   ///< K_t = b2 K_{t-1} + w2 d d^T + eps_acc
  double c1 = 1, c2 = 1;   ///< bias corrections 1/(1 - beta^t)
  double eps_acc = 0, eps_in = 0, eps_out = 0, alpha = 0;
  bool measure = false;    ///< accumulate the update norm
  std::size_t refresh_every = 1;  ///< dense metrics: eigendecomposition period

  /// The coefficients of step t for options `o`; `grad_norm` is the raw gradient norm of the group.
  static StepContext make(const Options& o, long t, double grad_norm, bool measure) {
    StepContext c;
    c.t = t;
    c.measure = measure;
    c.lr = lr_at(o.schedule, o.lr, t);
    c.grad_scale = o.maximize ? -1.0 : 1.0;
    if (o.clip_norm > 0 && grad_norm > o.clip_norm) c.grad_scale *= o.clip_norm / grad_norm;
    if (o.clip_value > 0) c.clip = o.clip_value;
    if (o.decoupled_weight_decay)
      c.decay = 1.0 - c.lr * o.weight_decay;
    else
      c.l2 = o.weight_decay;
    const bool first = o.start_from_first_sample && t == 1;
    c.b1 = first ? 0.0 : o.beta1;
    c.w1 = first ? 1.0 : o.first_moment_weight.value_or(1.0 - o.beta1);
    c.b2 = first ? 0.0 : o.beta2;
    c.w2 = first ? 1.0 : 1.0 - o.beta2;
    if (o.bias_correction && !o.start_from_first_sample) {
      c.c1 = 1.0 / (1.0 - std::pow(o.beta1, static_cast<double>(t)));
      c.c2 = 1.0 / (1.0 - std::pow(o.beta2, static_cast<double>(t)));
    }
    c.eps_acc = o.eps_accumulated;
    c.eps_in = o.eps_inside;
    c.eps_out = o.eps_outside;
    c.alpha = o.alpha;
    c.refresh_every = o.refresh_every;
    return c;
  }

  /// The preprocessed gradient component: sign/clip-scaled, clamped, plus L2 decay.
  template <class T>
  T gradient(T g, T q) const {
    T x = static_cast<T>(grad_scale) * g;
    const T bound = static_cast<T>(clip);
    x = x > bound ? bound : (x < -bound ? -bound : x);
    return x + static_cast<T>(l2) * q;
  }

  /// True when a dense metric recomputes its eigendecomposition at this step (t = 1, 1 + k, ...).
  bool refresh_due() const { return static_cast<std::size_t>(t - 1) % refresh_every == 0; }

  /// phi(lambda) = 1 / ((lambda + eps_in)^alpha + eps_out): one eigenvalue of the inverse metric.
  double inverse_metric(double lambda) const {
    const double base = std::max(lambda, 0.0) + eps_in;
    double power;
    if (alpha == 0.0) power = 1.0;
    else if (alpha == 0.5) power = std::sqrt(base);
    else if (alpha == 1.0) power = base;
    else power = std::pow(base, alpha);
    return 1.0 / (power + eps_out);
  }
};

}  // namespace ldyn::optim
