// The API of Optimizer and optimize(): exact checkpoints, load errors, parameter groups, weight
// decay, maximize, clipping, schedules, option validation, non-finite gradients, state size, and
// the ensmallen-like loop with its callbacks.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <numbers>
#include <span>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <unistd.h>

#include <Eigen/Dense>
#include <gtest/gtest.h>

#include "core/error.hpp"
#include "optim/callbacks.hpp"
#include "optim/optimize.hpp"
#include "optim/optimizer.hpp"
#include "optim/options.hpp"
#include "optim/presets.hpp"
#include "optim/schedule.hpp"

namespace {

namespace fs = std::filesystem;
using ldyn::FileError;
using ldyn::InvalidOption;
using ldyn::NonFiniteError;
using ldyn::optim::ConstTensors;
using ldyn::optim::Optimizer;
using ldyn::optim::Options;
using ldyn::optim::preset;
using ldyn::optim::Schedule;
using ldyn::optim::ScheduleKind;
using ldyn::optim::Structure;
using ldyn::optim::Tensors;
using Sizes = std::vector<std::size_t>;

/// A fresh directory per test binary run (tests of other build trees may run concurrently).
fs::path scratch_dir() {
  static const fs::path dir = [] {
    fs::path d = fs::path(::testing::TempDir()) / ("ldyn_test_optimizer_" + std::to_string(::getpid()));
    fs::remove_all(d);
    fs::create_directories(d);
    return d;
  }();
  return dir;
}

/// Seeded pseudo-noise in [-1, 1), a pure function of (t, i): splitmix64.
double noise(long t, std::size_t i) {
  std::uint64_t z = static_cast<std::uint64_t>(t) * 0x9E3779B97F4A7C15ull + i * 0xD1B54A32D192ED03ull + 0x1234567ull;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  z ^= z >> 31;
  return static_cast<double>(z >> 11) * 0x1.0p-53 * 2.0 - 1.0;
}

/// A deterministic gradient of the parameters and the step: a coupled quadratic plus noise.
template <class T>
void gradient(long t, const std::vector<T>& q, std::vector<T>& g) {
  const std::size_t n = q.size();
  for (std::size_t i = 0; i < n; ++i)
    g[i] = static_cast<T>(0.1 + 0.2 * static_cast<double>(i)) * q[i] + static_cast<T>(0.05) * q[(i + 1) % n] +
           static_cast<T>(0.3 * noise(t, i));
}

/// Steps from+1 .. to; returns the parameters after each.
template <class T>
std::vector<std::vector<T>> advance(Optimizer<T>& opt, std::vector<T>& q, long from, long to) {
  std::vector<T> g(q.size());
  std::vector<std::vector<T>> out;
  for (long t = from + 1; t <= to; ++t) {
    gradient(t, q, g);
    opt.step(std::span(q), std::span(std::as_const(g)));
    out.push_back(q);
  }
  return out;
}

template <class T>
bool bitwise_equal(const std::vector<std::vector<T>>& a, const std::vector<std::vector<T>>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t t = 0; t < a.size(); ++t)
    if (a[t].size() != b[t].size() || std::memcmp(a[t].data(), b[t].data(), a[t].size() * sizeof(T)) != 0)
      return false;
  return true;
}

template <class T>
std::vector<T> start_point(std::size_t n) {
  std::vector<T> q(n);
  for (std::size_t i = 0; i < n; ++i) q[i] = static_cast<T>(1.0 + noise(0, i));
  return q;
}

// ---------------------------------------------------------------------------------------------
// Exact resume: run, save, run on (A); new optimizer, load, run the same steps (B): A == B bitwise.

const std::vector<std::string> kResumePresets = {"adam",      "adabelief",   "cgd-diag", "cgd-full",
                                                 "cgd-block", "cgd-lowrank", "momentum", "natural"};

template <class T>
void check_exact_resume(const std::string& name) {
  SCOPED_TRACE(name + (sizeof(T) == 4 ? " float" : " double"));
  const Sizes sizes = {5, 7};  // two tensors: cgd-block has two blocks; rank 8 < n = 12
  Options o = preset(name);
  o.lr = 1e-2;
  // refresh_every 3 with the checkpoint after step 31: steps 32 and 33 run on the saved basis and
  // tracked eigenvalues, so those are really restored, not recomputed.
  if (name == "cgd-full") o.refresh_every = 3;
  const long first = 31, second = 30;
  const fs::path path = scratch_dir() / ("resume_" + name + "_" + std::to_string(sizeof(T)) + ".bin");

  Optimizer<T> a(o);
  a.add_group(sizes);
  std::vector<T> q = start_point<T>(12);
  advance(a, q, 0, first);
  a.save(path);
  const std::vector<T> checkpoint = q;
  std::vector<T> qa = checkpoint;
  const auto run_a = advance(a, qa, first, first + second);

  Optimizer<T> b(o);
  b.add_group(sizes);
  b.load(path);
  EXPECT_EQ(b.steps(), first);
  std::vector<T> qb = checkpoint;
  const auto run_b = advance(b, qb, first, first + second);
  EXPECT_TRUE(bitwise_equal(run_a, run_b)) << "resumed trajectory differs";

  // Not vacuous: without the state, the same 30 steps go elsewhere.
  Optimizer<T> fresh(o);
  fresh.add_group(sizes);
  std::vector<T> qc = checkpoint;
  EXPECT_FALSE(bitwise_equal(run_a, advance(fresh, qc, first, first + second)));
}

