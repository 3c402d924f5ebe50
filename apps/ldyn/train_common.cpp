// The option handling shared by `ldyn train` and the network mode of `ldyn optimize`.
#include "train_common.hpp"

#include <Eigen/Core>
#include <omp.h>

#include "cli_text.hpp"
#include "core/error.hpp"
#include "nn/septuple.hpp"

namespace ldyn::cli {

void add_data_options(CLI::App* sub, NetworkArgs& n) {
  const std::string data_group = "Data";
  sub->add_option("--data", n.data, "data set: " + nn::data_names())->group(data_group);
  sub->add_option("--data-dir", n.data_dir, "folder of the data files (default: where Debian/npm install them)")->group(data_group);
  sub->add_option("--train-samples", n.train_samples, "use only this many training samples (0: all)")->group(data_group);
  sub->add_option("--test-samples", n.test_samples, "use only this many test samples (0: all)")->group(data_group);
  sub->add_option("--validation", n.validation, "fraction of the training part held out for validation")
      ->capture_default_str()->group(data_group);
  sub->add_flag("--no-standardize", n.no_standardize, "keep raw inputs (default: per-feature standardization)")->group(data_group);
}

void add_network_options(CLI::App* sub, NetworkArgs& n, bool standalone) {
  const std::string net_group = "Network", train_group = "Training";
  add_data_options(sub, n);
  sub->add_option("--layers", n.layers, "layer sizes, e.g. 784,100,10 (default: 784,100,10 for images, 2,32,1 for multiplication)")
      ->group(net_group);
  sub->add_option("--activation", n.activation, "hidden activation: " + nn::activation_names())->capture_default_str()->group(net_group);
  sub->add_option("--output-activation", n.output_activation, "output activation")->capture_default_str()->group(net_group);
  sub->add_option("--loss", n.loss, "mse or cross-entropy (default: cross-entropy for classes, mse for regression)")->group(net_group);
  sub->add_option("--init", n.init, "initialization: torch, he, xavier")->capture_default_str()->group(net_group);
  sub->add_option("--network", n.network,
                  "layered (fast path), septuple (the same network as one state vector and block w), or recurrent "
                  "(dense w over all neurons, iterated activation dynamics)")
      ->capture_default_str()->group(net_group);
  sub->add_option("--activation-steps", n.activation_steps, "septuple/recurrent: activation steps T (0: number of layers)")
      ->group(net_group);
  sub->add_option("--bulk-weight", n.bulk_weight, "septuple/recurrent: weight of the bulk loss of the hidden neurons")
      ->group(net_group);
  sub->add_option("--epochs", n.epochs, "training epochs")->capture_default_str()->group(train_group);
  if (standalone) {
    sub->add_option("--batch", n.batch, "minibatch size")->capture_default_str()->group(train_group);
    sub->add_option("--threads", n.threads, "threads for the matrix products (0: OpenMP's default)")
        ->capture_default_str()->group(train_group);
  }
  sub->add_option("--save", n.save, "write the trained network here (text format, docs/nn.md)")->group(train_group);
}

void add_run_outputs(CLI::App* sub, OptimizeArgs& a, const RunOutputHelp& help) {
  auto tracked = [&](const std::string& name, auto& target, const std::string& text) {
    CLI::Option* o = sub->add_option(name, target, text);
    a.given[o->get_name()] = o;
    return o;
  };
  tracked("--seed", a.seed, help.seed)->capture_default_str();
  tracked("--out", a.out, help.out);
  tracked("--plot", a.plot, help.plot);
  tracked("--json", a.json, help.json);
  sub->add_flag("--quiet", a.quiet, "no progress bar");
}

nn::DataSpec data_spec(const NetworkArgs& n, std::uint64_t seed) {
  nn::DataSpec s;
  s.name = n.data.empty() ? "fashion-mnist" : n.data;
  s.dir = n.data_dir;
  if (n.train_samples < 0) throw InvalidOption("--train-samples", "must be >= 0");
  if (n.test_samples < 0) throw InvalidOption("--test-samples", "must be >= 0");
  if (!(n.validation >= 0 && n.validation < 1)) throw InvalidOption("--validation", "must be in [0, 1)");
  s.train_samples = n.train_samples;
  s.test_samples = n.test_samples;
  s.validation_fraction = n.validation;
  s.standardize = !n.no_standardize;
  s.seed = seed;
  return s;
}

std::string layers_or_default(const NetworkArgs& n, const nn::DataSplit& data) {
  if (!n.layers.empty()) return n.layers;
  const std::string hidden = data.train.classification() ? ",100," : ",32,";
  return std::to_string(data.train.features()) + hidden + std::to_string(data.train.outputs());
}

std::unique_ptr<nn::Model<float>> build_network(const NetworkArgs& n, const nn::DataSplit& data, std::uint64_t seed) {
  const bool classes = data.train.classification();
  const std::string layers = layers_or_default(n, data);
  nn::LayeredSpec spec;
  spec.sizes = nn::parse_layer_sizes(layers);
  spec.hidden = nn::activation_from_string(n.activation);
  spec.output = nn::activation_from_string(n.output_activation, "--output-activation");
  spec.loss = n.loss.empty() ? (classes ? nn::OutputLoss::cross_entropy : nn::OutputLoss::mse) : nn::output_loss_from_string(n.loss);
  if (spec.sizes.front() != data.train.features())
    throw InvalidOption("--layers", "'" + layers + "' starts with " + std::to_string(spec.sizes.front()) + " inputs, but " +
                                        data.train.name + " has " + std::to_string(data.train.features()) + " features");
  if (spec.sizes.back() != data.train.outputs())
    throw InvalidOption("--layers", "'" + layers + "' ends with " + std::to_string(spec.sizes.back()) + " outputs, but " +
                                        data.train.name + " has " + std::to_string(data.train.outputs()) + " targets per sample");
  if (n.activation_steps < 0) throw InvalidOption("--activation-steps", "must be >= 0");
  if (n.network != "layered" && n.network != "septuple" && n.network != "recurrent")
    throw InvalidOption("--network", "unknown network '" + n.network + "' (one of: layered, septuple, recurrent)");
  if (n.network == "layered" && (n.bulk_weight != 0 || n.activation_steps != 0))
    throw InvalidOption(n.bulk_weight != 0 ? "--bulk-weight" : "--activation-steps",
                        "applies to --network septuple or recurrent (a layered network's hidden states are a fixed point)");
  nn::LayeredNetwork<float> layered(spec);
  layered.initialize(nn::init_from_string(n.init), seed);
  if (n.network == "layered") return std::make_unique<nn::LayeredNetwork<float>>(std::move(layered));
  if (n.network == "septuple") {
    auto sep = layered.as_septuple();
    auto s = sep.spec();
    if (n.activation_steps > 0) s.steps = n.activation_steps;
    s.bulk_weight = n.bulk_weight;
    nn::Septuple<float> out(s);
    out.set_w(sep.w());
    out.set_b(sep.b());
    return std::make_unique<nn::Septuple<float>>(std::move(out));
  }
  // recurrent: the hidden sizes of --layers summed into one recurrent pool.
  Eigen::Index hidden = 0;
  for (std::size_t i = 1; i + 1 < spec.sizes.size(); ++i) hidden += spec.sizes[i];
  auto rec = nn::Septuple<float>::recurrent(spec.sizes.front(), hidden, spec.sizes.back(), spec.hidden, spec.output, spec.loss,
                                            n.activation_steps > 0 ? n.activation_steps : static_cast<int>(spec.sizes.size()) - 1,
                                            1.0, seed);
  auto s = rec.spec();
  s.bulk_weight = n.bulk_weight;
  nn::Septuple<float> out(s);
  out.set_w(rec.w());
  return std::make_unique<nn::Septuple<float>>(std::move(out));
}

optim::Options network_options(const std::string& preset, const OptimizeArgs& a, long total_steps) {
  OptimizeArgs copy = a;
  copy.steps = total_steps;  // a schedule (cosine, step) spans the whole training run
  return build_options(preset, copy);
}

void set_threads(int threads) {
  if (threads < 0) throw InvalidOption("--threads", "must be >= 0");
  if (threads > 0) omp_set_num_threads(threads);
  Eigen::setNbThreads(threads > 0 ? threads : omp_get_max_threads());
}

void plot_learning_curves(const std::string& png, const std::vector<std::pair<std::string, const std::vector<nn::EpochRow>*>>& runs,
                          bool classification) {
  LinePlot loss;
  loss.title = "learning curves";
  loss.xlabel = "epoch";
  loss.ylabel = "loss";
  loss.log_y = true;
  LinePlot acc;
  acc.title = "test accuracy";
  acc.xlabel = "epoch";
  acc.ylabel = "accuracy";
  const bool one = runs.size() == 1;
  for (const auto& [name, rows] : runs) {
    PlotSeries train{one ? "train" : name + " train", {}, {}}, test{one ? "test" : name + " test", {}, {}},
        accuracy{one ? "test" : name, {}, {}};
    for (const auto& r : *rows) {
      const auto e = static_cast<double>(r.epoch);
      train.x.push_back(e);
      train.y.push_back(r.train_loss);
      if (std::isfinite(r.test.loss)) {
        test.x.push_back(e);
        test.y.push_back(r.test.loss);
      }
      if (std::isfinite(r.test.accuracy)) {
        accuracy.x.push_back(e);
        accuracy.y.push_back(r.test.accuracy);
      }
    }
    loss.series.push_back(std::move(train));
    if (!test.x.empty()) loss.series.push_back(std::move(test));
    if (!accuracy.x.empty()) acc.series.push_back(std::move(accuracy));
  }
  save_plot(loss, png);
  if (classification && !acc.series.empty()) {
    std::filesystem::path p(png);
    save_plot(acc, p.parent_path() / (p.stem().string() + "-accuracy" + p.extension().string()));
  }
}

}  // namespace ldyn::cli
