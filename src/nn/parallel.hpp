#pragma once
// Splitting the work of one minibatch over OpenMP threads (`ldyn train --threads T`): the matrix
// products and elementwise maps of a batch are cut into T contiguous blocks of columns (samples) or
// rows (neurons), one per thread. Each block is computed exactly as the whole would be by one thread,
// only on fewer columns or rows, and the cut depends only on the size and the thread count: a run is
// reproducible for a given seed and --threads. (Eigen's own GEMM threading stays off inside a block:
// Eigen does not nest parallel regions.)
#include <algorithm>

#include <Eigen/Core>
#include <omp.h>

namespace ldyn::nn {

/// Calls f(begin, end) on consecutive blocks [begin, end) covering [0, n), one block per thread, in
/// parallel. Blocks start at multiples of `grain` (e.g. 16 floats: one AVX-512 packet, so that every
/// block of a column-major matrix starts aligned), so there are at most n / grain blocks; fewer threads
/// than omp_get_max_threads() run when n is small, and one (the caller, no parallel region) when
/// already inside a parallel region or when `threads` (0: omp_get_max_threads()) is 1.
/// f must not throw.
template <class F>
void parallel_blocks(Eigen::Index n, Eigen::Index grain, F&& f, int threads = 0) {
  if (threads <= 0) threads = omp_in_parallel() ? 1 : omp_get_max_threads();
  grain = std::max<Eigen::Index>(grain, 1);
  const Eigen::Index parts = std::clamp<Eigen::Index>(n / grain, 1, threads);
  if (parts <= 1) {
    if (n > 0) f(Eigen::Index{0}, n);
    return;
  }
  // Equal blocks rounded up to the grain; the last one takes what is left.
  const Eigen::Index chunk = ((n + parts - 1) / parts + grain - 1) / grain * grain;
#pragma omp parallel for num_threads(static_cast<int>(parts)) schedule(static, 1)
  for (Eigen::Index k = 0; k < parts; ++k) {
    const Eigen::Index begin = std::min(n, k * chunk), end = std::min(n, begin + chunk);
    if (end > begin) f(begin, end);
  }
}

}  // namespace ldyn::nn
