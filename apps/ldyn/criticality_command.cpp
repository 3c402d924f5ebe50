// `ldyn criticality`: the self-organized-criticality measurement of Katsnelson, Vanchurin and
// Westerhout (2021) swept over activation and loss functions. For each pair: train to the plateau,
// record the fluctuations of the trainable variables over a window, fit their distribution by the
// Clauset–Shalizi–Newman method; report exponent, range, goodness of fit and likelihood ratios as a
// table, CSV, JSON and a log-log plot of the complementary CDFs. docs/nn_criticality.md.
#include <cmath>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "cli_text.hpp"
#include "commands.hpp"
#include "core/csv.hpp"
#include "core/error.hpp"
#include "core/progress.hpp"
#include "nn/criticality/criticality_sweep.hpp"
#include "train_common.hpp"

namespace ldyn::cli {
namespace {

constexpr double kSgdRate = 0.1;  // the default --lr of this command with --optimizer sgd

struct CriticalityArgs {
  std::vector<std::string> activations{"tanh", "relu", "sigmoid", "softplus", "linear"};
  std::vector<std::string> losses;  // empty: every loss that makes sense for the data
  nn::PlateauCriterion plateau;
  nn::FluctuationOptions fluctuations;
  std::string fluctuation = "increment";
  int bootstrap = 100;
  long min_tail = 50;
};

std::vector<nn::CriticalityPair> parse_pairs(const CriticalityArgs& c, bool classification) {
  std::vector<nn::Activation> activations;
  for (const std::string& name : c.activations) activations.push_back(nn::activation_from_string(name, "--activations"));
  std::vector<nn::OutputLoss> losses;
  for (const std::string& name : c.losses) losses.push_back(nn::output_loss_from_string(name, "--losses"));
  if (c.losses.empty()) {
    losses.push_back(nn::OutputLoss::mse);
    if (classification) losses.push_back(nn::OutputLoss::cross_entropy);
  }
  if (activations.empty()) throw InvalidOption("--activations", "the list is empty");
  return nn::all_pairs(activations, losses);
}

/// A CSV field: quoted when it holds a comma, a quote or a line break.
std::string csv_text(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char ch : s) out += ch == '"' ? std::string("\"\"") : std::string(1, ch);
  return out + "\"";
}

/// "true"/"false", or empty (CSV) / null (JSON) when the bootstrap did not run.
std::string plausible_text(const nn::PowerLawFit& f, const std::string& missing) {
  return std::isnan(f.gof_p) ? missing : f.plausible() ? "true" : "false";
}

std::string favours_text(const nn::CriticalityRecord& r, const nn::LikelihoodRatio& lr) {
  return r.fitted() ? lr.favours() : "";
}

void write_csv(const std::string& path, const std::vector<nn::CriticalityRecord>& records) {
  CsvTable csv({"activation", "loss", "epochs", "plateau_reached", "final_train_loss", "n_samples", "n_zero", "n_tail",
                "alpha", "alpha_stderr", "xmin", "decades", "ks_distance", "gof_p", "plausible", "lognormal_R",
                "lognormal_p", "lognormal_favours", "exponential_R", "exponential_p", "exponential_favours", "failure"});
  for (const auto& r : records) {
    const nn::PowerLawFit& f = r.fit;
    csv.add_row({nn::to_string(r.pair.activation), nn::to_string(r.pair.loss), CsvTable::integer(r.epochs),
                 r.plateau.reached ? "true" : "false", CsvTable::number(r.final_train_loss),
                 CsvTable::integer(static_cast<long>(r.samples.values.size())), CsvTable::integer(r.samples.zeros),
                 r.fitted() ? CsvTable::integer(f.n_tail) : "", CsvTable::number(f.alpha), CsvTable::number(f.alpha_stderr),
                 CsvTable::number(f.xmin), CsvTable::number(f.decades), CsvTable::number(f.ks_distance),
                 CsvTable::number(f.gof_p), plausible_text(f, ""), CsvTable::number(f.vs_lognormal.log_ratio),
                 CsvTable::number(f.vs_lognormal.p_value), favours_text(r, f.vs_lognormal),
                 CsvTable::number(f.vs_exponential.log_ratio), CsvTable::number(f.vs_exponential.p_value),
                 favours_text(r, f.vs_exponential), csv_text(r.failure)});
  }
  csv.write(path);
  std::printf("table: %s\n", path.c_str());
}

std::string json_ratio(const nn::CriticalityRecord& r, const nn::LikelihoodRatio& lr) {
  return "{\"R\": " + json_number(lr.log_ratio) + ", \"normalized\": " + json_number(lr.normalized) +
         ", \"p\": " + json_number(lr.p_value) + ", \"favours\": " + (r.fitted() ? json_string(lr.favours()) : "null") + "}";
}

std::string json_record(const nn::CriticalityRecord& r) {
  const nn::PowerLawFit& f = r.fit;
  return "    {\"activation\": " + json_string(nn::to_string(r.pair.activation)) + ", \"loss\": " +
         json_string(nn::to_string(r.pair.loss)) + ", \"network\": " + json_string(r.network) +
         ", \"parameters\": " + std::to_string(r.parameters) + ",\n     \"epochs\": " + std::to_string(r.epochs) +
         ", \"plateau_epochs\": " + std::to_string(r.plateau.epochs) + ", \"plateau_reached\": " +
         (r.plateau.reached ? "true" : "false") + ", \"plateau_last_improvement\": " +
         json_number(r.plateau.last_improvement) + ", \"final_train_loss\": " + json_number(r.final_train_loss) +
         ",\n     \"n_samples\": " + std::to_string(r.samples.values.size()) + ", \"recorded_variables\": " +
         std::to_string(r.samples.recorded.size()) + ", \"n_zero\": " + std::to_string(r.samples.zeros) +
         ", \"n_tail\": " + (r.fitted() ? std::to_string(f.n_tail) : "null") + ",\n     \"alpha\": " +
         json_number(f.alpha) + ", \"alpha_stderr\": " + json_number(f.alpha_stderr) + ", \"xmin\": " +
         json_number(f.xmin) + ", \"decades\": " + json_number(f.decades) + ", \"ks_distance\": " +
         json_number(f.ks_distance) + ", \"gof_p\": " + json_number(f.gof_p) + ", \"plausible\": " +
         plausible_text(f, "null") + ",\n     \"vs_lognormal\": " + json_ratio(r, f.vs_lognormal) +
         ", \"vs_exponential\": " + json_ratio(r, f.vs_exponential) + ",\n     \"failure\": " +
         (r.fitted() ? "null" : json_string(r.failure)) + "}";
}

void write_json(const std::string& path, const nn::DataSplit& data, const nn::SweepSettings& s, const OptimizeArgs& a,
                const std::vector<nn::CriticalityRecord>& records) {
  const nn::FluctuationOptions& fl = s.fluctuations;
  std::string j = "{\n  \"data\": " + json_string(data.train.name) + ", \"train_samples\": " +
                  std::to_string(data.train.size()) + ", \"optimizer\": " + json_string(a.optimizer) + ", \"lr\": " +
                  json_number(s.optimizer.lr) + ", \"batch\": " + std::to_string(s.training.batch) + ", \"seed\": " +
                  std::to_string(a.seed) + ",\n  \"plateau\": {\"tolerance\": " + json_number(s.plateau.tolerance) +
                  ", \"patience\": " + std::to_string(s.plateau.patience) + ", \"max_epochs\": " +
                  std::to_string(s.plateau.max_epochs) + "},\n  \"fluctuation\": {\"kind\": " +
                  json_string(nn::to_string(fl.kind)) + ", \"window\": " + std::to_string(fl.window) + ", \"lag\": " +
                  std::to_string(fl.lag) + ", \"max_samples\": " + std::to_string(fl.max_samples) +
                  "},\n  \"bootstrap\": " + std::to_string(s.fit.bootstrap) + ", \"min_tail\": " +
                  std::to_string(s.fit.min_tail) + ",\n  \"pairs\": [\n";
  for (std::size_t i = 0; i < records.size(); ++i) j += json_record(records[i]) + (i + 1 < records.size() ? ",\n" : "\n");
  write_text_atomically(path, j + "  ]\n}\n");
  std::printf("summary: %s\n", path.c_str());
}

/// The empirical CCDF thinned to at most ~100 points per decade (a long tail has one point per
/// sample) and without its smallest 0.1% (P > 0.999: flat at 1, but reaching down to the float
/// resolution of q, it would stretch the x axis over decades that show nothing), and the fitted
/// law over [xmin, max] (a straight line in log-log: its two ends).
void write_ccdf_plot(const std::string& png, const std::vector<nn::CriticalityRecord>& records, const std::string& what) {
  LinePlot plot;
  plot.title = "ldyn criticality: " + what;
  plot.xlabel = "fluctuation |dq|";
  plot.ylabel = "P(X >= x)";
  plot.log_x = plot.log_y = true;
  std::vector<double> x, p;
  for (const auto& r : records) {
    if (!r.fitted()) continue;
    nn::empirical_ccdf(r.samples.values, x, p);
    PlotSeries data{r.pair.name(), {}, {}};
    double last = -INFINITY;
    for (std::size_t i = 0; i < x.size(); ++i) {
      const double lx = std::log10(x[i]);
      if ((p[i] > 0.999 || lx - last < 0.01) && i + 1 < x.size()) continue;
      data.x.push_back(x[i]);
      data.y.push_back(p[i]);
      last = lx;
    }
    const double top = x.back();
    PlotSeries fit{r.pair.name() + format(" fit %.2f", r.fit.alpha), {r.fit.xmin, top},
                   {r.fit.ccdf(r.fit.xmin), r.fit.ccdf(top)}};
    plot.series.push_back(std::move(data));
    plot.series.push_back(std::move(fit));
  }
  if (plot.series.empty()) {
    std::fprintf(stderr, "warning: no plot %s: no pair was fitted\n", png.c_str());
    return;
  }
  save_plot(plot, png);
}

std::string ratio_cell(const nn::LikelihoodRatio& lr) {
  return format("%+9.3g p=%-8.2g %s", lr.log_ratio, lr.p_value, lr.favours().c_str());
}

void print_row(const nn::CriticalityRecord& r) {
  const nn::PowerLawFit& f = r.fit;
  std::printf("%-22s %6ld %-3s %10.4g %8zu", r.pair.name().c_str(), r.epochs, r.plateau.reached ? "yes" : "no",
              r.final_train_loss, r.samples.values.size());
  if (!r.fitted()) {
    std::printf("  %s\n", r.failure.c_str());
  } else {
    std::printf(" %7.3f %6.3f %9.3g %7ld %5.2f %6.4f %5.2f %-5s  %s  %s\n", f.alpha, f.alpha_stderr, f.xmin, f.n_tail,
                f.decades, f.ks_distance, f.gof_p, plausible_text(f, "-").c_str(), ratio_cell(f.vs_lognormal).c_str(),
                ratio_cell(f.vs_exponential).c_str());
  }
  std::fflush(stdout);
}

int run_criticality(const OptimizeArgs& a, const NetworkArgs& n, CriticalityArgs c) {
  set_threads(n.threads);
  if (n.batch < 1) throw InvalidOption("--batch", "must be >= 1");
  if (c.bootstrap < 0) throw InvalidOption("--bootstrap", "must be >= 0");
  if (c.min_tail < 2) throw InvalidOption("--min-tail", "must be >= 2");
  c.fluctuations.kind = nn::fluctuation_kind_from_string(c.fluctuation);
  c.fluctuations.seed = a.seed;
  nn::validate(c.plateau);  // before loading a data set that may take seconds
  nn::validate(c.fluctuations);
  const nn::DataSplit data = nn::load_data(data_spec(n, a.seed));
  const auto pairs = parse_pairs(c, data.train.classification());

  nn::SweepSettings s;
  s.layers = nn::parse_layer_sizes(layers_or_default(n, data));
  s.output = nn::activation_from_string(n.output_activation, "--output-activation");
  s.init = nn::init_from_string(n.init);
  const long batches = static_cast<long>((data.train.size() + n.batch - 1) / n.batch);
  s.optimizer = network_options(a.optimizer, a, c.plateau.max_epochs * batches + c.fluctuations.window);
  // sgd's preset rate (0.01) leaves the multiplication task still descending after 300 epochs;
  // 0.1 reaches the plateau for every activation (docs/nn_criticality.md).
  if (a.optimizer == "sgd" && !a.has("--lr")) s.optimizer.lr = kSgdRate;
  s.training.batch = n.batch;
  s.training.seed = a.seed;
  s.plateau = c.plateau;
  s.fluctuations = c.fluctuations;
  s.fit.bootstrap = c.bootstrap;
  s.fit.min_tail = c.min_tail;
  s.fit.seed = a.seed;
  nn::validate_sweep(data, pairs, s);

  std::printf("data: %s: %ld train samples, %ld features, %s\n", data.train.name.c_str(), static_cast<long>(data.train.size()),
              static_cast<long>(data.train.features()),
              data.train.classification() ? (std::to_string(data.train.classes) + " classes").c_str() : "regression");
  std::printf("network: %s, output %s, init %s; optimizer %s (lr %g), batch %ld\n", layers_or_default(n, data).c_str(),
              nn::to_string(s.output), nn::to_string(s.init), a.optimizer.c_str(), s.optimizer.lr, n.batch);
  std::printf("plateau: relative improvement <= %g for %ld epochs (at most %ld); window %ld steps, %s, lag %ld; "
              "bootstrap %d\n\n",
              c.plateau.tolerance, c.plateau.patience, c.plateau.max_epochs, c.fluctuations.window,
              nn::to_string(c.fluctuations.kind), c.fluctuations.lag, c.bootstrap);
  std::printf("%-22s %6s %-3s %10s %8s %7s %6s %9s %7s %5s %6s %5s %-5s  %-30s  %s\n", "activation/loss", "epochs",
              "pl.", "train_loss", "samples", "alpha", "+-", "xmin", "tail", "dec.", "KS", "gof_p", "plaus",
              "vs lognormal (R, p, favours)", "vs exponential (R, p, favours)");

  ProgressBar bar(static_cast<long>(3 * pairs.size()), "criticality", !a.quiet);
  const bool drawing = !a.quiet && ProgressBar::terminal_available();
  long stage_done = 0;
  s.on_stage = [&](std::size_t i, const char* stage) {
    const std::string what(stage);
    stage_done = static_cast<long>(3 * i) + (what == "training" ? 0 : what == "window" ? 1 : 2);
    bar.update(stage_done, pairs[i].name() + " " + what);
  };
  s.on_epoch = [&](std::size_t i, const nn::EpochRow& row) {
    bar.update(stage_done, pairs[i].name() + format(" epoch %ld loss %.4g", row.epoch, row.train_loss));
  };
  s.on_record = [&](std::size_t i, const nn::CriticalityRecord& r) {
    if (drawing) std::fprintf(stderr, "\r\033[K");
    print_row(r);
    bar.update(static_cast<long>(3 * (i + 1)));
  };
  const auto records = nn::sweep_criticality(data, pairs, s);
  bar.finish();
  std::printf("\n");

  const std::string what = std::string(nn::to_string(c.fluctuations.kind)) + " fluctuations (lag " +
                           std::to_string(c.fluctuations.kind == nn::FluctuationKind::displacement ? c.fluctuations.window
                                                                                                    : c.fluctuations.lag) +
                           ", window " + std::to_string(c.fluctuations.window) + ") on " + data.train.name;
  if (!a.out.empty()) write_csv(a.out, records);
  if (!a.plot.empty()) write_ccdf_plot(a.plot, records, what);
  if (!a.json.empty()) write_json(a.json, data, s, a, records);
  return 0;
}

}  // namespace

