#include "molecular/model/model_spec.hpp"

#include "core/error.hpp"

namespace ldyn::molecular {

const char* to_string(Dynamics d) { return d == Dynamics::agent ? "agent" : "symmetric"; }

Dynamics parse_dynamics(const std::string& name, const char* option) {
  if (name == "agent") return Dynamics::agent;
  if (name == "symmetric") return Dynamics::symmetric;
  throw InvalidOption(option, "must be 'agent' or 'symmetric' (got '" + name + "')");
}

int ModelSpec::angular_offset(int s, int t1, int t2) const {
  int offset = types() * pair.size();
  for (int a = 0; a < types(); ++a)
    for (int b = a; b < types(); ++b) {
      if (a == t1 && b == t2) return offset;
      offset += angular_products(a, b) * (lmax + 1);
    }
  (void)s;
  throw InvalidOption("model", "angular block for types out of range");
}

int ModelSpec::species_size(int /*s*/) const {
  int size = types() * pair.size();
  for (int a = 0; a < types(); ++a)
    for (int b = a; b < types(); ++b) size += angular_products(a, b) * (lmax + 1);
  return size;
}

int ModelSpec::species_offset(int s) const {
  int offset = 0;
  for (int q = 0; q < s; ++q) offset += species_size(q);
  return offset;
}

void ModelSpec::validate() const {
  if (species.size() == 0) throw InvalidOption("species", "the model needs at least one species");
  if (lmax < 0 || lmax > 20) throw InvalidOption("--lmax", "must be in 0 … 20");
  if (!(std::isfinite(wall_strength) && wall_strength >= 0.0))
    throw InvalidOption("--wall-strength", "must be a finite number >= 0");
  if (wall_radius.rows() != types() || wall_radius.cols() != types())
    throw InvalidOption("wall", "needs one radius per species pair");
  if (!wall_radius.allFinite() || (wall_radius.array() < 0.0).any())
    throw InvalidOption("wall", "radii must be finite and >= 0");
  if (angular.r_cut() > pair.r_cut())
    throw InvalidOption("--angular-cutoff", "must not exceed the pair cutoff");
}

}  // namespace ldyn::molecular
