#include "particles/policy.hpp"

#include <cmath>
#include <fstream>
#include <sstream>

#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "core/random.hpp"
#include "particles/features.hpp"

namespace ldyn::particles {
namespace {

constexpr const char* kMagic = "ldyn-particle-policy";
constexpr int kVersion = 1;

long expected_inputs(PolicyKind kind, const Sensing& s) {
  return kind == PolicyKind::invariant ? kInvariantFeatures : raw_feature_count(s.neighbours);
}

}  // namespace

PolicyKind parse_policy_kind(std::string_view name) {
  if (name == "invariant") return PolicyKind::invariant;
  if (name == "raw") return PolicyKind::raw;
  throw InvalidOption("--policy", "unknown policy kind '" + std::string(name) + "' (invariant, raw)");
}

std::string to_string(PolicyKind k) { return k == PolicyKind::invariant ? "invariant" : "raw"; }

Policy make_policy(PolicyKind kind, const Sensing& sensing, long hidden, std::uint64_t seed) {
  validate(sensing);
  if (hidden < 0 || hidden > 1024) throw InvalidOption("--hidden", "must be in [0, 1024] (got " + std::to_string(hidden) + ")");
  Policy p{kind, sensing, Mlp(expected_inputs(kind, sensing), hidden, 2)};
  if (hidden > 0) {
    Rng rng = make_stream(seed, "particles-policy-init");
    const double scale = 1 / std::sqrt(static_cast<double>(p.inputs()));
    auto theta = p.net.parameters();
    for (long k = 0; k < hidden * p.inputs(); ++k) theta[static_cast<std::size_t>(k)] = static_cast<float>(scale * standard_normal(rng));
  }
  return p;
}

void save_policy(const std::filesystem::path& path, const Policy& policy) {
  write_file_atomically(path, [&](std::ostream& out) {
    out << kMagic << ' ' << kVersion << '\n'
        << "kind " << to_string(policy.kind) << '\n'
        << "hidden " << policy.net.hidden() << '\n'
        << "sensing_radius " << policy.sensing.sensing_radius << '\n'
        << "horizon " << policy.sensing.horizon << '\n'
        << "margin " << policy.sensing.margin << '\n'
        << "neighbours " << policy.sensing.neighbours << '\n'
        << "aggregate " << to_string(policy.sensing.aggregate) << '\n'
        << "parameters " << policy.net.parameter_count() << '\n';
    out.precision(9);
    for (float v : policy.net.parameters()) out << v << '\n';
  });
}

Policy load_policy(const std::filesystem::path& path) {
  const std::string name = path.string();
  std::ifstream in(path);
  if (!in) throw FileError(name, "cannot open the policy file");
  std::size_t line_no = 0;
  std::string line;
  auto next = [&](const char* what) {
    if (!std::getline(in, line)) throw FileError(name, line_no + 1, std::string("truncated: expected ") + what);
    ++line_no;
    return std::istringstream(line);
  };
  auto field = [&](const char* key) {
    auto s = next(key);
    std::string k, value, rest;
    if (!(s >> k >> value) || k != key || (s >> rest)) throw FileError(name, line_no, std::string("expected '") + key + " VALUE'");
    return value;
  };
  auto number = [&](const char* key) {
    const std::string v = field(key);
    char* end = nullptr;
    const double d = std::strtod(v.c_str(), &end);
    if (end == v.c_str() || *end != '\0' || !std::isfinite(d)) throw FileError(name, line_no, std::string(key) + ": not a finite number: " + v);
    return d;
  };
  {
    auto s = next("the header");
    std::string magic;
    int version = 0;
    if (!(s >> magic) || magic != kMagic) throw FileError(name, line_no, "not an ldyn particle policy (expected '" + std::string(kMagic) + " 1')");
    if (!(s >> version) || version != kVersion) throw FileError(name, line_no, "unsupported policy version (this ldyn reads version 1)");
  }
  Policy p;
  try {
    p.kind = parse_policy_kind(field("kind"));
  } catch (const InvalidOption&) {
    throw FileError(name, line_no, "unknown policy kind (invariant, raw)");
  }
  const double hidden = number("hidden");
  p.sensing.sensing_radius = number("sensing_radius");
  p.sensing.horizon = number("horizon");
  p.sensing.margin = number("margin");
  p.sensing.neighbours = static_cast<long>(number("neighbours"));
  try {
    p.sensing.aggregate = parse_aggregate(field("aggregate"));
  } catch (const InvalidOption&) {
    throw FileError(name, line_no, "unknown aggregate (max, sum)");
  }
  try {
    validate(p.sensing);
  } catch (const InvalidOption& e) {
    throw FileError(name, line_no, std::string("impossible sensors: ") + e.what());
  }
  if (hidden < 0 || hidden > 1024 || hidden != std::floor(hidden)) throw FileError(name, 3, "hidden must be an integer in [0, 1024]");
  p.net = Mlp(expected_inputs(p.kind, p.sensing), static_cast<long>(hidden), 2);
  const double count = number("parameters");
  if (count != static_cast<double>(p.net.parameter_count()))
    throw FileError(name, line_no, "parameters: a " + to_string(p.kind) + " policy with " + std::to_string(static_cast<long>(hidden)) +
                                       " hidden units has " + std::to_string(p.net.parameter_count()) + " (file says " + std::to_string(static_cast<long>(count)) + ")");
  for (float& v : p.net.parameters()) {
    auto s = next("a parameter");
    double d = 0;
    std::string rest;
    if (!(s >> d) || (s >> rest) || !std::isfinite(d)) throw FileError(name, line_no, "not a finite number: '" + line + "'");
    v = static_cast<float>(d);
  }
  std::string extra;
  if (in >> extra) throw FileError(name, line_no + 1, "unexpected data after the parameters");
  return p;
}

}  // namespace ldyn::particles
