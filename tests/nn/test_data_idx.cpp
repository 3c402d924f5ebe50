// nn/data/idx: the IDX reader, image/label pairs, Fashion-MNIST's file layout, and every way a
// file can be wrong (each a one-line FileError naming the file).
#include <array>
#include <chrono>

#include "nn/data/idx.hpp"
#include "test_data_fixtures.hpp"

namespace {

using namespace ldyn::nn;
using namespace ldyn::nn::test;

// n images of rows x cols whose pixels encode (image, pixel), and their labels i % classes.
Bytes image_data(std::uint32_t n, std::uint32_t rows, std::uint32_t cols) {
  Bytes b;
  for (std::uint32_t i = 0; i < n; ++i)
    for (std::uint32_t p = 0; p < rows * cols; ++p) b.push_back(static_cast<unsigned char>((i * 31 + p * 7) % 256));
  return b;
}
Bytes label_data(std::uint32_t n, int classes) {
  Bytes b;
  for (std::uint32_t i = 0; i < n; ++i) b.push_back(static_cast<unsigned char>(i % static_cast<std::uint32_t>(classes)));
  return b;
}

TEST(DataIdx, ReadsPlainAndGzip) {
  const fs::path d = fresh_dir("idx_read");
  const Bytes data = image_data(5, 3, 4);
  write_plain(d / "a.idx", idx_bytes({5, 3, 4}, data));
  write_gz(d / "a.idx.gz", idx_bytes({5, 3, 4}, data));
  for (const char* name : {"a.idx", "a.idx.gz"}) {
    const IdxArray a = read_idx(d / name);
    EXPECT_EQ(a.dims, (std::vector<std::uint32_t>{5, 3, 4})) << name;
    EXPECT_EQ(a.data, data) << name;
  }
  // Zero images is a valid (empty) array.
  write_plain(d / "empty.idx", idx_bytes({0, 28, 28}, {}));
  EXPECT_TRUE(read_idx(d / "empty.idx").data.empty());
}

TEST(DataIdx, LoadsImagesAndLabelsAsClassification) {
  const fs::path d = fresh_dir("idx_pair");
  const Bytes img = image_data(7, 2, 3);
  write_gz(d / "img.gz", idx_bytes({7, 2, 3}, img));
  write_plain(d / "lab", idx_bytes({7}, label_data(7, 4)));
  const Dataset ds = load_idx_pair(d / "img.gz", d / "lab", "toy", 4);
  EXPECT_EQ(ds.name, "toy");
  EXPECT_EQ(ds.size(), 7);
  EXPECT_EQ(ds.features(), 6);
  EXPECT_EQ(ds.outputs(), 4);
  EXPECT_EQ(ds.classes, 4);
  EXPECT_TRUE(ds.classification());
  for (Eigen::Index i = 0; i < 7; ++i) {
    EXPECT_EQ(ds.labels[static_cast<std::size_t>(i)], i % 4);
    for (Eigen::Index c = 0; c < 4; ++c) EXPECT_EQ(ds.targets(c, i), c == i % 4 ? 1.0f : 0.0f);
    // Row-major pixels of image i are the rows of column i.
    for (Eigen::Index p = 0; p < 6; ++p)
      EXPECT_EQ(ds.inputs(p, i), static_cast<float>(img[static_cast<std::size_t>(i * 6 + p)]) / 255.0f);
  }
  EXPECT_EQ(ds.inputs.minCoeff(), 0.0f);
  EXPECT_LE(ds.inputs.maxCoeff(), 1.0f);
}

TEST(DataIdx, MissingFileIsFileError) {
  const fs::path d = fresh_dir("idx_missing");
  expect_file_error([&] { read_idx(d / "train-images-idx3-ubyte"); }, d / "train-images-idx3-ubyte",
                    "cannot open file");
  write_plain(d / "lab", idx_bytes({1}, {0}));
  expect_file_error([&] { load_idx_pair(d / "img", d / "lab", "x"); }, d / "img", "cannot open file");
}

TEST(DataIdx, TruncatedDataIsFileErrorPlainAndGzip) {
  const fs::path d = fresh_dir("idx_truncated");
  const Bytes whole = idx_bytes({10, 28, 28}, image_data(10, 28, 28));
  // The header still says 10 images. (A copy of the first part rather than resize(): GCC 12 at -O1
  // with the sanitizers warns falsely of an overflow in the shrinking resize.)
  const Bytes b(whole.begin(), whole.end() - 100);
  write_plain(d / "cut", b);
  write_gz(d / "cut.gz", b);
  expect_file_error([&] { read_idx(d / "cut"); }, d / "cut", "truncated IDX data: the header says 10 x 28 x 28");
  expect_file_error([&] { read_idx(d / "cut.gz"); }, d / "cut.gz", "truncated IDX data");
  // A header whose dimensions overflow 64 bits is reported the same way.
  write_plain(d / "huge", idx_bytes({0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF}, {1, 2, 3}));
  expect_file_error([&] { read_idx(d / "huge"); }, d / "huge", "more than 2^64");
  // So is a file cut inside the header.
  write_plain(d / "header", Bytes{0, 0, 8, 3, 0, 0, 0, 10});
  expect_file_error([&] { read_idx(d / "header"); }, d / "header", "truncated IDX header");
  write_plain(d / "short", Bytes{0, 0});
  expect_file_error([&] { read_idx(d / "short"); }, d / "short", "shorter than the 4-byte magic");
}

TEST(DataIdx, TrailingBytesAreFileError) {
  const fs::path d = fresh_dir("idx_trailing");
  Bytes b = idx_bytes({2, 2}, {1, 2, 3, 4});
  b.push_back(9);
  write_plain(d / "long", b);
  expect_file_error([&] { read_idx(d / "long"); }, d / "long", "1 bytes after the IDX data");
}

TEST(DataIdx, WrongMagicIsFileError) {
  const fs::path d = fresh_dir("idx_magic");
  Bytes b = idx_bytes({2}, {1, 2});
  b[1] = 0x08;
  write_plain(d / "bad", b);
  expect_file_error([&] { read_idx(d / "bad"); }, d / "bad", "not an IDX file: the magic number starts with 0x00 0x08");
  write_gz(d / "text.gz", to_bytes("hello, this is not an IDX file\n"));
  expect_file_error([&] { read_idx(d / "text.gz"); }, d / "text.gz", "not an IDX file");
}

TEST(DataIdx, UnsupportedElementTypeIsFileError) {
  const fs::path d = fresh_dir("idx_type");
  write_plain(d / "floats", idx_bytes({1}, {0, 0, 0, 0}, 0x0D));
  expect_file_error([&] { read_idx(d / "floats"); }, d / "floats", "unsupported IDX element type 0x0D");
}

TEST(DataIdx, WrongDimensionsAreFileError) {
  const fs::path d = fresh_dir("idx_dims");
  write_plain(d / "img", idx_bytes({4, 2}, Bytes(8, 0)));
  write_plain(d / "lab", idx_bytes({4}, label_data(4, 10)));
  expect_file_error([&] { load_idx_pair(d / "img", d / "lab", "x"); }, d / "img", "expected 3 dimensions");
  write_plain(d / "img3", idx_bytes({4, 1, 2}, Bytes(8, 0)));
  write_plain(d / "lab2", idx_bytes({4, 1}, label_data(4, 10)));
  expect_file_error([&] { load_idx_pair(d / "img3", d / "lab2", "x"); }, d / "lab2", "expected 1 dimension");
}

TEST(DataIdx, LabelCountMismatchIsFileError) {
  const fs::path d = fresh_dir("idx_count");
  write_gz(d / "img.gz", idx_bytes({5, 2, 2}, image_data(5, 2, 2)));
  write_gz(d / "lab.gz", idx_bytes({4}, label_data(4, 10)));
  expect_file_error([&] { load_idx_pair(d / "img.gz", d / "lab.gz", "x"); }, d / "lab.gz",
                    "has 4 labels but " + (d / "img.gz").string() + " has 5 images");
}

TEST(DataIdx, LabelOutOfRangeIsFileError) {
  const fs::path d = fresh_dir("idx_label");
  write_plain(d / "img", idx_bytes({3, 2, 2}, image_data(3, 2, 2)));
  write_plain(d / "lab", idx_bytes({3}, {0, 10, 1}));
  expect_file_error([&] { load_idx_pair(d / "img", d / "lab", "x"); }, d / "lab",
                    "label 10 of sample 1 is not below the number of classes (10)");
  // The same labels are fine with more classes.
  EXPECT_EQ(load_idx_pair(d / "img", d / "lab", "x", 11).outputs(), 11);
}

TEST(DataIdx, FashionMnistLayoutPlainOrGzip) {
  const fs::path d = fresh_dir("idx_fashion");
  write_gz(d / "train-images-idx3-ubyte.gz", idx_bytes({12, 28, 28}, image_data(12, 28, 28)));
  write_gz(d / "train-labels-idx1-ubyte.gz", idx_bytes({12}, label_data(12, 10)));
  write_plain(d / "t10k-images-idx3-ubyte", idx_bytes({3, 28, 28}, image_data(3, 28, 28)));
  write_plain(d / "t10k-labels-idx1-ubyte", idx_bytes({3}, label_data(3, 10)));
  const Dataset train = load_fashion_mnist(d, "train");
  const Dataset test = load_fashion_mnist(d, "test");
  EXPECT_EQ(train.name, "fashion-mnist (train)");
  EXPECT_EQ(test.name, "fashion-mnist (test)");
  EXPECT_EQ(train.size(), 12);
  EXPECT_EQ(test.size(), 3);
  EXPECT_EQ(train.features(), 784);
  EXPECT_EQ(test.classes, 10);
  expect_invalid_option([&] { load_fashion_mnist(d, "validation"); }, "--data", "'train' and 'test'");
  const fs::path empty = fresh_dir("idx_fashion_empty");
  expect_file_error([&] { load_fashion_mnist(empty, "train"); }, empty / "train-images-idx3-ubyte.gz",
                    "install Debian's dataset-fashion-mnist");
}

// The real data set, when Debian's dataset-fashion-mnist is installed.
TEST(DataIdx, RealFashionMnistWhenInstalled) {
  const fs::path dir = kFashionMnistDir;
  if (!fs::exists(dir / "train-images-idx3-ubyte.gz") && !fs::exists(dir / "train-images-idx3-ubyte"))
    GTEST_SKIP() << dir << " is absent (Debian package dataset-fashion-mnist)";
  const auto start = std::chrono::steady_clock::now();
  const Dataset train = load_fashion_mnist(dir, "train");
  const Dataset test = load_fashion_mnist(dir, "test");
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  RecordProperty("load_seconds", std::to_string(seconds));
  ASSERT_EQ(train.size(), 60000);
  ASSERT_EQ(test.size(), 10000);
  EXPECT_EQ(train.features(), 784);
  EXPECT_EQ(test.features(), 784);
  EXPECT_GE(train.inputs.minCoeff(), 0.0f);
  EXPECT_LE(train.inputs.maxCoeff(), 1.0f);
  EXPECT_EQ(train.inputs.maxCoeff(), 1.0f);
  for (const auto& [ds, per_class] : {std::pair{&train, 6000}, std::pair{&test, 1000}}) {
    std::array<int, 10> counts{};
    for (int y : ds->labels) {
      ASSERT_GE(y, 0);
      ASSERT_LT(y, 10);
      ++counts[static_cast<std::size_t>(y)];
    }
    for (int c : counts) EXPECT_EQ(c, per_class) << ds->name;
    EXPECT_EQ(ds->targets.colwise().sum().minCoeff(), 1.0f);
  }
}

}  // namespace
