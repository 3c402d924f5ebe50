#pragma once
// ldyn's model as the force field of a LAMMPS run: `fix external pf/callback 1 1` calls back every
// step with the atoms each rank owns, and the callback returns their forces.
//
// How the work is split: the model needs every neighbour of an atom, and LAMMPS's ghost atoms are
// not exposed through the library interface, so each call gathers all N positions on every rank
// (MPI_Allgatherv of ids and unwrapped positions, 4N numbers per rank per step), every rank
// evaluates the model on the whole system, and each keeps the forces of its own atoms. The force
// evaluation is therefore replicated, not divided: LAMMPS's decomposition parallelizes the
// integration, the thermostat and the communication, while the model costs one full evaluation
// per rank per step (OpenMP threads inside each rank still divide it). Correctness first; dividing
// the model's work needs forces for a subset of atoms from AgentModel (see docs/lammps.md).
#include <cstdint>
#include <string>
#include <vector>

#include "lammps_instance.hpp"
#include "molecular/model/agent_model.hpp"
#include "molecular/system.hpp"

namespace ldyn::lammps {

class ModelFix {
 public:
  /// Adds the fix `id` to all atoms of `lmp` (whose atoms were made by create_lammps_system from
  /// `system`, ids 1..N) and registers the callback. `system` supplies species, masses and box;
  /// its positions are replaced on every call. With a conservative model the model's energy is
  /// handed to LAMMPS as the fix's global energy (`fix_modify energy yes`: it is LAMMPS's pe).
  /// The instance and the model must outlive this object. Collective.
  ModelFix(LammpsInstance& lmp, molecular::AgentModel& model, molecular::System system,
           std::string id = "ldyn_model");
  ModelFix(const ModelFix&) = delete;
  ModelFix& operator=(const ModelFix&) = delete;

  /// What the model returned at the last call: potential energy (eV) for a conservative model,
  /// else the sum of the agents' losses.
  double last_energy() const { return energy_; }
  /// The unwrapped positions of the last call (Å, rows by atom id − 1).
  const molecular::System& system() const { return system_; }
  long calls() const { return calls_; }
  double model_seconds() const { return model_seconds_; }      ///< wall time inside the model
  double gather_seconds() const { return gather_seconds_; }    ///< wall time gathering positions
  const std::string& id() const { return id_; }

  /// The function LAMMPS calls (FixExternalFnPtr); `self` is this object.
  static void callback(void* self, std::int64_t step, int nlocal, int* ids, double** x, double** f);

 private:
  void compute(int nlocal, const int* ids, double** x, double** f);

  LammpsInstance& lmp_;
  molecular::AgentModel& model_;
  molecular::System system_;
  std::string id_;
  molecular::AtomVectors forces_;
  std::vector<int> counts_, displs_, all_ids_, count3_, displ3_;
  std::vector<double> local_x_, all_x_;
  double energy_ = 0.0;
  long calls_ = 0;
  double model_seconds_ = 0.0, gather_seconds_ = 0.0;
};

}  // namespace ldyn::lammps