TEST(OptimizerState, SaveLoadResumesExactlyDouble) {
  for (const auto& name : kResumePresets) check_exact_resume<double>(name);
}

TEST(OptimizerState, SaveLoadResumesExactlyFloat) {
  for (const auto& name : kResumePresets) check_exact_resume<float>(name);
}

void expect_file_error(const std::function<void()>& load, const fs::path& path, const std::string& what) {
  try {
    load();
    ADD_FAILURE() << what << ": no exception";
  } catch (const FileError& e) {
    EXPECT_NE(std::string(e.what()).find(path.string()), std::string::npos) << what << ": " << e.what();
    EXPECT_EQ(e.path(), path.string()) << what;
  } catch (const std::exception& e) {
    ADD_FAILURE() << what << ": wrong exception type: " << e.what();
  }
}

TEST(OptimizerState, LoadErrorsNameTheFileAndLeaveTheOptimizerUnchanged) {
  const Sizes sizes = {5, 7};
  Options o = preset("cgd-full");
  o.lr = 1e-2;
  o.refresh_every = 2;
  Optimizer<double> opt(o), twin(o);
  opt.add_group(sizes);
  twin.add_group(sizes);
  std::vector<double> q = start_point<double>(12), p = q;
  advance(opt, q, 0, 9);
  advance(twin, p, 0, 9);

  const fs::path dir = scratch_dir();
  const fs::path good = dir / "good.bin";
  opt.save(good);
  std::string bytes;
  {
    std::ifstream in(good, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), {});
  }
  ASSERT_GT(bytes.size(), 100u);
  auto write = [&](const fs::path& path, const std::string& content) {
    std::ofstream(path, std::ios::binary) << content;
    return path;
  };
  // A different optimizer saves a state file for each mismatch.
  auto saved = [&](const std::string& file, auto other) {
    const fs::path path = dir / file;
    other.save(path);
    return path;
  };
  auto with_group = [](auto opt_, const Sizes& s) {
    opt_.add_group(s);
    return opt_;
  };

  const std::vector<std::pair<fs::path, std::string>> bad = {
      {write(dir / "truncated.bin", bytes.substr(0, bytes.size() / 2)), "truncated"},
      {write(dir / "truncated_end.bin", bytes.substr(0, bytes.size() - 3)), "truncated in the end tag"},
      {write(dir / "empty.bin", ""), "empty"},
      {write(dir / "garbage.bin", "this is not an optimizer state, just text that is long enough to read"), "garbage"},
      {saved("diagonal.bin", with_group(Optimizer<double>(preset("cgd-diag")), sizes)), "different structure"},
      {saved("block.bin", with_group(Optimizer<double>(preset("cgd-block")), sizes)), "different structure (block)"},
      {saved("natural.bin", with_group(Optimizer<double>(preset("natural")), sizes)), "different metric source"},
      {saved("sizes.bin", with_group(Optimizer<double>(o), Sizes{5, 6})), "different tensor sizes"},
      {saved("order.bin", with_group(Optimizer<double>(o), Sizes{7, 5})), "different tensor order"},
      {saved("one_tensor.bin", with_group(Optimizer<double>(o), Sizes{12})), "different tensor count"},
      {saved("float.bin", with_group(Optimizer<float>(o), sizes)), "float state into double"},
      {dir / "does_not_exist.bin", "nonexistent path"},
  };
  for (const auto& [path, what] : bad) expect_file_error([&] { opt.load(path); }, path, what);
  {  // two groups
    Optimizer<double> two(o);
    two.add_group({5});
    two.add_group({7});
    const fs::path path = dir / "two_groups.bin";
    two.save(path);
    expect_file_error([&] { opt.load(path); }, path, "different group count");
  }
  {  // and the other way round: a double state into a float optimizer
    Optimizer<float> f(o);
    f.add_group(sizes);
    expect_file_error([&] { f.load(good); }, good, "double state into float");
  }

  // Every failed load left `opt` as it was: its next steps equal the untouched twin's.
  EXPECT_EQ(opt.steps(), twin.steps());
  EXPECT_TRUE(bitwise_equal(advance(opt, q, 9, 15), advance(twin, p, 9, 15)));
}

