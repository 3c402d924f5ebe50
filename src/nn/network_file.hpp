#pragma once
// A trained layered network as a small versioned text file (what `ldyn train --save` writes and
// grow-prune, thermo and criticality read):
//   ldyn-network 1
//   layers 784,256,10
//   hidden relu
//   output linear
//   loss cross-entropy
//   parameters 203530
//   <one value per line, layer by layer: W_l column-major, then b_l; %.9g round-trips a float>
#include <filesystem>

#include "nn/layered_network.hpp"

namespace ldyn::nn {

void save_network(const LayeredNetwork<float>& net, const std::filesystem::path& path);
/// Reads a network file; FileError naming the file and line for anything malformed, a wrong
/// parameter count, or a NaN/infinite value.
LayeredNetwork<float> load_network(const std::filesystem::path& path);

}  // namespace ldyn::nn
