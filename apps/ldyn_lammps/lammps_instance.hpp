#pragma once
// One LAMMPS instance, opened through LAMMPS's C library interface on an MPI communicator and
// closed when it goes out of scope. Every member that talks to LAMMPS is collective: all ranks of
// the communicator call it, in the same order (that is how LAMMPS's library interface works).
#include <mpi.h>

#include <string>
#include <vector>

namespace ldyn::lammps {

class LammpsInstance {
 public:
  /// Opens LAMMPS on `comm`; `args` are LAMMPS command-line options such as {"-log", "none"}.
  /// Throws ldyn::Error when LAMMPS cannot be opened.
  LammpsInstance(MPI_Comm comm, const std::vector<std::string>& args);
  ~LammpsInstance();
  LammpsInstance(const LammpsInstance&) = delete;
  LammpsInstance& operator=(const LammpsInstance&) = delete;

  void* handle() const { return handle_; }
  MPI_Comm comm() const { return comm_; }
  int rank() const { return rank_; }
  int ranks() const { return ranks_; }

  /// Runs one input-script line. Throws ldyn::Error with LAMMPS's message when it fails (with a
  /// liblammps built with exceptions; otherwise LAMMPS prints its error and aborts by itself).
  void command(const std::string& line);

  /// A per-atom property of all atoms ordered by atom id 1..N (lammps_gather_atoms); every rank
  /// gets the whole array. `count` values per atom.
  std::vector<double> gather_doubles(const std::string& name, int count);
  std::vector<int> gather_ints(const std::string& name, int count);

  /// A thermo keyword ("pe", "temp", "step", ...) as of the last run.
  double thermo(const std::string& keyword);
  long atoms() const;

 private:
  void check(const std::string& what);
  void* handle_ = nullptr;
  MPI_Comm comm_;
  int rank_ = 0, ranks_ = 1;
};

}  // namespace ldyn::lammps
