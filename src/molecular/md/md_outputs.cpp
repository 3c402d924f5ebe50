#include "molecular/md/md_outputs.hpp"

#include "molecular/io/extxyz.hpp"
#include "molecular/io/format.hpp"

namespace ldyn::molecular::md {

const char* MdOutputs::log_header() {
  return "step,time_fs,temperature_K,kinetic_eV,energy_eV,conserved_eV,momentum\n";
}

void MdOutputs::prepare_frame(const System& system) {
  frame_ = system.to_frame();
}

void MdOutputs::open_fresh(const MdSettings& settings, const System& system) {
  prepare_frame(system);
  if (!settings.log_path.empty()) {
    log_.open_fresh(settings.log_path);
    log_.write(log_header());
  }
  if (!settings.trajectory_path.empty()) trajectory_.open_fresh(settings.trajectory_path);
}

void MdOutputs::open_resumed(const MdSettings& settings, const System& system, std::uint64_t log_bytes,
                             std::uint64_t trajectory_bytes) {
  prepare_frame(system);
  if (!settings.log_path.empty()) log_.open_resumed(settings.log_path, log_bytes);
  if (!settings.trajectory_path.empty()) trajectory_.open_resumed(settings.trajectory_path, trajectory_bytes);
}

void MdOutputs::write_log(const LogRow& r) {
  if (!log_.enabled()) return;
  row_ = std::to_string(r.step);
  for (const double v : {r.time_fs, r.temperature_K, r.kinetic_ev, r.energy_ev, r.conserved_ev, r.momentum}) {
    row_ += ',';
    io::format::append(row_, v);
  }
  row_ += '\n';
  log_.write(row_);
}

void MdOutputs::write_frame(const System& system, long step, double time_fs, double potential_energy_ev) {
  if (!trajectory_.enabled()) return;
  frame_.positions = system.positions;
  frame_.velocities = system.velocities;
  frame_.step = step;
  frame_.time_fs = time_fs;
  frame_.potential_energy_ev = potential_energy_ev;
  frame_text_.str({});
  io::write_extxyz_frame(frame_text_, frame_);
  trajectory_.write(frame_text_.view());
}

void MdOutputs::finish() {
  log_.finish();
  trajectory_.finish();
}

}  // namespace ldyn::molecular::md
