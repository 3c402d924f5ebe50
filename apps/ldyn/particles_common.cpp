#include "particles_common.hpp"

#include "core/error.hpp"
#include "particles/policy.hpp"
#include "particles/training.hpp"

namespace ldyn::cli {

void add_world_options(CLI::App* sub, WorldArgs& a) {
  auto& w = a.world;
  sub->add_option("--scenario", a.scenario, "torus (crossing traffic) or lane (a periodic road with edges)")->capture_default_str();
  sub->add_option("--headings", a.headings, "torus: desired headings uniform or four (axis directions)")->capture_default_str();
  sub->add_option("--particles", w.particles, "number of particles N")->capture_default_str();
  sub->add_option("--radius", w.radius, "disc radius R")->capture_default_str();
  sub->add_option("--packing-fraction", w.packing_fraction, "N pi R^2 / road area (sets the box)")->capture_default_str();
  sub->add_option("--lane-width", w.lane_width, "lane: distance between the road edges")->capture_default_str();
  sub->add_option("--cruise-speed", w.cruise_speed, "desired speed c")->capture_default_str();
  sub->add_option("--speed-spread", w.speed_spread, "desired speeds c (1 + spread u), u in [-1, 1]")->capture_default_str();
  sub->add_option("--initial-speed", w.initial_speed, "initial speed, in units of the desired speed")->capture_default_str();
  sub->add_option("--max-speed", w.max_speed, "road-frame speed limit, in units of c")->capture_default_str();
  sub->add_option("--max-acceleration", w.max_acceleration, "bound on |a|")->capture_default_str();
  sub->add_option("--dt", w.dt, "time step")->capture_default_str();
  sub->add_option("--collision-penalty", w.collision_penalty, "reward lost per collision (and per edge hit)")->capture_default_str();
  sub->add_option("--boost", a.boost, "watch the world from a frame moving at -V: every velocity (and the road) gets +V")
      ->delimiter(',')
      ->expected(2);
}

particles::WorldParams world_params(const WorldArgs& a) {
  particles::WorldParams p = a.world;
  p.scenario = particles::parse_scenario(a.scenario);
  p.headings = particles::parse_headings(a.headings);
  if (!a.boost.empty()) {
    if (a.boost.size() != 2) throw InvalidOption("--boost", "expected VX,VY");
    p.boost_x = a.boost[0];
    p.boost_y = a.boost[1];
  }
  particles::validate(p);
  return p;
}

DriverChoice choose_driver(const std::string& policy, particles::WorldParams& world) {
  DriverChoice c;
  c.name = policy;
  if (policy.empty()) throw InvalidOption("--policy", "required: a policy file, cruise or random");
  if (particles::is_scripted(policy)) {
    c.driver = particles::make_scripted_driver(policy);
    return c;
  }
  c.policy = std::make_shared<particles::Policy>(particles::load_policy(policy));
  world = particles::world_for(world, c.policy->sensing);  // validated by the World built from it
  c.driver = std::make_unique<particles::PolicyDriver>(*c.policy);
  return c;
}

}  // namespace ldyn::cli
