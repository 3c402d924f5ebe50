// core/binary_file: whole-file reads of plain, gzip and xz data, and every failure as a FileError
// naming the file. (Tested here because the nn data loaders are its users.)
#include <random>

#include "core/binary_file.hpp"
#include "test_data_fixtures.hpp"

namespace {

using namespace ldyn::nn::test;
using ldyn::read_binary_file;

// 2.5 MB of compressible but irregular bytes: crosses the reader's 1 MB chunks.
Bytes sample_bytes(std::size_t n = 2'500'000) {
  std::mt19937 rng(7);
  Bytes b(n);
  for (std::size_t i = 0; i < n; ++i) b[i] = static_cast<unsigned char>(rng() % 16 + (i / 1000) % 7);
  return b;
}

TEST(DataBinaryFile, PlainGzipAndXzGiveTheSameBytes) {
  const fs::path d = fresh_dir("binary_formats");
  const Bytes b = sample_bytes();
  write_plain(d / "a.bin", b);
  write_gz(d / "a.bin.gz", b);
  write_plain(d / "a.bin.xz", compress_xz(b));
  EXPECT_EQ(read_binary_file(d / "a.bin"), b);
  EXPECT_EQ(read_binary_file(d / "a.bin.gz"), b);
  EXPECT_EQ(read_binary_file(d / "a.bin.xz"), b);
  // The format comes from the magic bytes, not the name.
  write_gz(d / "named_plain", b);
  EXPECT_EQ(read_binary_file(d / "named_plain"), b);
}

TEST(DataBinaryFile, EmptyShortAndConcatenatedFiles) {
  const fs::path d = fresh_dir("binary_short");
  write_plain(d / "empty", {});
  EXPECT_TRUE(read_binary_file(d / "empty").empty());
  write_plain(d / "one", {0x1F});  // the first gzip magic byte alone is plain data
  EXPECT_EQ(read_binary_file(d / "one"), Bytes{0x1F});
  write_gz(d / "empty.gz", {});
  EXPECT_TRUE(read_binary_file(d / "empty.gz").empty());
  // Two gzip members in one file (as `cat a.gz b.gz` makes) read as their concatenation.
  write_gz(d / "a.gz", to_bytes("hello "));
  write_gz(d / "b.gz", to_bytes("world"));
  Bytes both = read_plain(d / "a.gz");
  const Bytes second = read_plain(d / "b.gz");
  both.insert(both.end(), second.begin(), second.end());
  write_plain(d / "ab.gz", both);
  EXPECT_EQ(read_binary_file(d / "ab.gz"), to_bytes("hello world"));
}

TEST(DataBinaryFile, MissingFileAndFolderAreFileErrors) {
  const fs::path d = fresh_dir("binary_missing");
  expect_file_error([&] { read_binary_file(d / "nope.gz"); }, d / "nope.gz", "cannot open file");
  expect_file_error([&] { read_binary_file(d); }, d, "read error");
}

TEST(DataBinaryFile, TruncatedAndCorruptGzipAreFileErrors) {
  const fs::path d = fresh_dir("binary_gz_bad");
  write_gz(d / "full.gz", sample_bytes());
  const Bytes full = read_plain(d / "full.gz");
  write_plain(d / "cut.gz", Bytes(full.begin(), full.begin() + static_cast<std::ptrdiff_t>(full.size() / 2)));
  expect_file_error([&] { read_binary_file(d / "cut.gz"); }, d / "cut.gz", "truncated");
  Bytes bad = full;
  for (std::size_t i = full.size() / 3; i < full.size() / 3 + 64; ++i) bad[i] ^= 0x5A;
  write_plain(d / "bad.gz", bad);
  expect_file_error([&] { read_binary_file(d / "bad.gz"); }, d / "bad.gz", "gzip");
}

TEST(DataBinaryFile, TruncatedAndCorruptXzAreFileErrors) {
  const fs::path d = fresh_dir("binary_xz_bad");
  const Bytes full = compress_xz(sample_bytes());
  write_plain(d / "cut.xz", Bytes(full.begin(), full.begin() + static_cast<std::ptrdiff_t>(full.size() / 2)));
  expect_file_error([&] { read_binary_file(d / "cut.xz"); }, d / "cut.xz", "xz data is truncated");
  Bytes bad = full;
  for (std::size_t i = full.size() / 3; i < full.size() / 3 + 64; ++i) bad[i] ^= 0x5A;
  write_plain(d / "bad.xz", bad);
  expect_file_error([&] { read_binary_file(d / "bad.xz"); }, d / "bad.xz", "xz");
}

}  // namespace
