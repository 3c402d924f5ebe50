// GoogleTest main for the LAMMPS tests: LAMMPS is opened on MPI_COMM_WORLD, so MPI is initialized
// once for the whole executable (one rank under ctest, two under `mpiexec -np 2`).
#include <mpi.h>

#include <gtest/gtest.h>

// Open MPI and its dynamically loaded plug-ins keep allocations alive until exit on purpose, which
// LeakSanitizer reports as leaks from unknown modules (and so fails even the test listing of a
// sanitizer build). Leak checking is off for this executable only; every other check stays on, and
// ldyn's own code is leak-checked by the main test suite.
extern "C" const char* __asan_default_options() { return "detect_leaks=0"; }

int main(int argc, char** argv) {
  MPI_Init(&argc, &argv);
  ::testing::InitGoogleTest(&argc, argv);
  const int result = RUN_ALL_TESTS();
  // Every rank must pass: a failure seen on one rank fails the run.
  int worst = 0;
  MPI_Allreduce(&result, &worst, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
  MPI_Finalize();
  return worst;
}
