#include "molecular/analysis/water_summary.hpp"

#include <cmath>
#include <numeric>

#include "core/error.hpp"
#include "molecular/analysis/frame_times.hpp"
#include "molecular/analysis/prepared_trajectory.hpp"
#include "molecular/analysis/temperature.hpp"
#include "molecular/analysis/water_geometry.hpp"

namespace ldyn::molecular::analysis {

namespace {

void check_water_species(const PreparedTrajectory& t) {
  for (const std::string& s : t.species)
    if (s != "O" && s != "H")
      throw FileError(t.source, "unknown species '" + s + "': a water trajectory holds only O and H atoms");
  // Two of each at least: g_OO and g_HH need pairs.
  if (t.count(t.species_index("O")) < 2 || t.count(t.species_index("H")) < 2)
    throw FileError(t.source, "a water trajectory needs at least two O and two H atoms");
}

}  // namespace

WaterSummary summarize_water(std::span<const io::Frame> frames, std::span<const double> times,
                             const WaterSummaryOptions& options, std::string source) {
  if (times.size() != frames.size()) throw Error(source + ": one time per frame is needed");
  const PreparedTrajectory t = prepare_trajectory(frames, source);
  check_water_species(t);
  WaterSummary s;
  s.source = std::move(source);
  s.frames = t.frame_count();
  s.first_time_fs = times.front();
  s.last_time_fs = times.back();
  double volume = 0.0;
  for (const Box& b : t.boxes) volume += b.volume();
  s.mean_box_length = std::cbrt(volume / static_cast<double>(t.frame_count()));

  const std::vector<PairDistribution> rdfs = radial_distributions(t, options.rdf);
  for (std::size_t p = 0; p < water_pairs.size(); ++p) {
    s.rdf[p] = find_pair(rdfs, water_pairs[p][0], water_pairs[p][1]);
    s.peak[p] = first_peak(s.rdf[p].r, s.rdf[p].intermolecular, s.rdf[p].bin_width, options.peak);
    s.peak_total[p] = first_peak(s.rdf[p].r, s.rdf[p].total, s.rdf[p].bin_width, options.peak);
  }

  const WaterGeometrySamples geometry = water_geometry(t);
  s.bond_oh = distribution(geometry.bond_oh, options.bond_lo, options.bond_hi, options.bond_bin);
  if (geometry.angle_hoh.empty()) throw FileError(s.source, "no molecule has two H: no H-O-H angle to measure");
  s.angle_hoh = distribution(geometry.angle_hoh, options.angle_lo, options.angle_hi, options.angle_bin);
  s.molecules_without_two_h = geometry.molecules_without_two_h;

  if (t.frame_count() >= 2) {
    s.msd_oxygen = mean_square_displacement(t, "O", uniform_interval(times, s.source));
    if (points_in_window(s.msd_oxygen, options.diffusion) >= 2) s.diffusion = fit_diffusion(s.msd_oxygen, options.diffusion);
  }

  s.temperature = frame_temperatures(t);
  if (!s.temperature.empty())
    s.mean_temperature = std::accumulate(s.temperature.begin(), s.temperature.end(), 0.0) /
                         static_cast<double>(s.temperature.size());
  return s;
}

}  // namespace ldyn::molecular::analysis
