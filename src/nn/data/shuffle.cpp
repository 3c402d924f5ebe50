#include "nn/data/shuffle.hpp"

#include <numeric>
#include <utility>

namespace ldyn::nn {

std::uint64_t uniform_below(Rng& rng, std::uint64_t n) {
  // 2^64 mod n, computed in 64 bits as (2^64 - n) mod n. Draws below it are rejected so that the
  // accepted range holds a whole number of copies of [0, n).
  const std::uint64_t threshold = (0 - n) % n;
  for (;;) {
    const std::uint64_t x = rng();
    if (x >= threshold) return x % n;
  }
}

void shuffle(std::span<Eigen::Index> v, Rng& rng) {
  for (std::size_t i = v.size(); i > 1; --i) {
    const auto j = static_cast<std::size_t>(uniform_below(rng, i));
    std::swap(v[i - 1], v[j]);
  }
}

std::vector<Eigen::Index> random_permutation(Eigen::Index n, Rng& rng) {
  std::vector<Eigen::Index> v(static_cast<std::size_t>(n));
  std::iota(v.begin(), v.end(), Eigen::Index{0});
  shuffle(v, rng);
  return v;
}

}  // namespace ldyn::nn
