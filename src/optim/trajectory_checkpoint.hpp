#pragma once
// Checkpoints of a run of `ldyn optimize`: everything needed to continue bit-identically — the
// problem it ran on, the point x, the gradient-noise stream, the rows recorded so far and the
// optimizer's own state. Versioned binary, written atomically.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <Eigen/Dense>

#include "core/random.hpp"
#include "optim/experiment.hpp"
#include "optim/optimizer.hpp"
#include "optim/problems/problem.hpp"

namespace ldyn::optim {

struct TrajectoryCheckpoint {
  problems::ProblemSpec spec;   ///< dim resolved to the problem's actual dimension
  long updates = 0;             ///< updates applied; the run continues with evaluation `updates`
  Eigen::VectorXd x;
  Rng rng;                      ///< the gradient-noise stream, at its position
  Trajectory trajectory;        ///< rows 0 .. updates-1 and the target bookkeeping
};

void write_checkpoint(const std::filesystem::path& path, const TrajectoryCheckpoint& c,
                      const Optimizer<double>& optimizer);

/// Reads `path` into `c` and `optimizer` (which must have the checkpoint's group layout).
/// Throws FileError naming the file for a corrupt file, another version, or a problem that differs
/// from `expected` (name, dimension, noise, shape, seed, batch).
void read_checkpoint(const std::filesystem::path& path, const problems::ProblemSpec& expected,
                     TrajectoryCheckpoint& c, Optimizer<double>& optimizer);

}  // namespace ldyn::optim
