// The policy network (gradient against finite differences), the policy file (round trip, and
// every kind of corrupt file refused with its name and line), and the scripted drivers.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>

#include <unistd.h>

#include "core/error.hpp"
#include "particles/driver.hpp"
#include "particles/episode.hpp"
#include "particles/policy.hpp"

namespace ldyn::particles {
namespace {

// L = sum(W .* out) for a fixed random W: dL/d(out) = W.
double weighted_output(const Mlp& net, const Matrixf& X, const Matrixf& W) {
  Matrixf H, O;
  net.forward(X, H, O);
  return static_cast<double>((O.array() * W.array()).sum());
}

void check_gradient(long hidden) {
  std::mt19937 gen(hidden + 3);
  std::normal_distribution<float> normal(0, 1);
  Mlp net(5, hidden, 2);
  for (float& v : net.parameters()) v = 0.5f * normal(gen);
  Matrixf X(5, 7), W(2, 7);
  for (long k = 0; k < X.size(); ++k) X.data()[k] = normal(gen);
  for (long k = 0; k < W.size(); ++k) W.data()[k] = normal(gen);
  Matrixf H, O, scratch;
  net.forward(X, H, O);
  std::vector<float> grad(net.parameter_count(), 0.0f);
  net.backward(X, H, O, W, grad, scratch);
  const double h = 1e-2;
  for (std::size_t k = 0; k < grad.size(); ++k) {
    float& theta = net.parameters()[k];
    const float keep = theta;
    theta = keep + static_cast<float>(h);
    const double up = weighted_output(net, X, W);
    theta = keep - static_cast<float>(h);
    const double down = weighted_output(net, X, W);
    theta = keep;
    EXPECT_NEAR(grad[k], (up - down) / (2 * h), 2e-3 * (1 + std::abs(grad[k]))) << "parameter " << k << ", hidden " << hidden;
  }
}

TEST(ParticlePolicy, BackwardMatchesFiniteDifferences) {
  check_gradient(4);
  check_gradient(0);  // linear policy
}

std::filesystem::path scratch_file(const std::string& name) {
  return std::filesystem::temp_directory_path() / ("ldyn-particles-" + std::to_string(::getpid()) + "-" + name);
}

TEST(ParticlePolicy, FileRoundTripIsExact) {
  Sensing s;
  s.neighbours = 4;
  Policy p = make_policy(PolicyKind::raw, s, 6, 9);
  for (std::size_t k = 0; k < p.net.parameter_count(); ++k) p.net.parameters()[k] = 0.001f * static_cast<float>(k) - 0.3f;
  const auto path = scratch_file("roundtrip.txt");
  save_policy(path, p);
  const Policy q = load_policy(path);
  EXPECT_EQ(q.kind, PolicyKind::raw);
  EXPECT_EQ(q.sensing.neighbours, 4);
  EXPECT_EQ(q.net.hidden(), 6);
  ASSERT_EQ(q.net.parameter_count(), p.net.parameter_count());
  for (std::size_t k = 0; k < p.net.parameter_count(); ++k) EXPECT_EQ(q.net.parameters()[k], p.net.parameters()[k]);
  std::filesystem::remove(path);
}

void expect_refused(const std::string& text, const std::string& expected_fragment) {
  const auto path = scratch_file("corrupt.txt");
  {
    std::ofstream(path) << text;
  }
  try {
    load_policy(path);
    ADD_FAILURE() << "accepted: " << text;
  } catch (const FileError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find(path.string()), std::string::npos) << what;
    EXPECT_NE(what.find(expected_fragment), std::string::npos) << what;
  }
  std::filesystem::remove(path);
}

TEST(ParticlePolicy, CorruptFilesAreRefusedWithFileAndLine) {
  const std::string header =
      "ldyn-particle-policy 1\nkind invariant\nhidden 0\nsensing_radius 6\nhorizon 5\nmargin 2\nneighbours 8\naggregate sum\nparameters 14\n";
  std::string body;
  for (int k = 0; k < 14; ++k) body += "0.5\n";
  expect_refused("not a policy\n", ":1:");
  expect_refused("ldyn-particle-policy 2\n", "version");
  expect_refused("ldyn-particle-policy 1\nkind sideways\n", ":2:");
  expect_refused(header, "truncated");
  expect_refused(header + body.substr(0, 20), "truncated");
  std::string nan_body = body;
  nan_body.replace(0, 3, "nan");
  expect_refused(header + nan_body, "finite");
  expect_refused(header + body + "1\n", "unexpected data");
  std::string wrong_count = header;
  wrong_count.replace(wrong_count.find("parameters 14"), 13, "parameters 15");
  expect_refused(wrong_count + body, "has 14");
  std::string bad_sensor = header;
  bad_sensor.replace(bad_sensor.find("horizon 5"), 9, "horizon -1");
  expect_refused(bad_sensor + body, "sensors");
  expect_refused("", "truncated");
  try {
    load_policy(scratch_file("does-not-exist.txt"));
    ADD_FAILURE();
  } catch (const FileError& e) {
    EXPECT_NE(std::string(e.what()).find("cannot open"), std::string::npos);
  }
}

TEST(ParticleDrivers, CruiseHoldsTheDesiredVelocityAndRandomCollidesMore) {
  WorldParams p;
  p.particles = 64;
  p.packing_fraction = 0.1;
  World w(p);
  CruiseDriver cruise;
  RandomDriver random;
  EpisodeOptions o;
  o.steps = 400;
  const EpisodeStats c = run_episode(w, cruise, 3, o), r = run_episode(w, random, 3, o);
  EXPECT_GT(c.mean_speed_fraction, 0.8);
  EXPECT_LT(r.mean_speed_fraction, c.mean_speed_fraction - 0.3);  // random accelerations lose the way
  EXPECT_GT(r.collisions, 0);
  EXPECT_EQ(run_episode(w, random, 3, o).collisions, r.collisions) << "deterministic for a seed";
}

}  // namespace
}  // namespace ldyn::particles
