// The training loop: learning happens, runs are reproducible, checkpoints resume bit for bit,
// and impossible settings are refused with errors naming the option.
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "nn/data/multiplication.hpp"
#include "nn/layered_network.hpp"
#include "nn/network_file.hpp"
#include "nn/septuple.hpp"
#include "nn/train/trainer.hpp"
#include "optim/presets.hpp"

namespace ldyn::nn {
namespace {

std::filesystem::path scratch(const std::string& name) {
  return std::filesystem::temp_directory_path() / ("ldyn_nn_" + std::to_string(::getpid()) + "_" + name);
}

DataSplit multiplication_split() {
  DataSplit d;
  d.train = make_multiplication(512, 3);
  d.validation = make_multiplication(128, 4);
  d.test = make_multiplication(128, 5);
  return d;
}

LayeredNetwork<float> small_net(std::uint64_t seed = 1) {
  LayeredNetwork<float> net({{2, 16, 1}, Activation::tanh, Activation::linear, OutputLoss::mse});
  net.initialize(Init::xavier, seed);
  return net;
}

TEST(Trainer, LearnsTheMultiplicationTask) {
  const DataSplit d = multiplication_split();
  auto net = small_net();
  optim::Options o = optim::preset("adam");
  o.lr = 0.01;
  TrainSettings s;
  s.epochs = 30;
  s.batch = 32;
  Trainer<float> t(net, o, s);
  const auto& rows = t.run(d);
  ASSERT_EQ(rows.size(), 30u);
  // Var(x1 x2) = 1/9 on [-1, 1]^2: predicting the mean gives an mse loss of 1/18.
  EXPECT_LT(rows.back().test.loss, 0.05 / 18);
  EXPECT_LT(rows.back().train_loss, rows.front().train_loss / 5);
  EXPECT_EQ(rows.back().steps, 30 * 16);
}

TEST(Trainer, ResumesBitForBit) {
  const DataSplit d = multiplication_split();
  optim::Options o = optim::preset("adabelief");
  o.lr = 0.01;
  TrainSettings s;
  s.epochs = 4;
  s.batch = 50;  // 512 = 10 full batches + one of 12
  auto straight = small_net();
  Trainer<float> a(straight, o, s);
  a.run(d);

  const auto ck = scratch("resume.ck");
  auto first = small_net();
  TrainSettings half = s;
  half.epochs = 2;
  half.checkpoint = ck.string();
  Trainer<float> b(first, o, half);
  b.run(d);
  auto resumed = small_net(99);  // a different start: everything must come from the checkpoint
  Trainer<float> c(resumed, o, s);
  c.load_checkpoint(ck.string());
  EXPECT_EQ(c.epoch(), 2);
  c.run(d);
  ASSERT_EQ(c.history().size(), 4u);
  for (std::size_t k = 0; k < straight.parameters().size(); ++k)
    ASSERT_EQ(straight.parameters()[k], resumed.parameters()[k]) << k;
  EXPECT_EQ(a.history().back().test.loss, c.history().back().test.loss);
  std::filesystem::remove(ck);
}

TEST(Trainer, RejectsCheckpointsOfAnotherNetwork) {
  const DataSplit d = multiplication_split();
  const auto ck = scratch("other.ck");
  auto net = small_net();
  TrainSettings s;
  s.epochs = 1;
  s.checkpoint = ck.string();
  Trainer<float> t(net, optim::preset("adam"), s);
  t.run(d);
  LayeredNetwork<float> wider({{2, 17, 1}, Activation::tanh, Activation::linear, OutputLoss::mse});
  Trainer<float> u(wider, optim::preset("adam"), TrainSettings{});
  try {
    u.load_checkpoint(ck.string());
    FAIL() << "a 2-17-1 network loaded a 2-16-1 checkpoint";
  } catch (const FileError& e) {
    EXPECT_NE(std::string(e.what()).find(ck.string()), std::string::npos);
  }
  { std::ofstream(ck, std::ios::binary | std::ios::trunc) << "LDYNNNCK"; }
  EXPECT_THROW(t.load_checkpoint(ck.string()), FileError);
  std::filesystem::remove(ck);
}

TEST(Trainer, NaNLossIsANamedError) {
  const DataSplit d = multiplication_split();
  auto net = small_net();
  optim::Options o = optim::preset("sgd");
  o.lr = 1e30;  // the weights overflow within a few steps: the loss becomes NaN or inf
  TrainSettings s;
  s.epochs = 50;
  Trainer<float> t(net, o, s);
  try {
    t.run(d);
    FAIL() << "no error for a NaN loss";
  } catch (const NonFiniteError& e) {
    EXPECT_NE(std::string(e.what()).find("--lr"), std::string::npos) << e.what();
  }
}

TEST(Trainer, DenseMetricPerLayerIsGuarded) {
  LayeredNetwork<float> big({{784, 256, 10}});
  try {
    Trainer<float> t(big, optim::preset("cgd-block"), TrainSettings{});
    FAIL() << "a 200960 x 200960 metric was accepted";
  } catch (const InvalidOption& e) {
    EXPECT_NE(std::string(e.what()).find("--block-size"), std::string::npos) << e.what();
  }
  optim::Options o = optim::preset("cgd-block");
  o.block_size = 64;
  EXPECT_NO_THROW(Trainer<float>(big, o, TrainSettings{}));
  // On a small network cgd-block is dense within each layer: one group per layer.
  auto net = small_net();
  Trainer<float> t(net, optim::preset("cgd-block"), TrainSettings{});
  EXPECT_EQ(net.blocks().size(), 2u);
}

TEST(Trainer, SeptupleTrainsLikeItsLayeredNetwork) {
  const DataSplit d = multiplication_split();
  auto net = small_net();
  auto sep = net.as_septuple();
  TrainSettings s;
  s.epochs = 2;
  s.batch = 64;
  optim::Options o = optim::preset("sgd");
  o.lr = 0.05;
  Trainer<float> a(net, o, s);
  Trainer<float> b(sep, o, s);
  a.run(d);
  b.run(d);
  // SGD on the same variables (the septuple holds only the mask's entries) follows the same path,
  // up to float rounding in the different summation orders.
  EXPECT_NEAR(a.history().back().test.loss, b.history().back().test.loss, 1e-4 * a.history().back().test.loss + 1e-7);
}

TEST(NetworkFile, RoundTripsExactlyAndNamesDamage) {
  auto net = small_net(5);
  const auto path = scratch("net.txt");
  save_network(net, path);
  const auto back = load_network(path);
  EXPECT_EQ(back.describe(), net.describe());
  for (std::size_t k = 0; k < net.parameters().size(); ++k) ASSERT_EQ(back.parameters()[k], net.parameters()[k]);
  std::string text;
  {
    std::ifstream in(path);
    text.assign(std::istreambuf_iterator<char>(in), {});
  }
  auto damaged = [&](const std::string& from, const std::string& to) {
    std::string t = text;
    t.replace(t.find(from), from.size(), to);
    std::ofstream(path, std::ios::trunc) << t;
    try {
      load_network(path);
      ADD_FAILURE() << "accepted: " << to;
    } catch (const FileError& e) {
      EXPECT_NE(std::string(e.what()).find(path.string() + ":"), std::string::npos) << e.what();
    }
  };
  damaged("layers 2,16,1", "layers 2,x,1");
  damaged("hidden tanh", "hidden gelu");
  damaged("parameters 65", "parameters 66");
  const auto nl = text.find('\n', text.find("parameters"));
  damaged(text.substr(nl + 1, text.find('\n', nl + 1) - nl - 1), "nan");
  std::ofstream(path, std::ios::trunc) << text.substr(0, text.size() / 2);
  EXPECT_THROW(load_network(path), FileError);
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace ldyn::nn
