#include "particles/world.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <stdexcept>

#include "core/error.hpp"
#include "core/random.hpp"

namespace ldyn::particles {
namespace {

constexpr double kUnitsPerBox = 4294967296.0;  // 2^32

std::uint32_t to_fixed(double x, double unit) {
  // Reduce into [0, box) first so the conversion never overflows, then wrap the rounding.
  const double units = std::fmod(std::round(x / unit), kUnitsPerBox);
  return static_cast<std::uint32_t>(static_cast<std::int64_t>(units < 0 ? units + kUnitsPerBox : units));
}

std::int32_t to_units(double v, double unit) { return static_cast<std::int32_t>(std::lround(v / unit)); }

}  // namespace

World::World(const WorldParams& params)
    : p_((validate(params), params)),
      box_(box_size(p_)),
      unit_x_(box_.x / kUnitsPerBox),
      unit_y_(box_.y / kUnitsPerBox),
      cells_(box_.x, box_.y, neighbour_reach(p_)) {
  const std::size_t n = static_cast<std::size_t>(p_.particles);
  for (auto* v : {&px_, &py_}) v->assign(n, 0);
  for (auto* v : {&vx_, &vy_}) v->assign(n, 0);
  for (auto* v : {&hx_, &hy_, &speed_, &reward_, &progress_}) v->assign(n, 0.0f);
  for (auto* v : {&dpx_, &dpy_, &dvx_, &dvy_}) v->assign(n, 0);
  hits_.assign(n, 0);
  on_edge_.assign(n, 0);
  neighbour_start_.assign(n + 1, 0);
  built_px_.assign(n, 0);
  built_py_.assign(n, 0);
  boost_x_ = to_units(p_.boost_x, velocity_unit_x());
  boost_y_ = to_units(p_.boost_y, velocity_unit_y());
}

void World::reset(std::uint64_t seed) {
  Rng rng = make_stream(seed, "particles-world");
  const std::size_t n = size();
  for (std::size_t i = 0; i < n; ++i) {
    double angle = 0;
    if (p_.scenario == Scenario::torus)
      angle = p_.headings == Headings::uniform ? 2 * std::numbers::pi * uniform01(rng)
                                               : std::floor(4 * uniform01(rng)) * 0.5 * std::numbers::pi;
    hx_[i] = static_cast<float>(std::cos(angle));
    hy_[i] = static_cast<float>(std::sin(angle));
    speed_[i] = static_cast<float>(p_.cruise_speed * (1 + p_.speed_spread * (2 * uniform01(rng) - 1)));
  }
  // Sites of the lattice in a random order (Fisher-Yates on portable uniforms); the first N are used.
  const Lattice lat = initial_lattice(p_);
  std::vector<long> sites(static_cast<std::size_t>(lat.columns * lat.rows));
  for (std::size_t k = 0; k < sites.size(); ++k) sites[k] = static_cast<long>(k);
  for (std::size_t k = sites.size(); k > 1; --k)
    std::swap(sites[k - 1], sites[static_cast<std::size_t>(uniform01(rng) * static_cast<double>(k))]);
  const double jitter_x = 0.4999 * (lat.spacing_x - 2 * p_.radius);
  const double jitter_y = lat.rows > 1 || p_.scenario == Scenario::torus ? 0.4999 * (lat.spacing_y - 2 * p_.radius) : 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    const long column = sites[i] % lat.columns, row = sites[i] / lat.columns;
    double x = (static_cast<double>(column) + 0.5) * lat.spacing_x + jitter_x * (2 * uniform01(rng) - 1);
    double y = lat.origin_y + static_cast<double>(row) * lat.spacing_y + jitter_y * (2 * uniform01(rng) - 1);
    if (p_.scenario == Scenario::lane) y = std::clamp(y, p_.radius, p_.lane_width - p_.radius);
    px_[i] = to_fixed(x, unit_x_);
    py_[i] = to_fixed(y, unit_y_);
    const double u = p_.initial_speed * speed_[i];
    vx_[i] = boost_x_ + to_units(u * hx_[i], velocity_unit_x());
    vy_[i] = boost_y_ + to_units(u * hy_[i], velocity_unit_y());
  }
  start_episode();
}

// Step counter, contact memory, per-step outputs and the neighbour list of a new initial state.
void World::start_episode() {
  steps_ = 0;
  contacts_.clear();
  std::fill(on_edge_.begin(), on_edge_.end(), 0);
  std::fill(reward_.begin(), reward_.end(), 0.0f);
  std::fill(progress_.begin(), progress_.end(), 0.0f);
  std::fill(hits_.begin(), hits_.end(), 0);
  build_neighbours();
}

