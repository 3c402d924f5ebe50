#pragma once
// Text files that may be compressed. The format is recognized by its magic bytes, not its name:
// xz (liblzma), gzip (zlib), or plain text. Data is decompressed in chunks as lines are read, so
// reading the first frame of a large compressed trajectory does not decompress all of it.
#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>

namespace ldyn {

/// Reads a plain, .xz or .gz text file line by line.
/// Every failure (missing file, corrupt or truncated compressed data) throws FileError naming it.
class TextFileReader {
 public:
  explicit TextFileReader(const std::filesystem::path& path);
  ~TextFileReader();
  TextFileReader(const TextFileReader&) = delete;
  TextFileReader& operator=(const TextFileReader&) = delete;

  /// The next line without its '\n' (and without a trailing '\r'); false at the end of the file.
  bool next_line(std::string& line);
  /// 1-based number of the line last returned by next_line (0 before the first).
  std::size_t line_number() const { return line_; }
  /// The path as given, for error messages.
  const std::string& path() const { return path_; }

 private:
  struct Source;
  bool fill();  // appends decompressed bytes to buffer_; false at the end of the data

  std::string path_;
  std::unique_ptr<Source> source_;
  std::string buffer_;
  std::size_t pos_ = 0;
  std::size_t line_ = 0;
  bool eof_ = false;
};

/// The whole decompressed text of a plain, .xz or .gz file, each line ended by one '\n'
/// (CRLF line ends become LF).
std::string read_text_file(const std::filesystem::path& path);

}  // namespace ldyn
