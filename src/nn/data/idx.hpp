#pragma once
// The IDX format of MNIST and the data sets that copy its layout (Fashion-MNIST, KMNIST, ...).
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "nn/data/dataset.hpp"

namespace ldyn::nn {

/// An IDX array (the MNIST format: magic 0x00 0x00 type ndims, big-endian uint32 dims, data). Only
/// element type 0x08 (unsigned byte) is accepted, which every MNIST-format set uses; gz or plain.
/// (xz works too: the file is read by core/binary_file.) The data must be exactly the size the
/// dimensions say; every mismatch is a FileError naming the file.
struct IdxArray { std::vector<std::uint32_t> dims; std::vector<unsigned char> data; };
IdxArray read_idx(const std::filesystem::path& path);

/// Images (N x rows x cols, scaled to [0, 1]) and labels (N, values < classes) as a classification
/// dataset; checks that the counts match and every label is < classes (FileError naming the file otherwise).
Dataset load_idx_pair(const std::filesystem::path& images, const std::filesystem::path& labels,
                      const std::string& name, int classes = 10);

/// Fashion-MNIST in `dir` (Debian's dataset-fashion-mnist: /usr/share/datasets/fashion-mnist):
/// part "train" (60 000) or "test" (10 000); files train-images-idx3-ubyte[.gz] etc.
/// Named "fashion-mnist (train)" or "fashion-mnist (test)". A missing file is a FileError naming
/// it, with the hint to install the Debian package; another part is InvalidOption("--data", ...).
Dataset load_fashion_mnist(const std::filesystem::path& dir, const std::string& part);

/// Where Debian's dataset-fashion-mnist installs the files.
inline constexpr const char* kFashionMnistDir = "/usr/share/datasets/fashion-mnist";

}  // namespace ldyn::nn