void World::set_state(std::span<const ParticleState> state) {
  if (state.size() != size()) throw std::invalid_argument("World::set_state: expected one state per particle");
  for (std::size_t i = 0; i < size(); ++i) {
    const auto& s = state[i];
    px_[i] = to_fixed(s.x, unit_x_);
    py_[i] = to_fixed(s.y, unit_y_);
    vx_[i] = to_units(s.vx, velocity_unit_x());
    vy_[i] = to_units(s.vy, velocity_unit_y());
    hx_[i] = static_cast<float>(std::cos(s.heading));
    hy_[i] = static_cast<float>(std::sin(s.heading));
    speed_[i] = static_cast<float>(s.desired_speed);
  }
  start_episode();
}

// How far the road has moved since the start, in position units (modulo the box): a road-frame
// position is the position minus this.
std::pair<std::uint32_t, std::uint32_t> World::road_shift() const {
  return {static_cast<std::uint32_t>(static_cast<std::int64_t>(boost_x_) * steps_),
          static_cast<std::uint32_t>(static_cast<std::int64_t>(boost_y_) * steps_)};
}

void World::build_neighbours() {
  cells_.build(px_, py_);
  const std::size_t n = size();
  const double reach = neighbour_reach(p_);
  // Written through a raw pointer into a buffer grown ahead (at most 9 cells' worth of entries per
  // particle are added before the next check), so that the loop keeps px, py in registers.
  const std::uint32_t* pxd = px_.data();
  const std::uint32_t* pyd = py_.data();
  const float ux = static_cast<float>(unit_x_), uy = static_cast<float>(unit_y_);
  const float reach2 = static_cast<float>(reach * reach);
  std::size_t count = 0;
  if (neighbours_.size() < 16 * n) neighbours_.resize(16 * n);
  for (std::size_t i = 0; i < n; ++i) {
    neighbour_start_[i] = static_cast<std::uint32_t>(count);
    if (neighbours_.size() < count + cells_.max_near()) neighbours_.resize(2 * (count + cells_.max_near()));
    std::uint32_t* out = neighbours_.data() + count;
    std::uint32_t* const first = out;
    const std::uint32_t xi = pxd[i], yi = pyd[i];
    cells_.for_each_near(xi, yi, [&](std::uint32_t j) {
      const float rx = static_cast<float>(static_cast<std::int32_t>(pxd[j] - xi)) * ux;
      const float ry = static_cast<float>(static_cast<std::int32_t>(pyd[j] - yi)) * uy;
      *out = j;  // branch-free: about a third of the candidates are kept, unpredictably
      out += (j != i) & (rx * rx + ry * ry <= reach2);
    });
    // Cells are visited in an order that depends on the frame; the sorted list does not.
    std::sort(first, out);
    count = static_cast<std::size_t>(out - neighbours_.data());
  }
  neighbour_start_[n] = static_cast<std::uint32_t>(count);
  const auto [shift_x, shift_y] = road_shift();
  for (std::size_t i = 0; i < n; ++i) {
    built_px_[i] = px_[i] - shift_x;
    built_py_[i] = py_[i] - shift_y;
  }
  ++rebuilds_;
}

// Stale when some particle moved more than half the skin in the road frame since the build: two
// particles then closed in by at most the skin, and the list (reach: sensing radius + skin) still
// holds every pair within the sensing radius. Integer arithmetic on road-frame positions: the same in every frame.
bool World::neighbours_stale() const {
  const auto [shift_x, shift_y] = road_shift();
  const double half_skin = 0.5 * kSkinInRadii * p_.radius;
  const double limit_x = half_skin / unit_x_, limit_y = half_skin / unit_y_;
  const double lx2 = limit_x * limit_x, ly2 = limit_y * limit_y;
  const double ratio = lx2 / ly2;  // compare dx^2 + ratio dy^2 with lx^2 (units differ per axis)
  double worst = 0;
  for (std::size_t i = 0; i < size(); ++i) {
    const double dx = static_cast<std::int32_t>(px_[i] - shift_x - built_px_[i]);
    const double dy = static_cast<std::int32_t>(py_[i] - shift_y - built_py_[i]);
    worst = std::max(worst, dx * dx + ratio * dy * dy);
  }
  return worst > lx2;
}

