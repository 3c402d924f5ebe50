#include "nn/parallel.hpp"

#include <atomic>
#include <cstdint>
#include <thread>
#include <vector>

#include <Eigen/Core>

namespace ldyn::nn {

namespace {

inline void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#endif
}

// Spins before blocking: long enough to catch the next region of a step on an idle machine (a
// step's regions are tens to hundreds of microseconds apart), short enough that a waiting thread
// gives its core back soon on a loaded one. OpenMP's default (GOMP spins ~300 000 times) made a
// 2-thread step 20x slower than a 1-thread step when other processes held the cores.
constexpr int kSpins = 4000;

thread_local bool in_part = false;

// The workers of parallel_parts: worker i runs part i + 1 of a region; the caller runs part 0.
// state_ = (generation << 16) | parts: one atomic word, so a worker reads a region's generation and
// size together; only the workers of part < parts read task_, and the caller waits for exactly
// those before it returns (so task_ outlives every read of it).
class Pool {
 public:
  void run(int parts, const std::function<void(int)>& task) {
    while (static_cast<int>(workers_.size()) < parts - 1) {
      const int k = static_cast<int>(workers_.size()) + 1;
      // The worker starts from the state before this region's: it must see the region's own.
      const std::uint64_t before = state_.load(std::memory_order_relaxed);
      workers_.emplace_back([this, k, before] { work(k, before); });
    }
    task_ = &task;
    pending_.store(parts - 1, std::memory_order_relaxed);
    const std::uint64_t gen = (state_.load(std::memory_order_relaxed) >> 16) + 1;
    state_.store((gen << 16) | static_cast<std::uint64_t>(parts), std::memory_order_release);
    state_.notify_all();
    in_part = true;
    task(0);
    in_part = false;
    for (int i = 0; i < kSpins && pending_.load(std::memory_order_acquire) != 0; ++i) cpu_relax();
    for (int p; (p = pending_.load(std::memory_order_acquire)) != 0;) pending_.wait(p, std::memory_order_acquire);
  }

 private:
  void work(int k, std::uint64_t seen) {
    for (;;) {
      std::uint64_t s = state_.load(std::memory_order_acquire);
      for (int i = 0; i < kSpins && s == seen; ++i) {
        cpu_relax();
        s = state_.load(std::memory_order_acquire);
      }
      while (s == seen) {
        state_.wait(seen, std::memory_order_acquire);
        s = state_.load(std::memory_order_acquire);
      }
      seen = s;
      if (k < static_cast<int>(s & 0xFFFF)) {
        in_part = true;
        (*task_)(k);
        in_part = false;
        if (pending_.fetch_sub(1, std::memory_order_acq_rel) == 1) pending_.notify_one();
      }
    }
  }

  std::vector<std::thread> workers_;  // never joined: the pool lives as long as the process
  const std::function<void(int)>* task_ = nullptr;
  std::atomic<std::uint64_t> state_{0};
  std::atomic<int> pending_{0};
};

}  // namespace

bool in_parallel_part() { return in_part; }

void run_parts(int parts, const std::function<void(int)>& task) {
  // One pool for the process (leaked on purpose: its threads block in wait at exit). Regions are
  // not nested and not entered from two threads at once: the layered network's step is serial
  // outside them.
  static Pool* pool = new Pool;
  // Eigen must not start its own OpenMP threads for the products inside a part.
  const int eigen_threads = Eigen::nbThreads();
  Eigen::setNbThreads(1);
  pool->run(parts, task);
  Eigen::setNbThreads(eigen_threads);
}

}  // namespace ldyn::nn
