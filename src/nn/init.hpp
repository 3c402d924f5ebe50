#pragma once
// Initial weights and biases. Draws come from the run's named stream "init" with portable
// uniform and normal transforms, so a seed gives the same network with every standard library.
#include <cstdint>
#include <string>

namespace ldyn::nn {

enum class Init {
  torch,   ///< PyTorch's nn.Linear default: w, b ~ U(-1/sqrt(fan_in), 1/sqrt(fan_in))
  he,      ///< w ~ N(0, 2/fan_in), b = 0 (ReLU networks)
  xavier,  ///< w ~ U(-sqrt(6/(fan_in+fan_out)), +...), b = 0 (tanh and sigmoid networks)
};

const char* to_string(Init i);
Init init_from_string(const std::string& name, const std::string& option = "--init");

}  // namespace ldyn::nn
