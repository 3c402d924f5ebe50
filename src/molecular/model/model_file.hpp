#pragma once
// The versioned text file of a fitted model:
//
//   ldyn-agent-model 1
//   # comments
//   species O 15.999 H 1.008          symbol and mass (g/mol) of each species
//   dynamics agent                    agent | symmetric
//   units length angstrom energy eV
//   pair_basis cubic-bspline R_INNER R_CUT COUNT
//   angular_basis cubic-bspline R_INNER R_CUT COUNT legendre LMAX
//   wall STRENGTH                     eV/Å³
//   wall_radius O H 0.83              one line per species pair (Å)
//   meta KEY free text...             provenance: data files, frames, fit settings, scores
//   pair O H                          then COUNT coefficients (eV), any number per line
//   angle O H H                       then n_ab·(LMAX+1) coefficients, product-major
//   end
//
// Numbers are written in their shortest round-trip form: write → read is bit-exact.
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include <Eigen/Core>

#include "molecular/model/model_spec.hpp"

namespace ldyn::molecular {

inline constexpr int model_file_version = 1;

struct ModelFile {
  ModelSpec spec;
  Eigen::VectorXd coefficients;
  std::vector<std::pair<std::string, std::string>> meta;  ///< provenance, in file order
};

/// Writes atomically; throws Error for non-finite coefficients.
void write_model_file(const std::filesystem::path& path, const ModelFile& model);
/// Reads and checks a model file; every problem is a FileError naming the file and line.
ModelFile read_model_file(const std::filesystem::path& path);

}  // namespace ldyn::molecular
