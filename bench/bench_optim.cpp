// Micro-benchmarks of one optimizer step, single thread (bench/run_benchmarks.py runs them and
// writes docs/benchmarks.md). Every benchmark times Optimizer<T>::step() exactly as a user calls it:
// the state is allocated and warmed up before timing, the gradients are fixed random vectors, and
// the timed region contains nothing but step() (plus a clock read for the per-step median).
//
//   BM_AdamStep/n                 preset "adam", float, the fused diagonal loop
//   BM_AdamStepMeasured/n         the same with measure_updates(true) (update norm reduction)
//   BM_Reference*/n               reference kernels for the roofline of the Adam step (not ldyn code)
//   BM_CgdFull/n/refresh          preset "cgd-full", double, one n x n block
//   BM_CgdBlock/n/refresh         preset "cgd-block", float, block_size 256
//
// `refresh` is Options::refresh_every; kNever (1e9) means "the eigendecomposition of step 1 only",
// i.e. the pure O(n^2) per-step update. The steady-state cost with refresh_every = R is then
//   t(R) = t(never) + (t(1) - t(never)) / R
// and BM_CgdFull also measures t(100) directly over whole multiples of 100 steps.
//
// Counters (besides Google Benchmark's own):
//   n, refresh_every, block_size   the configuration, so the report needs no name parsing
//   state_per_param                Optimizer::state_per_parameter() (Adam: must be 2)
//   median_ms, median_cpu_ms       medians of the individually timed steps, wall and thread CPU time
//                                  (Adam and the reference kernels)
//   bytes_per_param                compulsory memory traffic counted in bytes_per_second
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <ctime>
#include <new>
#include <random>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <sys/mman.h>

#include <Eigen/Core>

#include "core/random.hpp"
#include "optim/optimizer.hpp"
#include "optim/presets.hpp"

namespace {

using ldyn::optim::Optimizer;
using ldyn::optim::Options;
using Clock = std::chrono::steady_clock;

constexpr std::size_t kNever = 1'000'000'000;  // refresh_every that never comes round again
constexpr std::size_t kAdamTraffic = 7;        // q, g, m, v read; q, m, v written

template <class T>
std::vector<T> random_vector(std::size_t n, std::string_view stream, double scale) {
  ldyn::Rng rng = ldyn::make_stream(20240601, stream);
  std::normal_distribution<double> normal(0.0, scale);
  std::vector<T> v(n);
  for (auto& x : v) x = static_cast<T>(normal(rng));
  return v;
}

double median(std::vector<double> v) {
  if (v.empty()) return 0.0;
  const std::size_t mid = v.size() / 2;
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(mid), v.end());
  const double hi = v[mid];
  if (v.size() % 2 == 1) return hi;
  return 0.5 * (hi + *std::max_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(mid)));
}

double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

// CPU time of this thread: on a shared machine it excludes the time other processes hold the core.
double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

// Per-step wall and CPU times, reported as medians (the same statistic bench/torch_adam.py uses).
class StepTimes {
 public:
  explicit StepTimes(const benchmark::State& state) {
    wall_.reserve(static_cast<std::size_t>(state.max_iterations));
    cpu_.reserve(static_cast<std::size_t>(state.max_iterations));
  }
  template <class F>
  void time(F&& f) {
    const double c0 = thread_cpu_seconds();
    const auto t0 = Clock::now();
    f();
    wall_.push_back(seconds_since(t0));
    cpu_.push_back(thread_cpu_seconds() - c0);
  }
  void report(benchmark::State& state) const {
    state.counters["median_ms"] = median(wall_) * 1e3;
    state.counters["median_cpu_ms"] = median(cpu_) * 1e3;
  }

 private:
  std::vector<double> wall_, cpu_;
};

std::size_t arg(const benchmark::State& state, int i) { return static_cast<std::size_t>(state.range(i)); }

// ---------------------------------------------------------------------------------------------
// Adam: the diagonal limit of CGD.

