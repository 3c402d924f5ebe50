// `ldyn thermo`: thermodynamics of learning (Vanchurin 2020) measured along the training of a layered
// network, or once on a saved one: bulk loss, temperature, thermodynamic entropy, complexity, free
// energy (nn/thermo/thermodynamics.hpp), and the checks of the second and first laws
// (nn/thermo/learning_laws.hpp), as a table, CSV, PNGs and JSON.
#include <cmath>
#include <cstdio>
#include <memory>

#include "cli_text.hpp"
#include "commands.hpp"
#include "core/csv.hpp"
#include "core/error.hpp"
#include "core/progress.hpp"
#include "nn/network_file.hpp"
#include "nn/thermo/learning_laws.hpp"
#include "train_common.hpp"

namespace ldyn::cli {
namespace {

struct ThermoArgs {
  std::string from;
  long every = 0;  // optimizer steps between measurements; 0: once per epoch
  nn::ThermoOptions measure;
  double equilibrium_tolerance = 0.01;
  long equilibrium_window = 3;
};

struct Point {
  long step = 0;
  double epoch = 0;           // fractional: step / batches per epoch
  double train_loss = NAN;    // mean minibatch loss since the previous point
  double test_loss = NAN;
  nn::ThermoState state;
};

void write_csv(const std::string& path, const std::vector<Point>& points) {
  CsvTable csv({"step", "epoch", "train_loss", "test_loss", "feedforward_loss", "bulk_loss", "temperature",
                "thermodynamic_entropy", "complexity", "entropy", "free_energy", "relaxation_steps"});
  for (const auto& p : points) {
    const auto& s = p.state;
    csv.add_row({CsvTable::integer(p.step), CsvTable::number(p.epoch), CsvTable::number(p.train_loss), CsvTable::number(p.test_loss),
                 CsvTable::number(s.feedforward_loss), CsvTable::number(s.bulk_loss), CsvTable::number(s.temperature),
                 CsvTable::number(s.thermodynamic_entropy), CsvTable::number(s.complexity), CsvTable::number(s.entropy),
                 CsvTable::number(s.free_energy), CsvTable::integer(s.relaxation_steps)});
  }
  csv.write(path);
  std::printf("measurements: %s\n", path.c_str());
}

void write_plots(const std::string& png, const std::vector<Point>& points) {
  LinePlot entropy, first, temperature;
  entropy.title = "entropies along training (nats)";
  first.title = "first law: U - U_0 against the integral of T (dS_0 + dC)";
  temperature.title = "bulk loss and temperature";
  entropy.xlabel = first.xlabel = temperature.xlabel = "epoch";
  temperature.log_y = true;
  PlotSeries s{"S = S_0 + C", {}, {}}, s0{"S_0 (thermodynamic)", {}, {}}, c{"C (complexity)", {}, {}};
  PlotSeries du{"U - U_0", {}, {}}, tds{"sum T (dS_0 + dC)", {}, {}}, tds0{"sum T dS_0", {}, {}};
  PlotSeries u{"U (bulk loss)", {}, {}}, t{"T", {}, {}}, ff{"feedforward H (output error)", {}, {}};
  double integral = 0, integral0 = 0;
  for (std::size_t k = 0; k < points.size(); ++k) {
    const auto& p = points[k];
    const double x = p.epoch;
    if (k > 0) {
      const auto& a = points[k - 1].state;
      const double tm = nn::logarithmic_mean(a.temperature, p.state.temperature);
      integral0 += tm * (p.state.thermodynamic_entropy - a.thermodynamic_entropy);
      integral += tm * (p.state.thermodynamic_entropy - a.thermodynamic_entropy + p.state.complexity - a.complexity);
    }
    for (auto [series, y] : {std::pair{&s, p.state.entropy}, {&s0, p.state.thermodynamic_entropy}, {&c, p.state.complexity},
                             {&du, p.state.bulk_loss - points.front().state.bulk_loss}, {&tds, integral}, {&tds0, integral0},
                             {&u, p.state.bulk_loss}, {&t, p.state.temperature}, {&ff, p.state.feedforward_loss}}) {
      series->x.push_back(x);
      series->y.push_back(y);
    }
  }
  entropy.series = {s, s0, c};
  first.series = {du, tds, tds0};
  temperature.series = {ff, u, t};
  save_plot(entropy, png);
  const std::filesystem::path p(png);
  save_plot(first, p.parent_path() / (p.stem().string() + "-first-law" + p.extension().string()));
  save_plot(temperature, p.parent_path() / (p.stem().string() + "-temperature" + p.extension().string()));
}

void print_point(const Point& p) {
  const auto& s = p.state;
  std::printf("%7ld %7.2f %11.5g %11.5g %11.5g %11.4g %11.5g %11.5g %11.5g %11.5g\n", p.step, p.epoch, p.train_loss, p.test_loss,
              s.bulk_loss, s.temperature, s.thermodynamic_entropy, s.complexity, s.entropy, s.free_energy);
  std::fflush(stdout);
}

int run_thermo(const OptimizeArgs& a, const NetworkArgs& n, const ThermoArgs& th) {
  if (n.network != "layered") throw InvalidOption("--network", "thermo measures layered networks (clamped at both ends)");
  if (th.every < 0) throw InvalidOption("--every", "must be >= 0 (0: once per epoch)");
  if (n.batch < 1) throw InvalidOption("--batch", "must be >= 1");
  if (n.epochs < 0) throw InvalidOption("--epochs", "must be >= 0");
  if (th.measure.relaxation.max_steps < 0) throw InvalidOption("--relax-steps", "must be >= 0");
  set_threads(n.threads);
  const nn::DataSplit data = nn::load_data(data_spec(n, a.seed));
  std::unique_ptr<nn::LayeredNetwork<float>> net;
  if (!th.from.empty()) {
    net = std::make_unique<nn::LayeredNetwork<float>>(nn::load_network(th.from));
  } else {
    auto model = build_network(n, data, a.seed);
    net = std::make_unique<nn::LayeredNetwork<float>>(std::move(dynamic_cast<nn::LayeredNetwork<float>&>(*model)));
  }
  const long batches = static_cast<long>((data.train.size() + n.batch - 1) / n.batch);
  const long epochs = th.from.empty() ? n.epochs : 0;
  const optim::Options options = network_options(a.optimizer, a, std::max(1L, epochs * batches));
  std::vector<Point> points;
  auto measure = [&](long step, double train_loss) {
    Point p;
    p.step = step;
    p.epoch = static_cast<double>(step) / static_cast<double>(batches);
    p.train_loss = train_loss;
    p.test_loss = nn::evaluate<float>(*net, data.test).loss;
    p.state = nn::measure_thermodynamics(*net, data.train, th.measure);
    points.push_back(p);
    return p;
  };
  const Point start = measure(0, NAN);  // also checks --layers and the data before anything is printed
  std::printf("data: %s, %ld train; network %s; %ld hidden neurons, measured on %ld training samples\n",
              data.train.name.c_str(), static_cast<long>(data.train.size()), net->describe().c_str(),
              static_cast<long>(start.state.neurons), start.state.samples);
  std::printf("%7s %7s %11s %11s %11s %11s %11s %11s %11s %11s\n", "step", "epoch", "train loss", "test loss", "U (bulk)", "T",
              "S_0", "C", "S", "F");
  print_point(start);
  if (epochs > 0) {
    nn::TrainSettings settings;
    settings.epochs = epochs;
    settings.batch = n.batch;
    settings.seed = a.seed;
    nn::Trainer<float> trainer(*net, options, settings);
    ProgressBar bar(epochs * batches, "thermo", !a.quiet);
    double loss_sum = 0;
    long since = 0;
    trainer.settings().on_batch = [&](long b, long total, double loss) {
      loss_sum += loss;
      ++since;
      const long step = trainer.steps();
      bar.update(step, format("loss %.4g", loss));
      if ((th.every > 0 && step % th.every == 0) || (th.every == 0 && b == total)) {
        const Point p = measure(step, loss_sum / static_cast<double>(since));
        loss_sum = 0;
        since = 0;
        if (!a.quiet && ProgressBar::terminal_available()) std::fprintf(stderr, "\r\033[K");
        print_point(p);
      }
    };
    trainer.run(data);
    bar.finish();
  }
  if (points.size() > 1) {
    std::vector<nn::ThermoState> series;
    for (const auto& p : points) series.push_back(p.state);
    const auto second = nn::check_second_law(series, th.equilibrium_tolerance, th.equilibrium_window);
    const auto first = nn::check_first_law(series, 0, second.equilibrium_index);
    const auto first_all = nn::check_first_law(series);
    std::printf("\nsecond law: S decreased in %ld of the %ld intervals before learning equilibrium (reached at epoch %.2f); "
                "S changed by %+.4g nats\n",
                second.decreasing, second.intervals, points[static_cast<std::size_t>(second.equilibrium_index)].epoch,
                second.entropy_change);
    std::printf("first law, dU = theta T (dS_0 + dC): theta %.4g, R^2 %.4f before equilibrium (%ld intervals); theta %.4g, "
                "R^2 %.4f over all %ld\n",
                first.theta, first.r_squared, first.intervals, first_all.theta, first_all.r_squared, first_all.intervals);
    std::printf("complexity share of the entropy term: %.3g (T dS_0 alone: theta %.4g)\n", first_all.complexity_share,
                first_all.theta_thermodynamic);
    if (!a.json.empty()) {
      std::string j = "{\n  \"data\": " + json_string(data.train.name) + ", \"network\": " + json_string(net->describe()) +
                      ", \"hidden_neurons\": " + std::to_string(start.state.neurons) + ", \"samples\": " +
                      std::to_string(start.state.samples) + ",\n  \"second_law\": {\"intervals\": " + std::to_string(second.intervals) +
                      ", \"decreasing\": " + std::to_string(second.decreasing) + ", \"equilibrium_epoch\": " +
                      json_number(points[static_cast<std::size_t>(second.equilibrium_index)].epoch) + ", \"entropy_change\": " +
                      json_number(second.entropy_change) + "},\n  \"first_law\": {\"theta\": " + json_number(first.theta) +
                      ", \"r_squared\": " + json_number(first.r_squared) + ", \"intervals\": " + std::to_string(first.intervals) +
                      ", \"theta_all\": " + json_number(first_all.theta) + ", \"r_squared_all\": " + json_number(first_all.r_squared) +
                      ", \"complexity_share\": " + json_number(first_all.complexity_share) + "},\n";
      const auto& last = points.back().state;
      j += "  \"final\": {\"bulk_loss\": " + json_number(last.bulk_loss) + ", \"temperature\": " + json_number(last.temperature) +
           ", \"thermodynamic_entropy\": " + json_number(last.thermodynamic_entropy) + ", \"complexity\": " +
           json_number(last.complexity) + ", \"entropy\": " + json_number(last.entropy) + ", \"free_energy\": " +
           json_number(last.free_energy) + "}\n}\n";
      write_text_atomically(a.json, j);
      std::printf("summary: %s\n", a.json.c_str());
    }
  }
  if (!a.out.empty()) write_csv(a.out, points);
  if (!a.plot.empty() && points.size() > 1) write_plots(a.plot, points);
  return 0;
}

}  // namespace

void register_thermo(CLI::App& app) {
  auto a = std::make_shared<OptimizeArgs>();
  auto n = std::make_shared<NetworkArgs>();
  auto th = std::make_shared<ThermoArgs>();
  n->data = "multiplication";
  n->activation = "tanh";
  auto* sub = app.add_subcommand("thermo", "thermodynamics of learning: temperature, entropy, complexity, free energy, the laws");
  sub->footer(
      "Examples:\n"
      "  ldyn thermo --data multiplication --layers 2,32,1 --activation tanh --epochs 30 --out thermo.csv --plot thermo.png\n"
      "  ldyn thermo --data fashion-mnist --layers 784,64,10 --activation relu --epochs 10 --every 100\n"
      "  ldyn thermo --from trained.net --data fashion-mnist");
  add_network_options(sub, *n, true);
  add_optimizer_options(sub, *a);
  const std::string group = "Thermodynamics";
  sub->add_option("--from", th->from, "measure this saved network (ldyn train --save) once instead of training")->group(group);
  sub->add_option("--every", th->every, "optimizer steps between measurements (0: at the end of each epoch)")
      ->capture_default_str()->group(group);
  sub->add_option("--thermo-samples", th->measure.samples, "training samples the ensemble is measured on (0: all)")
      ->capture_default_str()->group(group);
  sub->add_option("--relax-steps", th->measure.relaxation.max_steps, "gradient steps relaxing the hidden states")
      ->capture_default_str()->group(group);
  sub->add_option("--equilibrium-tolerance", th->equilibrium_tolerance,
                  "second law: equilibrium once U falls by less than this fraction over --equilibrium-window points")
      ->capture_default_str()->group(group);
  sub->add_option("--equilibrium-window", th->equilibrium_window, "second law: measurement points looked ahead")
      ->capture_default_str()->group(group);
  add_run_outputs(sub, *a,
                  {.out = "CSV, one row per measurement: step,epoch,train_loss,test_loss,...,entropy,free_energy",
                   .plot = "PNG of the entropies (and NAME-first-law.png, NAME-temperature.png)",
                   .json = "JSON summary with the laws' checks"});
  add_job(sub, [a, n, th] { return run_thermo(*a, *n, *th); });
}

}  // namespace ldyn::cli