// ---------------------------------------------------------------------------------------------

TEST(Optimizer, ParameterGroupsAreIndependentOptimizers) {
  Options adam = preset("adam");
  adam.lr = 0.05;
  Options momentum = preset("momentum");
  momentum.lr = 0.02;
  Optimizer<double> both(preset("sgd"));
  EXPECT_EQ(both.add_group({3, 2}, adam), 0u);
  EXPECT_EQ(both.add_group({4}, momentum), 1u);
  EXPECT_EQ(both.groups(), 2u);
  EXPECT_EQ(both.options(0).lr, 0.05);
  EXPECT_EQ(both.options(1).lr, 0.02);
  Optimizer<double> a(adam), b(momentum);
  a.add_group({3, 2});
  b.add_group({4});

  const Sizes all = {3, 2, 4};
  std::vector<double> q = start_point<double>(9), pa(q.begin(), q.begin() + 5), pb(q.begin() + 5, q.end());
  std::vector<double> g(9), ga(5), gb(4);
  for (long t = 1; t <= 25; ++t) {
    gradient(t, q, g);  // the same gradient values for both set-ups
    std::copy(g.begin(), g.begin() + 5, ga.begin());
    std::copy(g.begin() + 5, g.end(), gb.begin());
    both.step(std::span(q), std::span(std::as_const(g)));
    a.step(std::span(pa), std::span(std::as_const(ga)));
    b.step(std::span(pb), std::span(std::as_const(gb)));
    pa.insert(pa.end(), pb.begin(), pb.end());
    ASSERT_EQ(std::memcmp(q.data(), pa.data(), 9 * sizeof(double)), 0) << "step " << t;
    pa.resize(5);
  }

  // Wrong tensor count or sizes: std::invalid_argument, and nothing changes.
  const std::vector<double> before = q;
  std::vector<std::span<double>> ps = {{q.data(), 3}, {q.data() + 3, 2}};
  std::vector<std::span<const double>> gs = {{g.data(), 3}, {g.data() + 3, 2}};
  EXPECT_THROW(both.step(Tensors<double>(ps), ConstTensors<double>(gs)), std::invalid_argument);
  ps = {{q.data(), 3}, {q.data() + 3, 2}, {q.data() + 5, 3}};
  gs = {{g.data(), 3}, {g.data() + 3, 2}, {g.data() + 5, 3}};
  EXPECT_THROW(both.step(Tensors<double>(ps), ConstTensors<double>(gs)), std::invalid_argument);
  ps = {{q.data(), 3}, {q.data() + 3, 2}, {q.data() + 5, 4}};
  gs = {{g.data(), 3}, {g.data() + 3, 1}, {g.data() + 5, 4}};  // a gradient shorter than its tensor
  EXPECT_THROW(both.step(Tensors<double>(ps), ConstTensors<double>(gs)), std::invalid_argument);
  // A flat vector must hold exactly all registered parameters.
  EXPECT_THROW(both.step(std::span<double>(q.data(), 8), std::span<const double>(g.data(), 8)),
               std::invalid_argument);
  EXPECT_THROW(both.step(std::span<double>(q), std::span<const double>(g.data(), 8)), std::invalid_argument);
  EXPECT_EQ(q, before);
  EXPECT_EQ(both.steps(), 25);
  // Groups need parameters.
  EXPECT_THROW(both.add_group({}), std::invalid_argument);
  EXPECT_THROW(both.add_group({0, 0}), std::invalid_argument);
}

/// The first update of one tensor from q0 with gradient g.
std::vector<double> first_step(const Options& o, std::vector<double> q, const std::vector<double>& g) {
  Optimizer<double> opt(o);
  opt.add_group({q.size()});
  opt.step(std::span<double>(q), std::span<const double>(g));
  return q;
}

void expect_near_all(const std::vector<double>& got, const std::vector<double>& want, const char* what) {
  ASSERT_EQ(got.size(), want.size());
  for (std::size_t i = 0; i < got.size(); ++i)
    EXPECT_NEAR(got[i], want[i], 4e-16 * std::max(1.0, std::abs(want[i]))) << what << " [" << i << "]";
}

