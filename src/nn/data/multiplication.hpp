#pragma once
// A synthetic regression task with a known answer: a network must learn the product of its two
// inputs, which no single linear layer can represent.
#include <cstdint>

#include "nn/data/dataset.hpp"

namespace ldyn::nn {

/// The CGD paper's second experiment: x uniform on [-1, 1]^2, y = x1 * x2 (regression, 2 -> 1).
/// Random numbers from ldyn::make_stream(seed, "multiplication").
/// The target is the float product of the two float inputs, so it is exact for the stored inputs.
/// Sample i is the same for every `samples` > i (the stream is read in order). Named "multiplication".
Dataset make_multiplication(Eigen::Index samples, std::uint64_t seed);

}  // namespace ldyn::nn