void adam_step(benchmark::State& state, bool measure) {
  const std::size_t n = arg(state, 0);
  Optimizer<float> opt(ldyn::optim::preset("adam"));
  opt.add_group({n});
  opt.measure_updates(measure);
  std::vector<float> x = random_vector<float>(n, "adam/x", 1.0);
  const std::vector<float> g = random_vector<float>(n, "adam/g", 1e-2);
  const std::span<float> xs(x);
  const std::span<const float> gs(g);
  for (int i = 0; i < 3; ++i) opt.step(xs, gs);  // warm-up: pages, caches, branch predictors

  StepTimes times(state);
  for (auto _ : state)
    times.time([&] {
      auto report = opt.step(xs, gs);
      benchmark::DoNotOptimize(report);
    });
  benchmark::DoNotOptimize(x.data());
  times.report(state);
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(n * kAdamTraffic * sizeof(float)));
  state.counters["n"] = static_cast<double>(n);
  state.counters["state_per_param"] = opt.state_per_parameter();
  state.counters["bytes_per_param"] = static_cast<double>(kAdamTraffic * sizeof(float));
}

void BM_AdamStep(benchmark::State& state) { adam_step(state, false); }
BENCHMARK(BM_AdamStep)->ArgName("n")->Arg(1'000'000)->Arg(10'000'000)->UseRealTime()->Unit(benchmark::kMillisecond);

// The same with Optimizer::measure_updates(true) (StepReport::update_norm filled in; the CLI's
// experiments turn it on): the extra reduction must not cost more than a few percent.
void BM_AdamStepMeasured(benchmark::State& state) { adam_step(state, true); }
BENCHMARK(BM_AdamStepMeasured)->ArgName("n")->Arg(1'000'000)->Arg(10'000'000)->UseRealTime()->Unit(benchmark::kMillisecond);

// Reference kernels: what the Adam step costs at best on this machine, to tell how far ldyn is from
// the roofline and where the time goes. None of them is ldyn code.

// Buffers for the reference kernels: std::vector's allocation (4 KiB pages; the huge-page policy
// of this machine decides) or 2 MiB-aligned memory advised to use transparent huge pages.
class Buffer {
 public:
  Buffer(std::size_t n, float value, bool huge) : n_(n) {
    constexpr std::size_t kHuge = std::size_t{2} << 20;
    const std::size_t bytes = (n * sizeof(float) + kHuge - 1) / kHuge * kHuge;
    data_ = static_cast<float*>(huge ? std::aligned_alloc(kHuge, bytes) : std::malloc(n * sizeof(float)));
    if (data_ == nullptr) throw std::bad_alloc();
#ifdef MADV_HUGEPAGE
    if (huge) madvise(data_, bytes, MADV_HUGEPAGE);
#endif
    std::fill(data_, data_ + n, value);
  }
  Buffer(const Buffer&) = delete;
  Buffer& operator=(const Buffer&) = delete;
  ~Buffer() { std::free(data_); }
  float* data() { return data_; }
  std::size_t size() const { return n_; }

 private:
  float* data_;
  std::size_t n_;
};

// The textbook fused Adam loop (torch semantics, no clipping/decay options, no gradient-norm pass).
template <bool Huge>
void BM_ReferenceFusedAdam(benchmark::State& state) {
  const std::size_t n = arg(state, 0);
  Buffer q(n, 1.0f, Huge), g(n, 0.0f, Huge), m(n, 0.0f, Huge), v(n, 0.0f, Huge);
  const std::vector<float> g0 = random_vector<float>(n, "adam/g", 1e-2);
  std::copy(g0.begin(), g0.end(), g.data());
  const float b1 = 0.9f, b2 = 0.999f, lr = 1e-3f, eps = 1e-8f;
  long t = 0;
  auto step = [&] {
    ++t;
    const float c1 = static_cast<float>(1.0 / (1.0 - std::pow(0.9, static_cast<double>(t))));
    const float c2 = static_cast<float>(1.0 / (1.0 - std::pow(0.999, static_cast<double>(t))));
    float* __restrict qp = q.data();
    float* __restrict mp = m.data();
    float* __restrict vp = v.data();
    const float* __restrict gp = g.data();
    for (std::size_t i = 0; i < n; ++i) {
      const float gi = gp[i];
      const float mi = b1 * mp[i] + (1 - b1) * gi;
      const float vi = b2 * vp[i] + (1 - b2) * gi * gi;
      mp[i] = mi;
      vp[i] = vi;
      qp[i] -= lr * (mi * c1) / (std::sqrt(vi * c2) + eps);
    }
  };
  for (int i = 0; i < 3; ++i) step();
  StepTimes times(state);
  for (auto _ : state)
    times.time([&] {
      step();
      benchmark::ClobberMemory();
    });
  times.report(state);
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(n * kAdamTraffic * sizeof(float)));
  state.counters["n"] = static_cast<double>(n);
  state.counters["bytes_per_param"] = static_cast<double>(kAdamTraffic * sizeof(float));
}
BENCHMARK(BM_ReferenceFusedAdam<false>)
    ->Name("BM_ReferenceFusedAdam")
    ->ArgName("n")
    ->Arg(1'000'000)
    ->Arg(10'000'000)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);