void register_criticality(CLI::App& app) {
  auto a = std::make_shared<OptimizeArgs>();
  auto n = std::make_shared<NetworkArgs>();
  auto c = std::make_shared<CriticalityArgs>();
  a->optimizer = "sgd";  // the learning dynamics the paper's theory describes (docs/nn_criticality.md)
  n->data = "multiplication";
  auto* sub = app.add_subcommand(
      "criticality", "train to a plateau, record the fluctuations of the trainable variables and fit a power law, "
                     "for each activation and loss (Katsnelson, Vanchurin, Westerhout 2021)");
  sub->footer(
      "Examples:\n  ldyn criticality --out crit.csv --plot crit.png --json crit.json\n"
      "  ldyn criticality --data fashion-mnist --train-samples 5000 --layers 784,32,10 --activations tanh,relu "
      "--losses mse,cross-entropy --max-epochs 30\nSee docs/nn_criticality.md.");
  add_data_options(sub, *n);
  const std::string net = "Network", crit = "Criticality";
  sub->add_option("--layers", n->layers, "layer sizes (default: features,32,outputs for regression, features,100,classes)")
      ->group(net);
  sub->add_option("--activations", c->activations, "hidden activations to sweep, comma separated: " + nn::activation_names())
      ->delimiter(',')->capture_default_str()->group(net);
  sub->add_option("--losses", c->losses,
                  "losses to sweep, comma separated: mse, cross-entropy (default: mse for regression, both for classes)")
      ->delimiter(',')->group(net);
  sub->add_option("--output-activation", n->output_activation, "output activation")->capture_default_str()->group(net);
  sub->add_option("--init", n->init, "initialization: torch, he, xavier")->capture_default_str()->group(net);
  sub->add_option("--batch", n->batch, "minibatch size")->capture_default_str()->group(net);
  sub->add_option("--threads", n->threads, "threads for the matrix products (0: OpenMP's default)")->group(net);
  add_optimizer_options(sub, *a);
  sub->get_option("--lr")->description("learning rate (default: " + format("%g", kSgdRate) +
                                       " with sgd, the preset's with the others)");
  sub->add_option("--plateau-tolerance", c->plateau.tolerance,
                  "plateau: an epoch is flat when the training loss improves on the best by at most this fraction")
      ->capture_default_str()->group(crit);
  sub->add_option("--patience", c->plateau.patience, "plateau: consecutive flat epochs")->capture_default_str()->group(crit);
  sub->add_option("--max-epochs", c->plateau.max_epochs, "plateau: give up after this many epochs (reported)")
      ->capture_default_str()->group(crit);
  sub->add_option("--window", c->fluctuations.window, "optimizer steps recorded after the plateau")
      ->capture_default_str()->group(crit);
  sub->add_option("--fluctuation", c->fluctuation,
                  "increment |q(t+lag)-q(t)|, deviation |q(t)-<q>| from the window mean, or displacement |q(end)-q(start)|")
      ->capture_default_str()->group(crit);
  sub->add_option("--lag", c->fluctuations.lag, "increment: the lag in steps; deviation: steps between snapshots")
      ->capture_default_str()->group(crit);
  sub->add_option("--max-samples", c->fluctuations.max_samples,
                  "cap on the samples per pair: a seeded subset of the variables is recorded beyond it")
      ->capture_default_str()->group(crit);
  sub->add_option("--bootstrap", c->bootstrap, "bootstrap sets for the goodness-of-fit p-value (0: skip)")
      ->capture_default_str()->group(crit);
  sub->add_option("--min-tail", c->min_tail, "fewest samples above xmin the fit may keep")->capture_default_str()->group(crit);
  add_run_outputs(sub, *a,
                  {"seed of the split, initialization, minibatches, recorded variables and bootstrap",
                   "CSV, one row per (activation, loss) pair",
                   "PNG: log-log complementary CDFs of the fluctuations with the fitted power laws",
                   "JSON summary: settings and one object per pair"});
  add_job(sub, [a, n, c] { return run_criticality(*a, *n, *c); });
}

}  // namespace ldyn::cli