void World::limit_speed(std::size_t i, double speed2) {
  const double vmax = p_.max_speed * p_.cruise_speed;
  const std::int32_t ux = vx_[i] - boost_x_, uy = vy_[i] - boost_y_;
  const double scale = vmax / std::sqrt(speed2);
  vx_[i] = boost_x_ + static_cast<std::int32_t>(std::lround(ux * scale));
  vy_[i] = boost_y_ + static_cast<std::int32_t>(std::lround(uy * scale));
}

StepEvents World::step(std::span<const float> ax, std::span<const float> ay) {
  const std::size_t n = size();
  const double amax = p_.max_acceleration, dt = p_.dt;
  const double kx = dt / velocity_unit_x(), ky = dt / velocity_unit_y();
  const double vux = velocity_unit_x(), vuy = velocity_unit_y();
  const double vmax2 = p_.max_speed * p_.cruise_speed * p_.max_speed * p_.cruise_speed;
  for (std::size_t i = 0; i < n; ++i) {
    double a_x = ax[i], a_y = ay[i];
    if (!std::isfinite(a_x) || !std::isfinite(a_y))
      throw NonFiniteError("particles: the acceleration of particle " + std::to_string(i) + " at step " +
                           std::to_string(steps_ + 1) + " is not finite (a broken policy?)");
    const double a2 = a_x * a_x + a_y * a_y;
    if (a2 > amax * amax) {
      const double s = amax / std::sqrt(a2);
      a_x *= s;
      a_y *= s;
    }
    // rint (to nearest, one instruction) rather than lround (a libm call): the hot loop.
    vx_[i] += static_cast<std::int32_t>(std::rint(a_x * kx));
    vy_[i] += static_cast<std::int32_t>(std::rint(a_y * ky));
    const double sx = static_cast<std::int32_t>(vx_[i] - boost_x_) * vux, sy = static_cast<std::int32_t>(vy_[i] - boost_y_) * vuy;
    const double speed2 = sx * sx + sy * sy;
    if (speed2 > vmax2) limit_speed(i, speed2);  // rare: only at the speed limit
    px_[i] += static_cast<std::uint32_t>(vx_[i]);
    py_[i] += static_cast<std::uint32_t>(vy_[i]);
    hits_[i] = 0;
  }
  StepEvents events;
  ++steps_;
  if (neighbours_stale()) build_neighbours();
  resolve_contacts(events);
  if (p_.scenario == Scenario::lane) apply_edges(events);
  if (neighbours_stale()) build_neighbours();
  const float penalty = static_cast<float>(p_.collision_penalty);
  for (std::size_t i = 0; i < n; ++i) {
    const double ux = road_vx(i), uy = road_vy(i);
    const float progress = static_cast<float>((ux * hx_[i] + uy * hy_[i]) / speed_[i]);
    progress_[i] = progress;
    reward_[i] = std::min(progress, 1.0f) - penalty * static_cast<float>(hits_[i]);
  }
  return events;
}

