// `ldyn water fit`: infer the agents' losses (O and H) from reference forces by ridge least squares
// with cross-validated regularization; write the model file, the scores and plots of the terms.
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "cli_text.hpp"
#include "commands.hpp"
#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "core/progress.hpp"
#include "molecular/fit/fit_model.hpp"
#include "molecular/fit/training_data.hpp"
#include "molecular/model/model_curves.hpp"

namespace ldyn::cli {
namespace {

namespace fs = std::filesystem;
namespace mol = ldyn::molecular;

struct FitArgs {
  std::vector<std::string> data;
  std::string out, json, plots, force_unit = "eV/A", dynamics = "agent", solver = "normal";
  double cell = 0.0;
  double pair_inner = 0.7, pair_cutoff = 6.0, angular_inner = 0.7, angular_cutoff = 3.2, wall_strength = 100.0;
  int pair_count = 48, angular_count = 5, lmax = 6, folds = 5;
  double test_fraction = 0.2, smoothness = mol::RidgeSettings{}.smoothness;
  std::vector<double> lambdas = mol::RidgeSettings{}.lambdas;
  std::size_t first = 0, stride = 1, stop = 0;
  bool no_plots = false;
  std::string cgd;  // preset; empty: no CGD route
  double cgd_lr = mol::CgdFitSettings{}.lr;
  int cgd_epochs = mol::CgdFitSettings{}.epochs, cgd_batch = mol::CgdFitSettings{}.batch_frames;
  std::uint64_t seed = 1;
  double cgd_eps = 0.0, cgd_alpha = -1.0, cgd_lambda = 0.0;
  std::string select = "structure";
  double select_ps = 2.0, select_temperature = 300.0;
  bool cgd_constant = false;
};

/// Names of the least-squares problems: one per species (agent) or one joint problem.
std::string problem_name(const mol::ModelSpec& spec, std::size_t p) {
  return spec.dynamics == mol::Dynamics::agent ? spec.species.symbols[p] : std::string("all");
}

void report_cgd(const mol::FitReport& r, const FitArgs& a, const std::filesystem::path& png) {
  const auto& spec = r.model.spec;
  const auto& c = *r.cgd;
  std::printf("\nlearning-dynamics fit (%s, lr %g, %d epochs of %d-frame minibatches, %ld steps, %.1f s) "
              "against the direct solve:\n", a.cgd.c_str(), a.cgd_lr, a.cgd_epochs, a.cgd_batch, c.steps, c.seconds);
  std::printf("%-8s %22s %22s\n", "problem", "|c - c*| / |c*|", "excess objective");
  for (std::size_t p = 0; p < c.coefficient_error.size(); ++p)
    std::printf("%-8s %22.3e %22.3e\n", problem_name(spec, p).c_str(), c.coefficient_error[p].back(),
                c.excess_objective[p].back());
  std::printf("%-8s %14s %14s   (direct solve at lambda: train, test)\n", "species", "RMSE train", "RMSE test");
  for (std::size_t s = 0; s < spec.species.size(); ++s)
    std::printf("%-8s %14.5f %14.5f   (%.3g: %.5f, %.5f)\n", spec.species.symbols[s].c_str(), r.cgd_scores[s].rmse_train,
                r.cgd_scores[s].rmse_test, r.cgd_target[s].lambda, r.cgd_target[s].rmse_train, r.cgd_target[s].rmse_test);
  if (a.no_plots) return;
  LinePlot plot{"learning-dynamics fit (" + a.cgd + ") approaching the direct solve", "epoch", "relative distance", false,
                true, {}};
  for (std::size_t p = 0; p < c.coefficient_error.size(); ++p) {
    PlotSeries err{problem_name(spec, p) + ": |c - c*| / |c*|", {}, {}}, obj{problem_name(spec, p) + ": excess objective", {}, {}};
    for (std::size_t e = 0; e < c.coefficient_error[p].size(); ++e) {
      err.x.push_back(static_cast<double>(e));
      err.y.push_back(std::max(c.coefficient_error[p][e], 1e-300));
      obj.x.push_back(static_cast<double>(e));
      obj.y.push_back(std::max(c.excess_objective[p][e], 1e-300));
    }
    plot.series.push_back(std::move(err));
    plot.series.push_back(std::move(obj));
  }
  save_plot(plot, png);
}

void write_plots(const mol::FitReport& r, const fs::path& stem) {
  const auto& spec = r.model.spec;
  for (int s = 0; s < spec.types(); ++s) {
    const std::string& S = spec.species.symbols[static_cast<std::size_t>(s)];
    LinePlot pair{"pair terms of the " + S + " agent's loss", "r (A)", "loss term (eV)", false, false, {}};
    for (const auto& c : mol::pair_curves(spec, r.model.coefficients))
      if (c.centre == s) pair.series.push_back({c.name, c.x, c.y});
    save_plot(pair, stem.string() + "-pair-" + S + ".png");
    LinePlot angle{"angle terms of the " + S + " agent's loss (neighbours at their most frequent distances)",
                   "angle (degrees)", "loss term (eV)", false, false, {}};
    for (const auto& c : mol::angle_curves(spec, r.model.coefficients, r.typical))
      if (c.centre == s) angle.series.push_back({c.name, c.x, c.y});
    if (!angle.series.empty()) save_plot(angle, stem.string() + "-angle-" + S + ".png");
  }
}

std::string json_report(const mol::FitReport& r, const std::string& model_path) {
  std::ostringstream j;
  const auto& spec = r.model.spec;
  j << "{\n  \"model\": " << json_string(model_path) << ",\n  \"dynamics\": \"" << mol::to_string(spec.dynamics)
    << "\",\n  \"frames_train\": " << r.frames_train << ",\n  \"frames_test\": " << r.frames_test
    << ",\n  \"coefficients\": " << spec.total_size() << ",\n  \"seconds\": " << json_number(r.seconds)
    << ",\n  \"species\": {";
  for (std::size_t s = 0; s < spec.species.size(); ++s) {
    const auto& sc = r.ridge.species[s];
    j << (s ? ",\n" : "\n") << "    " << json_string(spec.species.symbols[s]) << ": {\"lambda\": " << json_number(sc.lambda)
      << ", \"rmse_train\": " << json_number(sc.rmse_train) << ", \"rmse_test\": " << json_number(sc.rmse_test)
      << ", \"r2_train\": " << json_number(sc.r2_train) << ", \"r2_test\": " << json_number(sc.r2_test) << "}";
  }
  j << "\n  },\n  \"lambda_cv\": [";
  for (std::size_t s = 0; s < r.lambda_cv.size(); ++s) j << (s ? ", " : "") << json_number(r.lambda_cv[s]);
  j << "],\n  \"selection\": [";
  for (std::size_t k = 0; k < r.trials.size(); ++k) {
    const auto& t = r.trials[k];
    j << (k ? ",\n    " : "\n    ") << "{\"lambda\": " << json_number(t.lambda) << ", \"stable\": " << (t.stable ? "true" : "false")
      << ", \"rdf_mae\": {\"OO\": " << json_number(t.stable ? t.rdf_mae[0] : NAN) << ", \"OH\": "
      << json_number(t.stable ? t.rdf_mae[1] : NAN) << ", \"HH\": " << json_number(t.stable ? t.rdf_mae[2] : NAN)
      << "}, \"failure\": " << json_string(t.failure) << "}";
  }
  j << "]";
  if (r.cgd) {
    j << ",\n  \"cgd\": {\"steps\": " << r.cgd->steps << ", \"seconds\": " << json_number(r.cgd->seconds) << ", \"problems\": {";
    for (std::size_t p = 0; p < r.cgd->coefficient_error.size(); ++p)
      j << (p ? ", " : "") << json_string(problem_name(spec, p)) << ": {\"coefficient_error\": "
        << json_number(r.cgd->coefficient_error[p].back()) << ", \"excess_objective\": "
        << json_number(r.cgd->excess_objective[p].back()) << "}";
    j << "}, \"species\": {";
    for (std::size_t s = 0; s < spec.species.size(); ++s)
      j << (s ? ", " : "") << json_string(spec.species.symbols[s]) << ": {\"rmse_train\": "
        << json_number(r.cgd_scores[s].rmse_train) << ", \"rmse_test\": " << json_number(r.cgd_scores[s].rmse_test) << "}";
    j << "}}";
  }
  j << "\n}\n";
  return j.str();
}

int run_fit(const FitArgs& a) {
  // Options that need no data are checked before the data is read.
  const mol::Dynamics dynamics = mol::parse_dynamics(a.dynamics);
  if (a.solver != "normal" && a.solver != "qr") throw InvalidOption("--solver", "must be 'normal' or 'qr'");
  mol::TrainingDataOptions data;
  if (a.cell > 0.0) data.cubic_cell = a.cell;
  data.cp2k_force_unit = mol::io::parse_force_unit(a.force_unit, "--force-unit");
  if (a.stride < 1) throw InvalidOption("--stride", "must be >= 1");
  data.range = {a.first, a.stop > 0 ? a.stop : std::numeric_limits<std::size_t>::max(), a.stride};
  std::vector<fs::path> files(a.data.begin(), a.data.end());
  const auto frames = mol::read_training_frames(files, data);
  std::printf("data: %zu frames of %zu atoms\n", frames.size(), frames.front().size());

  mol::FitOptions opt;
  opt.spec.pair = mol::CubicBSpline(a.pair_inner, a.pair_cutoff, a.pair_count, "--pair-cutoff/--pair-inner/--pair-count");
  opt.spec.angular = mol::CubicBSpline(a.angular_inner, a.angular_cutoff, a.angular_count,
                                       "--angular-cutoff/--angular-inner/--angular-count");
  opt.spec.lmax = a.lmax;
  opt.spec.dynamics = dynamics;
  opt.spec.wall_strength = a.wall_strength;
  opt.ridge.lambdas = a.lambdas;
  opt.ridge.folds = a.folds;
  opt.ridge.smoothness = a.smoothness;
  opt.ridge.solver = a.solver == "qr" ? mol::RidgeSettings::Solver::qr : mol::RidgeSettings::Solver::normal;
  opt.test_fraction = a.test_fraction;
  opt.progress = ProgressBar::terminal_available();
  if (a.select != "structure" && a.select != "cv") throw InvalidOption("--select", "must be 'structure' or 'cv'");
  if (a.select == "structure") {
    mol::StructureSelection sel;
    sel.picoseconds = a.select_ps;
    sel.temperature_K = a.select_temperature;
    sel.seed = a.seed;
    sel.progress = opt.progress;
    opt.select = sel;
  }
  if (!a.cgd.empty()) {
    mol::CgdFitSettings cgd;
    cgd.preset = a.cgd;
    cgd.lr = a.cgd_lr;
    cgd.epochs = a.cgd_epochs;
    cgd.batch_frames = a.cgd_batch;
    cgd.seed = a.seed;
    if (a.cgd_eps > 0.0) cgd.epsilon = a.cgd_eps;
    if (a.cgd_alpha >= 0.0) cgd.alpha = a.cgd_alpha;
    if (a.cgd_lambda > 0.0) cgd.lambda = a.cgd_lambda;
    cgd.cosine = !a.cgd_constant;
    opt.cgd = cgd;
  }

  std::string sources;
  for (const auto& f : a.data) sources += (sources.empty() ? "" : " ") + fs::path(f).filename().string();
  const mol::FitReport r = mol::fit_model(frames, opt, {{"data", sources}, {"fitted_by", "ldyn water fit"}});
  mol::write_model_file(a.out, r.model);

  const auto& spec = r.model.spec;
  if (!r.trials.empty()) {
    std::printf("lambda by structure: %.3g ps NVT runs at %g K from the first frame, intermolecular RDF MAE against "
                "the training frames\n%10s %12s %8s %8s %8s %8s\n", a.select_ps, a.select_temperature, "lambda",
                "RMSE test O", "g_OO", "g_OH", "g_HH", "mean");
    for (const auto& t : r.trials) {
      if (t.stable)
        std::printf("%10.0e %12.5f %8.4f %8.4f %8.4f %8.4f\n", t.lambda, t.scores.front().rmse_test, t.rdf_mae[0],
                    t.rdf_mae[1], t.rdf_mae[2], t.score);
      else
        std::printf("%10.0e %12.5f   unstable: %s\n", t.lambda, t.scores.front().rmse_test, t.failure.c_str());
    }
  }
  std::printf("fitted %d coefficients (%s dynamics) on %zu frames, tested on the last %zu, in %.1f s\n",
              spec.total_size(), mol::to_string(spec.dynamics), r.frames_train, r.frames_test, r.seconds);
  std::printf("%-8s %10s %14s %14s %10s %10s\n", "species", "lambda", "RMSE train", "RMSE test", "R2 train", "R2 test");
  for (std::size_t s = 0; s < spec.species.size(); ++s) {
    const auto& sc = r.ridge.species[s];
    std::printf("%-8s %10.3g %14.5f %14.5f %10.5f %10.5f\n", spec.species.symbols[s].c_str(), sc.lambda, sc.rmse_train,
                sc.rmse_test, sc.r2_train, sc.r2_test);
  }
  std::printf("(force RMSE in eV/A)\nmodel: %s\n", a.out.c_str());
  const fs::path out(a.out);
  const fs::path plot_dir = a.plots.empty() ? out.parent_path() : fs::path(a.plots);
  if (!a.no_plots && !plot_dir.empty()) fs::create_directories(plot_dir);
  if (r.cgd) report_cgd(r, a, plot_dir / (out.stem().string() + "-cgd.png"));
  if (!a.json.empty()) {
    write_text_atomically(a.json, json_report(r, a.out));
    std::printf("report: %s\n", a.json.c_str());
  }
  if (!a.no_plots) write_plots(r, plot_dir / out.stem());
  return 0;
}

}  // namespace

void register_water_fit(CLI::App& water) {
  auto a = std::make_shared<FitArgs>();
  CLI::App* sub = water.add_subcommand("fit", "infer the agents' losses from reference positions and forces");
  sub->add_option("--data", a->data, "CP2K -pos-/-frc- xyz files (pairs, forces files named *frc*) or extended XYZ "
                                     "with forces; plain, .xz or .gz")->required();
  sub->add_option("--out", a->out, "model file to write")->required();
  sub->add_option("--cell", a->cell, "cubic cell edge (A) for CP2K files");
  sub->add_option("--force-unit", a->force_unit, "unit of CP2K forces files: eV/A or hartree/bohr (CP2K's default)")
      ->capture_default_str();
  sub->add_option("--dynamics", a->dynamics, "agent (m a = -dL_i/dx_i) or symmetric (-grad of the summed losses)")
      ->capture_default_str();
  sub->add_option("--pair-inner", a->pair_inner, "pair basis: start of the B-spline grid (A)")->capture_default_str();
  sub->add_option("--pair-cutoff", a->pair_cutoff, "pair basis: smooth cutoff (A)")->capture_default_str();
  sub->add_option("--pair-count", a->pair_count, "pair basis: number of cubic B-splines")->capture_default_str();
  sub->add_option("--angular-inner", a->angular_inner, "angular radial basis: start (A)")->capture_default_str();
  sub->add_option("--angular-cutoff", a->angular_cutoff, "angular radial basis: smooth cutoff (A)")->capture_default_str();
  sub->add_option("--angular-count", a->angular_count, "angular radial basis: number of B-splines")->capture_default_str();
  sub->add_option("--lmax", a->lmax, "highest Legendre order of the angle terms")->capture_default_str();
  sub->add_option("--wall-strength", a->wall_strength, "repulsive wall below the shortest distance in the data (eV/A^3)")
      ->capture_default_str();
  sub->add_option("--lambdas", a->lambdas, "relative ridge strengths tried by cross-validation");
  sub->add_option("--smoothness", a->smoothness, "weight of the roughness penalty on spline coefficients (0: plain ridge)")
      ->capture_default_str();
  sub->add_option("--folds", a->folds, "cross-validation folds (contiguous blocks of training frames)")->capture_default_str();
  sub->add_option("--test-fraction", a->test_fraction, "fraction of frames (the last ones) held out for testing")
      ->capture_default_str();
  sub->add_option("--solver", a->solver, "normal (normal equations) or qr (exact, keeps all rows in memory)")
      ->capture_default_str();
  sub->add_option("--first", a->first, "first frame of each file (0-based)");
  sub->add_option("--stop", a->stop, "stop before this frame of each file (0: all)");
  sub->add_option("--stride", a->stride, "keep every k-th frame");
  sub->add_option("--json", a->json, "write the scores as JSON");
  sub->add_option("--plots", a->plots, "directory of the PNGs of the fitted terms (default: next to --out)");
  sub->add_flag("--no-plots", a->no_plots, "do not draw the fitted terms");
  sub->add_option("--select", a->select, "how lambda is chosen: cv (force cross-validation only) or structure "
                                         "(then short simulations among lambda >= the CV one)")->capture_default_str();
  sub->add_option("--select-ps", a->select_ps, "length of each structure-selection run (ps)")->capture_default_str();
  sub->add_option("--select-temperature", a->select_temperature, "temperature of the selection runs (K)")
      ->capture_default_str();
  sub->add_option("--cgd", a->cgd, "also fit by minibatch learning dynamics with this optim preset "
                                   "(e.g. cgd-full, adam) and compare with the direct solve");
  sub->add_option("--cgd-lr", a->cgd_lr, "learning rate of the CGD route")->capture_default_str();
  sub->add_option("--cgd-epochs", a->cgd_epochs, "epochs of the CGD route")->capture_default_str();
  sub->add_option("--cgd-batch", a->cgd_batch, "frames per minibatch of the CGD route")->capture_default_str();
  sub->add_option("--cgd-eps", a->cgd_eps, "epsilon of the CGD preset (default: the preset's)");
  sub->add_option("--cgd-alpha", a->cgd_alpha, "metric exponent of the CGD preset (default: the preset's)");
  sub->add_option("--cgd-lambda", a->cgd_lambda, "relative ridge strength of the CGD route (default: the cross-validated one)");
  sub->add_flag("--cgd-constant-lr", a->cgd_constant, "keep the CGD rate constant (default: cosine decay to 0)");
  sub->add_option("--seed", a->seed, "seed of the minibatch order")->capture_default_str();
  add_job(sub, [a] { return run_fit(*a); });
}

}  // namespace ldyn::cli
