#include "model_fix.hpp"

#include <library.h>

#include <cstdio>
#include <exception>
#include <string>
#include <utility>

#include "core/error.hpp"

namespace ldyn::lammps {

#if !defined(LAMMPS_SMALLBIG)
#error "ldyn-lammps expects a liblammps built with -DLAMMPS_SMALLBIG (32-bit atom ids), LAMMPS's default"
#endif

ModelFix::ModelFix(LammpsInstance& lmp, molecular::AgentModel& model, molecular::System system, std::string id)
    : lmp_(lmp), model_(model), system_(std::move(system)), id_(std::move(id)) {
  if (lmp.atoms() != static_cast<long>(system_.size()))
    throw Error("LAMMPS holds " + std::to_string(lmp.atoms()) + " atoms, the system " +
                std::to_string(system_.size()));
  std::vector<int> type;
  model_.map_species(system_, type);  // throws for a species the model does not know
  lmp.command("fix " + id_ + " all external pf/callback 1 1");
  // Without this LAMMPS leaves the fix's energy out of pe (and of the energy NVE conserves).
  if (model_.conservative()) lmp.command("fix_modify " + id_ + " energy yes");
  lammps_set_fix_external_callback(lmp.handle(), id_.c_str(), &ModelFix::callback, this);
  counts_.resize(static_cast<std::size_t>(lmp.ranks()));
  displs_ = count3_ = displ3_ = counts_;
}

void ModelFix::callback(void* self, std::int64_t /*step*/, int nlocal, int* ids, double** x, double** f) {
  auto* fix = static_cast<ModelFix*>(self);
  try {
    fix->compute(nlocal, ids, x, f);
  } catch (const std::exception& e) {
    // An exception must not unwind through LAMMPS's C++ frames on one rank while the others wait in
    // a collective: report it and stop all ranks.
    std::fprintf(stderr, "ldyn-lammps: error (rank %d): %s\n", fix->lmp_.rank(), e.what());
    MPI_Abort(fix->lmp_.comm(), 2);
  }
}

void ModelFix::compute(int nlocal, const int* ids, double** x, double** f) {
  const double t0 = MPI_Wtime();
  const MPI_Comm comm = lmp_.comm();
  const auto& L = system_.box.length;
  // Unwrap with the image flags: ldyn's neighbour list and trajectories expect continuous paths.
  const auto* image = static_cast<const int*>(lammps_extract_atom(lmp_.handle(), "image"));
  local_x_.resize(3 * static_cast<std::size_t>(nlocal));
  for (int i = 0; i < nlocal; ++i) {
    int flags[3];
    lammps_decode_image_flags(image[i], flags);
    double* row = &local_x_[3 * static_cast<std::size_t>(i)];
    for (int a = 0; a < 3; ++a) row[a] = x[i][a] + flags[a] * L[a];
  }
  MPI_Allgather(&nlocal, 1, MPI_INT, counts_.data(), 1, MPI_INT, comm);
  int total = 0;
  for (std::size_t r = 0; r < counts_.size(); ++r) {
    displs_[r] = total;
    count3_[r] = 3 * counts_[r];
    displ3_[r] = 3 * total;
    total += counts_[r];
  }
  const auto n = static_cast<int>(system_.size());
  if (total != n)
    throw Error("LAMMPS passed " + std::to_string(total) + " atoms, expected " + std::to_string(n));
  all_ids_.resize(static_cast<std::size_t>(total));
  all_x_.resize(3 * static_cast<std::size_t>(total));
  MPI_Allgatherv(ids, nlocal, MPI_INT, all_ids_.data(), counts_.data(), displs_.data(), MPI_INT, comm);
  MPI_Allgatherv(local_x_.data(), 3 * nlocal, MPI_DOUBLE, all_x_.data(), count3_.data(), displ3_.data(),
                 MPI_DOUBLE, comm);
  for (std::size_t k = 0; k < all_ids_.size(); ++k) {
    const int i = all_ids_[k] - 1;
    if (i < 0 || i >= n)
      throw Error("LAMMPS passed atom id " + std::to_string(i + 1) + " outside 1.." + std::to_string(n));
    const double* row = &all_x_[3 * k];
    for (int a = 0; a < 3; ++a) system_.positions(i, a) = row[a];
  }
  const double t1 = MPI_Wtime();

  energy_ = model_.compute(system_, forces_);
  const double t2 = MPI_Wtime();
  for (int i = 0; i < nlocal; ++i)
    for (int a = 0; a < 3; ++a) f[i][a] = forces_(ids[i] - 1, a);
  // Every rank computed the same whole-system energy; LAMMPS adds the fix's global energy once,
  // after its own reduction over ranks, so each rank hands over the total.
  if (model_.conservative()) lammps_fix_external_set_energy_global(lmp_.handle(), id_.c_str(), energy_);
  ++calls_;
  gather_seconds_ += t1 - t0;
  model_seconds_ += t2 - t1;
}

}  // namespace ldyn::lammps
