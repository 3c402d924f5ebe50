#pragma once
// A fitted agent-loss model as a force field (model_spec.hpp has the loss). With
// Dynamics::agent each atom descends its own loss, F_i = −∂L_i/∂x_i, and compute() returns Σ_i L_i
// (not conserved: forces between unlike agents need not be equal and opposite). With
// Dynamics::symmetric the forces are −∇U with U = Σ_i L_i, a potential energy that NVE conserves.
#include <memory>
#include <vector>

#include <Eigen/Core>

#include "molecular/force_field.hpp"
#include "molecular/model/model_spec.hpp"
#include "molecular/model/terms.hpp"
#include "molecular/neighbors/neighbor_list.hpp"

namespace ldyn::molecular {

class AgentModel final : public ForceField {
 public:
  /// Throws InvalidOption if the coefficient count does not match the spec or a value is not finite.
  AgentModel(ModelSpec spec, Eigen::VectorXd coefficients);

  double compute(const System& system, AtomVectors& forces) override;
  bool conservative() const override { return spec_.dynamics == Dynamics::symmetric; }
  double cutoff() const override { return spec_.cutoff(); }

  /// Each agent's loss L_i, eV.
  Eigen::VectorXd losses(const System& system);
  /// Forces with the other dynamics than the spec's (for comparisons).
  double compute(const System& system, AtomVectors& forces, Dynamics dynamics);

  const ModelSpec& spec() const { return spec_; }
  const Eigen::VectorXd& coefficients() const { return coefficients_; }
  /// Neighbour-list skin, Å (default: 0.5, or what the box allows).
  void set_skin(double skin) { skin_ = skin; }
  /// The neighbour list used by the last compute() (for statistics).
  const NeighborList* neighbor_list() const { return list_.get(); }

  /// Model species index of each atom of `system` into `type`; throws Error if the system's species
  /// table names a species the model does not know.
  void map_species(const System& system, std::vector<int>& type) const;
  /// Updates (or creates) the neighbour list for `system`.
  const NeighborList& neighbors(const System& system);

 private:
  ModelSpec spec_;
  Eigen::VectorXd coefficients_;
  double skin_ = -1.0;
  std::unique_ptr<NeighborList> list_;
  std::vector<int> type_;
  Eigen::VectorXd atom_loss_;
  std::vector<TermScratch> scratch_;       // one per thread
  std::vector<std::vector<double>> tables_;  // one per thread: factorized angle terms
  std::vector<AtomVectors> thread_forces_;  // one per thread (symmetric dynamics)
};

}  // namespace ldyn::molecular
