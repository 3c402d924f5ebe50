#include "nn/data/multiplication.hpp"

#include "core/random.hpp"

namespace ldyn::nn {

namespace {
// Uniform on [-1, 1] from the top 53 bits of a raw draw. std::uniform_real_distribution is left
// out on purpose: its algorithm differs between standard libraries, the engine's output does not.
float uniform_pm1(Rng& rng) {
  const double u = static_cast<double>(rng() >> 11) * 0x1p-53;  // [0, 1)
  return static_cast<float>(2.0 * u - 1.0);
}
}  // namespace

Dataset make_multiplication(Eigen::Index samples, std::uint64_t seed) {
  Rng rng = make_stream(seed, "multiplication");
  Dataset d;
  d.name = "multiplication";
  d.inputs.resize(2, samples);
  d.targets.resize(1, samples);
  for (Eigen::Index i = 0; i < samples; ++i) {
    const float x1 = uniform_pm1(rng);
    const float x2 = uniform_pm1(rng);
    d.inputs(0, i) = x1;
    d.inputs(1, i) = x2;
    d.targets(0, i) = x1 * x2;
  }
  return d;
}

}  // namespace ldyn::nn
