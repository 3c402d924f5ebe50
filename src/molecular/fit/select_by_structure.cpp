#include "molecular/fit/select_by_structure.hpp"

#include <algorithm>
#include <array>
#include <filesystem>
#include <string>

#include <unistd.h>

#include "core/error.hpp"
#include "molecular/analysis/prepared_trajectory.hpp"
#include "molecular/analysis/rdf.hpp"
#include "molecular/analysis/rdf_error.hpp"
#include "molecular/io/extxyz.hpp"
#include "molecular/md/blow_up.hpp"
#include "molecular/md/run_md.hpp"
#include "molecular/model/agent_model.hpp"

namespace ldyn::molecular {
namespace {

constexpr std::array<std::array<const char*, 2>, 3> pairs{{{"O", "O"}, {"O", "H"}, {"H", "H"}}};

std::vector<analysis::PairDistribution> rdfs_of(std::span<const io::Frame> frames, const std::string& source,
                                                double bin) {
  const auto prepared = analysis::prepare_trajectory(frames, source);
  analysis::RdfOptions options;
  options.bin_width = bin;
  options.r_max = std::min(6.0, prepared.largest_rdf_range());
  return analysis::radial_distributions(prepared, options);
}

}  // namespace

std::vector<StructureTrial> select_by_structure(const RidgeAccumulator& fits, const RidgeSettings& ridge,
                                                const ModelSpec& spec, const std::vector<io::Frame>& frames,
                                                double lambda_min, const StructureSelection& settings) {
  for (const char* s : {"O", "H"})
    if (spec.species.find(s) < 0)
      throw InvalidOption("--select", "structure selection compares water RDFs and needs O and H");
  const auto reference = rdfs_of(frames, "training frames", settings.rdf_bin);
  const auto dir = std::filesystem::temp_directory_path() / ("ldyn-select-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);

  std::vector<double> lambdas;
  for (double l : ridge.lambdas)
    if (l >= lambda_min) lambdas.push_back(l);
  std::sort(lambdas.begin(), lambdas.end());

  std::vector<StructureTrial> trials;
  for (double lambda : lambdas) {
    StructureTrial trial;
    trial.lambda = lambda;
    RidgeSettings one = ridge;
    one.lambdas = {lambda};
    const RidgeResult fit = fits.solve(one);
    trial.scores = fit.species;
    AgentModel model(spec, fit.coefficients);
    System system = System::from_frame(frames.front(), spec.species, "first training frame");
    md::MdSettings md;
    md.dt_fs = settings.dt_fs;
    md.steps = static_cast<long>(settings.picoseconds * 1000.0 / settings.dt_fs);
    md.temperature_K = settings.temperature_K;
    md.tau_fs = settings.tau_fs;
    md.seed = settings.seed;
    md.trajectory_every = std::max(1L, static_cast<long>(5.0 / settings.dt_fs));  // a frame per 5 fs
    md.log_every = md.steps;
    md.trajectory_path = dir / "trial.extxyz";
    md.progress = settings.progress;
    try {
      md::run_md(system, model, md);
      trial.stable = true;
    } catch (const md::BlowUpError& e) {
      trial.failure = e.what();
    }
    if (trial.stable) {
      const auto traj = io::read_extxyz(md.trajectory_path);
      // The first fifth is equilibration from the reference frame.
      const std::span<const io::Frame> kept(traj.data() + traj.size() / 5, traj.size() - traj.size() / 5);
      const auto g = rdfs_of(kept, "trial run", settings.rdf_bin);
      for (std::size_t p = 0; p < pairs.size(); ++p) {
        const auto& a = analysis::find_pair(g, pairs[p][0], pairs[p][1]);
        const auto& b = analysis::find_pair(reference, pairs[p][0], pairs[p][1]);
        trial.rdf_mae[p] = analysis::rdf_mean_absolute_error(a.intermolecular, a.bin_width, b.intermolecular, b.bin_width);
        trial.score += trial.rdf_mae[p] / 3.0;
      }
    }
    trials.push_back(std::move(trial));
  }
  std::filesystem::remove_all(dir);
  return trials;
}

}  // namespace ldyn::molecular
