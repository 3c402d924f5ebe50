// Environment throughput of the particle world (issue 5, section 4): particle-steps per second at
// N = 64, 1024 and 16 384 on one thread, for a full step under each driver (sensors + batched
// policy evaluation + dynamics + collisions) and for the world step alone. Goal: >= 1e7
// particle-steps/s at N = 1024 for the invariant policy. Default world (torus, packing fraction
// 0.05, sensing radius 6R); the invariant policy is the shipped trained one, the raw policy has the
// trained shape (8 hidden units) with fixed pseudo-random weights.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <memory>
#include <vector>

#include "particles/driver.hpp"
#include "particles/policy.hpp"
#include "particles/world.hpp"

namespace pt = ldyn::particles;

namespace {

enum DriverKind { kInvariant, kRaw, kCruise, kNone };

// The invariant policy is the trained one shipped in data/particles (its traffic is what the goal
// is about: a random-weight policy drives at the speed limit into everyone, which is not).
pt::Policy shipped_policy() {
  const char* env = std::getenv("LDYN_BENCH_POLICY");
  return pt::load_policy(env ? env : LDYN_SOURCE_DIR "/data/particles/invariant-policy.txt");
}

void step_throughput(benchmark::State& state, DriverKind kind) {
  pt::WorldParams p;
  p.particles = state.range(0);
  p.initial_speed = 1;  // traffic in motion from the first step (the world-only case has no driver)
  pt::World world(p);
  world.reset(1);
  pt::Policy policy = kind == kInvariant ? shipped_policy()
                                          : pt::make_policy(pt::PolicyKind::raw, pt::Sensing{}, 8, 3);
  if (kind == kRaw)  // untrained: random weights of the trained shape (its cost does not depend on them)
    for (std::size_t k = 0; k < policy.net.parameter_count(); ++k) policy.net.parameters()[k] = 0.1f * static_cast<float>((k * 7919) % 13) - 0.6f;
  std::unique_ptr<pt::Driver> driver;
  if (kind == kInvariant || kind == kRaw) driver = std::make_unique<pt::PolicyDriver>(policy);
  if (kind == kCruise) driver = std::make_unique<pt::CruiseDriver>();
  const std::size_t n = world.size();
  std::vector<float> ax(n, 0.0f), ay(n, 0.0f);
  long steps = 0, rebuilds = 0;
  for (auto _ : state) {
    if (driver) driver->act(world, ax, ay);
    benchmark::DoNotOptimize(world.step(ax, ay));
    if (++steps % 2000 == 0) {  // keep the traffic in its steady state, not piled up or frozen
      state.PauseTiming();
      world.reset(static_cast<std::uint64_t>(steps));
      state.ResumeTiming();
    }
  }
  state.SetItemsProcessed(state.iterations() * static_cast<long>(n));
  state.counters["particles"] = static_cast<double>(n);
  rebuilds = world.neighbour_rebuilds();  // counted over the world's life, resets included
  state.counters["steps_per_rebuild"] = static_cast<double>(steps) / static_cast<double>(rebuilds);
}

}  // namespace

BENCHMARK_CAPTURE(step_throughput, invariant, kInvariant)->Arg(64)->Arg(1024)->Arg(16384)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(step_throughput, raw, kRaw)->Arg(64)->Arg(1024)->Arg(16384)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(step_throughput, cruise, kCruise)->Arg(64)->Arg(1024)->Arg(16384)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(step_throughput, world_only, kNone)->Arg(64)->Arg(1024)->Arg(16384)->Unit(benchmark::kMicrosecond);

BENCHMARK_MAIN();