TEST(Optimizer, WeightDecayL2AndDecoupledMatchHandComputations) {
  const std::vector<double> q0 = {2.0, -3.0, 0.5}, g = {0.1, 0.2, -0.05};
  const double wd = 0.5, lr = 0.1;
  {  // SGD: both forms are q - lr g - lr wd q (equal in exact arithmetic for plain SGD).
    Options o = preset("sgd");
    o.lr = lr;
    o.weight_decay = wd;
    std::vector<double> l2(3), dec(3);
    for (int i = 0; i < 3; ++i) {
      l2[i] = q0[i] - lr * (g[i] + wd * q0[i]);
      dec[i] = (1.0 - lr * wd) * q0[i] - lr * g[i];
    }
    expect_near_all(first_step(o, q0, g), l2, "sgd L2");
    o.decoupled_weight_decay = true;
    expect_near_all(first_step(o, q0, g), dec, "sgd decoupled");
  }
  {  // Adam, first step: m^ = G, v^ = G^2, so q1 = q0 - lr G / (|G| + eps) with G = g (+ wd q0 for L2).
    Options o = preset("adam");
    o.lr = lr;
    o.weight_decay = wd;
    const double eps = o.eps_outside;
    std::vector<double> l2(3), dec(3);
    for (int i = 0; i < 3; ++i) {
      const double G = g[i] + wd * q0[i];
      l2[i] = q0[i] - lr * G / (std::abs(G) + eps);
      dec[i] = (1.0 - lr * wd) * q0[i] - lr * g[i] / (std::abs(g[i]) + eps);
    }
    const auto got_l2 = first_step(o, q0, g);
    expect_near_all(got_l2, l2, "adam L2");
    o.decoupled_weight_decay = true;
    const auto got_dec = first_step(o, q0, g);
    expect_near_all(got_dec, dec, "adamw");
    EXPECT_GT(std::abs(got_l2[1] - got_dec[1]), 0.01) << "L2 and decoupled decay must differ for Adam";
    // preset adamw is exactly this
    Options w = preset("adamw");
    w.lr = lr;
    w.weight_decay = wd;
    EXPECT_EQ(first_step(w, q0, g), got_dec);
  }
}

TEST(Optimizer, MaximizeAscends) {
  const std::vector<double> q0 = {1.0, -2.0, 0.25}, g = {0.3, -0.7, 2.0};
  Options o = preset("sgd");
  o.lr = 0.1;
  o.maximize = true;
  const auto up = first_step(o, q0, g);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(up[i], q0[i] + 0.1 * g[i]);
  Options a = preset("adam");
  a.lr = 0.01;
  a.maximize = true;
  const auto adam_up = first_step(a, q0, g);
  for (int i = 0; i < 3; ++i) EXPECT_NEAR(adam_up[i] - q0[i], 0.01 * (g[i] > 0 ? 1 : -1), 1e-9);
}

TEST(Optimizer, ClippingByNormAndByValue) {
  const std::vector<double> q0 = {1.0, 1.0, 1.0}, g = {3.0, 0.0, -4.0};  // |g| = 5
  Options o = preset("sgd");
  o.lr = 0.1;
  o.clip_norm = 0.5;
  auto q = first_step(o, q0, g);
  for (int i = 0; i < 3; ++i) EXPECT_NEAR(q[i], q0[i] - 0.1 * g[i] * (0.5 / 5.0), 1e-16) << i;
  o.clip_norm = 10.0;  // larger than |g|: no effect
  q = first_step(o, q0, g);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(q[i], q0[i] - 0.1 * g[i]) << i;

  Options v = preset("sgd");
  v.lr = 0.1;
  v.clip_value = 1.0;
  const std::vector<double> h = {0.5, -2.0, 7.0};
  q = first_step(v, q0, h);
  const std::vector<double> clamped = {0.5, -1.0, 1.0};
  for (int i = 0; i < 3; ++i) EXPECT_EQ(q[i], q0[i] - 0.1 * clamped[i]) << i;
}

