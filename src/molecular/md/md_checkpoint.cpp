#include "molecular/md/md_checkpoint.hpp"

#include <fstream>
#include <span>

#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "optim/state_io.hpp"

namespace ldyn::molecular::md {
namespace {

using optim::StateReader;
using optim::StateWriter;

constexpr std::uint64_t kVersion = 1;
constexpr std::size_t kMaxSymbol = 16;

void write_string(StateWriter& out, const std::string& s) { out.array(std::span<const char>(s.data(), s.size())); }

std::string read_string(StateReader& in, std::size_t limit, const char* what) {
  const std::uint64_t n = in.u64();  // refuse absurd lengths before allocating for them
  if (n > limit) in.fail(std::string("corrupt checkpoint: ") + what + " is too long");
  std::string s(n, '\0');
  in.raw_into(s.data(), n);
  return s;
}

std::span<const double> values(const AtomVectors& v) { return {v.data(), static_cast<std::size_t>(v.size())}; }
std::span<double> values(AtomVectors& v) { return {v.data(), static_cast<std::size_t>(v.size())}; }

}  // namespace

std::vector<std::string> atom_symbols(const System& system) {
  std::vector<std::string> s;
  s.reserve(system.size());
  for (const int t : system.type) s.push_back(system.species.symbols[static_cast<std::size_t>(t)]);
  return s;
}

void write_md_checkpoint(const std::filesystem::path& path, const MdCheckpoint& c) {
  write_file_atomically(
      path,
      [&](std::ostream& os) {
        StateWriter out(os);
        out.tag("LDYN-MD\x01");
        out.u64(kVersion);
        out.u64(c.species.size());
        for (const auto& s : c.species) write_string(out, s);
        out.i64(c.step);
        out.f64(c.dt_fs);
        out.u64(static_cast<std::uint64_t>(c.ensemble));
        out.array(values(c.positions));
        out.array(values(c.velocities));
        out.array(std::span<const double>(c.thermostat_positions));
        out.array(std::span<const double>(c.thermostat_velocities));
        out.f64(c.work_ev);
        out.f64(c.initial_temperature_K);
        out.u64(c.log_bytes);
        out.u64(c.trajectory_bytes);
        out.tag("END-LDMD");
      },
      /*binary=*/true);
}

MdCheckpoint read_md_checkpoint(const std::filesystem::path& path, const System& system, const MdSettings& settings) {
  std::ifstream is(path, std::ios::binary);
  if (!is) throw FileError(path.string(), "cannot open checkpoint");
  StateReader in(is, path.string());
  in.header("LDYN-MD\x01", kVersion);
  MdCheckpoint c;
  const std::uint64_t n = in.u64();
  if (n != system.size())
    in.fail("checkpoint of another system: " + std::to_string(n) + " atoms there, " +
            std::to_string(system.size()) + " here");
  const std::vector<std::string> here = atom_symbols(system);
  c.species.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    c.species[i] = read_string(in, kMaxSymbol, "atom symbol");
    if (c.species[i] != here[i])
      in.fail("checkpoint of another system: atom " + std::to_string(i) + " is " + c.species[i] +
              " there, " + here[i] + " here");
  }
  c.step = in.i64();
  c.dt_fs = in.f64();
  if (c.dt_fs != settings.dt_fs)
    in.fail("checkpoint of a run with time step " + std::to_string(c.dt_fs) + " fs, this run has " +
            std::to_string(settings.dt_fs) + " fs");
  c.ensemble = static_cast<Ensemble>(in.u64());
  if (c.ensemble != settings.ensemble)
    in.fail("checkpoint of an " + std::string(ensemble_name(c.ensemble)) + " run, this run is " +
            std::string(ensemble_name(settings.ensemble)));
  const auto rows = static_cast<Eigen::Index>(n);
  c.positions.resize(rows, 3);
  c.velocities.resize(rows, 3);
  in.array(values(c.positions), "positions");
  in.array(values(c.velocities), "velocities");
  const std::size_t links = settings.ensemble == Ensemble::nvt ? static_cast<std::size_t>(settings.chain_length) : 0;
  c.thermostat_positions.resize(links);
  c.thermostat_velocities.resize(links);
  in.array(std::span<double>(c.thermostat_positions), "thermostat chain (a different --chain-length?)");
  in.array(std::span<double>(c.thermostat_velocities), "thermostat chain (a different --chain-length?)");
  c.work_ev = in.f64();
  c.initial_temperature_K = in.f64();
  c.log_bytes = in.u64();
  c.trajectory_bytes = in.u64();
  in.tag("END-LDMD");
  return c;
}

}  // namespace ldyn::molecular::md
