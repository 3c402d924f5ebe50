#pragma once
// What `ldyn train` (train_command.cpp), its compare mode (train_compare.cpp) and `ldyn optimize
// --data ...` share: the network and data options and the steps from them to library objects.
#include <memory>
#include <string>

#include <CLI/CLI.hpp>

#include "nn/data/load_data.hpp"
#include "nn/layered_network.hpp"
#include "nn/model.hpp"
#include "nn/train/trainer.hpp"
#include "optimize_common.hpp"

namespace ldyn::cli {

struct NetworkArgs {
  // Data.
  std::string data;  // empty: not a network job (ldyn optimize)
  std::string data_dir;
  long train_samples = 0, test_samples = 0;
  double validation = 0.1;
  bool no_standardize = false;
  // Network.
  std::string layers;  // empty: 784,100,10 for images, 2,32,1 for multiplication
  std::string activation = "relu";
  std::string output_activation = "linear";
  std::string loss;  // empty: cross-entropy for classification, mse for regression
  std::string init = "torch";
  std::string network = "layered";  // layered | septuple | recurrent
  int activation_steps = 0;         // septuple/recurrent: T (0: number of layers)
  double bulk_weight = 0;
  // Training.
  long epochs = 10;
  long batch = 128;
  int threads = 0;  // 0: OpenMP's default
  std::string save;
  bool skip_test = false;
};

/// Registers the data options (--data, --data-dir, --train-samples, --test-samples, --validation,
/// --no-standardize), also used by commands with their own network options (ldyn criticality).
void add_data_options(CLI::App* sub, NetworkArgs& n);
/// The descriptions of the options every network job has: --seed, --out, --plot, --json.
struct RunOutputHelp {
  std::string seed = "seed of the split, the initialization and the minibatch order";
  std::string out, plot, json;
};
/// Registers --seed, --out, --plot, --json (tracked in a.given, so a.has() sees them) and --quiet.
void add_run_outputs(CLI::App* sub, OptimizeArgs& a, const RunOutputHelp& help);

/// Registers the data, network and training options; `standalone` false when the command already
/// has its own --batch and --threads (ldyn optimize, where --threads is the lr grid's).
void add_network_options(CLI::App* sub, NetworkArgs& n, bool standalone);
nn::DataSpec data_spec(const NetworkArgs& n, std::uint64_t seed);
/// --layers, or its default for the data: features,100,classes for classification, features,32,outputs
/// for regression.
std::string layers_or_default(const NetworkArgs& n, const nn::DataSplit& data);
/// The network the options describe, initialized from `seed`.
std::unique_ptr<nn::Model<float>> build_network(const NetworkArgs& n, const nn::DataSplit& data, std::uint64_t seed);
/// The optimizer options of `preset` with overrides, the schedule spanning the whole run.
optim::Options network_options(const std::string& preset, const OptimizeArgs& a, long total_steps);
/// Sets Eigen's and OpenMP's thread counts (0: leave OpenMP's default).
void set_threads(int threads);
/// Learning curves (losses against epoch) as a PNG; accuracy curves in a second PNG beside it.
void plot_learning_curves(const std::string& png, const std::vector<std::pair<std::string, const std::vector<nn::EpochRow>*>>& runs,
                          bool classification);

int run_train(const OptimizeArgs& a, const NetworkArgs& n);
int run_train_compare(const OptimizeArgs& a, const NetworkArgs& n);

}  // namespace ldyn::cli
