#pragma once
// Who chooses the accelerations: a Driver acts for all particles of a world at once. The learned
// policy and the two scripted baselines (constant cruise, random) share this face, so every
// evaluation, benchmark and rendering treats them alike.
#include <memory>
#include <span>
#include <string>

#include "core/random.hpp"
#include "particles/features.hpp"
#include "particles/policy.hpp"
#include "particles/world.hpp"

namespace ldyn::particles {

class Driver {
 public:
  virtual ~Driver() = default;
  /// World-frame accelerations for every particle of `world` in its current state.
  virtual void act(const World& world, std::span<float> ax, std::span<float> ay) = 0;
  /// Called by run_episode() before the first step of an episode with the episode's seed.
  virtual void start_episode(std::uint64_t /*seed*/) {}
};

/// The learned policy. With exploration noise sigma > 0 (policy gradient) the normalized action is
/// out + sigma * xi, xi standard normal from the stream of start_episode's seed.
class PolicyDriver : public Driver {
 public:
  explicit PolicyDriver(const Policy& policy) : policy_(policy) {}
  void set_exploration(double sigma) { sigma_ = sigma; }
  void start_episode(std::uint64_t seed) override;
  void act(const World& world, std::span<float> ax, std::span<float> ay) override;

  // The last act()'s sensors, hidden layer, mean actions and noise (for the policy gradient).
  const Matrixf& features() const { return X_; }
  const Matrixf& hidden() const { return H_; }
  const Matrixf& mean_action() const { return O_; }
  const Matrixf& noise() const { return noise_; }

 private:
  const Policy& policy_;
  double sigma_ = 0;
  Rng rng_;
  Matrixf X_, H_, O_, noise_;
};

/// Drives towards its desired velocity c_i d_i in the road frame, blind to everyone else:
/// a = (c_i d_i - u) / response_time, clipped by the world to a_max.
class CruiseDriver : public Driver {
 public:
  explicit CruiseDriver(double response_time = 0.5) : response_time_(response_time) {}
  void act(const World& world, std::span<float> ax, std::span<float> ay) override;

 private:
  double response_time_;
};

/// Uniformly random accelerations in the disc |a| <= a_max, independent at every step.
class RandomDriver : public Driver {
 public:
  void start_episode(std::uint64_t seed) override { rng_ = make_stream(seed, "particles-random-driver"); }
  void act(const World& world, std::span<float> ax, std::span<float> ay) override;

 private:
  Rng rng_;
};

/// "cruise" and "random" name the scripted drivers; anything else is a policy file.
bool is_scripted(const std::string& name);
std::unique_ptr<Driver> make_scripted_driver(const std::string& name);

}  // namespace ldyn::particles
