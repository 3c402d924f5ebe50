#pragma once
// Reproducible shuffles. std::shuffle and std::uniform_int_distribution are implemented differently
// by each standard library, so the same seed would give different splits with libstdc++ and libc++.
// These draw only raw 64-bit numbers from the engine (whose sequence the standard fixes) and turn
// them into indices themselves, so a seed means the same split everywhere.
#include <cstdint>
#include <span>
#include <vector>

#include <Eigen/Core>

#include "core/random.hpp"

namespace ldyn::nn {

/// A uniform integer in [0, n), n > 0, without modulo bias (rejection of the 2^64 mod n lowest
/// draws, then the remainder).
std::uint64_t uniform_below(Rng& rng, std::uint64_t n);

/// Fisher–Yates shuffle of `v` in place (from the last element down, each swapped with a uniform
/// earlier-or-same position).
void shuffle(std::span<Eigen::Index> v, Rng& rng);

/// A uniformly random permutation of 0..n-1.
std::vector<Eigen::Index> random_permutation(Eigen::Index n, Rng& rng);

}  // namespace ldyn::nn
