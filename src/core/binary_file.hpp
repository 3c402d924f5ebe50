#pragma once
// Binary files that may be compressed, read whole. The format is recognized by its magic bytes,
// not its name, as for text (core/compressed_file.hpp): xz (liblzma), gzip (zlib), or plain. Data
// sets such as MNIST's IDX files ship gzip-compressed and are small enough (tens of MB) to hold in
// memory, so one call returns everything and the caller parses a byte array.
#include <filesystem>
#include <vector>

namespace ldyn {

/// The whole decompressed content of a plain, .xz or .gz file.
/// Every failure (missing file, read error, corrupt or truncated compressed data) throws FileError
/// naming the path.
std::vector<unsigned char> read_binary_file(const std::filesystem::path& path);

}  // namespace ldyn