TEST(Optimizer, SchedulesFollowTheirClosedForms) {
  using ldyn::optim::lr_at;
  const double lr = 0.1;
  Schedule constant;
  for (long t : {1L, 2L, 10L, 100000L}) EXPECT_EQ(lr_at(constant, lr, t), lr);

  Schedule step;
  step.kind = ScheduleKind::step;
  step.step_size = 10;
  step.gamma = 0.5;
  for (long t : {1L, 10L, 11L, 20L, 21L, 35L, 101L})
    EXPECT_DOUBLE_EQ(lr_at(step, lr, t), lr * std::pow(0.5, static_cast<double>((t - 1) / 10))) << t;
  EXPECT_DOUBLE_EQ(lr_at(step, lr, 10), lr);
  EXPECT_DOUBLE_EQ(lr_at(step, lr, 11), lr / 2);

  Schedule cosine;
  cosine.kind = ScheduleKind::cosine;
  cosine.total = 110;
  cosine.warmup = 10;
  cosine.min_factor = 0.1;
  auto closed = [&](long t) {
    if (t <= 10) return lr * static_cast<double>(t) / 10.0;  // linear warm-up to lr
    const double x = std::min(1.0, static_cast<double>(t - 10) / 100.0);
    return lr * (0.1 + 0.9 * 0.5 * (1.0 + std::cos(std::numbers::pi * x)));
  };
  for (long t : {1L, 5L, 10L, 11L, 35L, 60L, 100L, 110L, 500L})
    EXPECT_NEAR(lr_at(cosine, lr, t), closed(t), 1e-16) << t;
  EXPECT_NEAR(lr_at(cosine, lr, 60), lr * 0.55, 1e-16);  // half way down
  EXPECT_NEAR(lr_at(cosine, lr, 110), lr * 0.1, 1e-16);  // the minimum, and it stays there
  EXPECT_NEAR(lr_at(cosine, lr, 5), lr * 0.5, 1e-16);

  // An SGD step uses the scheduled rate: with g = 1 each step moves q by -lr_t.
  Options o = preset("sgd");
  o.lr = lr;
  o.schedule = step;
  o.schedule.step_size = 2;
  Optimizer<double> opt(o);
  opt.add_group({1});
  double q = 0.0;
  const double one = 1.0;
  for (long t = 1; t <= 7; ++t) {
    const double before = q;
    opt.step(std::span<double>(&q, 1), std::span<const double>(&one, 1));
    // before - q rounds in the last place of q (|q| < 0.4), hence an absolute 1e-16.
    EXPECT_NEAR(before - q, lr * std::pow(0.5, static_cast<double>((t - 1) / 2)), 1e-16) << t;
  }
}

void expect_invalid(const Options& o, const std::string& option, const std::string& what) {
  try {
    ldyn::optim::validate(o);
    ADD_FAILURE() << what << ": accepted";
  } catch (const InvalidOption& e) {
    EXPECT_EQ(e.option(), option) << what << ": " << e.what();
    EXPECT_NE(std::string(e.what()).find(option), std::string::npos) << what;
  }
  // The optimizer refuses it too, as defaults and as a group's options.
  EXPECT_THROW(Optimizer<double>{o}, InvalidOption) << what;
  Optimizer<double> opt(preset("adam"));
  EXPECT_THROW(opt.add_group({3}, o), InvalidOption) << what;
  EXPECT_EQ(opt.groups(), 0u) << what;
}

