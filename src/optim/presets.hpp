#pragma once
// Named configurations of the one CGD engine. A preset is data, never a second implementation:
// `adam` is Options{force = first_moment, source = second_moment, alpha = 1/2, eps outside, ...}.
#include <string>
#include <string_view>
#include <vector>

#include "optim/options.hpp"

namespace ldyn::optim {

struct PresetInfo {
  std::string name;
  std::string summary;  ///< one line: what it is and which limit of CGD it is
  Options options;
};

/// All presets, in the order the CLI lists them.
const std::vector<PresetInfo>& presets();

/// The options of preset `name`; throws InvalidOption("--optimizer") for an unknown name.
Options preset(std::string_view name);

/// Names of all presets, comma separated (for help texts and error messages).
std::string preset_names();

/// Sets the epsilon(s) the preset actually uses to `eps` (Adam: outside the power; CGD: inside;
/// AdaBelief: in the accumulator and outside, as its reference does).
void set_epsilon(Options& options, double eps);

}  // namespace ldyn::optim
