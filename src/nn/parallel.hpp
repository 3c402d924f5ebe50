#pragma once
// Splitting the work of one minibatch over T threads (`ldyn train --threads T`: OpenMP's thread count): the matrix
// products and elementwise maps of a batch are cut into T contiguous blocks of columns (samples) or
// rows (neurons), one per thread. Each block is computed exactly as the whole would be by one thread,
// only on fewer columns or rows, and the cut depends only on the size and the thread count: a run is
// reproducible for a given seed and --threads. (Eigen's own GEMM threading is off inside a block.)
// The threads are ldyn's own small pool rather than OpenMP's: they stop spinning soon, which keeps a
// multi-threaded step fast when other processes share the cores.
#include <algorithm>
#include <functional>
#include <utility>

#include <Eigen/Core>
#include <omp.h>

namespace ldyn::nn {

/// True on a thread while it runs a part of parallel_parts.
bool in_parallel_part();

/// Threads for a parallel step: `threads` if > 0, else omp_get_max_threads(), and 1 inside a
/// parallel region (no nesting).
inline int team_threads(int threads = 0) {
  if (threads > 0) return threads;
  return omp_in_parallel() || in_parallel_part() ? 1 : omp_get_max_threads();
}

/// Block k of `parts` consecutive blocks covering [0, n): equal blocks rounded up to a multiple of
/// `grain` (so each starts at a multiple of it), the last taking what is left; empty blocks at the
/// end when n is small.
inline std::pair<Eigen::Index, Eigen::Index> block_range(Eigen::Index n, Eigen::Index grain, Eigen::Index parts,
                                                         Eigen::Index k) {
  grain = std::max<Eigen::Index>(grain, 1);
  parts = std::max<Eigen::Index>(parts, 1);
  const Eigen::Index chunk = ((n + parts - 1) / parts + grain - 1) / grain * grain;
  const Eigen::Index begin = std::min(n, k * chunk);
  return {begin, std::min(n, begin + chunk)};
}

/// Runs task(k) for k = 0 .. parts-1 (parts >= 2) at once: part 0 on the caller, the others on a
/// persistent pool of worker threads that spin briefly, then sleep, between regions (parallel.cpp).
void run_parts(int parts, const std::function<void(int)>& task);

/// Calls f(k) for k = 0 .. parts-1, each on its own thread (the caller alone when parts is 1).
/// f must not throw. Not reentrant: no parallel_parts inside f.
template <class F>
void parallel_parts(int parts, F&& f) {
  if (parts <= 1) {
    f(0);
    return;
  }
  run_parts(parts, std::function<void(int)>(std::ref(f)));
}

/// Calls f(begin, end) on consecutive blocks [begin, end) covering [0, n), one block per thread, in
/// parallel. Blocks start at multiples of `grain` (e.g. 16 floats: one AVX-512 packet, so that every
/// block of a column-major matrix starts aligned), so there are at most n / grain blocks; fewer threads
/// than team_threads(threads) run when n is small, and one (the caller, no parallel region) when
/// already inside a parallel region or with one thread. f must not throw.
template <class F>
void parallel_blocks(Eigen::Index n, Eigen::Index grain, F&& f, int threads = 0) {
  const Eigen::Index parts = std::clamp<Eigen::Index>(n / std::max<Eigen::Index>(grain, 1), 1, team_threads(threads));
  parallel_parts(static_cast<int>(parts), [&](int k) {
    const auto [begin, end] = block_range(n, grain, parts, k);
    if (end > begin) f(begin, end);
  });
}

}  // namespace ldyn::nn
