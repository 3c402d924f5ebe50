// Cost of one force evaluation of a fitted water model (the MD step is dominated by it), at 64, 512
// and 4096 molecules (the shipped reference frame replicated 1×, 2× and 4× along each axis).
// Model: the defaults of `ldyn water fit` with coefficients fitted on 40 frames of the shipped data
// (the cost does not depend on the values, only on the basis sizes and cutoffs).
#include <benchmark/benchmark.h>

#include <map>

#include <omp.h>

#include "molecular/fit/fit_model.hpp"
#include "molecular/fit/training_data.hpp"
#include "molecular/model/agent_model.hpp"

namespace mol = ldyn::molecular;

namespace {

const std::vector<mol::io::Frame>& frames() {
  static const std::vector<mol::io::Frame> f = [] {
    mol::TrainingDataOptions o;
    o.cubic_cell = 12.4297;
    o.range = {0, 400, 10};
    return mol::read_training_frames({LDYN_SOURCE_DIR "/data/water/w64-300K-pos-1.xyz.xz",
                                      LDYN_SOURCE_DIR "/data/water/w64-300K-frc-1.xyz.xz"},
                                     o);
  }();
  return f;
}

const mol::ModelFile& fitted(mol::Dynamics dynamics) {
  static std::map<mol::Dynamics, mol::ModelFile> cache;
  auto it = cache.find(dynamics);
  if (it == cache.end()) {
    mol::FitOptions o;
    o.spec.dynamics = dynamics;
    o.progress = false;
    it = cache.emplace(dynamics, mol::fit_model(frames(), o).model).first;
  }
  return it->second;
}

/// The first reference frame repeated `k` times along each axis.
mol::System replicated(const mol::ModelFile& model, int k) {
  const mol::System one = mol::System::from_frame(frames().front(), model.spec.species, "reference");
  mol::System s = one;
  const auto n = static_cast<Eigen::Index>(one.size());
  const int copies = k * k * k;
  s.positions.resize(n * copies, 3);
  s.velocities.setZero(n * copies, 3);
  s.mass.resize(n * copies);
  s.type.clear();
  int c = 0;
  for (int x = 0; x < k; ++x)
    for (int y = 0; y < k; ++y)
      for (int z = 0; z < k; ++z, ++c) {
        const Eigen::RowVector3d shift = (one.box.length * Eigen::Array3d(x, y, z)).matrix().transpose();
        s.positions.middleRows(c * n, n) = one.positions.rowwise() + shift;
        s.mass.segment(c * n, n) = one.mass;
        s.type.insert(s.type.end(), one.type.begin(), one.type.end());
      }
  s.box.length = one.box.length * k;
  return s;
}

void BM_WaterForces(benchmark::State& state) {
  const int k = static_cast<int>(state.range(0));
  const auto dynamics = state.range(1) ? mol::Dynamics::symmetric : mol::Dynamics::agent;
  const int threads = static_cast<int>(state.range(2));
  const mol::ModelFile& m = fitted(dynamics);
  mol::AgentModel model(m.spec, m.coefficients);
  const mol::System sys = replicated(m, k);
  omp_set_num_threads(threads);
  mol::AtomVectors f;
  model.compute(sys, f);  // builds the neighbour list
  for (auto _ : state) benchmark::DoNotOptimize(model.compute(sys, f));
  state.counters["molecules"] = static_cast<double>(sys.size() / 3);
  state.counters["atom_steps_per_s"] = benchmark::Counter(static_cast<double>(sys.size()), benchmark::Counter::kIsIterationInvariantRate);
}

}  // namespace

// Args: replication k (64·k³ molecules), symmetric dynamics (0/1), threads.
BENCHMARK(BM_WaterForces)
    ->ArgsProduct({{1, 2, 4}, {0, 1}, {1, 2}})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

BENCHMARK_MAIN();
