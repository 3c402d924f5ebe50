#pragma once
// A miniature Fashion-MNIST folder (4 x 4 images, 10 classes) written by the tests themselves, so
// that the network commands' file handling is tested without the installed data set.
#include <filesystem>
#include <string>

#include "../nn/test_data_fixtures.hpp"

namespace ldyn::testing {

/// Writes train (40 images) and test (20 images) IDX files, gzip-compressed as Debian ships them,
/// into a fresh folder `name`; returns the folder. Images are their label's pattern plus noise.
inline std::filesystem::path tiny_fashion_mnist(const std::string& name) {
  using nn::test::Bytes;
  const auto dir = nn::test::fresh_dir(name);
  for (const auto& [part, count] : {std::pair<std::string, std::uint32_t>{"train", 40}, {"t10k", 20}}) {
    Bytes images, labels;
    for (std::uint32_t i = 0; i < count; ++i) {
      const auto label = static_cast<unsigned char>(i % 10);
      labels.push_back(label);
      for (int p = 0; p < 16; ++p) images.push_back(static_cast<unsigned char>((p == label ? 200 : 20) + (i * 7 + p * 13) % 30));
    }
    nn::test::write_gz(dir / (part + "-images-idx3-ubyte.gz"), nn::test::idx_bytes({count, 4, 4}, images));
    nn::test::write_gz(dir / (part + "-labels-idx1-ubyte.gz"), nn::test::idx_bytes({count}, labels));
  }
  return dir;
}

}  // namespace ldyn::testing
