#pragma once
// The training loop of `ldyn particles train`: one shared policy, a gradient estimate per iteration
// (evolution strategy or policy gradient), an update by any optim preset, a deterministic
// evaluation of the updated policy, and checkpoints from which a run resumes bit for bit.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "optim/optimizer.hpp"
#include "particles/evolution_strategy.hpp"
#include "particles/policy.hpp"
#include "particles/policy_gradient.hpp"
#include "particles/world.hpp"

namespace ldyn::particles {

enum class LearnerKind { es, pg };
LearnerKind parse_learner(std::string_view name);  ///< InvalidOption("--learner")
std::string to_string(LearnerKind k);

struct TrainOptions {
  WorldParams world;
  Sensing sensing;               ///< sensing.sensing_radius overrides world.sensing_radius
  PolicyKind policy = PolicyKind::invariant;
  long hidden = 8;
  LearnerKind learner = LearnerKind::es;
  long iterations = 300;
  long episode_steps = 1000;
  std::uint64_t seed = 1;
  std::string optimizer = "adam";
  double lr = 0.03;
  EsOptions es;
  PgOptions pg;
};

struct IterationRow {
  long iteration = 0;
  long particle_steps = 0;      ///< cumulative environment interactions of learning (particle-steps)
  double train_return = 0;      ///< mean return of this iteration's learning episodes
  double eval_return = 0;       ///< deterministic evaluation of the updated policy
  double collisions_per_particle_per_1000_steps = 0;
  double edge_hits_per_particle_per_1000_steps = 0;
  double mean_speed_fraction = 0;
  double grad_norm = 0;
};

class TrainSession {
 public:
  /// Validates everything (InvalidOption naming the option).
  explicit TrainSession(TrainOptions options);
  ~TrainSession();

  /// One iteration: estimate, update, evaluate. Throws NonFiniteError if the parameters stop being finite.
  const IterationRow& iterate();
  bool finished() const { return iteration() >= options_.iterations; }
  long iteration() const { return static_cast<long>(rows_.size()); }
  const std::vector<IterationRow>& rows() const { return rows_; }
  const Policy& policy() const { return policy_; }
  const TrainOptions& options() const { return options_; }

  /// Versioned binary checkpoint (atomic): options fingerprint, parameters, optimizer state, rows.
  void save_checkpoint(const std::string& path) const;
  /// FileError naming the file if it is corrupt or was written by a run with other options.
  void load_checkpoint(const std::string& path);

  /// The seed of the episodes of iteration k (learning and evaluation share it).
  std::uint64_t episode_seed(long k) const;

 private:
  std::uint64_t fingerprint() const;

  TrainOptions options_;
  World world_;
  Policy policy_;
  std::unique_ptr<optim::Optimizer<float>> optimizer_;
  std::vector<float> grad_;
  PgWorkspace pg_;
  std::vector<IterationRow> rows_;
};

/// The world a policy with these sensors needs: its sensing radius sizes the cell list.
WorldParams world_for(WorldParams world, const Sensing& sensing);

}  // namespace ldyn::particles
