#include "optim/dense_engine.hpp"

#include <cmath>
#include <cstdio>
#include <limits>

namespace ldyn::optim {

template <class T>
DenseEngine<T>::DenseEngine(const Options& o, const std::vector<std::size_t>& block_sizes)
    : options_(o), effective_rank_(std::numeric_limits<double>::quiet_NaN()) {
  Eigen::Index offset = 0;
  for (std::size_t s : block_sizes) {
    const auto n = static_cast<Eigen::Index>(s);
    blocks_.push_back(Block{offset, n, Vec::Zero(n), Mat::Zero(n, n), SpectralMetric<T>(n)});
    offset += n;
  }
  g_ = Vec::Zero(offset);
  force_ = Vec::Zero(offset);
  delta_ = Vec::Zero(offset);
}

template <class T>
std::size_t DenseEngine<T>::state_size() const {
  std::size_t s = 0;
  for (const auto& b : blocks_) s += static_cast<std::size_t>(b.size + b.size * (b.size + 1) / 2);
  return s;
}

template <class T>
void DenseEngine<T>::step(const StepContext& c, Tensors<T> params, ConstTensors<T> grads,
                          double& update_sq) {
  // Gather the preprocessed gradient of the whole group into one vector.
  Eigen::Index at = 0;
  for (std::size_t k = 0; k < params.size(); ++k)
    for (std::size_t i = 0; i < params[k].size(); ++i, ++at)
      g_[at] = c.gradient(grads[k][i], params[k][i]);

  const bool identity = options_.source == MetricSource::identity;
  const bool centered = options_.source == MetricSource::centered_covariance;
  const T b1 = static_cast<T>(c.b1), w1 = static_cast<T>(c.w1), b2 = static_cast<T>(c.b2),
          w2 = static_cast<T>(c.w2), eps_acc = static_cast<T>(c.eps_acc);
  for (auto& b : blocks_) {
    auto g = g_.segment(b.offset, b.size);
    b.m = b1 * b.m + w1 * g;
    // delta_ doubles as the workspace for d = G or G - m.
    auto d = delta_.segment(b.offset, b.size);
    if (centered) d = g - b.m; else d = g;
    if (!identity) {
      // K <- b2 K + w2 d d^T + eps_acc I on the lower triangle, one fused pass per column.
      for (Eigen::Index j = 0; j < b.size; ++j) {
        const Eigen::Index len = b.size - j;
        b.K.col(j).tail(len) = b2 * b.K.col(j).tail(len) + (w2 * d[j]) * d.tail(len);
        b.K(j, j) += eps_acc;
      }
    }
    auto f = force_.segment(b.offset, b.size);
    if (options_.force == Force::gradient) f = g; else f = static_cast<T>(c.c1) * b.m;
  }

  // alpha = 0 or an identity source make g a multiple of I: no eigendecomposition needed.
  const bool scalar_metric = identity || c.alpha == 0.0;
  if (scalar_metric) {
    delta_ = force_ * static_cast<T>(identity ? 1.0 : c.inverse_metric(0.0));
  } else {
    if (c.refresh_due()) {
      refresh(c);
    } else {
      // Keep the basis, follow kappa's diagonal in it (delta_ still holds d here); see
      // spectral_metric.hpp for why the eigenvalues of the last refresh must not be reused.
      for (auto& b : blocks_) b.metric.track(delta_.segment(b.offset, b.size), c.c2, c);
    }
    update_effective_rank();
    for (auto& b : blocks_)
      b.metric.apply_inverse(force_.segment(b.offset, b.size), delta_.segment(b.offset, b.size));
  }

  // Scatter: q <- decay q - lr delta.
  const T lr = static_cast<T>(c.lr), decay = static_cast<T>(c.decay);
  at = 0;
  double acc = 0.0;
  for (std::size_t k = 0; k < params.size(); ++k)
    for (std::size_t i = 0; i < params[k].size(); ++i, ++at) {
      const T dq = lr * delta_[at];
      params[k][i] = decay * params[k][i] - dq;
      acc += static_cast<double>(dq) * static_cast<double>(dq);
    }
  if (c.measure) update_sq += acc;
}

template <class T>
void DenseEngine<T>::refresh(const StepContext& c) {
  for (auto& b : blocks_) {
    if (!b.metric.refresh(b.K, c.c2, c) && fallbacks_++ == 0)
      std::fprintf(stderr, "warning: eigendecomposition of a %ldx%ld metric block failed at step %ld; "
                           "using its diagonal until the next refresh\n",
                   static_cast<long>(b.size), static_cast<long>(b.size), c.t);
  }
}

template <class T>
void DenseEngine<T>::update_effective_rank() {
  // Participation ratio of the metric's eigenvalues mu = 1 / phi over all blocks.
  double sum = 0.0, sum_sq = 0.0;
  for (const auto& b : blocks_) {
    const auto& phi = b.metric.inverse_eigenvalues();
    for (Eigen::Index i = 0; i < phi.size(); ++i) {
      const double mu = 1.0 / phi[i];
      sum += mu;
      sum_sq += mu * mu;
    }
  }
  effective_rank_ = sum_sq > 0 ? sum * sum / sum_sq : std::numeric_limits<double>::quiet_NaN();
}

template <class T>
void DenseEngine<T>::save(StateWriter& out) const {
  out.tag("DENSE---");
  out.u64(blocks_.size());
  for (const auto& b : blocks_) {
    out.u64(static_cast<std::uint64_t>(b.size));
    out.array(std::span<const T>(b.m.data(), static_cast<std::size_t>(b.m.size())));
    out.array(std::span<const T>(b.K.data(), static_cast<std::size_t>(b.K.size())));
    const auto& metric = b.metric;
    out.array(std::span<const T>(metric.eigenvectors().data(), static_cast<std::size_t>(metric.eigenvectors().size())));
    // lambda, not phi: phi is recomputed from lambda (refresh or track) before every use.
    out.array(std::span<const double>(metric.kappa_eigenvalues().data(),
                                      static_cast<std::size_t>(metric.kappa_eigenvalues().size())));
    out.u64(metric.diagonal_fallback() ? 1 : 0);
  }
  out.f64(effective_rank_);
  out.i64(fallbacks_);
}

template <class T>
void DenseEngine<T>::load(StateReader& in) {
  in.tag("DENSE---");
  in.expect(in.u64(), blocks_.size(), "number of metric blocks");
  for (auto& b : blocks_) {
    in.expect(in.u64(), static_cast<std::uint64_t>(b.size), "metric block size");
    in.array(std::span<T>(b.m.data(), static_cast<std::size_t>(b.m.size())), "first moment");
    in.array(std::span<T>(b.K.data(), static_cast<std::size_t>(b.K.size())), "kappa");
    in.array(std::span<T>(b.metric.eigenvectors().data(), static_cast<std::size_t>(b.metric.eigenvectors().size())),
             "metric eigenvectors");
    in.array(std::span<double>(b.metric.kappa_eigenvalues().data(),
                               static_cast<std::size_t>(b.metric.kappa_eigenvalues().size())),
             "kappa eigenvalues");
    b.metric.set_diagonal_fallback(in.u64() != 0);
  }
  effective_rank_ = in.f64();
  fallbacks_ = in.i64();
}

template class DenseEngine<float>;
template class DenseEngine<double>;

}  // namespace ldyn::optim