// The same on transparent huge pages: what 2 MiB pages for the state (and the user's tensors) buy.
BENCHMARK(BM_ReferenceFusedAdam<true>)
    ->Name("BM_ReferenceFusedAdamHugePages")
    ->ArgName("n")
    ->Arg(1'000'000)
    ->Arg(10'000'000)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

// The same memory traffic (4 streams read, 3 written) with trivial arithmetic: the bandwidth roofline.
void BM_ReferenceTraffic(benchmark::State& state) {
  const std::size_t n = arg(state, 0);
  std::vector<float> q(n, 1.0f), m(n, 0.0f), v(n, 0.0f);
  const std::vector<float> g = random_vector<float>(n, "adam/g", 1e-2);
  auto step = [&] {
    float* __restrict qp = q.data();
    float* __restrict mp = m.data();
    float* __restrict vp = v.data();
    const float* __restrict gp = g.data();
    for (std::size_t i = 0; i < n; ++i) {
      mp[i] = 0.5f * mp[i] + gp[i];
      vp[i] = 0.5f * vp[i] + gp[i];
      qp[i] = 0.5f * qp[i] + gp[i];
    }
  };
  for (int i = 0; i < 3; ++i) step();
  StepTimes times(state);
  for (auto _ : state)
    times.time([&] {
      step();
      benchmark::ClobberMemory();
    });
  times.report(state);
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(n * kAdamTraffic * sizeof(float)));
  state.counters["n"] = static_cast<double>(n);
  state.counters["bytes_per_param"] = static_cast<double>(kAdamTraffic * sizeof(float));
}
BENCHMARK(BM_ReferenceTraffic)->ArgName("n")->Arg(1'000'000)->Arg(10'000'000)->UseRealTime()->Unit(benchmark::kMillisecond);

// Optimizer::step's read-only pre-pass alone: the squared norm of the gradient (one more read of g).
void BM_ReferenceGradNorm(benchmark::State& state) {
  const std::size_t n = arg(state, 0);
  const std::vector<float> g = random_vector<float>(n, "adam/g", 1e-2);
  const Eigen::Map<const Eigen::ArrayXf> a(g.data(), static_cast<Eigen::Index>(n));
  StepTimes times(state);
  for (auto _ : state)
    times.time([&] {
      double sq = static_cast<double>(a.matrix().squaredNorm());
      benchmark::DoNotOptimize(sq);
    });
  times.report(state);
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(n * sizeof(float)));
  state.counters["n"] = static_cast<double>(n);
  state.counters["bytes_per_param"] = static_cast<double>(sizeof(float));
}
BENCHMARK(BM_ReferenceGradNorm)->ArgName("n")->Arg(1'000'000)->Arg(10'000'000)->UseRealTime()->Unit(benchmark::kMillisecond);

// ---------------------------------------------------------------------------------------------
// Dense CGD: full (one n x n block) and block (block_size 256).

template <class T>
struct DenseCase {
  Optimizer<T> opt;
  std::vector<T> x;
  std::vector<std::vector<T>> pool;  // gradients cycled through, so that kappa is not rank one
  std::size_t next = 0;

