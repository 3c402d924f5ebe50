#include "core/binary_file.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>

#include <lzma.h>
#include <zlib.h>

#include "core/error.hpp"

namespace ldyn {

namespace {

constexpr std::size_t kChunk = std::size_t{1} << 20;

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};
using File = std::unique_ptr<std::FILE, FileCloser>;

struct XzDecoder {
  lzma_stream s = LZMA_STREAM_INIT;
  ~XzDecoder() { lzma_end(&s); }
};

[[noreturn]] void read_error(const std::string& path, int err) {
  throw FileError(path, std::string("read error: ") + std::strerror(err));
}

// Appends the rest of `f` to `out`.
void read_plain(std::FILE* f, const std::string& path, std::vector<unsigned char>& out) {
  for (;;) {
    const std::size_t old = out.size();
    out.resize(old + kChunk);
    errno = 0;
    const std::size_t n = std::fread(out.data() + old, 1, kChunk, f);
    out.resize(old + n);
    if (n < kChunk) {
      if (std::ferror(f)) read_error(path, errno);  // e.g. EISDIR when the path is a folder
      return;
    }
  }
}

std::vector<unsigned char> read_gzip(const std::string& path, std::size_t expected_size) {
  // gzread decompresses concatenated members too. It reports a truncated stream only as an error
  // state (Z_BUF_ERROR, "unexpected end of file"), so the state is checked after the last read.
  struct GzCloser {
    void operator()(gzFile_s* g) const { gzclose(g); }
  };
  std::unique_ptr<gzFile_s, GzCloser> gz(gzopen(path.c_str(), "rb"));
  if (!gz) throw FileError(path, "cannot open gzip file");
  gzbuffer(gz.get(), static_cast<unsigned>(kChunk));
  std::vector<unsigned char> out;
  // + kChunk: room for the last read, which returns 0, so the buffer is never reallocated.
  out.reserve(expected_size + kChunk);
  const auto fail = [&]() {
    int code = 0;
    const char* msg = gzerror(gz.get(), &code);
    throw FileError(path, std::string(code == Z_BUF_ERROR ? "gzip data is truncated: "
                                                          : "corrupt gzip data: ") +
                              (msg && *msg ? msg : "unknown error"));
  };
  for (;;) {
    const std::size_t old = out.size();
    out.resize(old + kChunk);
    const int r = gzread(gz.get(), out.data() + old, static_cast<unsigned>(kChunk));
    if (r < 0) fail();
    out.resize(old + static_cast<std::size_t>(r));
    if (r == 0) break;
  }
  int code = 0;
  gzerror(gz.get(), &code);
  if (code != Z_OK && code != Z_STREAM_END) fail();
  return out;
}

void read_xz(std::FILE* f, const std::string& path, std::vector<unsigned char>& out) {
  XzDecoder dec;
  if (lzma_stream_decoder(&dec.s, UINT64_MAX, LZMA_CONCATENATED) != LZMA_OK)
    throw FileError(path, "cannot start the xz decoder");
  std::vector<unsigned char> in(kChunk);
  bool input_eof = false;
  for (;;) {
    if (dec.s.avail_in == 0 && !input_eof) {
      errno = 0;
      dec.s.next_in = in.data();
      dec.s.avail_in = std::fread(in.data(), 1, in.size(), f);
      if (dec.s.avail_in < in.size()) {
        if (std::ferror(f)) read_error(path, errno);
        input_eof = true;
      }
    }
    const std::size_t old = out.size();
    out.resize(old + kChunk);
    dec.s.next_out = out.data() + old;
    dec.s.avail_out = kChunk;
    const lzma_ret r = lzma_code(&dec.s, input_eof ? LZMA_FINISH : LZMA_RUN);
    out.resize(old + (kChunk - dec.s.avail_out));
    if (r == LZMA_STREAM_END) return;
    if (r != LZMA_OK)
      throw FileError(path, r == LZMA_BUF_ERROR   ? "xz data is truncated"
                            : r == LZMA_MEM_ERROR ? "out of memory decompressing xz data"
                                                  : "corrupt xz data");
  }
}

}  // namespace

std::vector<unsigned char> read_binary_file(const std::filesystem::path& path) {
  const std::string name = path.string();
  errno = 0;
  File f(std::fopen(name.c_str(), "rb"));
  if (!f) throw FileError(name, std::string("cannot open file: ") + std::strerror(errno));
  // The whole content goes into memory: reserve it at once for plain files.
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  const std::size_t hint = ec ? 0 : static_cast<std::size_t>(size);

  unsigned char magic[6] = {};
  errno = 0;
  const std::size_t n = std::fread(magic, 1, sizeof magic, f.get());
  if (n < sizeof magic && std::ferror(f.get())) read_error(name, errno);
  static constexpr unsigned char xz_magic[6] = {0xFD, '7', 'z', 'X', 'Z', 0x00};
  std::vector<unsigned char> out;
  if (n == 6 && std::memcmp(magic, xz_magic, 6) == 0) {
    std::rewind(f.get());
    out.reserve(hint * 4);
    read_xz(f.get(), name, out);
  } else if (n >= 2 && magic[0] == 0x1F && magic[1] == 0x8B) {
    // A gzip member ends with its uncompressed size mod 2^32 (little-endian): an exact hint for one
    // member, capped by deflate's largest ratio (about 1032:1) so a corrupt trailer cannot make us
    // reserve gigabytes.
    std::size_t expected = 0;
    unsigned char t[4] = {};
    if (hint >= 18 && std::fseek(f.get(), -4, SEEK_END) == 0 && std::fread(t, 1, 4, f.get()) == 4)
      expected = std::size_t{t[0]} | std::size_t{t[1]} << 8 | std::size_t{t[2]} << 16 |
                 std::size_t{t[3]} << 24;
    f.reset();
    out = read_gzip(name, std::min(expected, hint * 1032));
  } else {
    out.reserve(hint + kChunk);  // room for the last read, which returns 0
    out.assign(magic, magic + n);
    read_plain(f.get(), name, out);
  }
  return out;
}

}  // namespace ldyn
