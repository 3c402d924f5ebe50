#include "nn/data/idx.hpp"

#include <cstdio>
#include <stdexcept>
#include <system_error>

#include "core/binary_file.hpp"
#include "core/error.hpp"

namespace ldyn::nn {

namespace {

std::string hex_byte(unsigned char b) {
  char s[8];
  std::snprintf(s, sizeof s, "0x%02X", static_cast<unsigned>(b));
  return s;
}

// The existing one of `dir/stem`, `dir/stem.gz`, `dir/stem.xz` (Debian ships .gz; a user may have
// unpacked them).
std::filesystem::path find_variant(const std::filesystem::path& dir, const std::string& stem) {
  std::error_code ec;
  for (const char* ext : {"", ".gz", ".xz"}) {
    const std::filesystem::path p = dir / (stem + ext);
    if (std::filesystem::is_regular_file(p, ec)) return p;
  }
  throw FileError((dir / (stem + ".gz")).string(),
                  "not found (nor " + stem + " or " + stem +
                      ".xz); install Debian's dataset-fashion-mnist (into " + kFashionMnistDir +
                      ") or give the folder holding the files");
}

}  // namespace

IdxArray read_idx(const std::filesystem::path& path) {
  const std::string name = path.string();
  std::vector<unsigned char> bytes = read_binary_file(path);
  if (bytes.size() < 4)
    throw FileError(name, "not an IDX file: " + std::to_string(bytes.size()) +
                              " bytes, shorter than the 4-byte magic number");
  if (bytes[0] != 0 || bytes[1] != 0)
    throw FileError(name, "not an IDX file: the magic number starts with " + hex_byte(bytes[0]) + " " +
                              hex_byte(bytes[1]) + ", not 0x00 0x00");
  if (bytes[2] != 0x08)
    throw FileError(name, "unsupported IDX element type " + hex_byte(bytes[2]) +
                              " (only 0x08, unsigned byte, is supported)");
  const std::size_t ndims = bytes[3];
  if (ndims == 0) throw FileError(name, "IDX header has 0 dimensions");
  const std::size_t header = 4 + 4 * ndims;
  if (bytes.size() < header)
    throw FileError(name, "truncated IDX header: " + std::to_string(ndims) + " dimensions need " +
                              std::to_string(header) + " bytes, the file has " +
                              std::to_string(bytes.size()));
  IdxArray a;
  a.dims.resize(ndims);
  // The element count saturates instead of overflowing (four uint32 dimensions can exceed 2^64):
  // such a header is then reported as truncated, since no file holds that much data.
  constexpr std::uint64_t kHuge = ~std::uint64_t{0};
  std::uint64_t count = 1;
  bool empty = false;
  for (std::size_t k = 0; k < ndims; ++k) {
    const unsigned char* p = bytes.data() + 4 + 4 * k;
    a.dims[k] = std::uint32_t{p[0]} << 24 | std::uint32_t{p[1]} << 16 | std::uint32_t{p[2]} << 8 | p[3];
    if (a.dims[k] == 0) empty = true;
    else count = count > kHuge / a.dims[k] ? kHuge : count * a.dims[k];
  }
  if (empty) count = 0;
  const std::size_t have = bytes.size() - header;
  std::string shape;
  for (std::size_t k = 0; k < ndims; ++k) shape += (k ? " x " : "") + std::to_string(a.dims[k]);
  if (count > have)
    throw FileError(name, "truncated IDX data: the header says " + shape + " (" +
                              (count == kHuge ? std::string("more than 2^64") : std::to_string(count)) +
                              " bytes), the file has " + std::to_string(have) + " bytes of data");
  if (count < have)
    throw FileError(name, std::to_string(have - count) + " bytes after the IDX data (the header says " +
                              shape + ")");
  // Drop the header in place rather than copy the data: the arrays are tens of MB.
  bytes.erase(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(header));
  a.data = std::move(bytes);
  return a;
}

Dataset load_idx_pair(const std::filesystem::path& images, const std::filesystem::path& labels,
                      const std::string& name, int classes) {
  if (classes < 1 || classes > 256)
    throw std::invalid_argument("load_idx_pair: classes must be in [1, 256] (got " +
                                std::to_string(classes) + ")");
  const IdxArray img = read_idx(images);
  if (img.dims.size() != 3)
    throw FileError(images.string(), "expected 3 dimensions (images x rows x cols), got " +
                                         std::to_string(img.dims.size()));
  const IdxArray lab = read_idx(labels);
  if (lab.dims.size() != 1)
    throw FileError(labels.string(),
                    "expected 1 dimension (labels), got " + std::to_string(lab.dims.size()));
  const auto n = static_cast<Eigen::Index>(img.dims[0]);
  const auto features = static_cast<Eigen::Index>(img.dims[1]) * static_cast<Eigen::Index>(img.dims[2]);
  if (lab.dims[0] != img.dims[0])
    throw FileError(labels.string(), "has " + std::to_string(lab.dims[0]) + " labels but " +
                                         images.string() + " has " + std::to_string(img.dims[0]) + " images");
  Dataset d;
  d.name = name;
  d.classes = classes;
  d.labels.resize(static_cast<std::size_t>(n));
  for (std::size_t i = 0; i < d.labels.size(); ++i) {
    const int y = lab.data[i];
    if (y >= classes)
      throw FileError(labels.string(), "label " + std::to_string(y) + " of sample " + std::to_string(i) +
                                           " is not below the number of classes (" +
                                           std::to_string(classes) + ")");
    d.labels[i] = y;
  }
  // Images are stored sample after sample, row-major: exactly the column-major layout of a
  // features x samples matrix, so one linear pass converts them.
  d.inputs.resize(features, n);
  float* out = d.inputs.data();
  const unsigned char* in = img.data.data();
  const std::size_t total = img.data.size();
  for (std::size_t k = 0; k < total; ++k) out[k] = static_cast<float>(in[k]) / 255.0f;
  d.targets = one_hot(d.labels, classes);
  return d;
}

Dataset load_fashion_mnist(const std::filesystem::path& dir, const std::string& part) {
  if (part != "train" && part != "test")
    throw InvalidOption("--data", "fashion-mnist has the parts 'train' and 'test' (got '" + part + "')");
  const std::string prefix = part == "train" ? "train" : "t10k";
  const auto images = find_variant(dir, prefix + "-images-idx3-ubyte");
  const auto labels = find_variant(dir, prefix + "-labels-idx1-ubyte");
  return load_idx_pair(images, labels, "fashion-mnist (" + part + ")", 10);
}

}  // namespace ldyn::nn