TEST(Optimizer, ImpossibleOptionsAreRejectedByName) {
  const Options base = preset("cgd-diag");
  EXPECT_NO_THROW(ldyn::optim::validate(base));
  auto with = [&](auto change) {
    Options o = base;
    change(o);
    return o;
  };
  expect_invalid(with([](Options& o) { o.beta1 = 1.0; }), "--beta1", "beta1 = 1");
  expect_invalid(with([](Options& o) { o.beta2 = -0.1; }), "--beta2", "beta2 = -0.1");
  expect_invalid(with([](Options& o) { o.alpha = 1.5; }), "--alpha", "alpha = 1.5");
  expect_invalid(with([](Options& o) { o.alpha = -0.1; }), "--alpha", "alpha = -0.1");
  expect_invalid(with([](Options& o) { o.alpha = std::nan(""); }), "--alpha", "alpha = NaN");
  expect_invalid(with([](Options& o) { o.lr = 0.0; }), "--lr", "lr = 0");
  expect_invalid(with([](Options& o) { o.lr = -1.0; }), "--lr", "lr = -1");
  expect_invalid(with([](Options& o) { o.lr = std::nan(""); }), "--lr", "lr = NaN");
  expect_invalid(with([](Options& o) { o.lr = std::numeric_limits<double>::infinity(); }), "--lr", "lr = inf");
  expect_invalid(with([](Options& o) { o.eps_inside = -1e-8; }), "--eps", "eps_inside < 0");
  expect_invalid(with([](Options& o) { o.eps_outside = -1e-8; }), "--eps", "eps_outside < 0");
  expect_invalid(with([](Options& o) { o.eps_accumulated = -1e-8; }), "--eps", "eps_accumulated < 0");
  expect_invalid(with([](Options& o) {
                   o.eps_inside = o.eps_outside = o.eps_accumulated = 0.0;
                 }),
                 "--eps", "all eps zero, centered source, alpha 1/2");
  expect_invalid(with([](Options& o) {
                   o.source = ldyn::optim::MetricSource::second_moment;
                   o.eps_inside = o.eps_outside = o.eps_accumulated = 0.0;
                 }),
                 "--eps", "all eps zero, second moment");
  expect_invalid(with([](Options& o) {
                   o.structure = Structure::low_rank;
                   o.rank = 0;
                 }),
                 "--rank", "rank 0");
  expect_invalid(with([](Options& o) { o.refresh_every = 0; }), "--refresh-every", "refresh_every 0");
  expect_invalid(with([](Options& o) {
                   o.schedule.kind = ScheduleKind::cosine;
                   o.schedule.total = 0;
                 }),
                 "--lr-total", "cosine without total");

  // ... while the legitimate corner cases pass.
  EXPECT_NO_THROW(ldyn::optim::validate(with([](Options& o) {
    o.source = ldyn::optim::MetricSource::identity;
    o.eps_inside = o.eps_outside = o.eps_accumulated = 0.0;
  })));
  EXPECT_NO_THROW(ldyn::optim::validate(with([](Options& o) {
    o.alpha = 0.0;
    o.eps_inside = o.eps_outside = o.eps_accumulated = 0.0;
  })));
  EXPECT_NO_THROW(ldyn::optim::validate(with([](Options& o) {  // no momentum, uncentered: fine
    o.source = ldyn::optim::MetricSource::second_moment;
    o.beta1 = 0.0;
  })));
  // ... but the centered covariance about m_t = G_t would be identically zero.
  expect_invalid(with([](Options& o) {
                   o.source = ldyn::optim::MetricSource::centered_covariance;
                   o.beta1 = 0.0;
                 }),
                 "--beta1", "beta1 = 0 with the centered covariance");
  EXPECT_NO_THROW(ldyn::optim::validate(with([](Options& o) { o.rank = 0; })));  // unused unless low_rank

  try {
    preset("nope");
    ADD_FAILURE() << "preset('nope') accepted";
  } catch (const InvalidOption& e) {
    EXPECT_EQ(e.option(), "--optimizer");
    const std::string what = e.what();
    EXPECT_NE(what.find("nope"), std::string::npos);
    for (const auto& p : ldyn::optim::presets()) EXPECT_NE(what.find(p.name), std::string::npos) << p.name;
  }
  for (const auto& p : ldyn::optim::presets()) EXPECT_NO_THROW(ldyn::optim::validate(p.options)) << p.name;
}

// ---------------------------------------------------------------------------------------------

TEST(Optimizer, NonFiniteGradientStopsOrIsSkipped) {
  const Sizes sizes = {3, 4};
  const double bad_values[] = {std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::infinity(),
                               -std::numeric_limits<double>::infinity()};
  for (const double bad : bad_values) {
    for (const bool skip : {false, true}) {
      SCOPED_TRACE(std::string(skip ? "skip " : "stop ") + std::to_string(bad));
      Options o = preset("cgd-full");
      o.lr = 1e-2;
      o.skip_nonfinite = skip;
      Optimizer<double> opt(o), twin(o);
      opt.add_group(sizes);
      twin.add_group(sizes);
      std::vector<double> q = start_point<double>(7), p = q, g(7);
      advance(opt, q, 0, 5);
      advance(twin, p, 0, 5);
      ASSERT_EQ(q, p);

      gradient(6, q, g);
      g[5] = bad;  // tensor 1, component 2
      const std::vector<double> before = q;
      if (!skip) {
        try {
          opt.step(std::span(q), std::span(std::as_const(g)));
          ADD_FAILURE() << "non-finite gradient accepted";
        } catch (const NonFiniteError& e) {
          const std::string what = e.what();
          EXPECT_NE(what.find("component 2"), std::string::npos) << what;
          EXPECT_NE(what.find("tensor 1"), std::string::npos) << what;
          EXPECT_NE(what.find("step 6"), std::string::npos) << what;
        }
        EXPECT_EQ(opt.skipped_steps(), 0);
      } else {
        std::vector<std::span<double>> ps = {{q.data(), 3}, {q.data() + 3, 4}};
        std::vector<std::span<const double>> gs = {{g.data(), 3}, {g.data() + 3, 4}};
        const auto report = opt.step(Tensors<double>(ps), ConstTensors<double>(gs));
        EXPECT_TRUE(report.skipped);
        EXPECT_EQ(opt.skipped_steps(), 1);
      }
      EXPECT_EQ(q, before) << "parameters must not move";
      EXPECT_EQ(opt.steps(), 5) << "the step counter (bias correction) must not advance";
      // The next finite steps are those of a twin that never saw the bad gradient.
      EXPECT_TRUE(bitwise_equal(advance(opt, q, 5, 12), advance(twin, p, 5, 12)));
    }
  }
}

