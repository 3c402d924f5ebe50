#include "core/compressed_file.hpp"

#include <array>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>

#include <lzma.h>
#include <zlib.h>

#include "core/error.hpp"

namespace ldyn {

namespace {
constexpr std::size_t kChunk = 1 << 16;

enum class Kind { plain, xz, gz };
}  // namespace

struct TextFileReader::Source {
  Kind kind = Kind::plain;
  std::FILE* file = nullptr;  // plain and xz
  gzFile gz = nullptr;
  lzma_stream xz = LZMA_STREAM_INIT;
  bool xz_open = false;
  bool input_eof = false;
  bool stream_end = false;
  std::array<unsigned char, kChunk> in{};

  ~Source() {
    if (file) std::fclose(file);
    if (gz) gzclose(gz);
    if (xz_open) lzma_end(&xz);
  }
};

TextFileReader::TextFileReader(const std::filesystem::path& path)
    : path_(path.string()), source_(std::make_unique<Source>()) {
  Source& s = *source_;
  s.file = std::fopen(path_.c_str(), "rb");
  if (!s.file) throw FileError(path_, std::string("cannot open file: ") + std::strerror(errno));
  unsigned char magic[6] = {};
  const std::size_t n = std::fread(magic, 1, sizeof magic, s.file);
  static constexpr unsigned char xz_magic[6] = {0xFD, '7', 'z', 'X', 'Z', 0x00};
  if (n == 6 && std::memcmp(magic, xz_magic, 6) == 0) {
    s.kind = Kind::xz;
    if (lzma_stream_decoder(&s.xz, UINT64_MAX, LZMA_CONCATENATED) != LZMA_OK)
      throw FileError(path_, "cannot start the xz decoder");
    s.xz_open = true;
  } else if (n >= 2 && magic[0] == 0x1F && magic[1] == 0x8B) {
    s.kind = Kind::gz;
    std::fclose(s.file);
    s.file = nullptr;
    s.gz = gzopen(path_.c_str(), "rb");
    if (!s.gz) throw FileError(path_, "cannot open gzip file");
    gzbuffer(s.gz, static_cast<unsigned>(kChunk));
    return;
  } else {
    s.kind = Kind::plain;
  }
  std::rewind(s.file);
}

TextFileReader::~TextFileReader() = default;

bool TextFileReader::fill() {
  Source& s = *source_;
  const std::size_t old = buffer_.size();
  buffer_.resize(old + kChunk);
  char* out = buffer_.data() + old;
  std::size_t produced = 0;
  switch (s.kind) {
    case Kind::plain: {
      produced = std::fread(out, 1, kChunk, s.file);
      if (produced == 0 && std::ferror(s.file)) {
        buffer_.resize(old);
        throw FileError(path_, "read error");
      }
      break;
    }
    case Kind::gz: {
      const int r = gzread(s.gz, out, static_cast<unsigned>(kChunk));
      if (r < 0) {
        int code = 0;
        const char* msg = gzerror(s.gz, &code);
        buffer_.resize(old);
        throw FileError(path_, std::string("corrupt gzip data: ") + (msg ? msg : "unknown error"));
      }
      produced = static_cast<std::size_t>(r);
      if (produced == 0) {
        // zlib reports a truncated member only as an error state after the last read.
        int code = 0;
        const char* msg = gzerror(s.gz, &code);
        if (code != Z_OK && code != Z_STREAM_END) {
          buffer_.resize(old);
          throw FileError(path_, std::string("corrupt gzip data: ") + (msg ? msg : "unknown error"));
        }
      }
      break;
    }
    case Kind::xz: {
      if (s.stream_end) break;
      s.xz.next_out = reinterpret_cast<std::uint8_t*>(out);
      s.xz.avail_out = kChunk;
      while (s.xz.avail_out == kChunk) {
        if (s.xz.avail_in == 0 && !s.input_eof) {
          s.xz.next_in = s.in.data();
          s.xz.avail_in = std::fread(s.in.data(), 1, s.in.size(), s.file);
          if (s.xz.avail_in < s.in.size()) {
            if (std::ferror(s.file)) {
              buffer_.resize(old);
              throw FileError(path_, "read error");
            }
            s.input_eof = true;
          }
        }
        const lzma_ret r = lzma_code(&s.xz, s.input_eof ? LZMA_FINISH : LZMA_RUN);
        if (r == LZMA_STREAM_END) {
          s.stream_end = true;
          break;
        }
        if (r != LZMA_OK) {
          buffer_.resize(old);
          throw FileError(path_, r == LZMA_BUF_ERROR ? "xz data is truncated"
                                 : r == LZMA_MEM_ERROR ? "out of memory decompressing xz data"
                                                       : "corrupt xz data");
        }
      }
      produced = kChunk - s.xz.avail_out;
      break;
    }
  }
  buffer_.resize(old + produced);
  return produced > 0;
}

bool TextFileReader::next_line(std::string& line) {
  std::size_t search_from = pos_;
  for (;;) {
    const std::size_t nl = buffer_.find('\n', search_from);
    if (nl != std::string::npos) {
      std::size_t end = nl;
      if (end > pos_ && buffer_[end - 1] == '\r') --end;
      line.assign(buffer_, pos_, end - pos_);
      pos_ = nl + 1;
      ++line_;
      return true;
    }
    // Drop consumed bytes, then read more.
    buffer_.erase(0, pos_);
    pos_ = 0;
    search_from = buffer_.size();
    if (eof_ || !fill()) {
      eof_ = true;
      if (buffer_.empty()) return false;
      std::size_t end = buffer_.size();
      if (buffer_[end - 1] == '\r') --end;
      line.assign(buffer_, 0, end);
      buffer_.clear();
      ++line_;
      return true;
    }
  }
}

std::string read_text_file(const std::filesystem::path& path) {
  TextFileReader reader(path);
  std::string text, line;
  while (reader.next_line(line)) {
    text += line;
    text += '\n';
  }
  return text;
}

}  // namespace ldyn
