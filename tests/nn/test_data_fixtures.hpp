#pragma once
// Small data files written by the tests themselves (plain, gzip, xz), and the check that an error
// is a one-line FileError naming the right file. No test here depends on installed data sets.
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <lzma.h>
#include <unistd.h>
#include <zlib.h>

#include "core/error.hpp"

namespace ldyn::nn::test {

namespace fs = std::filesystem;
using Bytes = std::vector<unsigned char>;

/// A fresh, empty folder for one test.
inline fs::path fresh_dir(const std::string& name) {
  const fs::path d = fs::path(::testing::TempDir()) / ("ldyn_nn_data_" + name + "_" + std::to_string(::getpid()));
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

inline void write_plain(const fs::path& p, const Bytes& b) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(b.data()), static_cast<std::streamsize>(b.size()));
  ASSERT_TRUE(out.good()) << p;
}

inline void write_gz(const fs::path& p, const Bytes& b) {
  gzFile g = gzopen(p.string().c_str(), "wb");
  ASSERT_NE(g, nullptr) << p;
  if (!b.empty()) {
    ASSERT_EQ(gzwrite(g, b.data(), static_cast<unsigned>(b.size())), static_cast<int>(b.size()));
  }
  ASSERT_EQ(gzclose(g), Z_OK);
}

inline Bytes compress_xz(const Bytes& b) {
  Bytes out(lzma_stream_buffer_bound(b.size()));
  std::size_t pos = 0;
  EXPECT_EQ(lzma_easy_buffer_encode(1, LZMA_CHECK_CRC64, nullptr, b.data(), b.size(), out.data(), &pos, out.size()),
            LZMA_OK);
  out.resize(pos);
  return out;
}

inline Bytes read_plain(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return Bytes(std::istreambuf_iterator<char>(in), {});
}

inline Bytes to_bytes(const std::string& s) { return Bytes(s.begin(), s.end()); }

/// An IDX file's bytes: magic 0 0 type ndims, big-endian dims, data.
inline Bytes idx_bytes(const std::vector<std::uint32_t>& dims, const Bytes& data, unsigned char type = 0x08) {
  Bytes b = {0, 0, type, static_cast<unsigned char>(dims.size())};
  for (std::uint32_t d : dims)
    for (int shift = 24; shift >= 0; shift -= 8) b.push_back(static_cast<unsigned char>(d >> shift));
  b.insert(b.end(), data.begin(), data.end());
  return b;
}

/// Expects `f` to throw a one-line FileError naming `path` whose message contains `contains`.
inline void expect_file_error(const std::function<void()>& f, const fs::path& path, const std::string& contains = "") {
  try {
    f();
    ADD_FAILURE() << "no FileError for " << path;
  } catch (const FileError& e) {
    const std::string msg = e.what();
    EXPECT_EQ(e.path(), path.string()) << msg;
    EXPECT_EQ(msg.rfind(path.string() + ":", 0), 0u) << msg;
    EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
    EXPECT_NE(msg.find(contains), std::string::npos) << msg << "\nexpected to contain: " << contains;
  }
}

/// Expects `f` to throw a one-line InvalidOption for `option` whose message contains `contains`.
inline void expect_invalid_option(const std::function<void()>& f, const std::string& option,
                                  const std::string& contains = "") {
  try {
    f();
    ADD_FAILURE() << "no InvalidOption for " << option;
  } catch (const InvalidOption& e) {
    const std::string msg = e.what();
    EXPECT_EQ(e.option(), option) << msg;
    EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
    EXPECT_NE(msg.find(contains), std::string::npos) << msg << "\nexpected to contain: " << contains;
  }
}

}  // namespace ldyn::nn::test