TEST(Optimizer, LargeFiniteFloatGradientsAreNotMistakenForNonFinite) {
  // |g|^2 overflows in float, but every component is finite: this is a legal (if wild) step.
  Optimizer<float> opt(preset("sgd"));
  opt.add_group({2});
  std::vector<float> q = {0.0f, 0.0f};
  const std::vector<float> g = {1e30f, -1e30f};
  const auto report = opt.step(std::span<float>(q), std::span<const float>(g));
  EXPECT_FALSE(report.skipped);
  EXPECT_NEAR(report.grad_norm, std::sqrt(2.0) * 1e30, 1e24);
  EXPECT_TRUE(std::isfinite(q[0]) && std::isfinite(q[1]));
}

TEST(Optimizer, StatePerParameter) {
  auto state = [](const Options& o, const Sizes& sizes) {
    Optimizer<double> opt(o);
    opt.add_group(sizes);
    return opt.state_per_parameter();
  };
  EXPECT_EQ(state(preset("adam"), {10, 7}), 2.0);
  EXPECT_EQ(state(preset("adamw"), {10}), 2.0);
  EXPECT_EQ(state(preset("adabelief"), {10}), 2.0);
  EXPECT_EQ(state(preset("sgd"), {10, 7}), 0.0);
  EXPECT_EQ(state(preset("momentum"), {10, 7}), 1.0);
  EXPECT_EQ(state(preset("rmsprop"), {10}), 1.0);
  // full CGD: m plus the lower triangle of kappa, (n + n(n+1)/2) / n.
  EXPECT_EQ(state(preset("cgd-full"), {8}), (8.0 + 36.0) / 8.0);
  Optimizer<float> f(preset("adam"));
  f.add_group({5});
  EXPECT_EQ(f.state_per_parameter(), 2.0);
}

// ---------------------------------------------------------------------------------------------
// The ensmallen-like loop.

// Dynamic-size Eigen types on purpose: GCC 12 with AVX-512 reports false -Warray-bounds on
// fixed-size 2x2 products.
struct Quadratic2D {
  Eigen::MatrixXd A = (Eigen::MatrixXd(2, 2) << 3.0, 1.0, 1.0, 2.0).finished();
  Eigen::VectorXd target = (Eigen::VectorXd(2) << 0.5, -1.5).finished();
  long evaluations = 0;
  double evaluate_with_gradient(const Eigen::VectorXd& x, Eigen::VectorXd& g) {
    ++evaluations;
    const Eigen::VectorXd r = x - target;
    g = A * r;
    return 0.5 * r.dot(A * r);
  }
};

struct Recorder {
  std::vector<double> losses;
  Eigen::VectorXd first;
  long ends = 0;
  void begin(const Eigen::VectorXd& x) { first = x; }
  bool step_end(const ldyn::optim::StepInfo& info, const Eigen::VectorXd&) {
    EXPECT_EQ(info.step, static_cast<long>(losses.size()));
    losses.push_back(info.loss);
    return false;
  }
  void end(const ldyn::optim::StepInfo&, const Eigen::VectorXd&) { ++ends; }
};

struct NoHooks {};

Optimizer<double> adam_2d(double lr = 0.05) {
  Options o = preset("adam");
  o.lr = lr;
  Optimizer<double> opt(o);
  opt.add_group({2});
  return opt;
}

TEST(Optimize, AdamConvergesOnAQuadratic) {
  Quadratic2D f;
  Optimizer<double> opt = adam_2d();
  Eigen::VectorXd x(2);
  x << 3.0, 2.0;
  Recorder rec;
  const double loss = ldyn::optim::optimize(opt, f, x, 3000, rec);
  EXPECT_EQ(rec.losses.size(), 3000u);
  EXPECT_EQ(rec.first, (Eigen::VectorXd(2) << 3.0, 2.0).finished());
  EXPECT_EQ(rec.ends, 1);
  EXPECT_EQ(loss, rec.losses.back());
  EXPECT_LT(rec.losses.back(), 1e-10 * rec.losses.front());
  EXPECT_LT((x - f.target).norm(), 1e-4);
  EXPECT_EQ(opt.steps(), 3000);
}

