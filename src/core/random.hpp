#pragma once
// Seeded, named random streams. Each component draws from its own stream, derived from the run's
// seed and the component's name, so adding randomness in one place never shifts another's draws.
#include <cmath>
#include <cstdint>
#include <random>
#include <string_view>

namespace ldyn {

using Rng = std::mt19937_64;

/// 64-bit FNV-1a: the offset basis, and one step folding `value` into hash `h`.
constexpr std::uint64_t kFnvOffset = 1469598103934665603ULL;
constexpr std::uint64_t fnv1a(std::uint64_t h, std::uint64_t value) { return (h ^ value) * 1099511628211ULL; }

/// FNV-1a of a stream name: a stable hash (std::hash is not stable across builds).
constexpr std::uint64_t stable_hash(std::string_view s) {
  std::uint64_t h = kFnvOffset;
  for (char c : s) h = fnv1a(h, static_cast<unsigned char>(c));
  return h;
}

/// The random stream named `name` of the run seeded with `seed`.
inline Rng make_stream(std::uint64_t seed, std::string_view name) {
  const std::uint64_t h = stable_hash(name);
  std::seed_seq seq{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32),
                    static_cast<std::uint32_t>(h), static_cast<std::uint32_t>(h >> 32)};
  return Rng(seq);
}

/// Uniform on [0, 1) with 53 random bits. The std:: distributions may differ between standard
/// libraries; these portable transforms make a seed mean the same numbers everywhere.
inline double uniform01(Rng& rng) { return static_cast<double>(rng() >> 11) * 0x1.0p-53; }

/// Standard normal by the Box–Muller transform (one draw per call; the second value is discarded
/// so that the stream's position depends only on the number of calls).
inline double standard_normal(Rng& rng) {
  const double u1 = 1.0 - uniform01(rng);  // (0, 1]: log(u1) is finite
  const double u2 = uniform01(rng);
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
}

}  // namespace ldyn
