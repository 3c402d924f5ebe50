#pragma once
// The particle world (docs/particles.md): N discs on a periodic box, driven by accelerations.
//
// Positions are 32-bit fixed point: the box is 2^32 units along each axis, so the periodic wrap is
// unsigned overflow and the minimum-image difference of two positions is their difference cast to
// int32, both exact. Velocities are integer displacements per step. Everything the dynamics
// computes (collisions, speed limits, sensors) is a function of integer differences of positions
// and velocities, so boosting the whole world by a constant velocity (adding the same integer to
// every velocity) leaves every relative quantity bit for bit the same: Galilean invariance is an
// exact symmetry of the simulation, not one up to rounding.
//
// The lane is the same periodic box, 4 * lane_width high, with edges at y = 0 and y = lane_width:
// no two particles are ever more than a quarter of the box apart across the road, so the int32
// difference stays the true one.
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "particles/cell_list.hpp"
#include "particles/world_params.hpp"

namespace ldyn::particles {

/// One particle in physical units, world frame (for set_state).
struct ParticleState {
  double x = 0, y = 0;            ///< position (wrapped into the box)
  double vx = 0, vy = 0;          ///< world-frame velocity
  double heading = 0;             ///< angle of the desired direction d_i (radians)
  double desired_speed = 1;       ///< c_i
};

/// Per-step counts, summed over particles.
struct StepEvents {
  long collisions = 0;  ///< new disc contacts: pairs overlapping now that were not in the previous step
  long edge_hits = 0;   ///< lane: particles that arrive at a road edge moving into it
};

class World {
 public:
  /// Validates `params` (InvalidOption on impossible values).
  explicit World(const WorldParams& params);

  /// New initial state from `seed`: headings, desired speeds, a jittered lattice, cruise velocities.
  void reset(std::uint64_t seed);

  /// Replaces the state by `state` (one entry per particle; std::invalid_argument otherwise), with
  /// the step counter at 0. Positions and velocities are rounded to the fixed-point grid.
  void set_state(std::span<const ParticleState> state);

  /// One step under world-frame accelerations (length/time^2; clipped to |a| <= a_max): velocities,
  /// the road-frame speed limit, positions, road edges, collisions (counted, then separated).
  /// Fills reward() for this step. No allocation. NonFiniteError for a non-finite acceleration.
  StepEvents step(std::span<const float> ax, std::span<const float> ay);

  const WorldParams& params() const { return p_; }
  std::size_t size() const { return px_.size(); }
  long steps() const { return steps_; }
  const CellList& cells() const { return cells_; }
  /// Every particle within neighbour_reach() (sensing radius + skin) of particle i when the list was
  /// built, in increasing index order (a Verlet list). It is rebuilt whenever a particle has moved
  /// more than half the skin in the road frame since, so it always holds every neighbour within the sensing radius (and every
  /// overlapping pair). Its content and order never depend on the frame.
  std::span<const std::uint32_t> neighbours(std::size_t i) const {
    return {neighbours_.data() + neighbour_start_[i], neighbours_.data() + neighbour_start_[i + 1]};
  }
  /// The same lists back to back (CSR): particle i's are entries [start[i], start[i + 1]).
  std::span<const std::uint32_t> neighbour_start() const { return neighbour_start_; }
  std::span<const std::uint32_t> neighbour_entries() const { return {neighbours_.data(), neighbour_start_.back()}; }
  long neighbour_rebuilds() const { return rebuilds_; }
  BoxSize box() const { return box_; }

  // Fixed-point state and its units.
  std::span<const std::uint32_t> px() const { return px_; }
  std::span<const std::uint32_t> py() const { return py_; }
  std::span<const std::int32_t> vx() const { return vx_; }
  std::span<const std::int32_t> vy() const { return vy_; }
  double unit_x() const { return unit_x_; }  ///< length of one position unit along x
  double unit_y() const { return unit_y_; }
  double velocity_unit_x() const { return unit_x_ / p_.dt; }  ///< speed of one velocity unit
  double velocity_unit_y() const { return unit_y_ / p_.dt; }
  std::int32_t boost_units_x() const { return boost_x_; }
  std::int32_t boost_units_y() const { return boost_y_; }

  // Physical views (for sensors, outputs and tests).
  double x(std::size_t i) const { return px_[i] * unit_x_; }
  double y(std::size_t i) const { return py_[i] * unit_y_; }
  /// Minimum-image separation r_j - r_i.
  double dx(std::size_t i, std::size_t j) const { return static_cast<std::int32_t>(px_[j] - px_[i]) * unit_x_; }
  double dy(std::size_t i, std::size_t j) const { return static_cast<std::int32_t>(py_[j] - py_[i]) * unit_y_; }
  /// World-frame velocity.
  double velocity_x(std::size_t i) const { return vx_[i] * velocity_unit_x(); }
  double velocity_y(std::size_t i) const { return vy_[i] * velocity_unit_y(); }
  /// Road-frame velocity u = v - boost.
  double road_vx(std::size_t i) const { return static_cast<std::int32_t>(vx_[i] - boost_x_) * velocity_unit_x(); }
  double road_vy(std::size_t i) const { return static_cast<std::int32_t>(vy_[i] - boost_y_) * velocity_unit_y(); }
  /// Desired direction d_i (a unit vector; fixed per episode) and desired speed c_i.
  float heading_x(std::size_t i) const { return hx_[i]; }
  float heading_y(std::size_t i) const { return hy_[i]; }
  float desired_speed(std::size_t i) const { return speed_[i]; }

  /// This step's reward per particle: min(u.d / c_i, 1) - penalty * (collisions + edge hits).
  std::span<const float> reward() const { return reward_; }
  /// Contacts of particle i in this step (new collisions and edge hits).
  std::span<const std::uint16_t> hits() const { return hits_; }
  /// Progress u.d / c_i of particle i after this step.
  std::span<const float> progress() const { return progress_; }

  /// A 64-bit digest of the road-frame state (positions minus boost * t, velocities minus boost):
  /// equal in two frames exactly when the two worlds are the same up to the boost.
  std::uint64_t road_frame_digest() const;

 private:
  void resolve_contacts(StepEvents& events);
  void apply_edges(StepEvents& events);
  void limit_speed(std::size_t i, double speed2);
  void start_episode();
  std::pair<std::uint32_t, std::uint32_t> road_shift() const;
  void build_neighbours();
  bool neighbours_stale() const;

  WorldParams p_;
  BoxSize box_;
  double unit_x_ = 0, unit_y_ = 0;
  std::int32_t boost_x_ = 0, boost_y_ = 0;
  long steps_ = 0;
  std::vector<std::uint32_t> px_, py_;
  std::vector<std::int32_t> vx_, vy_;
  std::vector<float> hx_, hy_, speed_;
  std::vector<float> reward_, progress_;
  std::vector<std::uint16_t> hits_;
  std::vector<std::int64_t> dpx_, dpy_, dvx_, dvy_;  // contact corrections (scratch)
  // Pairs (i << 32 | j, i < j) overlapping in the previous and in this step, sorted: a collision
  // is a new contact, so two particles pushing against each other count once, not every step.
  std::vector<std::uint64_t> contacts_, new_contacts_;
  std::vector<std::uint8_t> on_edge_;  // lane: touching a road edge after the previous step
  CellList cells_;
  std::vector<std::uint32_t> neighbour_start_, neighbours_;
  std::vector<std::uint32_t> built_px_, built_py_;  // road-frame positions when the list was built
  long rebuilds_ = 0;
};

}  // namespace ldyn::particles
