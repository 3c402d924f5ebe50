#pragma once
// A minimal PNG reader for the tests: just enough to check what png_writer writes (8-bit RGB,
// filter type 0), verifying every chunk's CRC on the way.
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <vector>
#include <zlib.h>

namespace ldyn_test {

struct DecodedPng {
  int width = 0, height = 0;
  std::vector<std::uint8_t> rgb;  // row-major, 3 bytes a pixel
  std::vector<std::string> chunk_types;
};

inline std::uint32_t read_u32(const std::vector<std::uint8_t>& b, std::size_t at) {
  return (std::uint32_t{b.at(at)} << 24) | (std::uint32_t{b.at(at + 1)} << 16) |
         (std::uint32_t{b.at(at + 2)} << 8) | std::uint32_t{b.at(at + 3)};
}

inline std::vector<std::uint8_t> read_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

inline DecodedPng decode_png(const std::vector<std::uint8_t>& bytes) {
  static const std::uint8_t signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  if (bytes.size() < 8 || !std::equal(signature, signature + 8, bytes.begin()))
    throw std::runtime_error("bad PNG signature");
  DecodedPng png;
  std::vector<std::uint8_t> idat;
  std::size_t at = 8;
  while (at < bytes.size()) {
    const std::uint32_t length = read_u32(bytes, at);
    const std::string type(bytes.begin() + at + 4, bytes.begin() + at + 8);
    const std::uint8_t* data = bytes.data() + at + 8;
    const uLong crc = crc32(0L, bytes.data() + at + 4, length + 4);
    if (crc != read_u32(bytes, at + 8 + length)) throw std::runtime_error("bad CRC in " + type);
    png.chunk_types.push_back(type);
    if (type == "IHDR") {
      png.width = static_cast<int>(read_u32(bytes, at + 8));
      png.height = static_cast<int>(read_u32(bytes, at + 12));
      if (data[8] != 8 || data[9] != 2 || data[10] != 0 || data[11] != 0 || data[12] != 0)
        throw std::runtime_error("not 8-bit RGB, non-interlaced");
    } else if (type == "IDAT") {
      idat.insert(idat.end(), data, data + length);
    }
    at += 12 + length;
  }
  const std::size_t row = static_cast<std::size_t>(png.width) * 3 + 1;
  std::vector<std::uint8_t> raw(row * static_cast<std::size_t>(png.height));
  uLongf raw_size = raw.size();
  if (uncompress(raw.data(), &raw_size, idat.data(), idat.size()) != Z_OK || raw_size != raw.size())
    throw std::runtime_error("IDAT does not inflate to the image size");
  for (int y = 0; y < png.height; ++y) {
    if (raw[y * row] != 0) throw std::runtime_error("row filter is not type 0");
    png.rgb.insert(png.rgb.end(), raw.begin() + y * row + 1, raw.begin() + (y + 1) * row);
  }
  return png;
}

}  // namespace ldyn_test
