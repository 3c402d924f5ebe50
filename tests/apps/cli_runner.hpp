#pragma once
// Runs the `ldyn` binary as a user would and captures what it prints.
#include <array>
#include <cstdio>
#include <filesystem>
#include <string>
#include <sys/wait.h>

namespace ldyn::testing {

struct CliResult {
  int code;
  std::string output;  // stdout and stderr together
};

/// `ldyn ARGS` with stderr merged into stdout; code is the exit status (-1 if it did not exit).
/// `environment`: assignments put before the command, e.g. "PATH=/nonexistent".
inline CliResult run_cli(const std::string& args, const std::string& environment = "") {
  const std::string cmd = environment + " " + std::string(LDYN_CLI) + " " + args + " 2>&1";
  FILE* pipe = popen(cmd.c_str(), "r");
  if (!pipe) return {-1, "popen failed"};
  std::string out;
  std::array<char, 4096> buf;
  while (std::fgets(buf.data(), buf.size(), pipe)) out += buf.data();
  const int status = pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

/// A fresh path in the temporary directory (its parent exists).
inline std::filesystem::path temp_path(const std::string& name) {
  const auto dir = std::filesystem::temp_directory_path() / "ldyn_cli_tests";
  std::filesystem::create_directories(dir);
  return dir / name;
}

}  // namespace ldyn::testing
