// `ldyn water fit`: infer the agents' losses (O and H) from reference forces by ridge least squares
// with cross-validated regularization; write the model file, the scores and plots of the terms.
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
  double test_fraction = 0.2;
  std::vector<double> lambdas = mol::RidgeSettings{}.lambdas;
  std::size_t first = 0, stride = 1, stop = 0;
  bool no_plots = false;
};

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
  j << "\n  }\n}\n";
  return j.str();
}

int run_fit(const FitArgs& a) {
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
  opt.spec.dynamics = mol::parse_dynamics(a.dynamics);
  opt.spec.wall_strength = a.wall_strength;
  opt.ridge.lambdas = a.lambdas;
  opt.ridge.folds = a.folds;
  if (a.solver != "normal" && a.solver != "qr") throw InvalidOption("--solver", "must be 'normal' or 'qr'");
  opt.ridge.solver = a.solver == "qr" ? mol::RidgeSettings::Solver::qr : mol::RidgeSettings::Solver::normal;
  opt.test_fraction = a.test_fraction;
  opt.progress = ProgressBar::terminal_available();

  std::string sources;
  for (const auto& f : a.data) sources += (sources.empty() ? "" : " ") + fs::path(f).filename().string();
  const mol::FitReport r = mol::fit_model(frames, opt, {{"data", sources}, {"fitted_by", "ldyn water fit"}});
  mol::write_model_file(a.out, r.model);

  const auto& spec = r.model.spec;
  std::printf("fitted %d coefficients (%s dynamics) on %zu frames, tested on the last %zu, in %.1f s\n",
              spec.total_size(), mol::to_string(spec.dynamics), r.frames_train, r.frames_test, r.seconds);
  std::printf("%-8s %10s %14s %14s %10s %10s\n", "species", "lambda", "RMSE train", "RMSE test", "R2 train", "R2 test");
  for (std::size_t s = 0; s < spec.species.size(); ++s) {
    const auto& sc = r.ridge.species[s];
    std::printf("%-8s %10.3g %14.5f %14.5f %10.5f %10.5f\n", spec.species.symbols[s].c_str(), sc.lambda, sc.rmse_train,
                sc.rmse_test, sc.r2_train, sc.r2_test);
  }
  std::printf("(force RMSE in eV/A)\nmodel: %s\n", a.out.c_str());
  if (!a.json.empty()) {
    write_text_atomically(a.json, json_report(r, a.out));
    std::printf("report: %s\n", a.json.c_str());
  }
  if (!a.no_plots) {
    const fs::path out(a.out);
    const fs::path dir = a.plots.empty() ? out.parent_path() : fs::path(a.plots);
    if (!dir.empty()) fs::create_directories(dir);
    write_plots(r, dir / out.stem());
  }
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
  add_job(sub, [a] { return run_fit(*a); });
}

}  // namespace ldyn::cli