  DenseCase(const char* preset, std::size_t n, std::size_t block_size, std::size_t refresh_every,
            std::size_t pool_size)
      : opt(options(preset, block_size, refresh_every)) {
    opt.add_group({n});
    x = random_vector<T>(n, "dense/x", 1.0);
    for (std::size_t k = 0; k < pool_size; ++k)
      pool.push_back(random_vector<T>(n, "dense/g" + std::to_string(k), 1e-2));
  }
  static Options options(const char* preset, std::size_t block_size, std::size_t refresh_every) {
    Options o = ldyn::optim::preset(preset);
    o.block_size = block_size;
    o.refresh_every = refresh_every;
    return o;
  }
  void step() {
    const std::vector<T>& g = pool[next];
    next = (next + 1) % pool.size();
    auto report = opt.step(std::span<T>(x), std::span<const T>(g));
    benchmark::DoNotOptimize(report);
  }
};

template <class T>
void run_dense(benchmark::State& state, const char* preset, std::size_t n, std::size_t block_size,
               std::size_t refresh_every, std::size_t pool_size) {
  DenseCase<T> c(preset, n, block_size, refresh_every, pool_size);
  // Step 1 always refreshes; with refresh_every = R each run of R consecutive later steps then
  // holds exactly one refresh, so iteration counts that are multiples of R time the steady state.
  c.step();
  for (auto _ : state) c.step();
  state.counters["n"] = static_cast<double>(n);
  state.counters["refresh_every"] = static_cast<double>(refresh_every);
  state.counters["block_size"] = static_cast<double>(block_size == 0 ? n : block_size);
  state.counters["state_per_param"] = c.opt.state_per_parameter();
  state.counters["eigen_fallbacks"] = static_cast<double>(c.opt.eigen_fallbacks());
}

void BM_CgdFull(benchmark::State& state) {
  run_dense<double>(state, "cgd-full", arg(state, 0), 0, arg(state, 1), 8);
}

void BM_CgdBlock(benchmark::State& state) {
  run_dense<float>(state, "cgd-block", arg(state, 0), 256, arg(state, 1), 2);
}

benchmark::internal::Benchmark* dense(const char* name, void (*fn)(benchmark::State&), long n,
                                      long refresh) {
  return benchmark::RegisterBenchmark(name, fn)
      ->ArgNames({"n", "refresh"})
      ->Args({n, refresh})
      ->UseRealTime()
      ->Unit(benchmark::kMillisecond);
}

void register_dense() {
  constexpr long never = static_cast<long>(kNever);
  for (const long n : {100L, 200L, 500L, 1000L, 2000L}) {
    // Refresh every step: n = 1000 and 2000 cost 0.5 s and several seconds per step.
    auto* every = dense("BM_CgdFull", BM_CgdFull, n, 1);
    if (n >= 1000) every->Iterations(3);
    // Pure O(n^2) update (only the untimed step 1 refreshes).
    dense("BM_CgdFull", BM_CgdFull, n, never);
    // Amortized, measured directly over whole multiples of 100 steps.
    dense("BM_CgdFull", BM_CgdFull, n, 100)->Iterations(n <= 200 ? 1000 : 100);
  }
  // Block CGD on 1e6 floats: ~3 GB of state (kappa, eigenvectors, solver workspace per block);
  // one refresh is ~3900 eigendecompositions of 256 x 256.
  dense("BM_CgdBlock", BM_CgdBlock, 1'000'000, 1)->Iterations(2);
  dense("BM_CgdBlock", BM_CgdBlock, 1'000'000, never)->Iterations(5);
}

}  // namespace

int main(int argc, char** argv) {
  register_dense();
#if defined(__clang__)
  benchmark::AddCustomContext("compiler", "clang " __clang_version__);
#elif defined(__GNUC__)
  benchmark::AddCustomContext("compiler", "GCC " __VERSION__);
#endif
#ifdef __AVX512F__
  benchmark::AddCustomContext("simd", "AVX-512");
#elif defined(__AVX2__)
  benchmark::AddCustomContext("simd", "AVX2");
#else
  benchmark::AddCustomContext("simd", "SSE2 (no -march=native)");
#endif
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
