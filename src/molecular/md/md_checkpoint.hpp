#pragma once
// Checkpoints of an MD run: everything needed to continue it bit-identically — the step, positions,
// velocities, the thermostat's chain, the accumulated work, and the lengths of the .part outputs
// (part_file.hpp). Versioned binary in the format of optim/state_io.hpp, written atomically.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "molecular/md/md_settings.hpp"
#include "molecular/system.hpp"

namespace ldyn::molecular::md {

struct MdCheckpoint {
  long step = 0;
  double dt_fs = 0.0;
  Ensemble ensemble = Ensemble::nve;
  std::vector<std::string> species;  ///< symbol of each atom: the system it belongs to
  AtomVectors positions, velocities;
  std::vector<double> thermostat_positions, thermostat_velocities;  ///< empty in NVE
  double work_ev = 0.0;              ///< work done by the forces since step 0
  double initial_temperature_K = 0.0;  ///< fixes the automatic NVE temperature limit
  std::uint64_t log_bytes = 0, trajectory_bytes = 0;
};

/// The atom symbols of a system, as a checkpoint records them.
std::vector<std::string> atom_symbols(const System& system);

void write_md_checkpoint(const std::filesystem::path& path, const MdCheckpoint& checkpoint);

/// Reads `path`. Throws FileError naming the file for a corrupt or truncated file, another version,
/// or a checkpoint of another system (atom count or species), time step, ensemble or chain length.
MdCheckpoint read_md_checkpoint(const std::filesystem::path& path, const System& system, const MdSettings& settings);

}  // namespace ldyn::molecular::md
