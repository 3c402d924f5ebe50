// `ldyn water compare`: structure and dynamics of a water trajectory against a reference (RDFs,
// first peaks, bond and angle, diffusion, temperature), as a table, a JSON summary and PNG overlays.
// The analyses live in molecular/analysis (water_summary.hpp); this file reads, reports and plots.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "cli_text.hpp"
#include "commands.hpp"
#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "core/plot.hpp"
#include "molecular/analysis/frame_times.hpp"
#include "molecular/analysis/rdf_error.hpp"
#include "molecular/analysis/water_summary.hpp"
#include "molecular/system.hpp"
#include "molecular/trajectory.hpp"

namespace ldyn::cli {
namespace {

namespace fs = std::filesystem;
namespace an = molecular::analysis;
namespace mio = molecular::io;

struct CompareArgs {
  std::string reference, trajectory, json, reference_velocities, trajectory_velocities;
  std::string velocity_unit = "angstrom/fs", out_dir;
  double cell = 0.0, skip_ps = 0.0, rdf_max = 6.0, bin = 0.02, viscosity = 0.85e-3, frame_dt = 0.0,
         temperature = 0.0, fit_start = 0.2, fit_end = 0.5;
  long stride = 1;
  bool yeh_hummer = false, no_plots = false;
  CLI::Option *cell_given = nullptr, *frame_dt_given = nullptr, *temperature_given = nullptr;
};

// One side of the comparison: its frames after --stride and --skip, and what was measured.
struct Side {
  std::string label, path;
  std::vector<mio::Frame> frames;
  std::vector<double> times;
  an::WaterSummary summary;
  std::optional<double> diffusion_corrected;  // Yeh–Hummer, when asked for
};

void require_positive(double v, const char* option) {
  if (!(std::isfinite(v) && v > 0.0)) throw InvalidOption(option, "must be > 0 (got " + format("%g", v) + ")");
}

void check_args(const CompareArgs& a) {
  if (a.cell_given->count()) require_positive(a.cell, "--cell");
  if (a.frame_dt_given->count()) require_positive(a.frame_dt, "--frame-dt");
  if (a.temperature_given->count()) require_positive(a.temperature, "--temperature");
  require_positive(a.rdf_max, "--rdf-max");
  require_positive(a.bin, "--bin");
  require_positive(a.viscosity, "--viscosity");
  if (a.bin > a.rdf_max) throw InvalidOption("--bin", "must not exceed --rdf-max");
  if (!(a.skip_ps >= 0.0 && std::isfinite(a.skip_ps))) throw InvalidOption("--skip", "must be >= 0 ps");
  if (a.stride < 1) throw InvalidOption("--stride", "must be >= 1");
  mio::parse_velocity_unit(a.velocity_unit, "--velocity-unit");
  if (!(a.fit_start >= 0.0 && a.fit_start < a.fit_end && a.fit_end <= 1.0))
    throw InvalidOption("--msd-fit-start/--msd-fit-end", "need 0 <= start < end <= 1 (fractions of the run)");
}

// Reads one side: frames (with velocities when a CP2K velocities file is given), times, --skip.
Side load(const CompareArgs& a, const std::string& label, const std::string& path, const std::string& velocities) {
  Side s{label, path, {}, {}, {}, {}};
  mio::FrameRange range;
  range.stride = static_cast<std::size_t>(a.stride);
  const std::optional<double> cell = a.cell_given->count() ? std::optional<double>(a.cell) : std::nullopt;
  s.frames = molecular::read_trajectory(path, cell, range);
  if (!velocities.empty())
    molecular::attach_cp2k_velocities(s.frames, velocities, mio::parse_velocity_unit(a.velocity_unit, "--velocity-unit"),
                                      range);
  // --frame-dt is the interval in the file; the frames kept are --stride of them apart.
  const std::optional<double> dt =
      a.frame_dt_given->count() ? std::optional<double>(a.frame_dt * static_cast<double>(a.stride)) : std::nullopt;
  s.times = an::frame_times(s.frames, dt, path);
  std::size_t first = 0;
  const double start = s.times.front() + a.skip_ps * 1000.0;
  while (first < s.times.size() && s.times[first] < start - 1e-6) ++first;
  if (first == s.times.size())
    throw InvalidOption("--skip", format("%g ps", a.skip_ps) + " leaves no frame of " + path + " (it spans " +
                                      format("%g ps)", (s.times.back() - s.times.front()) / 1000.0));
  s.frames.erase(s.frames.begin(), s.frames.begin() + static_cast<std::ptrdiff_t>(first));
  s.times.erase(s.times.begin(), s.times.begin() + static_cast<std::ptrdiff_t>(first));
  // Named here so that the message names the option (the library checks it again).
  double largest = std::numeric_limits<double>::infinity();
  for (const mio::Frame& f : s.frames) largest = std::min(largest, molecular::Box::from_frame(f, path).half_min_length());
  if (a.rdf_max > largest * (1.0 + 1e-12))
    throw InvalidOption("--rdf-max", format("%g Å", a.rdf_max) + " is larger than half the shortest box edge (" +
                                         format("%g Å", largest) + ") of " + path);
  return s;
}

void add_yeh_hummer(const CompareArgs& a, Side& s) {
  if (!a.yeh_hummer) return;
  const std::optional<double> t = s.summary.mean_temperature
                                      ? s.summary.mean_temperature
                                      : (a.temperature_given->count() ? std::optional<double>(a.temperature) : std::nullopt);
  if (!t)
    throw InvalidOption("--yeh-hummer", "needs the temperature of " + s.path +
                                            ": give its velocities or --temperature");
  if (!s.summary.diffusion) return;
  s.diffusion_corrected = s.summary.diffusion->d_1e5_cm2_per_s +
                          an::yeh_hummer_correction(*t, a.viscosity, s.summary.mean_box_length);
}

std::string pair_name(std::size_t p) { return std::string(an::water_pairs[p][0]) + an::water_pairs[p][1]; }

// ---- table ----

std::string cell(const std::optional<double>& v, const char* f) { return v ? format(f, *v) : "-"; }

std::string relative(const std::optional<double>& ref, const std::optional<double>& traj) {
  if (!ref || !traj || *ref == 0.0) return "";
  return format("%+.2f%%", 100.0 * (*traj - *ref) / *ref);
}

void row(const std::string& name, const std::optional<double>& ref, const std::optional<double>& traj, const char* f,
         const std::string& diff = "") {
  std::printf("%-34s %12s %12s %12s\n", name.c_str(), cell(ref, f).c_str(), cell(traj, f).c_str(),
              (diff.empty() ? relative(ref, traj) : diff).c_str());
}

std::optional<double> peak_position(const std::optional<an::Peak>& p) { return p ? std::optional(p->position) : std::nullopt; }
std::optional<double> peak_height(const std::optional<an::Peak>& p) { return p ? std::optional(p->height) : std::nullopt; }
std::optional<double> diffusion(const Side& s) {
  return s.summary.diffusion ? std::optional(s.summary.diffusion->d_1e5_cm2_per_s) : std::nullopt;
}

struct Errors {
  double intermolecular[3], total[3];
};

void print_table(const CompareArgs& a, const Side& ref, const Side& traj, const Errors& e) {
  for (const Side* s : {&ref, &traj})
    std::printf("%-10s %s: %zu frames, %.1f-%.1f fs\n", s->label.c_str(), s->path.c_str(), s->summary.frames,
                s->summary.first_time_fs, s->summary.last_time_fs);
  std::printf("\n%-34s %12s %12s %12s\n", "", "reference", "trajectory", "difference");
  for (int total = 0; total < 2; ++total)
    for (std::size_t p = 0; p < 3; ++p) {
      const std::string g = "g_" + pair_name(p) + (total ? " total" : " intermolecular");
      const auto& rp = total ? ref.summary.peak_total[p] : ref.summary.peak[p];
      const auto& tp = total ? traj.summary.peak_total[p] : traj.summary.peak[p];
      row(g + " MAE " + format("0-%g A", std::min(a.rdf_max, 6.0)), std::nullopt, std::nullopt, "%.4f",
          format("%.4f", total ? e.total[p] : e.intermolecular[p]));
      row("  first peak position (A)", peak_position(rp), peak_position(tp), "%.3f");
      row("  first peak height", peak_height(rp), peak_height(tp), "%.3f");
    }
  row("O-H bond mean (A)", ref.summary.bond_oh.mean, traj.summary.bond_oh.mean, "%.4f");
  row("O-H bond std (A)", ref.summary.bond_oh.stddev, traj.summary.bond_oh.stddev, "%.4f");
  row("H-O-H angle mean (deg)", ref.summary.angle_hoh.mean, traj.summary.angle_hoh.mean, "%.2f");
  row("H-O-H angle std (deg)", ref.summary.angle_hoh.stddev, traj.summary.angle_hoh.stddev, "%.2f");
  row("D oxygen (1e-5 cm^2/s)", diffusion(ref), diffusion(traj), "%.3f");
  if (a.yeh_hummer) row("D Yeh-Hummer (1e-5 cm^2/s)", ref.diffusion_corrected, traj.diffusion_corrected, "%.3f");
  row("mean temperature (K)", ref.summary.mean_temperature, traj.summary.mean_temperature, "%.1f");
}

// ---- JSON ----

/// A JSON number, or null when absent.
std::string json_number(const std::optional<double>& v) { return v ? ldyn::cli::json_number(*v) : "null"; }

std::string json_peaks(const std::array<std::optional<an::Peak>, 3>& peaks) {
  std::string j = "{";
  for (std::size_t p = 0; p < 3; ++p)
    j += (p ? ", \"" : "\"") + pair_name(p) + "\": {\"position\": " + json_number(peak_position(peaks[p])) +
         ", \"height\": " + json_number(peak_height(peaks[p])) + "}";
  return j + "}";
}

std::string json_side(const Side& s) {
  const an::WaterSummary& w = s.summary;
  std::ostringstream j;
  j << "{\"file\": " << json_string(s.path) << ", \"frames\": " << w.frames
    << ", \"first_time_fs\": " << json_number(w.first_time_fs) << ", \"last_time_fs\": " << json_number(w.last_time_fs)
    << ", \"box_length\": " << json_number(w.mean_box_length) << ",\n    \"peak\": " << json_peaks(w.peak)
    << ",\n    \"peak_total\": " << json_peaks(w.peak_total) << ",\n    \"bond_oh\": {\"mean\": "
    << json_number(w.bond_oh.mean) << ", \"std\": " << json_number(w.bond_oh.stddev)
    << ", \"samples\": " << w.bond_oh.samples << "}, \"angle_hoh\": {\"mean\": " << json_number(w.angle_hoh.mean)
    << ", \"std\": " << json_number(w.angle_hoh.stddev) << ", \"samples\": " << w.angle_hoh.samples
    << "},\n    \"diffusion\": " << json_number(diffusion(s))
    << ", \"diffusion_yeh_hummer\": " << json_number(s.diffusion_corrected);
  if (w.diffusion)
    j << ", \"diffusion_fit\": {\"lag_start_fs\": " << json_number(w.diffusion->lag_start_fs)
      << ", \"lag_end_fs\": " << json_number(w.diffusion->lag_end_fs) << ", \"points\": " << w.diffusion->points
      << ", \"slope_a2_per_fs\": " << json_number(w.diffusion->slope_a2_per_fs) << "}";
  j << ", \"temperature\": " << json_number(w.mean_temperature) << "}";
  return j.str();
}

void write_json(const CompareArgs& a, const Side& ref, const Side& traj, const Errors& e) {
  std::ostringstream j;
  const auto errors = [&](const double* v) {
    std::string s = "{";
    for (std::size_t p = 0; p < 3; ++p) s += (p ? ", \"" : "\"") + pair_name(p) + "\": " + json_number(v[p]);
    return s + "}";
  };
  j << "{\n  \"rdf_mae\": " << errors(e.intermolecular) << ",\n  \"rdf_mae_total\": " << errors(e.total)
    << ",\n  \"frames\": {\"reference\": " << ref.summary.frames << ", \"trajectory\": " << traj.summary.frames << "}"
    << ",\n  \"reference\": " << json_side(ref) << ",\n  \"trajectory\": " << json_side(traj)
    << ",\n  \"settings\": {\"rdf_max\": " << json_number(a.rdf_max) << ", \"bin\": " << json_number(a.bin)
    << ", \"mae_range\": " << json_number(std::min(a.rdf_max, 6.0)) << ", \"skip_ps\": " << json_number(a.skip_ps)
    << ", \"stride\": " << a.stride << ", \"cell\": " << (a.cell_given->count() ? json_number(a.cell) : "null")
    << ", \"msd_species\": \"O\", \"msd_fit\": [" << json_number(a.fit_start) << ", " << json_number(a.fit_end)
    << "], \"yeh_hummer\": " << (a.yeh_hummer ? "true" : "false") << ", \"viscosity_pa_s\": "
    << json_number(a.viscosity) << ", \"yeh_hummer_xi\": " << json_number(an::yeh_hummer_xi) << "}\n}\n";
  write_text_atomically(a.json, j.str());
  std::printf("\nsummary: %s\n", a.json.c_str());
}

// ---- plots ----

void plot(const fs::path& png, const LinePlot& p) { save_plot(p, png); }

void write_plots(const CompareArgs& a, const Side& ref, const Side& traj) {
  if (!gnuplot_available()) {  // said once, not once per plot
    std::fprintf(stderr, "warning: no plots written: gnuplot not found (apt-get install gnuplot-nox)\n");
    return;
  }
  const fs::path dir = !a.out_dir.empty() ? fs::path(a.out_dir)
                       : !a.json.empty() && fs::path(a.json).has_parent_path() ? fs::path(a.json).parent_path()
                                                                                : fs::path(".");
  const auto series = [](const Side& s, const std::vector<double>& x, const std::vector<double>& y) {
    return PlotSeries{s.label + " (" + fs::path(s.path).filename().string() + ")", x, y};
  };
  for (int total = 0; total < 2; ++total)
    for (std::size_t p = 0; p < 3; ++p) {
      LinePlot lp;
      lp.title = "g_" + pair_name(p) + (total ? "(r), all pairs" : "(r), intermolecular");
      lp.xlabel = "r (Å)";
      lp.ylabel = "g(r)";
      for (const Side* s : {&ref, &traj})
        lp.series.push_back(series(*s, s->summary.rdf[p].r, total ? s->summary.rdf[p].total : s->summary.rdf[p].intermolecular));
      plot(dir / ((total ? "rdf_total_" : "rdf_") + pair_name(p) + ".png"), lp);
    }
  const auto histogram = [&](const char* title, const char* x, const char* name,
                             const an::Distribution& r, const an::Distribution& t) {
    LinePlot lp;
    lp.title = title;
    lp.xlabel = x;
    lp.ylabel = "probability density";
    lp.series = {series(ref, r.centre, r.density), series(traj, t.centre, t.density)};
    plot(dir / name, lp);
  };
  histogram("O-H bond length", "r_OH (Å)", "bond_oh.png", ref.summary.bond_oh, traj.summary.bond_oh);
  histogram("H-O-H angle", "angle (degrees)", "angle_hoh.png", ref.summary.angle_hoh, traj.summary.angle_hoh);
  LinePlot msd;
  msd.title = "oxygen mean square displacement";
  msd.xlabel = "lag (fs)";
  msd.ylabel = "MSD (Å^2)";
  for (const Side* s : {&ref, &traj})
    if (!s->summary.msd_oxygen.msd.empty()) msd.series.push_back(series(*s, s->summary.msd_oxygen.lag_fs, s->summary.msd_oxygen.msd));
  if (!msd.series.empty()) plot(dir / "msd.png", msd);
}

int run(const CompareArgs& a) {
  check_args(a);
  Side ref = load(a, "reference", a.reference, a.reference_velocities);
  Side traj = load(a, "trajectory", a.trajectory, a.trajectory_velocities);
  an::WaterSummaryOptions options;
  options.rdf = {a.rdf_max, a.bin};
  options.diffusion = {a.fit_start, a.fit_end};
  for (Side* s : {&ref, &traj}) {
    s->summary = an::summarize_water(s->frames, s->times, options, s->path);
    add_yeh_hummer(a, *s);
  }
  // Warnings only once everything is computed, so that an error is the only line printed.
  for (const Side* s : {&ref, &traj})
    if (!s->summary.diffusion)
      std::fprintf(stderr, "warning: %s: too few frames for a diffusion fit (D not reported)\n", s->path.c_str());
  Errors e{};
  for (std::size_t p = 0; p < 3; ++p) {
    const an::PairDistribution &r = ref.summary.rdf[p], &t = traj.summary.rdf[p];
    e.intermolecular[p] = an::rdf_mean_absolute_error(r.intermolecular, r.bin_width, t.intermolecular, t.bin_width);
    e.total[p] = an::rdf_mean_absolute_error(r.total, r.bin_width, t.total, t.bin_width);
  }
  print_table(a, ref, traj, e);
  if (!a.json.empty()) write_json(a, ref, traj, e);
  if (!a.no_plots) write_plots(a, ref, traj);
  return 0;
}

}  // namespace

void register_water_compare(CLI::App& water) {
  auto a = std::make_shared<CompareArgs>();
  CLI::App* sub = water.add_subcommand(
      "compare", "compare a water trajectory with a reference: RDFs, first peaks, bond and angle, diffusion, temperature");
  sub->add_option("--reference", a->reference, "reference trajectory (extended XYZ or CP2K xyz; .xz/.gz)")->required();
  sub->add_option("--trajectory", a->trajectory, "trajectory to compare (extended XYZ or CP2K xyz; .xz/.gz)")->required();
  sub->add_option("--json", a->json, "write a JSON summary here");
  a->cell_given = sub->add_option("--cell", a->cell, "cubic box edge (Å) for frames without a Lattice (CP2K files)");
  sub->add_option("--reference-velocities", a->reference_velocities, "CP2K velocities file of the reference");
  sub->add_option("--trajectory-velocities", a->trajectory_velocities, "CP2K velocities file of the trajectory");
  sub->add_option("--velocity-unit", a->velocity_unit, "unit of the CP2K velocities files: angstrom/fs or bohr/au_time")
      ->capture_default_str();
  sub->add_option("--skip", a->skip_ps, "discard the first PS picoseconds of both (equilibration)")->capture_default_str();
  sub->add_option("--stride", a->stride, "keep every N-th frame of both files")->capture_default_str();
  sub->add_option("--rdf-max", a->rdf_max, "largest r of g(r) (Å), at most half the box edge")->capture_default_str();
  sub->add_option("--bin", a->bin, "bin width of g(r) (Å)")->capture_default_str();
  sub->add_flag("--yeh-hummer", a->yeh_hummer, "also report D with the Yeh-Hummer finite-size correction");
  sub->add_option("--viscosity", a->viscosity, "shear viscosity for Yeh-Hummer (Pa s)")->capture_default_str();
  a->temperature_given =
      sub->add_option("--temperature", a->temperature, "temperature (K) for Yeh-Hummer when a file has no velocities");
  a->frame_dt_given = sub->add_option("--frame-dt", a->frame_dt, "time between frames in the files (fs), when they carry none");
  sub->add_option("--msd-fit-start", a->fit_start, "diffusion fit starts at this fraction of the run")->capture_default_str();
  sub->add_option("--msd-fit-end", a->fit_end, "diffusion fit ends at this fraction of the run")->capture_default_str();
  sub->add_option("--out-dir", a->out_dir, "directory of the PNG plots (default: that of --json, else '.')");
  sub->add_flag("--no-plots", a->no_plots, "write no PNG plots");
  add_job(sub, [a] { return run(*a); });
}

}  // namespace ldyn::cli