// Jacobi resolution: every overlapping pair's correction is computed from the state before any is
// applied, and corrections are summed as integers, so the result does not depend on the order in
// which pairs are visited (which depends on the cells, and so on the frame).
void World::resolve_contacts(StepEvents& events) {
  const std::size_t n = size();
  const double diameter = 2 * p_.radius, diameter2 = diameter * diameter;
  const double ux = unit_x_, uy = unit_y_, vux = velocity_unit_x(), vuy = velocity_unit_y();
  std::fill(dpx_.begin(), dpx_.end(), 0);
  std::fill(dpy_.begin(), dpy_.end(), 0);
  std::fill(dvx_.begin(), dvx_.end(), 0);
  std::fill(dvy_.begin(), dvy_.end(), 0);
  bool any = false;
  new_contacts_.clear();
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint32_t xi = px_[i], yi = py_[i];
    const auto near = neighbours(i);
    // The list is sorted: the partners j > i are its tail.
    for (auto it = std::upper_bound(near.begin(), near.end(), static_cast<std::uint32_t>(i)); it != near.end(); ++it) {
      const std::uint32_t j = *it;
      const double rx = static_cast<std::int32_t>(px_[j] - xi) * ux;
      const double ry = static_cast<std::int32_t>(py_[j] - yi) * uy;
      const double d2 = rx * rx + ry * ry;
      if (d2 >= diameter2) continue;
      any = true;
      const double d = std::sqrt(d2);
      const double nx = d > 0 ? rx / d : 1.0, ny = d > 0 ? ry / d : 0.0;
      const double half_overlap = 0.5 * (diameter - d);
      const auto sx = static_cast<std::int64_t>(std::lround(half_overlap * nx / ux));
      const auto sy = static_cast<std::int64_t>(std::lround(half_overlap * ny / uy));
      dpx_[i] -= sx, dpy_[i] -= sy, dpx_[j] += sx, dpy_[j] += sy;
      const std::uint64_t key = (static_cast<std::uint64_t>(i) << 32) | j;
      new_contacts_.push_back(key);
      if (!std::binary_search(contacts_.begin(), contacts_.end(), key)) {
        ++events.collisions;
        ++hits_[i];
        ++hits_[j];
      }
      const double vn = static_cast<std::int32_t>(vx_[j] - vx_[i]) * vux * nx +
                        static_cast<std::int32_t>(vy_[j] - vy_[i]) * vuy * ny;
      if (vn >= 0) continue;  // touching but separating: no impulse
      // Inelastic along the line of centres: the approaching component is removed, shared equally.
      const auto jx = static_cast<std::int64_t>(std::lround(0.5 * vn * nx / vux));
      const auto jy = static_cast<std::int64_t>(std::lround(0.5 * vn * ny / vuy));
      dvx_[i] += jx, dvy_[i] += jy, dvx_[j] -= jx, dvy_[j] -= jy;
    }
  }
  // Visiting order depends on the cells (and so on the frame); the sorted set does not.
  std::sort(new_contacts_.begin(), new_contacts_.end());
  contacts_.swap(new_contacts_);
  if (!any) return;
  // A particle in several contacts moves at most R/2 per step (the rest is resolved next step):
  // corrections stay small next to the neighbour list's skin (world.hpp).
  const double max_shift = 0.5 * p_.radius;
  for (std::size_t i = 0; i < n; ++i) {
    std::int64_t sx = dpx_[i], sy = dpy_[i];
    if (sx == 0 && sy == 0 && dvx_[i] == 0 && dvy_[i] == 0) continue;
    const double shift2 = static_cast<double>(sx) * ux * static_cast<double>(sx) * ux + static_cast<double>(sy) * uy * static_cast<double>(sy) * uy;
    if (shift2 > max_shift * max_shift) {
      const double s = max_shift / std::sqrt(shift2);
      sx = std::llround(static_cast<double>(sx) * s);
      sy = std::llround(static_cast<double>(sy) * s);
    }
    px_[i] += static_cast<std::uint32_t>(sx);
    py_[i] += static_cast<std::uint32_t>(sy);
    vx_[i] += static_cast<std::int32_t>(dvx_[i]);
    vy_[i] += static_cast<std::int32_t>(dvy_[i]);
  }
}

void World::apply_edges(StepEvents& events) {
  const auto lo = static_cast<std::uint32_t>(std::lround(p_.radius / unit_y_));
  const auto hi = static_cast<std::uint32_t>(std::lround((p_.lane_width - p_.radius) / unit_y_));
  for (std::size_t i = 0; i < size(); ++i) {
    const std::uint32_t y = py_[i];
    const std::int32_t uy = vy_[i] - boost_y_;
    // Below the road wraps to the top half of the 4W box (y >= 2^31).
    const bool below = y < lo || y >= 0x80000000u, above = !below && y > hi;
    const bool was_touching = on_edge_[i] != 0;
    on_edge_[i] = y == lo || y == hi || below || above;
    if (!below && !above) continue;
    py_[i] = below ? lo : hi;
    if ((below && uy < 0) || (above && uy > 0)) {
      vy_[i] = boost_y_;  // inelastic: the motion into the edge stops
      if (was_touching) continue;  // pressed against the edge: one hit when it arrived, not one per step
      ++hits_[i];
      ++events.edge_hits;
    }
  }
}

std::uint64_t World::road_frame_digest() const {
  std::uint64_t h = kFnvOffset;
  auto mix = [&h](std::uint32_t v) {
    for (int b = 0; b < 4; ++b) h = fnv1a(h, (v >> (8 * b)) & 0xffu);
  };
  const auto [shift_x, shift_y] = road_shift();
  for (std::size_t i = 0; i < size(); ++i) {
    mix(px_[i] - shift_x);
    mix(py_[i] - shift_y);
    mix(static_cast<std::uint32_t>(vx_[i] - boost_x_));
    mix(static_cast<std::uint32_t>(vy_[i] - boost_y_));
  }
  return h;
}

}  // namespace ldyn::particles
