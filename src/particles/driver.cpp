#include "particles/driver.hpp"

#include <cmath>
#include <numbers>

namespace ldyn::particles {

void PolicyDriver::start_episode(std::uint64_t seed) { rng_ = make_stream(seed, "particles-exploration"); }

void PolicyDriver::act(const World& world, std::span<float> ax, std::span<float> ay) {
  if (policy_.kind == PolicyKind::invariant)
    invariant_features(world, policy_.sensing, X_);
  else
    raw_features(world, policy_.sensing, X_);
  policy_.net.forward(X_, H_, O_);
  const long n = static_cast<long>(world.size());
  const bool explore = sigma_ > 0;
  if (explore) {
    noise_.resize(2, n);
    for (long i = 0; i < n; ++i)
      for (long k = 0; k < 2; ++k) noise_(k, i) = static_cast<float>(standard_normal(rng_));
  }
  const float amax = static_cast<float>(world.params().max_acceleration), sigma = static_cast<float>(sigma_);
  for (long i = 0; i < n; ++i) {
    float a0 = O_(0, i), a1 = O_(1, i);
    if (explore) a0 += sigma * noise_(0, i), a1 += sigma * noise_(1, i);
    a0 *= amax, a1 *= amax;
    if (policy_.kind == PolicyKind::invariant) {
      // Along and across the desired heading d = (hx, hy); across = d turned left.
      const float hx = world.heading_x(static_cast<std::size_t>(i)), hy = world.heading_y(static_cast<std::size_t>(i));
      ax[static_cast<std::size_t>(i)] = a0 * hx - a1 * hy;
      ay[static_cast<std::size_t>(i)] = a0 * hy + a1 * hx;
    } else {
      ax[static_cast<std::size_t>(i)] = a0;
      ay[static_cast<std::size_t>(i)] = a1;
    }
  }
}

void CruiseDriver::act(const World& world, std::span<float> ax, std::span<float> ay) {
  const double k = 1 / response_time_;
  for (std::size_t i = 0; i < world.size(); ++i) {
    const double c = world.desired_speed(i);
    ax[i] = static_cast<float>(k * (c * world.heading_x(i) - world.road_vx(i)));
    ay[i] = static_cast<float>(k * (c * world.heading_y(i) - world.road_vy(i)));
  }
}

void RandomDriver::act(const World& world, std::span<float> ax, std::span<float> ay) {
  const double amax = world.params().max_acceleration;
  for (std::size_t i = 0; i < world.size(); ++i) {
    // Uniform in the disc: radius sqrt(u) a_max, angle uniform. The draw is in the agent's own
    // frame (d, d turned left), so the random driver is itself frame independent.
    const double r = amax * std::sqrt(uniform01(rng_)), phi = 2 * std::numbers::pi * uniform01(rng_);
    const double a0 = r * std::cos(phi), a1 = r * std::sin(phi);
    const double hx = world.heading_x(i), hy = world.heading_y(i);
    ax[i] = static_cast<float>(a0 * hx - a1 * hy);
    ay[i] = static_cast<float>(a0 * hy + a1 * hx);
  }
}

bool is_scripted(const std::string& name) { return name == "cruise" || name == "random"; }

std::unique_ptr<Driver> make_scripted_driver(const std::string& name) {
  if (name == "cruise") return std::make_unique<CruiseDriver>();
  if (name == "random") return std::make_unique<RandomDriver>();
  return nullptr;
}

}  // namespace ldyn::particles
