// `ldyn grow-prune`: programmed death and replication of hidden neurons (Grabovsky & Vanchurin
// 2022) on a layered network, each experiment next to its control, reporting accuracy against the
// number of neurons. The experiments are library code (nn/grow_prune/schedules.hpp); this file
// parses options, pretrains, prints, and writes the CSV, PNGs and JSON.
#include <cmath>
#include <cstdio>
#include <memory>

#include "cli_text.hpp"
#include "commands.hpp"
#include "core/csv.hpp"
#include "core/error.hpp"
#include "core/progress.hpp"
#include "nn/grow_prune/schedules.hpp"
#include "nn/network_file.hpp"
#include "train_common.hpp"

namespace ldyn::cli {
namespace {

struct GrowPruneArgs {
  std::string mode = "death";
  std::string from;
  std::string death_measure = "redundancy", replication_measure = "contribution", fold = "correlated";
  double tolerance = 0.5;
  nn::GrowPruneConfig config;
};

// The measure of quality a row is judged by: test accuracy for classes, test loss for regression.
double quality(const nn::GrowPruneRow& r, bool classes) { return classes ? r.test.accuracy : r.test.loss; }
std::string show(const nn::GrowPruneRow& r, bool classes) {
  return classes ? format("test %.2f%% (loss %.4g)", 100 * r.test.accuracy, r.test.loss) : format("test loss %.5g", r.test.loss);
}

// The rows a stage ends with: each event's last epoch row before the next event (or the end).
std::vector<nn::GrowPruneRow> stage_ends(const std::vector<nn::GrowPruneRow>& rows, const std::string& run) {
  std::vector<nn::GrowPruneRow> out;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (rows[i].run != run) continue;
    const bool last = i + 1 == rows.size() || rows[i + 1].run != run || !rows[i + 1].event.empty();
    if (last) out.push_back(rows[i]);
  }
  return out;
}

void write_csv(const std::string& path, const std::vector<nn::GrowPruneRow>& rows) {
  CsvTable csv({"run", "epoch", "event", "neurons", "parameters", "train_loss", "validation_loss", "validation_accuracy",
                "test_loss", "test_accuracy"});
  for (const auto& r : rows)
    csv.add_row({r.run, CsvTable::integer(r.epoch), r.event, CsvTable::integer(static_cast<long>(r.neurons)),
                 CsvTable::integer(static_cast<long>(r.parameters)), CsvTable::number(r.train_loss),
                 CsvTable::number(r.validation.loss), CsvTable::number(r.validation.accuracy), CsvTable::number(r.test.loss),
                 CsvTable::number(r.test.accuracy)});
  csv.write(path);
  std::printf("rows: %s\n", path.c_str());
}

void write_plots(const std::string& png, const std::vector<nn::GrowPruneRow>& rows, const std::vector<std::string>& runs,
                 bool classes) {
  LinePlot by_size, by_epoch;
  by_size.title = "quality against hidden neurons (end of each stage)";
  by_size.xlabel = "hidden neurons";
  by_epoch.title = "learning curves";
  by_epoch.xlabel = "epoch";
  by_size.ylabel = by_epoch.ylabel = classes ? "test accuracy" : "test loss";
  by_size.log_y = by_epoch.log_y = !classes;
  for (const auto& run : runs) {
    PlotSeries s{run, {}, {}}, e{run, {}, {}};
    for (const auto& r : stage_ends(rows, run)) {
      s.x.push_back(static_cast<double>(r.neurons));
      s.y.push_back(quality(r, classes));
    }
    for (const auto& r : rows)
      if (r.run == run) {
        e.x.push_back(static_cast<double>(r.epoch));
        e.y.push_back(quality(r, classes));
      }
    by_size.series.push_back(std::move(s));
    by_epoch.series.push_back(std::move(e));
  }
  save_plot(by_size, png);
  const std::filesystem::path p(png);
  save_plot(by_epoch, p.parent_path() / (p.stem().string() + "-epochs" + p.extension().string()));
}

std::string json_row(const nn::GrowPruneRow& r) {
  return "{\"run\": " + json_string(r.run) + ", \"epoch\": " + std::to_string(r.epoch) + ", \"neurons\": " +
         std::to_string(r.neurons) + ", \"parameters\": " + std::to_string(r.parameters) + ", \"test_loss\": " +
         json_number(r.test.loss) + ", \"test_accuracy\": " + json_number(r.test.accuracy) + "}";
}

// The summary line(s) and JSON fields of each experiment.
std::string summarize(const GrowPruneArgs& g, const std::vector<nn::GrowPruneRow>& rows, bool classes) {
  std::string j;
  if (g.mode == "death") {
    const auto ends = stage_ends(rows, "death");
    const nn::GrowPruneRow& full = rows.front();  // the "start" event
    // The smallest network whose quality is within the tolerance of the full one.
    const nn::GrowPruneRow* best = &full;
    for (const auto& r : ends) {
      const bool within = classes ? 100 * (full.test.accuracy - r.test.accuracy) <= g.tolerance
                                  : r.test.loss <= full.test.loss * (1 + g.tolerance / 100);
      if (within && r.neurons < best->neurons) best = &r;
    }
    const double removed = 1 - static_cast<double>(best->neurons) / static_cast<double>(full.neurons);
    std::printf("\ndeath: trained network %ld hidden neurons, %s\n", static_cast<long>(full.neurons), show(full, classes).c_str());
    for (const auto& r : ends)
      if (r.event.empty()) std::printf("  %4ld neurons after epoch %3ld: %s\n", static_cast<long>(r.neurons), r.epoch, show(r, classes).c_str());
    std::printf("smallest within %g %s: %ld neurons (%.1f%% removed), %s\n", g.tolerance, classes ? "pp" : "% of the loss",
                static_cast<long>(best->neurons), 100 * removed, show(*best, classes).c_str());
    j += "  \"full\": " + json_row(full) + ",\n  \"smallest_within_tolerance\": " + json_row(*best) +
         ",\n  \"tolerance\": " + json_number(g.tolerance) + ", \"removed_fraction\": " + json_number(removed);
    if (classes) j += ", \"accuracy_loss_pp\": " + json_number(100 * (full.test.accuracy - best->test.accuracy));
    return j + ",\n";
  }
  const std::string a = g.mode == "replication" ? "replication" : "combined";
  const std::string b = g.mode == "replication" ? "continued" : "fixed";
  const auto ra = nn::epoch_rows(rows, a), rb = nn::epoch_rows(rows, b);
  if (ra.empty() || rb.empty()) return j;
  std::printf("\n%-12s %4ld neurons, epoch %3ld: %s\n%-12s %4ld neurons, epoch %3ld: %s\n", a.c_str(),
              static_cast<long>(ra.back().neurons), ra.back().epoch, show(ra.back(), classes).c_str(), b.c_str(),
              static_cast<long>(rb.back().neurons), rb.back().epoch, show(rb.back(), classes).c_str());
  if (classes)
    std::printf("%s - %s: %+.2f pp test accuracy\n", a.c_str(), b.c_str(), 100 * (ra.back().test.accuracy - rb.back().test.accuracy));
  j += "  \"" + a + "\": " + json_row(ra.back()) + ",\n  \"" + b + "\": " + json_row(rb.back()) + ",\n";
  return j;
}

int run_grow_prune(const OptimizeArgs& a, const NetworkArgs& n, GrowPruneArgs& g) {
  if (g.mode != "death" && g.mode != "replication" && g.mode != "combined")
    throw InvalidOption("--mode", "unknown mode '" + g.mode + "' (one of: death, replication, combined)");
  if (n.network != "layered") throw InvalidOption("--network", "death and replication apply to layered networks");
  if (!g.from.empty() && g.mode == "combined")
    throw InvalidOption("--from", "the combined schedule starts from an untrained network");
  if (!(g.tolerance >= 0)) throw InvalidOption("--tolerance", "must be >= 0");
  g.config.death_measure = nn::efficiency_from_string(g.death_measure, "--death-measure");
  g.config.replication_measure = nn::efficiency_from_string(g.replication_measure, "--replication-measure");
  g.config.fold = nn::fold_from_string(g.fold);
  g.config.seed = a.seed;
  g.config.validate();
  set_threads(n.threads);
  if (n.batch < 1) throw InvalidOption("--batch", "must be >= 1");
  if (n.epochs < 0) throw InvalidOption("--epochs", "must be >= 0");

  const nn::DataSplit data = nn::load_data(data_spec(n, a.seed));
  const bool classes = data.train.classification();
  std::unique_ptr<nn::LayeredNetwork<float>> net;
  if (!g.from.empty()) {
    net = std::make_unique<nn::LayeredNetwork<float>>(nn::load_network(g.from));
    if (net->inputs() != data.train.features() || net->outputs() != data.train.outputs())
      throw InvalidOption("--from", g.from + " has " + std::to_string(net->inputs()) + " inputs and " +
                                        std::to_string(net->outputs()) + " outputs; " + data.train.name + " needs " +
                                        std::to_string(data.train.features()) + " and " + std::to_string(data.train.outputs()));
  } else {
    auto model = build_network(n, data, a.seed);  // layered: --network was checked above
    net = std::make_unique<nn::LayeredNetwork<float>>(std::move(dynamic_cast<nn::LayeredNetwork<float>&>(*model)));
  }
  if (net->layers() < 2) throw InvalidOption("--layers", "death and replication need a hidden layer, e.g. 784,256,10");
  const long batches = static_cast<long>((data.train.size() + n.batch - 1) / n.batch);
  const long pretrain = g.mode == "combined" || !g.from.empty() ? 0 : n.epochs;
  const auto& c = g.config;
  const long first = net->size(1);
  const long per_stage = std::max(1L, std::lround(c.death_fraction * static_cast<double>(first)));
  const long stages = g.mode == "death" ? (first - std::min(first, static_cast<long>(c.min_neurons)) + per_stage - 1) / per_stage : 0;
  const long total_epochs = g.mode == "death"         ? pretrain + stages * c.stage_epochs
                            : g.mode == "replication" ? pretrain + 2 * c.replication_stages * c.stage_epochs
                                                      : 2 * n.epochs;
  std::printf("data: %s, %ld train; network %s, %zu parameters; mode %s, optimizer %s\n", data.train.name.c_str(),
              static_cast<long>(data.train.size()), net->describe().c_str(), net->parameters().size(), g.mode.c_str(),
              a.optimizer.c_str());

  nn::GrowPruneTraining training;
  training.options = network_options(a.optimizer, a, std::max(1L, total_epochs) * batches);
  training.settings.batch = n.batch;
  training.settings.seed = a.seed;
  ProgressBar bar(total_epochs * batches, "grow-prune", !a.quiet);
  long done_epochs = 0;
  training.settings.on_batch = [&](long b, long, double loss) { bar.update(done_epochs * batches + b, format("loss %.4g", loss)); };
  training.settings.on_epoch = [&](const nn::EpochRow&) { ++done_epochs; };
  training.on_row = [&](const nn::GrowPruneRow& r) {
    if (!a.quiet && ProgressBar::terminal_available()) std::fprintf(stderr, "\r\033[K");
    std::printf("%-11s epoch %3ld  %4ld neurons  %-18s %s\n", r.run.c_str(), r.epoch, static_cast<long>(r.neurons),
                r.event.empty() ? "" : r.event.c_str(), show(r, classes).c_str());
    std::fflush(stdout);
  };

  std::vector<nn::GrowPruneRow> rows;
  if (pretrain > 0) {
    nn::GrowPruneRun pre("pretrain", *net, training.options, training.settings, data, training.on_row);
    pre.train(pretrain);
    *net = pre.network();
    rows = pre.rows();
  }
  std::vector<std::string> runs;
  std::vector<nn::GrowPruneRow> result;
  if (g.mode == "death") {
    result = nn::run_death(*net, pretrain, data, c, training);
    runs = {"death"};
  } else if (g.mode == "replication") {
    result = nn::run_replication(*net, pretrain, data, c, training);
    runs = {"replication", "continued"};
  } else {
    result = nn::run_combined(*net, n.epochs, data, c, training, [&](const std::vector<Eigen::Index>& sizes) {
      NetworkArgs fixed = n;
      fixed.layers = std::to_string(net->inputs());
      for (Eigen::Index s : sizes) fixed.layers += "," + std::to_string(s);
      fixed.layers += "," + std::to_string(net->outputs());
      auto model = build_network(fixed, data, a.seed);
      return *dynamic_cast<nn::LayeredNetwork<float>*>(model.get());
    });
    runs = {"combined", "fixed"};
  }
  bar.finish();
  const std::string summary = summarize(g, result, classes);
  rows.insert(rows.end(), result.begin(), result.end());
  if (!a.out.empty()) write_csv(a.out, rows);
  if (!a.plot.empty()) write_plots(a.plot, rows, runs, classes);
  if (!a.json.empty()) {
    std::string j = "{\n  \"mode\": " + json_string(g.mode) + ", \"data\": " + json_string(data.train.name) + ", \"network\": " +
                    json_string(net->describe()) + ", \"optimizer\": " + json_string(a.optimizer) + ", \"seed\": " +
                    std::to_string(a.seed) + ",\n" + summary + "  \"rows\": [\n";
    for (std::size_t i = 0; i < rows.size(); ++i) j += "    " + json_row(rows[i]) + (i + 1 < rows.size() ? "," : "") + "\n";
    write_text_atomically(a.json, j + "  ]\n}\n");
    std::printf("summary: %s\n", a.json.c_str());
  }
  return 0;
}

}  // namespace

