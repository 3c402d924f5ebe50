// `ldyn train`: train a network on a data set with any optimizer preset; or, with --compare, train
// the same network (same initialization, same minibatches) with several (train_compare.cpp).
#include <cstdio>
#include <memory>

#include "cli_text.hpp"
#include "commands.hpp"
#include "core/csv.hpp"
#include "core/error.hpp"
#include "core/progress.hpp"
#include "nn/network_file.hpp"
#include "train_common.hpp"

namespace ldyn::cli {
namespace {

std::string percent(double accuracy) { return std::isfinite(accuracy) ? format(" (%.2f%%)", 100 * accuracy) : ""; }

void write_epochs_csv(const std::string& path, const std::vector<nn::EpochRow>& rows) {
  CsvTable csv({"epoch", "steps", "train_loss", "validation_loss", "validation_accuracy", "test_loss", "test_accuracy", "seconds"});
  for (const auto& r : rows)
    csv.add_row({CsvTable::integer(r.epoch), CsvTable::integer(r.steps), CsvTable::number(r.train_loss),
                 CsvTable::number(r.validation.loss), CsvTable::number(r.validation.accuracy), CsvTable::number(r.test.loss),
                 CsvTable::number(r.test.accuracy), CsvTable::number(r.seconds)});
  csv.write(path);
}

}  // namespace

int run_train(const OptimizeArgs& a, const NetworkArgs& n) {
  set_threads(n.threads);
  if (n.batch < 1) throw InvalidOption("--batch", "must be >= 1");
  if (n.epochs < 0) throw InvalidOption("--epochs", "must be >= 0");
  // Everything the options describe is built and checked before anything is printed, so that bad
  // input gets its one error line and nothing else.
  const nn::DataSplit data = nn::load_data(data_spec(n, a.seed));
  auto model = build_network(n, data, a.seed);
  const long batches = static_cast<long>((data.train.size() + n.batch - 1) / n.batch);
  const optim::Options options = network_options(a.optimizer, a, std::max(1L, n.epochs) * batches);
  std::printf("data: %s: %ld train, %ld validation, %ld test; %ld features, %s\n", data.train.name.c_str(),
              static_cast<long>(data.train.size()), static_cast<long>(data.validation.size()), static_cast<long>(data.test.size()),
              static_cast<long>(data.train.features()),
              data.train.classification() ? (std::to_string(data.train.classes) + " classes").c_str() : "regression");
  std::printf("network: %s, %zu parameters; optimizer %s (lr %g), batch %ld, %ld epochs\n", model->describe().c_str(),
              model->parameters().size(), a.optimizer.c_str(), options.lr, n.batch, n.epochs);

  nn::TrainSettings settings;
  settings.epochs = n.epochs;
  settings.batch = n.batch;
  settings.seed = a.seed;
  settings.checkpoint = a.checkpoint;
  settings.checkpoint_every = a.checkpoint_every > 0 ? a.checkpoint_every : 1;
  nn::Trainer<float> trainer(*model, options, settings);
  if (!a.resume.empty()) {
    trainer.load_checkpoint(a.resume);
    std::printf("resumed %s at epoch %ld\n", a.resume.c_str(), trainer.epoch());
  }
  const long remaining = std::max(0L, n.epochs - trainer.epoch());
  ProgressBar bar(remaining * batches, "train", !a.quiet);
  const long first = trainer.epoch();
  trainer.settings().on_batch = [&](long b, long, double loss) {
    bar.update((trainer.epoch() - first) * batches + b, "loss " + format("%.4g", loss));
  };
  trainer.settings().on_epoch = [&](const nn::EpochRow& r) {
    bar.update((r.epoch - first) * batches);
    if (!a.quiet && ProgressBar::terminal_available()) std::fprintf(stderr, "\r\033[K");
    std::printf("epoch %3ld/%ld  train loss %.5g  validation %.5g%s  test %.5g%s  %.2f s\n", r.epoch, n.epochs, r.train_loss,
                r.validation.loss, percent(r.validation.accuracy).c_str(), r.test.loss, percent(r.test.accuracy).c_str(),
                r.seconds);
    std::fflush(stdout);
  };
  const auto& rows = trainer.run(data);
  bar.finish();

  if (!a.out.empty()) {
    write_epochs_csv(a.out, rows);
    std::printf("learning curves: %s\n", a.out.c_str());
  }
  if (!a.plot.empty()) plot_learning_curves(a.plot, {{a.optimizer, &rows}}, data.train.classification());
  if (!n.save.empty()) {
    const auto* layered = dynamic_cast<const nn::LayeredNetwork<float>*>(model.get());
    if (!layered) throw InvalidOption("--save", "saving applies to layered networks");
    nn::save_network(*layered, n.save);
    std::printf("network: %s\n", n.save.c_str());
  }
  if (!a.json.empty()) {
    const nn::EpochRow last = rows.empty() ? nn::EpochRow{} : rows.back();
    std::string j = "{\n  \"data\": " + json_string(data.train.name) + ", \"network\": " + json_string(model->describe()) +
                    ", \"parameters\": " + std::to_string(model->parameters().size()) + ",\n  \"optimizer\": " +
                    json_string(a.optimizer) + ", \"lr\": " + json_number(options.lr) + ", \"batch\": " + std::to_string(n.batch) +
                    ", \"epochs\": " + std::to_string(last.epoch) + ", \"seed\": " + std::to_string(a.seed) +
                    ",\n  \"train_loss\": " + json_number(last.train_loss) + ", \"validation_loss\": " +
                    json_number(last.validation.loss) + ", \"validation_accuracy\": " + json_number(last.validation.accuracy) +
                    ", \"test_loss\": " + json_number(last.test.loss) + ", \"test_accuracy\": " + json_number(last.test.accuracy);
    double seconds = 0;
    for (const auto& r : rows) seconds += r.seconds;
    j += ",\n  \"seconds_per_epoch\": " + json_number(rows.empty() ? NAN : seconds / static_cast<double>(rows.size())) + "\n}\n";
    write_text_atomically(a.json, j);
    std::printf("summary: %s\n", a.json.c_str());
  }
  return 0;
}

void register_train(CLI::App& app) {
  auto a = std::make_shared<OptimizeArgs>();
  auto n = std::make_shared<NetworkArgs>();
  n->data = "fashion-mnist";
  auto* sub = app.add_subcommand("train", "train a neural network (Fashion-MNIST, MNIST digits, multiplication task)");
  sub->footer(
      "Examples:\n  ldyn train --data fashion-mnist --layers 784,100,10 --activation relu --optimizer adam --epochs 10 "
      "--out train.csv --plot train.png\n  ldyn train --data multiplication --layers 2,32,1 --activation tanh "
      "--compare adam,adabelief,cgd-diag,cgd-block --epochs 50");
  add_network_options(sub, *n, true);
  add_optimizer_options(sub, *a);
  auto opt = [&](const std::string& names, auto& target, const std::string& help) {
    CLI::Option* o = sub->add_option(names, target, help);
    a->given[o->get_name()] = o;
    return o;
  };
  add_run_outputs(sub, *a,
                  {.out = "CSV, one row per epoch: epoch,steps,train_loss,validation_loss,validation_accuracy,test_loss,"
                          "test_accuracy,seconds",
                   .plot = "PNG of the learning curves (and NAME-accuracy.png for classification)",
                   .json = "JSON summary of the run (compare: of every optimizer)"});
  opt("--checkpoint", a->checkpoint, "write a checkpoint here every --checkpoint-every epochs and at the end");
  opt("--checkpoint-every", a->checkpoint_every, "epochs between checkpoints (default 1)");
  opt("--resume", a->resume, "continue the run saved in this checkpoint, up to --epochs");
  opt("--compare", a->compare, "comma-separated presets: train the same network with each")->delimiter(',');
  sub->add_flag("--lr-grid", a->lr_grid, "compare: tune each optimizer's lr on a log grid (by final validation loss)");
  opt("--lr-min", a->lr_min, "lr grid: smallest rate")->capture_default_str();
  opt("--lr-max", a->lr_max, "lr grid: largest rate")->capture_default_str();
  opt("--lr-per-decade", a->lr_per_decade, "lr grid: points per decade")->capture_default_str();
  add_job(sub, [a, n] { return a->compare.empty() ? run_train(*a, *n) : run_train_compare(*a, *n); });
}

}  // namespace ldyn::cli
