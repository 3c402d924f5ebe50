// Micro-benchmarks of the nn module's training hot loop (issue #4, section 5): a 784-256-10 ReLU MLP,
// cross-entropy, preset "adam" (lr 1e-3), float, minibatches of 128, on synthetic data of
// Fashion-MNIST's shape, so that it runs without the data set:
//
//   BM_NnStep/threads:T    one Trainer::train_step (forward, loss, backward, Adam step) on a fixed batch
//   BM_NnEpoch/threads:T   one Trainer::train_epoch over 54 000 samples (421 full batches and one of
//                          112, the gather of each minibatch included), no evaluation
//
// T is both OpenMP's and Eigen's thread count, as `ldyn train --threads T` sets them. The inputs are
// standard normal (what standardized pixels look like to the arithmetic), the labels uniform over
// 10 classes. The comparison with PyTorch on the real data is bench/nn/run_nn_bench.py.
#include <benchmark/benchmark.h>

#include <cmath>
#include <random>
#include <vector>

#include <Eigen/Core>
#include <omp.h>

#include "core/random.hpp"
#include "nn/data/dataset.hpp"
#include "nn/layered_network.hpp"
#include "nn/train/trainer.hpp"
#include "optim/presets.hpp"

namespace {

using namespace ldyn;

constexpr Eigen::Index kFeatures = 784, kHidden = 256, kClasses = 10, kBatch = 128, kTrain = 54000;

void set_threads(int threads) {
  omp_set_num_threads(threads);
  Eigen::setNbThreads(threads);
}

nn::LayeredNetwork<float> make_network() {
  nn::LayeredSpec spec;
  spec.sizes = {kFeatures, kHidden, kClasses};
  spec.hidden = nn::Activation::relu;
  nn::LayeredNetwork<float> net(spec);
  net.initialize(nn::Init::torch, 1);
  return net;
}

nn::Dataset synthetic(Eigen::Index n, std::uint64_t seed) {
  Rng rng = make_stream(seed, "bench-nn-data");
  std::normal_distribution<float> normal(0.0f, 1.0f);
  std::uniform_int_distribution<int> label(0, kClasses - 1);
  nn::Dataset d;
  d.name = "synthetic";
  d.classes = kClasses;
  d.inputs.resize(kFeatures, n);
  for (Eigen::Index j = 0; j < n; ++j)
    for (Eigen::Index i = 0; i < kFeatures; ++i) d.inputs(i, j) = normal(rng);
  d.labels.resize(static_cast<std::size_t>(n));
  for (int& l : d.labels) l = label(rng);
  d.targets = nn::one_hot(d.labels, kClasses);
  return d;
}

optim::Options adam() { return optim::preset("adam"); }

void BM_NnStep(benchmark::State& state) {
  set_threads(static_cast<int>(state.range(0)));
  auto net = make_network();
  nn::TrainSettings settings;
  settings.batch = kBatch;
  nn::Trainer<float> trainer(net, adam(), settings);
  const nn::Dataset d = synthetic(kBatch, 2);
  const Eigen::MatrixXf x = d.inputs, y = d.targets;
  for (int k = 0; k < 3; ++k) trainer.train_step(x, y);  // buffers and optimizer state allocated
  for (auto _ : state) benchmark::DoNotOptimize(trainer.train_step(x, y));
  state.counters["threads"] = static_cast<double>(state.range(0));
  state.counters["batch"] = kBatch;
  state.SetItemsProcessed(state.iterations() * kBatch);
  set_threads(1);
}

void BM_NnEpoch(benchmark::State& state) {
  set_threads(static_cast<int>(state.range(0)));
  auto net = make_network();
  nn::TrainSettings settings;
  settings.batch = kBatch;
  settings.epochs = 1'000'000;
  settings.eval_batch = 2000;
  nn::Trainer<float> trainer(net, adam(), settings);
  nn::DataSplit data;
  data.train = synthetic(kTrain, 3);  // validation and test empty: train_epoch evaluates nothing
  trainer.train_epoch(data);          // warm-up epoch (allocations, page faults, optimizer state)
  for (auto _ : state) benchmark::DoNotOptimize(trainer.train_epoch(data).train_loss);
  state.counters["threads"] = static_cast<double>(state.range(0));
  state.counters["samples"] = kTrain;
  state.SetItemsProcessed(state.iterations() * kTrain);
  set_threads(1);
}

}  // namespace

BENCHMARK(BM_NnStep)->ArgName("threads")->Arg(1)->Arg(2)->UseRealTime()->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_NnEpoch)->ArgName("threads")->Arg(1)->Arg(2)->UseRealTime()->Unit(benchmark::kMillisecond)->MinTime(3.0);

BENCHMARK_MAIN();
