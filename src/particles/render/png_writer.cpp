#include "particles/render/png_writer.hpp"

#include <algorithm>
#include <cstring>
#include <ostream>
#include <stdexcept>
#include <string>
#include <zlib.h>

#include "core/atomic_file.hpp"
#include "core/error.hpp"

namespace ldyn::particles {
namespace {

void append_u32(std::vector<std::uint8_t>& out, std::uint32_t v) {
  // PNG stores integers big-endian.
  out.push_back(static_cast<std::uint8_t>(v >> 24));
  out.push_back(static_cast<std::uint8_t>(v >> 16));
  out.push_back(static_cast<std::uint8_t>(v >> 8));
  out.push_back(static_cast<std::uint8_t>(v));
}

// A chunk is length, type, data, and the CRC-32 of type and data.
void append_chunk(std::vector<std::uint8_t>& out, const char (&type)[5], const std::uint8_t* data,
                  std::size_t size) {
  append_u32(out, static_cast<std::uint32_t>(size));
  const std::size_t type_at = out.size();
  out.insert(out.end(), type, type + 4);
  if (size > 0) out.insert(out.end(), data, data + size);
  const uLong crc = crc32(0L, out.data() + type_at, static_cast<uInt>(4 + size));
  append_u32(out, static_cast<std::uint32_t>(crc));
}

}  // namespace

std::vector<std::uint8_t> encode_png(const Canvas& canvas, int compression_level) {
  const auto width = static_cast<std::size_t>(canvas.width());
  const auto height = static_cast<std::size_t>(canvas.height());
  const std::size_t row_bytes = width * 3;

  // Each scanline starts with its filter type; 0 (None) keeps the encoder trivial, and the flat
  // backgrounds of these pictures compress well without prediction.
  std::vector<std::uint8_t> raw(height * (row_bytes + 1));
  const std::uint8_t* src = canvas.pixels().data();
  for (std::size_t y = 0; y < height; ++y) {
    std::uint8_t* row = raw.data() + y * (row_bytes + 1);
    row[0] = 0;
    std::memcpy(row + 1, src + y * row_bytes, row_bytes);
  }
  uLongf packed_size = compressBound(static_cast<uLong>(raw.size()));
  std::vector<std::uint8_t> packed(packed_size);
  const int rc = compress2(packed.data(), &packed_size, raw.data(), static_cast<uLong>(raw.size()),
                           std::clamp(compression_level, 0, 9));
  if (rc != Z_OK) throw std::runtime_error("encode_png: zlib compress2 failed (" + std::to_string(rc) + ")");
  packed.resize(packed_size);

  std::vector<std::uint8_t> png = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  std::vector<std::uint8_t> header;
  append_u32(header, static_cast<std::uint32_t>(width));
  append_u32(header, static_cast<std::uint32_t>(height));
  // Bit depth 8, colour type 2 (RGB), compression 0, filter method 0, no interlace.
  header.insert(header.end(), {8, 2, 0, 0, 0});
  append_chunk(png, "IHDR", header.data(), header.size());
  append_chunk(png, "IDAT", packed.data(), packed.size());
  append_chunk(png, "IEND", nullptr, 0);
  return png;
}

void write_png(const std::filesystem::path& path, const Canvas& canvas, int compression_level) {
  const std::vector<std::uint8_t> png = encode_png(canvas, compression_level);
  write_file_atomically(
      path,
      [&](std::ostream& out) {
        out.write(reinterpret_cast<const char*>(png.data()), static_cast<std::streamsize>(png.size()));
      },
      /*binary=*/true);
}

}  // namespace ldyn::particles
