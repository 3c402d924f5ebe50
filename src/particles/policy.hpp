#pragma once
// A learned driving policy shared by all particles (they are identical agents): its sensors, its
// kind and its network (docs/particles.md, "Policies").
//   invariant: inputs = invariant_features (6), outputs = acceleration along and across the
//              agent's desired heading, in units of a_max;
//   raw:       inputs = raw_features (7 + 5K), outputs = world-frame acceleration / a_max.
// The policy file is text, versioned, one number per line after a short header; a corrupt or
// mismatched file is refused with its name and line.
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "particles/mlp.hpp"
#include "particles/sensing.hpp"

namespace ldyn::particles {

enum class PolicyKind { invariant, raw };
PolicyKind parse_policy_kind(std::string_view name);  ///< InvalidOption("--policy")
std::string to_string(PolicyKind k);

struct Policy {
  PolicyKind kind = PolicyKind::invariant;
  Sensing sensing;
  Mlp net;

  long inputs() const { return net.inputs(); }
};

/// A new policy: hidden weights N(0, 1/inputs) from `seed`, output layer zero (so the untrained
/// policy keeps its initial velocity). hidden = 0 makes it linear (then all weights start at zero).
Policy make_policy(PolicyKind kind, const Sensing& sensing, long hidden, std::uint64_t seed);

void save_policy(const std::filesystem::path& path, const Policy& policy);
/// FileError(path[:line]) for a missing, truncated, non-numeric, non-finite or inconsistent file.
Policy load_policy(const std::filesystem::path& path);

}  // namespace ldyn::particles
