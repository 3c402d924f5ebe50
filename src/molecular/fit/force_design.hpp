#pragma once
// The linear map from model coefficients to forces, F = A c, for one configuration. Rows are grouped
// by the species of the atom the force acts on (3 rows per atom, in atom order); columns are the
// coefficients of that species alone under agent dynamics (an atom's force depends only on its own
// loss) and all coefficients under symmetric dynamics. The target is the reference force minus the
// model's fixed wall force, so that F_ref − F_model = target − A c.
#include <vector>

#include <Eigen/Core>

#include "molecular/model/agent_model.hpp"
#include "molecular/model/model_spec.hpp"
#include "molecular/model/terms.hpp"

namespace ldyn::molecular {

struct ForceDesign {
  std::vector<Eigen::MatrixXd> matrix;  ///< per species s: 3·N_s × (P_s or P)
  std::vector<Eigen::VectorXd> target;  ///< per species s: 3·N_s
  // Workspace, reused between frames.
  std::vector<int> type;
  std::vector<Eigen::Index> row;
  AtomVectors wall_forces;
  TermScratch scratch;

  /// Column offset of species s's block in the full coefficient vector.
  int column_offset(const ModelSpec& spec, int s) const {
    return spec.dynamics == Dynamics::agent ? spec.species_offset(s) : 0;
  }
};

/// Fills `design` for `system` (whose species must be the model's) with reference forces
/// `reference`. `walls` is a model of the same spec with zero coefficients (it supplies the neighbour
/// list and the wall forces); buffers in `design` are reused.
void build_force_design(const ModelSpec& spec, const System& system, const AtomVectors& reference,
                        AgentModel& walls, ForceDesign& design);

}  // namespace ldyn::molecular
