// Fuzzing the readers: random damage to valid files (truncation, changed bytes, deleted, duplicated
// or swapped lines, NaN and huge numbers) must give either frames or an ldyn::Error, never a crash,
// a hang or another exception. Under the sanitizers this also checks memory safety.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <random>
#include <string>

#include "core/compressed_file.hpp"
#include "core/error.hpp"
#include "model_fixtures.hpp"
#include "molecular/io/cp2k_xyz.hpp"
#include "molecular/io/extxyz.hpp"
#include "molecular/io/lammps.hpp"
#include "molecular/model/model_file.hpp"

namespace ldyn::molecular {
namespace {

namespace fs = std::filesystem;

fs::path fuzz_path(const std::string& name) { return testing::scratch_file("ldyn_fuzz", name); }

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t at = 0;
  while (at < text.size()) {
    const std::size_t end = std::min(text.find('\n', at), text.size());
    lines.push_back(text.substr(at, end - at));
    at = end + 1;
  }
  return lines;
}

std::string damage(const std::string& text, std::mt19937_64& rng) {
  std::uniform_int_distribution<std::size_t> pos(0, text.size() - 1);
  static const char* tokens[] = {"nan", "inf", "-", "1e999", "", " ", "x", "\t", "3", "0", "=", "\""};
  std::string t = text;
  switch (rng() % 6) {
    case 0:  // truncate
      return t.substr(0, pos(rng));
    case 1:  // change a byte
      t[pos(rng)] = "0123456789 .-+eE\nxX\"=:"[rng() % 22];
      return t;
    case 2: {  // insert a token
      const char* tok = tokens[rng() % (sizeof tokens / sizeof *tokens)];
      return t.insert(pos(rng), tok);
    }
    default: {  // delete, duplicate or swap lines
      auto lines = lines_of(t);
      std::uniform_int_distribution<std::size_t> line(0, lines.size() - 1);
      const std::size_t a = line(rng), b = line(rng);
      const int kind = static_cast<int>(rng() % 3);
      if (kind == 0) lines.erase(lines.begin() + static_cast<std::ptrdiff_t>(a));
      if (kind == 1) lines.insert(lines.begin() + static_cast<std::ptrdiff_t>(a), lines[b]);
      if (kind == 2) std::swap(lines[a], lines[b]);
      std::string out;
      for (const auto& l : lines) out += l + '\n';
      return out;
    }
  }
}

// Reads `trials` damaged copies of `valid` with `read`; only ldyn::Error may escape.
void fuzz(const std::string& name, const std::string& valid, const std::function<void(const fs::path&)>& read,
          int trials = 150) {
  std::mt19937_64 rng(std::hash<std::string>{}(name));
  int accepted = 0, refused = 0;
  for (int k = 0; k < trials; ++k) {
    const fs::path p = fuzz_path(name);
    std::ofstream(p, std::ios::binary | std::ios::trunc) << damage(valid, rng);
    try {
      read(p);
      ++accepted;
    } catch (const Error&) {
      ++refused;
    } catch (const std::exception& e) {
      ADD_FAILURE() << name << " trial " << k << ": not an ldyn::Error: " << e.what();
    }
  }
  EXPECT_GT(refused, trials / 4) << name;  // damage is mostly noticed
  ::testing::Test::RecordProperty(name + "_accepted", accepted);
}

std::string first_lines(const std::string& path, int n) {
  TextFileReader r(path);
  std::string line, out;
  for (int k = 0; k < n && r.next_line(line); ++k) out += line + '\n';
  return out;
}

TEST(FuzzReaders, Cp2kXyz) {
  const std::string valid = first_lines(LDYN_SOURCE_DIR "/data/water/w64-300K-pos-1.xyz.xz", 2 * 194);
  fuzz("cp2k-pos.xyz", valid, [](const fs::path& p) { io::read_cp2k_positions(p, io::LengthUnit::angstrom); });
  fuzz("cp2k-frc.xyz", valid, [](const fs::path& p) { io::read_cp2k_forces(p, io::ForceUnit::hartree_per_bohr); });
}

TEST(FuzzReaders, ExtendedXyzAndLammpsDump) {
  auto frames = io::read_cp2k_positions(LDYN_SOURCE_DIR "/data/water/w64-300K-pos-1.xyz.xz", io::LengthUnit::angstrom,
                                        {0, 2, 1});
  for (auto& f : frames) {
    f.species.resize(9);
    f.positions.conservativeResize(9, 3);
    f.forces = f.positions * 0.5;
    f.cell = io::Lattice(Eigen::Vector3d(12.4297, 12.4297, 12.4297).asDiagonal());
    f.pbc = {true, true, true};
  }
  const fs::path xyz = fuzz_path("valid.extxyz"), dump = fuzz_path("valid.dump");
  io::write_extxyz(xyz, frames);
  io::write_lammps_dump(dump, frames);
  fuzz("damaged.extxyz", read_text_file(xyz), [](const fs::path& p) { io::read_extxyz(p); });
  fuzz("damaged.dump", read_text_file(dump), [](const fs::path& p) { io::read_lammps_dump(p); });
}

TEST(FuzzReaders, ModelFile) {
  ModelFile m;
  m.spec = testing::small_spec(Dynamics::agent, 0.8);
  m.coefficients = testing::random_coefficients(m.spec, 0.1, 1);
  const fs::path p = fuzz_path("valid-model.txt");
  write_model_file(p, m);
  fuzz("damaged-model.txt", read_text_file(p), [](const fs::path& q) { read_model_file(q); });
}

}  // namespace
}  // namespace ldyn::molecular
