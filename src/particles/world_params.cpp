#include "particles/world_params.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "core/error.hpp"

namespace ldyn::particles {
namespace {

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

void require(bool ok, const char* option, const std::string& why) {
  if (!ok) throw InvalidOption(option, why);
}

void require_positive(double v, const char* option) {
  require(std::isfinite(v) && v > 0, option, "must be a finite number > 0 (got " + num(v) + ")");
}

double road_area(const WorldParams& p) {
  return static_cast<double>(p.particles) * std::numbers::pi * p.radius * p.radius / p.packing_fraction;
}

// Largest box the 32-bit fixed-point positions resolve to 1e-4 R (world.hpp).
constexpr double kMaxBoxInRadii = 4.0e5;

}  // namespace

BoxSize box_size(const WorldParams& p) {
  if (p.scenario == Scenario::torus) {
    const double side = std::sqrt(road_area(p));
    return {side, side};
  }
  return {road_area(p) / p.lane_width, 4 * p.lane_width};
}

Lattice initial_lattice(const WorldParams& p) {
  const auto box = box_size(p);
  Lattice lat;
  if (p.scenario == Scenario::torus) {
    lat.columns = lat.rows = static_cast<long>(std::ceil(std::sqrt(static_cast<double>(p.particles)) - 1e-9));
    lat.spacing_x = lat.spacing_y = box.x / static_cast<double>(lat.columns);
    lat.origin_y = 0.5 * lat.spacing_y;
  } else {
    // Rows between the edges (centres at least R from them, rows at least 2R apart), as many as
    // make the lattice closest to square.
    const long max_rows = std::max(1L, static_cast<long>(std::floor((p.lane_width - 2 * p.radius) / (2 * p.radius * (1 + 1e-3)))) + 1);
    const double square = std::sqrt(box.x * p.lane_width / static_cast<double>(p.particles));
    lat.rows = std::clamp(std::lround(p.lane_width / square), 1L, max_rows);
    lat.columns = (p.particles + lat.rows - 1) / lat.rows;
    lat.spacing_x = box.x / static_cast<double>(lat.columns);
    lat.spacing_y = lat.rows > 1 ? (p.lane_width - 2 * p.radius) / static_cast<double>(lat.rows - 1) : 0;
    lat.origin_y = lat.rows > 1 ? p.radius : 0.5 * p.lane_width;
  }
  const double need = 2 * p.radius * (1 + 1e-6);
  if (lat.spacing_x < need || (lat.rows > 1 && lat.spacing_y < need))
    throw InvalidOption("--packing-fraction",
                        num(static_cast<double>(p.particles)) + " discs of radius " + num(p.radius) +
                            " do not fit at packing fraction " + num(p.packing_fraction) +
                            " (initial lattice spacing " + num(std::min(lat.spacing_x, lat.rows > 1 ? lat.spacing_y : lat.spacing_x)) +
                            " < 2R); lower it");
  return lat;
}

void validate(const WorldParams& p) {
  require(p.particles > 0, "--particles", "must be >= 1 (got " + std::to_string(p.particles) + ")");
  require(p.particles <= 100'000'000, "--particles", "at most 1e8 (got " + std::to_string(p.particles) + ")");
  require_positive(p.radius, "--radius");
  require(std::isfinite(p.packing_fraction) && p.packing_fraction > 0 && p.packing_fraction < std::numbers::pi / 4,
          "--packing-fraction", "must be in (0, pi/4) (got " + num(p.packing_fraction) + ")");
  require_positive(p.cruise_speed, "--cruise-speed");
  require(std::isfinite(p.speed_spread) && p.speed_spread >= 0 && p.speed_spread < 1, "--speed-spread",
          "must be in [0, 1) (got " + num(p.speed_spread) + ")");
  require(std::isfinite(p.max_speed) && p.max_speed >= 1 + p.speed_spread, "--max-speed",
          "must be >= 1 + speed spread, in units of the cruise speed (got " + num(p.max_speed) + ")");
  require(std::isfinite(p.initial_speed) && p.initial_speed >= 0 && p.initial_speed * (1 + p.speed_spread) <= p.max_speed,
          "--initial-speed", "must be in [0, max speed / (1 + spread)], in units of the desired speed (got " + num(p.initial_speed) + ")");
  require_positive(p.max_acceleration, "--max-acceleration");
  require_positive(p.dt, "--dt");
  require(p.max_speed * p.cruise_speed * p.dt <= p.radius, "--dt",
          "a particle at the speed limit must move at most R per step (got " + num(p.max_speed * p.cruise_speed * p.dt) + ")");
  require(std::isfinite(p.collision_penalty) && p.collision_penalty >= 0, "--collision-penalty",
          "must be a finite number >= 0 (got " + num(p.collision_penalty) + ")");
  require(std::isfinite(p.sensing_radius) && p.sensing_radius >= 2 * p.radius, "--sensing-radius",
          "must be >= 2R (got " + num(p.sensing_radius) + ")");
  require(std::isfinite(p.boost_x) && std::isfinite(p.boost_y), "--boost", "must be finite");
  if (p.scenario == Scenario::lane) {
    require(std::isfinite(p.lane_width) && p.lane_width >= 2 * p.radius, "--lane-width",
            "must be >= 2R (got " + num(p.lane_width) + ")");
    require(p.boost_y == 0, "--boost", "the lane is a symmetry only of boosts along the road: VY must be 0");
  }
  const auto box = box_size(p);
  // Three cells of at least the neighbour list's reach per periodic axis: neighbours are only
  // searched in adjacent cells, and no cell may be its own neighbour twice.
  const double cell = neighbour_reach(p);
  require(box.x >= 3 * cell && box.y >= 3 * cell, "--particles",
          "the box (" + num(box.x) + " x " + num(box.y) + ") must be at least 3 (sensing radius + " + num(kSkinInRadii) + "R) = " +
              num(3 * cell) + " across; add particles or lower the packing fraction or the sensing radius");
  require(box.x <= kMaxBoxInRadii * p.radius && box.y <= kMaxBoxInRadii * p.radius, "--particles",
          "the box (" + num(box.x) + " x " + num(box.y) + ") is too large for the fixed-point positions (at most " +
              num(kMaxBoxInRadii) + " R)");
  const double boost_speed = std::hypot(p.boost_x, p.boost_y);
  require(boost_speed <= 1e3 * p.cruise_speed, "--boost", "at most 1000 cruise speeds (got " + num(boost_speed) + ")");
  // Velocities are 32-bit displacements per step (world.hpp): keep them below 2^30 units.
  const double units_per_step = (boost_speed + p.max_speed * p.cruise_speed) * p.dt / (std::min(box.x, box.y) / 4294967296.0);
  require(units_per_step < 1073741824.0, "--boost",
          "the fastest particle would move more than 1/4 of the box per step: lower the boost or --dt");
  initial_lattice(p);
}

Scenario parse_scenario(std::string_view name) {
  if (name == "torus") return Scenario::torus;
  if (name == "lane") return Scenario::lane;
  throw InvalidOption("--scenario", "unknown scenario '" + std::string(name) + "' (torus, lane)");
}

Headings parse_headings(std::string_view name) {
  if (name == "uniform") return Headings::uniform;
  if (name == "four") return Headings::four;
  throw InvalidOption("--headings", "unknown headings '" + std::string(name) + "' (uniform, four)");
}

std::string to_string(Scenario s) { return s == Scenario::torus ? "torus" : "lane"; }
std::string to_string(Headings h) { return h == Headings::uniform ? "uniform" : "four"; }

}  // namespace ldyn::particles
