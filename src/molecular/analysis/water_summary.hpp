#pragma once
// Everything `ldyn water compare` reports about one water trajectory, computed in one call:
// O–O, O–H and H–H radial distribution functions (total and intermolecular) with their first
// peaks, the O–H bond and H–O–H angle distributions, the oxygen MSD and self-diffusion
// coefficient, and the temperature when the frames carry velocities.
#include <array>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "molecular/analysis/diffusion.hpp"
#include "molecular/analysis/distribution.hpp"
#include "molecular/analysis/msd.hpp"
#include "molecular/analysis/rdf.hpp"
#include "molecular/analysis/rdf_peak.hpp"

namespace ldyn::molecular::analysis {

/// The species pairs of water in the order of every per-pair array below.
inline constexpr std::array<std::array<const char*, 2>, 3> water_pairs{{{"O", "O"}, {"O", "H"}, {"H", "H"}}};

struct WaterSummaryOptions {
  RdfOptions rdf;
  PeakOptions peak;
  DiffusionWindow diffusion;
  // Histogram ranges: wide enough for any sane water model at room temperature.
  double bond_lo = 0.8, bond_hi = 1.2, bond_bin = 0.005;      ///< Å
  double angle_lo = 80.0, angle_hi = 130.0, angle_bin = 0.5;  ///< degrees
};

struct WaterSummary {
  std::string source;
  std::size_t frames = 0;
  double first_time_fs = 0.0, last_time_fs = 0.0;
  double mean_box_length = 0.0;                 ///< V^(1/3) of the mean volume, Å
  std::array<PairDistribution, 3> rdf;          ///< water_pairs order
  std::array<std::optional<Peak>, 3> peak;      ///< first peak of the intermolecular g
  std::array<std::optional<Peak>, 3> peak_total;///< first peak of the total g
  Distribution bond_oh, angle_hoh;
  std::size_t molecules_without_two_h = 0;
  MeanSquareDisplacement msd_oxygen;
  std::optional<DiffusionFit> diffusion;        ///< empty when the window holds < 2 MSD points
  std::vector<double> temperature;              ///< K per frame; empty without velocities
  std::optional<double> mean_temperature;
};

/// Analyses `frames` at `times` (fs, evenly spaced; frame_times.hpp). FileError naming `source` for
/// a symbol other than O or H, fewer than two O or two H atoms, frames that prepare_trajectory
/// refuses, or unevenly spaced times; InvalidOption for the options (rdf.hpp).
WaterSummary summarize_water(std::span<const io::Frame> frames, std::span<const double> times,
                             const WaterSummaryOptions& options, std::string source);

}  // namespace ldyn::molecular::analysis
