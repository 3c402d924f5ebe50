#include "lammps_instance.hpp"

#include <library.h>

#include <array>

#include "core/error.hpp"

namespace ldyn::lammps {

LammpsInstance::LammpsInstance(MPI_Comm comm, const std::vector<std::string>& args) : comm_(comm) {
  MPI_Comm_rank(comm, &rank_);
  MPI_Comm_size(comm, &ranks_);
  // lammps_open wants a C argv whose first entry is the program name; it does not keep the strings.
  std::vector<std::string> storage{"ldyn-lammps"};
  storage.insert(storage.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& s : storage) argv.push_back(s.data());
  argv.push_back(nullptr);
  handle_ = lammps_open(static_cast<int>(storage.size()), argv.data(), comm, nullptr);
  if (handle_ == nullptr) throw Error("LAMMPS could not be opened");
  check("opening LAMMPS");
}

LammpsInstance::~LammpsInstance() {
  if (handle_ != nullptr) lammps_close(handle_);
}

void LammpsInstance::check(const std::string& what) {
  if (lammps_has_error(handle_) == 0) return;
  std::array<char, 2048> buffer{};
  lammps_get_last_error_message(handle_, buffer.data(), static_cast<int>(buffer.size()));
  throw Error("LAMMPS failed in '" + what + "': " + buffer.data());
}

void LammpsInstance::command(const std::string& line) {
  lammps_command(handle_, line.c_str());
  check(line);
}

std::vector<double> LammpsInstance::gather_doubles(const std::string& name, int count) {
  std::vector<double> out(static_cast<std::size_t>(atoms()) * static_cast<std::size_t>(count));
  // LAMMPS 2021 declares the name non-const but only reads it.
  std::string n = name;
  lammps_gather_atoms(handle_, n.data(), 1, count, out.data());
  check("gather " + name);
  return out;
}

std::vector<int> LammpsInstance::gather_ints(const std::string& name, int count) {
  std::vector<int> out(static_cast<std::size_t>(atoms()) * static_cast<std::size_t>(count));
  std::string n = name;
  lammps_gather_atoms(handle_, n.data(), 0, count, out.data());
  check("gather " + name);
  return out;
}

double LammpsInstance::thermo(const std::string& keyword) { return lammps_get_thermo(handle_, keyword.c_str()); }

long LammpsInstance::atoms() const { return static_cast<long>(lammps_get_natoms(handle_)); }

}  // namespace ldyn::lammps
