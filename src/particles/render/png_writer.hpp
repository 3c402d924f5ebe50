#pragma once
// Canvases as PNG files (8-bit RGB, no interlace, filter type 0 on every row), encoded with zlib:
// no image library is needed, and ffmpeg reads the frames back to make GIFs and MP4s.
#include <cstdint>
#include <filesystem>
#include <vector>

#include "particles/render/canvas.hpp"

namespace ldyn::particles {

/// The bytes of a PNG file showing `canvas`; `compression_level` is zlib's, 0 (none) to 9 (best).
std::vector<std::uint8_t> encode_png(const Canvas& canvas, int compression_level = 6);

/// Writes `canvas` to `path` as a PNG, atomically. Throws FileError when it cannot.
void write_png(const std::filesystem::path& path, const Canvas& canvas, int compression_level = 6);

}  // namespace ldyn::particles
