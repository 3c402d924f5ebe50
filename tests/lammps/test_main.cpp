// GoogleTest main for the LAMMPS tests: LAMMPS is opened on MPI_COMM_WORLD, so MPI is initialized
// once for the whole executable (one rank under ctest, two under `mpiexec -np 2`).
#include <mpi.h>

#include <gtest/gtest.h>

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
