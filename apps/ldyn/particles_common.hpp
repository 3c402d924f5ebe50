#pragma once
// What `ldyn particles train`, `run` and `render` share: the world's options, and the driver
// named by --policy (a policy file, or the scripted "cruise" and "random").
#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "particles/driver.hpp"
#include "particles/world_params.hpp"

namespace ldyn::cli {

struct WorldArgs {
  particles::WorldParams world;
  std::string scenario = "torus";
  std::string headings = "uniform";
  std::vector<double> boost;  // VX,VY
};

/// Registers --scenario, --headings, --particles, --radius, --packing-fraction, --lane-width,
/// --cruise-speed, --speed-spread, --initial-speed, --max-speed, --max-acceleration, --dt,
/// --collision-penalty and --boost VX,VY.
void add_world_options(CLI::App* sub, WorldArgs& a);
/// The parameters from the options (InvalidOption naming the option for impossible values).
particles::WorldParams world_params(const WorldArgs& a);

/// A driver named by --policy, with the policy it drives (empty for scripted drivers). The world
/// gets the policy's sensing radius (its cell list must reach as far as the sensors).
struct DriverChoice {
  std::shared_ptr<particles::Policy> policy;
  std::unique_ptr<particles::Driver> driver;
  std::string name;
};
DriverChoice choose_driver(const std::string& policy, particles::WorldParams& world);

}  // namespace ldyn::cli
