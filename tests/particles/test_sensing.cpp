// Invariants of a neighbour relative to an agent: closed forms, and the policy inputs unchanged
// under a boost (exactly), a rotation and a translation (to rounding of the fixed-point grid).
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "core/error.hpp"
#include "particles/features.hpp"

namespace ldyn::particles {
namespace {

Sensing sensors(double horizon = 10) {
  Sensing s;
  s.horizon = horizon;
  s.margin = 2;
  return s;
}

TEST(ParticleInvariants, ClosedForms) {
  const Sensing s = sensors();
  // Head-on at distance 5, closing at speed 1: contact course.
  auto p = pair_invariants(5, 0, -1, 0, 2, s);
  EXPECT_DOUBLE_EQ(p.distance, 5);
  EXPECT_DOUBLE_EQ(p.closing_speed, 1);
  EXPECT_DOUBLE_EQ(p.time_to_closest, 5);
  EXPECT_DOUBLE_EQ(p.miss_gap, -2);
  EXPECT_DOUBLE_EQ(p.threat, 0.5);
  // Offset by 3: passes at centre distance 3, a gap of 1 (half the margin).
  p = pair_invariants(5, 3, -1, 0, 2, s);
  EXPECT_DOUBLE_EQ(p.time_to_closest, 5);
  EXPECT_NEAR(p.miss_gap, 1, 1e-12);
  EXPECT_NEAR(p.threat, 0.25, 1e-12);
  EXPECT_NEAR(p.closing_speed, 5 / std::sqrt(34.0), 1e-12);
  // Receding: closest now, far: no threat.
  p = pair_invariants(5, 3, 1, 0, 2, s);
  EXPECT_DOUBLE_EQ(p.time_to_closest, 0);
  EXPECT_NEAR(p.miss_gap, std::sqrt(34.0) - 2, 1e-12);
  EXPECT_DOUBLE_EQ(p.threat, 0);
  // Drifting slowly into contact: the closest approach is beyond the horizon, the gap now (0.5,
  // a quarter of the margin) makes the threat.
  p = pair_invariants(2.5, 0, -0.01, 0, 2, s);
  EXPECT_DOUBLE_EQ(p.time_to_closest, 10);
  EXPECT_NEAR(p.threat, 0.75, 1e-12);
  // Beyond the horizon the time is clamped and the threat vanishes.
  p = pair_invariants(50, 0, -1, 0, 2, s);
  EXPECT_DOUBLE_EQ(p.time_to_closest, 10);
  EXPECT_DOUBLE_EQ(p.threat, 0);
}

TEST(ParticleInvariants, RefuseImpossibleSensors) {
  Sensing s;
  s.horizon = 0;
  EXPECT_THROW(validate(s), InvalidOption);
  s = Sensing{};
  s.neighbours = 0;
  EXPECT_THROW(validate(s), InvalidOption);
}

// A cluster of particles in the middle of the box, transformed by a rotation (angle), a
// translation (tx, ty) and a boost (bx, by) of the whole scene, headings included.
std::vector<ParticleState> cluster(double angle, double tx, double ty, double bx, double by, double cx, double cy) {
  const double base[][5] = {{0, 0, 1, 0, 0},       {3, 0.5, -0.8, 0.1, 3.1}, {1, 2.6, 0.2, -0.9, -1.5},
                            {-2.5, 1, 0.6, 0.6, 0.7}, {0.5, -3, 0, 1, 1.6},     {-1.5, -2, -0.3, -0.2, 2.4},
                            {4, 3, -1, -1, 3.9}};
  std::vector<ParticleState> out;
  const double c = std::cos(angle), s = std::sin(angle);
  for (const auto& b : base) {
    ParticleState p;
    p.x = cx + c * b[0] - s * b[1] + tx;
    p.y = cy + s * b[0] + c * b[1] + ty;
    p.vx = c * b[2] - s * b[3] + bx;
    p.vy = s * b[2] + c * b[3] + by;
    p.heading = b[4] + angle;
    p.desired_speed = 1;
    out.push_back(p);
  }
  return out;
}

TEST(ParticleInvariants, PolicyInputsUnchangedByBoostRotationTranslation) {
  WorldParams p;
  p.particles = 7;
  p.packing_fraction = 0.001;  // a big box: the cluster never meets its periodic images
  World reference(p);
  const double cx = reference.box().x / 2, cy = reference.box().y / 2;
  reference.set_state(cluster(0, 0, 0, 0, 0, cx, cy));
  for (Aggregate aggregate : {Aggregate::max, Aggregate::sum}) {
  Sensing s = sensors(5);
  s.aggregate = aggregate;
  FeatureMatrix X0, X1;
  invariant_features(reference, s, X0);
  ASSERT_GT(X0.bottomRows(4).cwiseAbs().maxCoeff(), 0.1) << "the cluster must have threats to compare";
  struct Case {
    const char* what;
    double angle, tx, ty, bx, by;
  } cases[] = {{"boost", 0, 0, 0, 2.5, -1.75},
               {"rotation", 0.7, 0, 0, 0, 0},
               {"translation", 0, 13.3, -7.1, 0, 0},
               {"all three", -2.2, 4.4, 9.9, -0.6, 3.3}};
  for (const auto& c : cases) {
    WorldParams q = p;
    q.boost_x = c.bx, q.boost_y = c.by;  // the road moves with the boost
    World moved(q);
    moved.set_state(cluster(c.angle, c.tx, c.ty, c.bx, c.by, cx, cy));
    invariant_features(moved, s, X1);
    EXPECT_LT((X1 - X0).cwiseAbs().maxCoeff(), 2e-5) << c.what << ", aggregate " << to_string(aggregate);
    for (std::size_t i = 0; i < moved.size(); ++i) {
      const Threat a = most_threatening(reference, s, i), b = most_threatening(moved, s, i);
      EXPECT_EQ(a.neighbour, b.neighbour) << c.what;
      EXPECT_NEAR(a.invariants.distance, b.invariants.distance, 1e-5) << c.what;
      EXPECT_NEAR(a.invariants.time_to_closest, b.invariants.time_to_closest, 1e-4) << c.what;
      EXPECT_NEAR(a.invariants.miss_gap, b.invariants.miss_gap, 1e-4) << c.what;
    }
  }
  }
}

TEST(ParticleInvariants, BoostLeavesInvariantInputsBitForBitAndChangesRawOnes) {
  WorldParams p;
  p.particles = 256;
  p.packing_fraction = 0.15;
  WorldParams q = p;
  q.boost_x = 0.8, q.boost_y = -2.4;
  World a(p), b(q);
  a.reset(11), b.reset(11);
  Sensing s;
  FeatureMatrix Xa, Xb;
  for (Aggregate aggregate : {Aggregate::max, Aggregate::sum}) {
    s.aggregate = aggregate;
    invariant_features(a, s, Xa);
    invariant_features(b, s, Xb);
    EXPECT_TRUE((Xa.array() == Xb.array()).all()) << to_string(aggregate);
  }
  raw_features(a, s, Xa);
  raw_features(b, s, Xb);
  EXPECT_GT((Xa - Xb).cwiseAbs().maxCoeff(), 0.5);  // world-frame velocities see the boost
}

TEST(ParticleInvariants, RawInputsListTheNearestNeighboursInOrder) {
  WorldParams p;
  p.particles = 7;
  p.packing_fraction = 0.001;
  World w(p);
  const double cx = w.box().x / 2, cy = w.box().y / 2;
  w.set_state(cluster(0, 0, 0, 0, 0, cx, cy));
  Sensing s;
  s.neighbours = 3;
  FeatureMatrix X;
  raw_features(w, s, X);
  ASSERT_EQ(X.rows(), raw_feature_count(3));
  // Agent 0 at the centre: its neighbours sorted by distance, absolute positions (scaled).
  std::vector<std::pair<double, std::size_t>> d;
  for (std::size_t j = 1; j < w.size(); ++j) d.push_back({std::hypot(w.dx(0, j), w.dy(0, j)), j});
  std::sort(d.begin(), d.end());
  for (long k = 0; k < 3; ++k) {
    const std::size_t j = d[static_cast<std::size_t>(k)].second;
    EXPECT_EQ(X(7 + 5 * k, 0), 1.0f);
    EXPECT_NEAR(X(8 + 5 * k, 0), 2 * w.x(j) / w.box().x - 1, 1e-5);
    EXPECT_NEAR(X(10 + 5 * k, 0), w.velocity_x(j), 1e-5);
  }
}

}  // namespace
}  // namespace ldyn::particles
