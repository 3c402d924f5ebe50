// The batch split of the layered network over OpenMP threads (nn/parallel.hpp): the blocks cover the
// range once, aligned to the grain; the network's loss and gradient with 2 or 3 threads equal the
// serial ones (to float rounding: a GEMM on fewer columns may block its sums differently), and a
// given thread count gives the same bits every time.
#include <algorithm>
#include <cmath>
#include <mutex>
#include <utility>
#include <vector>

#include <gtest/gtest.h>
#include <omp.h>

#include "core/random.hpp"
#include "nn/layered_network.hpp"
#include "nn/parallel.hpp"

namespace ldyn::nn {
namespace {

std::vector<std::pair<Eigen::Index, Eigen::Index>> blocks_of(Eigen::Index n, Eigen::Index grain, int threads) {
  std::vector<std::pair<Eigen::Index, Eigen::Index>> out;
  std::mutex m;
  parallel_blocks(n, grain, [&](Eigen::Index b, Eigen::Index e) {
    std::lock_guard<std::mutex> lock(m);
    out.emplace_back(b, e);
  }, threads);
  std::sort(out.begin(), out.end());
  return out;
}

TEST(ParallelBlocks, CoverTheRangeOnceAlignedToTheGrain) {
  for (Eigen::Index n : {0, 1, 15, 16, 17, 100, 128, 112, 256, 1000})
    for (int threads : {1, 2, 3, 8}) {
      const auto blocks = blocks_of(n, 16, threads);
      Eigen::Index at = 0;
      for (const auto& [b, e] : blocks) {
        EXPECT_EQ(b, at) << n << " " << threads;
        EXPECT_EQ(b % 16, 0);
        EXPECT_GT(e, b);
        at = e;
      }
      EXPECT_EQ(at, n) << n << " " << threads;
      EXPECT_LE(static_cast<long>(blocks.size()), std::max<long>(1, std::min<long>(threads, n / 16)));
      if (n >= 32 && threads >= 2) {
        EXPECT_GE(blocks.size(), 2u) << n;
      }
    }
}

struct Result {
  double loss;
  ParameterVector<float> grad;  // aligned as the trainer's: rounding may depend on the address
  Eigen::MatrixXf out;
};

Result run(Activation hidden, OutputLoss loss, Activation output, int threads) {
  omp_set_num_threads(threads);
  LayeredSpec spec{{40, 48, 33, 10}, hidden, output, loss};
  LayeredNetwork<float> net(spec);
  net.initialize(Init::torch, 3);
  Rng rng = make_stream(4, "test-batch");
  const Eigen::Index batch = 50;  // blocks of 16 + a short last one
  Eigen::MatrixXf x(40, batch), t = Eigen::MatrixXf::Zero(10, batch);
  for (Eigen::Index j = 0; j < batch; ++j) {
    for (Eigen::Index i = 0; i < 40; ++i) x(i, j) = static_cast<float>(standard_normal(rng));
    t(static_cast<Eigen::Index>(rng() % 10), j) = 1;
  }
  Result r;
  r.grad.resize(net.parameters().size());
  r.loss = net.loss_and_gradient(x, t, r.grad);
  r.loss = net.loss_and_gradient(x, t, r.grad);  // second call: the reused buffers give the same
  r.out = net.state(net.layers());
  omp_set_num_threads(1);
  return r;
}

TEST(LayeredNetwork, ThreadedBatchEqualsSerialAndIsReproducible) {
  for (Activation a : {Activation::relu, Activation::tanh, Activation::linear, Activation::sigmoid, Activation::softplus})
    for (auto [loss, output] : {std::pair{OutputLoss::cross_entropy, Activation::linear},
                                std::pair{OutputLoss::mse, Activation::sigmoid}}) {
      const Result serial = run(a, loss, output, 1);
      for (int threads : {2, 3}) {
        const Result par = run(a, loss, output, threads);
        EXPECT_NEAR(par.loss, serial.loss, 1e-6 * std::abs(serial.loss)) << to_string(a) << " " << threads;
        float gmax = 0;
        for (float g : serial.grad) gmax = std::max(gmax, std::abs(g));
        for (std::size_t k = 0; k < serial.grad.size(); ++k)
          ASSERT_NEAR(par.grad[k], serial.grad[k], 1e-6f * std::max(1.0f, gmax)) << to_string(a) << " " << k;
        EXPECT_LE((par.out - serial.out).cwiseAbs().maxCoeff(), 1e-6f * std::max(1.0f, serial.out.cwiseAbs().maxCoeff()));
        const Result again = run(a, loss, output, threads);
        EXPECT_EQ(again.loss, par.loss);
        EXPECT_EQ(again.grad, par.grad);
      }
    }
}

}  // namespace
}  // namespace ldyn::nn