void register_grow_prune(CLI::App& app) {
  auto a = std::make_shared<OptimizeArgs>();
  auto n = std::make_shared<NetworkArgs>();
  auto g = std::make_shared<GrowPruneArgs>();
  n->data = "fashion-mnist";
  auto* sub = app.add_subcommand("grow-prune", "programmed death and replication of neurons, against their controls");
  sub->footer(
      "Examples:\n"
      "  ldyn grow-prune --mode death --layers 784,256,10 --epochs 10 --out death.csv --plot death.png\n"
      "  ldyn grow-prune --mode replication --layers 784,32,10 --epochs 10 --stage-epochs 5\n"
      "  ldyn grow-prune --mode combined --layers 784,64,10 --epochs 20 --every 4\n"
      "  ldyn grow-prune --data multiplication --layers 2,64,1 --activation tanh --epochs 20");
  add_network_options(sub, *n, true);
  add_optimizer_options(sub, *a);
  auto& c = g->config;
  const std::string group = "Death and replication";
  sub->add_option("--mode", g->mode, "death, replication or combined")->capture_default_str()->group(group);
  sub->add_option("--from", g->from, "start from this trained network (ldyn train --save) instead of pretraining --epochs")
      ->group(group);
  sub->add_option("--death-measure", g->death_measure, "efficiency measure of death: " + nn::efficiency_names())
      ->capture_default_str()->group(group);
  sub->add_option("--fold", g->fold, "where a dead neuron's outgoing weights go: correlated, least-squares, none")
      ->capture_default_str()->group(group);
  sub->add_option("--death-fraction", c.death_fraction,
                  "death: fraction of the starting size removed per stage; combined: of the current size per event")
      ->capture_default_str()->group(group);
  sub->add_option("--min-neurons", c.min_neurons, "death stops at this many neurons per hidden layer")->capture_default_str()->group(group);
  sub->add_option("--replication-measure", g->replication_measure, "efficiency measure of replication: " + nn::efficiency_names())
      ->capture_default_str()->group(group);
  sub->add_option("--replication-fraction", c.replication_fraction, "fraction of the current size that divides per stage or event")
      ->capture_default_str()->group(group);
  sub->add_option("--replication-stages", c.replication_stages, "replication: number of division stages")->capture_default_str()->group(group);
  sub->add_option("--split-noise", c.split_noise, "noise of the split outgoing weights, relative to their RMS")
      ->capture_default_str()->group(group);
  sub->add_option("--split-input-noise", c.split_input_noise,
                  "symmetric noise of the split incoming weights, relative to their RMS (0: the split is exact)")
      ->capture_default_str()->group(group);
  sub->add_option("--stage-epochs", c.stage_epochs, "training epochs after each death or replication stage")
      ->capture_default_str()->group(group);
  sub->add_option("--every", c.combined_every, "combined: epochs between events")->capture_default_str()->group(group);
  sub->add_option("--stats-samples", c.stats_samples, "training samples the neurons' statistics are measured on (0: all)")
      ->capture_default_str()->group(group);
  sub->add_option("--tolerance", g->tolerance,
                  "death summary: largest accuracy loss in percentage points (loss increase in % for regression)")
      ->capture_default_str()->group(group);
  add_run_outputs(sub, *a,
                  {"seed of the split, the initialization, the minibatch order and the events",
                   "CSV, one row per epoch and per event: run,epoch,event,neurons,parameters,...,test_accuracy",
                   "PNG of test accuracy against hidden neurons (and NAME-epochs.png against epoch)", "JSON summary"});
  add_job(sub, [a, n, g] { return run_grow_prune(*a, *n, *g); });
}

}  // namespace ldyn::cli
