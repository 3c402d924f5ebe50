#include "optim/diagonal_engine.hpp"

#include <cmath>

namespace ldyn::optim {
namespace {

enum class Power { zero, half, one, general };

Power power_kind(double alpha) {
  if (alpha == 0.0) return Power::zero;
  if (alpha == 0.5) return Power::half;
  if (alpha == 1.0) return Power::one;
  return Power::general;
}

// The fused update. Every branch below is on a template parameter, so the loop body is straight
// arithmetic that GCC vectorizes (sqrt included, since we build with -fno-math-errno).
template <class T, Force F, MetricSource S, Power P, bool Measure>
void update(const StepContext& c, T* __restrict q, const T* __restrict g, T* __restrict m,
            T* __restrict v, std::size_t n, double& update_sq) {
  constexpr bool need_m = F == Force::first_moment || S == MetricSource::centered_covariance;
  const T lr = static_cast<T>(c.lr), decay = static_cast<T>(c.decay);
  const T scale = static_cast<T>(c.grad_scale), clip = static_cast<T>(c.clip), l2 = static_cast<T>(c.l2);
  const T b1 = static_cast<T>(c.b1), w1 = static_cast<T>(c.w1), c1 = static_cast<T>(c.c1);
  const T b2 = static_cast<T>(c.b2), w2 = static_cast<T>(c.w2), c2 = static_cast<T>(c.c2);
  const T eps_acc = static_cast<T>(c.eps_acc), eps_in = static_cast<T>(c.eps_in);
  const T eps_out = static_cast<T>(c.eps_out), alpha = static_cast<T>(c.alpha);
  double acc = 0.0;
  // The reduction clause lets the compiler vectorize the update-norm sum (reassociating it), so
  // measuring costs no more than the loop itself (needs -fopenmp-simd; no OpenMP runtime).
#pragma omp simd reduction(+ : acc)
  for (std::size_t i = 0; i < n; ++i) {
    const T qi = q[i];
    T gi = scale * g[i];
    gi = gi > clip ? clip : (gi < -clip ? -clip : gi);
    gi += l2 * qi;
    T mi = T(0);
    if constexpr (need_m) {
      mi = b1 * m[i] + w1 * gi;
      m[i] = mi;
    }
    const T force = F == Force::gradient ? gi : mi * c1;
    T step;
    if constexpr (S == MetricSource::identity) {
      step = force;
    } else {
      const T d = S == MetricSource::centered_covariance ? gi - mi : gi;
      const T vi = b2 * v[i] + w2 * d * d + eps_acc;
      v[i] = vi;
      const T base = vi * c2 + eps_in;
      T power;
      if constexpr (P == Power::zero) power = T(1);
      else if constexpr (P == Power::half) power = std::sqrt(base);
      else if constexpr (P == Power::one) power = base;
      else power = std::pow(base, alpha);
      step = force / (power + eps_out);
    }
    const T dq = lr * step;
    q[i] = decay * qi - dq;
    if constexpr (Measure) acc += static_cast<double>(dq) * static_cast<double>(dq);
  }
  update_sq += acc;
}

template <class T, Force F, MetricSource S, Power P>
auto pick_measure(bool measure) {
  return measure ? &update<T, F, S, P, true> : &update<T, F, S, P, false>;
}

template <class T, Force F, MetricSource S>
auto pick_power(Power p, bool measure) {
  if constexpr (S == MetricSource::identity) {
    return pick_measure<T, F, S, Power::zero>(measure);
  } else {
    switch (p) {
      case Power::zero: return pick_measure<T, F, S, Power::zero>(measure);
      case Power::half: return pick_measure<T, F, S, Power::half>(measure);
      case Power::one: return pick_measure<T, F, S, Power::one>(measure);
      default: return pick_measure<T, F, S, Power::general>(measure);
    }
  }
}

template <class T, Force F>
auto pick_source(MetricSource s, Power p, bool measure) {
  switch (s) {
    case MetricSource::identity: return pick_power<T, F, MetricSource::identity>(p, measure);
    case MetricSource::second_moment: return pick_power<T, F, MetricSource::second_moment>(p, measure);
    default: return pick_power<T, F, MetricSource::centered_covariance>(p, measure);
  }
}

}  // namespace

template <class T>
DiagonalEngine<T>::DiagonalEngine(const Options& o, std::size_t n)
    : force_(o.force), source_(o.source) {
  if (o.force == Force::first_moment || o.source == MetricSource::centered_covariance) m_.assign(n, T(0));
  if (o.source != MetricSource::identity) v_.assign(n, T(0));
}

template <class T>
void DiagonalEngine<T>::step(const StepContext& c, Tensors<T> params, ConstTensors<T> grads,
                             double& update_sq) {
  const Power p = power_kind(c.alpha);
  const auto kernel = force_ == Force::gradient
                          ? pick_source<T, Force::gradient>(source_, p, c.measure)
                          : pick_source<T, Force::first_moment>(source_, p, c.measure);
  std::size_t offset = 0;
  for (std::size_t k = 0; k < params.size(); ++k) {
    const std::size_t n = params[k].size();
    kernel(c, params[k].data(), grads[k].data(), m_.empty() ? nullptr : m_.data() + offset,
           v_.empty() ? nullptr : v_.data() + offset, n, update_sq);
    offset += n;
  }
}

template <class T>
void DiagonalEngine<T>::save(StateWriter& out) const {
  out.tag("DIAGONAL");
  out.array(std::span<const T>(m_));
  out.array(std::span<const T>(v_));
}

template <class T>
void DiagonalEngine<T>::load(StateReader& in) {
  in.tag("DIAGONAL");
  in.array(std::span<T>(m_), "first moment");
  in.array(std::span<T>(v_), "second moment");
}

template class DiagonalEngine<float>;
template class DiagonalEngine<double>;

}  // namespace ldyn::optim
