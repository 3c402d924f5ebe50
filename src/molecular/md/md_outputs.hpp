#pragma once
// The files an MD run writes while it goes: the log CSV and the extended XYZ trajectory, both as
// .part files (part_file.hpp) renamed into place when the run ends.
//
// Log columns: step,time_fs,temperature_K,kinetic_eV,energy_eV,conserved_eV,momentum
// (momentum = |Σ m v| in (g/mol)·Å/fs). Numbers are written in the shortest form that reads back to
// the same double, so a drift of 1e-9 eV in a −500 eV total is still visible.
#include <cstdint>
#include <sstream>
#include <string>

#include "molecular/io/frame.hpp"
#include "molecular/md/md_settings.hpp"
#include "molecular/md/part_file.hpp"
#include "molecular/system.hpp"

namespace ldyn::molecular::md {

/// One row of the log.
struct LogRow {
  long step;
  double time_fs, temperature_K, kinetic_ev, energy_ev, conserved_ev, momentum;
};

class MdOutputs {
 public:
  /// Opens the outputs named in `settings` (empty paths stay off), fresh with the log's header.
  void open_fresh(const MdSettings& settings, const System& system);
  /// Opens them truncated to the lengths a checkpoint recorded.
  void open_resumed(const MdSettings& settings, const System& system, std::uint64_t log_bytes,
                    std::uint64_t trajectory_bytes);

  void write_log(const LogRow& row);
  /// A frame with positions (unwrapped), velocities, step, time and — for a conservative force
  /// field — the potential energy.
  void write_frame(const System& system, long step, double time_fs, double potential_energy_ev);

  std::uint64_t log_bytes() { return log_.bytes(); }
  std::uint64_t trajectory_bytes() { return trajectory_.bytes(); }
  /// Renames the .part files into place.
  void finish();

  static const char* log_header();

 private:
  void prepare_frame(const System& system);
  PartFile log_, trajectory_;
  std::string row_;
  io::Frame frame_;
  std::ostringstream frame_text_;
};

}  // namespace ldyn::molecular::md
