#pragma once
// Portable random draws for the test problems.
//
// Why not std::normal_distribution / std::uniform_real_distribution / std::uniform_int_distribution:
// their algorithms are implementation-defined, so libstdc++ and libc++ turn the same engine state
// into different numbers and "same seed -> same problem" would only hold per toolchain. These use
// nothing but the engine's raw 64-bit output (mt19937_64 is fully specified by the standard), keep
// no cached state between calls, and never allocate.
#include <cmath>
#include <cstdint>
#include <numbers>

#include <Eigen/Core>

#include "core/random.hpp"

namespace ldyn::optim::problems::detail {

/// Uniform in the OPEN interval (0, 1), 52-bit resolution:
///   u = (k + 1/2) 2^-52,  k = top 52 bits of the engine output, k in [0, 2^52).
/// k + 1/2 needs at most 53 significant bits, so it is exact; u lies in [2^-53, 1 - 2^-53] and can be
/// neither 0 (log 0 in Box-Muller) nor 1.
inline double uniform_open01(Rng& rng) {
  return (static_cast<double>(rng() >> 12) + 0.5) * 0x1.0p-52;
}

/// Uniform in the open interval (lo, hi). lo + (hi - lo) u can round onto an end point when u is
/// within an ulp of 0 or 1, so the (astronomically rare) end points are redrawn.
inline double uniform_open(Rng& rng, double lo, double hi) {
  double v;
  do {
    v = lo + (hi - lo) * uniform_open01(rng);
  } while (!(v > lo && v < hi));
  return v;
}

/// Fills out[0..n) with independent N(0, 1) draws, Box-Muller in pairs:
///   r = sqrt(-2 ln u1), theta = 2 pi u2,  z1 = r cos(theta), z2 = r sin(theta).
/// For odd n the last pair's sine is discarded (nothing is cached, so draws depend only on the
/// engine state and n).
inline void fill_standard_normal(Rng& rng, double* out, Eigen::Index n) {
  for (Eigen::Index i = 0; i < n; i += 2) {
    const double r = std::sqrt(-2.0 * std::log(uniform_open01(rng)));
    const double theta = 2.0 * std::numbers::pi * uniform_open01(rng);
    out[i] = r * std::cos(theta);
    if (i + 1 < n) out[i + 1] = r * std::sin(theta);
  }
}

inline void fill_standard_normal(Rng& rng, Eigen::VectorXd& v) {
  fill_standard_normal(rng, v.data(), v.size());
}
inline void fill_standard_normal(Rng& rng, Eigen::MatrixXd& m) {
  fill_standard_normal(rng, m.data(), m.size());
}

/// Uniform index in [0, n), n >= 1: engine output mod n. The modulo bias is at most n / 2^64
/// (< 1e-16 for the 1000 samples of linear regression), far below any statistical effect.
inline Eigen::Index uniform_index(Rng& rng, Eigen::Index n) {
  return static_cast<Eigen::Index>(rng() % static_cast<std::uint64_t>(n));
}

}  // namespace ldyn::optim::problems::detail