TEST(Optimize, EarlyStopStopsAtTheTarget) {
  Quadratic2D f;
  Optimizer<double> opt = adam_2d();
  Eigen::VectorXd x(2);
  x << 3.0, 2.0;
  Recorder rec;
  ldyn::optim::EarlyStop stop(1e-3);
  const double loss = ldyn::optim::optimize(opt, f, x, 100000, rec, stop);
  ASSERT_GE(rec.losses.size(), 2u);
  EXPECT_LT(rec.losses.size(), 100000u);
  EXPECT_LE(loss, 1e-3);
  EXPECT_EQ(loss, rec.losses.back());
  // It stopped at the first loss at or below the target, not later.
  for (std::size_t i = 0; i + 1 < rec.losses.size(); ++i) EXPECT_GT(rec.losses[i], 1e-3) << i;
  EXPECT_EQ(stop.reason(), "target reached");
  EXPECT_EQ(opt.steps(), static_cast<long>(rec.losses.size()));

  // patience: a loss that keeps improving is never stopped (regression: the first loss used to
  // be compared with NaN, so `patience` stopped every run after `patience` steps) ...
  {
    Options sgd = preset("sgd");
    sgd.lr = 0.1;  // monotone on this quadratic: |1 - 0.1 lambda| < 1 for lambda in (1.4, 3.6)
    Optimizer<double> plain(sgd);
    plain.add_group({2});
    Eigen::VectorXd y(2);
    y << 3.0, 2.0;
    Quadratic2D h;
    Recorder rec3;
    ldyn::optim::EarlyStop improving(-1.0, 5);
    ldyn::optim::optimize(plain, h, y, 200, rec3, improving);
    EXPECT_EQ(rec3.losses.size(), 200u) << improving.reason();
    EXPECT_EQ(improving.reason(), "");
  }
  // ... and a loss that cannot improve stops after `patience` steps without improvement.
  Quadratic2D flat;
  flat.A.setZero();
  Optimizer<double> opt2 = adam_2d();
  Recorder rec2;
  ldyn::optim::EarlyStop patient(-1.0, 5);
  ldyn::optim::optimize(opt2, flat, x, 1000, rec2, patient);
  EXPECT_EQ(rec2.losses.size(), 6u);
  EXPECT_EQ(patient.reason(), "no improvement for 5 steps");
}

TEST(Optimize, StoreBestKeepsTheBestPoint) {
  Quadratic2D f;
  Optimizer<double> opt = adam_2d(0.8);  // a large rate: the loss oscillates, the last point is not the best
  Eigen::VectorXd x(2);
  x << 3.0, 2.0;
  Recorder rec;
  ldyn::optim::StoreBest best;
  ldyn::optim::optimize(opt, f, x, 200, rec, best);
  const double minimum = *std::min_element(rec.losses.begin(), rec.losses.end());
  EXPECT_EQ(best.best_loss(), minimum);
  Eigen::VectorXd g(2);
  Quadratic2D again;
  EXPECT_EQ(again.evaluate_with_gradient(best.best(), g), minimum) << "best() is the point that had best_loss()";
  EXPECT_GT(rec.losses.back(), minimum) << "the test needs a run whose last point is not its best";
}

TEST(Optimize, CallbacksWithoutHooksAreIgnored) {
  Quadratic2D f1, f2;
  Optimizer<double> a = adam_2d(), b = adam_2d();
  Eigen::VectorXd x(2), y(2);
  x << 3.0, 2.0;
  y = x;
  NoHooks nothing;
  const double la = ldyn::optim::optimize(a, f1, x, 50, nothing, NoHooks{});
  const double lb = ldyn::optim::optimize(b, f2, y, 50);
  EXPECT_EQ(la, lb);
  EXPECT_EQ(x, y);
  EXPECT_EQ(f1.evaluations, 50);
}

}  // namespace

TEST(OptimizerState, SameShapeDifferentPresetIsRefused) {
  // adam and adabelief keep the same arrays (m and the diagonal of kappa), but one is an
  // uncentered second moment and the other a centered covariance: loading one into the other
  // would silently change what the state means.
  const fs::path path = scratch_dir() / "adam_state.bin";
  Optimizer<double> adam(preset("adam"));
  adam.add_group({4});
  adam.save(path);
  Optimizer<double> adabelief(preset("adabelief"));
  adabelief.add_group({4});
  expect_file_error([&] { adabelief.load(path); }, path, "adam state into adabelief");
  Optimizer<double> rmsprop(preset("rmsprop"));  // same source as adam, other force
  rmsprop.add_group({4});
  expect_file_error([&] { rmsprop.load(path); }, path, "adam state into rmsprop");
}

TEST(Optimizer, SetOptionsChangesTheRefreshPeriod) {
  // The refresh period is read at every step, so set_options() takes effect at once.
  Options every = preset("cgd-full");
  every.lr = 1e-2;
  Options rarely = every;
  rarely.refresh_every = 1000;
  Optimizer<double> a(every), b(rarely);
  a.add_group({6});
  b.add_group({6});
  b.set_options(0, every);
  std::vector<double> q = start_point<double>(6), p = q;
  EXPECT_TRUE(bitwise_equal(advance(a, q, 0, 12), advance(b, p, 0, 12)));
}
