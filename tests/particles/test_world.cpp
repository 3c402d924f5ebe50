// The particle world: validation, initial placement, cell list, free flight, collisions, speed
// limit, road edges, and the exactness of Galilean boosts.
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <vector>

#include "core/error.hpp"
#include "particles/world.hpp"

namespace ldyn::particles {
namespace {

WorldParams small_torus(long n = 64) {
  WorldParams p;
  p.particles = n;
  return p;
}

void expect_refused(WorldParams p, const std::string& option) {
  try {
    World w(p);
    FAIL() << "accepted an impossible " << option;
  } catch (const InvalidOption& e) {
    EXPECT_EQ(e.option(), option) << e.what();
  }
}

TEST(ParticleWorld, RefusesImpossibleParameters) {
  WorldParams p = small_torus();
  p.particles = 0;
  expect_refused(p, "--particles");
  p = small_torus();
  p.particles = -5;
  expect_refused(p, "--particles");
  p = small_torus();
  p.radius = 0;
  expect_refused(p, "--radius");
  p = small_torus();
  p.radius = NAN;
  expect_refused(p, "--radius");
  p = small_torus(410);
  p.packing_fraction = 0.78;  // below pi/4, but a square lattice of 410 cannot hold them
  expect_refused(p, "--packing-fraction");
  p = small_torus();
  p.packing_fraction = 1.2;
  expect_refused(p, "--packing-fraction");
  p = small_torus();
  p.cruise_speed = -1;
  expect_refused(p, "--cruise-speed");
  p = small_torus();
  p.max_acceleration = -1;
  expect_refused(p, "--max-acceleration");
  p = small_torus(4);  // a 4-disc box is smaller than three cells of the sensing radius
  expect_refused(p, "--particles");
  p = small_torus();
  p.scenario = Scenario::lane;
  p.lane_width = 1.5;
  expect_refused(p, "--lane-width");
  p = small_torus();
  p.scenario = Scenario::lane;
  p.boost_y = 0.5;
  expect_refused(p, "--boost");
  p = small_torus();
  p.dt = 5;
  expect_refused(p, "--dt");
}

double min_gap(const World& w) {
  double gap = INFINITY;
  for (std::size_t i = 0; i < w.size(); ++i)
    for (std::size_t j = i + 1; j < w.size(); ++j) gap = std::min(gap, std::hypot(w.dx(i, j), w.dy(i, j)));
  return gap - 2 * w.params().radius;
}

TEST(ParticleWorld, ResetPlacesDiscsWithoutOverlapAndIsDeterministic) {
  for (Scenario sc : {Scenario::torus, Scenario::lane}) {
    WorldParams p = small_torus(300);
    p.scenario = sc;
    p.packing_fraction = 0.3;
    World a(p), b(p), c(p);
    a.reset(7), b.reset(7), c.reset(8);
    EXPECT_GT(min_gap(a), 0) << to_string(sc);
    EXPECT_EQ(a.road_frame_digest(), b.road_frame_digest());
    EXPECT_NE(a.road_frame_digest(), c.road_frame_digest());
    if (sc == Scenario::lane)
      for (std::size_t i = 0; i < a.size(); ++i) {
        EXPECT_GE(a.y(i), p.radius - 1e-6);
        EXPECT_LE(a.y(i), p.lane_width - p.radius + 1e-6);
      }
  }
}

TEST(ParticleCellList, FindsEveryPairWithinTheCellSize) {
  WorldParams p = small_torus(500);
  p.packing_fraction = 0.2;
  World w(p);
  w.reset(3);
  const double reach = neighbour_reach(p);
  for (std::size_t i = 0; i < w.size(); ++i) {
    std::vector<int> seen(w.size(), 0);
    w.cells().for_each_near(w.px()[i], w.py()[i], [&](std::uint32_t j) { ++seen[j]; });
    for (std::size_t j = 0; j < w.size(); ++j) {
      EXPECT_LE(seen[j], 1) << "visited twice";
      if (std::hypot(w.dx(i, j), w.dy(i, j)) <= reach) {
        EXPECT_EQ(seen[j], 1) << i << " misses " << j;
      }
    }
  }
}

TEST(ParticleWorld, FreeFlightWrapsAroundTheTorus) {
  WorldParams p = small_torus();
  World w(p);
  const double L = w.box().x;
  std::vector<ParticleState> s(w.size());
  for (std::size_t i = 0; i < s.size(); ++i) s[i] = {std::fmod(3.0 * static_cast<double>(i), L), 8.0 * static_cast<double>(i / 20), 1.0, 0.0, 0.0, 1.0};
  w.set_state(s);
  std::vector<float> zero(w.size(), 0.0f);
  const double x0 = w.x(0);
  const long steps = static_cast<long>(std::ceil(L / (1.0 * p.dt))) + 7;
  for (long t = 0; t < steps; ++t) {
    const auto events = w.step(zero, zero);
    EXPECT_EQ(events.collisions, 0);
  }
  const double travelled = static_cast<double>(steps) * p.dt * 1.0;
  EXPECT_NEAR(std::fmod(x0 + travelled, L), w.x(0), 1e-4);
  EXPECT_NEAR(w.reward()[0], 1.0, 1e-6);  // at the desired velocity: full progress
}

TEST(ParticleWorld, HeadOnCollisionIsCountedOnceSeparatedAndConservesMomentum) {
  WorldParams p = small_torus();
  World w(p);
  std::vector<ParticleState> s(w.size());
  for (std::size_t i = 0; i < s.size(); ++i) s[i] = {8.0 * static_cast<double>(i % 8), 8.0 + 7.0 * static_cast<double>(i / 8), 0, 0, 0, 1};
  s[0] = {20.0, 2.0, 1.0, 0.0, 0.0, 1.0};
  s[1] = {22.05, 2.0, -1.0, 0.0, std::numbers::pi, 1.0};
  s[2] = {40.0, 2.0, 0.0, 0.0, 0.0, 1.0};
  w.set_state(s);
  std::vector<float> zero(w.size(), 0.0f);
  long total = 0;
  std::int64_t px = 0;
  for (std::size_t i = 0; i < w.size(); ++i) px += w.vx()[i];
  for (int t = 0; t < 20; ++t) {
    total += w.step(zero, zero).collisions;
    std::int64_t now = 0;
    for (std::size_t i = 0; i < w.size(); ++i) now += w.vx()[i];
    EXPECT_EQ(now, px) << "momentum changed at step " << t;  // equal and opposite integer impulses
  }
  EXPECT_EQ(total, 1);
  EXPECT_GE(std::hypot(w.dx(0, 1), w.dy(0, 1)), 2 * p.radius - 0.2);
  EXPECT_NEAR(w.velocity_x(0), 0, 1e-6);  // inelastic: the approaching component is gone
  EXPECT_NEAR(w.velocity_x(1), 0, 1e-6);
}

TEST(ParticleWorld, SpeedLimitAndAccelerationBound) {
  WorldParams p = small_torus();
  World w(p);
  w.reset(1);
  std::vector<float> push(w.size(), 100.0f), zero(w.size(), 0.0f);
  const double v0 = w.velocity_x(0);
  w.step(push, zero);
  EXPECT_NEAR(w.velocity_x(0) - v0, p.max_acceleration * p.dt, 1e-6) << "|a| clipped to a_max";
  for (int t = 0; t < 50; ++t) w.step(push, zero);
  for (std::size_t i = 0; i < w.size(); ++i)
    EXPECT_LE(std::hypot(w.road_vx(i), w.road_vy(i)), p.max_speed * p.cruise_speed + 1e-6);
}

TEST(ParticleWorld, NonFiniteAccelerationIsAnError) {
  World w(small_torus());
  w.reset(1);
  std::vector<float> ax(w.size(), 0.0f), ay(w.size(), 0.0f);
  ay[5] = NAN;
  EXPECT_THROW(w.step(ax, ay), NonFiniteError);
}

TEST(ParticleWorld, LaneEdgesHoldParticlesAndCountHits) {
  WorldParams p = small_torus();
  p.scenario = Scenario::lane;
  World w(p);
  w.reset(2);
  std::vector<float> zero(w.size(), 0.0f), down(w.size(), -1.0f);
  long hits = 0;
  for (int t = 0; t < 200; ++t) hits += w.step(zero, down).edge_hits;
  EXPECT_GT(hits, 0);
  for (std::size_t i = 0; i < w.size(); ++i) {
    EXPECT_GE(w.y(i), p.radius - 1e-6);
    EXPECT_LE(w.y(i), p.lane_width - p.radius + 1e-6);
  }
}

TEST(ParticleWorld, BoostChangesNoRelativeQuantity) {
  WorldParams p = small_torus(100);
  p.packing_fraction = 0.2;
  WorldParams q = p;
  q.boost_x = 3.7;
  q.boost_y = -1.3;
  World a(p), b(q);
  a.reset(5), b.reset(5);
  std::vector<float> ax(a.size()), ay(a.size());
  for (int t = 0; t < 300; ++t) {
    for (std::size_t i = 0; i < a.size(); ++i) {  // a frame-independent driver: steer by heading
      ax[i] = 0.3f * a.heading_y(i);
      ay[i] = -0.3f * a.heading_x(i);
    }
    const auto ea = a.step(ax, ay), eb = b.step(ax, ay);
    ASSERT_EQ(ea.collisions, eb.collisions) << "step " << t;
    ASSERT_EQ(a.road_frame_digest(), b.road_frame_digest()) << "step " << t;
  }
  EXPECT_NE(a.x(0), b.x(0));  // the worlds really are in different frames
}

}  // namespace
}  // namespace ldyn::particles
