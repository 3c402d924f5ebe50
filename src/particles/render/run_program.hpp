#pragma once
// Running a helper program (ffmpeg) without a shell: the arguments go to it as they are, so paths
// with spaces, quotes or '$' need no quoting.
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace ldyn::particles {

/// The executable `program` found in the folders of $PATH, or an empty path.
std::filesystem::path find_on_path(std::string_view program);

/// Runs `program` with `args` (argv[1..]) and waits for it. Its standard input is /dev/null and its
/// standard error goes to `stderr_file`. Returns its exit status, or 128 + the signal that ended it.
/// Throws FileError naming `program` when it cannot be started.
int run_program(const std::filesystem::path& program, const std::vector<std::string>& args,
                const std::filesystem::path& stderr_file);

}  // namespace ldyn::particles
