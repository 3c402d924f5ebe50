#pragma once
// The parameters of a particle world (docs/particles.md, "The world"): its scenario and size, the
// particles' shape and limits, the reward, and the frame in which it is watched (the boost).
// validate() turns every impossible value into an InvalidOption naming the option.
#include <string>
#include <string_view>

namespace ldyn::particles {

/// torus: a periodic square, every particle with its own desired heading (crossing traffic).
/// lane: a straight road, periodic along x, with edges at y = 0 and y = lane_width; everyone
/// drives along +x, at its own desired speed (overtaking traffic).
enum class Scenario { torus, lane };

/// How desired headings are drawn on the torus: uniform angles, or one of four directions.
enum class Headings { uniform, four };

struct WorldParams {
  Scenario scenario = Scenario::torus;
  Headings headings = Headings::uniform;
  long particles = 64;              ///< N
  double radius = 1;                ///< R: the unit of length
  double packing_fraction = 0.05;   ///< N pi R^2 / area of the road
  double lane_width = 12;           ///< lane: distance between the road edges
  double cruise_speed = 1;          ///< c: the desired speed (the unit of speed)
  double speed_spread = 0;          ///< desired speeds c_i = c (1 + spread u), u uniform in [-1, 1]
  double initial_speed = 0;         ///< initial road-frame velocity = initial_speed * c_i d_i (at rest)
  double max_speed = 1.5;           ///< road-frame speed limit, in units of c
  double max_acceleration = 1;      ///< |a| <= a_max (length / time^2)
  double dt = 0.1;                  ///< time step
  double collision_penalty = 200;   ///< reward lost per collision (and per edge hit on the lane)
  double sensing_radius = 6;        ///< the cell list guarantees every neighbour within it is seen
  double boost_x = 0, boost_y = 0;  ///< velocity of the road in the frame of the simulation
};

/// Throws InvalidOption for impossible values: N <= 0, R <= 0, densities at which the discs
/// cannot be placed, negative speeds, a box too small for the sensing radius, ...
void validate(const WorldParams& p);

/// Skin of the world's neighbour list: the list holds every pair within sensing radius + skin and
/// is rebuilt once some particle has moved skin/2 (in the road frame) since the last build.
constexpr double kSkinInRadii = 2;
inline double neighbour_reach(const WorldParams& p) { return p.sensing_radius + kSkinInRadii * p.radius; }

/// The box the simulation runs in (torus: L x L; lane: its length x 4 * lane_width, see world.hpp).
struct BoxSize {
  double x = 0, y = 0;
};
BoxSize box_size(const WorldParams& p);

Scenario parse_scenario(std::string_view name);    ///< "torus" | "lane"; InvalidOption("--scenario")
Headings parse_headings(std::string_view name);    ///< "uniform" | "four"; InvalidOption("--headings")
std::string to_string(Scenario s);
std::string to_string(Headings h);

}  // namespace ldyn::particles

namespace ldyn::particles {

/// The jittered lattice on which reset() places the particles: columns x rows sites covering the
/// road, at least N of them, spaced by at least 2R (so no two discs start overlapping).
struct Lattice {
  long columns = 0, rows = 0;
  double spacing_x = 0, spacing_y = 0;  ///< distance between neighbouring sites
  double origin_y = 0;                  ///< y of the first row
};
/// Throws InvalidOption("--packing-fraction") when the discs do not fit.
Lattice initial_lattice(const WorldParams& p);

}  // namespace ldyn::particles
