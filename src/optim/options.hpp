#pragma once
// The configuration of one covariant-gradient-descent (CGD) update. Every optimizer ldyn offers is a
// value of this struct (see presets.hpp); there is one engine and no per-optimizer code path.
//
// One step, for a block of parameters q with gradient G_t (docs/optim.md has the derivation):
//   m_t = b1 m_{t-1} + w1 G_t                         (first moment; w1 = 1 - b1 unless set)
//   d_t = G_t            (source second_moment)       or  G_t - m_t  (centered_covariance)
//   K_t = b2 K_{t-1} + (1 - b2) d_t d_t^T + eps_acc I  (diagonal: only the squares are kept)
//   F   = G_t  or  m_t / (1 - b1^t)                   (force)
//   g   = (K_t / (1 - b2^t) + eps_inside)^alpha + eps_outside      (metric, a matrix function)
//   q  <- q - lr_t g^{-1} F
#include <cstddef>
#include <optional>
#include <string>

#include "optim/schedule.hpp"

namespace ldyn::optim {

/// What pushes the parameters: the raw gradient or its first moment (momentum).
enum class Force { gradient, first_moment };

/// What the metric is built from.
enum class MetricSource {
  identity,             ///< g = I: plain (momentum) gradient descent
  second_moment,        ///< uncentered <G G^T>: RMSProp, Adam
  centered_covariance,  ///< <(G - m)(G - m)^T>: AdaBelief, CGD
};

/// How much of the matrix kappa is kept.
enum class Structure {
  diagonal,  ///< one number per parameter: O(n)
  full,      ///< one dense n x n matrix for the whole group
  block,     ///< dense within each block (a tensor, or block_size parameters), zero across
  low_rank,  ///< top-`rank` eigenvectors plus a diagonal for the rest
};

struct Options {
  // Step size and its schedule.
  double lr = 1e-3;
  Schedule schedule{};

  // Exponential time averages: beta = tau / (1 + tau).
  double beta1 = 0.9;
  double beta2 = 0.999;
  /// Weight w1 of G_t in the first moment. Unset: 1 - beta1 (an average). PyTorch's heavy-ball
  /// momentum accumulates with w1 = 1 - dampening.
  std::optional<double> first_moment_weight{};
  /// Divide by 1 - beta^t (Adam's bias correction); only meaningful when starting from zero.
  bool bias_correction = true;
  /// Start the averages from the first sample (m_1 = G_1) instead of from zero.
  bool start_from_first_sample = false;

  Force force = Force::first_moment;
  MetricSource source = MetricSource::centered_covariance;
  Structure structure = Structure::diagonal;

  /// Metric exponent: 0 equilibration (g = I), 1/2 efficient learning (Adam family), 1 natural.
  double alpha = 0.5;
  /// Regularizer added to kappa's eigenvalues before the power (the CGD paper's (kappa + eps)^alpha).
  double eps_inside = 0.0;
  /// Added to the metric's eigenvalues after the power (Adam's sqrt(v) + eps).
  double eps_outside = 1e-8;
  /// Added to the second-moment accumulator at every step (AdaBelief's placement). With bias
  /// correction this equals eps_inside = eps_accumulated / (1 - beta2).
  double eps_accumulated = 0.0;

  // Dense structures.
  /// Block size for Structure::block; 0 means one block per tensor of the group.
  std::size_t block_size = 0;
  /// Number of eigenvectors kept by Structure::low_rank.
  std::size_t rank = 8;
  /// Recompute the eigendecomposition every this many steps (amortization); 1 = every step. In
  /// between, the basis is kept and kappa's diagonal in it is tracked (O(n^2), spectral_metric.hpp).
  std::size_t refresh_every = 1;

  // Regularization and gradient handling, as torch.optim users expect.
  double weight_decay = 0.0;
  /// false: L2 (added to the gradient); true: decoupled (AdamW: q <- q (1 - lr wd)).
  bool decoupled_weight_decay = false;
  /// Ascend instead of descend.
  bool maximize = false;
  /// Rescale the group's gradient to this Euclidean norm if larger (0 = off).
  double clip_norm = 0.0;
  /// Clamp every gradient component to [-v, v] (0 = off).
  double clip_value = 0.0;
  /// On a NaN or infinite gradient: false stops with NonFiniteError; true skips the step and counts.
  bool skip_nonfinite = false;
};

/// Throws InvalidOption naming the first impossible field (beta outside [0,1), lr <= 0, ...).
void validate(const Options& options);

const char* to_string(Force f);
const char* to_string(MetricSource s);
const char* to_string(Structure s);
Force force_from_string(const std::string& s);
MetricSource source_from_string(const std::string& s);
Structure structure_from_string(const std::string& s);

}  // namespace ldyn::optim
