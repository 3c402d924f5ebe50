// `ldyn train --compare` (also `ldyn optimize --compare ... --data ...`): the same network, the same
// initialization and the same minibatch order, trained with each optimizer; optionally each at its
// best learning rate on a log grid, judged by the final validation loss.
#include <cmath>
#include <cstdio>
#include <limits>

#include "cli_text.hpp"
#include "core/atomic_file.hpp"
#include "core/csv.hpp"
#include "core/error.hpp"
#include "core/progress.hpp"
#include "optim/experiment.hpp"
#include "train_common.hpp"

namespace ldyn::cli {
namespace {

struct NetworkRun {
  std::string optimizer;
  double lr = 0;
  std::vector<nn::EpochRow> rows;
  bool diverged = false;
  std::string why;
  double final_validation() const {
    return diverged || rows.empty() ? std::numeric_limits<double>::infinity() : rows.back().validation.loss;
  }
};

NetworkRun train_once(const std::string& preset, double lr, bool set_lr, const OptimizeArgs& a, const NetworkArgs& n,
                      const nn::DataSplit& data, ProgressBar& bar, long& done, long batches) {
  NetworkRun run;
  run.optimizer = preset;
  auto model = build_network(n, data, a.seed);  // the same initial network for every optimizer
  optim::Options options = network_options(preset, a, n.epochs * batches);
  if (set_lr) options.lr = lr;
  run.lr = options.lr;
  nn::TrainSettings settings;
  settings.epochs = n.epochs;
  settings.batch = n.batch;
  settings.seed = a.seed;
  settings.on_batch = [&](long, long, double loss) { bar.update(++done, preset + " loss " + format("%.3g", loss)); };
  nn::Trainer<float> trainer(*model, options, settings);
  try {
    run.rows = trainer.run(data);
  } catch (const NonFiniteError& e) {
    run.diverged = true;
    run.why = e.what();
    run.rows = trainer.history();
    done += (n.epochs - trainer.epoch()) * batches;
  }
  return run;
}

}  // namespace

int run_train_compare(const OptimizeArgs& a, const NetworkArgs& n) {
  if (!a.checkpoint.empty() || !a.resume.empty())
    throw InvalidOption(a.resume.empty() ? "--checkpoint" : "--resume", "applies to single runs, not to --compare");
  set_threads(n.threads);
  const nn::DataSplit data = nn::load_data(data_spec(n, a.seed));
  if (n.batch < 1) throw InvalidOption("--batch", "must be >= 1");
  const long batches = static_cast<long>((data.train.size() + n.batch - 1) / n.batch);
  for (const auto& name : a.compare) network_options(name, a, 1);  // validate every preset first
  {
    auto probe = build_network(n, data, a.seed);  // validates --layers against the data before any training
    std::printf("data: %s (%ld train); network %s, %zu parameters; %ld epochs of %ld batches\n", data.train.name.c_str(),
                static_cast<long>(data.train.size()), probe->describe().c_str(), probe->parameters().size(), n.epochs, batches);
  }
  const std::vector<double> grid = a.lr_grid ? optim::log_grid(a.lr_min, a.lr_max, a.lr_per_decade) : std::vector<double>{};
  const long runs = static_cast<long>(a.compare.size() * (a.lr_grid ? grid.size() : 1));
  ProgressBar bar(runs * n.epochs * batches, "compare", !a.quiet);
  long done = 0;
  std::vector<NetworkRun> best;
  for (const auto& name : a.compare) {
    if (!a.lr_grid) {
      best.push_back(train_once(name, 0, false, a, n, data, bar, done, batches));
      continue;
    }
    NetworkRun winner;
    bool any = false;
    for (double lr : grid) {
      NetworkRun r = train_once(name, lr, true, a, n, data, bar, done, batches);
      if (!any || r.final_validation() < winner.final_validation()) winner = std::move(r);
      any = true;
    }
    best.push_back(std::move(winner));
  }
  bar.finish();

  const bool classes = data.train.classification();
  std::printf("%-12s %10s %12s %12s %12s %14s %10s\n", "optimizer", "lr", "train loss", "val loss", "test loss",
              classes ? "test accuracy" : "", "s/epoch");
  for (const auto& r : best) {
    const nn::EpochRow last = r.rows.empty() ? nn::EpochRow{} : r.rows.back();
    double seconds = 0;
    for (const auto& row : r.rows) seconds += row.seconds;
    std::printf("%-12s %10.3g %12.5g %12.5g %12.5g %14s %10.3f%s\n", r.optimizer.c_str(), r.lr, last.train_loss,
                last.validation.loss, last.test.loss, classes ? format("%.2f%%", 100 * last.test.accuracy).c_str() : "",
                r.rows.empty() ? NAN : seconds / static_cast<double>(r.rows.size()),
                r.diverged ? ("  DIVERGED: " + r.why).c_str() : "");
  }
  if (!a.out.empty()) {
    CsvTable csv({"optimizer", "lr", "epoch", "steps", "train_loss", "validation_loss", "validation_accuracy", "test_loss",
                  "test_accuracy", "seconds"});
    for (const auto& r : best)
      for (const auto& row : r.rows)
        csv.add_row({r.optimizer, CsvTable::number(r.lr), CsvTable::integer(row.epoch), CsvTable::integer(row.steps),
                     CsvTable::number(row.train_loss), CsvTable::number(row.validation.loss),
                     CsvTable::number(row.validation.accuracy), CsvTable::number(row.test.loss),
                     CsvTable::number(row.test.accuracy), CsvTable::number(row.seconds)});
    csv.write(a.out);
    std::printf("curves: %s\n", a.out.c_str());
  }
  if (!a.plot.empty()) {
    std::vector<std::pair<std::string, const std::vector<nn::EpochRow>*>> curves;
    for (const auto& r : best) curves.emplace_back(r.optimizer + " (lr " + format("%.3g", r.lr) + ")", &r.rows);
    plot_learning_curves(a.plot, curves, classes);
  }
  if (!a.json.empty()) {
    std::string j = "{\n  \"data\": " + json_string(data.train.name) + ", \"epochs\": " + std::to_string(n.epochs) +
                    ", \"batch\": " + std::to_string(n.batch) + ", \"seed\": " + std::to_string(a.seed) + ",\n  \"optimizers\": [\n";
    for (std::size_t i = 0; i < best.size(); ++i) {
      const auto& r = best[i];
      const nn::EpochRow last = r.rows.empty() ? nn::EpochRow{} : r.rows.back();
      j += "    {\"name\": " + json_string(r.optimizer) + ", \"lr\": " + json_number(r.lr) + ", \"diverged\": " +
           (r.diverged ? "true" : "false") + ", \"train_loss\": " + json_number(last.train_loss) + ", \"validation_loss\": " +
           json_number(last.validation.loss) + ", \"test_loss\": " + json_number(last.test.loss) + ", \"test_accuracy\": " +
           json_number(last.test.accuracy) + "}" + (i + 1 < best.size() ? "," : "") + "\n";
    }
    write_text_atomically(a.json, j + "  ]\n}\n");
    std::printf("summary: %s\n", a.json.c_str());
  }
  return 0;
}

}  // namespace ldyn::cli
